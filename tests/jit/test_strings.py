"""Tier 1's string built-ins in IR (`+`, `str(int)`, `substring`,
`parse_int` on compact strings, allocated in the allocation window) give
exactly the interpreter's strings and errors; what they do not cover (wide
strings, nulls, odd text, no room) goes the general way."""

from __future__ import annotations

import io

import pytest

from hl import VM

SRC = """
class Q { }
fn main() {
  let q = new Q();            // opens the allocation window
  let ints = [0, 7, -7, 1234567890, -9223372036854775807 - 1, 9223372036854775807, 10, -100];
  for v in ints { println(str(v) + "|" + str(v).length); }
  var s: string = null;
  println(s + "x"); println("x" + s); println("" + "abc"); println("abc" + "");
  println("é" + "a"); println("ab" + "€"); println("€" + "€");
  let w = "hello world";
  println(w.substring(0, 5)); println(w.substring(-3, 3)); println(w.substring(6, 99));
  println(w.substring(5, 3)); println(w.substring(0, 11)); println(w.substring(2, 3));
  println("naïve café".substring(2, 8));
  let nums = ["12", "-34", "+5", " 7", "x", "", "-", "99999999999999999", "-0", "123456789012345678",
              "9223372036854775807", "9223372036854775808", "1_0", "٣"];
  for t in nums { try { println(parse_int(t)); } catch e: ValueError { println("bad " + e.message); } }
  try { println(s.substring(0, 1)); } catch e: NullError { println("null: " + e.message); }
  var acc = "";
  for i in 0..3000 { acc = acc + str(i); if acc.length > 500 { acc = acc.substring(250, acc.length); } }
  println(acc);
  let big = "x".repeat(20000);
  println((big + big).length);
}
"""


def run(mode: str, **kw):
    out, err = io.StringIO(), io.StringIO()
    vm = VM(jit=mode, stdout=out, stderr=err, **kw)
    vm.load_source(SRC, name="t")
    return vm.run_main("t"), out.getvalue(), err.getvalue()


@pytest.mark.parametrize("mode", ["auto", "eager"])
@pytest.mark.parametrize("small", [False, True])
def test_string_built_ins_agree_with_the_interpreter(mode, small):
    kw = {"max_heap": 1 << 20} if small else {}
    ref = run("off", **kw)
    assert ref[0] == 0, ref[2]
    assert run(mode, **kw) == ref


def test_inline_math_natives_compile_and_agree():
    """math.sqrt and math.is_nan are compiled to instructions (not refused,
    which would leave the VM without native code)."""
    src = ("import math;\nfn f(x: float) -> bool { return math.is_nan(x); }\n"
           "fn g(x: float) -> float { return math.sqrt(x); }\n"
           "fn main() { println(f(0.0 / 0.0)); println(f(1.0)); println(g(2.0)); println(g(-1.0)); println(g(-0.0)); }")
    outs = []
    for mode in ("off", "eager"):
        out, lines = io.StringIO(), []
        vm = VM(jit=mode, stdout=out, trace_jit=lines.append)
        vm.load_source(src, name="t")
        vm.run_main("t")
        outs.append(out.getvalue())
        assert not [ln for ln in lines if "not compiled" in ln]
        if mode == "eager":
            assert not vm.jit.unavailable
    assert outs[0] == outs[1] == "true\nfalse\n1.4142135623730951\nnan\n-0.0\n"


COMPARE = """
fn main() {
    let xs = ["", "a", "ab", "abc", "b", "\u00e9", "\u00e9a", "\u4e2d", "\u4e2d\u6587", "\\u{1F600}", "a\\u{1F600}",
              "ab", "\u00ff", "\u0100", null];
    for a in xs {
        for b in xs {
            var line = str(a) + "|" + str(b) + " " + str(a == b) + str(a != b);
            try {
                line = line + " " + str(a < b) + str(a <= b) + str(a > b) + str(a >= b);
            } catch e: NullError {
                line = line + " " + e.message;
            }
            println(line);
        }
    }
}
"""


@pytest.mark.parametrize("mode", ["auto", "eager"])
def test_string_comparisons_in_ir_agree_with_the_interpreter(mode):
    """==, !=, <, <=, >, >= of compact, wide and mixed strings (a prefix,
    equal code points, the first difference above 255) and of nulls
    (equal to null only; ordering one throws NullError)."""
    def go(m):
        out, err = io.StringIO(), io.StringIO()
        vm = VM(jit=m, stdout=out, stderr=err)
        vm.load_source(COMPARE, name="c")
        return vm.run_main("c"), out.getvalue(), err.getvalue()
    ref = go("off")
    assert ref[0] == 0 and ref[1].count("\n") == 15 * 15 and "NullError" not in ref[2]
    assert "a|ab falsetrue truetruefalsefalse" in ref[1]
    assert go(mode) == ref
