"""Hand-assembled programs for the tier-1 tests of the Part B instructions.

`run(text, mode)` assembles HL assembly (hll/hlasm.py) as module `t`,
loads it with a small prelude (the error classes, and two natives as
module functions, so that a test can make function values of natives), runs `t.main` and returns a `Ran`.  `same_in_every_tier(text)`
checks that the interpreter, `auto` and `eager` print the same bytes and
exit with the same status (also under GC stress), and returns the eager
run.

`once(name, sig, body, locals_)` writes a function whose body runs inside
a loop of one iteration: a function with a loop is entered in compiled
code at every call from the interpreter (tier.py `_install`), so each
call of it runs its body natively, even after an earlier call handed its
frame back.  `handed_back(vm)` names the instructions compiled code stopped
before (and left to the interpreter), with their counts.
"""

from __future__ import annotations

import io
import os
import sys

from hll import hlasm
from hlbc.code import decode
from hllvm import VM

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "vm"))

from asm import ERRORS, ModBuilder  # noqa: E402


def make_lang():
    """The prelude: Error and its subclasses, and `_class_name`,
    `min_float` and `max_int` (natives) declared as module functions."""
    b = ModBuilder("lang", imports=())
    b.native_fn("_class_name", ["Llang.Error;"], "S")
    b.native_fn("min_float", ["F", "F"], "F")
    b.native_fn("max_int", ["I", "I"], "I")
    b.cls("Error", fields=[("message", "S")])
    b.method("Error", "init", ["S"], "V", ["S"], [
        ("LOAD", 0), ("LOAD", 1), ("PUTFIELD", ("Error", "message", "S")), ("RET",)], init=True)
    b.method("Error", "to_string", [], "S", [], [
        ("LOAD", 0), ("CALL", ("lang", "_class_name", "(Llang.Error;)S")),
        ("SCONST", ": "), ("CONCAT",),
        ("LOAD", 0), ("GETFIELD", ("Error", "message", "S")), ("STOS",), ("CONCAT",), ("RETV",)])
    for e in ERRORS:
        b.cls(e, super="Error")
        b.method(e, "init", ["S"], "V", ["S"], [
            ("LOAD", 0), ("LOAD", 1), ("CALLSPECIAL", ("Error", "init", "(S)V")), ("RET",)], init=True)
    return b.build()


LANG = make_lang()


class Ran:
    def __init__(self, status, out, err, vm):
        self.status, self.out, self.err, self.vm = status, out, err, vm

    def result(self):
        return self.status, self.out, self.err


def assemble(text: str):
    return hlasm.assemble(text, others={"lang": LANG})


def run(text: str, mode: str, extra=(), **kw) -> Ran:
    out, err = io.StringIO(), io.StringIO()
    vm = VM(jit=mode, stdout=out, stderr=err, **kw)
    vm.load([LANG, assemble(text), *extra])
    status = vm.run_main("t")
    return Ran(status, out.getvalue(), err.getvalue(), vm)


def same_in_every_tier(text: str, stress: bool = True, refused=(), **kw) -> Ran:
    """The eager run, after checking every tier against the interpreter
    (and that it compiled every function but those named in `refused`)."""
    ref = run(text, "off", **kw)
    got = None
    for mode in ("auto", "eager"):
        got = run(text, mode, **kw)
        assert got.result() == ref.result(), mode
    if stress:
        kws = {**kw, "gc_stress": True}
        ref_s = run(text, "off", **kws)
        assert ref_s.result() == ref.result()
        assert run(text, "eager", **kws).result() == ref.result(), "eager under GC stress"
    names = {got.vm.interp.functions[f].display for f in got.vm.jit.refused}
    assert names == set(refused), got.vm.jit.refused
    return got


def handed_back(vm) -> dict:
    """(function, instruction name) → how many frames compiled code handed
    back to the interpreter just before it."""
    out: dict = {}
    for (fid, pc), n in vm.jit.handbacks.items():
        fn = vm.interp.functions[fid]
        name = next(i.op.name for i in decode(fn.desc.code) if i.pc == pc)
        key = (fn.display, name)
        out[key] = out.get(key, 0) + n
    return out


def once(name: str, sig: str, body: str, locals_: str = "") -> str:
    """A void function `name` whose `body` (leaving the stack empty) runs
    in a loop of one iteration, and prints the text of an error it throws
    instead; its last two locals are the error and the loop's counter."""
    params = sig[1:sig.index(")")]
    e = _count_types(params) + _count_types(locals_.replace(" ", ""))
    n = e + 1
    return f"""
func {name} {sig}
  locals {locals_} Llang.Error; I
  ICONST 0
  STORE {n}
  top:
  try:
{body}
  done:
  JMP next
  catch:
  STORE {e}
  LOAD {e}
  TOSTR_OBJ
  CALLNATIVE lang.println (S)V
  next:
  LOAD {n}
  ICONST 1
  IADD
  DUP
  STORE {n}
  ICONST 1
  ILT
  JT top
  RET
  handler try done catch any
end
"""


def _count_types(s: str) -> int:
    """How many type descriptors `s` (descriptors written one after another) holds."""
    from hlbc.model import parse_type
    n, i = 0, 0
    while i < len(s):
        i = parse_type(s, i)
        n += 1
    return n
