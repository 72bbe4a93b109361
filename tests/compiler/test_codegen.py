"""Bytecode generation: module layout, lowering shapes the conventions fix,
line and handler tables, max stack, and the write → read → write round trip."""

from __future__ import annotations

import glob
from pathlib import Path


from compiler import compile_program, compile_source
from compiler_support import function_text, module_text
from hlbc import model as M
from hlbc import read_module, write_module
from hlbc.code import decode
from hlbc.opcodes import BY_NAME

BENCH = sorted(glob.glob(str(Path(__file__).resolve().parents[2] / "bench" / "programs" / "*.hl")))


def entry(src: str) -> M.ModuleDesc:
    return compile_source(src).modules[-1]


def fn(mod: M.ModuleDesc, name: str, owner: str | None = None) -> M.FunctionDesc:
    for f in mod.functions:
        if f.name == name and (owner is None or (f.owner != M.NO_INDEX and mod.classes[f.owner].name == owner)):
            return f
    raise KeyError(name)


def ops(f: M.FunctionDesc) -> list[str]:
    return [i.op.name for i in decode(f.code)]


def test_bench_programs_compile_and_round_trip():
    assert BENCH, "bench programs not found"
    for path in BENCH:
        prog = compile_program(path)
        assert prog.entry == Path(path).stem
        assert prog.modules[0].name == "lang" and prog.modules[-1].name == prog.entry
        for mod in prog.modules:
            data = write_module(mod)
            back = read_module(data)
            assert back == mod
            assert write_module(back) == data


def test_program_api(tmp_path):
    (tmp_path / "util").mkdir()
    (tmp_path / "util" / "text.hl").write_text("import math;\nfn twice(s: string) -> string { return s + s; }\n")
    main = tmp_path / "prog.hl"
    main.write_text("import util.text as t;\nfn main() { println(t.twice(\"a\")); }\n")
    prog = compile_program(main)
    assert [m.name for m in prog.modules] == ["lang", "math", "util.text", "prog"]
    assert prog.entry == "prog"
    import hashlib
    for p, h in prog.sources.items():
        assert hashlib.sha256(Path(p).read_bytes()).hexdigest() == h
    assert str(main.resolve()) in prog.sources and len(prog.sources) == 4
    mods = {m.name: m for m in prog.modules}
    assert mods["prog"].imports == ("lang", "util.text")
    assert mods["util.text"].imports == ("lang", "math")
    assert mods["lang"].imports == ()
    assert mods["util.text"].source == "util/text.hl" and mods["prog"].source == "prog.hl"
    assert mods["prog"].source_hash == hashlib.sha256(main.read_bytes()).digest()


def test_classes_vtables_and_inits():
    mod = entry("""
class A { x: int; fn f() -> int { return 1; } fn g() -> int { return 2; } }
class B extends A { y: float; fn g() -> int { return 3; } fn h() { } }
class C extends B { init(n: int) { super.init(); } }
fn main() { }
""")
    a, b, c = mod.classes
    cls = lambda i: mod.consts[i].value
    assert a.super == M.NO_INDEX and cls(b.super) == ("main", "A") and cls(c.super) == ("main", "B")
    assert [f.name for f in b.fields] == ["y"] and [f.type for f in a.fields] == ["I"]
    assert [(s.name, cls(s.impl)[1]) for s in a.vtable] == [("f", "A"), ("g", "A")]
    assert [(s.name, cls(s.impl)[1]) for s in b.vtable] == [("f", "A"), ("g", "B"), ("h", "B")]
    assert [(s.name, cls(s.impl)[1]) for s in c.vtable] == [("f", "A"), ("g", "B"), ("h", "B")]
    assert [n for n, _ in b.methods] == ["g", "h"]
    for k in (a, b, c):
        init = mod.functions[k.init]
        assert init.name == "init" and init.flags == M.F_METHOD | M.F_INIT and init.ret == "V"
    # A's synthesized init has no superclass to call; B's calls A's.
    assert ops(mod.functions[a.init]) == ["RET"]
    assert ops(mod.functions[b.init]) == ["LOAD", "CALLSPECIAL", "RET"]
    assert mod.functions[c.init].params == ("I",) and mod.functions[c.init].locals[:2] == ("Lmain.C;", "I")


def test_module_init_and_globals():
    mod = entry("let A: int = 2;\nvar b = A * 3;\nvar c: float;\nfn main() { }")
    assert [(g.name, g.type, g.flags) for g in mod.globals] == [("A", "I", M.G_CONST), ("b", "I", 0), ("c", "F", 0)]
    init = mod.functions[mod.init]
    assert init.name == "$init" and init.flags == M.F_MODINIT and init.signature == "()V"
    assert ops(init) == ["ICONST", "GSET", "GGET", "ICONST", "IMUL", "GSET", "RET"]
    assert entry("fn main() { }").init == M.NO_INDEX


def test_natives_in_stdlib():
    prog = compile_source("import math;\nfn main() { let x = math.sqrt(2.0); }")
    math = prog.modules[1]
    sqrt = fn(math, "sqrt")
    assert sqrt.flags == M.F_NATIVE and sqrt.code == b"" and sqrt.signature == "(F)F"
    main = fn(prog.modules[-1], "main")
    calls = [(i.op.name, prog.modules[-1].consts[i.args[0]].value) for i in decode(main.code) if i.op.name == "CALL"]
    assert calls == [("CALL", ("math", "sqrt", "(F)F"))]
    lang = prog.modules[0]
    assert fn(lang, "_class_name").flags == M.F_NATIVE


def test_new_and_calls():
    mod = entry("""
class P { init(a: int) { } fn m(x: float) -> float { return x; } }
class Q extends P { init() { super.init(1); } fn m(x: float) -> float { return super.m(x); } }
fn main() { let p: P = new Q(); p.m(1.0); }
""")
    main = fn(mod, "main")
    assert ops(main) == ["NEW", "DUP", "CALLSPECIAL", "STORE", "LOAD", "FCONST", "CALLVIRT", "POP", "RET"]
    text = function_text(mod, main)
    assert "CALLSPECIAL  main.Q.init:()V" in text and "CALLVIRT     main.P.m:(F)F" in text
    qm = function_text(mod, fn(mod, "m", "Q"))
    assert "CALLSPECIAL  main.P.m:(F)F" in qm


def test_compound_assignment_evaluates_target_once():
    mod = entry("class P { x: int; }\nfn main() { let a = [1]; a[0] += 2; let p = new P(); p.x *= 3; var s = \"a\"; s += 1; }")
    o = ops(fn(mod, "main"))
    i = o.index("DUP2")
    assert o[i:i + 5] == ["DUP2", "IALOAD", "ICONST", "IADD", "IASTORE"]
    j = o.index("GETFIELD")
    assert o[j - 1:j + 4] == ["DUP", "GETFIELD", "ICONST", "IMUL", "PUTFIELD"]
    assert o[-6:] == ["LOAD", "ICONST", "ITOS", "CONCAT", "STORE", "RET"]


def test_for_range_evaluates_bounds_once():
    mod = entry("fn n() -> int { return 3; }\nfn main() { for i in 0..n() { println(i); } }")
    o = ops(fn(mod, "main"))
    assert o.count("CALL") == 1
    # test at the bottom: one conditional branch per iteration
    assert o[-5:] == ["LOAD", "LOAD", "ILT", "JT", "RET"]


def test_short_circuit():
    mod = entry("fn f() -> bool { return true; }\nfn main() { let a = f() && f() || f(); if f() && !f() { } }")
    o = ops(fn(mod, "main"))
    assert "NOT" not in o and o.count("JF") + o.count("JT") >= 4


def test_str_helpers_for_arrays():
    mod = entry("class K { }\nfn main() { println([[1]]); println([new K()]); println(str([\"a\"])); let e: float[] = []; println(e); }")
    names = [f.name for f in mod.functions]
    assert {"$str_AAI", "$str_AI", "$str_ALmain$K$", "$str_AS", "$str_AF"} <= set(names)
    f = fn(mod, "$str_AAI")
    assert f.signature == "([[I)S"
    assert "CALL         main.$str_AI:([I)S" in function_text(mod, f)
    assert "TOSTR_OBJ" in ops(fn(mod, "$str_ALmain$K$"))


def test_exception_tables():
    mod = entry("""
fn main() {
    try {
        try { println(1); } catch e: IndexError { println(2); }
    } catch e: ValueError { println(3); } catch e { println(4); } finally { println(5); }
}
""")
    f = fn(mod, "main")
    klass = lambda h: "any" if h.klass == M.NO_INDEX else mod.consts[h.klass].value[1]
    kinds = [klass(h) for h in f.handlers]
    assert kinds[0] == "IndexError"                      # innermost first
    assert kinds[1:3] == ["ValueError", "any"]            # then the outer catches, in order
    assert kinds[-1] == "any"                             # the finally's catch-all covers the catches too
    pcs = {i.pc for i in decode(f.code)}
    for h in f.handlers:
        assert h.start < h.end and {h.start, h.handler} <= pcs and (h.end in pcs or h.end == len(f.code))
    # the finally body is compiled once: the normal exits and the catch-all jump to it
    assert function_text(mod, f).count("SCONST       '5'") == 0
    assert ops(f).count("CALLNATIVE") == 5


def test_finally_is_outside_its_own_handlers():
    mod = entry("fn main() { while true { try { break; } catch e { println(1); } finally { println(2); } } }")
    f = fn(mod, "main")
    ins = decode(f.code)
    calls = [i.pc for i in ins if i.op.name == "CALLNATIVE"]
    assert len(calls) == 2                  # println(1) in the catch, the one copy of println(2)
    body_ranges = [(h.start, h.end) for h in f.handlers]
    assert not any(s <= calls[1] < e for s, e in body_ranges), function_text(mod, f)


def test_return_through_finally_uses_a_temporary():
    mod = entry("fn f() -> int { try { return 1; } finally { println(0); } }\nfn main() { }")
    f = fn(mod, "f")
    o = ops(f)
    # the exception and returned value locals are set before the try, so the
    # dispatch after the finally reads assigned locals on every path
    assert o[:4] == ["NULL", "STORE", "ICONST", "STORE"] and "RETV" in o
    assert o[o.index("RETV") - 1] == "LOAD"
    assert o.count("CALLNATIVE") == 1


def test_finally_nested_in_finally_is_compiled_once_per_level():
    def code_size(depth: int) -> int:
        def fin(k: int) -> str:
            return "x = x + 1;" if k == 0 else f"try {{ x = x + 1; }} finally {{ {fin(k - 1)} }}"
        mod = entry(f"fn main() {{ var x = 0; {fin(depth)} println(x); }}")
        return len(fn(mod, "main").code)
    small, big = code_size(10), code_size(20)
    assert big < 3 * small      # linear in the depth (copies onto each exit doubled it per level)


def test_line_table():
    mod = entry("fn main() {\n  let a = 1;\n\n  println(a +\n    2);\n}")
    f = fn(mod, "main")
    lines = [(e.line, e.col) for e in f.lines]
    assert lines[0] == (2, 3) and (4, 3) in lines and any(l == 5 for l, _ in lines)
    assert [e.pc for e in f.lines] == sorted(e.pc for e in f.lines)


def test_max_stack_and_locals():
    mod = entry("fn main() { let a = [1, 2, 3]; a[0] += a[1] * (a[2] + 1); }")
    f = fn(mod, "main")
    assert f.max_stack == 6
    assert f.locals == ("[I",)


def test_local_slots_are_reused_by_type():
    mod = entry("fn main() { { let a = 1; } { let b = 2; } { let c = 1.0; } { let d = \"s\"; } }")
    assert fn(mod, "main").locals == ("I", "F", "S")


def test_unreachable_code_is_dropped():
    mod = entry("fn f() -> int { return 1; println(2); return 3; }\nfn main() { while true { break; println(1); } }")
    assert ops(fn(mod, "f")) == ["ICONST", "RETV"]
    assert ops(fn(mod, "main")) == ["JMP", "RET"]
    mod = entry("fn main() { while false { println(1); } if false { println(2); } }")
    assert "CALLNATIVE" not in ops(fn(mod, "main"))


def test_constant_pool_dedupes():
    mod = entry("fn main() { let a = 7; let b = 7; let c = -0.0; let d = 0.0; let s = \"x\"; let t = \"x\"; }")
    kinds = [(c.kind, repr(c.value)) for c in mod.consts]
    assert len(kinds) == len(set(kinds))
    assert (M.K_FLOAT, "-0.0") in kinds and (M.K_FLOAT, "0.0") in kinds


def test_disassembly_of_every_function_is_well_formed():
    for path in BENCH:
        prog = compile_program(path)
        for mod in prog.modules:
            module_text(mod)          # decodes every function and resolves every constant
            for f in mod.functions:
                if f.flags & (M.F_NATIVE | M.F_ABSTRACT):
                    continue
                ins = decode(f.code)
                assert BY_NAME[ins[-1].op.name].flow in ("jump", "return", "throw")
