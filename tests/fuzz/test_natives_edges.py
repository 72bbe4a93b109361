"""Every native the VM provides, called with edge values of the types its
signature names (as verified code can call it): it returns, or throws an HL
error, or ends the program — never raises a Python exception."""

import io
import itertools
import math

import compiler
from hlbc.model import parse_signature
from hllvm import VM
from hllvm.errors import ExitProgram, HLThrow

INTS = [0, 1, -1, 2, 7, -5, 256, 0xD800, 0x10FFFF, 1 << 40, -(1 << 63), (1 << 63) - 1]
FLOATS = [0.0, -0.0, 0.5, -0.5, 1.5, -2.5, 1e19, -1e19, 1e308, 5e-324, math.inf, -math.inf, math.nan]
TEXTS = ["", "a", " 12 ", "-0", "+", "1e400", "nan", "0x10", "1_000", "\u0663", "\U0001F600x", "\x00", "\ud800",
         "ab" * 50]
SKIP = {"time.sleep"}     # sleeps for as long as it is asked (its argument checks are tested elsewhere)


def test_natives_take_any_value_of_their_types():
    prog = compiler.compile_source("import math; import io; import time;\nfn main() {}")
    vm = VM(stdin=io.StringIO("line\n"), stdout=io.StringIO(), stderr=io.StringIO(), max_heap=64 << 20)
    vm.load(prog.modules)
    heap = vm.heap

    def values(t):
        if t == "I":
            return INTS
        if t == "F":
            return FLOATS
        if t == "Z":
            return [True, False]
        if t == "S":
            return [0] + [heap.new_str(s) for s in TEXTS]
        if t == "[S":
            return [0, heap.new_str_array([]), heap.new_str_array(["a", None, "\ud800", ""])]
        return [0, vm.errors.make("ValueError", "x")]       # a class reference, or null

    problems, calls = [], 0
    for name, (sig, _fn, _nullable) in sorted(vm._natives.items()):
        if name in SKIP:
            continue
        params, _ret = parse_signature(sig)
        binding = vm.native(name, sig)
        for args in itertools.islice(itertools.product(*[values(p) for p in params]), 2000):
            calls += 1
            try:
                binding.call(*args)
            except (HLThrow, ExitProgram):
                pass
            except Exception as e:       # noqa: BLE001 - any other exception is the bug
                problems.append(f"{name}{args}: {e!r}")
    assert calls > 1000
    assert not problems, "\n".join(problems[:20])
