"""The string natives that work in place on the heap (hllvm/strings.py,
hllvm/natives/text.py): their results against Python's str on compact, wide
and mixed strings, the canonical form of their results, their error
messages, and their safety when every allocation collects.

It does not own the cost of these operations (test_string_scaling.py) nor
the string ops of the interpreter (`s[i]`, `+`, `==`: test_heap_arrays_strings.py).
Programs are compiled from source for brevity.
"""

from __future__ import annotations

import io
import random

import pytest

from compiler import compile_source
from hllvm import VM, HLError

SRC = """
fn code_at(s: string, i: int) -> int { return s.code_at(i); }
fn sub(s: string, a: int, b: int) -> string { return s.substring(a, b); }
// `==` compares type ids and bytes: false if a result is not canonical.
fn sub_is(s: string, a: int, b: int, t: string) -> bool { return s.substring(a, b) == t; }
fn trim_is(s: string, t: string) -> bool { return s.trim() == t; }
fn index_of(s: string, t: string) -> int { return s.index_of(t); }
fn contains(s: string, t: string) -> bool { return s.contains(t); }
fn starts(s: string, t: string) -> bool { return s.starts_with(t); }
fn ends(s: string, t: string) -> bool { return s.ends_with(t); }
fn trim(s: string) -> string { return s.trim(); }
fn ord_of(s: string) -> int { return ord(s); }
// Many substrings of a string built at run time (a movable block).
fn main() { }
fn churn(n: int) -> string {
    let s = "ab\\u{e9}\\u{20ac}cd" + str(n);
    var out = "";
    for i in 0..n {
        let k = i % s.length;
        out = s.substring(k, k + 1) + s.substring(0, k) + out.substring(0, 40);
    }
    return out;
}
"""

ALPHABET = ["a", "b", " ", "\t", "\u00e9", "\u00ff", "\x00", "\u0100", "\u6100", "\u3000", "\U0001F600"]


def make_vm(**opts) -> VM:
    vm = VM(stdout=io.StringIO(), stderr=io.StringIO(), **opts)
    vm.load(compile_source(SRC, name="t").modules)
    return vm


@pytest.fixture(scope="module")
def vm():
    return make_vm()


def rand_str(rng, n):
    return "".join(rng.choice(ALPHABET) for _ in range(n))


def test_code_at_and_substring_match_python(vm):
    rng = random.Random(7)
    for _ in range(300):
        s = rand_str(rng, rng.randrange(0, 9))
        for i in range(len(s)):
            assert vm.call("t", "code_at", s, i) == ord(s[i])
        a, b = rng.randrange(-2, len(s) + 3), rng.randrange(-2, len(s) + 3)
        want = s[max(a, 0):max(b, 0)]
        assert vm.call("t", "sub", s, a, b) == want
        assert vm.call("t", "sub_is", s, a, b, want) is True


def test_wide_substring_narrows_when_every_code_point_fits_a_byte(vm):
    s = "\u00e9t\u00e9 \u20ac100"               # wide: the euro sign is >= 256
    assert vm.call("t", "sub_is", s, 0, 4, "\u00e9t\u00e9 ") is True
    assert vm.call("t", "sub_is", s, 5, 8, "100") is True
    assert vm.call("t", "sub_is", s, 1, 2, "t") is True
    assert vm.call("t", "sub_is", s, 3, 6, " \u20ac1") is True


def test_searches_match_python(vm):
    rng = random.Random(11)
    for _ in range(400):
        h = rand_str(rng, rng.randrange(0, 10))
        if h and rng.random() < 0.5:
            a = rng.randrange(len(h))
            t = h[a:a + rng.randrange(0, 4)]
        else:
            t = rand_str(rng, rng.randrange(0, 3))
        assert vm.call("t", "index_of", h, t) == h.find(t), (h, t)
        assert vm.call("t", "contains", h, t) is (t in h)
        assert vm.call("t", "starts", h, t) is h.startswith(t)
        assert vm.call("t", "ends", h, t) is h.endswith(t)


def test_wide_search_skips_hits_inside_a_code_point(vm):
    # U+6100 is 00 61 00 00 in UTF-32LE: "a" (61 00 00 00) occurs in its bytes
    # at offset 1, which is no code point boundary.
    h = "\u6100\x00a"
    assert vm.call("t", "index_of", h, "a") == 2
    assert vm.call("t", "index_of", "\u6100\x00\x00", "a") == -1
    assert vm.call("t", "contains", "\u6100\x00", "a") is False
    assert vm.call("t", "starts", "\u6100\x00", "\u6100") is True
    assert vm.call("t", "index_of", "x\u0100y", "\u0100y") == 1
    assert vm.call("t", "index_of", "xy", "\u0100") == -1      # wide needle, compact haystack


def test_trim_matches_python_strip(vm):
    for s in ["", "   ", "none", "  a b  ", "\t\n x \r\n", "\u3000\u00e9\u3000", "\u2003\U0001F600 ",
              "\x1c x\x85", "\u20ac", " \u0100 "]:
        assert vm.call("t", "trim", s) == s.strip()
        assert vm.call("t", "trim_is", s, s.strip()) is True


def test_errors_are_unchanged(vm):
    def err(fn, *args):
        with pytest.raises(HLError) as e:
            vm.call("t", fn, *args)
        return e.value.class_name, e.value.message
    assert err("code_at", "ab", 2) == ("IndexError", "index 2 out of range for string of length 2")
    assert err("code_at", "\u0100b", -1) == ("IndexError", "index -1 out of range for string of length 2")
    assert err("code_at", None, 0) == ("NullError", "null string passed to string.code_at")
    assert err("sub", None, 0, 1) == ("NullError", "null string passed to string.substring")
    assert err("trim", None) == ("NullError", "null string passed to string.trim")
    for fn, name in (("index_of", "index_of"), ("contains", "contains"), ("starts", "starts_with"),
                     ("ends", "ends_with")):
        assert err(fn, "a", None) == ("NullError", f"null string passed to string.{name}")
        assert err(fn, None, "a") == ("NullError", f"null string passed to string.{name}")
    assert err("ord_of", "ab") == ("ValueError", "ord: expected a one-character string, got length 2")
    assert err("ord_of", None) == ("NullError", "null string passed to lang.ord")
    assert vm.call("t", "ord_of", "\U0001F600") == 0x1F600


def test_substrings_survive_a_collection_at_every_allocation():
    vm = make_vm(gc_stress=True, max_heap=1 << 20)
    s = "ab\u00e9\u20accd" + "60"
    out = ""
    for i in range(60):
        k = i % len(s)
        out = s[k:k + 1] + s[0:k] + out[0:40]
    assert vm.call("t", "churn", 60) == out
