"""The cost of crossing the embedding boundary, in ns per call (median of
several runs), for HL and, in the same run, the embeddable runtimes that are
installed (lupa: Lua in Python; wasmtime-py: WebAssembly), against a plain
Python call.  Also the cost of the limits on a compute-bound call (fib 25
with no limit, with fuel, with a timeout, with both, in random order), and
the same cost computed from the number of checks and the cost of one.

    python bench/embed_calls.py            # 7 runs of 20,000 calls each
    python bench/embed_calls.py --quick    # a smoke run (the test suite's)

host → guest: the host calls a guest function `add(a, b)` of two ints.
guest → host: the guest calls a host function `add(a, b)` in a loop; the
cost of the same loop without the call is subtracted.  lupa and wasmtime are
not dependencies of the project: they are measured only if importable.
"""

from __future__ import annotations

import argparse
import statistics
import time


def _per_call(fn, n: int, runs: int) -> float:
    """Median over `runs` of the ns per call of fn() called n times."""
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        out.append((time.perf_counter() - t0) / n * 1e9)
    return statistics.median(out)


def _per_iteration(fn, n: int, runs: int) -> float:
    """Median over `runs` of the ns per iteration of fn(n), a loop of n."""
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn(n)
        out.append((time.perf_counter() - t0) / n * 1e9)
    return statistics.median(out)


# --- the systems ----------------------------------------------------------------------------------

def python_system():
    def add(a, b):
        return a + b

    def calls(n):
        s = 0
        for i in range(n):
            s = add(s, i)
        return s

    def loop(n):
        s = 0
        for i in range(n):
            s = s + i
        return s
    return "plain Python", (lambda: add(1, 2)), calls, loop


def hl_system():
    from hl import VM
    vm = VM(stdin="")
    vm.define_native("host.add", lambda a, b: a + b, "fn(a: int, b: int) -> int")
    mod = vm.load_source("""
import host;
fn add(a: int, b: int) -> int { return a + b; }
fn calls(n: int) -> int { var s = 0; for i in 0..n { s = host.add(s, i); } return s; }
fn loop(n: int) -> int { var s = 0; for i in 0..n { s = s + i; } return s; }
""", name="bench")
    add, calls, loop = mod.function("add"), mod.function("calls"), mod.function("loop")
    return "HL", (lambda: add(1, 2)), calls, loop


def lua_system():
    from lupa import LuaRuntime
    lua = LuaRuntime()
    add = lua.eval("function(a, b) return a + b end")
    calls = lua.eval("function(f, n) local s = 0 for i = 0, n - 1 do s = f(s, i) end return s end")
    loop = lua.eval("function(n) local s = 0 for i = 0, n - 1 do s = s + i end return s end")

    def py_add(a, b):
        return a + b
    return f"lupa ({lua.lua_version[0]}.{lua.lua_version[1]})", (lambda: add(1, 2)), \
        (lambda n: calls(py_add, n)), loop


_WAT = """
(module
  (import "host" "add" (func $hadd (param i64 i64) (result i64)))
  (func (export "add") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "calls") (param $n i64) (result i64) (local $s i64) (local $i i64)
    (block $done (loop $l
      (br_if $done (i64.ge_s (local.get $i) (local.get $n)))
      (local.set $s (call $hadd (local.get $s) (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $l)))
    (local.get $s))
  (func (export "loop") (param $n i64) (result i64) (local $s i64) (local $i i64)
    (block $done (loop $l
      (br_if $done (i64.ge_s (local.get $i) (local.get $n)))
      (local.set $s (i64.add (local.get $s) (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $l)))
    (local.get $s)))
"""


def wasmtime_system():
    import wasmtime as w
    store = w.Store()
    module = w.Module(store.engine, _WAT)
    i64 = w.ValType.i64()
    hadd = w.Func(store, w.FuncType([i64, i64], [i64]), lambda a, b: a + b)
    ex = w.Instance(store, module, [hadd]).exports(store)
    add, calls, loop = ex["add"], ex["calls"], ex["loop"]
    return "wasmtime-py", (lambda: add(store, 1, 2)), (lambda n: calls(store, n)), (lambda n: loop(store, n))


SYSTEMS = [hl_system, lua_system, wasmtime_system, python_system]


def boundary(n: int, runs: int) -> list[tuple[str, float, float]]:
    systems = []
    for make in SYSTEMS:
        try:
            systems.append(make())
        except ImportError:
            continue
    rows = {name: ([], []) for name, *_ in systems}
    # Round-robin over the systems, so that each sees the same machine load.
    for _ in range(runs):
        for name, call, calls, loop in systems:
            rows[name][0].append(_per_call(call, n, 1))
            rows[name][1].append(_per_iteration(calls, n, 1) - _per_iteration(loop, n, 1))
    return [(name, statistics.median(a), statistics.median(b)) for name, (a, b) in rows.items()]


_FIB = "fn fib(n: int) -> int { if n < 2 { return n; } return fib(n - 1) + fib(n - 2); }"


def limits_overhead(runs: int, size: int = 25) -> list[tuple[str, float]]:
    """fib(size) in one VM under each configuration of limits, in a new
    random order every run (machine load drifts)."""
    import random
    from hl import VM
    configs = {"no limit": (None, None), "fuel": (10 ** 15, None), "timeout": (None, 1e6),
               "fuel + timeout": (10 ** 15, 1e6)}
    vm = VM(stdin="")
    fib = vm.load_source(_FIB, name="b").function("fib")
    times = {name: [] for name in configs}
    order = list(configs)
    for _ in range(runs):
        random.shuffle(order)
        for name in order:
            vm.fuel, vm.timeout = configs[name]
            t0 = time.perf_counter()
            fib(size)
            times[name].append(time.perf_counter() - t0)
    return [(name, statistics.median(t)) for name, t in times.items()]


def check_cost(size: int = 25) -> tuple[int, float, float]:
    """(checks made by fib(size), ns per check with fuel and a timeout set,
    seconds of fib(size) without limits): the limits' cost, computed."""
    from hl import VM
    vm = VM(stdin="", fuel=10 ** 15, timeout=1e6)
    fib = vm.load_source(_FIB, name="b").function("fib")
    control = vm.control
    checks = [0]
    real = control.grant           # the poll every tier makes

    def counting(*interval):            # (compiled code's poll asks for its own chunk size)
        checks[0] += 1
        return real(*interval)
    control.grant = counting
    fib(size)
    control.grant = real
    control.enter()
    try:
        n = 100_000
        t0 = time.perf_counter()
        for _ in range(n):
            real()
        per = (time.perf_counter() - t0) / n * 1e9
    finally:
        control.leave()
    vm.fuel = vm.timeout = None
    t0 = time.perf_counter()
    fib(size)
    return checks[0], per, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a short smoke run")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--calls", type=int, default=20_000)
    a = ap.parse_args()
    runs, n, fib = (2, 500, 15) if a.quick else (a.runs, a.calls, 25)
    print(f"ns per call, median of {runs} runs of {n} calls")
    print(f"{'system':<14} {'host->guest':>12} {'guest->host':>12}")
    for name, down, up in boundary(n, runs):
        print(f"{name:<14} {down:12.0f} {up:12.0f}")
    print(f"\nfib({fib}), seconds, median of {runs} runs (configurations alternated)")
    rows = limits_overhead(runs, fib)
    base = rows[0][1]
    for name, t in rows:
        print(f"{name:<24} {t:8.4f}  {100 * (t / base - 1):+6.1f}%")
    checks, per, total = check_cost(fib)
    print(f"computed: {checks} checks x {per:.0f} ns = {checks * per / 1e3:.0f} us "
          f"= {100 * checks * per * 1e-9 / total:.3f}% of {total:.4f} s")


if __name__ == "__main__":
    main()
