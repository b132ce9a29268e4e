"""Tables with Pathway's methods and keyword arguments, over the engine's graph.

Every method builds its node at once and raises where Pathway raises when a graph is
built: a misspelled column is an AttributeError (`t.colum`) or a KeyError (`pw.this.colum`
inside a method), both naming the column and the table's columns.
"""

import _weakref  # the C module behind weakref.ref: `import weakref` costs startup time

from vigil import _vigil
from vigil._enum import Constants
from vigil._schema import schema_of_native


class _TableRegistry:
    """Tables by identity, held weakly, so that an expression whose table is gone from
    `expr._table` (one built by the engine, as a reducer's argument) finds its table again
    when something else still holds it (intervals_over's `at=`, ix without context=)."""

    def __init__(self):
        self._refs = {}

    def add(self, identity, table):
        refs = self._refs

        def forget(ref, identity=identity):
            if refs.get(identity) is ref:
                del refs[identity]

        refs[identity] = _weakref.ref(table, forget)

    def get(self, identity, default=None):
        ref = self._refs.get(identity)
        table = None if ref is None else ref()
        return default if table is None else table

    def __len__(self):
        return len(self._refs)


_tables_by_identity = _TableRegistry()


def _table_of(expression):
    """The Table an expression `t.x` was taken from, or None."""
    table = getattr(expression, "_table", None)
    if table is not None:
        return table
    return _tables_by_identity.get(getattr(expression, "table_identity", 0))


class JoinMode(Constants):
    """How a join pads unmatched rows (Pathway's pw.JoinMode)."""

    INNER = "inner"
    LEFT = "left"
    RIGHT = "right"
    OUTER = "outer"


def _named(args, kwargs, operation):
    """[(name, expr)] from positional column references and keyword expressions.

    A string is refused as Pathway refuses it (`t.select("a")` is a ValueError suggesting
    pw.this.a): a Pathway program never passes one, and accepting it would hide typos such
    as `select("a", "b")` meant as keywords."""
    columns = []
    for arg in args:
        if isinstance(arg, str):
            raise ValueError(f"Expected a ColumnReference, found a string. Did you mean "
                             f"this.{arg} instead of {arg!r}?")
        if not isinstance(arg, _vigil.Expr) or not arg.is_column:
            raise ValueError(f"In {operation}() all positional arguments have to be a "
                             f"ColumnReference, got {arg!r}; name other expressions with a "
                             "keyword (name=expression)")
        columns.append((arg.column_name, arg))
    columns.extend(kwargs.items())
    return columns


def _validated_grouping(native_grouped):
    """The grouped table of groupby/windowby, checked at once.

    The engine keeps a failed grouping (a misspelled key, a window whose types do not fit the
    time column, a non-positive duration) inside the grouped table and reports it only when
    reduce() builds the result. Pathway raises at groupby()/windowby() itself, so a trial
    reduce with no columns surfaces the error here; it builds no output."""
    native_grouped.reduce([])
    return native_grouped


def _column_name(ref) -> str:
    if isinstance(ref, str):
        return ref
    if isinstance(ref, _vigil.Expr) and ref.is_column:
        return ref.column_name
    raise ValueError(f"expected a column name or a column reference, got {ref!r}")


class Table:
    """A lazily computed table (Pathway's pw.Table). Operations return new tables."""

    def __init__(self, native: _vigil.Table):
        self._native = native
        _tables_by_identity.add(native.identity(), self)

    # -- columns --------------------------------------------------------------------------
    def __getattr__(self, name: str):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        native = self.__dict__.get("_native")
        if native is None:
            raise AttributeError(name)
        if name in native.column_names():
            column = native.column(name)
            # held by the expression, so that `at=probes().t` keeps its table alive
            column._table = self
            return column
        raise AttributeError(f"Table has no column {name!r}; its columns are "
                             f"{', '.join(native.column_names()) or '(none)'}")

    def __getitem__(self, name):
        if isinstance(name, (list, tuple)):
            return self.select(*[self[n] for n in name])
        if isinstance(name, _vigil.Expr) and name.table_identity not in (0, self._native.identity()):
            # t[other.x] would silently read t's own column x
            raise ValueError("Table.__getitem__ argument has to be a ColumnReference to the same "
                             "table or pw.this, or a string (or a list of those).")
        name = _column_name(name)
        if name not in self._native.column_names():
            raise KeyError(f"Table has no column {name!r}; its columns are "
                           f"{', '.join(self._native.column_names()) or '(none)'}")
        column = self._native.column(name)
        column._table = self
        return column

    def __iter__(self):
        return iter([self[n] for n in self._native.column_names()])

    @property
    def id(self):
        column = self._native.id()
        column._table = self
        return column

    @property
    def schema(self):
        return schema_of_native(self._native.column_names(), self._native.column_types())

    def column_names(self) -> list[str]:
        return self._native.column_names()

    def keys(self):
        return self._native.column_names()

    def typehints(self):
        return self.schema.typehints()

    def __repr__(self):
        columns = ", ".join(f"{n}: {t!r}" for n, t in
                            zip(self._native.column_names(), self._native.column_types()))
        return f"<vigil.Table schema={{{columns}}}>"

    def _warn(self, stacklevel: int = 3):
        """Issues the engine's remarks on how this table was built, at the caller's line
        (`stacklevel` frames up: 3 when called from the public method itself)."""
        messages = self._native.warnings()
        if messages:
            import warnings  # not at startup: most tables have nothing to say
            for message in messages:
                warnings.warn(message, stacklevel=stacklevel)
        return self

    # -- row-wise -------------------------------------------------------------------------
    def select(self, *args, **kwargs) -> "Table":
        return Table(self._native.select(_named(args, kwargs, "select")))

    def with_columns(self, *args, **kwargs) -> "Table":
        return Table(self._native.with_columns(_named(args, kwargs, "with_columns")))

    def without(self, *columns) -> "Table":
        return Table(self._native.without([_column_name(c) for c in columns]))

    def rename_columns(self, **kwargs) -> "Table":
        """new_name=pw.this.old_name (Pathway's rename_columns)."""
        return Table(self._native.rename([(_column_name(old), new) for new, old in kwargs.items()]))

    def rename_by_dict(self, names_mapping: dict) -> "Table":
        """{old_name: new_name} (Pathway's rename_by_dict)."""
        return Table(self._native.rename([(_column_name(old), _column_name(new))
                                          for old, new in names_mapping.items()]))

    def rename(self, names_mapping: dict | None = None, **kwargs) -> "Table":
        if names_mapping is not None:
            return self.rename_by_dict(names_mapping)
        return self.rename_columns(**kwargs)

    def filter(self, filter_expression) -> "Table":
        return Table(self._native.filter(filter_expression))

    def with_id_from(self, *args, instance=None) -> "Table":
        """The same rows with ids `pointer_from(*args)` (Pathway's with_id_from): the ids a
        groupby on these values gives, so two rows with the same values are a duplicate key,
        reported as an error (their values become Error)."""
        if instance is not None:
            raise NotImplementedError("with_id_from(instance=...) is not in vigil yet")
        if not args:
            raise ValueError("with_id_from: give at least one column or expression")
        from vigil import reducers
        return self.groupby(*args).reduce(
            **{name: reducers.unique(_vigil.this_column(name)) for name in self.column_names()})

    def remove_errors(self) -> "Table":
        """The rows without an Error value in any column (Pathway's remove_errors)."""
        columns = [self[name] for name in self.column_names()]
        if not columns:
            return self
        # A tuple holding an Error is itself Error; fill_error turns only those into None.
        return self.filter(_vigil.fill_error(_vigil.make_tuple(*columns), None).is_not_none())

    def copy(self) -> "Table":
        return Table(self._native.select([(n, self._native.column(n))
                                          for n in self._native.column_names()]))

    def cast_to_types(self, **kwargs) -> "Table":
        from vigil._expression import cast
        return self.with_columns(**{name: cast(t, _vigil.this_column(name))
                                    for name, t in kwargs.items()})

    def concat(self, *others: "Table") -> "Table":
        native = self._native
        for other in others:
            native = native.concat(other._native)
        return Table(native)

    def flatten(self, to_flatten, *, origin_id: str | None = None) -> "Table":
        """One row per element of `to_flatten` (a tuple or list column: each element; a
        string column: each character), the other columns repeated; `origin_id` names a
        column holding the original row's id. Ids are not Pathway's (see docs/python.md)."""
        if isinstance(to_flatten, str):
            name = to_flatten
        elif isinstance(to_flatten, _vigil.Expr) and to_flatten.is_column:
            name = to_flatten.column_name
        else:
            # An expression: computed into a column of its own, `flatten`, then flattened.
            return self.with_columns(flatten=to_flatten).flatten("flatten", origin_id=origin_id)
        return Table(self._native.flatten(name, origin_id))

    # -- operations on ids (Pathway's universes; vigil does not track universes, so what
    # Pathway checks at graph build about the tables' ids is not checked) --------------------
    def restrict(self, other: "Table") -> "Table":
        """The rows of this table whose id is also in `other`."""
        return Table(self._native.restrict(other._native))

    def intersect(self, *tables: "Table") -> "Table":
        """The rows of this table whose id is in every one of `tables`."""
        return Table(self._native.intersect([t._native for t in tables]))

    def difference(self, other: "Table") -> "Table":
        """The rows of this table whose id is not in `other`."""
        return Table(self._native.difference(other._native))

    def update_rows(self, other: "Table") -> "Table":
        """The rows of both tables, `other`'s where both have an id (same column names)."""
        return Table(self._native.update_rows(other._native))

    def update_cells(self, other: "Table", _stacklevel: int = 1) -> "Table":
        """This table's rows with the columns `other` has taken from `other`'s row of the
        same id, where there is one."""
        return Table(self._native.update_cells(other._native))

    def __lshift__(self, other: "Table") -> "Table":
        return self.update_cells(other)

    # Promises about ids for Pathway's universe solver: vigil does not track universes
    # (pw.universes), so they return the table unchanged.
    def promise_universe_is_subset_of(self, other: "Table") -> "Table":
        from vigil import universes
        universes.promise_is_subset_of(self, other)
        return self

    def promise_universe_is_equal_to(self, other: "Table") -> "Table":
        from vigil import universes
        universes.promise_are_equal(self, other)
        return self

    def promise_universes_are_disjoint(self, other: "Table") -> "Table":
        from vigil import universes
        universes.promise_are_pairwise_disjoint(self, other)
        return self

    # -- grouping -------------------------------------------------------------------------
    def groupby(self, *args, id=None, sort_by=None, instance=None, **kwargs) -> "GroupedTable":
        if kwargs:
            raise ValueError("Table.groupby() received extra kwargs.\nYou probably want to use "
                             "Table.groupby(...).reduce(**kwargs) to compute output columns.")
        if id is not None or sort_by is not None:
            raise NotImplementedError("groupby(id=..., sort_by=...) is not in vigil yet")
        keys = [_vigil.this_column(a) if isinstance(a, str) else a for a in args]
        if instance is not None:
            keys.append(instance)
        return GroupedTable(
            _validated_grouping(self._native.groupby(keys)), self,
            lambda t: GroupedTable(t._native.groupby([_rebound(k, self) for k in keys]), t))

    def reduce(self, *args, **kwargs) -> "Table":
        return _reduce_with_lookups(lambda columns: Table(self._native.reduce(columns)),
                                    _named(args, kwargs, "reduce"))

    def windowby(self, time_expr, *args, window, behavior=None, instance=None,
                 **kwargs) -> "GroupedTable":
        if args:
            raise ValueError("Table.windowby() received extra args.\nIt handles grouping only "
                             "by a single column.")
        if kwargs:
            raise ValueError("Table.windowby() received extra kwargs.\nYou probably want to use "
                             "Table.windowby(...).reduce(**kwargs) to compute output columns.")
        from vigil.temporal import _native_window
        native_behavior = None if behavior is None else behavior._native

        def regroup(t):
            return GroupedTable(t._native.windowby(
                _rebound(time_expr, self), _native_window(window),
                None if instance is None else _rebound(instance, self), native_behavior), t)
        return GroupedTable(_validated_grouping(self._native.windowby(
            time_expr, _native_window(window), instance, native_behavior)), self, regroup)

    # -- time -----------------------------------------------------------------------------
    def ignore_late(self, time_column, threshold) -> "Table":
        return Table(self._native.ignore_late(time_column, threshold))

    def buffer(self, time_column, threshold) -> "Table":
        return Table(self._native.buffer(time_column, threshold))

    def forget(self, time_column, threshold) -> "Table":
        return Table(self._native.forget(time_column, threshold))

    # -- joins ----------------------------------------------------------------------------
    def join(self, other: "Table", *on, id=None, how=JoinMode.INNER, left_instance=None,
             right_instance=None, **kwargs) -> "JoinResult":
        if kwargs:
            raise ValueError("Join received extra kwargs.\nYou probably want to use "
                             "TableLike.join(...).select(**kwargs) to compute output columns.")
        if isinstance(how, str):
            raise ValueError("Received `how` argument of join that is a string.\nYou probably "
                             "want to use one of JoinMode.INNER, JoinMode.LEFT, JoinMode.RIGHT "
                             "or JoinMode.OUTER values.")
        if not isinstance(how, JoinMode):
            raise ValueError("How argument of join should be one of JoinMode.INNER, "
                             "JoinMode.LEFT, JoinMode.RIGHT or JoinMode.OUTER values.")
        if id is not None and not isinstance(id, _vigil.Expr):
            raise ValueError("The id argument of a join has to be a ColumnReference.")
        native = self._native.join(other._native, list(on), how.value, id, left_instance,
                                   right_instance)
        # As for groupby: the engine reports a bad condition (a misspelled column, types
        # that cannot match, a condition that is not `left == right`) only at select();
        # Pathway raises at join() itself.
        native.select([])
        return JoinResult(native)

    def _join_as(self, how, other, on, kwargs) -> "JoinResult":
        if "how" in kwargs:
            raise ValueError("Received `how` argument but was not expecting any.\nConsider "
                             "using a generic join method that handles `how` to decide on a "
                             "type of a join to be used.")
        return self.join(other, *on, how=how, **kwargs)

    def join_inner(self, other, *on, **kwargs) -> "JoinResult":
        return self._join_as(JoinMode.INNER, other, on, kwargs)

    def join_left(self, other, *on, **kwargs) -> "JoinResult":
        return self._join_as(JoinMode.LEFT, other, on, kwargs)

    def join_right(self, other, *on, **kwargs) -> "JoinResult":
        return self._join_as(JoinMode.RIGHT, other, on, kwargs)

    def join_outer(self, other, *on, **kwargs) -> "JoinResult":
        return self._join_as(JoinMode.OUTER, other, on, kwargs)

    def pointer_from(self, *args, optional: bool = False, instance=None):
        """The id this table gives (or would give) the row keyed by these values: Pathway's
        recipe, the ids of `groupby(*keys)` groups and of rows with these primary-key values;
        an expression of the table it is used on (`values.ix(t.pointer_from(t.ptr))`)."""
        if instance is not None:
            raise NotImplementedError("pointer_from(instance=...) is not in vigil yet")
        return _vigil.pointer_from_expr(list(args), optional)

    def ix_ref(self, *args, optional: bool = False, context: "Table | None" = None,
               instance=None):
        """The row of this table keyed by these values: `ix(pointer_from(*args))`, the
        context being the table the arguments come from (`t1.ix_ref(t2.name).age`)."""
        if context is None:
            context = next((table for table in map(_table_of, args) if table is not None),
                           None)
        pointer = self.pointer_from(*args, optional=optional, instance=instance)
        return self.ix(pointer, optional=optional, context=context)

    def ix(self, expression, *, optional: bool = False, context: "Table | None" = None):
        """For every row of context, the row of this table whose id is expression.

        Without a context and with a pointer that comes from no table (a reducer such as
        `pw.reducers.argmin(pw.this.v)`, or `pw.this.ptr`), the lookup is deferred: its
        columns (`t.ix(...).v`) are values of a later reduce() (Pathway's idiom
        `t.ix(pw.reducers.argmax(pw.this.v)).name`), looked up in this table once the
        reduce has computed the pointers."""
        if context is None:
            context = _table_of(expression) if isinstance(expression, _vigil.Expr) else None
            if context is None:
                if isinstance(expression, _vigil.Expr):
                    return _DeferredIx(self, expression, optional)
                raise ValueError("ix: pass context= when the pointer expression does not come "
                                 "from a table (t.column)")
        return Table(self._native.ix(expression, context._native, optional))


def _rebound(expression, table: "Table"):
    """`expression` for use on a table derived from `table` with the same rows: a column
    taken from `table` (`t.time`) becomes `pw.this.time`; other expressions stay."""
    if (isinstance(expression, _vigil.Expr) and expression.is_column
            and expression.table_identity == table._native.identity()):
        return _vigil.this_column(expression.column_name)
    return expression


class _DeferredReducer:
    """A reducer call with an argument that is a column of a deferred ix lookup
    (`pw.reducers.tuple(values.ix(grouped.ptr).v)`): built once the grouped table has the
    looked-up column (GroupedTable._reduce_over_lookups)."""

    def __init__(self, build, args):
        self.build, self.args = build, args


class _DeferredIx:
    """`table.ix(pointer)` with a pointer computed by the reduce it is used in."""

    def __init__(self, table: Table, pointer, optional: bool):
        self._table, self._pointer, self._optional = table, pointer, optional

    def __getattr__(self, name: str):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name):
        name = _column_name(name)
        if name not in self._table.column_names():
            raise KeyError(f"Table has no column {name!r}; its columns are "
                           f"{', '.join(self._table.column_names()) or '(none)'}")
        return _IxColumn(self, name)


class _IxColumn:
    """Column `name` of a deferred ix: a value of reduce(), nothing else (it is not an
    expression: arithmetic on it would need the lookup inside the engine's expression)."""

    def __init__(self, ix: _DeferredIx, name: str):
        self.ix, self.name = ix, name

    def __repr__(self):
        return f"<ix>.{self.name}"

    def _refuse(self, *_args, **_kwargs):
        raise TypeError(f"{self!r}: a column of table.ix(<reducer>) is only usable as a whole "
                        "reduce() value (name=t.ix(pw.reducers.argmax(pw.this.v)).column); "
                        "compute on it after the reduce")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = _refuse
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __and__ = __or__ = _refuse
    __hash__ = object.__hash__


def _reduce_with_lookups(reduce, columns):
    """reduce() whose values may be columns of deferred ix lookups (_IxColumn): each pointer
    is reduced into a hidden column, then the looked-up rows are brought back onto the
    reduce's rows by an id join (same ids), in the columns' order."""
    plain, lookups = [], []
    for name, value in columns:
        if isinstance(value, _IxColumn):
            hidden = f"_pw_ix_pointer_{len(lookups)}"
            lookups.append((name, hidden, value))
            plain.append((hidden, value.ix._pointer))
        else:
            plain.append((name, value))
    result = reduce(plain)
    if not lookups:
        return result
    for name, hidden, value in lookups:
        found = value.ix._table.ix(result[hidden], optional=value.ix._optional)
        kept = {c: (found[value.name] if c == hidden else result[c])
                for c in result.column_names()}
        result = result.join(found, result.id == found.id, id=result.id).select(**kept)
    renamed = {hidden: name for name, hidden, _ in lookups}
    return result.select(**{renamed.get(c, c): result[c] for c in result.column_names()})


class GroupedTable:
    """The result of groupby/windowby, waiting for reduce().

    Its attributes are the grouped table's columns (`grouped.ptr`, as pw.this.ptr inside
    reduce). It remembers its table and how it was grouped, so that a reducer over a column
    looked up in another table (`pw.reducers.tuple(values.ix(grouped.ptr).v)`) can look the
    column up row by row first and group again."""

    def __init__(self, native, source: "Table | None" = None, regroup=None):
        self._native = native
        self._source = source
        self._regroup = regroup

    def __getattr__(self, name: str):
        if name.startswith("__") or name in ("_native", "_source", "_regroup"):
            raise AttributeError(name)
        source = self.__dict__.get("_source")
        if source is not None and name in source.column_names():
            return _vigil.this_column(name)
        raise AttributeError(f"GroupedTable has no column {name!r}; its table's columns are "
                             f"{', '.join(source.column_names()) if source else '(unknown)'}")

    def reduce(self, *args, **kwargs) -> "Table":
        columns = _named(args, kwargs, "reduce")
        if any(isinstance(value, _DeferredReducer) for _name, value in columns):
            return self._reduce_over_lookups(columns)
        # _warn <- the lambda <- _reduce_with_lookups <- reduce <- the caller's line.
        return _reduce_with_lookups(
            lambda columns: Table(self._native.reduce(columns))._warn(stacklevel=5), columns)

    def _reduce_over_lookups(self, columns) -> "Table":
        """reduce() with reducers over `other.ix(pointer).column`: each such column is looked
        up for every row of the grouped table (an id join keeping its ids), the table grouped
        again as before, and the reducer reads the looked-up column."""
        if self._source is None or self._regroup is None:
            raise ValueError("reduce: a reducer over table.ix(...).column needs a grouping of a "
                             "table (groupby or windowby)")
        source, looked_up, planned = self._source, 0, []
        for name, value in columns:
            if isinstance(value, _DeferredReducer):
                args = []
                for arg in value.args:
                    if isinstance(arg, _IxColumn):
                        # One lookup per with_columns: each reads one other table (the
                        # lookup's, whose rows are those of the table it extends).
                        hidden = f"_pw_ix_argument_{looked_up}"
                        looked_up += 1
                        found = arg.ix._table.ix(arg.ix._pointer, optional=arg.ix._optional,
                                                 context=source)
                        source = source.with_columns(**{hidden: found[arg.name]})
                        arg = _vigil.this_column(hidden)
                    args.append(arg)
                value = value.build(*args)
            planned.append((name, value))
        return self._regroup(source).reduce(**dict(planned))


class JoinResult:
    """The result of join, waiting for select()."""

    def __init__(self, native):
        self._native = native

    def select(self, *args, **kwargs) -> "Table":
        return Table(self._native.select(_named(args, kwargs, "select")))
