"""Whole programs against the heap limit: running out of memory and
surviving it, large blocks up to the limit, a long run whose memory stays
bounded (measured in a separate process), and the command-line switches
(`--gc-stats`, `--trace-gc`, `--gc-stress`, `--verify-heap`)."""

import re
import subprocess
import sys
import textwrap
from pathlib import Path

from gc_helpers import evacuator, run_hl  # noqa: F401 (a fixture)

KEEP_EVERYTHING = """
class Node {
    next: Node;
    data: int[];
    init(next: Node, data: int[]) { self.next = next; self.data = data; }
}
fn fill(size: int) -> int {
    var head: Node = null;
    var n = 0;
    try {
        while true {
            let d = if_positive(size);
            head = new Node(head, d);
            n += 1;
        }
    } catch e: OutOfMemoryError {
        head = null;            // drop the data first: printing allocates
        println("caught");
    }
    return n;
}
fn if_positive(size: int) -> int[] {
    if size > 0 { return new int[size]; }
    return null;
}
fn main() {
    let a = fill(500);          // small arrays: the small space fills up
    let b = fill(4000);         // large arrays: pages of their own
    let c = fill(0);            // nodes alone
    println(a > 100 && b > 10 && c > 10000);
    // Everything is garbage again: the program goes on allocating.
    var total = 0;
    for i in 0..3000 {
        let x = new int[300];
        total += x.length;
    }
    println(total);
    println(fill(500) > 100);
}
"""


def test_out_of_memory_is_caught_and_the_program_goes_on(evacuator):
    r = run_hl(KEEP_EVERYTHING, max_heap=4 << 20, verify_heap=True)
    assert r.err == ""
    assert r.out == "caught\n" * 3 + "true\n900000\ncaught\ntrue\n"
    stats = r.vm.collector.stats
    assert stats.collections["full"] >= 4


def test_blocks_up_to_the_heap_limit():
    src = """
    fn main() {
        var a = new int[1900000];               // 15.2 MB of a 16 MB heap
        a[1899999] = 7;
        println(a[1899999] + a.length);
        a = null;
        let s = "ab".repeat(7000000);           // 14 MB string
        println(s.length);
        try {
            let b = new float[2100000];         // more than the heap
            println(b.length);
        } catch e: OutOfMemoryError {
            println("too big");
        }
        let t = s + "!";                         // a second 14 MB block: only after s dies
        println(t.length);
    }
    """
    r = run_hl(src, max_heap=16 << 20, verify_heap=True)
    assert r.out == "1900007\n14000000\ntoo big\n"
    assert r.err.startswith("Uncaught OutOfMemoryError: cannot allocate 14000024 bytes")


def test_gc_stress_on_a_tree_program(evacuator):
    src = (Path(__file__).parents[2] / "bench" / "programs" / "binarytrees.hl").read_text()
    plain = run_hl(src, args=["6"])
    stressed = run_hl(src, args=["6"], gc_stress=True)
    assert stressed.out == plain.out and stressed.status == 0
    assert stressed.vm.collector.stats.collections["stress"] > 1000


# --- separate processes: memory and the command line ------------------------------------

TEN_GIB = """
// Allocates 10 GiB in total (20480 copies of a 512 KiB array), keeping at
// most 1 MiB live (the source and the current copy).
fn main() {
    let src = new int[65536];
    for i in 0..65536 { src[i] = i; }
    var total = 0;
    var i = 0;
    while i < 20480 {
        let c = src.copy();
        total += c[i % 65536];
        i += 1;
    }
    println(total);
}
"""

_MEASURE = textwrap.dedent("""
    import resource, subprocess, sys
    p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
    sys.stdout.write(p.stdout)
    sys.stderr.write(p.stderr)
    print("maxrss", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    sys.exit(p.returncode)
""")


def hll(*args, cwd):
    return subprocess.run([sys.executable, "-m", "hll.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def peak_rss(args, cwd) -> tuple[int, str, str]:
    """(peak RSS in KiB, stdout, stderr) of `hll ARGS` in its own process."""
    p = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "hll.cli", *args],
                       capture_output=True, text=True, cwd=cwd, timeout=300)
    assert p.returncode == 0, p.stderr
    out, _, last = p.stdout.rstrip("\n").rpartition("\n")
    return int(last.split()[1]), out + "\n", p.stderr


def test_ten_gib_in_a_16_mib_heap_keeps_memory_bounded(tmp_path):
    (tmp_path / "hello.hl").write_text('fn main() { println("hello"); }\n')
    (tmp_path / "churn.hl").write_text(TEN_GIB)
    base, out, _ = peak_rss(["run", "--max-heap", "16M", "hello.hl"], tmp_path)
    assert out == "hello\n"
    # Once unmeasured: the JIT's first compilation of the loop (llvmlite,
    # some 60 MiB of its own) is then in the machine-code cache.
    peak_rss(["run", "--max-heap", "16M", "churn.hl"], tmp_path)
    peak, out, err = peak_rss(["run", "--max-heap", "16M", "--gc-stats", "churn.hl"], tmp_path)
    assert out == f"{sum(range(20480))}\n"
    allocated = float(re.search(r"allocated ([\d.]+)M", err).group(1))
    assert allocated >= 10240
    # The heap never holds more than 16 MiB, and freed pages go back to the OS.
    assert peak - base < 16 * 1024, (peak, base, err)


def test_command_line_switches(tmp_path):
    (tmp_path / "p.hl").write_text("""
    class N { next: N; }
    fn main(args: string[]) {
        var keep: N = null;
        let count = parse_int(args[0]);
        for i in 0..count { let n = new N(); if i % (count / 200) == 0 { n.next = keep; keep = n; } }
        var k = 0;
        while keep != null { k += 1; keep = keep.next; }
        println(k);
    }
    """)
    r = hll("run", "--max-heap", "1M", "--trace-gc", "--gc-stats", "p.hl", "100000", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout == "200\n"
    lines = r.stderr.splitlines()
    traces = [ln for ln in lines if re.fullmatch(r"\[gc\] #\d+ (alloc|full) [\d.]+M->[\d.]+M \(1\.0M\) [\d.]+ms", ln)]
    assert len(traces) >= 2
    assert any(ln.startswith("[gc] collections: ") for ln in lines)
    assert any(re.match(r"\[gc\] pause total [\d.]+ms, max [\d.]+ms", ln) for ln in lines)
    r = hll("run", "--gc-stress", "--gc-stats", "p.hl", "2000", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout == "200\n"
    assert re.search(r"collections: \d+ \(stress \d+\)", r.stderr)
    r = hll("run", "--verify-heap", "--max-heap", "1M", "p.hl", "20000", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout == "200\n" and r.stderr == ""
