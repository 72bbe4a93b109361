"""The lowered instruction set: one row per op kind, the only place an op's
meaning and properties are written.

A row (`Kind`) says how the op's operands bind — `dst`, the `src` registers
by name, its jump `targets`, and its `extra` — and what it does, in one of
two ways:

* a **template** (most kinds): Python lines over the frame `R` and the bound
  names, and for a value-producing op the `result` expression written to
  `R[d]`.  From this one text generate.py makes the op's closure, its piece
  in a fused straight-line run, and the derived superinstructions below.
  A line `FAIL f(...)` calls an error function that raises; every template
  fails before it writes anything, so a run can hand a failing piece back to
  the piece's own op (generate.py);
* a **factory** in calls.py or alloc.py (registered with `@hand`), for the
  ops that push frames, call out of the interpreter or allocate (and so
  must record `ctx.pc`), and `pmove`, whose operand count varies.

and its properties: `safepoint` (the collector may run inside it: the op
records its live stack registers, lower.py), `may_throw`, `transfers`
(control goes to its targets or out, never to the next op), and whether it
may be fused into a run.

Superinstructions are rows derived here from others, by composition of
their templates: `br_<cmp>` (compare and branch), `<br>_c` (a branch whose
true side is a counted back-edge), `iadd_<cmp>_c` (the loop step and test),
`<value>_ret` (compute and return).  fuse.py decides where they apply, by
the maps at the end of this module.

Names a template may use besides its own: the frame `R`, the globals of
numeric.py, and the interpreter state in `ENV` (bound by generate.py).
This module does not build closures and does not decide which ops an
instruction becomes (lower.py).
"""

# Records are collections.namedtuple, not typing.NamedTuple: importing
# typing costs every start of `hll run` some 3 ms.

from collections import namedtuple

from ..errors import Halt
from ..layout import (HEADER_BYTES, HEADER_WORDS, LENGTH_WORD, STRING_TIDS, T_ANY, T_BOXF, T_BOXI, T_BOXZ,
                      T_FARR, T_IARR, T_ZARR, field_offset)
from ..strings import equality

# Interpreter state a template may name, and where generate.py finds it on
# the interpreter `E`.
ENV: dict = {
    "ctx": lambda E: E.ctx, "frames": lambda E: E.frames, "ctr": lambda E: E.ctr,
    "poll": lambda E: E.poll, "poll_back": lambda E: E.poll_back, "W": lambda E: E.heap.W, "D": lambda E: E.heap.D,
    "Z": lambda E: E.heap.Z, "ANC": lambda E: E.ANC, "get_str": lambda E: E.heap.get_str,
    "str_eq": lambda E: equality(E.heap), "TRUE": lambda E: E.strings.true,
    "FALSE": lambda E: E.strings.false, "NULLSTR": lambda E: E.strings.null,
    "null_field": lambda E: E.errors.null_field, "null_length": lambda E: E.errors.null_length,
    "null_string": lambda E: E.errors.null_string, "null_compare": lambda E: E.errors.null_compare,
    "bad_index": lambda E: E.errors.bad_index, "div_zero": lambda E: E.errors.div_zero,
    "rem_zero": lambda E: E.errors.rem_zero, "cast_fail": lambda E: E.errors.cast_fail,
    "throw_ref": lambda E: E.errors.throw_ref, "Halt": lambda E: Halt,
    "ENT": lambda E: E.ENT, "VT": lambda E: E.VT, "overflow": lambda E: E.errors.stack_overflow,
    "null_call": lambda E: E.errors.null_call,
    # Part B: interfaces, erased values, function values.
    "IFS": lambda E: E.IFS, "TEST": lambda E: E.TEST, "CLO": lambda E: E.CLO,
    "null_fn": lambda E: E.errors.null_fn_call, "AEL": lambda E: E.AEL, "FNT": lambda E: E.FNT,
    "unbox_fail": lambda E: E.errors.unbox_fail, "store_fail": lambda E: E.errors.store_fail,
    "vhash": lambda E: E.vm.boxes.vhash, "shash": lambda E: E.vm.boxes.shash, "TBOX": lambda E: E.vm.boxes.true, "FBOX": lambda E: E.vm.boxes.false,
    "STRS": lambda E: STRING_TIDS, "ANY": lambda E: T_ANY, "BOXI": lambda E: T_BOXI,
    "BOXF": lambda E: T_BOXF, "BOXZ": lambda E: T_BOXZ, "IARR": lambda E: T_IARR, "FARR": lambda E: T_FARR,
    "ZARR": lambda E: T_ZARR,
}

# Layout offsets as the templates spell them (the layout owns the values).
_HW, _HB, _LEN = HEADER_WORDS, HEADER_BYTES, LENGTH_WORD


# The fields of a Kind, each with its default (the name has none).
_KIND_FIELDS = (
    ("src", ()),                # names bound to o.src, in order
    ("dst", False),             # binds `d` to o.dst
    ("targets", ()),            # names bound to o.targets, in order
    ("extra", None),            # name(s) o.extra unpacks to, or fn(E, o) → {name: value}
    ("lines", ()),              # template body (before the result)
    ("result", None),           # template: the value written to R[d]
    ("transfers", False),       # ends with its own return (or raise)
    ("factory", None),          # hand-written closure factory (no template)
    ("safepoint", False),
    ("may_throw", False),
    ("fusable", True),          # may be a piece of a run (templates only)
    # Pushes a frame whose return index is the op after it, unthreaded: a
    # trace finds the call in the caller's frame by that index.
    ("calls", False),
)


class Kind(namedtuple("Kind", ["name", *(f for f, _ in _KIND_FIELDS)],
                      defaults=tuple(d for _, d in _KIND_FIELDS))):
    __slots__ = ()

    @property
    def template(self) -> bool:
        return self.factory is None

    def bind(self, E, o) -> dict:
        """The names the template uses that belong to this op."""
        b = dict(zip(self.src, o.src))
        if self.dst:
            b["d"] = o.dst
        if self.targets:
            b.update(zip(self.targets, o.targets))
        x = self.extra
        if x is None:
            return b
        if callable(x):
            b.update(x(E, o))
        elif isinstance(x, str):
            b[x] = o.extra
        else:
            b.update(zip(x, o.extra))
        return b


KINDS: dict[str, Kind] = {}


def _add(k: Kind) -> Kind:
    if any("FAIL " in ln for ln in k.lines):
        k = k._replace(may_throw=True)
    KINDS[k.name] = k
    return k


def value(name: str, src: str, result: str, lines=(), extra=None) -> Kind:
    return _add(Kind(name, tuple(src.split()), True, extra=extra, lines=tuple(lines), result=result))


def effect(name: str, src: str, lines, extra=None) -> Kind:
    return _add(Kind(name, tuple(src.split()), extra=extra, lines=tuple(lines)))


def hand(name: str, safepoint=False, may_throw=False, calls=False):
    """Decorator: a hand-written factory is the row of kind `name`."""
    def add(factory):
        _add(Kind(name, factory=factory, safepoint=safepoint, may_throw=may_throw,
                  calls=calls, fusable=False))
        return factory
    return add


def control(name: str, src: str, targets: str, lines, extra=None, fusable=False, dst=False) -> Kind:
    """A template that transfers control itself (its targets, or out)."""
    return _add(Kind(name, tuple(src.split()), dst, tuple(targets.split()), extra, tuple(lines),
                     transfers=True, fusable=fusable))


def rename(line: str, names: dict) -> str:
    """A template line with its bound names replaced (`names`: old → new,
    identifiers): each occurrence of a key that is a whole word of the line
    (no letter, digit or `_` on either side, as `\\b` reads them).  Found
    with str.find rather than a regular expression: `re` costs a run's
    start some 7 ms, and this runs while the interpreter's tables are built."""
    if not names:
        return line
    hits = []
    n = len(line)
    for old in names:
        i = line.find(old)
        while i >= 0:
            j = i + len(old)
            if (i == 0 or not _in_word(line[i - 1])) and (j == n or not _in_word(line[j])):
                hits.append((i, j, old))
            i = line.find(old, j)
    if not hits:
        return line
    hits.sort()             # whole words never overlap
    out, at = [], 0
    for i, j, old in hits:
        out += (line[at:i], names[old])
        at = j
    out.append(line[at:])
    return "".join(out)


def _in_word(c: str) -> bool:
    return c.isalnum() or c == "_"


def _indent(lines):
    return ["    " + ln for ln in lines]


_WRAP = "v if INT_MIN <= v <= INT_MAX else ((v + _S63) & _M64) - _S63"
# Count one event (a call or back-edge) of function `fid`; poll when due.
COUNT = ("n = ctr[fid] - 1", "ctr[fid] = n", "if n < 0:", "    poll(fid)")
# A back-edge to op t: its poll may move the running frame into compiled code
# (on-stack replacement, hllvm/jit/tier.py), and then says where to go on.
BACK_COUNT = ("n = ctr[fid] - 1", "ctr[fid] = n", "if n < 0:", "    osr = poll_back(fid, t)",
              "    if osr >= 0:", "        return osr")
_RETURN = ("caller, pc, rd = frames.pop()", "caller[rd] = v", "ctx.R = caller", "return pc")

# --- moves, globals ------------------------------------------------------------------

value("move", "a", "R[a]")
effect("nop", "", ())


def _global_word(E, o):
    m, i, _t = o.extra
    return {"w": m.globals_ref + field_offset(i)}


def _global_byte(E, o):
    return {"z": _global_word(E, o)["w"] << 3}


value("gget_w", "", "W[w]", extra=_global_word)
value("gget_d", "", "D[w]", extra=_global_word)
value("gget_z", "", "Z[z]", extra=_global_byte)
effect("gset_w", "a", ["W[w] = R[a]"], extra=_global_word)
effect("gset_d", "a", ["D[w] = R[a]"], extra=_global_word)
effect("gset_z", "a", ["Z[z] = R[a]"], extra=_global_byte)

# --- ints: 64-bit, wrapping -------------------------------------------------------------

for _k, _sym in (("iadd", "+"), ("isub", "-"), ("imul", "*")):
    value(_k, "a b", _WRAP, [f"v = R[a] {_sym} R[b]"])
value("ishl", "a b", _WRAP, ["v = R[a] << (R[b] & 63)"])
value("ishr", "a b", "R[a] >> (R[b] & 63)")
for _k, _sym in (("iand", "&"), ("ior", "|"), ("ixor", "^")):
    value(_k, "a b", f"R[a] {_sym} R[b]")
value("ineg", "a", "-v if v != INT_MIN else INT_MIN", ["v = R[a]"])
value("inot", "a", "~R[a]")
value("idiv", "a b", "v", [
    "x = R[a]", "y = R[b]",
    "if y > 0 and x >= 0:", "    v = x // y",
    "else:", "    if y == 0:", "        FAIL div_zero()",
    "    v = abs(x) // abs(y)", "    if (x < 0) != (y < 0):", "        v = -v",
    "    if v > INT_MAX:", "        v = INT_MIN",          # MIN / -1 wraps to MIN
])
value("irem", "a b", "v", [
    "x = R[a]", "y = R[b]",
    "if y > 0 and x >= 0:", "    v = x % y",
    "else:", "    if y == 0:", "        FAIL rem_zero()",
    "    v = abs(x) % abs(y)", "    if x < 0:", "        v = -v",   # the dividend's sign
])

# --- floats: IEEE 754 -------------------------------------------------------------------

for _k, _sym in (("fadd", "+"), ("fsub", "-"), ("fmul", "*")):
    value(_k, "a b", f"R[a] {_sym} R[b]")
value("fdiv", "a b", "R[a] / y if y else fdiv(R[a], y)", ["y = R[b]"])
value("frem", "a b", "frem(R[a], R[b])")
value("fneg", "a", "-R[a]")
value("i2f", "a", "float(R[a])")
value("f2i", "a", "int(x) if -9e18 < x < 9e18 else f2i(x)", ["x = R[a]"])
value("not", "a", "not R[a]")

# --- comparisons: ints, floats, bools and reference identity share Python's ----------------

COMPARES = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
for _k, _sym in COMPARES.items():
    value(_k, "a b", f"R[a] {_sym} R[b]")

# --- strings that do not allocate -----------------------------------------------------------

value("slen", "a", f"W[r + {_LEN}]", ["r = R[a]", "if not r:", "    FAIL null_string()"])
value("ztos", "a", "TRUE if R[a] else FALSE")
value("stos", "a", "R[a] or NULLSTR")
value("seq", "a b", "str_eq(R[a], R[b])")
value("sne", "a b", "not str_eq(R[a], R[b])")
for _k in ("lt", "le", "gt", "ge"):
    value("s" + _k, "a b", f"get_str(x) {COMPARES[_k]} get_str(y)",
          ["x = R[a]", "y = R[b]", "if not x or not y:", "    FAIL null_compare()"])

# --- objects and arrays ------------------------------------------------------------------------

_NULL_FIELD = ("r = R[a]", "if not r:", "    FAIL null_field(name)")
value("getfield_w", "a", "W[r + off]", _NULL_FIELD, extra=("off", "name"))
value("getfield_d", "a", "D[r + off]", _NULL_FIELD, extra=("off", "name"))
value("getfield_z", "a", "W[r + off] != 0", _NULL_FIELD, extra=("off", "name"))
effect("putfield_w", "a b", [*_NULL_FIELD, "W[r + off] = R[b]"], extra=("off", "name"))
effect("putfield_d", "a b", [*_NULL_FIELD, "D[r + off] = R[b]"], extra=("off", "name"))


def _class_test(E, o):
    cls = o.extra
    return {"depth": cls.depth, "cid": cls.id, "cls": cls}


value("instanceof", "a", "depth < len(anc) and anc[depth] == cid", ["anc = ANC[W[R[a]]]"],
      extra=_class_test)
effect("checkcast", "a", ["r = R[a]", "if r:", "    anc = ANC[W[r]]",
                          "    if not (depth < len(anc) and anc[depth] == cid):",
                          "        FAIL cast_fail(r, cls)"], extra=_class_test)
value("alen", "a", f"W[r + {_LEN}]", ["r = R[a]", "if not r:", "    FAIL null_length()"])

# Element access: a null array has length 0 at word LENGTH_WORD of block 0, so
# the bounds check covers it (bad_index reports null).
_ELEM = {"w": f"W[arr + {_HW} + i]", "d": f"D[arr + {_HW} + i]", "z": f"Z[(arr << 3) + {_HB} + i]"}
_BOUNDS = ("arr = R[a]", "i = R[b]", f"if not 0 <= i < W[arr + {_LEN}]:", "    FAIL bad_index(arr, i)")
for _k, _e in _ELEM.items():
    value("aload_" + _k, "a b", _e, _BOUNDS)
    effect("astore_" + _k, "a b c", [*_BOUNDS, f"{_e} = R[c]"])

# --- Part B: interfaces, erased values ----------------------------------------------------------

# `is`/`as` an interface: the receiver's class implements it.
value("instanceof_i", "a", "cid in IFS[W[R[a]]]", extra=_class_test)
effect("checkcast_i", "a", ["r = R[a]", "if r and cid not in IFS[W[r]]:", "    FAIL cast_fail(r, cls)"],
       extra=_class_test)


def _type_test(E, o):
    rec = o.extra
    return {"code": rec.id, "rec": rec}


def _box_test(E, o):
    return {"box": o.extra}


# CAST to int/float/bool: a box of that kind, unboxed (null: NullError; a
# null block's type id, 0, is no box's).
value("unbox_w", "a", f"W[r + {_HW}]", ["r = R[a]", "if W[r] != box:", "    FAIL unbox_fail(r, box)"],
      extra=_box_test)
value("unbox_d", "a", f"D[r + {_HW}]", ["r = R[a]", "if W[r] != box:", "    FAIL unbox_fail(r, box)"],
      extra=_box_test)
value("unbox_z", "a", f"W[r + {_HW}] != 0", ["r = R[a]", "if W[r] != box:", "    FAIL unbox_fail(r, box)"],
      extra=_box_test)
# CAST to string, to an array type (exact, else assignable: `[I` to `[R`...),
# to a function type (the function value's shape has that type).
effect("cast_s", "a", ["r = R[a]", "if r and W[r] not in STRS:", "    FAIL cast_fail(r, rec)"],
       extra=_type_test)
effect("cast_t", "a", ["r = R[a]", "if r and W[r] != code and not TEST[code](r):", "    FAIL cast_fail(r, rec)"],
       extra=_type_test)
effect("cast_fn", "a", ["r = R[a]", "if r and FNT[W[r]] != code:", "    FAIL cast_fail(r, rec)"],
       extra=_type_test)
value("isa_box", "a", "W[R[a]] == box", extra=_box_test)
value("isa_s", "a", "W[R[a]] in STRS")
value("isa_any", "a", "R[a] != 0")
value("isa_t", "a", "r != 0 and (W[r] == code or TEST[code](r))", ["r = R[a]"], extra=_type_test)
value("isa_fn", "a", "FNT[W[R[a]]] == code", extra=_type_test)
value("box_z", "a", "TBOX if R[a] else FBOX")

# VEQ: the same block, or boxes of one kind with == values, or strings of
# equal content (equal strings have one type id: the canonical form).
value("veq", "a b", "v", [
    "x = R[a]", "y = R[b]",
    "if x == y:", "    v = True",
    "elif not x or not y:", "    v = False",
    "else:", "    t = W[x]",
    "    if t != W[y]:", "        v = False",
    "    elif t in STRS:", "        v = str_eq(x, y)",
    "    elif t == BOXI or t == BOXZ:", f"        v = W[x + {_HW}] == W[y + {_HW}]",
    "    elif t == BOXF:", f"        v = D[x + {_HW}] == D[y + {_HW}]",
    "    else:", "        v = False",
])
# VHASH (ops/values.py): an int box's hash is the int, inline; a string's
# Java hash (remembered for short strings) without the general function.
value("vhash", "a", "v", [
    "r = R[a]",
    "if not r:", "    v = 0",
    "else:", "    t = W[r]",
    "    if t == BOXI:", f"        v = W[r + {_HW}]",
    "    elif t in STRS:", "        v = shash(r)",
    "    else:", "        v = vhash(r, t)",
])
# XASTORE: any kind of array; a primitive element is unboxed (null or
# another kind: store_fail), a reference is checked against the element type.
effect("xastore", "a b c", [
    *_BOUNDS, "t = W[arr]", "v = R[c]",
    "if t == IARR:",
    "    if W[v] != BOXI:", "        FAIL store_fail(v, arr)",
    f"    W[arr + {_HW} + i] = W[v + {_HW}]",
    "elif t == FARR:",
    "    if W[v] != BOXF:", "        FAIL store_fail(v, arr)",
    f"    D[arr + {_HW} + i] = D[v + {_HW}]",
    "elif t == ZARR:",
    "    if W[v] != BOXZ:", "        FAIL store_fail(v, arr)",
    f"    Z[(arr << 3) + {_HB} + i] = W[v + {_HW}] != 0",
    "else:",
    "    e = AEL[t]",
    "    if v and e != ANY and W[v] != e and not TEST[e](v):", "        FAIL store_fail(v, arr)",
    f"    W[arr + {_HW} + i] = v",
])

# --- control -----------------------------------------------------------------------------------

control("jmp", "", "t", ["return t"])
control("loop", "", "t", [*BACK_COUNT, "return t"], extra="fid")      # a counted back-edge
control("ret", "", "", ["caller, pc, rd = frames.pop()", "ctx.R = caller", "return pc"])
control("retv", "a", "", ["v = R[a]", *_RETURN])
control("throw", "a", "", ["throw_ref(R[a])"])
control("halt", "", "", ["raise Halt()"])

# Conditions a branch tests, by branch kind: `br_<cmp>` fuses a compare with
# the JT/JF after it (lower.py).
CONDITIONS = {"br": "R[a]", "br_not": "not R[a]"}
CONDITIONS.update({"br_" + k: KINDS[k].result for k in COMPARES})
BRANCH_OF = {k: "br_" + k for k in COMPARES}            # compare kind → its branch kind
for _k, _cond in CONDITIONS.items():
    _src = " ".join(KINDS[_k[3:]].src) if _k[3:] in COMPARES else "a"
    control(_k, _src, "t f", [f"return t if {_cond} else f"], fusable=True)
    # The counting twin: its true side is a loop back-edge (fuse.py).
    control(_k + "_c", _src, "t f", [f"if {_cond}:", *_indent(BACK_COUNT), "    return t", "return f"],
            extra="fid", fusable=True)
COUNTING_OF = {k: k + "_c" for k in CONDITIONS}         # branch kind → its counting twin


# The loop step and test: `iadd` followed by a counting compare-and-branch.
STEP_OF: dict[tuple[str, str], str] = {}
for _k in COMPARES:
    _br = KINDS[COUNTING_OF["br_" + _k]]
    _iadd = KINDS["iadd"]
    _name = f"iadd_{_k}_c"
    control(_name, "a b x y", "t f",
            [*_iadd.lines, f"R[d] = {_iadd.result}", *(rename(ln, {"a": "x", "b": "y"}) for ln in _br.lines)],
            extra="fid", fusable=True, dst=True)
    STEP_OF[("iadd", _br.name)] = _name

# `<value>_ret`: a value op whose result is returned at once (`return a * b;`,
# getters).  Every value template has one (made only if used).
RETURNING_OF: dict[str, str] = {}
for _v in [k for k in KINDS.values() if k.result is not None and k.name != "move"]:
    _add(Kind(_v.name + "_ret", _v.src, extra=_v.extra,
              lines=(*_v.lines, f"v = {_v.result}", *_RETURN), transfers=True, fusable=False))
    RETURNING_OF[_v.name] = _v.name + "_ret"


__all__ = ["Kind", "KINDS", "ENV", "COMPARES", "CONDITIONS", "BRANCH_OF", "COUNTING_OF", "STEP_OF",
           "RETURNING_OF", "COUNT", "BACK_COUNT", "hand", "rename"]
