"""A small assembler for hand-made test modules, and a minimal prelude `lang`.

Code is a list of items: `"name:"` defines a label; `("LINE", n)` starts
source line n; anything else is `(OPCODE, operand)` where a pool operand is
given as its value and becomes a constant:

    ICONST 5   FCONST 1.5   SCONST "s"   NEW ("m", "C")   NEWARRAY "I"
    GETFIELD (("m", "C"), "x", "I")   CALL ("m", "f", "(I)I")
    CALLVIRT (("m", "C"), "area", "()F")   CALLNATIVE ("lang.print", "(S)V")
    GGET ("m", "g", "I")   JMP "label"   LOAD 0   BCONST 1
    CAST "I"   CALLIFACE ("Shape", "area", "()F")   CALLFN "(I)I"
    CLOSURE ("m", "add", "(II)I"), 1         (func, then the u8 count bound)

Interfaces: `iface("Shape", extends=[...])`, their methods `abstract("Shape",
"area", [], "F")`, and classes `cls("C", implements=["Shape"])`.  A class's
itable is computed unless given (`itable=[(iface, method, impl)]`): every
method of every interface the class, its ancestors and those interfaces
reach, implemented by the vtable method of the same name.  An interface of
another module is found in `others` (ModuleDescs by name).
"""

from __future__ import annotations

from hlbc import model as M
from hlbc.code import encode
from hlbc.opcodes import BY_NAME, POOL_KIND

class ModBuilder:
    def __init__(self, name: str, imports=("lang",), source: str | None = None, others=None):
        self.name = name
        self.others = dict(others or {})
        self.source = source or f"{name}.hl"
        self.imports = tuple(imports)
        self.consts: list[M.Const] = []
        self.cindex: dict = {}
        self.globals: list[M.GlobalDesc] = []
        self.classes: list[dict] = []
        self.functions: list = []
        self.init = M.NO_INDEX

    # --- pool ----------------------------------------------------------------------
    def const(self, kind: int, value) -> int:
        key = (kind, repr(value) if kind == M.K_FLOAT else value)
        if key not in self.cindex:
            self.cindex[key] = len(self.consts)
            self.consts.append(M.Const(kind, value))
        return self.cindex[key]

    def class_ref(self, cls) -> int:
        if isinstance(cls, str):
            cls = (self.name, cls)
        return self.const(M.K_CLASS, tuple(cls))

    def operand(self, kind: str, v):
        k = POOL_KIND[kind]
        if k == M.K_FIELD or k == M.K_METHOD:
            cls, name, t = v
            return self.const(k, (self.class_ref(cls), name, t))
        if k == M.K_CLASS:
            return self.class_ref(v)
        if k in (M.K_FUNC, M.K_GLOBAL, M.K_NATIVE):
            return self.const(k, tuple(v))
        return self.const(k, v)

    # --- declarations ------------------------------------------------------------------
    def global_(self, name: str, t: str, flags: int = 0) -> None:
        self.globals.append(M.GlobalDesc(name, t, flags))

    def cls(self, name: str, fields=(), super=None, vtable=None, implements=(), itable=None,
            flags=0) -> int:
        """Declare a class; methods are added with `method`.  `vtable`: list of
        (name, impl class) for inherited slots when the superclass is in
        another module (otherwise computed).  `implements`: interfaces (names
        or (module, name)); `itable`: (interface, method, impl) entries, or
        None to compute them."""
        self.classes.append({"name": name, "fields": [M.FieldDesc(n, t) for n, t in fields],
                             "super": super, "methods": [], "init": M.NO_INDEX,
                             "inherited": vtable, "flags": flags, "interfaces": list(implements),
                             "itable": itable})
        return len(self.classes) - 1

    def iface(self, name: str, extends=()) -> int:
        """Declare an interface; its methods are added with `abstract`."""
        return self.cls(name, flags=M.C_INTERFACE, implements=extends, itable=())

    def abstract(self, iface_name, name, params, ret) -> int:
        """An interface method: F_METHOD|F_ABSTRACT, no code."""
        ci = next(i for i, c in enumerate(self.classes) if c["name"] == iface_name)
        fi = len(self.functions)
        self.functions.append((name, M.F_METHOD | M.F_ABSTRACT, ci, tuple(params), ret,
                               (M.class_desc(self.name, iface_name),) + tuple(params), None, ()))
        self.classes[ci]["methods"].append((name, fi))
        return fi

    def func(self, name, params, ret, locals_, code, handlers=(), flags=0, owner=M.NO_INDEX) -> int:
        self.functions.append((name, flags, owner, tuple(params), ret, tuple(locals_), code, handlers))
        return len(self.functions) - 1

    def method(self, cls_name, name, params, ret, locals_, code, handlers=(), init=False) -> int:
        ci = next(i for i, c in enumerate(self.classes) if c["name"] == cls_name)
        flags = M.F_METHOD | (M.F_INIT if init else 0)
        fi = self.func(name, params, ret, (M.class_desc(self.name, cls_name),) + tuple(locals_), code,
                       handlers, flags, ci)
        if init:
            self.classes[ci]["init"] = fi
        else:
            self.classes[ci]["methods"].append((name, fi))
        return fi

    def native_fn(self, name, params, ret) -> int:
        return self.func(name, params, ret, params, None, flags=M.F_NATIVE)

    def modinit(self, code, locals_=()) -> None:
        self.init = self.func("$init", (), "V", locals_, code, flags=M.F_MODINIT)

    # --- assembly ------------------------------------------------------------------------
    def assemble(self, code):
        labels, instrs, lines = {}, [], []
        pc = 0
        for item in code:
            if isinstance(item, str):
                labels[item.rstrip(":")] = pc
                continue
            if item[0] == "LINE":
                lines.append((pc, item[1]))
                continue
            name, *ops = item
            instrs.append((pc, name, ops))
            pc += BY_NAME[name].size
        out = []
        for pc, name, ops in instrs:
            d = BY_NAME[name]
            args = []
            for kind, v in zip(d.operands, ops):
                if kind == "target":
                    args.append(labels[v] if isinstance(v, str) else v)
                elif kind in ("local", "u8"):
                    args.append(v)
                else:
                    args.append(self.operand(kind, v))
            out.append((name, *args))
        return encode(out), labels, [M.LineEntry(p, ln, 1) for p, ln in lines]

    def build(self) -> M.ModuleDesc:
        funcs = []
        for name, flags, owner, params, ret, locals_, code, handlers in self.functions:
            if code is None:
                funcs.append(M.FunctionDesc(name, flags, owner, params, ret, locals_, 0, b""))
                continue
            raw, labels, lines = self.assemble(code)
            hs = []
            for s, e, h, k in handlers:
                hs.append(M.Handler(labels[s], labels[e], labels[h],
                                    M.NO_INDEX if k is None else self.class_ref(k)))
            funcs.append(M.FunctionDesc(name, flags, owner, params, ret, locals_, 32, raw,
                                        tuple(hs), tuple(lines)))
        classes = []
        vt_names: dict = {}
        for c in self.classes:
            sup = M.NO_INDEX
            slots: list[tuple[str, tuple]] = []
            if c["super"] is not None:
                sref = c["super"] if isinstance(c["super"], tuple) else (self.name, c["super"])
                sup = self.class_ref(sref)
                if c["inherited"] is not None:
                    slots = [(n, k if isinstance(k, tuple) else (self.name, k)) for n, k in c["inherited"]]
                else:
                    slots = list(vt_names[sref[1]])
            for mname, _fi in (c["methods"] if not c["flags"] & M.C_INTERFACE else ()):
                own = (self.name, c["name"])
                for i, (n, _k) in enumerate(slots):
                    if n == mname:
                        slots[i] = (n, own)
                        break
                else:
                    slots.append((mname, own))
            vt_names[c["name"]] = slots
            vt = tuple(M.VSlot(n, self.class_ref(k)) for n, k in slots)
            ifaces = tuple(self.class_ref(i) for i in c["interfaces"])
            entries = c["itable"] if c["itable"] is not None else self._itable(c)
            itable = tuple(M.ISlot(self.class_ref(i), n, impl) for i, n, impl in entries)
            classes.append(M.ClassDesc(c["name"], sup, tuple(c["fields"]), tuple(c["methods"]), vt,
                                       c["init"], c["flags"], ifaces, itable))
        return M.ModuleDesc(self.name, self.source, self.imports, tuple(self.consts),
                            tuple(self.globals), tuple(classes), tuple(funcs), self.init)


    # --- itables ------------------------------------------------------------------------
    def _key(self, cls) -> tuple:
        return (self.name, cls) if isinstance(cls, str) else tuple(cls)

    def _declared(self, key):
        """(super key or None, interface keys, method names) of a class here or in `others`."""
        if key[0] == self.name:
            for c in self.classes:
                if c["name"] == key[1]:
                    sup = self._key(c["super"]) if c["super"] is not None else None
                    return sup, [self._key(i) for i in c["interfaces"]], [n for n, _ in c["methods"]]
            return None
        mod = self.others.get(key[0])
        for cd in (mod.classes if mod is not None else ()):
            if cd.name == key[1]:
                sup = tuple(mod.consts[cd.super].value) if cd.super != M.NO_INDEX else None
                return sup, [tuple(mod.consts[i].value) for i in cd.interfaces], [n for n, _ in cd.methods]
        return None

    def _itable(self, c) -> list:
        todo = [self._key(i) for i in c["interfaces"]]
        sup = self._key(c["super"]) if c["super"] is not None else None
        seen = set()
        while sup is not None and sup not in seen:
            seen.add(sup)
            d = self._declared(sup)
            if d is None:
                break
            todo += d[1]
            sup = d[0]
        reached: list = []
        while todo:
            key = todo.pop(0)
            if key not in reached:
                reached.append(key)
                d = self._declared(key)
                todo += d[1] if d is not None else []
        out = []
        for key in reached:
            d = self._declared(key)
            for name in (d[2] if d is not None else ()):
                out.append((key, name, name))
        return out


ERRORS = ("ArithmeticError", "IndexError", "NullError", "CastError", "ValueError", "AssertionError",
          "StackOverflowError", "OutOfMemoryError", "PermissionError")
ERROR_VTABLE = [("to_string", ("lang", "Error"))]


def make_lang() -> M.ModuleDesc:
    """The prelude as the compiler would produce it (Error and its subclasses)."""
    b = ModBuilder("lang", imports=())
    b.cls("Error", fields=[("message", "S")])
    b.method("Error", "init", ["S"], "V", ["S"], [
        ("LOAD", 0), ("LOAD", 1), ("PUTFIELD", ("Error", "message", "S")), ("RET",)], init=True)
    b.method("Error", "to_string", [], "S", [], [
        ("LINE", 7),
        ("LOAD", 0), ("CALLNATIVE", ("lang._class_name", "(Llang.Error;)S")),
        ("SCONST", ": "), ("CONCAT",),
        ("LOAD", 0), ("GETFIELD", ("Error", "message", "S")), ("STOS",), ("CONCAT",), ("RETV",)])
    for e in ERRORS:
        b.cls(e, super="Error")
        b.method(e, "init", ["S"], "V", ["S"], [
            ("LOAD", 0), ("LOAD", 1), ("CALLSPECIAL", ("Error", "init", "(S)V")), ("RET",)], init=True)
    return b.build()
