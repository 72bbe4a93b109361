"""Every call goes through the entry table: writing one slot
(`Interpreter.install`) redirects direct and virtual calls of a function —
the hook a second tier uses.  (Code
installed for a function must take its frame: here the two functions have
the same frame layout, an argument and no constants.)"""

import io

from asm import ModBuilder, make_lang

from hllvm import VM


def module() -> ModBuilder:
    b = ModBuilder("t")
    b.func("one", ["I"], "I", ["I"], [("LOAD", 0), ("RETV",)])
    b.func("two", ["I"], "I", ["I"], [("LOAD", 0), ("INEG",), ("RETV",)])
    b.func("calls_one", ["I"], "I", ["I"], [("LOAD", 0), ("CALL", ("t", "one", "(I)I")), ("RETV",)])
    b.cls("C")
    b.method("C", "init", [], "V", [], [("RET",)], init=True)
    b.method("C", "v", ["I"], "I", ["I"], [("LOAD", 1), ("RETV",)])
    b.method("C", "w", ["I"], "I", ["I"], [("LOAD", 1), ("INEG",), ("RETV",)])
    b.func("calls_v", ["I"], "I", ["I"], [
        ("NEW", ("t", "C")), ("DUP",), ("CALLSPECIAL", ("C", "init", "()V")),
        ("LOAD", 0), ("CALLVIRT", ("C", "v", "(I)I")), ("RETV",)])
    b.func("main", [], "V", [], [("RET",)])
    return b


def vm_with_module():
    vm = VM(stdout=io.StringIO(), jit="off")     # the interpreter's entry table, as it is
    vm.load([make_lang(), module().build()])
    return vm


def fn(vm, name, cls=None):
    m = vm.modules["t"]
    if cls is None:
        return m.function(name)
    return next(c for c in m.classes if c.name == cls).methods[name]


def test_direct_calls_read_the_entry_table_at_each_call():
    vm = vm_with_module()
    assert vm.call("t", "calls_one", 5) == 5
    one, two = fn(vm, "one"), fn(vm, "two")
    vm.interp.install(one.fid, vm.interp.ENT[two.fid])
    assert vm.call("t", "calls_one", 5) == -5      # the caller's op was linked before
    vm.interp.install(one.fid, one.entry)
    assert vm.call("t", "calls_one", 5) == 5


def test_virtual_calls_read_the_entry_table_at_each_call():
    vm = vm_with_module()
    assert vm.call("t", "calls_v", 7) == 7
    v, w = fn(vm, "v", "C"), fn(vm, "w", "C")
    vm.interp.install(v.fid, vm.interp.ENT[w.fid])
    assert vm.call("t", "calls_v", 7) == -7


def _made(vm, f) -> bool:
    """Whether the closures of function f's ops are made (ops/lazy.py)."""
    return all(op.__qualname__ != "stubs.<locals>.stub.<locals>.op"
               for op in vm.interp.code[f.entry:f.entry + f.ops])


def test_closures_are_made_when_their_function_first_runs():
    """Loading makes no op closures (a stub stands at each index); the first
    call makes those of the functions it runs, and only those."""
    vm = vm_with_module()
    one, two, calls_one = fn(vm, "one"), fn(vm, "two"), fn(vm, "calls_one")
    assert not any(_made(vm, f) for f in (one, two, calls_one))
    assert vm.call("t", "calls_one", 5) == 5
    assert _made(vm, one) and _made(vm, calls_one) and not _made(vm, two)
    assert vm.call("t", "calls_one", 6) == 6 and vm.call("t", "two", 3) == -3
    assert _made(vm, two)
