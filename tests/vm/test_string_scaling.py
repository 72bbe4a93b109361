"""The cost of the string natives grows with what they touch, not with the
receiver: walking every code point of a string with `code_at` is linear in
its length, and taking short substrings of it costs the same whatever its
length (issue 10, item 7; docs/heap.md, "String operations and their costs").

Each measure runs an HL program at 250,000 and 1,000,000 code points, for a
compact and for a wide (UTF-32) string, and asserts time(1M) / time(250K)
<= 5 (linear gives 4 for the walk and about 1 for the substrings; converting
the receiver on every call, as the natives once did, gives thousands).  Times
are CPU seconds of this process (other work on the machine does not count),
the median of a few runs with the two sizes interleaved.

It does not check results (test_heap_strings.py does) beyond a checksum
that keeps the loops honest.
"""

from __future__ import annotations

import io
import statistics
import time

import pytest

from compiler import compile_source
from hllvm import VM

SRC = """
var text: string;

// A string of n code points: compact, or wide (one euro sign per 8).
fn make(n: int, wide: bool) {
    var unit = "abcdefg,";
    if wide {
        unit = "abcdefg\\u{20ac}";
    }
    text = unit.repeat(n / 8);
}

fn walk() -> int {
    var sum = 0;
    for i in 0..text.length {
        sum += text.code_at(i);
    }
    return sum;
}

// `count` substrings of 1..8 code points spread over the whole string.
fn cut(count: int) -> int {
    let step = (text.length - 8) / count;
    var total = 0;
    for k in 0..count {
        let a = k * step;
        total += text.substring(a, a + 1 + k % 8).length;
    }
    return total;
}

fn main() { }
"""

SMALL, LARGE = 250_000, 1_000_000
SUBSTRINGS = 100_000
RUNS = 3


def _vm() -> VM:
    vm = VM(stdout=io.StringIO(), stderr=io.StringIO())
    vm.load(compile_source(SRC, name="t").modules)
    return vm


def _cpu(vm, fn, *args) -> tuple[float, object]:
    t = time.process_time()
    r = vm.call("t", fn, *args)
    return time.process_time() - t, r


def _ratio(wide: bool, fn: str, *args) -> tuple[float, float, float]:
    """(median time at SMALL, at LARGE, their ratio) of `fn(*args)`."""
    vms = {}
    for n in (SMALL, LARGE):
        vms[n] = _vm()
        vms[n].call("t", "make", n, wide)
    times = {SMALL: [], LARGE: []}
    results = {}
    for _ in range(RUNS):
        for n in (SMALL, LARGE):
            t, r = _cpu(vms[n], fn, *args)
            times[n].append(t)
            results[n] = r
    # The checksum grows with the string as it should (the loops ran).
    assert results[SMALL] and results[LARGE]
    small, large = statistics.median(times[SMALL]), statistics.median(times[LARGE])
    return small, large, large / small


@pytest.mark.parametrize("wide", [False, True], ids=["compact", "wide"])
def test_walking_every_code_point_is_linear(wide):
    small, large, ratio = _ratio(wide, "walk")
    print(f"\nwalk {'wide' if wide else 'compact'}: {SMALL} cp {small:.3f}s, "
          f"{LARGE} cp {large:.3f}s, ratio {ratio:.2f}")
    assert ratio <= 5, (small, large)


@pytest.mark.parametrize("wide", [False, True], ids=["compact", "wide"])
def test_short_substrings_do_not_depend_on_the_length(wide):
    small, large, ratio = _ratio(wide, "cut", SUBSTRINGS)
    print(f"\n{SUBSTRINGS} substrings {'wide' if wide else 'compact'}: {SMALL} cp {small:.3f}s, "
          f"{LARGE} cp {large:.3f}s, ratio {ratio:.2f}")
    assert ratio <= 5, (small, large)
