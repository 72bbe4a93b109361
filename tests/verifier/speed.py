"""How fast the verifier is: instructions verified per second.

    python -m tests.verifier.speed

Verifies (best of several runs) the prelude `lang` alone, every module the
compiler produces for the benchmarks and examples (each against the modules
it imports, already loaded), and a generated module of about 20,000 instructions, and
prints instructions per second for each and for the largest compiled module.
Not a test: timings depend on the machine.
"""

from __future__ import annotations

import time
from pathlib import Path

import compiler
from hllvm import VM
from hllvm.verify import verify_modules

ROOT = Path(__file__).resolve().parents[2]


def generated_source(nfuncs: int = 160) -> str:
    """Many functions with loops, arrays, strings, objects and handlers."""
    parts = ["class Box { v: int; init(v: int) { self.v = v; } fn get() -> int { return self.v; } }"]
    for i in range(nfuncs):
        parts.append(f"""
fn f{i}(n: int, s: string) -> int {{
    var total = 0;
    var xs = new int[n + 1];
    for k in 0..n {{
        xs[k] = k * {i + 1} + total;
        if k % 3 == 0 && k > 1 || total < 0 {{ total += xs[k]; }} else {{ total -= 1; }}
    }}
    let b = new Box(total);
    var text = s + str(b.get()) + str(xs.length);
    try {{
        total = total / (n - {i % 7});
    }} catch e: ArithmeticError {{
        text = text + e.message;
    }}
    while total > 100 {{ total = total / 2; }}
    return total + text.length;
}}""")
    parts.append("fn main() { var t = 0; " + " ".join(f"t += f{i}(3, \"x\");" for i in range(nfuncs))
                 + " println(str(t)); }")
    return "\n".join(parts)


def best_time(mods, loaded, natives, runs: int = 7):
    best, result = 1e9, None
    for _ in range(runs):
        t = time.perf_counter()
        result = verify_modules(mods, loaded, natives)
        best = min(best, time.perf_counter() - t)
    return best, sum(r.instructions for r in result.values())


def main() -> None:
    natives = VM().native_signature
    lang = [m for m in compiler.compile_source("fn main() {}").modules if m.name == "lang"]
    dt, n = best_time(lang, (), natives)
    print(f"prelude lang: {n} instructions in {dt * 1e3:.2f} ms ({n / dt:,.0f}/s)")
    rows = []
    paths = sorted((ROOT / "bench" / "programs").glob("*.hl")) + sorted((ROOT / "examples").glob("*.hl"))
    for p in paths:
        mods = compiler.compile_program(p).modules
        for i, m in enumerate(mods):
            if m.name != "lang":      # each against the modules before it (its imports)
                dt, n = best_time([m], mods[:i], natives)
                rows.append((n, dt, f"{p.relative_to(ROOT)}:{m.name}"))
    rows.sort(reverse=True)
    total_n = sum(r[0] for r in rows)
    total_t = sum(r[1] for r in rows)
    n, dt, name = rows[0]
    print(f"largest compiled module {name}: {n} instructions in {dt * 1e3:.2f} ms ({n / dt:,.0f}/s)")
    print(f"all {len(rows)} compiled modules: {total_n} instructions in {total_t * 1e3:.1f} ms "
          f"({total_n / total_t:,.0f}/s)")
    big = [m for m in compiler.compile_source(generated_source(), name="big").modules if m.name == "big"]
    dt, n = best_time(big, lang, natives, runs=3)
    print(f"generated module: {n} instructions in {dt * 1e3:.1f} ms ({n / dt:,.0f}/s)")


if __name__ == "__main__":
    main()
