"""The native registry: name → signature and Python callable, and marshalling.

Each module of this package contributes the natives of one HL module
(`core` → `lang.*`, `text` → `string.*`, `numeric` → `math.*`, `files` →
`io.*`, `clock` → `time.*`, `textfmt` → `text.*`, `containers` →
`collections.*`, `environ` → `env.*`; `console` adds `lang.eprintln`)
as a table `{name: (signature, function)}` built for one VM.  Natives take and return Python values; `bind` wraps them into
callables over raw HL values following the signature:

    I F Z      passed as is (int, float, bool)
    S          heap string ↔ Python str (a null argument throws NullError,
               unless the native is listed as accepting null: then None)
    [S         string[] ↔ list of str (null elements ↔ None)
    other      raw reference (int word index), passed and returned as is

A provider may list natives in `TAKES_REFS`: those get every argument and
return their result as raw HL values (string references included) and do
their own null checks; the string natives that work in place on the heap
(hllvm/strings.py) are bound this way, since converting a 1 MB receiver to
a Python str on every `code_at` would make a scan quadratic.

This package does not decide which native an instruction calls (the linker
resolves names) nor how HL errors are built (the VM's `Errors`).
"""

from __future__ import annotations

from ..convert import str_items
from . import clock, console, containers, core, environ, files, numeric, text, textfmt

_PROVIDERS = (core, console, text, textfmt, numeric, files, clock, containers, environ)
# Natives bound without marshalling (see the module docstring).
_TAKES_REFS = frozenset().union(*(getattr(p, "TAKES_REFS", ()) for p in _PROVIDERS))


class NativeBinding:
    __slots__ = ("name", "signature", "params", "ret", "call", "pure", "impl")

    def __init__(self, name: str, signature: str, params: tuple[str, ...], ret: str,
                 call,                  # callable over raw HL values
                 pure: bool,            # no marshalling: `call` is the Python function itself
                 impl=None) -> None:    # the function behind `call` (marshalled or not)
        self.name = name
        self.signature = signature
        self.params = params
        self.ret = ret
        self.call = call
        self.pure = pure
        self.impl = impl if impl is not None else call

    @property
    def origin(self) -> str:
        """Where its Python function is defined ("module.qualname"): the JIT
        compiles a native inline only when it is the VM's own."""
        f = self.impl
        return f"{getattr(f, '__module__', '')}.{getattr(f, '__qualname__', '')}"

    def __repr__(self) -> str:
        return f"NativeBinding({self.name!r}, {self.signature!r}, pure={self.pure})"


def registry(vm) -> dict[str, tuple[str, object, frozenset]]:
    """Every native available to `vm`: name → (signature, fn, nullable params)."""
    table: dict[str, tuple[str, object, frozenset]] = {}
    for prov in _PROVIDERS:
        for name, entry in prov.natives(vm).items():
            sig, fn = entry[0], entry[1]
            nullable = frozenset(entry[2]) if len(entry) > 2 else frozenset()
            table[name] = (sig, fn, nullable)
    return table


def bind(vm, name: str, sig: str, fn, nullable: frozenset) -> NativeBinding:
    from hlbc.model import parse_signature
    params, ret = parse_signature(sig)
    if name in _TAKES_REFS:
        return NativeBinding(name, sig, params, ret, fn, True)
    conv_in = [_in_conv(vm, p, i in nullable, name) for i, p in enumerate(params)]
    conv_out = _out_conv(vm, ret)
    if all(c is None for c in conv_in) and conv_out is None:
        return NativeBinding(name, sig, params, ret, fn, True)
    return NativeBinding(name, sig, params, ret, _marshal(fn, conv_in, conv_out), False, fn)


def _marshal(fn, conv_in, conv_out):
    """A callable over raw HL values; the common arities get a straight-line
    wrapper (natives of strings are on hot paths)."""
    ident = _ident
    cs = [c or ident for c in conv_in]
    co = conv_out or ident
    n = len(cs)
    if n == 1:
        c0, = cs
        return lambda a: co(fn(c0(a)))
    if n == 2:
        c0, c1 = cs
        return lambda a, b: co(fn(c0(a), c1(b)))
    if n == 3:
        c0, c1, c2 = cs
        return lambda a, b, c: co(fn(c0(a), c1(b), c2(c)))

    def call(*args):
        return co(fn(*[c(a) for c, a in zip(cs, args)]))
    return call


def _ident(v):
    return v


def _in_conv(vm, t: str, nullable: bool, name: str):
    heap = vm.heap
    if t == "S":
        get = heap.get_str
        if nullable:
            return lambda r: None if r == 0 else get(r)

        def conv(r):
            if r == 0:
                vm.errors.throw("NullError", f"null string passed to {name}")
            return get(r)
        return conv
    if t == "[S":
        def conv_arr(r):
            if r == 0:
                vm.errors.throw("NullError", f"null array passed to {name}")
            return str_items(heap, r)      # one Python string per distinct element
        return conv_arr
    return None


def _out_conv(vm, t: str):
    heap = vm.heap
    if t == "S":
        def out(s):
            if s is None:
                return 0
            vm.errors.reserve_chars(len(s))
            return heap.new_str(s)
        return out
    if t == "[S":
        def out_arr(items):
            vm.errors.reserve_chars(sum(len(s) for s in items if s is not None) + len(items) * 24)
            return heap.new_str_array(items)
        return out_arr
    return None
