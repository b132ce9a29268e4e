"""pw.universes: promises about tables' ids (Pathway's universes).

Pathway checks, when a graph is built, that the ids of the tables an operation combines are
related as it needs (update_cells wants the other table's ids to be a subset, concat wants
them disjoint), and these promises tell its solver what it cannot infer. Vigil does not track
universes: operations take the ids the tables have at run time (concat reports an id live in
both inputs as `duplicate key`), so a promise has nothing to add. They are accepted, so that
Pathway programs run unchanged, and checked only for their arguments' types.
"""

from vigil._table import Table


def _tables(*tables):
    for t in tables:
        if not isinstance(t, Table):
            raise TypeError(f"expected a Table, got {type(t).__name__}")


def promise_is_subset_of(table: Table, *others: Table) -> None:
    """Promises that `table`'s ids are ids of each of `others` (nothing to check in vigil)."""
    _tables(table, *others)


def promise_are_equal(table: Table, *others: Table) -> None:
    """Promises that the tables have the same ids (nothing to check in vigil)."""
    _tables(table, *others)


def promise_are_pairwise_disjoint(table: Table, *others: Table) -> None:
    """Promises that no two of the tables share an id (vigil's concat checks it as it runs)."""
    _tables(table, *others)
