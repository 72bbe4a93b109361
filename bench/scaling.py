"""How the cost of each operation grows with its input: compiling, reading,
verifying, linking and disassembling big modules, and the run-time
operations whose input is a big string or array.

Each operation runs at sizes n, 2n, 4n, 8n (the median of `--repeat` runs
each, after a collection, with its input made beforehand and not timed;
Python's cyclic collector is paused while it runs unless `--with-gc`, see
WITH_GC).  The table gives the seconds and the ratio per doubling; an
operation whose cost grows faster than n log n fails: its growth over the
last two doublings, (t(8n) / t(2n)) ** (1/2), is above `--limit` (2.6 by
default: n log n gives about 2.2 at these sizes, a quadratic cost 4).  Sizes
start where the fixed costs no longer dominate, so a linear operation shows
about 2.  A failing operation is measured once more, with more repeats,
before it is reported (the machine may be busy).  The exit status is 1 if
any operation fails.

    python bench/scaling.py                 # every operation, full sizes
    python bench/scaling.py --quick         # small sizes (tests/test_scaling.py)
    python bench/scaling.py compile.functions run.str_int_array

Not measured: HL code that builds a string by `+=` in a loop, which copies
the text so far each time (quadratic in HL as in Java; use `join`).

It owns nothing of HL: it times the public entry points of the compiler,
hlbc and the VM on generated programs.
"""

from __future__ import annotations

import argparse
import gc
import io
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compiler import compile_source                   # noqa: E402
from hlbc import read_module, write_module             # noqa: E402
from hlbc.disasm import disassemble                    # noqa: E402
from hllvm import VM                                   # noqa: E402

LIMIT = 2.6
DOUBLINGS = 3
# Python's cyclic collector runs during the timed run only with --with-gc: its
# full collections walk every object alive, so an operation that builds many
# (loading a big module) pays a cost that is amortised linear but comes in
# steps, which blur the ratios at these sizes.  Off, the table shows the
# operation's own growth (the compiler pauses the collector itself).
WITH_GC = [False]


# --- generated programs ------------------------------------------------------------------
# Each takes a size and returns HL source text.

def src_functions(n: int) -> str:
    fns = [f"fn f{i}(a: int, b: int) -> int {{\n    var x = a * {i} + b;\n"
           f"    if x > 10 {{ x = x - 1; }} else {{ x = x + 2; }}\n    return x;\n}}\n" for i in range(n)]
    return "".join(fns) + "fn main() { println(f0(2, 3)); }\n"


def src_statements(n: int) -> str:
    body = "".join(f"    x = x + {i} * y;\n    if x > {i} {{ y = y - 1; }}\n" for i in range(n))
    return f"fn main() {{\n    var x = 0;\n    var y = 1;\n{body}    println(x);\n}}\n"


def src_constants(n: int) -> str:
    body = "".join(f'    x = x + {i * 7919};\n    s = "k{i}";\n' for i in range(n))
    return f'fn main() {{\n    var x = 0;\n    var s = "";\n{body}    println(s + str(x));\n}}\n'


def src_classes(n: int) -> str:
    cls = [f"class C{i} {{\n    v: int;\n    init(v: int) {{ self.v = v; }}\n"
           f"    fn get() -> int {{ return self.v + {i}; }}\n}}\n" for i in range(n)]
    return "".join(cls) + "fn main() { println(new C0(1).get()); }\n"


def src_subclasses(n: int) -> str:
    """n classes: a chain of 32, and the others each extending one of them
    (the verifier bounds a hierarchy's depth)."""
    cls = ["class C0 { v: int; fn get() -> int { return self.v; } }\n"]
    cls += [f"class C{i} extends C{i - 1 if i < 32 else i % 32} {{\n"
            f"    fn get() -> int {{ return {i}; }}\n}}\n" for i in range(1, n)]
    return "".join(cls) + "fn main() { println(new C1().get()); }\n"


def src_globals(n: int) -> str:
    return "".join(f"var g{i} = {i};\n" for i in range(n)) + f"fn main() {{ println(g0 + g{n - 1}); }}\n"


def src_fields(n: int) -> str:
    """A class of n fields, a subclass, and a method that reads them all."""
    fields = "".join(f"    f{i}: int;\n" for i in range(n))
    total = " + ".join(f"self.f{i}" for i in range(0, n, 64))
    return (f"class A {{\n{fields}    fn sum() -> int {{ return {total}; }}\n}}\n"
            "class B extends A { g: int; }\nfn main() { println(new B().sum()); }\n")


def src_methods(n: int) -> str:
    """A class of n methods and a subclass overriding every other one."""
    base = "".join(f"    fn m{i}() -> int {{ return {i}; }}\n" for i in range(n))
    sub = "".join(f"    fn m{i}() -> int {{ return {i + 1}; }}\n" for i in range(0, n, 2))
    return f"class A {{\n{base}}}\nclass B extends A {{\n{sub}}}\nfn main() {{ println(new B().m0()); }}\n"


def src_locals(n: int) -> str:
    body = "".join(f"    let v{i} = {i};\n" for i in range(n))
    return f"fn main() {{\n{body}    println(v0 + v{n - 1});\n}}\n"


def src_literal(n: int) -> str:
    """A string literal of n KiB."""
    return 'fn main() {\n    let s = "' + "abcdefghijklmnop" * (64 * n) + '";\n    println(s.length);\n}\n'


def src_escapes(n: int) -> str:
    """A string literal of n KiB of escapes and plain text."""
    return 'fn main() {\n    let s = "' + "ab\\ncd\\t\\u{e9}g" * (64 * n) + '";\n    println(s.length);\n}\n'


def src_long_line(n: int) -> str:
    """One line of n statements."""
    return "fn main() { var s = 0;" + " s = s + 1;" * n + " println(s); }\n"


def src_nesting(n: int) -> str:
    """Blocks nested n deep."""
    opens = "".join(f"if x > {i} {{ x = x - 1;\n" for i in range(n))
    return f"fn main() {{\n    var x = {n * 2};\n{opens}{'}' * n}\n    println(x);\n}}\n"


def src_expression(n: int) -> str:
    """One expression of n terms."""
    return "fn main() {\n    let x = 1;\n    let y = " + " + ".join(["x"] * n) + ";\n    println(y);\n}\n"


def src_finally_nesting(n: int) -> str:
    """A `finally` nested in a `finally`, n deep."""
    fin = "x = x + 1;"
    for _ in range(n):
        fin = f"try {{ x = x + 1; if x > 100 {{ return; }} }} finally {{ {fin} }}"
    return f"fn main() {{\n    var x = 0;\n    {fin}\n    println(x);\n}}\n"


def src_try(n: int) -> str:
    """n statements, each in its own try/catch/finally."""
    body = "".join(f"    try {{ x = x + {i}; }} catch e {{ x = 0; }} finally {{ y = y + 1; }}\n" for i in range(n))
    return f"fn main() {{\n    var x = 0;\n    var y = 0;\n{body}    println(x + y);\n}}\n"


# Programs whose size is a run-time argument (args[0]).
RUN_PROGRAMS = {
    "str_int_array": "let a = new int[n]; let s = str(a); println(s.length);",
    "str_string_array": 'let a = new string[n]; a[0] = "x"; println(str(a).length);',
    "str_nested_array": "let a = new int[n][]; for i in 0..n { a[i] = [i, i]; } println(str(a).length);",
    "str_object_array": "let a = new P[n]; for i in 0..n { a[i] = new P(); } println(str(a).length);",
    "println_array": "let a = new float[n]; println(a);",
    "split": 'let s = "ab,".repeat(n); println(s.split(",").length);',
    "replace": 'let s = "ab,".repeat(n); println(s.replace(",", ";;").length);',
    "join": 'let a = new string[n]; for i in 0..n { a[i] = "ab"; } println(",".join(a).length);',
    "code_at_scan": 'let s = "abc".repeat(n); var t = 0; for i in 0..s.length { t += s.code_at(i); } println(t);',
    "index_scan": 'let s = "abc".repeat(n); var t = 0; for i in 0..s.length { t += s[i].length; } println(t);',
}


def run_source(body: str) -> str:
    return ("class P { fn to_string() -> string { return \"p\"; } }\n"
            f"fn main(args: string[]) {{\n    let n = parse_int(args[0]);\n    {body}\n}}\n")


# --- operations ----------------------------------------------------------------------------
# name → (base size, quick base size, prepare(n) → a callable to time).

_compiled: dict = {}


def _program(shape, n: int):
    """The program `shape(n)`, compiled once for the operations that read it
    (the last few are kept: the biggest take a few hundred MB)."""
    key = (shape.__name__, n)
    if key not in _compiled:
        if len(_compiled) >= 4:
            del _compiled[next(iter(_compiled))]
        _compiled[key] = compile_source(shape(n), name="bench")
    return _compiled[key]


def compile_op(shape):
    def prepare(n: int):
        text = shape(n)
        return lambda: compile_source(text, name="bench")
    return prepare


def write_op(shape):
    def prepare(n: int):
        m = _program(shape, n).modules[-1]
        return lambda: write_module(m)
    return prepare


def read_op(shape):
    def prepare(n: int):
        data = write_module(_program(shape, n).modules[-1])
        return lambda: read_module(data)
    return prepare


def verify_op(shape):
    def prepare(n: int):
        mods = _program(shape, n).modules
        vm = VM()
        return lambda: vm.verify(mods)
    return prepare


def load_op(shape):
    """Verify and link, into a new VM (with room for a big program: the load
    budget is a quarter of the heap limit)."""
    def prepare(n: int):
        mods = _program(shape, n).modules
        vm = VM(max_heap=1 << 30)
        return lambda: vm.load(mods)
    return prepare


def disasm_op(shape):
    def prepare(n: int):
        m = _program(shape, n).modules[-1]
        return lambda: disassemble(m)
    return prepare


def run_op(name: str):
    """main(n) of a program from RUN_PROGRAMS, in a new VM with the program loaded."""
    prog = []

    def prepare(n: int):
        if not prog:
            prog.append(compile_source(run_source(RUN_PROGRAMS[name]), name="bench"))
        vm = VM(max_heap=1 << 30, stdout=io.StringIO())
        vm.load(prog[0].modules)

        def run():
            status = vm.run_main("bench", [str(n)])
            if status:
                raise RuntimeError(f"run.{name} ended with status {status}")
        return run
    return prepare


OPS = {
    "compile.functions": (1000, 250, compile_op(src_functions)),
    "compile.statements": (2000, 250, compile_op(src_statements)),
    "compile.constants": (2000, 500, compile_op(src_constants)),
    "compile.classes": (500, 125, compile_op(src_classes)),
    "compile.subclasses": (500, 125, compile_op(src_subclasses)),
    "compile.locals": (4000, 1000, compile_op(src_locals)),
    "compile.globals": (2000, 500, compile_op(src_globals)),
    "compile.fields": (2000, 500, compile_op(src_fields)),
    "compile.methods": (1000, 250, compile_op(src_methods)),
    "compile.string_literal": (512, 128, compile_op(src_literal)),
    "compile.escapes": (128, 32, compile_op(src_escapes)),
    "compile.long_line": (2000, 500, compile_op(src_long_line)),
    "compile.nesting": (100, 50, compile_op(src_nesting)),
    "compile.expression": (250, 100, compile_op(src_expression)),
    "compile.try": (500, 125, compile_op(src_try)),
    "compile.finally_nesting": (16, 4, compile_op(src_finally_nesting)),
    "write.functions": (2000, 500, write_op(src_functions)),
    "read.functions": (2000, 500, read_op(src_functions)),
    "read.statements": (4000, 1000, read_op(src_statements)),
    "read.constants": (4000, 1000, read_op(src_constants)),
    "verify.functions": (2000, 500, verify_op(src_functions)),
    "verify.statements": (4000, 1000, verify_op(src_statements)),
    "verify.classes": (1000, 250, verify_op(src_classes)),
    "verify.try": (1000, 250, verify_op(src_try)),
    "verify.subclasses": (2000, 500, verify_op(src_subclasses)),
    "load.functions": (2000, 500, load_op(src_functions)),
    "load.statements": (4000, 1000, load_op(src_statements)),
    "load.constants": (4000, 1000, load_op(src_constants)),
    "load.subclasses": (2000, 500, load_op(src_subclasses)),
    "load.globals": (4000, 1000, load_op(src_globals)),
    "load.fields": (4000, 1000, load_op(src_fields)),
    "load.methods": (2000, 500, load_op(src_methods)),
    "disasm.functions": (2000, 500, disasm_op(src_functions)),
    "disasm.statements": (4000, 1000, disasm_op(src_statements)),
    **{f"run.{name}": (base, base // 4, run_op(name)) for name, base in (
        ("str_int_array", 20000), ("str_string_array", 20000), ("str_nested_array", 5000),
        ("str_object_array", 5000), ("println_array", 20000), ("split", 50000),
        ("replace", 50000), ("join", 20000), ("code_at_scan", 5000), ("index_scan", 5000))},
}

# The subset tests/test_scaling.py runs: one of each kind, and each operation
# that was quadratic once.
QUICK = ["compile.statements", "compile.string_literal", "compile.finally_nesting", "read.functions",
         "verify.functions", "disasm.functions", "run.str_int_array", "run.str_nested_array",
         "run.println_array", "run.split", "run.join"]


# --- measuring ------------------------------------------------------------------------------

def _median_time(prepare, n: int, repeat: int) -> float:
    """The median of `repeat` runs, each prepared anew (untimed)."""
    times = []
    for _ in range(repeat):
        fn = prepare(n)
        gc.collect()
        if not WITH_GC[0]:
            gc.disable()
        try:
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        finally:
            gc.enable()
    return statistics.median(times)


def measure(name: str, base: int, repeat: int) -> tuple[list[int], list[float]]:
    prepare = OPS[name][2]
    sizes = [base << k for k in range(DOUBLINGS + 1)]
    return sizes, [_median_time(prepare, n, repeat) for n in sizes]


def growth(times: list[float]) -> float:
    """The ratio per doubling over the last two doublings."""
    return math.sqrt(times[-1] / max(times[-3], 1e-9))


def check(names, quick: bool, repeat: int, limit: float, out=sys.stdout) -> list[str]:
    """Measure each operation, print its row; the names of those that fail."""
    failed = []
    print(f"{'operation':<26} {'sizes':<24} {'seconds':<36} {'ratio per doubling':<22} growth", file=out)
    for name in names:
        base = OPS[name][1] if quick else OPS[name][0]
        sizes, times = measure(name, base, repeat)
        g = growth(times)
        if g > limit:                       # once more, before blaming the code
            sizes, times = measure(name, base, repeat + 2)
            g = growth(times)
        verdict = "ok" if g <= limit else "TOO STEEP"
        if g > limit:
            failed.append(name)
        ratios = " ".join(f"{b / max(a, 1e-9):.2f}" for a, b in zip(times, times[1:]))
        print(f"{name:<26} {'/'.join(map(str, sizes)):<24} {' '.join(f'{t:.4f}' for t in times):<36} "
              f"{ratios:<22} {g:.2f} {verdict}", file=out, flush=True)
    return failed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ops", nargs="*", help="operations to measure (default: all; --quick: the quick subset)")
    ap.add_argument("--quick", action="store_true", help="small sizes")
    ap.add_argument("--repeat", type=int, default=3, help="runs per size (the median is kept)")
    ap.add_argument("--limit", type=float, default=LIMIT, help="largest growth per doubling allowed")
    ap.add_argument("--list", action="store_true", help="list the operations")
    ap.add_argument("--with-gc", action="store_true",
                    help="keep Python's cyclic collector running while timing (as in a process)")
    a = ap.parse_args(argv)
    if a.list:
        print("\n".join(OPS))
        return 0
    names = a.ops or (QUICK if a.quick else list(OPS))
    unknown = [n for n in names if n not in OPS]
    if unknown:
        ap.error(f"unknown operation(s): {', '.join(unknown)} (see --list)")
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    WITH_GC[0] = a.with_gc
    failed = check(names, a.quick, a.repeat, a.limit)
    if failed:
        print(f"grows faster than n log n: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
