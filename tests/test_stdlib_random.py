"""random (stdlib/random.hl) against an independent Python implementation
of the algorithm docs/stdlib.md documents (SplitMix64 seeding,
xoshiro256**, masked rejection for int_range, 53-bit floats, Fisher-Yates),
for many seeds, extreme ones included."""

from __future__ import annotations

import io

import pytest

from hl import VM

M = (1 << 64) - 1


def _signed(x: int) -> int:
    x &= M
    return x - (1 << 64) if x >> 63 else x


def _rotl(x: int, k: int) -> int:
    return ((x << k) | (x >> (64 - k))) & M


class Reference:
    def __init__(self, seed: int) -> None:
        x = seed & M
        self.s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & M
            z = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
            self.s.append(z ^ (z >> 31))

    def bits(self) -> int:
        s = self.s
        r = (_rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 17) & M
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = _rotl(s[3], 45)
        return r

    def int_range(self, lo: int, hi: int) -> int:
        n = (hi - lo) & M
        mask = (n - 1) & M
        for k in (1, 2, 4, 8, 16, 32):
            mask |= mask >> k
        while True:
            x = self.bits() & mask
            if x < n:
                return _signed(lo + x)


def test_reference_is_xoshiro256starstar():
    # The published generator from the state {1, 2, 3, 4}.
    r = Reference(0)
    r.s = [1, 2, 3, 4]
    assert [r.bits() for _ in range(3)] == [11520, 0, 1509978240]


SRC = """
import random;
fn ints(seed: int, n: int) -> int[] {
    let r = new random.Random(seed);
    let out = new int[n];
    for i in 0..n { out[i] = r.next_int(); }
    return out;
}
fn ranges(seed: int, lo: int, hi: int, n: int) -> int[] {
    let r = new random.Random(seed);
    let out = new int[n];
    for i in 0..n { out[i] = r.int_range(lo, hi); }
    return out;
}
fn floats(seed: int, n: int) -> float[] {
    let r = new random.Random(seed);
    let out = new float[n];
    for i in 0..n { out[i] = r.next_float(); }
    return out;
}
fn shuffled(seed: int, n: int) -> int[] {
    let r = new random.Random(seed);
    let xs = new int[n];
    for i in 0..n { xs[i] = i; }
    r.shuffle(xs);
    return xs;
}
"""


@pytest.fixture(scope="module")
def mod():
    return VM(stdout=io.StringIO(), jit="off").load_source(SRC, name="p")


SEEDS = [0, 1, -1, 42, 123456789, (1 << 63) - 1, -(1 << 63)]


@pytest.mark.parametrize("seed", SEEDS)
def test_next_int(mod, seed):
    r = Reference(seed)
    assert mod.call("ints", seed, 50) == [_signed(r.bits()) for _ in range(50)]


@pytest.mark.parametrize("lo,hi", [(0, 1), (0, 2), (1, 7), (-5, 5), (0, 1000), (0, (1 << 62) + 1),
                                   (-(1 << 63), (1 << 63) - 1), (-(1 << 63), 0), (3, 1 << 33)])
def test_int_range(mod, lo, hi):
    r = Reference(7)
    got = mod.call("ranges", 7, lo, hi, 200)
    assert got == [r.int_range(lo, hi) for _ in range(200)]
    assert all(lo <= v < hi for v in got)


@pytest.mark.parametrize("seed", SEEDS[:4])
def test_next_float(mod, seed):
    r = Reference(seed)
    assert mod.call("floats", seed, 50) == [(r.bits() >> 11) * 2.0 ** -53 for _ in range(50)]


@pytest.mark.parametrize("n", [0, 1, 2, 10, 257])
def test_shuffle(mod, n):
    r = Reference(n)
    xs = list(range(n))
    for i in range(n - 1, 0, -1):
        j = r.int_range(0, i + 1)
        xs[i], xs[j] = xs[j], xs[i]
    assert mod.call("shuffled", n, n) == xs
