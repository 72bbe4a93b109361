"""Mutations of one bytecode module, at the byte level and at the level of
its descriptors.

Every mutator is `(rng, data, desc, donor) → bytes`: `data` is the module's
`.hlc` bytes, `desc` the same module read back (a `ModuleDesc`), `donor`
another module's bytes for splicing.  Byte mutators damage the file and
usually repair its checksum (so the damage reaches past the reader's CRC
check); descriptor mutators change one thing in the decoded module — an
opcode, a branch target, an operand, a type in a signature, a handler, a
flag, a class's layout, vtable, interfaces or itable, a constant — and
write it back, so the
reader accepts the framing and the verifier and linker see the change.
`MUTATORS` lists them with their weights; `mutate` picks one.
"""

from __future__ import annotations

import struct
import zlib

from hlbc import model as M
from hlbc import write_module
from hlbc.code import decode, encode_one
from hlbc.opcodes import BY_NAME, POOL_KIND, TABLE

_INTERESTING_U32 = (0, 1, 2, 3, 4, 7, 8, 16, 255, 256, 0x7FFF, 0xFFFF, 0x10000, 0x7FFFFFFF,
                    0x80000000, 0xFFFFFFFE, 0xFFFFFFFF)
_BASE_TYPES = ("I", "F", "Z", "S", "V", "[I", "[F", "[Z", "[S", "[[I", "Llang.Error;",
               "Llang.IndexError;", "Lnope.Nope;", "[Llang.Error;", "L;", "[", "Q",
               # Part B: any reference, arrays of it, function types (well and badly formed)
               "R", "[R", "[[R", "(I)I", "()V", "(R)R", "(II)I", "[(I)I", "((I)I)V", "()[I",
               "(Llang.Error;)S", "(", "()", "(V)I", "[V", "(" * 70 + ")V" + ")V" * 69)


def fix_crc(body: bytes) -> bytes:
    return bytes(body) + zlib.crc32(body).to_bytes(4, "little")


def _body(data: bytes) -> bytearray:
    return bytearray(data[:-4])


def _seal(rng, body: bytearray) -> bytes:
    # Mostly a valid checksum, so the damage reaches past the reader's CRC check.
    if rng.random() < 0.93:
        return fix_crc(bytes(body))
    return bytes(body) + rng.randbytes(4)


# --- byte level ----------------------------------------------------------------------

def bit_flips(rng, data, desc, donor):
    b = _body(data)
    for _ in range(rng.choice((1, 1, 2, 3, 8))):
        i = rng.randrange(4, len(b)) if len(b) > 4 else 0
        b[i] ^= 1 << rng.randrange(8)
    return _seal(rng, b)


def byte_insert(rng, data, desc, donor):
    b = _body(data)
    i = rng.randrange(len(b) + 1)
    b[i:i] = rng.randbytes(rng.choice((1, 1, 2, 4, 8, 33)))
    return _seal(rng, b)


def byte_delete(rng, data, desc, donor):
    b = _body(data)
    i = rng.randrange(len(b))
    del b[i:i + rng.choice((1, 1, 2, 4, 8, 33))]
    return _seal(rng, b)


def truncate(rng, data, desc, donor):
    b = _body(data)
    return _seal(rng, b[:rng.randrange(len(b))])


def interesting_u32(rng, data, desc, donor):
    b = _body(data)
    if len(b) < 12:
        return _seal(rng, b)
    i = rng.randrange(8, len(b) - 3)
    b[i:i + 4] = rng.choice(_INTERESTING_U32).to_bytes(4, "little")
    return _seal(rng, b)


def random_body(rng, data, desc, donor):
    """Random bytes behind a valid header (the file's own magic and
    version), with a valid checksum."""
    n = rng.randrange(0, 2 * len(data))
    return fix_crc(data[:8] + rng.randbytes(n))


def splice(rng, data, desc, donor):
    b = _body(data)
    d = donor[:-4]
    i, j = rng.randrange(len(b)), rng.randrange(len(d))
    n = rng.randrange(1, 64)
    b[i:i + rng.randrange(0, 64)] = d[j:j + n]
    return _seal(rng, b)


# --- descriptor level ------------------------------------------------------------------

def _write(m: M.ModuleDesc) -> bytes:
    return write_module(m)


def _pick_function(rng, desc, need_code=True):
    fs = [i for i, f in enumerate(desc.functions) if f.code or not need_code]
    return rng.choice(fs) if fs else None


def _with_function(desc, i, **changes):
    fs = list(desc.functions)
    fs[i] = fs[i].replace(**changes)
    return desc.replace(functions=tuple(fs))


def _code_edit(rng, data, desc, edit):
    i = _pick_function(rng, desc)
    if i is None:
        return bit_flips(rng, data, desc, data)
    f = desc.functions[i]
    instrs = [(ins.op.name, list(ins.args), ins.pc) for ins in decode(f.code)]
    code = edit(rng, f, instrs, desc)
    if code is None:
        return bit_flips(rng, data, desc, data)
    return _write(_with_function(desc, i, code=code))


def _encode(instrs) -> bytes:
    return b"".join(encode_one(n, *a) for n, a, _pc in instrs)


def swap_opcode(rng, data, desc, donor):
    def edit(rng, f, instrs, desc):
        k = rng.randrange(len(instrs))
        name, args, pc = instrs[k]
        same = [d for d in TABLE if d.operands == BY_NAME[name].operands] if rng.random() < 0.7 else TABLE
        d = rng.choice(same)
        if d.operands != BY_NAME[name].operands:
            args = [_operand(rng, kind, f, desc) for kind in d.operands]
        instrs[k] = (d.name, args, pc)
        return _encode(instrs)
    return _code_edit(rng, data, desc, edit)


def swap_opcode_byte(rng, data, desc, donor):
    """Overwrite one opcode byte in place (the rest of the code may no longer decode)."""
    i = _pick_function(rng, desc)
    if i is None:
        return bit_flips(rng, data, desc, donor)
    f = desc.functions[i]
    code = bytearray(f.code)
    pcs = [ins.pc for ins in decode(f.code)]
    code[rng.choice(pcs)] = rng.randrange(len(TABLE) + 2)
    return _write(_with_function(desc, i, code=bytes(code)))


def _operand(rng, kind, f, desc):
    if kind == "local":
        return rng.randrange(len(f.locals) + 2)
    if kind == "u8":
        return rng.choice((0, 1, 2, 255))
    if kind == "target":
        pcs = [ins.pc for ins in decode(f.code)] if f.code else [0]
        return rng.choice(pcs) if rng.random() < 0.8 else rng.randrange(len(f.code) + 8)
    want = POOL_KIND[kind]
    same = [j for j, c in enumerate(desc.consts) if c.kind == want]
    if same and rng.random() < 0.85:
        return rng.choice(same)
    return rng.randrange(len(desc.consts) + 2)


def retarget_branch(rng, data, desc, donor):
    def edit(rng, f, instrs, desc):
        ks = [k for k, (n, _a, _p) in enumerate(instrs) if "target" in BY_NAME[n].operands]
        if not ks:
            return None
        k = rng.choice(ks)
        name, args, pc = instrs[k]
        instrs[k] = (name, [_operand(rng, "target", f, desc)], pc)
        return _encode(instrs)
    return _code_edit(rng, data, desc, edit)


def change_operand(rng, data, desc, donor):
    def edit(rng, f, instrs, desc):
        ks = [k for k, (n, _a, _p) in enumerate(instrs) if BY_NAME[n].operands]
        if not ks:
            return None
        k = rng.choice(ks)
        name, args, pc = instrs[k]
        kinds = BY_NAME[name].operands
        j = rng.randrange(len(kinds))
        args = list(args)
        args[j] = _operand(rng, kinds[j], f, desc)
        instrs[k] = (name, args, pc)
        return _encode(instrs)
    return _code_edit(rng, data, desc, edit)


def _retarget_all(instrs):
    """After inserting or deleting instructions: map every target to the new
    pc of the instruction it named (or leave it, if that one is gone)."""
    new_pc, pc = {}, 0
    for name, _a, old in instrs:
        if old is not None:
            new_pc.setdefault(old, pc)
        pc += BY_NAME[name].size
    out = []
    for name, args, old in instrs:
        if "target" in BY_NAME[name].operands:
            args = [new_pc.get(args[0], args[0])]
        out.append((name, args, old))
    return out


def edit_instructions(rng, data, desc, donor):
    """Delete, duplicate, swap or insert instructions (targets follow, mostly)."""
    def edit(rng, f, instrs, desc):
        k = rng.randrange(len(instrs))
        op = rng.randrange(4)
        if op == 0 and len(instrs) > 1:
            del instrs[k]
        elif op == 1:
            name, args, _pc = instrs[k]
            instrs.insert(k, (name, list(args), None))
        elif op == 2 and len(instrs) > 1:
            j = rng.randrange(len(instrs))
            instrs[k], instrs[j] = instrs[j], instrs[k]
        else:
            d = rng.choice(TABLE)
            instrs.insert(k, (d.name, [_operand(rng, kind, f, desc) for kind in d.operands], None))
        if rng.random() < 0.8:
            instrs = _retarget_all(instrs)
        return _encode(instrs)
    return _code_edit(rng, data, desc, edit)


def _types_of(desc):
    ts = set(_BASE_TYPES)
    for f in desc.functions:
        ts.update(f.params)
        ts.update(f.locals)
        ts.add(f.ret)
    for c in desc.classes:
        ts.update(fd.type for fd in c.fields)
        ts.add(f"L{desc.name}.{c.name};")
    for g in desc.globals:
        ts.add(g.type)
    return sorted(ts)


def change_type(rng, data, desc, donor):
    """A type in a signature, a local, a field, a global or a constant."""
    types = _types_of(desc)
    t = rng.choice(types)
    where = rng.randrange(6)
    if where == 0 and desc.functions:           # a parameter (and maybe its local)
        i = rng.randrange(len(desc.functions))
        f = desc.functions[i]
        if f.params:
            j = rng.randrange(len(f.params))
            params = list(f.params)
            params[j] = t
            changes = {"params": tuple(params)}
            if rng.random() < 0.6:
                loc = list(f.locals)
                base = 1 if f.flags & M.F_METHOD else 0
                if base + j < len(loc):
                    loc[base + j] = t
                changes["locals"] = tuple(loc)
            return _write(_with_function(desc, i, **changes))
        return _write(_with_function(desc, i, ret=t))
    if where == 1 and desc.functions:           # a return type
        i = rng.randrange(len(desc.functions))
        return _write(_with_function(desc, i, ret=t))
    if where == 2 and desc.functions:           # a local
        i = rng.randrange(len(desc.functions))
        f = desc.functions[i]
        loc = list(f.locals) or [t]
        loc[rng.randrange(len(loc))] = t
        return _write(_with_function(desc, i, locals=tuple(loc)))
    if where == 3 and desc.classes:             # a field
        ci = rng.randrange(len(desc.classes))
        c = desc.classes[ci]
        if c.fields:
            fs = list(c.fields)
            j = rng.randrange(len(fs))
            fs[j] = M.FieldDesc(fs[j].name, t)
            return _write(_with_class(desc, ci, fields=tuple(fs)))
    if where == 4 and desc.globals:             # a global
        gs = list(desc.globals)
        j = rng.randrange(len(gs))
        gs[j] = gs[j].replace(type=t)
        return _write(desc.replace(globals=tuple(gs)))
    return change_const_type(rng, desc, types)


def change_const_type(rng, desc, types):
    cs = [j for j, c in enumerate(desc.consts)
          if c.kind in (M.K_TYPE, M.K_FIELD, M.K_METHOD, M.K_FUNC, M.K_GLOBAL, M.K_NATIVE)]
    if not cs:
        return _write(desc)
    j = rng.choice(cs)
    c = desc.consts[j]
    t = rng.choice(types)
    sig = "(" + "".join(rng.choice(types) for _ in range(rng.randrange(3))) + ")" + t
    v = c.value
    if c.kind == M.K_TYPE:
        nv = t
    elif c.kind in (M.K_FIELD, M.K_GLOBAL):
        nv = (v[0], v[1], t)
    elif c.kind in (M.K_METHOD, M.K_FUNC):
        nv = (v[0], v[1], sig)
    else:
        nv = (v[0], sig)
    return _write(_with_const(desc, j, M.Const(c.kind, nv)))


def _with_const(desc, j, c):
    cs = list(desc.consts)
    cs[j] = c
    return desc.replace(consts=tuple(cs))


def _with_class(desc, ci, **changes):
    cs = list(desc.classes)
    cs[ci] = cs[ci].replace(**changes)
    return desc.replace(classes=tuple(cs))


def change_function(rng, data, desc, donor):
    """max stack, flags, owner, name, handlers."""
    i = _pick_function(rng, desc, need_code=False)
    if i is None:
        return bit_flips(rng, data, desc, donor)
    f = desc.functions[i]
    what = rng.randrange(6)
    if what == 0:
        return _write(_with_function(desc, i, max_stack=max(0, f.max_stack + rng.choice((-2, -1, 1, 5)))))
    if what == 1:
        return _write(_with_function(desc, i, flags=f.flags ^ (1 << rng.randrange(8))))
    if what == 2:
        owner = rng.choice([M.NO_INDEX] + list(range(len(desc.classes) + 1)))
        return _write(_with_function(desc, i, owner=owner))
    if what == 3:
        names = [g.name for g in desc.functions] + ["main", "init", "to_string", "x"]
        return _write(_with_function(desc, i, name=rng.choice(names)))
    hs = list(f.handlers)
    pcs = [ins.pc for ins in decode(f.code)] if f.code else [0]
    pick = lambda: rng.choice(pcs + [len(f.code)]) if rng.random() < 0.8 else rng.randrange(len(f.code) + 9)
    if hs and rng.random() < 0.6:
        j = rng.randrange(len(hs))
        h = hs[j]
        field = rng.randrange(4)
        if field == 3:
            k = _operand(rng, "class", f, desc) if rng.random() < 0.8 else M.NO_INDEX
            hs[j] = h.replace(klass=k)
        else:
            hs[j] = h.replace(**{("start", "end", "handler")[field]: pick()})
    else:
        k = _operand(rng, "class", f, desc) if rng.random() < 0.5 else M.NO_INDEX
        hs.insert(rng.randrange(len(hs) + 1), M.Handler(pick(), pick(), pick(), k))
    return _write(_with_function(desc, i, handlers=tuple(hs)))


def change_class(rng, data, desc, donor):
    """Superclass, fields, methods, vtable, init, flags, interfaces, itable
    of one class."""
    if not desc.classes:
        return change_function(rng, data, desc, donor)
    ci = rng.randrange(len(desc.classes))
    c = desc.classes[ci]
    classes = [j for j, k in enumerate(desc.consts) if k.kind == M.K_CLASS]
    what = rng.randrange(10)
    if what >= 7:
        return _change_interfaces(rng, desc, ci, c, classes, what - 7)
    if what == 0:
        sup = rng.choice(classes + [M.NO_INDEX]) if classes else M.NO_INDEX
        return _write(_with_class(desc, ci, super=sup))
    if what == 1:
        fs = list(c.fields)
        if fs and rng.random() < 0.5:
            del fs[rng.randrange(len(fs))]
        else:
            fs.insert(rng.randrange(len(fs) + 1), M.FieldDesc(rng.choice(("x", "y", "message", "z9")),
                                                              rng.choice(_types_of(desc))))
        return _write(_with_class(desc, ci, fields=tuple(fs)))
    if what == 2 and c.vtable:
        vt = list(c.vtable)
        j = rng.randrange(len(vt))
        if rng.random() < 0.5 and classes:
            vt[j] = M.VSlot(vt[j].name, rng.choice(classes))
        elif len(vt) > 1:
            k = rng.randrange(len(vt))
            vt[j], vt[k] = vt[k], vt[j]
        else:
            del vt[j]
        return _write(_with_class(desc, ci, vtable=tuple(vt)))
    if what == 3:
        ms = list(c.methods)
        if ms and rng.random() < 0.5:
            j = rng.randrange(len(ms))
            ms[j] = (ms[j][0], rng.randrange(len(desc.functions) + 1))
        elif ms:
            del ms[rng.randrange(len(ms))]
        return _write(_with_class(desc, ci, methods=tuple(ms)))
    if what == 4:
        return _write(_with_class(desc, ci, init=rng.choice([M.NO_INDEX] + list(range(len(desc.functions) + 1)))))
    if what == 5 and len(desc.classes) > 1:
        cs = list(desc.classes)
        j = rng.randrange(len(cs))
        cs[ci], cs[j] = cs[j], cs[ci]
        return _write(desc.replace(classes=tuple(cs)))
    return _write(_with_class(desc, ci, name=rng.choice([k.name for k in desc.classes] + ["Error", "Q"])))


def _change_interfaces(rng, desc, ci, c, classes, what):
    """The Part B side of a class: its interface flag, the interfaces it
    lists, its itable entries."""
    if what == 0:
        return _write(_with_class(desc, ci, flags=c.flags ^ rng.choice((M.C_INTERFACE, M.C_INTERFACE, 2, 0x80))))
    if what == 1:
        ifs = list(c.interfaces)
        r = rng.random()
        if ifs and r < 0.35:
            del ifs[rng.randrange(len(ifs))]
        elif ifs and r < 0.5:
            ifs.append(rng.choice(ifs))                        # listed twice
        elif classes:
            ifs.insert(rng.randrange(len(ifs) + 1), rng.choice(classes) if rng.random() < 0.9
                       else rng.randrange(len(desc.consts) + 2))
        return _write(_with_class(desc, ci, interfaces=tuple(ifs)))
    it = list(c.itable)
    r = rng.random()
    if it and r < 0.3:
        del it[rng.randrange(len(it))]
    elif it and r < 0.4:
        it.append(rng.choice(it))
    elif it and r < 0.8:
        j = rng.randrange(len(it))
        e = it[j]
        field = rng.randrange(3)
        if field == 0 and classes:
            it[j] = e.replace(iface=rng.choice(classes))
        else:
            names = [m for k in desc.classes for m, _f in k.methods] + [s.name for s in c.vtable] + ["init", "x"]
            it[j] = e.replace(**{("name", "impl")[field % 2]: rng.choice(names)})
    elif classes:
        names = [m for k in desc.classes for m, _f in k.methods] or ["m"]
        it.insert(rng.randrange(len(it) + 1), M.ISlot(rng.choice(classes), rng.choice(names), rng.choice(names)))
    return _write(_with_class(desc, ci, itable=tuple(it)))


def change_const(rng, data, desc, donor):
    """A constant's value: names, numbers, the module a reference points to."""
    if not desc.consts:
        return bit_flips(rng, data, desc, donor)
    j = rng.randrange(len(desc.consts))
    c = desc.consts[j]
    v = c.value
    mods = [desc.name, "lang", "nope", "math"]
    if c.kind == M.K_INT:
        nv = rng.choice((0, 1, -1, 2 ** 63 - 1, -2 ** 63, 1 << 40, 7, -7))
    elif c.kind == M.K_FLOAT:
        nv = rng.choice((0.0, -0.0, 1e308, float("inf"), float("nan"), 1e9))
    elif c.kind == M.K_STRING:
        nv = rng.choice(("", "x", "\U0001F600" * 3, "a" * 100))
    elif c.kind == M.K_TYPE:
        nv = rng.choice(_types_of(desc))
    elif c.kind == M.K_CLASS:
        names = [k.name for k in desc.classes] + ["Error", "IndexError", "Nope"]
        nv = (rng.choice(mods), rng.choice(names))
    elif c.kind in (M.K_FIELD, M.K_METHOD):
        cls = [k for k, x in enumerate(desc.consts) if x.kind == M.K_CLASS] or [v[0]]
        names = ["message", "x", "init", "to_string", v[1]] + [m for k in desc.classes for m, _f in k.methods]
        nv = (rng.choice(cls), rng.choice(names), v[2])
    elif c.kind in (M.K_FUNC, M.K_GLOBAL):
        names = [f.name for f in desc.functions] + [g.name for g in desc.globals] + ["main"]
        nv = (rng.choice(mods), rng.choice(names), v[2])
    else:
        nv = (rng.choice(("lang.println", "lang.print", "string.repeat", "lang.exit", "time.sleep",
                          "lang.input", "nope")), v[1])
    return _write(_with_const(desc, j, M.Const(c.kind, nv)))


def change_module(rng, data, desc, donor):
    """Globals' flags, the module initialiser, the imports."""
    what = rng.randrange(3)
    if what == 0 and desc.globals:
        gs = list(desc.globals)
        j = rng.randrange(len(gs))
        gs[j] = gs[j].replace(flags=gs[j].flags ^ M.G_CONST)
        return _write(desc.replace(globals=tuple(gs)))
    if what == 1:
        return _write(desc.replace(init=rng.choice([M.NO_INDEX] + list(range(len(desc.functions) + 1)))))
    imports = list(desc.imports)
    if imports and rng.random() < 0.5:
        del imports[rng.randrange(len(imports))]
    else:
        imports.append(rng.choice(("lang", "math", "nope", desc.name)))
    return _write(desc.replace(imports=tuple(imports)))


MUTATORS = [
    (bit_flips, 6), (byte_insert, 3), (byte_delete, 3), (truncate, 2), (interesting_u32, 4),
    (random_body, 1), (splice, 2),
    (swap_opcode, 8), (swap_opcode_byte, 2), (retarget_branch, 5), (change_operand, 8),
    (edit_instructions, 8), (change_type, 8), (change_function, 6), (change_class, 5),
    (change_const, 5), (change_module, 2),
]
_NAMES = [m.__name__ for m, _w in MUTATORS]
_WEIGHTS = [w for _m, w in MUTATORS]


def mutate(rng, data: bytes, desc: M.ModuleDesc, donor: bytes, rounds: int = 1) -> tuple[bytes, str]:
    """One mutant of `data` (`rounds` mutations stacked); returns (bytes, what was done)."""
    from hlbc import LoadError, read_module
    done = []
    for r in range(rounds):
        m = rng.choices(MUTATORS, _WEIGHTS)[0][0]
        try:
            data = m(rng, data, desc, donor)
        except (ValueError, OverflowError, struct.error, UnicodeEncodeError, IndexError):
            data = bit_flips(rng, data, desc, donor)     # the mutation could not be written
            done.append("bit_flips")
        else:
            done.append(m.__name__)
        if r + 1 < rounds:
            try:
                desc = read_module(data)
            except LoadError:
                break
    return data, "+".join(done)


__all__ = ["MUTATORS", "mutate", "fix_crc"]
