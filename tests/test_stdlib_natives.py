"""The library's natives at the Python level: the format engine of `text`
(hllvm/natives/textfmt.py), `env.get` and its grant, `eprintln`, the `io`
additions and `io.IOError`, and the collections' storage natives.
Behaviour seen from HL programs is in tests/conformance/library/."""

from __future__ import annotations

import io
import os

import pytest

from hl import VM, HLError
from hllvm.natives import textfmt as T


# --- the format engine -------------------------------------------------------------------

def fmt(spec, v):
    sp = T.parse_spec(spec)
    if isinstance(v, bool) or isinstance(v, str):
        return T.format_text(sp, "true" if v is True else "false" if v is False else v)
    return (T.format_int if isinstance(v, int) else T.format_float)(sp, v)


@pytest.mark.parametrize("spec,v,out", [
    ("", 42, "42"), (">8", 42, "      42"), ("<5", 7, "7    "), ("^7", 1, "   1   "),
    ("08", -42, "-0000042"), ("+", 5, "+5"), ("+", -5, "-5"), ("x", 255, "ff"), ("X", 255, "FF"),
    ("#x", 255, "0xff"), ("#010b", 5, "0b00000101"), ("o", 8, "10"), ("x", -1, "ffffffffffffffff"),
    ("", -9223372036854775808, "-9223372036854775808"), ("*^9", 42, "***42****"),
    ("", 0.1, "0.1"), ("", 1e100, "1e+100"), (".3", 2.0 / 3.0, "0.667"), ("08.3", -3.14159, "-003.142"),
    (".9", 0.1, "0.100000000"), (".0", 2.5, "2"), (".0", 3.5, "4"), ("e", 1234.5, "1.234500e+03"),
    (".2e", 1234.5, "1.23e+03"), (".2E", 1234.5, "1.23E+03"), (">8.1", float("inf"), "     inf"),
    ("08.1", float("-inf"), "    -inf"), (".2", float("nan"), "nan"), ("+.1", 0.0, "+0.0"),
    (".1", -0.0, "-0.0"), ("", -0.0, "-0.0"),
    ("", "abc", "abc"), (">5", "ab", "   ab"), ("^6", "ab", "  ab  "), ("^5", "ab", " ab  "),
    (".2", "hello", "he"), ("-<6.3", "hello", "hel---"), ("", True, "true"), (">6", False, " false"),
    ("3", "long", "long"),
])
def test_format_spec(spec, v, out):
    assert fmt(spec, v) == out


@pytest.mark.parametrize("spec,v", [
    (".2", 5), ("e", 5), ("#", 5), ("x", 1.5), ("#.2", 1.5), ("08", "s"), ("+", "s"), ("x", "s"),
])
def test_format_spec_that_does_not_fit_its_value(spec, v):
    with pytest.raises(ValueError):
        fmt(spec, v)


@pytest.mark.parametrize("spec", ["<<<", ".", "5x5", "1234567890", ".1234567890", "z", ">+#08.3xq"])
def test_malformed_spec(spec):
    with pytest.raises(ValueError):
        T.parse_spec(spec)


def test_parse_format():
    assert T.parse_format("") == [""]
    assert T.parse_format("a{}b{:>3}c") == ["a", "", "b", ">3", "c"]
    assert T.parse_format("{{x}} {}") == ["{x} ", "", ""]
    assert T.parse_format("{:}") == ["", "", ""]
    for bad in ("{", "}", "{0}", "{x}", "a}b", "{:q}", "{:>"):
        with pytest.raises(ValueError):
            T.parse_format(bad)


# --- through a VM ---------------------------------------------------------------------------

def call(src, fn, *args, **opts):
    vm = VM(stdout=io.StringIO(), stderr=io.StringIO(), **opts)
    return vm.load_source(src, name="p").call(fn, *args)


ENV_SRC = """
import env;
fn get(name: string) -> string { return env.get(name); }
fn denied(name: string) -> string {
    try { env.get(name); } catch e: PermissionError { return e.message; }
    return "granted";
}
"""


def make_env_vm(grant):
    vm = VM(stdout=io.StringIO(), stderr=io.StringIO())
    vm.allow_env = grant        # the grant (hllvm/natives/environ.py): names, or "*"
    return vm, vm.load_source(ENV_SRC, name="p")


def test_env_needs_a_grant(monkeypatch):
    monkeypatch.setenv("HL_TEST_VAR", "value")
    assert call(ENV_SRC, "denied", "HL_TEST_VAR") == "environment access to 'HL_TEST_VAR' denied"
    # Unset variables are refused too: a program cannot probe what exists.
    monkeypatch.delenv("HL_TEST_UNSET", raising=False)
    assert call(ENV_SRC, "denied", "HL_TEST_UNSET").endswith("denied")


def test_env_by_name_and_all(monkeypatch):
    monkeypatch.setenv("HL_TEST_VAR", "välue")
    monkeypatch.setenv("HL_OTHER", "x")
    monkeypatch.delenv("HL_TEST_UNSET", raising=False)
    _, m = make_env_vm(("HL_TEST_VAR", "HL_TEST_UNSET"))
    assert m.call("get", "HL_TEST_VAR") == "välue"
    assert m.call("get", "HL_TEST_UNSET") is None
    assert m.call("denied", "HL_OTHER").endswith("denied")
    _, m = make_env_vm(("*",))
    assert m.call("get", "HL_OTHER") == "x"


def test_env_invalid_names():
    _, m = make_env_vm(("*",))
    for bad in ("", "A=B", "A\0B"):
        with pytest.raises(HLError) as e:
            m.call("get", bad)
        assert e.value.class_name == "ValueError"


def test_eprintln_writes_a_line_to_stderr_after_stdout_is_flushed():
    out, err = io.StringIO(), io.StringIO()
    seen = []

    class Err(io.StringIO):
        def write(self, s):
            seen.append(out.getvalue())         # what stdout held when stderr was written
            return super().write(s)
    err = Err()
    vm = VM(stdout=out, stderr=err)
    vm.load_source("fn f() { println(\"out\"); }", name="p").call("f")
    e = vm.native("lang.eprintln", "(S)V")
    e.call(vm.heap.new_str("to stderr"))
    e.call(0)
    assert err.getvalue() == "to stderr\nnull\n"
    assert seen[0] == "out\n"


def test_eprintln_counts_against_the_output_limit():
    from hl import ResourceExhausted
    vm = VM(stdout=io.StringIO(), stderr=io.StringIO(), max_output=10)
    vm.define_native("host.spam", lambda: vm.native("lang.eprintln", "(S)V").call(vm.heap.new_str("x" * 20)),
                     "fn()")
    m = vm.load_source("import host;\nfn f() { host.spam(); }", name="p")
    with pytest.raises(ResourceExhausted):
        m.call("f")


IO_SRC = """
import io;
fn exists(p: string) -> bool { return io.exists(p); }
fn is_dir(p: string) -> bool { return io.is_dir(p); }
fn list(p: string) -> string { return ",".join(io.list_dir(p)); }
fn append(p: string, s: string) { io.append_file(p, s); }
fn lines(p: string, a: string, b: string) { io.write_lines(p, [a, b]); }
fn nulls(p: string) { let xs: string[] = ["a", null]; io.write_lines(p, xs); }
fn error_of(p: string) -> string {
    try { io.read_file(p); } catch e: io.IOError { return "IOError " + e.message; } catch e { return str(e); }
    return "read";
}
"""


@pytest.fixture
def io_mod(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    vm = VM(stdout=io.StringIO(), stderr=io.StringIO(), allow_read=[str(d)], allow_write=[str(d)])
    return d, vm.load_source(IO_SRC, name="p")


def test_io_additions(io_mod):
    d, m = io_mod
    (d / "b.txt").write_text("x")
    (d / "a").mkdir()
    (d / "é").write_text("")
    assert m.call("exists", str(d / "b.txt")) and not m.call("exists", str(d / "none"))
    assert m.call("is_dir", str(d / "a")) and not m.call("is_dir", str(d / "b.txt"))
    assert m.call("list", str(d)) == "a,b.txt,é"
    m.call("append", str(d / "b.txt"), "yz")
    m.call("append", str(d / "new.txt"), "n")
    assert (d / "b.txt").read_text() == "xyz" and (d / "new.txt").read_text() == "n"
    m.call("lines", str(d / "l.txt"), "one", "two")
    assert (d / "l.txt").read_bytes() == b"one\ntwo\n"
    with pytest.raises(HLError) as e:
        m.call("nulls", str(d / "l.txt"))
    assert e.value.class_name == "NullError"
    assert (d / "l.txt").read_bytes() == b"one\ntwo\n"        # refused before anything is written


def test_io_errors_are_io_errors(io_mod, tmp_path):
    d, m = io_mod
    assert m.call("error_of", str(d / "missing")).startswith("IOError cannot read")
    assert m.call("error_of", str(d)).endswith("it is a directory (only regular files can be read)")
    assert m.call("error_of", str(tmp_path / "outside")).startswith("PermissionError")
    with pytest.raises(HLError) as e:
        m.call("list", str(d / "missing"))
    assert e.value.class_name == "IOError"
    for fn in ("exists", "is_dir", "list"):
        with pytest.raises(HLError) as e:
            m.call(fn, str(tmp_path))
        assert e.value.class_name == "PermissionError"


def test_io_write_needs_the_write_grant(tmp_path):
    vm = VM(stdout=io.StringIO(), stderr=io.StringIO(), allow_read=[str(tmp_path)])
    m = vm.load_source(IO_SRC, name="p")
    for fn, args in (("append", ("x",)), ("lines", ("a", "b"))):
        with pytest.raises(HLError) as e:
            m.call(fn, str(tmp_path / "f"), *args)
        assert e.value.class_name == "PermissionError"
    assert not os.path.exists(tmp_path / "f")
