"""The data-flow type check of one function: abstract interpretation over
its control-flow graph with a worklist, and the stack maps it leaves.

The abstract state at an instruction is the operand stack's types (deepest
first) and the set of definitely assigned locals (a bit mask; the receiver
and parameters are assigned at entry).  A local's type is always its
declared type (docs/conventions.md: one type per slot), so the mask is all
the state locals need.

`FunctionCheck.run` keeps an entry state for every block leader (entry,
jump targets, handler entries), walks a block from its leader applying each
instruction's signature (rules.py) with one generic pop/require/push, and
merges the state into each successor: stack depths must be equal, slot
types are joined (types.py; a primitive mismatch is an error), masks are
intersected.  A leader whose state changed is walked again; states only
grow up the (finite) lattice, so this ends.  Leaders are taken lowest pc
first (close to reverse post-order for the compiler's code, so loops settle
in a pass or two), and the number of instructions walked is bounded
(`STEPS_PER_INSTRUCTION`): a hostile input cannot make the pass run long.

Handler entries are roots like the entry (the lowering runs their code
whatever the analysis finds).  An instruction covered by a handler merges
(stack = [caught class], its locals mask) into the handler's entry, so a
handler sees only locals assigned at every instruction that can throw to
it.  Code reachable from neither the entry nor a handler is not type-checked
(it is not even lowered).

An object fresh from NEW has an uninitialised type until CALLSPECIAL init
runs on it (types.py); it may not be carried around a loop back-edge, so
two objects from one NEW are never confused.

Stack maps: at every safepoint (calls, allocations, back-edges, handler
entries) the state *before* the instruction is recorded, overwritten on each
walk; a block's last walk is from its final entry state, so the maps end
final.  See docs/verifier.md for their form.
"""

# Records are collections.namedtuple, not typing.NamedTuple: importing
# typing costs every start of `hll run` some 3 ms.

from heapq import heappop, heappush
from collections import namedtuple

from hlbc import model as M
from hlbc.limits import STEPS_BASE, STEPS_PER_INSTRUCTION
from hlbc.opcodes import TABLE

from ..loadmeter import UNMETERED
from .errors import Bad, located
from .rules import LANG_ERROR, RULE_BY_CODE, Pool
from .structure import END, JUMP, BadAt, shape
from .types import Types, initialised, show, show_req
from .world import display_name, receiver_count

UNSET = "U"     # a local's entry in a stack map when it is not definitely assigned
# Instructions walked at most, per instruction of the function and in all:
# STEPS_PER_INSTRUCTION and STEPS_BASE (hlbc/limits.py), read here at each run.

# Instructions at which the collector may run: every call (HL, native,
# to_string) and every instruction that allocates — the table's
# may_call and may_allocate (`InstrDef.safepoint`).
SAFEPOINTS = frozenset(d.name for d in TABLE if d.safepoint)
_SAFEPOINT_CODES = frozenset(d.code for d in TABLE if d.safepoint)


# Types at one pc, before the instruction runs.  `locals`: one entry per
# local slot, its declared type or "U" (not definitely assigned: holds its
# zero value or a dead value, never read before written).  `stack`: the
# operand stack, deepest first; types are descriptors plus "N" (null), "R"
# (a reference of unknown kind) and "!<pc>Lm.C;" (a reference to an object
# whose init has not run).
# Fields:
#   locals: tuple[str, ...]
#   stack: tuple[str, ...]
StackMap = namedtuple("StackMap", "locals stack")


# What verifying one function established, for the linker and the
# lowering (which re-derive none of it): the decoded and structurally
# checked code (`shape`), the operand-stack depth before each instruction
# (by index; None where unreachable) and the deepest the stack gets.
# Fields:
#   stack_maps: dict  # pc → StackMap
#   instructions: int  # instructions in the code
#   reachable: int  # instructions type-checked
#   shape: object  # structure.Shape
#   depths: list  # stack depth before each instruction, or None
#   max_depth: int  # the greatest stack depth at any point
FunctionResult = namedtuple("FunctionResult", "stack_maps instructions reachable shape depths max_depth")


class FunctionCheck:
    """Verifies one function; `run()` → FunctionResult or VerifyError."""

    def __init__(self, world, types: Types, pool: Pool, mdesc: M.ModuleDesc, index: int,
                 record_all: bool = False, meter=UNMETERED):
        fd = mdesc.functions[index]
        self.world = world
        self.types = types
        self.pool = pool
        self.mdesc = mdesc
        self.module = mdesc.name
        self.fd = fd
        self.locals = fd.locals
        self.ret = fd.ret
        self.is_modinit = bool(fd.flags & M.F_MODINIT) and mdesc.init == index
        self.name = display_name(mdesc, fd)
        self.record_all = record_all
        self.meter = meter          # the load's time and memory budget (hllvm/loadmeter.py)

    def fail(self, e: Bad, pc: int | None) -> Exception:
        return located(e, self.module, self.name, pc)

    def run(self) -> FunctionResult:
        try:
            sh = shape(self.mdesc, self.fd)
        except BadAt as e:
            raise self.fail(e.error, e.pc) from None
        try:
            hstacks = [(self._caught(klass),) for _s, _e, _h, klass in sh.handlers]
        except Bad as e:
            e.detail = f"handler: {e.detail}"
            raise self.fail(e, None) from None
        return self._flow(sh, hstacks)

    def _caught(self, klass: int) -> str:
        if klass == M.NO_INDEX:
            return self.world.check_type(LANG_ERROR)
        ci = self.world.cls(self.world.class_key(self.mdesc, klass))
        if LANG_ERROR not in ci.ancestors:
            raise Bad(f"caught class {ci.qual} is not an Error")
        return ci.desc

    # --- the worklist --------------------------------------------------------------------
    def _flow(self, sh, hstacks) -> FunctionResult:
        pcs, defs, argv = sh.pcs, sh.defs, sh.args
        n = len(pcs)
        flow, target, cover, leader = sh.flow, sh.target, sh.cover, sh.leader
        hentry = [h[2] for h in sh.handlers]
        sigs: list = [None] * n
        states: list = [None] * n
        queued = bytearray(n)
        work: list[int] = []
        types = self.types
        ok = types.ok
        max_stack = self.fd.max_stack
        maps: dict[int, tuple] = {}
        record = self._safepoints(sh)
        depths: list = [None] * n
        top = 0                     # the deepest stack seen

        def merge(j: int, stack, mask: int) -> None:
            st = states[j]
            if st is None:
                states[j] = (tuple(stack), mask)
            else:
                ost, omask = st
                nmask = omask & mask
                new = tuple(stack)
                if new != ost:
                    if len(new) != len(ost):
                        raise Bad(f"stack depth {len(new)} disagrees with depth {len(ost)} "
                                  f"on another path to pc {pcs[j]}")
                    joined = []
                    for a, b in zip(ost, new):
                        t = types.join(a, b)
                        if t is None:
                            raise Bad(f"stack slot {len(joined)} is {show(b)} here but {show(a)} "
                                      f"on another path to pc {pcs[j]}")
                        joined.append(t)
                    new = tuple(joined)
                if new == ost and nmask == omask:
                    return
                states[j] = (new, nmask)
            if not queued[j]:
                queued[j] = 1
                heappush(work, j)

        nargs = len(self.fd.params) + receiver_count(self.fd)
        states[0] = ((), (1 << nargs) - 1)
        queued[0] = 1
        work.append(0)
        # Every handler is a root, as in the lowering (lower.py), so all code
        # that is lowered is verified.  Its locals start "all assigned" (the
        # identity of the intersection): a handler that no reachable
        # instruction can throw to never runs, one that can ends with the
        # locals assigned at every such instruction.
        full = (1 << len(self.locals)) - 1
        k = 0
        try:
            for hn, hk in enumerate(hentry):
                k = hk
                if max_stack < 1:
                    raise Bad("a handler needs a stack slot but max stack is 0")
                merge(hk, hstacks[hn], full)
        except Bad as e:
            raise self.fail(e, pcs[k]) from None
        # A bound on instructions walked, so no input can keep the pass busy
        # for long: code the compiler writes settles in a few passes.
        budget = STEPS_PER_INSTRUCTION * n + STEPS_BASE
        meter = self.meter
        meter.tick(n)
        k = 0
        try:
            while work:
                k = heappop(work)
                queued[k] = 0
                st, mask = states[k]
                stack = list(st)
                while True:
                    if cover[k]:
                        for hn in cover[k]:
                            hk = hentry[hn]
                            hs = states[hk]
                            if hs[1] & mask != hs[1] or hs[0] != hstacks[hn]:
                                merge(hk, hstacks[hn], mask)
                    depths[k] = len(stack)
                    if record[k]:
                        maps[pcs[k]] = (mask, tuple(stack))
                    s = sigs[k]
                    if s is None:
                        r = RULE_BY_CODE[defs[k].code]
                        s = sigs[k] = r if r.__class__ is tuple else r(self, pcs[k], argv[k])
                    pops, pushes, post, load, store, init = s
                    if load >= 0 and not (mask >> load) & 1:
                        raise Bad(f"local {load} is read before it is written")
                    npop = len(pops)
                    if npop:
                        depth = len(stack)
                        if depth < npop:
                            raise Bad(f"{defs[k].name} needs {npop} operands, the stack has {depth}")
                        args = stack[depth - npop:]
                        for i in range(npop):
                            req = pops[i]
                            t = args[i]
                            if req != t and not ok(req, t):
                                raise Bad(f"expected {show_req(req)}, found {show(t)} "
                                          f"(operand {i + 1} of {defs[k].name})")
                        del stack[depth - npop:]
                    else:
                        args = ()
                    if init and args[0][0] == "!":
                        fresh = args[0]
                        made = initialised(fresh)
                        for i, t in enumerate(stack):
                            if t == fresh:
                                stack[i] = made
                    if post is not None:
                        pushes = post(args)
                    for p in pushes:
                        stack.append(p if p.__class__ is str else args[p])
                    if len(stack) > top:
                        top = len(stack)
                        if top > max_stack:
                            raise Bad(f"stack depth {top} exceeds max stack {max_stack}")
                    if store >= 0:
                        mask |= 1 << store
                    f = flow[k]
                    if f:
                        if f == END:
                            break
                        if target[k] <= k:
                            for t in stack:
                                if t[0] == "!":
                                    raise Bad(f"{show(t)} on the stack at a loop back-edge")
                        merge(target[k], stack, mask)
                        if f == JUMP:
                            break
                    budget -= 1
                    if not budget & 4095:
                        meter.check()
                    if budget < 0:
                        raise Bad(f"the type analysis did not settle within "
                                  f"{STEPS_PER_INSTRUCTION * n + STEPS_BASE} steps")
                    nk = k + 1
                    if nk >= n:
                        raise Bad("code falls off its end")
                    if leader[nk]:
                        merge(nk, stack, mask)
                        break
                    k = nk
        except Bad as e:
            raise self.fail(e, pcs[k]) from None
        # A handler's entry holds its exception even if nothing below pushes.
        if hentry:
            top = max(top, 1)
        return self._result(sh, maps, sigs, depths, top)

    def _safepoints(self, sh) -> bytearray:
        n = len(sh.pcs)
        if self.record_all:
            return bytearray(b"\x01" * n)
        rec = bytearray(n)
        target = sh.target
        for k, d in enumerate(sh.defs):
            if d.code in _SAFEPOINT_CODES or 0 <= target[k] <= k:
                rec[k] = 1
        for h in sh.handlers:
            rec[h[2]] = 1
        return rec

    def _result(self, sh, maps, sigs, depths, top) -> FunctionResult:
        decl = self.locals
        nl = len(decl)
        expand: dict[int, tuple] = {}
        out = {}
        for pc, (mask, stack) in maps.items():
            loc = expand.get(mask)
            if loc is None:
                loc = expand[mask] = tuple(decl[i] if (mask >> i) & 1 else UNSET for i in range(nl))
            out[pc] = StackMap(loc, stack)
        reachable = sum(1 for s in sigs if s is not None)
        return FunctionResult(out, len(sh.pcs), reachable, sh, depths, top)


__all__ = ["FunctionCheck", "FunctionResult", "StackMap", "SAFEPOINTS", "UNSET"]
