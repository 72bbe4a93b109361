"""A snapshot as an editable structure: every section decoded into Python
values (`Snap`), and written back with a fresh checksum (`Snap.pack`), so a
mutation can change one field and still reach the checks behind the header.

The decoding mirrors hllvm/snapshot/capture.py's writer and uses
hllvm/snapshot/format.py's reader; it trusts its input (it is only ever
given snapshots that the VM made), and checks nothing a restore checks.
`Snap.sections()` gives the payloads one by one, for mutations that damage
the bytes of one section and seal them again.
"""

from __future__ import annotations

import struct
from array import array
from dataclasses import dataclass, field

from hllvm.snapshot import format as F

_HEAD = struct.Struct("<8sHHIQ32s")


class _W(F.Writer):
    """A writer that wraps any int into its field's width (a forgery may
    have pushed one past it)."""

    def u8(self, v: int) -> None:
        super().u8(v & 0xFF)

    def u32(self, v: int) -> None:
        super().u32(v & 0xFFFF_FFFF)

    def i64(self, v: int) -> None:
        v &= (1 << 64) - 1
        super().i64(v - (1 << 64) if v >> 63 else v)


@dataclass
class Frame:
    module: int
    function: int
    pc: int
    after: int
    locals: list = field(default_factory=list)
    stack: list = field(default_factory=list)


@dataclass
class Snap:
    task: int = 0
    task_module: str = ""
    task_function: str = ""
    fuel: int = -1
    idhash: int = 0
    nblocks: int = 0
    modules: list = field(default_factory=list)     # [name, flags, .hlc bytes]
    types: list = field(default_factory=list)       # [tid, kind, payload tuple]
    heap: array = field(default_factory=lambda: array("q", [0, 0]))
    globals: list = field(default_factory=list)     # per module: [i64, ...]
    frames: list = field(default_factory=list)      # [Frame]
    traces: list = field(default_factory=list)      # [ref, [(module, function, pc), ...]]
    handles: list = field(default_factory=list)     # [name, ref]
    major: int = F.MAJOR
    minor: int = F.MINOR
    flags: int = 0

    # --- writing ------------------------------------------------------------------------
    def sections(self) -> dict[int, bytes]:
        me = _W()
        me.u8(self.task)
        me.str(self.task_module)
        me.str(self.task_function)
        me.i64(self.fuel)
        me.i64(self.idhash)
        me.i64(self.nblocks)
        mo = _W()
        mo.u32(len(self.modules))
        for name, flags, blob in self.modules:
            mo.str(name)
            mo.u8(flags)
            mo.blob(blob)
        ty = _W()
        ty.u32(len(self.types))
        for tid, kind, payload in self.types:
            ty.u32(tid)
            ty.u8(kind)
            for v in payload:
                if isinstance(v, str):
                    ty.str(v)
                else:
                    ty.u32(v)
        hp = _W()
        hp.words(self.heap)
        gl = _W()
        gl.u32(len(self.globals))
        for ws in self.globals:
            gl.u32(len(ws))
            for w in ws:
                gl.i64(w)
        fr = _W()
        fr.u32(len(self.frames))
        for f in self.frames:
            fr.u32(f.module)
            fr.u32(f.function)
            fr.u32(f.pc)
            fr.u8(f.after)
            fr.u32(len(f.locals))
            for w in f.locals:
                fr.i64(w)
            fr.u32(len(f.stack))
            for w in f.stack:
                fr.i64(w)
        tr = _W()
        tr.u32(len(self.traces))
        for ref, entries in self.traces:
            tr.i64(ref)
            tr.u32(len(entries))
            for mi, fi, pc in entries:
                tr.u32(mi)
                tr.u32(fi)
                tr.u32(pc)
        hw = _W()
        hw.u32(len(self.handles))
        for name, ref in self.handles:
            hw.str(name)
            hw.i64(ref)
        return {F.META: bytes(me.buf), F.MODULES: bytes(mo.buf), F.TYPES: bytes(ty.buf),
                F.HEAP: bytes(hp.buf), F.GLOBALS: bytes(gl.buf), F.FRAMES: bytes(fr.buf),
                F.TRACES: bytes(tr.buf), F.HANDLES: bytes(hw.buf)}

    def pack(self) -> bytes:
        return seal(self.sections(), self.major, self.minor, self.flags)


def seal(sections: dict[int, bytes], major: int = F.MAJOR, minor: int = F.MINOR, flags: int = 0,
         order=None) -> bytes:
    """The container around `sections` (tag → payload), checksum fresh;
    `order`: the tags in the order written (default: the format's)."""
    from hashlib import sha256
    body = bytearray()
    for tag in (order if order is not None else F.SECTIONS):
        body.append(tag & 0xFF)
        body += struct.pack("<Q", len(sections[tag]))
        body += sections[tag]
    return _HEAD.pack(F.MAGIC, major, minor, flags, len(body), sha256(body).digest()) + bytes(body)


def reseal(data: bytes) -> bytes:
    """`data` with its header's body length and checksum made right again."""
    from hashlib import sha256
    body = bytes(data[F.HEADER_BYTES:])
    head = bytearray(data[:F.HEADER_BYTES].ljust(F.HEADER_BYTES, b"\0"))
    head[16:24] = struct.pack("<Q", len(body))
    head[24:56] = sha256(body).digest()
    return bytes(head) + body


# --- reading ---------------------------------------------------------------------------
def parse(data: bytes) -> Snap:
    S = F.unpack(data)
    s = Snap()
    _magic, s.major, s.minor, s.flags, _n, _d = _HEAD.unpack_from(data)
    r = S[F.META]
    s.task = r.u8("task")
    s.task_module = r.str()
    s.task_function = r.str()
    s.fuel, s.idhash, s.nblocks = r.i64("fuel"), r.i64("idhash"), r.i64("blocks")
    r = S[F.MODULES]
    for _ in range(r.u32("modules")):
        s.modules.append([r.str(), r.u8("flags"), bytes(r.blob("bytecode"))])
    r = S[F.TYPES]
    for _ in range(r.u32("types")):
        tid, kind = r.u32("tid"), r.u8("kind")
        if kind == 1:
            payload = (r.str(), r.str())
        elif kind == 2:
            payload = (r.str(),)
        else:
            payload = (r.u32("m"), r.u32("f"), r.u32("k"))
        s.types.append([tid, kind, payload])
    s.heap = array("q", S[F.HEAP].words("heap"))
    r = S[F.GLOBALS]
    for _ in range(r.u32("modules")):
        s.globals.append([r.i64("g") for _ in range(r.u32("globals"))])
    r = S[F.FRAMES]
    for _ in range(r.u32("frames")):
        f = Frame(r.u32("m"), r.u32("f"), r.u32("pc"), r.u8("after"))
        f.locals = [r.i64("l") for _ in range(r.u32("locals"))]
        f.stack = [r.i64("s") for _ in range(r.u32("stack"))]
        s.frames.append(f)
    r = S[F.TRACES]
    for _ in range(r.u32("traces")):
        ref = r.i64("ref")
        s.traces.append([ref, [(r.u32("m"), r.u32("f"), r.u32("pc")) for _ in range(r.u32("n"))]])
    r = S[F.HANDLES]
    for _ in range(r.u32("handles")):
        s.handles.append([r.str(), r.i64("ref")])
    return s


def copy(s: Snap) -> Snap:
    """A deep copy (module bytes are shared: they are immutable)."""
    return Snap(s.task, s.task_module, s.task_function, s.fuel, s.idhash, s.nblocks,
                [list(m) for m in s.modules], [list(t) for t in s.types], array("q", s.heap),
                [list(g) for g in s.globals],
                [Frame(f.module, f.function, f.pc, f.after, list(f.locals), list(f.stack)) for f in s.frames],
                [[ref, list(e)] for ref, e in s.traces], [list(h) for h in s.handles],
                s.major, s.minor, s.flags)


__all__ = ["Snap", "Frame", "parse", "copy", "seal", "reseal"]
