"""Fuel is exact in the interpreter, as wasmtime's: a program that needs N
units (calls plus loop back-edges) runs to the end with `fuel=N` and stops
with N - 1, however its events are spread over functions."""

import io

import pytest

from asm import ModBuilder, make_lang

from hllvm import VM, ResourceExhausted


def program(n: int) -> ModBuilder:
    """main calls spin(i) for i in 0..n-1; spin(k) loops k times and calls
    leaf() each time: events spread over three functions' countdowns."""
    b = ModBuilder("t")
    b.func("leaf", [], "I", [], [("ICONST", 1), ("RETV",)])
    b.func("spin", ["I"], "I", ["I", "I"], [
        ("ICONST", 0), ("STORE", 1),
        "top:", ("LOAD", 0), ("ICONST", 0), ("IGT",), ("JF", "end"),
        ("LOAD", 1), ("CALL", ("t", "leaf", "()I")), ("IADD",), ("STORE", 1),
        ("LOAD", 0), ("ICONST", 1), ("ISUB",), ("STORE", 0), ("JMP", "top"),
        "end:", ("LOAD", 1), ("RETV",)])
    b.func("run", [], "I", ["I", "I"], [
        ("ICONST", 0), ("STORE", 0), ("ICONST", 0), ("STORE", 1),
        "top:", ("LOAD", 0), ("ICONST", n), ("ILT",), ("JF", "end"),
        ("LOAD", 1), ("LOAD", 0), ("CALL", ("t", "spin", "(I)I")), ("IADD",), ("STORE", 1),
        ("LOAD", 0), ("ICONST", 1), ("IADD",), ("STORE", 0), ("JMP", "top"),
        "end:", ("LOAD", 1), ("RETV",)])
    b.func("main", [], "V", [], [("RET",)])
    return b


def fresh_vm(fuel=None) -> VM:
    vm = VM(stdout=io.StringIO(), fuel=fuel, jit="off")   # hotness: the interpreter's count (tests/jit: fuel in every tier)
    vm.load([make_lang(), program(60).build()])
    return vm


def cost() -> int:
    vm = fresh_vm(fuel=10**9)
    vm.initialise()
    before = vm.fuel
    assert vm.call("t", "run") == sum(range(60))
    return before - vm.fuel


def test_cost_is_calls_plus_back_edges():
    # run: 1 call + 60 back-edges; spin: 60 calls + sum(range(60)) back-edges;
    # leaf: sum(range(60)) calls.
    assert cost() == 1 + 60 + 60 + 2 * sum(range(60))


@pytest.mark.parametrize("spare", [0, 1, 1000])
def test_exact_budget_finishes(spare):
    n = cost()
    vm = fresh_vm(fuel=n + spare)
    vm.initialise()
    assert vm.call("t", "run") == sum(range(60))
    assert vm.fuel == spare


@pytest.mark.parametrize("short", [1, 2, 500, 3000])
def test_one_unit_short_stops(short):
    n = cost()
    vm = fresh_vm(fuel=n - short)
    vm.initialise()
    with pytest.raises(ResourceExhausted):
        vm.call("t", "run")
    assert vm.fuel == 0


def test_fuel_read_during_a_call_is_exact_and_hotness_is_exact():
    vm = fresh_vm(fuel=10**9)
    vm.initialise()
    vm.call("t", "run")
    assert vm.hotness("t", "leaf") == sum(range(60))
    assert vm.hotness("t", "spin") == 60 + sum(range(60))
    assert vm.hotness("t", "run") == 1 + 60
