"""Benchmark driver: HL (`hll run`) against CPython on each program's twin.

Runs both as whole processes, alternating, N times each, and reports the
median wall-clock times and their ratio (HL / CPython).  CPython is the
interpreter that runs this script (the one `hll` is installed in), so both
sides start the same way.  Output must match, or the run is reported as
failed.

    python bench/run.py                       # default sizes, 3 runs each
    python bench/run.py fib:25 sieve:200000 nbody:10000 --runs 5
    python bench/run.py --small --jit off
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAMES = ["fib", "sieve", "nbody", "spectralnorm", "mandelbrot", "fannkuch", "binarytrees", "dispatch", "strings"]
SMALL = {"fib": 25, "sieve": 200000, "nbody": 10000, "spectralnorm": 100, "mandelbrot": 100,
         "fannkuch": 7, "binarytrees": 10, "dispatch": 500, "strings": 20000}


def _time(cmd: list[str]) -> tuple[float, str, int]:
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    return time.perf_counter() - t0, p.stdout, p.returncode


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("items", nargs="*", help="NAME or NAME:SIZE (default: all at default size)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--small", action="store_true", help="use the small sizes of bench/README")
    ap.add_argument("--jit", default="auto", choices=["off", "auto", "eager"])
    a = ap.parse_args(argv)
    items = a.items or NAMES
    hll = [sys.executable, "-m", "hll.cli", "run", f"--jit={a.jit}"]
    print(f"{'benchmark':<22} {'HL median s':>12} {'CPython s':>10} {'ratio':>8}")
    failed = False
    for item in items:
        name, _, size = item.partition(":")
        if not size and a.small:
            size = str(SMALL[name])
        extra = [size] if size else []
        # warm the bytecode cache so compile time is not measured
        subprocess.run(hll + [str(HERE / "programs" / f"{name}.hl")] + extra, capture_output=True)
        hl_times, py_times = [], []
        outs = set()
        for _ in range(a.runs):
            t, out, rc = _time(hll + [str(HERE / "programs" / f"{name}.hl")] + extra)
            hl_times.append(t)
            outs.add((out, rc))
            t, out_py, _ = _time([sys.executable, str(HERE / "py" / f"{name}.py")] + extra)
            py_times.append(t)
        ok = outs == {(out_py, 0)}
        failed |= not ok
        hl, py = statistics.median(hl_times), statistics.median(py_times)
        label = f"{name}:{size}" if size else name
        print(f"{label:<22} {hl:>12.3f} {py:>10.3f} {hl / py:>8.2f}" + ("" if ok else "   OUTPUT DIFFERS"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
