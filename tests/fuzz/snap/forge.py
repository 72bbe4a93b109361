"""Mutations of one snapshot: damage to its bytes, and forgeries that keep
the container sound so they reach the deep checks.

Every mutator is `(rng, seed, corpus) → bytes` (seeds.Seed: the snapshot,
decoded, with its facts); `Skip` when it does not apply to that seed.
Three families, weighted in MUTATORS:

* raw: bit flips, byte sets, truncations, extensions, chunk duplications
  over the whole file with the checksum left stale (a restore must refuse
  them at the header), and the same with the header's length and SHA-256
  made right again (they reach the container and the sections' readers);
* section bytes: one section's payload damaged, its length and the
  checksum right; sections missing, repeated or out of order;
* forgeries, decoded and re-packed (image.Snap): references (null, inside
  the null block, into the middle of a block, to a block of another type,
  to the block itself, past the end; or to another block of a fitting
  type, which a restore accepts: aliases and cycles the program then
  meets), block headers (type ids, lengths,
  identity-hash bits, collector bits), payloads (bools, padding, code
  points), the heap's layout (blocks cut, moved, repeated), type-table
  entries, frames (function, pc, after flag, counts, values, order,
  depth), globals, traces, handles, the meta fields, the modules (flags,
  names, order, and bytecode mutated by the .hlc fuzzer's mutators: it is
  verified again), and sections spliced from another snapshot.

Some forgeries are harmless (an int field set to another int): those
resume, and the run must stay within its limits.  Owns the mutations
only; `mutate` applies one mutator (`many` stacks two or three
forgeries) and never returns the seed's own bytes.
"""

from __future__ import annotations

import struct
from array import array
from dataclasses import replace

from hlbc import LoadError, read_module
from hllvm.layout import HASH_SHIFT, HEADER_WORDS, LENGTH_MASK, MAX_HASH
from hllvm.snapshot import format as F

from . import image

I64_MIN, I64_MAX = -(1 << 63), (1 << 63) - 1
U32_MAX = (1 << 32) - 1
_EDGE64 = (0, 1, -1, 2, 255, 256, 1 << 31, (1 << 31) - 1, 1 << 32, U32_MAX, I64_MIN, I64_MAX, I64_MIN + 1)
_EDGE32 = (0, 1, 2, 3, 7, 15, 16, 17, 255, 256, 0xFFFF, 0x10000, (1 << 31) - 1, 1 << 31, U32_MAX - 1, U32_MAX)
_ELEMS = ("", "[", "I", "F", "Z", "S", "R", "V", "Q", "X", "L;", "L.;", "Lnope.Nope;", "Llang.Nope;",
          "Llang.Error;", "Llang.Error", "[I", "[[I", "[S", "[R", "[[R", "(I)I", "()V", "(", "(I", "()",
          "[V", "(V)I", "[(I)I", "()[I", "(R)R", "[" * 40 + "I", "[" * 300 + "I", "[" * 5000 + "Llang.Error;",
          "(" * 70 + ")V" + ")V" * 69, "Llang.Error;X", "I I", "\x00", "λ")


class Skip(Exception):
    """The mutator does not apply to this seed."""


def _rng_i64(rng) -> int:
    return rng.choice((rng.choice(_EDGE64), rng.randrange(-1 << 20, 1 << 20), rng.getrandbits(64) - (1 << 63)))


# --- raw bytes ------------------------------------------------------------------------
def _raw(rng, data: bytes) -> bytearray:
    b = bytearray(data)
    k = rng.randrange(8)
    if k == 0:
        for _ in range(rng.choice((1, 1, 2, 3, 8))):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
    elif k == 1:
        for _ in range(rng.choice((1, 2, 4))):
            b[rng.randrange(len(b))] = rng.choice((0, 1, 0x7F, 0x80, 0xFF, rng.randrange(256)))
    elif k == 2:
        del b[rng.randrange(len(b) + 1):]
    elif k == 3:
        b += rng.randbytes(rng.choice((1, 7, 8, 9, 64, 1000)))
    elif k == 4:
        i = rng.randrange(len(b))
        j = min(len(b), i + rng.choice((1, 8, 9, 16, 64, 512)))
        b[j:j] = b[i:j] * rng.choice((1, 2, 5))
    elif k == 5:
        i = rng.randrange(len(b))
        del b[i:i + rng.choice((1, 8, 9, 16, 100))]
    elif k == 6:                      # an aligned word set to an edge value
        i = rng.randrange(max(1, (len(b) - 8) // 8)) * 8
        b[i:i + 8] = struct.pack("<q", rng.choice(_EDGE64))
    else:                             # a u32 set to an edge value anywhere
        i = rng.randrange(max(1, len(b) - 4))
        b[i:i + 4] = struct.pack("<I", rng.choice(_EDGE32))
    return b


def raw_stale(rng, seed, corpus):
    """Damage anywhere, checksum stale: refused at the header."""
    return bytes(_raw(rng, seed.data))


def raw_sealed(rng, seed, corpus):
    """Damage in the body, the header's length and checksum made right."""
    b = _raw(rng, seed.data)
    if len(b) < F.HEADER_BYTES:
        return bytes(b)
    if rng.random() < 0.8 and len(b) > F.HEADER_BYTES:
        return image.reseal(bytes(b))
    return bytes(b)


def header(rng, seed, corpus):
    """One header field changed (magic, version, flags, length), the body's
    checksum right."""
    s = seed.snap
    k = rng.randrange(5)
    if k == 0:
        return image.seal(s.sections(), rng.choice((0, 2, 0xFFFF)), s.minor, s.flags)
    if k == 1:
        return image.seal(s.sections(), s.major, rng.choice((1, 2, 0xFFFF)), s.flags)
    if k == 2:
        return image.seal(s.sections(), s.major, s.minor, rng.choice((1, 2, 1 << 31, U32_MAX)))
    b = bytearray(seed.data)
    if k == 3:
        b[rng.randrange(8)] ^= 1 << rng.randrange(8)
    else:
        b[16:24] = struct.pack("<Q", rng.choice((0, len(b), len(b) - F.HEADER_BYTES + 1, (1 << 64) - 1,
                                                 len(b) - F.HEADER_BYTES - 1)))
    return bytes(b)


# --- one section's bytes ----------------------------------------------------------------
def section_bytes(rng, seed, corpus):
    """One section's payload damaged; lengths and checksum right."""
    secs = seed.snap.sections()
    tag = rng.choice(list(F.SECTIONS))
    b = _raw(rng, secs[tag]) if secs[tag] else bytearray(rng.randbytes(rng.choice((1, 4, 9))))
    secs[tag] = bytes(b)
    return image.seal(secs)


def section_order(rng, seed, corpus):
    """Sections swapped, missing, repeated or with a wrong tag."""
    secs = seed.snap.sections()
    order = list(F.SECTIONS)
    k = rng.randrange(4)
    if k == 0:
        i, j = rng.sample(range(len(order)), 2)
        order[i], order[j] = order[j], order[i]
    elif k == 1:
        del order[rng.randrange(len(order))]
    elif k == 2:
        i = rng.randrange(len(order))
        order.insert(i, order[i])
    else:
        i = rng.randrange(len(order))
        bad = rng.choice((0, 9, 255))
        secs[bad] = secs[order[i]]
        order[i] = bad
    return image.seal(secs, order=order)


def splice(rng, seed, corpus):
    """Sections of another snapshot in place of this one's."""
    other = rng.choice(corpus)
    a, b = seed.snap.sections(), other.snap.sections()
    for tag in rng.sample(list(F.SECTIONS), rng.choice((1, 1, 2, 3))):
        a[tag] = b[tag]
    return image.seal(a)


# --- forgeries -------------------------------------------------------------------------------
def forged_ref(rng, seed, here: int | None = None) -> int:
    """A reference that is wrong (mostly) or right in an unusual way."""
    n = len(seed.snap.heap)
    blocks = seed.blocks
    k = rng.randrange(11)
    if k == 0 or not blocks:
        return rng.choice((1, n, n + 1, n + 2, n + 1000, 1 << 31, U32_MAX, I64_MAX, -1, -2, I64_MIN, 2 ** 40))
    o, _tid, size = rng.choice(blocks)
    if k == 1:
        return o + rng.randrange(1, size) if size > 1 else o + 1
    if k == 2:
        return rng.randrange(1, n)
    if k == 3 and here is not None:                 # the block that holds the slot
        return max((b[0] for b in blocks if b[0] <= here), default=2)
    if k == 4:
        return 0
    return o                                         # a block start of any type


def _value(rng, seed, t: str, here=None) -> int:
    """A forged word for a slot of declared type `t`."""
    c = t[:1]
    if c == "Z":
        return rng.choice((2, 3, -1, 255, 1 << 32, 0, 1))
    if c == "I":
        return _rng_i64(rng)
    if c == "F":
        return rng.choice((0x7FF8000000000001, -1, 0x7FF0000000000000, 0, _rng_i64(rng)))
    if c == "N":
        return rng.choice((0, forged_ref(rng, seed)))
    return forged_ref(rng, seed, here)


_FIXED_KIND = {"S": ("str8", "str32"), "[I": ("iarr",), "[F": ("farr",), "[Z": ("zarr",), "[S": ("sarr",),
               "[R": ("rarr",)}


def fitting_ref(rng, seed, t: str) -> int:
    """The start of another block that fits a slot of type `t` (mostly): a
    forgery a restore accepts, so the program goes on over a changed graph
    (aliases, cycles, other lengths)."""
    kinds = _FIXED_KIND.get(t)
    if kinds is None:
        if t[:1] == "L":
            kinds = ("class:" + t[1:-1].rpartition(".")[2], "object")
        elif t[:1] == "[":
            kinds = ("array:" + t[1:],)
        elif t[:1] == "(":
            kinds = ("fnk", "fn0")
        else:
            kinds = ("object", "str8", "iarr")
    for k in kinds:
        offs = seed.kinds.get(k)
        if offs:
            return rng.choice(offs)
    return 0


def retarget(rng, seed, corpus):
    """References of blocks, globals or frames pointed at other blocks of
    a fitting type (or null)."""
    s = image.copy(seed.snap)
    done = 0
    for _ in range(rng.choice((1, 2, 4, 8))):
        k = rng.randrange(3)
        if k == 0 and seed.refslots:
            w, t = rng.choice(seed.refslots)
            s.heap[w] = fitting_ref(rng, seed, t) if rng.random() < 0.9 else 0
        elif k == 1 and s.globals:
            mi = rng.randrange(len(s.globals))
            refs = [j for j, t in enumerate(seed.global_types[mi]) if t[:1] in "LS[(R"]
            if not refs:
                continue
            j = rng.choice(refs)
            s.globals[mi][j] = fitting_ref(rng, seed, seed.global_types[mi][j])
        elif k == 2 and s.frames:
            i = rng.randrange(len(s.frames))
            ltypes = seed.frame_types[i][0]
            refs = [j for j, t in enumerate(ltypes) if t[:1] in "LS[(R"]
            if not refs:
                continue
            j = rng.choice(refs)
            s.frames[i].locals[j] = fitting_ref(rng, seed, ltypes[j])
        else:
            continue
        done += 1
    if not done:
        raise Skip
    return s.pack()


def heap_ref(rng, seed, corpus):
    """A reference slot of a block forged."""
    if not seed.refslots:
        raise Skip
    s = image.copy(seed.snap)
    for _ in range(rng.choice((1, 1, 1, 2, 5))):
        w, t = rng.choice(seed.refslots)
        s.heap[w] = _value(rng, seed, t, w)
    return s.pack()


def heap_value(rng, seed, corpus):
    """A non-reference field or box forged (often harmless: the program
    then runs with another value)."""
    if not seed.valslots:
        raise Skip
    s = image.copy(seed.snap)
    for _ in range(rng.choice((1, 1, 3))):
        w, t = rng.choice(seed.valslots)
        s.heap[w] = _value(rng, seed, t)
    return s.pack()


def heap_payload(rng, seed, corpus):
    """Raw words of a payload: strings' code points, padding, bool and int
    arrays (canonical or not)."""
    if not seed.blocks:
        raise Skip
    s = image.copy(seed.snap)
    h = s.heap
    kind = rng.choice(("str8", "str32", "zarr", "iarr", "farr", "boxz", "any"))
    offs = seed.kinds.get(kind) or [b[0] for b in seed.blocks]
    o = rng.choice(offs)
    tid, w1 = h[o], h[o + 1]
    size = next(b[2] for b in seed.blocks if b[0] == o)
    if size <= HEADER_WORDS:
        raise Skip
    i = o + rng.randrange(HEADER_WORDS, size)
    n = w1 & LENGTH_MASK
    if tid == 2 and rng.random() < 0.7:             # a code point of a wide string
        cps = array("I", h[o + 2:o + size].tobytes())
        j = rng.randrange(len(cps))
        cps[j] = rng.choice((0x110000, 0xD800, 0xDFFF, 0xFFFFFFFF, 0x41, 0x10FFFF, 0))
        if rng.random() < 0.3:                       # every code point compact
            for q in range(min(n, len(cps))):
                cps[q] = 0x41
        h[o + 2:o + size] = array("q", cps.tobytes())
    elif tid in (1, 5) and rng.random() < 0.7:      # a byte of a compact string or bool array
        raw = bytearray(h[o + 2:o + size].tobytes())
        j = rng.randrange(len(raw))
        raw[j] = rng.choice((2, 0xFF, 0x80, 0, 1, rng.randrange(256)))
        h[o + 2:o + size] = array("q", bytes(raw))
    else:
        h[i] = _rng_i64(rng)
    return s.pack()


def block_header(rng, seed, corpus):
    """Word 0 or word 1 of a block forged."""
    if not seed.blocks:
        raise Skip
    s = image.copy(seed.snap)
    h = s.heap
    o, tid, _size = rng.choice(seed.blocks)
    k = rng.randrange(7)
    tids = [t[0] for t in s.types]
    if k == 0:
        h[o] = rng.choice(list(range(16)) + tids + [max(tids, default=16) + 1])
    elif k == 1:
        h[o] = tid | rng.choice((1 << 32, 1 << 33, I64_MIN, 1 << 40))
    elif k == 2:
        h[o] = rng.choice((-1, U32_MAX, 1 << 31, I64_MAX, tid + 1, tid - 1))
    elif k == 3:
        n = h[o + 1] & LENGTH_MASK
        h[o + 1] = (h[o + 1] & ~LENGTH_MASK) | (rng.choice((n + 1, n - 1, 0, n * 2, LENGTH_MASK, 1 << 20)) & LENGTH_MASK)
    elif k == 4:
        hh = rng.choice((1, 2, MAX_HASH, MAX_HASH + 1, (1 << 31) + 5, U32_MAX))
        h[o + 1] = ((h[o + 1] & LENGTH_MASK) | (hh << HASH_SHIFT)) - (1 << 64 if hh >> 31 else 0)
    elif k == 5:
        h[o + 1] = rng.choice((-1, I64_MIN, I64_MAX, 1 << 62))
    else:                                            # the hash bits of an object that has none
        objs = seed.kinds.get("object") or seed.kinds.get("fn0") or [o]
        o = rng.choice(objs)
        h[o + 1] = (h[o + 1] & LENGTH_MASK) | (rng.randrange(1, MAX_HASH) << HASH_SHIFT)
    return s.pack()


def heap_layout(rng, seed, corpus):
    """Blocks cut, dropped, moved, repeated or added; the image shorter or
    longer (the block count in meta kept or made to agree)."""
    s = image.copy(seed.snap)
    h = s.heap
    k = rng.randrange(8)
    if k == 0:
        del h[rng.randrange(2, len(h) + 1) if len(h) > 2 else 0:]
    elif k == 1 and seed.blocks:                     # a block dropped: what follows moves
        o, _t, size = rng.choice(seed.blocks)
        del h[o:o + size]
        s.nblocks -= 1
    elif k == 2 and seed.blocks:                     # a block repeated at the end
        o, _t, size = rng.choice(seed.blocks)
        h.extend(h[o:o + size])
        s.nblocks += 1
    elif k == 3:
        h.extend(array("q", [rng.choice((0, 1, 3, 16, 17, 2)), rng.choice((0, 1, 5, LENGTH_MASK, -1))]))
        s.nblocks += 1
    elif k == 4 and len(seed.blocks) >= 2:           # two blocks swapped
        (a, _ta, sa), (b, _tb, sb) = sorted(rng.sample(seed.blocks, 2))
        blk_a, blk_b = h[a:a + sa], h[b:b + sb]
        h[b:b + sb] = blk_a
        h[a:a + sa] = blk_b
    elif k == 5:
        h[0], h[1] = rng.choice(((1, 0), (0, 1), (0, -1), (2, 2)))
    elif k == 6:
        s.nblocks = rng.choice((s.nblocks + 1, s.nblocks - 1, 0, -1, I64_MAX))
    else:
        i = rng.randrange(len(h) + 1)
        h[i:i] = array("q", [_rng_i64(rng) for _ in range(rng.choice((1, 2, 3)))])
    return s.pack()


def type_entry(rng, seed, corpus):
    """An entry of the types section forged: id, kind, class, element
    type, function and bound count."""
    s = image.copy(seed.snap)
    if not s.types or rng.random() < 0.1:
        s.types.append([rng.choice((16, 100, U32_MAX)), rng.choice((1, 2, 3)), ("lang", "Error")])
        if s.types[-1][1] == 2:
            s.types[-1][2] = (rng.choice(_ELEMS),)
        elif s.types[-1][1] == 3:
            s.types[-1][2] = (0, 0, 0)
        s.types.sort(key=lambda t: t[0])
        return s.pack()
    i = rng.randrange(len(s.types))
    e = s.types[i]
    k = rng.randrange(7)
    if k == 0:
        e[0] = rng.choice((e[0] + 1, e[0] - 1, 15, 0, U32_MAX, s.types[rng.randrange(len(s.types))][0]))
    elif k == 1:
        e[1] = rng.choice((0, 1, 2, 3, 4, 255))
        e[2] = {1: (_class_name(rng, seed)), 2: (rng.choice(_ELEMS),), 3: _fn_ref(rng, seed)}.get(e[1], ())
    elif k == 2 and e[1] == 1:
        e[2] = _class_name(rng, seed)
    elif k == 3 and e[1] == 2:
        e[2] = (rng.choice(_ELEMS + tuple(f"L{m}.{c};" for m, c in [_class_name(rng, seed)])),)
    elif k == 4 and e[1] == 3:
        mi, fi, kk = e[2]
        e[2] = rng.choice(((mi, fi, kk + 1), (mi, fi, max(0, kk - 1)), (mi, fi, U32_MAX), _fn_ref(rng, seed),
                           (mi, fi + 1, kk), (mi + 1, fi, kk)))
    elif k == 5 and len(s.types) > 1:                # two entries swap their ids' meanings
        j = rng.randrange(len(s.types))
        e[1:], s.types[j][1:] = s.types[j][1:], e[1:]
    else:
        del s.types[i]
    return s.pack()


def _class_name(rng, seed) -> tuple:
    if rng.random() < 0.15:
        return rng.choice((("nope", "Nope"), ("lang", ""), ("", ""), ("lang", "Nope")))
    return rng.choice(seed.class_names)


def _fn_ref(rng, seed) -> tuple:
    mi = rng.randrange(len(seed.code)) if seed.code else 0
    nf = len(seed.code[mi]) if seed.code else 1
    return (rng.choice((mi, mi, len(seed.code), U32_MAX)), rng.choice((rng.randrange(max(1, nf)), nf, U32_MAX)),
            rng.choice((0, 0, 1, 2, 5)))


def frame(rng, seed, corpus):
    """One frame forged: its function, pc, after flag, counts or values."""
    s = image.copy(seed.snap)
    if not s.frames:
        raise Skip
    i = rng.randrange(len(s.frames))
    f = s.frames[i]
    ltypes, stypes = seed.frame_types[i]
    k = rng.randrange(10)
    if k == 0:
        f.module, f.function = _fn_ref(rng, seed)[:2]
    elif k == 1:                                     # another function of the module
        f.function = rng.randrange(len(seed.code[f.module]))
    elif k == 2:                                     # another instruction start
        pcs = seed.code[f.module][f.function][0] or [0]
        f.pc = rng.choice(pcs)
    elif k == 3:                                     # inside an instruction, or past the code
        code = seed.code[f.module][f.function][1]
        f.pc = rng.choice((f.pc + 1, f.pc + 2, max(0, f.pc - 1), len(code), len(code) + 1, U32_MAX, 0))
    elif k == 4:
        f.after = rng.choice((1 - f.after, 2, 255))
    elif k == 5:
        if f.locals and rng.random() < 0.5:
            f.locals.pop()
        else:
            f.locals.append(rng.choice((0, 1, _rng_i64(rng))))
    elif k == 6:
        if f.stack and rng.random() < 0.5:
            f.stack.pop()
        else:
            f.stack.append(rng.choice((0, 1, _rng_i64(rng))))
    elif k in (7, 8) and f.locals:
        j = rng.randrange(len(f.locals))
        f.locals[j] = _value(rng, seed, ltypes[j])
    elif f.stack:
        j = rng.randrange(len(f.stack))
        f.stack[j] = _value(rng, seed, stypes[j])
    else:
        raise Skip
    return s.pack()


def frames_order(rng, seed, corpus):
    """The frames reordered, cut or repeated, or the task at their bottom
    changed."""
    s = image.copy(seed.snap)
    fr = s.frames
    k = rng.randrange(8)
    if k == 0 and len(fr) > 1:
        i, j = rng.sample(range(len(fr)), 2)
        fr[i], fr[j] = fr[j], fr[i]
    elif k == 1 and fr:
        del fr[rng.choice((0, len(fr) - 1, rng.randrange(len(fr))))]
    elif k == 2 and fr:
        i = rng.randrange(len(fr))
        fr[i:i] = [image.copy(seed.snap).frames[i] for _ in range(rng.choice((1, 2, 50)))]
    elif k == 3 and fr:                              # deeper than any stack limit
        fr[:-1] = [fr[0]] * rng.choice((999, 1001, 5000))
    elif k == 4:
        fr.reverse()
    elif k == 5 and fr:                              # the innermost frame stopped after its call
        fr[-1].after = 1
    elif k == 6:
        s.task = rng.choice((0, 1, 2, 3, 4, 255))
    else:
        s.frames = [] if fr else image.copy(rng.choice(corpus).snap).frames
    return s.pack()


def global_value(rng, seed, corpus):
    """A global forged (by its type), or the globals' counts off."""
    s = image.copy(seed.snap)
    k = rng.randrange(6)
    if k < 4:
        mods = [i for i, g in enumerate(s.globals) if g]
        if not mods:
            raise Skip
        mi = rng.choice(mods)
        j = rng.randrange(len(s.globals[mi]))
        s.globals[mi][j] = _value(rng, seed, seed.global_types[mi][j])
    elif k == 4:
        mi = rng.randrange(len(s.globals)) if s.globals else 0
        if s.globals and s.globals[mi] and rng.random() < 0.5:
            s.globals[mi].pop()
        elif s.globals:
            s.globals[mi].append(0)
    else:
        if s.globals and rng.random() < 0.5:
            s.globals.pop()
        else:
            s.globals.append([])
    return s.pack()


def trace(rng, seed, corpus):
    """A trace forged: its error, its lines, or one for another block."""
    s = image.copy(seed.snap)
    k = rng.randrange(5)
    if k == 0 or not s.traces:
        o = rng.choice(seed.blocks)[0] if seed.blocks else 2
        mi = rng.randrange(len(seed.code))
        fi = rng.randrange(len(seed.code[mi]))
        pcs = seed.code[mi][fi][0] or [0]
        s.traces.append([rng.choice((o, forged_ref(rng, seed))), [(mi, fi, rng.choice(pcs))] * rng.choice((1, 2, 2000))])
        return s.pack()
    t = rng.choice(s.traces)
    if k == 1:
        t[0] = forged_ref(rng, seed)
    elif k == 2 and t[1]:
        j = rng.randrange(len(t[1]))
        mi, fi, pc = t[1][j]
        t[1][j] = rng.choice(((mi, fi, pc + 1), (mi, fi, U32_MAX), (mi, fi + 1, pc), (mi + 50, fi, pc),
                              (mi, U32_MAX, pc)))
    elif k == 3:
        t[1] = []
    else:
        s.traces.append(list(t))
    return s.pack()


def handle(rng, seed, corpus):
    """A named handle forged, added or repeated."""
    s = image.copy(seed.snap)
    k = rng.randrange(4)
    if k == 0 or not s.handles:
        s.handles.append([rng.choice(("h", "", "λ", "x" * 300)), rng.choice((0, forged_ref(rng, seed)))])
    elif k == 1:
        rng.choice(s.handles)[1] = forged_ref(rng, seed)
    elif k == 2:
        s.handles.append(list(rng.choice(s.handles)))
    else:
        rng.choice(s.handles)[0] = rng.choice(("renamed", ""))
    return s.pack()


def meta(rng, seed, corpus):
    """A meta field forged: task kind, task names, fuel, the identity-hash
    counter, the block count."""
    s = image.copy(seed.snap)
    k = rng.randrange(6)
    if k == 0:
        s.task = rng.choice((0, 1, 2, 3, 4, 255))
    elif k == 1:
        names = [m[0] for m in s.modules]
        s.task_module = rng.choice(names + ["", "nope", "lang", s.task_module + "x"])
    elif k == 2:
        s.task_function = rng.choice(("", "main", "nope", "deep", "catcher", "<init>", "inc", "fail"))
    elif k == 3:
        s.fuel = rng.choice((-2, -1, 0, 1, 2, 100, I64_MAX, I64_MIN, 1 << 62))
    elif k == 4:
        s.idhash = rng.choice((-1, 0, 1, MAX_HASH - 1, MAX_HASH, MAX_HASH + 1, I64_MAX))
    else:
        s.nblocks = rng.choice((s.nblocks + 1, s.nblocks - 1, 0, -1, I64_MAX))
    return s.pack()


def module(rng, seed, corpus):
    """A module's flags, name, place or presence changed."""
    s = image.copy(seed.snap)
    mods = s.modules
    i = rng.randrange(len(mods))
    k = rng.randrange(6)
    if k == 0:
        mods[i][1] = rng.choice((0, 1, 2, 3, 4, 0x80, 0xFF))
    elif k == 1:
        mods[i][0] = rng.choice(("", "nope", mods[i][0] + "x", mods[(i + 1) % len(mods)][0]))
    elif k == 2 and len(mods) > 1:
        j = rng.randrange(len(mods))
        mods[i], mods[j] = mods[j], mods[i]
    elif k == 3:
        mods.insert(i, list(mods[i]))
    elif k == 4 and len(mods) > 1:
        del mods[i]
    else:                                            # another module's bytecode under this name
        j = rng.randrange(len(mods))
        mods[i][2] = mods[j][2]
    return s.pack()


def module_code(rng, seed, corpus):
    """A module's bytecode mutated as the .hlc fuzzer does (mostly with a
    valid CRC): it is decoded and verified again on restore."""
    from ..mutate import mutate as hlc_mutate
    s = image.copy(seed.snap)
    # The program's own module most of the time (the prelude is large).
    i = len(s.modules) - 1 if rng.random() < 0.8 else rng.randrange(len(s.modules))
    blob = s.modules[i][2]
    donor = rng.choice(s.modules)[2]
    try:
        desc = read_module(blob)
    except LoadError:                                # (already mutated, when stacked)
        raise Skip from None
    data, _what = hlc_mutate(rng, blob, desc, donor, rounds=1)
    s.modules[i][2] = data
    return s.pack()


def many(rng, seed, corpus):
    """Two or three forgeries on one snapshot."""
    data = seed.data
    for _ in range(rng.choice((2, 2, 3))):
        m = _pick(rng, FORGERIES)
        try:
            data2 = m(rng, seed, corpus)
        except (Skip, IndexError, KeyError, OverflowError, TypeError, ValueError):   # facts gone stale
            continue
        try:
            seed = replace(seed, data=data2, snap=image.parse(data2))
        except Exception:           # noqa: BLE001 - no longer decodable: stop stacking
            return data2
        data = data2
    return data


FORGERIES = ((heap_ref, 14), (retarget, 10), (heap_value, 5), (heap_payload, 5), (block_header, 8), (heap_layout, 5),
             (type_entry, 7), (frame, 12), (frames_order, 5), (global_value, 6), (trace, 4), (handle, 2),
             (meta, 4), (module, 3), (module_code, 3))
MUTATORS = ((raw_stale, 12), (raw_sealed, 8), (header, 2), (section_bytes, 8), (section_order, 2),
            (splice, 3), (many, 8)) + FORGERIES


def _pick(rng, table):
    total = sum(w for _m, w in table)
    x = rng.random() * total
    for m, w in table:
        x -= w
        if x < 0:
            return m
    return table[-1][0]


def mutate(rng, seed, corpus) -> tuple[bytes, str]:
    """(bytes, name of the mutator) of one mutant of `seed`."""
    for _ in range(20):
        m = _pick(rng, MUTATORS)
        try:
            data = m(rng, seed, corpus)
        except (Skip, IndexError, KeyError, OverflowError):   # does not apply here: another one
            continue
        if data != seed.data:                        # (a forgery may write what was there)
            return data, m.__name__
    b = bytearray(seed.data)
    b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
    return bytes(b), "raw_stale"


__all__ = ["mutate", "MUTATORS", "FORGERIES", "Skip", "forged_ref"]
