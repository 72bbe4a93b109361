"""Tier 1 and the Part B calls: CALLIFACE (through the compile-time switch,
the inlined leaves, the general call, a site's cache cell and the itable
for a class loaded after compiling), CLOSURE and CALLFN (direct calls of
the shapes known when compiling, adapters for the rest, a native's
function value).  Every program prints what the interpreter prints, also
under GC stress; frames handed back with boxes, closures and interface
receivers live go on in the interpreter; depth, fuel and time limits hold
through the new call kinds."""

from __future__ import annotations

import time

import pytest

from asmprog import LANG, assemble, handed_back, once, run, same_in_every_tier

from hllvm import ResourceExhausted

# Six classes implementing Shape: three whose area() is a small leaf, three
# whose area() calls a function (so it is not inlined), one subclass that
# overrides; Named extends Shape.
SHAPES = """
module t
interface Shape
end
interface Named extends Shape
end
abstract Shape.area ()F
end
abstract Shape.grow (FR)R
end
abstract Named.name ()S
end
class Sq implements Named
  field s F
end
class Circle implements Shape
  field r F
end
class Rect implements Shape
  field w F
  field h F
end
class Tri implements Shape
  field b F
end
class Hexa implements Named
  field a F
end
class Oct implements Shape
  field a F
end
class Big extends Sq
end
func twice (F)F
  LOAD 0
  LOAD 0
  FADD
  RETV
end
init Sq (F)V
  LOAD 0
  LOAD 1
  PUTFIELD Sq.s F
  RET
end
method Sq.area ()F
  LOAD 0
  GETFIELD Sq.s F
  LOAD 0
  GETFIELD Sq.s F
  FMUL
  RETV
end
method Sq.name ()S
  SCONST "sq"
  RETV
end
method Sq.grow (FR)R
  LOAD 2
  TOSTR_OBJ
  LOAD 0
  GETFIELD Sq.s F
  LOAD 1
  FMUL
  FTOS
  CONCAT
  RETV
end
init Circle (F)V
  LOAD 0
  LOAD 1
  PUTFIELD Circle.r F
  RET
end
method Circle.area ()F
  FCONST 3.0
  LOAD 0
  GETFIELD Circle.r F
  FMUL
  LOAD 0
  GETFIELD Circle.r F
  FMUL
  RETV
end
method Circle.grow (FR)R
  LOAD 1
  BOXF
  RETV
end
init Rect (FF)V
  LOAD 0
  LOAD 1
  PUTFIELD Rect.w F
  LOAD 0
  LOAD 2
  PUTFIELD Rect.h F
  RET
end
method Rect.area ()F
  LOAD 0
  GETFIELD Rect.w F
  LOAD 0
  GETFIELD Rect.h F
  FMUL
  RETV
end
method Rect.grow (FR)R
  LOAD 2
  RETV
end
init Tri (F)V
  LOAD 0
  LOAD 1
  PUTFIELD Tri.b F
  RET
end
method Tri.area ()F
  LOAD 0
  GETFIELD Tri.b F
  CALL twice (F)F
  RETV
end
method Tri.grow (FR)R
  LOAD 0
  RETV
end
init Hexa (F)V
  LOAD 0
  LOAD 1
  PUTFIELD Hexa.a F
  RET
end
method Hexa.area ()F
  LOAD 0
  GETFIELD Hexa.a F
  CALL twice (F)F
  CALL twice (F)F
  RETV
end
method Hexa.name ()S
  SCONST "hexa"
  RETV
end
method Hexa.grow (FR)R
  NULL
  RETV
end
init Oct (F)V
  LOAD 0
  LOAD 1
  PUTFIELD Oct.a F
  RET
end
method Oct.area ()F
  LOAD 0
  GETFIELD Oct.a F
  CALL twice (F)F
  FCONST 0.5
  FADD
  RETV
end
method Oct.grow (FR)R
  LOAD 2
  RETV
end
init Big (F)V
  LOAD 0
  LOAD 1
  CALLSPECIAL Sq.init (F)V
  RET
end
method Big.area ()F
  FCONST 1000.0
  RETV
end
"""

PRINT = "  CALLNATIVE lang.println (S)V"


def make(name: str, n: int) -> str:
    """A function `name ()[Lt.Shape;` making n shapes of the first k classes."""
    kinds = [("Sq", "  FCONST 2.0"), ("Circle", "  FCONST 1.0"), ("Rect", "  FCONST 2.0\n  FCONST 3.0"),
             ("Tri", "  FCONST 4.0"), ("Hexa", "  FCONST 5.0"), ("Oct", "  FCONST 6.0"), ("Big", "  FCONST 1.0")]
    body = [f"func {name} ()[Lt.Shape;", "  locals [Lt.Shape;", f"  ICONST {n}", "  NEWARRAY Lt.Shape;", "  STORE 0"]
    for i in range(n):
        cls, args = kinds[i % len(kinds)]
        sig = "(FF)V" if cls == "Rect" else "(F)V"
        body += ["  LOAD 0", f"  ICONST {i}", f"  NEW {cls}", "  DUP", args, f"  CALLSPECIAL {cls}.init {sig}",
                 "  RASTORE"]
    return "\n".join([*body, "  LOAD 0", "  RETV", "end", ""])


# The total area of an array of shapes, `reps` times over: CALLIFACE in a loop.
TOTAL = """
func total ([Lt.Shape;I)F
  locals F I I
  FCONST 0.0
  STORE 2
  ICONST 0
  STORE 4
  rep:
  LOAD 4
  LOAD 1
  IGE
  JT out
  ICONST 0
  STORE 3
  each:
  LOAD 3
  LOAD 0
  ALEN
  IGE
  JT next
  LOAD 2
  LOAD 0
  LOAD 3
  RALOAD
  CALLIFACE Shape.area ()F
  FADD
  STORE 2
  LOAD 3
  ICONST 1
  IADD
  STORE 3
  JMP each
  next:
  LOAD 4
  ICONST 1
  IADD
  STORE 4
  JMP rep
  out:
  LOAD 2
  RETV
end
"""

CALLS = "".join([
    once("area", "(R)V", f"  LOAD 0\n  CAST Lt.Shape;\n  CALLIFACE Shape.area ()F\n  FTOS\n{PRINT}"),
    once("named", "(R)V", f"  LOAD 0\n  CAST Lt.Named;\n  CALLIFACE Named.name ()S\n{PRINT}"),
    once("grow", "(R)V", f"  LOAD 0\n  CAST Lt.Shape;\n  FCONST 1.5\n  SCONST \"x\"\n"
                         f"  CALLIFACE Shape.grow (FR)R\n  TOSTR_OBJ\n{PRINT}"),
])


def main(body: str) -> str:
    return f"func main ()V\n  locals [Lt.Shape; I\n{body}\n  RET\nend\n"


def print_total(make_fn: str, reps: int) -> str:
    return f"  CALL {make_fn} ()[Lt.Shape;\n  ICONST {reps}\n  CALL total ([Lt.Shape;I)F\n  FTOS\n{PRINT}\n"


def each_call(make_fn: str, n: int) -> str:
    out = [f"  CALL {make_fn} ()[Lt.Shape;", "  STORE 0"]
    for i in range(n):
        for f in ("area", "named", "grow"):
            out += ["  LOAD 0", f"  ICONST {i}", "  RALOAD", f"  CALL {f} (R)V"]
    return "\n".join(out) + "\n"


INTERFACES = (SHAPES + make("three", 3) + make("seven", 7) + TOTAL + CALLS
              + main(print_total("three", 50) + print_total("seven", 30) + each_call("seven", 7)
                     + f"  NULL\n  CALL area (R)V\n  NULL\n  CALL grow (R)V\n"))


def test_interface_calls_print_what_the_interpreter_prints():
    ran = same_in_every_tier(INTERFACES)
    assert ran.out.splitlines()[:2] == [str(50 * (4.0 + 3.0 + 6.0)), str(30 * (4 + 3 + 6 + 8 + 20 + 12.5 + 1000.0))]
    assert "NullError: cannot call method area() on null" in ran.out
    # Only the calls on null and the failing casts were handed back.
    assert handed_back(ran.vm) == {("area", "CALLIFACE"): 1, ("grow", "CALLIFACE"): 1, ("named", "CAST"): 4}


# A module loaded after `total` was compiled: its class reaches the site's
# cache cell and the itable (the helper), not the compile-time switch.
LATE = """
module u
imports lang t
class Dodeca implements t.Shape
  field a F
end
init Dodeca (F)V
  LOAD 0
  LOAD 1
  PUTFIELD Dodeca.a F
  RET
end
method Dodeca.area ()F
  LOAD 0
  GETFIELD Dodeca.a F
  FCONST 100.0
  FMUL
  RETV
end
method Dodeca.grow (FR)R
  LOAD 2
  RETV
end
func main ()V
  locals [Lt.Shape;
  ICONST 4
  NEWARRAY Lt.Shape;
  STORE 0
  LOAD 0
  ICONST 0
  NEW Dodeca
  DUP
  FCONST 1.0
  CALLSPECIAL Dodeca.init (F)V
  RASTORE
  LOAD 0
  ICONST 1
  NEW t.Sq
  DUP
  FCONST 3.0
  CALLSPECIAL t.Sq.init (F)V
  RASTORE
  LOAD 0
  ICONST 2
  NEW Dodeca
  DUP
  FCONST 2.0
  CALLSPECIAL Dodeca.init (F)V
  RASTORE
  LOAD 0
  ICONST 3
  NEW t.Hexa
  DUP
  FCONST 1.0
  CALLSPECIAL t.Hexa.init (F)V
  RASTORE
  LOAD 0
  ICONST 1000
  CALL t.total ([Lt.Shape;I)F
  FTOS
  CALLNATIVE lang.println (S)V
  LOAD 0
  ICONST 0
  RALOAD
  CALL t.area (R)V
  LOAD 0
  ICONST 0
  RALOAD
  CALL t.named (R)V
  RET
end
"""


@pytest.mark.parametrize("mode", ["off", "auto", "eager"])
def test_a_class_loaded_after_compiling_is_dispatched_through_the_cache_and_the_itable(mode):
    from hllvm import VM
    import io
    out = io.StringIO()
    vm = VM(jit=mode, stdout=out, stderr=out)
    t = assemble(INTERFACES)
    vm.load([LANG, t])
    vm.run_main("t")
    first = out.getvalue()
    vm.load([assemble_late()])
    assert vm.run_main("u") == 0
    assert out.getvalue()[len(first):] == f"{1000 * (100.0 + 9.0 + 200.0 + 4.0)}\n100.0\nCastError: cannot cast Dodeca to Named\n"
    if mode == "eager":
        assert not vm.jit.refused
        assert handed_back(vm).get(("total", "CALLIFACE"), 0) == 0


def assemble_late():
    from hll import hlasm
    return hlasm.assemble(LATE, others={"lang": LANG, "t": assemble(INTERFACES)})


FUNCTIONS = """
module t
interface Shape
end
abstract Shape.area ()F
end
class Sq implements Shape
  field s F
end
init Sq (F)V
  LOAD 0
  LOAD 1
  PUTFIELD Sq.s F
  RET
end
method Sq.area ()F
  LOAD 0
  GETFIELD Sq.s F
  LOAD 0
  GETFIELD Sq.s F
  FMUL
  RETV
end
func add (II)I
  LOAD 0
  LOAD 1
  IADD
  RETV
end
func mul (II)I
  LOAD 0
  LOAD 1
  IMUL
  RETV
end
func ident (I)I
  LOAD 0
  RETV
end
func pick (ZII)I
  LOAD 0
  JF no
  LOAD 1
  LOAD 2
  IADD
  RETV
  no:
  LOAD 2
  RETV
end
func poly (FSII)I
  LOAD 0
  LOAD 3
  I2F
  FMUL
  F2I
  LOAD 1
  SLEN
  IADD
  LOAD 2
  IADD
  RETV
end
func div (II)I
  LOAD 0
  LOAD 1
  IDIV
  RETV
end
func maybe_huge (Z)Z
  LOAD 0
  JF skip
  CALL huge ()V
  skip:
  LOAD 0
  RETV
end
func huge ()V
  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP\n  NOP
  RET
end
func greet (SS)S
  LOAD 0
  LOAD 1
  CONCAT
  RETV
end
func apply ((I)II)I
  locals I I
  ICONST 0
  STORE 2
  ICONST 0
  STORE 3
  loop:
  LOAD 3
  LOAD 1
  IGE
  JT out
  LOAD 2
  LOAD 0
  LOAD 3
  CALLFN (I)I
  IADD
  STORE 2
  LOAD 3
  ICONST 1
  IADD
  STORE 3
  JMP loop
  out:
  LOAD 2
  RETV
end
"""

FN_CALLS = "".join([
    once("sum", "(RI)V", f"  LOAD 0\n  CAST (I)I\n  LOAD 1\n  CALL apply ((I)II)I\n  ITOS\n{PRINT}"),
    once("call_s", "(RS)V", f"  LOAD 0\n  CAST (S)S\n  LOAD 1\n  CALLFN (S)S\n{PRINT}"),
    once("call_f", "(RF)V", f"  LOAD 0\n  CAST (F)F\n  LOAD 1\n  CALLFN (F)F\n  FTOS\n{PRINT}"),
    once("call_e", "(R)V", f"  LOAD 0\n  CAST (Llang.Error;)S\n  NEW lang.ValueError\n  DUP\n  SCONST \"v\"\n"
                           f"  CALLSPECIAL lang.ValueError.init (S)V\n  CALLFN (Llang.Error;)S\n{PRINT}"),
    # With an interface receiver, a closure and a box on its stack, a call
    # whose callee calls a function left to the interpreter (too large):
    # both frames are handed back, and the interpreter goes on with them.
    once("live", "(RZ)V", f"""
  ICONST 5
  BOXI
  STORE 2
  ICONST 3
  CLOSURE add (II)I 1
  STORE 3
  LOAD 0
  CAST Lt.Shape;
  LOAD 3
  LOAD 2
  LOAD 1
  CALL maybe_huge (Z)Z
  POP
  CAST I
  STORE 4
  CAST (I)I
  LOAD 4
  CALLFN (I)I
  ITOS
{PRINT}
  CALLIFACE Shape.area ()F
  FTOS
{PRINT}""", "R R I"),
])

SHAPES_OF_I_I = ["  ICONST 10\n  CLOSURE add (II)I 1", "  ICONST 3\n  CLOSURE mul (II)I 1", "  CLOSURE ident (I)I 0",
                 "  BCONST 1\n  ICONST 7\n  CLOSURE pick (ZII)I 2", "  BCONST 0\n  ICONST 7\n  CLOSURE pick (ZII)I 2",
                 '  FCONST 1.5\n  SCONST "abc"\n  ICONST 2\n  CLOSURE poly (FSII)I 3', "  ICONST 20\n  CLOSURE lang.max_int (II)I 1",
                 "  ICONST 7\n  CLOSURE div (II)I 1"]


def fn_main() -> str:
    body = []
    for v in SHAPES_OF_I_I:
        body += [v, "  ICONST 50", "  CALL sum (RI)V"]
    body += ["  NULL", "  ICONST 3", "  CALL sum (RI)V",
             '  SCONST "hi "', "  CLOSURE greet (SS)S 1", '  SCONST "there"', "  CALL call_s (RS)V",
             "  FCONST 2.5", "  CLOSURE lang.min_float (FF)F 1", "  FCONST 9.0", "  CALL call_f (RF)V",
             "  FCONST 2.5", "  CLOSURE lang.min_float (FF)F 1", "  FCONST -9.0", "  CALL call_f (RF)V",
             "  CLOSURE lang._class_name (Llang.Error;)S 0", "  CALL call_e (R)V",
             "  NULL", "  CALL call_e (R)V"]
    for d in (0, 1):
        body += ["  NEW Sq", "  DUP", "  FCONST 1.5", "  CALLSPECIAL Sq.init (F)V", f"  BCONST {d}", "  CALL live (RZ)V"]
    # Function values in an array (their bound strings moved by collections).
    body += [f"  ICONST {len(SHAPES_OF_I_I)}", "  NEWARRAY (I)I", "  STORE 0"]
    for i, v in enumerate(SHAPES_OF_I_I[:-1]):
        body += ["  LOAD 0", f"  ICONST {i}", v, "  RASTORE"]
    body += ["  ICONST 0", "  STORE 1", "  again:", "  LOAD 1", f"  ICONST {len(SHAPES_OF_I_I) - 1}", "  IGE",
             "  JT done", "  LOAD 0", "  LOAD 1", "  RALOAD", "  ICONST 20", "  CALL sum (RI)V",
             "  LOAD 1", "  ICONST 1", "  IADD", "  STORE 1", "  JMP again", "  done:"]
    return "func main ()V\n  locals [(I)I I\n" + "\n".join(body) + "\n  RET\nend\n"


CLOSURES = FUNCTIONS + FN_CALLS + fn_main()


def test_function_values_print_what_the_interpreter_prints():
    ran = same_in_every_tier(CLOSURES, refused={"huge"})
    lines = ran.out.splitlines()
    assert lines[:7] == [str(sum(10 + i for i in range(50))), str(sum(3 * i for i in range(50))),
                         str(sum(range(50))), str(sum(7 + i for i in range(50))), str(sum(range(50))),
                         str(sum(int(1.5 * i) + 3 + 2 for i in range(50))), str(sum(max(20, i) for i in range(50)))]
    assert "ArithmeticError: division by zero" in lines[7]
    assert "NullError: cannot call a null function value" in ran.out
    assert "hi there" in lines and "2.5" in lines and "-9.0" in lines and "ValueError" in lines
    assert lines.count("8") == 2 and lines.count("2.25") == 2
    back = handed_back(ran.vm)
    # The division by zero, the null function values, the call of `huge`.
    assert back == {("div", "IDIV"): 1, ("apply", "CALLFN"): 1, ("call_e", "CALLFN"): 1,
                    ("maybe_huge", "CALL"): 1}, back


def test_function_values_of_seven_shapes_are_called_through_adapters():
    """`apply` sees seven shapes of `(I)I` (two function values of `pick`
    share one): more than a site calls directly, so each has an adapter
    but the native's, which the helper calls."""
    ran = run(CLOSURES, "eager")
    assert len(ran.vm.jit.fn_shapes("(I)I")) == 7
    assert len(ran.vm.jit.adapters) == 6
    assert set(handed_back(ran.vm)) == {("div", "IDIV"), ("apply", "CALLFN"), ("call_e", "CALLFN"),
                                        ("maybe_huge", "CALL")}


RECURSION = """
module t
interface Rec
end
abstract Rec.down (I)I
end
class Down implements Rec
end
init Down ()V
  RET
end
method Down.down (I)I
  LOAD 1
  ICONST 0
  IEQ
  JF more
  ICONST 0
  RETV
  more:
  LOAD 0
  CAST Lt.Rec;
  LOAD 1
  ICONST 1
  ISUB
  CALLIFACE Rec.down (I)I
  ICONST 1
  IADD
  RETV
end
func idown (I)I
  NEW Down
  DUP
  CALLSPECIAL Down.init ()V
  LOAD 0
  CALLIFACE Rec.down (I)I
  RETV
end
func fdown (I)I
  LOAD 0
  ICONST 0
  IEQ
  JF more
  ICONST 0
  RETV
  more:
  CLOSURE fdown (I)I 0
  LOAD 0
  ICONST 1
  ISUB
  CALLFN (I)I
  ICONST 1
  IADD
  RETV
end
func add (II)I
  LOAD 0
  LOAD 1
  IADD
  RETV
end
func calls (I)I
  locals I I R
  ICONST 0
  STORE 1
  ICONST 0
  STORE 2
  ICONST 2
  CLOSURE add (II)I 1
  STORE 3
  loop:
  LOAD 2
  LOAD 0
  IGE
  JT out
  LOAD 1
  LOAD 3
  CAST (I)I
  LOAD 2
  CALLFN (I)I
  IADD
  NEW Down
  DUP
  CALLSPECIAL Down.init ()V
  ICONST 3
  CALLIFACE Rec.down (I)I
  IADD
  STORE 1
  LOAD 2
  ICONST 1
  IADD
  STORE 2
  JMP loop
  out:
  LOAD 1
  RETV
end
func spin ()I
  locals I R
  ICONST 0
  STORE 0
  ICONST 1
  CLOSURE add (II)I 1
  STORE 1
  loop:
  LOAD 0
  LOAD 1
  CAST (I)I
  ICONST 1
  CALLFN (I)I
  IADD
  STORE 0
  JMP loop
end
func main ()V
  RET
end
"""

TIERS = ("off", "auto", "eager")


def limited(mode: str, timeout: float | None = None, **kw):
    """A VM with RECURSION loaded; `timeout` is set after the load (loading
    is timed too, and a busy machine may take a good part of it there)."""
    from hllvm import VM
    vm = VM(jit=mode, **kw)
    vm.load([LANG, assemble(RECURSION)])
    vm.timeout = timeout
    return vm


@pytest.mark.parametrize("mode", TIERS)
@pytest.mark.parametrize("fn", ["idown", "fdown"])
def test_stack_depth_through_interface_calls_and_function_values_is_the_interpreters(mode, fn):
    from hllvm import HLError
    vm = limited(mode, max_stack=3000)
    assert vm.call("t", fn, 2500) == 2500
    with pytest.raises(HLError) as e:
        vm.call("t", fn, 5000)
    report = e.value.report()
    assert "StackOverflowError: call depth exceeded 3000 frames" in report
    ref = limited("off", max_stack=3000)
    with pytest.raises(HLError) as e2:
        ref.call("t", fn, 5000)
    assert report == e2.value.report()
    deep = limited(mode, max_stack=200_000)
    assert deep.call("t", fn, 100_000) == 100_000


def fuel_used(mode: str, n: int) -> int:
    vm = limited(mode, fuel=10 ** 9)
    before = vm.control.fuel
    vm.call("t", "calls", n)
    return before - vm.control.fuel


@pytest.mark.parametrize("mode", TIERS)
def test_fuel_through_interface_calls_and_function_values_is_exact(mode):
    need = fuel_used(mode, 2000)
    assert need == fuel_used("off", 2000)
    assert limited(mode, fuel=need).call("t", "calls", 2000) == sum(2 + i + 3 for i in range(2000))
    with pytest.raises(ResourceExhausted, match="fuel"):
        limited(mode, fuel=need - 1).call("t", "calls", 2000)


@pytest.mark.parametrize("mode", TIERS)
def test_timeout_and_interrupt_stop_a_loop_of_function_value_calls(mode):
    import threading
    from hllvm import Interrupted
    vm = limited(mode, timeout=0.2)
    t = time.monotonic()
    with pytest.raises(ResourceExhausted, match="time limit"):
        vm.call("t", "spin")
    assert time.monotonic() - t < 2
    vm = limited(mode)
    stopped = []

    def later():
        stopped.append(time.monotonic())
        vm.interrupt()
    threading.Timer(0.2, later).start()
    with pytest.raises(Interrupted):
        vm.call("t", "spin")
    # Compiled code polls well under a millisecond apart; the bound leaves
    # room for a busy machine's scheduling of the two threads.
    assert time.monotonic() - stopped[0] < 0.5
    if mode == "eager":
        assert vm.modules["t"].function("spin").fid in vm.jit.compiled


STALE = """
module t
class Cell
  field v I
end
init Cell (I)V
  LOAD 0
  LOAD 1
  PUTFIELD Cell.v I
  RET
end
method Cell.step (I)I
  LOAD 1
  ICONST 2500
  IEQ
  JF plain
  CALL huge ()V
  plain:
  LOAD 0
  GETFIELD Cell.v I
  RETV
end
func huge ()V
""" + "\n".join(["  NOP"] * 8001) + """
  SCONST "a"
  SCONST "b"
  CONCAT
  CALLNATIVE lang.println (S)V
  RET
end
func main ()V
  locals I I
  ICONST 0
  STORE 0
  ICONST 0
  STORE 1
  loop:
  LOAD 0
  ICONST 3000
  IGE
  JT out
  NEW Cell
  DUP
  LOAD 0
  CALLSPECIAL Cell.init (I)V
  LOAD 0
  CALLVIRT Cell.step (I)I
  LOAD 1
  IADD
  STORE 1
  LOAD 0
  ICONST 1
  IADD
  STORE 0
  JMP loop
  out:
  LOAD 1
  ITOS
  CALLNATIVE lang.println (S)V
  RET
end
"""


def test_a_loop_entered_from_the_interpreter_and_handed_back_after_a_call_holds_no_stale_reference():
    """`main` runs interpreted first, then its loop moves to compiled code
    (OSR) with its frame's stack registers as the interpreter left them;
    when a callee is handed back and collects in the interpreter, the frame
    stopped after its call must hold no reference the collections since
    have moved (the call's operands read as null)."""
    ref = run(STALE, "off", gc_stress=True)
    got = run(STALE, "auto", gc_stress=True)
    assert got.result() == ref.result() == (0, f"ab\n{sum(range(3000))}\n", "")
    assert got.vm.jit.osr_made and handed_back(got.vm) == {("Cell.step", "CALL"): 1}
