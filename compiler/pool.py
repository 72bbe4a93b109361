"""A module's constant pool under construction, with each entry stored once.

Owns the pool's entries and their indices (`hlbc.model.Const`); every
reference codegen makes to another function, class, field, global or native
goes through one of these methods, which name things exactly as
docs/conventions.md prescribes.
"""

from __future__ import annotations

import struct

from hlbc import model as M
from hlbc.limits import MAX_CONSTANTS

from .limits import LimitError
from .symbols import ClassInfo, FieldInfo, FunctionInfo, GlobalInfo


class Pool:
    def __init__(self) -> None:
        self.consts: list[M.Const] = []
        self._index: dict[tuple, int] = {}

    def _add(self, kind: int, value, key=None) -> int:
        k = (kind, value if key is None else key)
        i = self._index.get(k)
        if i is None:
            i = len(self.consts)
            if i == MAX_CONSTANTS:      # (0, 0): at the function being generated
                raise LimitError(0, 0, f"too many constants: a module may have at most {MAX_CONSTANTS}")
            self.consts.append(M.Const(kind, value))
            self._index[k] = i
        return i

    def int(self, v: int) -> int:
        return self._add(M.K_INT, v)

    def float(self, v: float) -> int:
        # Keyed by bit pattern: 0.0 and -0.0 (and NaNs) are different constants.
        return self._add(M.K_FLOAT, v, struct.pack("<d", v))

    def string(self, s: str) -> int:
        return self._add(M.K_STRING, s)

    def type(self, desc: str) -> int:
        return self._add(M.K_TYPE, desc)

    def klass(self, c: ClassInfo) -> int:
        return self._add(M.K_CLASS, (c.module.name, c.name))

    def field(self, f: FieldInfo) -> int:
        # Named by the class that declares it.
        return self._add(M.K_FIELD, (self.klass(f.owner), f.name, f.type.desc))

    def method(self, cls: ClassInfo, f: FunctionInfo) -> int:
        return self._add(M.K_METHOD, (self.klass(cls), f.name, f.signature))

    def func(self, f: FunctionInfo) -> int:
        return self._add(M.K_FUNC, (f.module.name, f.name, f.signature))

    def local_func(self, module: str, name: str, sig: str) -> int:
        return self._add(M.K_FUNC, (module, name, sig))

    def global_(self, g: GlobalInfo) -> int:
        return self._add(M.K_GLOBAL, (g.module.name, g.name, g.type.desc))

    def native(self, name: str, sig: str) -> int:
        return self._add(M.K_NATIVE, (name, sig))
