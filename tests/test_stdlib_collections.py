"""collections (stdlib/collections.hl) against Python models: random
sequences of operations on List, Map and Set, run as HL and compared with
what a Python list / dict (insertion-ordered, as Map's keys are) gives;
sort_by against Python's stable sort; natural-order sort against the
documented keys.  Each program runs in the interpreter; the conformance
tests (tests/conformance/library/) run the behaviours in every tier."""

from __future__ import annotations

import io
import random

import pytest

from hl import VM


def run(src: str, fn: str, *args):
    vm = VM(stdout=io.StringIO(), stderr=io.StringIO(), jit="off")
    return vm.load_source(src, name="p").call(fn, *args)


MAP_SRC = """
import collections;
// ops: [kind, key, value]*; kind 0 put, 1 remove, 2 get_or, 3 contains.
// Returns the observations, then the keys and values in order.
fn drive(ops: int[]) -> string {
    let m = new collections.Map<int, int>();
    let out = new collections.List<string>();
    var i = 0;
    while i < ops.length {
        let k = ops[i + 1];
        if ops[i] == 0 { m.put(k, ops[i + 2]); }
        else if ops[i] == 1 { out.push(str(m.remove(k))); }
        else if ops[i] == 2 { out.push(str(m.get_or(k, -1))); }
        else { out.push(str(m.contains(k))); }
        i += 3;
    }
    out.push(str(m.length()));
    return str(out) + " " + str(m.keys()) + " " + str(m.values());
}
"""


def map_model(ops):
    d: dict[int, int] = {}
    out = []
    for i in range(0, len(ops), 3):
        kind, k, v = ops[i:i + 3]
        if kind == 0:
            d[k] = v
        elif kind == 1:
            out.append("true" if d.pop(k, None) is not None else "false")
        elif kind == 2:
            out.append(str(d.get(k, -1)))
        else:
            out.append("true" if k in d else "false")
    out.append(str(len(d)))
    show = lambda xs: "[" + ", ".join(map(str, xs)) + "]"      # noqa: E731
    return f"{show(out)} {show(list(d))} {show(list(d.values()))}"


@pytest.mark.parametrize("seed", range(6))
def test_map_against_dict(seed):
    rnd = random.Random(seed)
    span = rnd.choice([4, 30, 300])             # few keys: many removals and re-puts; many: growth
    ops = []
    for _ in range(rnd.choice([50, 400, 2000])):
        kind = rnd.choices([0, 1, 2, 3], [5, 2, 2, 1])[0]
        ops += [kind, rnd.randrange(-span, span) * rnd.choice([1, 1 << 40]), rnd.randrange(1000)]
    assert run(MAP_SRC, "drive", ops) == map_model(ops)


LIST_SRC = """
import collections;
// ops: [kind, a, b]*; 0 push a, 1 pop, 2 insert at a % (n + 1), 3 remove_at a % n,
// 4 set a % n to b, 5 index_of a.
fn drive(ops: int[]) -> string {
    let xs = new collections.List<int>();
    let out = new collections.List<int>();
    var i = 0;
    while i < ops.length {
        let n = xs.length();
        let a = ops[i + 1];
        let k = ops[i];
        if k == 0 { xs.push(a); }
        else if k == 1 && n > 0 { out.push(xs.pop()); }
        else if k == 2 { xs.insert(a % (n + 1), ops[i + 2]); }
        else if k == 3 && n > 0 { out.push(xs.remove_at(a % n)); }
        else if k == 4 && n > 0 { xs.set(a % n, ops[i + 2]); }
        else if k == 5 { out.push(xs.index_of(a)); }
        i += 3;
    }
    return str(out) + " " + str(xs);
}
"""


def list_model(ops):
    xs: list[int] = []
    out = []
    for i in range(0, len(ops), 3):
        k, a, b = ops[i:i + 3]
        n = len(xs)
        if k == 0:
            xs.append(a)
        elif k == 1 and n:
            out.append(xs.pop())
        elif k == 2:
            xs.insert(a % (n + 1), b)
        elif k == 3 and n:
            out.append(xs.pop(a % n))
        elif k == 4 and n:
            xs[a % n] = b
        elif k == 5:
            out.append(xs.index(a) if a in xs else -1)
    show = lambda v: "[" + ", ".join(map(str, v)) + "]"      # noqa: E731
    return f"{show(out)} {show(xs)}"


@pytest.mark.parametrize("seed", range(5))
def test_list_against_python_list(seed):
    rnd = random.Random(100 + seed)
    ops = []
    for _ in range(rnd.choice([40, 600])):
        ops += [rnd.choices(range(6), [5, 2, 2, 2, 1, 1])[0], rnd.randrange(50), rnd.randrange(50)]
    assert run(LIST_SRC, "drive", ops) == list_model(ops)


SORT_SRC = """
import collections;
// Sorts the indices 0..n-1 by keys[i] only (stability keeps equal keys in
// index order) and returns them.
fn by_key(keys: int[]) -> int[] {
    let xs = new collections.List<int>();
    for i in 0..keys.length { xs.push(i); }
    xs.sort_by(fn(a: int, b: int) -> int { return keys[a] - keys[b]; });
    let out = new int[xs.length()];
    for i in 0..xs.length() { out[i] = xs.get(i); }
    return out;
}
fn natural(words: string[]) -> string[] {
    let xs = new collections.List<string>();
    for w in words { xs.push(w); }
    xs.sort();
    let out = new string[xs.length()];
    for i in 0..xs.length() { out[i] = xs.get(i); }
    return out;
}
"""


@pytest.mark.parametrize("n,span", [(0, 1), (1, 1), (2, 1), (17, 3), (100, 5), (1000, 10), (3000, 3000),
                                    (513, 1)])
def test_sort_by_is_pythons_stable_sort(n, span):
    rnd = random.Random(n * 7 + span)
    keys = [rnd.randrange(span) for _ in range(n)]
    assert run(SORT_SRC, "by_key", keys) == sorted(range(n), key=keys.__getitem__)


def test_sort_by_on_sorted_and_reversed_input():
    for keys in (list(range(500)), list(range(500, 0, -1)), [1, 0] * 250):
        assert run(SORT_SRC, "by_key", keys) == sorted(range(len(keys)), key=keys.__getitem__)


def test_natural_sort_of_strings_is_by_code_point():
    rnd = random.Random(5)
    words = ["".join(rnd.choice("aAbé😀 ") for _ in range(rnd.randrange(4))) for _ in range(300)]
    assert run(SORT_SRC, "natural", words) == sorted(words)


SET_SRC = """
import collections;
fn drive(xs: string[]) -> string {
    let s = new collections.Set<string>();
    var added = 0;
    for x in xs {
        if x.starts_with("-") { s.remove(x.substring(1, x.length)); }
        else if s.add(x) { added += 1; }
    }
    return str(added) + " " + str(s.items());
}
"""


def test_set_against_python():
    rnd = random.Random(9)
    xs = [rnd.choice(["", "-"]) + rnd.choice("abcdefgh") * rnd.randrange(1, 3) for _ in range(500)]
    seen: dict[str, None] = {}
    added = 0
    for x in xs:
        if x.startswith("-"):
            seen.pop(x[1:], None)
        elif x not in seen:
            seen[x] = None
            added += 1
    assert run(SET_SRC, "drive", xs) == f"{added} [{', '.join(seen)}]"
