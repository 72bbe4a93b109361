"""Immutable records: the base of hlbc's plain-data classes (descriptors,
instruction definitions, decoded instructions).

A record is a class with `__slots__` naming its fields and an `__init__`
that sets them once (through `set_field`); after that it cannot be
changed.  Records of the same class are equal when their fields are, hash
by their fields, print as `Name(field=value, ...)`, and `replace` gives a
copy with some fields changed.  This is what frozen dataclasses gave,
without importing `dataclasses` (and `inspect` with it) or generating code
when a program starts: `hll run` imports these modules on every run.
"""

from __future__ import annotations

from operator import attrgetter

set_field = object.__setattr__


class Record:
    __slots__ = ()

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        fields = cls.__slots__
        get = attrgetter(*fields)
        cls._fields = fields
        # (the field values as a tuple; attrgetter gives one for 2+ fields)
        cls._values = (lambda self: (get(self),)) if len(fields) == 1 else (lambda self: get(self))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    def __hash__(self):
        return hash(self._values())

    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}("
                + ", ".join(f"{f}={v!r}" for f, v in zip(self._fields, self._values())) + ")")

    def __reduce__(self):
        return type(self), self._values()

    def replace(self, **changes):
        """A copy with the fields in `changes` set to new values."""
        for f in self._fields:
            if f not in changes:
                changes[f] = getattr(self, f)
        return type(self)(**changes)

    __replace__ = replace       # copy.replace (Python 3.13)
