"""The cost of suspending and resuming, as a function of the live heap.

    python bench/snapshot_cost.py                 # 10, 50 and 200 MiB, both shapes, 3 runs
    python bench/snapshot_cost.py --mib 10 50 --runs 1

A program builds N MiB of live data of one shape and keeps it in a global;
then the VM, idle, is suspended (`vm.suspend()`: the breadth-first copy of
the live blocks into the snapshot) and the snapshot is resumed in a new VM
(`VM.resume`: modules loaded and verified, every block and reference
checked and rewritten).  Shapes: `objects` (a list of small objects, each
holding a 16-int array: many blocks of ~200 bytes) and `arrays` (int arrays
of 64 KiB: few, large blocks).  Prints the medians, in seconds and MiB/s of
snapshot.  It owns nothing but this measurement (docs/snapshots.md quotes it).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hl import VM  # noqa: E402

PROGRAM = """
import collections;

class Cell {
    v: int;
    data: int[];
    init(v: int) { self.v = v; self.data = new int[16]; }
}

var kept: collections.List<Cell> = null;
var arrays: collections.List<int[]> = null;

fn build_objects(n: int) {
    kept = new collections.List<Cell>();
    for i in 0..n { kept.push(new Cell(i)); }
}

fn build_arrays(n: int) {
    arrays = new collections.List<int[]>();
    for i in 0..n { arrays.push(new int[8192]); }
}
"""
# Bytes of live data per unit of each shape (block headers included).
UNIT_BYTES = {"objects": (2 + 2) * 8 + (2 + 16) * 8 + 8, "arrays": (2 + 8192) * 8 + 8}


def measure(shape: str, mib: int) -> tuple[int, float, float]:
    vm = VM(jit="auto", max_heap=max(64 << 20, 4 * mib << 20))
    vm.load_source(PROGRAM, name="cost")
    n = (mib << 20) // UNIT_BYTES[shape]
    vm.call("cost", "build_" + shape, n)
    vm.collect()
    t0 = time.perf_counter()
    data = vm.suspend()
    t1 = time.perf_counter()
    VM.resume(data, max_heap=max(64 << 20, 4 * mib << 20))
    t2 = time.perf_counter()
    return len(data), t1 - t0, t2 - t1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mib", type=int, nargs="+", default=[10, 50, 200])
    ap.add_argument("--shapes", nargs="+", default=["objects", "arrays"], choices=list(UNIT_BYTES))
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    print("| live data | shape | snapshot MiB | suspend s | MiB/s | resume s | MiB/s |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for mib in a.mib:
        for shape in a.shapes:
            runs = [measure(shape, mib) for _ in range(a.runs)]
            size = runs[0][0] / (1 << 20)
            s = statistics.median(r[1] for r in runs)
            r = statistics.median(r[2] for r in runs)
            print(f"| {mib} MiB | {shape} | {size:.1f} | {s:.2f} | {size / s:.0f} | {r:.2f} | {size / r:.0f} |",
                  flush=True)


if __name__ == "__main__":
    main()
