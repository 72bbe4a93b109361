"""Host natives (hllvm/natives/host.py): declaring them, calling them from
HL, and Python exceptions raised inside them."""

from __future__ import annotations

import io
import traceback

import pytest

from hllvm import HLError, HostSignatureError, Interrupted, LoadError

from embed_fixtures import make_vm, tier  # noqa: F401  (fixtures)


def test_a_native_is_imported_as_a_module(make_vm):
    vm = make_vm()
    seen = []
    vm.define_native("host.log", seen.append, "fn(msg: string)")
    vm.define_native("host.add", lambda a, b: a + b, "fn(a: int, b: int) -> int")
    vm.define_native("host.scale", lambda xs, k: [x * k for x in xs], "fn(float[], float) -> float[]")
    vm.define_native("host.words", lambda s: s.split(), "(S)[S")            # a bytecode signature
    vm.define_native("host.flag", lambda: True, "fn() -> bool")
    mod = vm.load_source("""
import host;
fn run() -> string {
    host.log("start");
    let w = host.words("a b  c");
    let s = host.scale([1.0, 2.5], 2.0);
    return str(host.add(40, 2)) + " " + str(w) + " " + str(s) + " " + str(host.flag());
}
""", name="plugin")
    assert mod.call("run") == "42 [a, b, c] [2.0, 5.0] true"
    assert seen == ["start"]


def test_nulls_reach_the_native_as_none(make_vm):
    vm = make_vm()
    vm.define_native("host.show", lambda s, xs: f"{s!r} {xs!r}", "fn(string, int[]) -> string")
    mod = vm.load_source("import host; fn f() -> string { return host.show(null, null); }", name="m")
    assert mod.call("f") == "None None"


@pytest.mark.parametrize("exc, hl_class, message", [
    (ValueError("bad value"), "ValueError", "bad value"),
    (KeyError("k"), "IndexError", "KeyError: 'k'"),
    (ZeroDivisionError("zero"), "ArithmeticError", "ZeroDivisionError: zero"),
    (PermissionError("no"), "PermissionError", "no"),
    (RuntimeError("boom"), "Error", "RuntimeError: boom"),
    (TypeError(), "Error", "TypeError"),
])
def test_a_python_exception_becomes_an_hl_error_hl_can_catch(make_vm, exc, hl_class, message):
    vm = make_vm()

    def fail(_x):
        raise exc
    vm.define_native("host.fail", fail, "fn(int) -> int")
    mod = vm.load_source(f"""
import host;
fn guarded() -> string {{
    try {{ host.fail(1); return "not raised"; }}
    catch e: {hl_class} {{ return "caught " + e.to_string(); }}
}}
fn any() -> string {{ try {{ host.fail(1); }} catch e {{ return e.message; }} return ""; }}
""", name="m")
    assert mod.call("guarded") == f"caught {hl_class}: {message}"
    assert mod.call("any") == message


def test_uncaught_it_reaches_the_host_chained_to_the_original(make_vm):
    vm = make_vm()

    def parse_config(text):
        return int(text)                        # ValueError for "x"
    vm.define_native("host.parse", parse_config, "fn(string) -> int")
    mod = vm.load_source("""
import host;
fn load(t: string) -> int {
    return host.parse(t);
}
fn outer(t: string) -> int { return load(t) + 1; }
""", name="cfg")
    with pytest.raises(HLError) as ei:
        mod.call("outer", "x")
    err = ei.value
    assert (err.class_name, err.message) == ("ValueError", "invalid literal for int() with base 10: 'x'")
    assert err.trace == ["  at load (cfg.hl:4)", "  at outer (cfg.hl:6)"]
    original = err.__cause__
    assert isinstance(original, ValueError) and err.__suppress_context__
    # The original traceback is intact: it ends in the native's own code.
    frames = traceback.extract_tb(original.__traceback__)
    assert frames[-1].name == "parse_config"
    text = "".join(traceback.format_exception(err))
    assert "The above exception was the direct cause" in text and "at load (cfg.hl:4)" in text
    assert mod.call("outer", "41") == 42         # and the VM goes on


def test_a_bad_result_is_an_hl_error_too(make_vm):
    vm = make_vm()
    vm.define_native("host.n", lambda: "three", "fn() -> int")
    vm.define_native("host.big", lambda: 1 << 70, "fn() -> int")
    mod = vm.load_source("""
import host;
fn f() -> string { try { return str(host.n()); } catch e { return e.message; } }
fn g() -> int { return host.big(); }
""", name="m")
    assert mod.call("f") == "TypeError: expected an int, got 'three'"
    with pytest.raises(HLError) as ei:
        mod.call("g")
    assert ei.value.class_name == "ValueError" and isinstance(ei.value.__cause__, ValueError)


def test_host_base_exceptions_pass_through_and_the_vm_goes_on(make_vm):
    vm = make_vm()
    calls = []

    def stop(n):
        calls.append(n)
        if n == 3:
            raise KeyboardInterrupt
        return n
    vm.define_native("host.tick", stop, "fn(int) -> int")
    mod = vm.load_source("""
import host;
var done = 0;
fn run(n: int) -> int {
    try { for i in 0..n { host.tick(i); done += 1; } } catch e { return -1; } finally { done += 1000; }
    return done;
}
""", name="m")
    with pytest.raises(KeyboardInterrupt):
        mod.call("run", 10)
    assert calls == [0, 1, 2, 3] and mod.get("done") == 3      # no catch, no finally ran
    assert not vm.interp.frames and not vm.control.running
    calls.clear()
    assert mod.call("run", 3) == 1006


def test_natives_may_call_back_into_the_vm(make_vm):
    vm = make_vm()
    mod_box = []
    vm.define_native("host.twice", lambda n: mod_box[0].call("inc", n) * 2, "fn(int) -> int")
    mod = vm.load_source("""
import host;
fn inc(n: int) -> int { return n + 1; }
fn f(n: int) -> int { return host.twice(n) + 1; }
fn fail() -> int { return 1 / 0; }
""", name="m")
    mod_box.append(mod)
    assert mod.call("f", 4) == 11
    # An HL error of the nested call reaches the outer HL code as itself.
    vm2 = make_vm()
    box2 = []
    vm2.define_native("host.nested", lambda: box2[0].call("fail"), "fn() -> int")
    mod2 = vm2.load_source("""
import host;
fn fail() -> int { return 1 / 0; }
fn outer() -> string { try { return str(host.nested()); } catch e: ArithmeticError { return e.to_string(); } }
""", name="m")
    box2.append(mod2)
    assert mod2.call("outer") == "ArithmeticError: division by zero"


def test_a_stop_is_not_swallowed_by_a_native(make_vm):
    vm = make_vm()
    swallowed = []

    def inner():
        try:
            return mod_box[0].call("spin")
        except Interrupted as e:
            swallowed.append(e)
            return 0
    mod_box = []
    vm.define_native("host.inner", inner, "fn() -> int")
    mod = vm.load_source("""
import host;
fn spin() -> int { while true { } return 0; }
fn outer() -> int { host.inner(); while true { } return 1; }
""", name="m")
    mod_box.append(mod)
    import threading
    threading.Timer(0.2, vm.interrupt).start()
    with pytest.raises(Interrupted):              # the outer loop is stopped as well
        mod.call("outer")
    assert len(swallowed) == 1


def test_output_can_be_captured_or_redirected(make_vm):
    pieces = []
    vm = make_vm(stdout=pieces.append)
    mod = vm.load_source('fn f(n: int) { for i in 0..n { println(i); } }', name="m")
    mod.call("f", 3)
    assert "".join(pieces) == "0\n1\n2\n"
    buf = io.StringIO()
    vm2 = make_vm(stdout=buf)
    vm2.load_source('fn f() { print("x"); }', name="m").call("f")
    assert buf.getvalue() == "x"


@pytest.mark.parametrize("name, sig, error", [
    ("log", "fn(string)", "MODULE.FUNCTION"),
    ("host.", "fn(string)", "MODULE.FUNCTION"),
    ("io.log", "fn(string)", "standard library"),
    ("lang.print2", "fn(string)", "standard library"),
    ("host.f", "fn(Point)", "int, float, bool, string"),
    ("host.f", "fn(int) -> map", "int, float, bool, string"),
    ("host.f", "(Lm.Foo;)V", "int, float, bool, string"),
    ("host.f", "(LFoo;)V", "bad signature"),
    ("host.f", "fn(a: int, a: int)", "repeated"),
    ("host.f", "lambda x: x", "bad signature"),
])
def test_bad_native_declarations(make_vm, name, sig, error):
    with pytest.raises(HostSignatureError, match=error):
        make_vm().define_native(name, print, sig)


def test_natives_must_be_defined_before_their_module_loads(make_vm):
    vm = make_vm()
    vm.define_native("host.a", lambda: 1, "fn() -> int")
    vm.load_source("import host; fn f() -> int { return host.a(); }", name="m")
    with pytest.raises(ValueError, match="already loaded"):
        vm.define_native("host.b", lambda: 2, "fn() -> int")
    vm.define_native("other.b", lambda: 2, "fn() -> int")         # another module is fine
    assert vm.load_source("import other; fn g() -> int { return other.b(); }", name="n").call("g") == 2


def test_a_module_without_the_native_does_not_compile(make_vm):
    from compiler import CompileError
    vm = make_vm()
    vm.define_native("host.a", lambda: 1, "fn() -> int")
    with pytest.raises(CompileError, match="b"):
        vm.load_source("import host; fn f() -> int { return host.b(); }", name="m")


def test_hlc_modules_find_host_modules_too(make_vm, tmp_path):
    import compiler
    from hl.host import stubs
    from hlbc import write_module
    vm = make_vm()
    vm.define_native("host.k", lambda: 7, "fn() -> int")
    prog = compiler.compile_source("import host; fn f() -> int { return host.k() * 6; }", name="plug",
                                   library=True, host_modules=stubs(vm))
    data = write_module(prog.modules[-1])
    (tmp_path / "plug.hlc").write_bytes(data)
    assert vm.load_file(tmp_path / "plug.hlc").call("f") == 42
    with pytest.raises(LoadError):
        make_vm().load_file(tmp_path / "plug.hlc")          # no host module there


def test_every_standard_library_module_is_reserved_for_its_natives(make_vm):
    """A host may not define natives in any module of stdlib/ (it would
    shadow or extend the library's own)."""
    from pathlib import Path

    from hllvm.natives.host import RESERVED_MODULES
    stdlib = Path(__file__).resolve().parents[2] / "stdlib"
    modules = {p.stem for p in stdlib.glob("*.hl")}
    assert {"collections", "text", "random", "env"} <= modules <= RESERVED_MODULES
    for m in sorted(modules):
        with pytest.raises(HostSignatureError, match="standard library"):
            make_vm().define_native(f"{m}.extra", print, "fn(string)")
