"""One function's code under construction: instructions, labels, handlers, lines.

`Assembler` collects `(name, *operands)` instructions whose jump operands may
be `Label`s (one flat tuple each: a function of a million instructions
holds them all until it is finished), drops code that cannot be reached (after a jump, return or throw
until a label that something jumps to), records line-table entries, and
tracks protected `Region`s for exception handlers.  `finish()` resolves
labels to absolute byte offsets, encodes with `hlbc.code`, and computes the
maximum stack depth by walking every path with the stack effects of
`hlbc.opcodes` (signatures decide the effect of calls and CALLFN, the u8
operand that of CLOSURE).  It checks the
limits of hlbc/limits.py that only finished code shows (stack depth, code
size, handlers' coverage), raising `LimitError` at the position the line
table gives the offending instruction, and clamps the line table's
positions to its field widths.  It knows nothing of HL syntax.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass

from hlbc import model as M
from hlbc.code import encode_one
from hlbc.limits import MAX_CODE_BYTES, MAX_STACK, clamp_column, clamp_line, handler_cover_limit
from hlbc.opcodes import BY_NAME, stack_effect

from .limits import LimitError

# Instructions whose "?" stack effect does not depend on an operand (PUTFIELD
# pops the object and the value: its "?" stands for both).
_ENDS_FLOW = ("jump", "return", "throw")


class InternalError(Exception):
    """The compiler produced inconsistent code: a bug, never the program's fault."""


class Label:
    __slots__ = ("index", "used")

    def __init__(self) -> None:
        self.index: int | None = None     # instruction index it is bound to
        self.used = False                 # some reachable code jumps here


class Region:
    """Instruction ranges protected by one set of handlers.  Ranges are
    suspended while code that runs outside the `try` is emitted inside it
    (an inlined `finally` on a `break`, for instance)."""

    def __init__(self, asm: Assembler):
        self.asm = asm
        self.ranges: list[tuple[int, int]] = []
        self._open: int | None = None

    def start(self) -> None:
        if self._open is None:
            self._open = len(self.asm.instrs)

    def stop(self) -> None:
        if self._open is not None:
            end = len(self.asm.instrs)
            if end > self._open:
                self.ranges.append((self._open, end))
            self._open = None

    @property
    def active(self) -> bool:
        return self._open is not None


@dataclass
class _Handler:
    start: int
    end: int
    label: Label
    klass: int


class Assembler:
    def __init__(self, consts: list[M.Const]):
        self.consts = consts                      # the module pool, to read call signatures
        self.instrs: list[tuple] = []             # (name, *operands)
        self.reachable = True
        self.handlers: list[_Handler] = []
        self.lines: list[tuple[int, int, int]] = []   # (instruction index, line, col)
        self._pos: tuple[int, int] | None = None
        self._pos_forced = False

    # --- emitting -------------------------------------------------------------------

    def emit(self, name: str, *args) -> None:
        if not self.reachable:
            return
        self._line_entry()
        self.instrs.append((name, *args))
        if BY_NAME[name].flow in _ENDS_FLOW:
            self.reachable = False

    def jump(self, name: str, label: Label) -> None:
        """JMP, JT or JF to `label`."""
        if not self.reachable:
            return
        label.used = True
        self.emit(name, label)

    def bind(self, label: Label) -> None:
        label.index = len(self.instrs)
        if label.used:
            self.reachable = True

    def bind_loop_head(self, label: Label, live: bool) -> None:
        """A label jumped to only from below (a loop's first instruction): its
        reachability is that of the loop's entry, `live`, which the caller
        took before jumping to the loop's test."""
        label.index = len(self.instrs)
        label.used = live
        self.reachable = live

    def region(self) -> Region:
        return Region(self)

    def add_handler(self, region: Region, label: Label, klass: int) -> None:
        """Handlers are searched in the order they are added: add the
        innermost `try`'s first."""
        for start, end in region.ranges:
            self.handlers.append(_Handler(start, end, label, klass))
            label.used = True

    # --- line table -------------------------------------------------------------------

    def statement(self, line: int, col: int) -> None:
        """The next instruction starts a statement: it gets a line entry."""
        self._pos = (line, col)
        self._pos_forced = True

    def position(self, line: int, col: int) -> None:
        """The next instruction belongs to this position; an entry is added
        only if the line changes.  A pending statement start wins: its
        first instruction is recorded at the statement's position."""
        if not self._pos_forced:
            self._pos = (line, col)

    def here(self) -> tuple[int, int]:
        """The source position of the next instruction ((0, 0): none yet)."""
        return self._pos or (0, 0)

    def _position_of(self, index: int) -> tuple[int, int]:
        """The source position the line table gives instruction `index`."""
        k = bisect_right(self.lines, (index, float("inf"))) - 1
        return self.lines[k][1:] if k >= 0 else self.here()

    def _line_entry(self) -> None:
        if self._pos is None:
            return
        line, col = self._pos
        if not self._pos_forced and self.lines and self.lines[-1][1] == line:
            return
        idx = len(self.instrs)
        if self.lines and self.lines[-1][0] == idx:
            self.lines[-1] = (idx, line, col)
        elif not self.lines or self.lines[-1][1:] != (line, col):
            self.lines.append((idx, line, col))
        self._pos_forced = False

    # --- finishing ----------------------------------------------------------------------

    def finish(self, where: str) -> tuple[bytes, int, tuple[M.Handler, ...], tuple[M.LineEntry, ...]]:
        if self.reachable:
            raise InternalError(f"{where}: code falls off the end of the function")
        # Offsets as machine words, not a list of ints: a function of a
        # million instructions would hold 36 MB of them beside its code.
        pcs = array("q")
        pc = 0
        for ins in self.instrs:
            pcs.append(pc)
            pc += BY_NAME[ins[0]].size
        pcs.append(pc)
        if pc > MAX_CODE_BYTES:
            i = bisect_right(pcs, MAX_CODE_BYTES) - 1
            raise LimitError(*self._position_of(i), f"'{where}' is too long: its code would take more "
                                                    f"than {MAX_CODE_BYTES} bytes")
        self._check_cover(where)

        def at(index: int) -> int:
            return pcs[index]

        code = bytearray()
        for ins in self.instrs:
            name = ins[0]
            resolved = []
            for a in ins[1:]:
                if isinstance(a, Label):
                    if a.index is None:
                        raise InternalError(f"{where}: jump to an unbound label")
                    a = at(a.index)
                resolved.append(a)
            code += encode_one(name, *resolved)
        handlers = tuple(M.Handler(at(h.start), at(h.end), at(h.label.index), h.klass)
                         for h in self.handlers)
        lines = tuple(M.LineEntry(at(i), clamp_line(line), clamp_column(col)) for i, line, col in self.lines)
        return bytes(code), self._max_stack(where), handlers, lines

    def _check_cover(self, where: str) -> None:
        """The handlers' ranges together cover at most as many (instruction,
        handler) pairs as the verifier allows (many `try`s nested deep)."""
        limit = handler_cover_limit(len(self.instrs))
        covered = 0
        for h in self.handlers:
            covered += h.end - h.start
            if covered > limit:
                raise LimitError(*self._position_of(h.start),
                                 f"try blocks nested too deeply in '{where}': its exception handlers would "
                                 f"cover more than {limit} (instruction, handler) pairs")

    def _effect(self, name: str, args: tuple) -> tuple[int, int]:
        d = BY_NAME[name]
        if not d.variadic:
            return stack_effect(d)
        if d.types == "capture":    # CLOSURE f k: the k values it binds
            return stack_effect(d, captures=args[1])
        if d.types == "fntype":     # CALLFN: its operand is the function type, a signature
            return stack_effect(d, self.consts[args[0]].value)
        # a call: its effect is its callee's signature's
        return stack_effect(d, self.consts[args[0]].value[-1])

    def _max_stack(self, where: str) -> int:
        """Walk every path from the entry and every handler, checking that
        the depth agrees wherever paths meet."""
        n = len(self.instrs)
        depth: list[int | None] = [None] * (n + 1)
        handler_starts: dict[int, list[int]] = {}
        for h in self.handlers:
            for i in range(h.start, h.end):
                handler_starts.setdefault(i, []).append(h.label.index)
        work = [(0, 0)]
        best = 0

        def reach(i: int, d: int) -> None:
            if depth[i] is None:
                depth[i] = d
                work.append((i, d))
            elif depth[i] != d:
                raise InternalError(f"{where}: stack depth {depth[i]} vs {d} at instruction {i}")

        depth[0] = 0 if n else None
        while work:
            i, d = work.pop()
            if i >= n:
                raise InternalError(f"{where}: control reaches the end of the code")
            for target in handler_starts.get(i, ()):
                reach(target, 1)
            best = max(best, 1 if i in handler_starts else 0)
            ins = self.instrs[i]
            name, args = ins[0], ins[1:]
            pops, pushes = self._effect(name, args)
            if d < pops:
                raise InternalError(f"{where}: stack underflow at instruction {i} ({name})")
            after = d - pops + pushes
            best = max(best, after, d)
            if best > MAX_STACK:
                raise LimitError(*self._position_of(i), f"expression too big: '{where}' would need more "
                                                        f"than {MAX_STACK} operand stack slots here")
            flow = BY_NAME[name].flow
            if flow in ("jump", "branch"):
                reach(args[0].index, after)
            if flow not in _ENDS_FLOW:
                reach(i + 1, after)
        return best
