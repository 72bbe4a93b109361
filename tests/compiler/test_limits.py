"""The compiler accepts only what the VM accepts: each limit of the format and
of the verifier (hlbc/limits.py) is a compile error at the source position
that goes beyond it, and a program just within it compiles and loads.

The limits that need gigabytes to reach (constants, code bytes, text bytes,
functions and classes per program) are tested with the compiler's copy of
the limit made small; the others at their real size."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

import compiler.assembler as assembler_mod
import compiler.limits as limits_mod
import compiler.pool as pool_mod
import hlbc.limits as L
from compiler import CompileError, compile_source
from hlbc import read_module, write_module
from hllvm import VM, VerifyError
from hllvm import tables as vm_tables
from hllvm.verify import flow as vflow, structure as vstructure, world as vworld

from compiler_support import errors


def loads(prog) -> None:
    VM(max_heap=1 << 30).load(prog.modules)


def compiles_and_loads(src: str) -> bool:
    """Whether the compiler accepts `src`; if it does, the VM must load it."""
    try:
        prog = compile_source(src)
    except CompileError as e:
        assert not getattr(e, "internal", False), e.format()
        return False
    loads(prog)
    return True


def test_the_limits_have_one_owner():
    assert vworld.MAX_CLASS_DEPTH is L.MAX_CLASS_DEPTH and vworld.MAX_LOCALS is L.MAX_LOCALS
    assert vflow.STEPS_PER_INSTRUCTION is L.STEPS_PER_INSTRUCTION
    assert vstructure.handler_cover_limit is L.handler_cover_limit
    assert vm_tables.MAX_FUNCTIONS is L.MAX_FUNCTIONS and vm_tables.MAX_CLASSES is L.MAX_CLASSES


# --- class hierarchy depth ---------------------------------------------------------------------

def chain(n: int) -> str:
    cls = ["class C0 { }"] + [f"class C{i} extends C{i - 1} {{ }}" for i in range(1, n)]
    return "\n".join(cls) + f"\nfn main() {{ let c = new C{n - 1}(); println(1); }}\n"


def test_class_chain_at_the_limit_compiles_and_loads():
    assert compiles_and_loads(chain(L.MAX_CLASS_DEPTH))


def test_class_chain_beyond_the_limit_is_a_compile_error_at_its_extends():
    errs = errors(chain(300))
    assert len(errs) == 1
    line, col, msg = errs[0]
    assert (line, col) == (L.MAX_CLASS_DEPTH + 1, len("class C255 extends ") + 1)
    assert "'C255' would be 256 classes deep" in msg and "at most 255" in msg


def test_depth_counts_superclasses_of_other_modules():
    # Error (lang) is the root: E1 extends Error is 2 deep.
    cls = ["class E1 extends Error { init() { super.init(\"e\"); } }"]
    cls += [f"class E{i} extends E{i - 1} {{ init() {{ super.init(); }} }}" for i in range(2, 256)]
    errs = errors("\n".join(cls) + "\nfn main() { }\n")
    assert [(line, m.split(":")[0]) for line, _, m in errs] == \
        [(255, "class 'E255' would be 256 classes deep with its superclasses")]


def test_an_inheritance_cycle_is_reported_once():
    n = 200
    cls = [f"class C{i} extends C{(i + 1) % n} {{ }}" for i in range(n)]
    errs = errors("\n".join(cls) + "\nfn main() { }\n")
    assert errs == [(1, 7, "class 'C0' inherits from itself")]


def test_a_long_cycle_becomes_a_chain_too_deep():
    n = 1000
    cls = [f"class C{i} extends C{(i + 1) % n} {{ }}" for i in range(n)]
    errs = errors("\n".join(cls) + "\nfn main() { }\n")
    assert errs[0] == (1, 7, "class 'C0' inherits from itself")
    assert [m.split(" would")[0] for _, _, m in errs[1:]] == ["class 'C235'", "class 'C490'", "class 'C745'"]


def test_a_deep_chain_is_cut_every_255_classes():
    errs = errors(chain(1000))
    assert [line for line, _, _ in errs] == [256, 511, 766]


# --- parameters, locals, operand stack ------------------------------------------------------

def test_parameters_beyond_the_local_slots():
    n = L.MAX_LOCALS + 1
    params = ", ".join(f"p{i}: int" for i in range(n))
    src = f"fn f({params}) {{ }}\nfn main() {{ }}\n"
    (line, col, msg), = errors(src)
    assert (line, col) == (1, src.index(f"p{L.MAX_LOCALS}:") + 1)
    assert msg == f"too many parameters: a function may have at most {L.MAX_LOCALS}"


def test_method_parameters_leave_a_slot_for_the_receiver():
    params = ", ".join(f"p{i}: int" for i in range(L.MAX_LOCALS))
    (_, _, msg), = errors(f"class K {{ fn m({params}) {{ }} }}\nfn main() {{ }}\n")
    assert msg == f"too many parameters: a method may have at most {L.MAX_LOCALS - 1}"


def test_locals_at_and_beyond_the_limit():
    # main has no parameters: MAX_LOCALS variables fit exactly, one more does not.
    def src(n: int) -> str:
        return "fn main() {\n" + "".join(f"let v{i} = {i};\n" for i in range(n)) + "println(v0);\n}\n"
    assert compiles_and_loads(src(L.MAX_LOCALS))
    (line, col, msg), = errors(src(L.MAX_LOCALS + 1))
    assert (line, col) == (L.MAX_LOCALS + 2, 5)
    assert msg.startswith(f"too many local variables: 'main' would need more than {L.MAX_LOCALS}")


def test_an_expression_deeper_than_the_operand_stack():
    n = L.MAX_STACK
    params = ", ".join(f"p{i}: int" for i in range(n))
    args = ", ".join("1" for _ in range(n))
    base = f"fn f({params}) -> int {{ return p0; }}\nfn main() {{\n"
    assert compiles_and_loads(base + f"    let y = f({args});\n    println(y);\n}}\n")
    (line, col, msg), = errors(base + f"    let y = 1 + f({args});\n    println(y);\n}}\n")
    assert (line, col) == (3, 5)
    assert msg == f"expression too big: 'main' would need more than {L.MAX_STACK} operand stack slots here"


# --- exception handlers ---------------------------------------------------------------------

def nested_try(depth: int, statements: int = 300) -> str:
    body = "\n".join(f"x = x + {i};" for i in range(statements))
    return ("fn main() {\nvar x = 0;\n" + "try {\n" * depth + body + "\n"
            + "} catch e { x = 1; }\n" * depth + "println(x);\n}\n")


def test_handler_coverage_agrees_with_the_verifier():
    """Near the bound, the compiler refuses exactly what the verifier would."""
    accepted = [d for d in range(28, 40) if compiles_and_loads(nested_try(d))]
    assert accepted and accepted == list(range(28, 28 + len(accepted))) and len(accepted) < 12
    first_refused = accepted[-1] + 1
    (line, col, msg), = errors(nested_try(first_refused))
    assert "try blocks nested too deeply in 'main'" in msg


def test_handler_coverage_refusal_matches_an_unchecked_compile(monkeypatch):
    """What the compiler refuses, the verifier would refuse too."""
    d = next(d for d in range(28, 60) if not _accepts(nested_try(d)))
    monkeypatch.setattr(assembler_mod, "handler_cover_limit", lambda n: 1 << 62)
    prog = compile_source(nested_try(d))        # the compiler's check switched off
    with pytest.raises(VerifyError, match="exception handlers cover too much code"):
        loads(prog)


def _accepts(src: str) -> bool:
    try:
        compile_source(src)
        return True
    except CompileError:
        return False


# --- the line table ------------------------------------------------------------------------

def test_columns_beyond_the_line_table_are_clamped():
    src = "fn main() { var s = 0;" + " s = s + 1;" * 7000 + " let a = [1]; println(a[s]); }\n"
    prog = compile_source(src)
    main = next(f for f in prog.modules[-1].functions if f.name == "main")
    assert max(e.col for e in main.lines) == L.MAX_COLUMN
    data = write_module(prog.modules[-1])          # the cache and `hll compile` write it
    assert write_module(read_module(data)) == data
    out, err = io.StringIO(), io.StringIO()
    vm = VM(stdout=out, stderr=err)
    vm.load(prog.modules)
    assert vm.run_main(prog.entry) == 1
    assert "IndexError: index 7000 out of range" in err.getvalue()


# --- limits that take gigabytes: the compiler's copy made small ------------------------------

def test_too_many_constants(monkeypatch):
    monkeypatch.setattr(pool_mod, "MAX_CONSTANTS", 40)
    src = "fn helper() { }\nfn main() {\n" + "".join(f"    println({i});\n" for i in range(100)) + "}\n"
    (line, col, msg), = errors(src)
    assert (line, col) == (2, 4)                 # the function being generated
    assert msg == "too many constants: a module may have at most 40"


def test_too_much_code(monkeypatch):
    monkeypatch.setattr(assembler_mod, "MAX_CODE_BYTES", 200)
    src = "fn main() {\n    var x = 0;\n" + "".join(f"    x = x + {i};\n" for i in range(50)) + "}\n"
    (line, col, msg), = errors(src)
    assert msg == "'main' is too long: its code would take more than 200 bytes"
    assert 3 < line < 53 and col == 5


def test_text_too_long(monkeypatch):
    monkeypatch.setattr(limits_mod, "MAX_STRING_BYTES", 40)
    (line, col, msg), = errors('fn main() {\n    println("' + "é" * 30 + '");\n}\n')
    assert (line, col) == (2, 13) and msg.startswith("string literal too long")
    (line, col, msg), = errors("fn main() {\n    let " + "v" * 50 + " = 1;\n}\n")
    assert (line, col) == (2, 9) and msg.startswith("name too long")


def test_too_many_functions_and_classes(monkeypatch):
    prelude = compile_source("fn main() { }").modules[0]
    monkeypatch.setattr(limits_mod, "MAX_FUNCTIONS", len(prelude.functions) + 5)
    src = "\n".join(f"fn f{i}() {{ }}" for i in range(10)) + "\nfn main() { }\n"
    (line, col, msg), = errors(src)
    assert (line, col) == (6, 4) and msg.startswith("function 'f5' is one too many")
    monkeypatch.setattr(limits_mod, "MAX_FUNCTIONS", L.MAX_FUNCTIONS)
    monkeypatch.setattr(limits_mod, "MAX_CLASSES", len(prelude.classes) + 2)
    (line, col, msg), = errors("class A { }\nclass B { }\nclass C { }\nfn main() { }\n")
    assert (line, col) == (3, 7) and msg.startswith("class 'C' is one too many")


# --- the command line ------------------------------------------------------------------------

def test_hll_compile_of_a_too_deep_hierarchy_exits_with_status_2(tmp_path):
    src = tmp_path / "deep.hl"
    src.write_text(chain(300))
    p = subprocess.run([sys.executable, "-m", "hll.cli", "compile", str(src), "-o", str(tmp_path / "d.hlc")],
                       capture_output=True, text=True)
    assert p.returncode == 2, p.stderr
    assert p.stderr.startswith(f"{src}:256:20: error: class 'C255' would be 256 classes deep")
    assert "Traceback" not in p.stderr


# --- the verifier's step budget ---------------------------------------------------------------

def _stress_program(depth: int) -> str:
    """Loops nested `depth` deep, each with a try/catch/finally that breaks,
    continues and returns, and locals assigned on some paths only."""
    head = "fn f(n: int) -> int {\nvar t = 0;\n"
    body = "t = t + 1;\n"
    for d in range(depth):
        body = (f"var i{d} = 0;\nwhile i{d} < n {{\n i{d} = i{d} + 1;\n let a{d} = i{d} * 2;\n"
                f" try {{\n  if a{d} > {d + 3} {{ break; }}\n  if a{d} == {d} {{ continue; }}\n"
                f"  if a{d} == {d + 1} {{ return t; }}\n  {body} }}"
                f" catch e {{ t = t - 1; }} finally {{ t = t + {d}; }}\n}}\n")
    return head + body + "return t;\n}\nfn main() { println(f(3)); }\n"


def test_compiled_code_settles_far_within_the_verifiers_step_budget(monkeypatch):
    """The data-flow pass walks compiled code a few times per instruction at
    most: at 4 walks (the VM allows STEPS_PER_INSTRUCTION = 64) a deeply
    nested function still verifies, so the compiler need not count steps."""
    monkeypatch.setattr(vflow, "STEPS_PER_INSTRUCTION", 4)
    monkeypatch.setattr(vflow, "STEPS_BASE", 0)
    for depth in (1, 8, 40):
        prog = compile_source(_stress_program(depth))
        VM().verify(prog.modules)
    assert 4 * 16 <= L.STEPS_PER_INSTRUCTION


def test_an_imported_module_name_longer_than_the_vm_resolves(tmp_path):
    from compiler import compile_program
    from hlbc.modname import MAX_NAME
    parts = ["abcdefghij"] * 26                 # 26 * 11 - 1 = 285 characters, then ".m"
    d = tmp_path.joinpath(*parts)
    d.mkdir(parents=True)
    (d / "m.hl").write_text("fn hi() -> int { return 1; }\n")
    name = ".".join(parts) + ".m"
    assert len(name) > MAX_NAME
    (tmp_path / "main.hl").write_text(f"import {name};\nfn main() {{ println(m.hi()); }}\n")
    with pytest.raises(CompileError) as ei:
        compile_program(tmp_path / "main.hl")
    (d_,) = ei.value.diagnostics
    assert (d_.line, d_.col) == (1, 1)
    assert d_.message == f"module name too long: a module name may have at most {MAX_NAME} characters, " \
                         f"this one has {len(name)}"


def test_the_writer_refuses_a_hand_built_field_beyond_its_width():
    from hlbc import model as M
    m = compile_source("fn main() { }").modules[-1]
    f = m.functions[0]
    bad = M.FunctionDesc(f.name, f.flags, f.owner, f.params, f.ret, f.locals, L.MAX_STACK + 1, f.code,
                         f.handlers, f.lines)
    m2 = M.ModuleDesc(m.name, m.source, m.imports, m.consts, m.globals, m.classes, (bad,), m.init,
                      m.source_hash)
    with pytest.raises(ValueError, match="module main: a value does not fit its field in the format"):
        write_module(m2)


def test_captured_values_per_literal():
    """CLOSURE binds at most 255 values (its count is a u8)."""
    def src(n: int) -> str:
        lets = "".join(f"let v{i} = {i};\n" for i in range(n))
        return (f"fn main() {{\n{lets}let f = fn() -> int {{ return "
                + " + ".join(f"v{i}" for i in range(n)) + "; };\nprintln(f());\n}\n")
    assert compiles_and_loads(src(L.U8_MAX))
    errs = errors(src(L.U8_MAX + 1))
    assert errs == [(L.U8_MAX + 3, 9, f"this function literal captures {L.U8_MAX + 1} values: "
                                      f"at most {L.U8_MAX} may be captured")]


def test_interfaces_a_class_reaches():
    """The verifier's bound on the interfaces a class reaches, its own and
    its superclasses' (one bound in hlbc/limits.py for both)."""
    assert limits_mod.MAX_INTERFACES == vworld.MAX_INTERFACES

    def src(n: int) -> str:
        ifaces = "".join(f"interface I{i} {{ }}\n" for i in range(n))
        half = n // 2
        return (ifaces + "class B implements " + ", ".join(f"I{i}" for i in range(half)) + " { }\n"
                + "class C extends B implements " + ", ".join(f"I{i}" for i in range(half, n)) + " { }\n"
                + "fn main() { }\n")
    n = limits_mod.MAX_INTERFACES
    assert compiles_and_loads(src(n))
    errs = errors(src(n + 1))
    assert errs == [(n + 3, 7, f"class 'C' reaches {n + 1} interfaces (its own, its superclasses' and "
                               f"those they extend): at most {n} are allowed")]
