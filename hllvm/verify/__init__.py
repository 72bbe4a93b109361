"""The bytecode verifier: every module the VM loads passes here first.

    verified = verify_modules(batch, loaded, native_signature)

checks a batch of `ModuleDesc`s against the modules already loaded and the
batch itself, and returns a `Verified` (facts.py): `.functions`, for every
function with code, its `FunctionResult` (stack maps at safepoints,
instruction counts), keyed by (module name, function index) — the result
itself is also that mapping, as it was before it had classes — and
`.classes`, for every class and interface of the batch, its `ClassFacts`
(field slots, vtable, ancestors, depth, init, whether it is an Error or an
interface, the interfaces it reaches, its itable), keyed by (module name,
class name), superclasses and interfaces first: what the linker lays out
without checking again.  Anything wrong raises `VerifyError` naming the module,
function (or class), pc and the mismatch.  The rules are listed in
docs/verifier.md.

Parts: `world` (what the descriptors declare, and the declaration checks),
`types` (assignability and joins), `structure` (operands, targets, handler
ranges), `rules` (one signature per instruction, from the instruction
table), `flow` (the data-flow pass and stack maps), `facts` (the result).
The verifier reads descriptors only; it builds nothing the VM runs, and it
never runs code.
"""

from __future__ import annotations

from hlbc import model as M

from ..loadmeter import UNMETERED
from .errors import VerifyError
from .facts import ClassFacts, ISlotFacts, Verified, VSlotFacts, class_facts
from .flow import SAFEPOINTS, UNSET, FunctionCheck, FunctionResult, StackMap
from .rules import Pool
from .types import Types
from .world import World


def verify_modules(batch, loaded=(), native_signature=lambda name: None,
                   record_all: bool = False, meter=UNMETERED) -> Verified:
    """Verify `batch` (ModuleDescs) against `loaded` (ModuleDescs already in
    the VM).  `native_signature(name)` gives a native's signature or None.
    With `record_all`, stack maps are kept at every reachable pc (for a JIT
    that wants them all), not only at safepoints.  `meter` (loadmeter.py)
    is told of the work as it is done, and stops a load over its limits."""
    batch = list(batch)
    world = World(loaded, batch, native_signature)
    types = Types(world)
    for m in batch:
        world.check_module(m)
    results: dict[tuple[str, int], FunctionResult] = {}
    for m in batch:
        pool = Pool(world, m)
        for i, fd in enumerate(m.functions):
            if fd.flags & (M.F_NATIVE | M.F_ABSTRACT):
                continue
            results[(m.name, i)] = FunctionCheck(world, types, pool, m, i, record_all, meter).run()
    return Verified(results, _classes(world, batch))


def _classes(world: World, batch) -> dict:
    """ClassFacts of the batch's classes and interfaces, each after its
    batch superclass and the batch interfaces it lists (a depth-first
    post-order, iterative: an interface may extend a long chain of them)."""
    ours = {(m.name, c.name) for m in batch for c in m.classes}
    out: dict = {}
    for m in batch:
        for c in m.classes:
            stack = [(world.cls((m.name, c.name)), False)]
            while stack:
                ci, ready = stack.pop()
                if ci.key in out:
                    continue
                if ready:
                    out[ci.key] = class_facts(ci)
                    continue
                stack.append((ci, True))
                for nxt in ([ci.super] if ci.super is not None else []) + list(ci.direct):
                    if nxt.key in ours and nxt.key not in out:
                        stack.append((nxt, False))
    return out


__all__ = ["verify_modules", "VerifyError", "StackMap", "FunctionResult", "SAFEPOINTS", "UNSET",
           "Verified", "ClassFacts", "VSlotFacts", "ISlotFacts"]
