"""A small stand-in for enum.Enum (pw.JoinMode, pw.MonitoringLevel).

`import enum` costs more than a millisecond at startup (it is most of what `re` and
`typing` pull in too), and vigil's enums need only the usual surface: `JoinMode.LEFT`,
`.name`, `.value`, `isinstance(x, JoinMode)`, iteration, `JoinMode("left")`,
`JoinMode["LEFT"]`, identity comparisons, hashing, pickling and copying (members are
singletons)."""


class _ConstantsMeta(type):
    def __new__(mcls, name, bases, namespace):
        members = {key: value for key, value in namespace.items()
                   if not key.startswith("_") and not hasattr(value, "__get__")}
        for key in members:
            del namespace[key]
        cls = super().__new__(mcls, name, bases, namespace)
        table = {}
        for key, value in members.items():
            member = object.__new__(cls)
            object.__setattr__(member, "_name_", key)
            object.__setattr__(member, "_value_", value)
            type.__setattr__(cls, key, member)
            table[key] = member
        type.__setattr__(cls, "_members_", table)
        return cls

    def __call__(cls, value):
        if isinstance(value, cls):
            return value
        for member in cls._members_.values():
            if member._value_ == value:
                return member
        raise ValueError(f"{value!r} is not a valid {cls.__qualname__}")

    def __getitem__(cls, name):
        return cls._members_[name]

    def __iter__(cls):
        return iter(cls._members_.values())

    def __len__(cls):
        return len(cls._members_)

    def __contains__(cls, member):
        return isinstance(member, cls)

    def __setattr__(cls, name, value):
        if name in cls.__dict__.get("_members_", {}):
            raise AttributeError(f"cannot reassign member {name!r}")
        super().__setattr__(name, value)

    def __delattr__(cls, name):
        if name in cls.__dict__.get("_members_", {}):
            raise AttributeError(f"cannot delete member {name!r}")
        super().__delattr__(name)

    def __repr__(cls):
        return f"<enum {cls.__name__!r}>"

    @property
    def __members__(cls):
        return dict(cls._members_)


class Constants(metaclass=_ConstantsMeta):
    """Base class: members are the public class attributes (name = value)."""

    __slots__ = ("_name_", "_value_")

    @property
    def name(self):
        return self._name_

    @property
    def value(self):
        return self._value_

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} members are read-only")

    def __repr__(self):
        return f"<{type(self).__name__}.{self._name_}: {self._value_!r}>"

    def __str__(self):
        return f"{type(self).__name__}.{self._name_}"

    def __hash__(self):
        return hash(self._name_)

    def __reduce_ex__(self, protocol):
        return getattr, (type(self), self._name_)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self
