"""The snapshot fuzzer's corpus: real snapshots of real programs, and what
a mutation needs to know about each.

Programs: kitchen.hl beside this file (one of every kind of value, frame
and global a snapshot can hold), a selection of the conformance suite
(runtime-error tests included: their traces) and examples/*.hl.  Each is
suspended at several points chosen by events (`request_snapshot(stop=True,
after_events=N)`), alternately under `jit="off"` and `"eager"`, and taken
idle once it has ended; kitchen.hl also gives host-call snapshots and idle
ones holding named handles.  Programs that import the collections library
are left out of the default selection (its modules make every restore ten
times slower), but for kitchen_coll.hl, whose lists and maps hold the
erased arrays (R[]) only that library makes.

`Seed` is one snapshot with its facts, worked out by restoring it once in a
trusted VM: where the blocks start and what they are, which heap words are
references and of what declared type, the types of every global, local and
stack entry, and where the instructions of every function begin.

Owns building the corpus; mutation is forge.py's, running worker.py's.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from hlbc import model as M
from hlbc.code import decode
from hllvm import VM, SnapshotError, Suspended
from hllvm.layout import (FIRST_CLASS_ID, HEADER_WORDS, LENGTH_MASK, T_RARR, T_SARR, block_words,
                          field_offset)

from . import image

ROOT = Path(__file__).resolve().parents[3]
KITCHEN = Path(__file__).with_name("kitchen.hl")
KITCHEN_COLL = Path(__file__).with_name("kitchen_coll.hl")     # R[] arrays: the collections library
# Event counts a program is suspended after (those it reaches).
POINTS = (1, 2, 3, 5, 8, 13, 30, 70, 160, 400, 1000, 2500, 6000)
KITCHEN_POINTS = tuple(range(1, 40, 3)) + (50, 77, 120, 200, 333, 500, 800, 1200, 1900)
# Conformance folders the selection draws from (every `stride`-th test).
DIRS = ("arrays", "builtins", "classes", "closures", "control", "errors", "exit", "float", "functions",
        "generics", "int", "interfaces", "modules", "program", "strings", "types")


@dataclass
class Seed:
    name: str
    data: bytes
    snap: image.Snap
    blocks: list = field(default_factory=list)        # (image offset, snapshot tid, words)
    kinds: dict = field(default_factory=dict)         # kind → [image offset]
    refslots: list = field(default_factory=list)      # (heap word index, declared type)
    valslots: list = field(default_factory=list)      # (heap word index, "I"/"F"/"Z") of fields
    global_types: list = field(default_factory=list)  # per module: [type]
    frame_types: list = field(default_factory=list)   # per frame: ([local types], [stack types])
    code: list = field(default_factory=list)          # per module, per function: (pcs or None, code bytes)
    class_names: list = field(default_factory=list)   # (module, name) of every class and interface


# --- programs -------------------------------------------------------------------------
def _conformance(stride: int, collections: bool) -> list[tuple[str, Path, tuple]]:
    from hll import conformance as C
    croot = ROOT / "tests" / "conformance"
    out = []
    for d in DIRS:
        for i, p in enumerate(C.discover(croot / d)):
            if i % stride:
                continue
            try:
                case = C.parse(p)
            except C.BadTest:
                continue
            if case.is_asm or case.phase not in (None, "runtime") or set(case.flags) - {"stdin"}:
                continue
            if not collections and "import collections" in case.entry.read_text(encoding="utf-8"):
                continue
            out.append((str(p.relative_to(croot)), case.entry, case.args, case.stdin))
    return out


def programs(stride: int = 5, collections: bool = False) -> list:
    """(name, entry file, args, stdin) of the programs the corpus is made of."""
    out = [("kitchen", KITCHEN, (), ""), ("kitchen_coll", KITCHEN_COLL, (), "")]
    for p in sorted((ROOT / "examples").glob("*.hl")):
        text = p.read_text(encoding="utf-8")
        if collections or "import collections" not in text:
            out.append((f"examples/{p.name}", p, (), ""))
    return out + _conformance(stride, collections)


# --- taking snapshots ---------------------------------------------------------------------
def _vm(jit: str, stdin: str = "") -> VM:
    return VM(stdout=io.StringIO(), stderr=io.StringIO(), stdin=stdin, jit=jit, max_heap=16 << 20,
              max_stack=600)


def snapshots_of(name: str, entry: Path, args=(), stdin: str = "", points=POINTS) -> list[tuple[str, bytes]]:
    """(label, bytes) of the snapshots of one program: mid-run at `points`
    (tiers alternating) and idle at its end."""
    import compiler
    try:
        prog = compiler.compile_program(entry)
    except compiler.CompileError:
        return []
    out = []
    for i, n in enumerate(points):
        jit = ("off", "eager")[i % 2]
        vm = _vm(jit, stdin)
        vm.load(prog.modules)
        vm.request_snapshot(lambda d: None, stop=True, after_events=n)
        try:
            vm.run_main(prog.entry, list(args))
        except Suspended as s:
            out.append((f"{name}@{n}/{jit}", s.snapshot))
            continue
        out.append((f"{name}@end", vm.suspend()))   # it ended before n: idle, and no more points
        break
    else:
        vm = _vm("off", stdin)
        vm.load(prog.modules)
        vm.run_main(prog.entry, list(args))
        out.append((f"{name}@end", vm.suspend()))
    return out


def kitchen_extras() -> list[tuple[str, bytes]]:
    """Host calls suspended mid-way, and idle snapshots holding named handles."""
    import compiler
    prog = compiler.compile_program(KITCHEN)
    out = []
    for n in (3, 9, 25):
        vm = _vm("off")
        vm.load(prog.modules)
        vm.run_main(prog.entry)
        vm.request_snapshot(lambda d: None, stop=True, after_events=n)
        try:
            vm.call("kitchen", "deep", 12, None)
        except Suspended as s:
            out.append((f"kitchen-call-deep@{n}", s.snapshot))
        vm.request_snapshot(lambda d: None, stop=True, after_events=n)
        try:
            vm.call("kitchen", "catcher", n)
        except Suspended as s:
            out.append((f"kitchen-call-catcher@{n}", s.snapshot))
    vm = _vm("off")
    vm.load(prog.modules)
    vm.run_main(prog.entry)
    k = vm.module("kitchen")
    handles = {"adder": k.call("adder", 5), "node": k.get("gn"), "shape": k.new("Sq", 3, 1.5),
               "box": k.get("gbb")}
    out.append(("kitchen-handles", vm.suspend(handles=handles)))
    return out


# --- facts ---------------------------------------------------------------------------------
def facts(name: str, data: bytes) -> Seed:
    """The seed of snapshot `data`, its facts from a trusted restore."""
    snap = image.parse(data)
    vm = VM(stdout=io.StringIO(), stderr=io.StringIO(), max_heap=64 << 20, max_stack=100_000)
    vm.restore(data)
    mods = list(vm.modules.values())
    s = Seed(name, data, snap)
    s.class_names = sorted(vm.classes)
    records = {}
    for tid, kind, payload in snap.types:
        if kind == 1:
            c = vm.classes[payload]
            records[tid] = ("class:" + c.name, list(c.field_types))
        elif kind == 2:
            records[tid] = ("array:" + payload[0], None)
        else:
            mi, fi, k = payload
            fn = mods[mi].functions[fi]
            records[tid] = (f"fn{'0' if k == 0 else 'k'}", list(fn.params[:k]))
    words = snap.heap
    o = 2
    fixed = {1: "str8", 2: "str32", 3: "iarr", 4: "farr", 5: "zarr", 6: "sarr", 9: "boxi", 10: "boxf",
             11: "boxz", 13: "rarr"}
    while o < len(words):
        tid, w1 = words[o], words[o + 1]
        size = block_words(tid, w1)
        n = w1 & LENGTH_MASK
        s.blocks.append((o, tid, size))
        if tid < FIRST_CLASS_ID:
            kind = fixed[tid]
            if tid in (T_SARR, T_RARR):
                t = "S" if tid == T_SARR else "R"
                s.refslots.extend((o + HEADER_WORDS + i, t) for i in range(n))
            elif tid in (9, 10, 11):
                s.valslots.append((o + HEADER_WORDS, "IFZ"[tid - 9]))
        else:
            kind, slots = records[tid]
            if kind.startswith("array:"):
                elem = kind[6:]
                s.refslots.extend((o + HEADER_WORDS + i, elem) for i in range(n))
            else:
                for i, t in enumerate(slots):
                    (s.refslots if M.is_ref(t) else s.valslots).append((o + field_offset(i), t))
        s.kinds.setdefault(kind, []).append(o)
        if kind.startswith("class:"):
            s.kinds.setdefault("object", []).append(o)
        o += size
    for m in mods:
        s.global_types.append([t for _slot, t in sorted(m.globals.values())])
        s.code.append([(_pcs(f), f.desc.code) for f in m.functions])
    for f in snap.frames:
        fn = mods[f.module].functions[f.function]
        regs, _ci, call, _ret = fn.sites[f.pc]
        depth = len(regs) - (len(call.src) if f.after else 0)
        stack = list(fn.stack_maps[f.pc].stack[:depth]) if depth else []
        s.frame_types.append((list(fn.desc.locals), stack))
    return s


def _pcs(fn):
    if fn.native is not None or fn.entry < 0 or not fn.desc.code:
        return None
    return [i.pc for i in decode(fn.desc.code)]


def build(stride: int = 5, collections: bool = False, progress=None, limit: int | None = None) -> list[Seed]:
    """The corpus (deterministic for given arguments)."""
    out, seen = [], set()
    progs = programs(stride, collections)
    if limit is not None:
        progs = progs[:limit]
    for name, entry, args, stdin in progs:
        snaps = snapshots_of(name, entry, args, stdin, KITCHEN_POINTS if name == "kitchen" else POINTS)
        if name == "kitchen":
            snaps += kitchen_extras()
        for label, data in snaps:
            if data in seen:
                continue
            seen.add(data)
            try:
                out.append(facts(label, data))
            except SnapshotError as e:        # a snapshot the VM made and cannot restore: a bug to see
                raise AssertionError(f"{label}: the VM's own snapshot does not restore: {e}") from None
        if progress:
            progress(name, len(out))
    return out


__all__ = ["Seed", "build", "programs", "snapshots_of", "facts"]
