"""Closures made from the kind table's templates (kinds.py): one op's
closure, and a fused straight-line run of ops as one closure.

A closure takes no argument, reads the current frame through `ctx.R` once,
does its work and returns the index of the next op.  Its operands (registers,
offsets, targets) are bound as closure variables, so it reads them as fast as
a hand-written closure would.  The Python source of each shape (a kind, or a
run's kinds in order) is compiled once and reused for every op of that shape.

A run (`run` ops, made by fuse.py) executes its pieces one after another;
only piece 0 throws itself.  When a later piece would fail, the run returns
that piece's own op (which stays in place in the code list) with the pieces
before it done, so the error is raised by the op with the right origin.
Templates fail before they write anything, so running the piece's op again
from the start is exact.

It owns making code from templates; which template each kind has is the
table's, and where runs are formed is fuse.py's."""

from __future__ import annotations

from .kinds import ENV, KINDS, rename
from .numeric import GLOBALS

_FAIL = "FAIL "
_ID_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
_ID_CHARS = _ID_START | frozenset("0123456789")


def _identifiers(line: str) -> list[str]:
    """The ASCII identifiers in `line`, left to right, as the regular
    expression `[A-Za-z_][A-Za-z0-9_]*` finds them (`1e5` holds `e5`).
    Written out: `re` costs a run's start some 7 ms."""
    found = []
    i, n = 0, len(line)
    while i < n:
        if line[i] in _ID_START:
            j = i + 1
            while j < n and line[j] in _ID_CHARS:
                j += 1
            found.append(line[i:j])
            i = j
        else:
            i += 1
    return found


def _env_names(lines) -> list[str]:
    used = set()
    for ln in lines:
        used.update(_identifiers(ln))
    if "R" in used:
        used.add("ctx")
    return sorted(used & ENV.keys())


def _compile(params: list[str], lines: list[str]) -> object:
    """`make(*params)` returning `op`, whose body is `lines`."""
    head = "        R = ctx.R\n" if any("R" in _identifiers(ln) for ln in lines) else ""
    text = (f"def make({', '.join(params)}):\n    def op():\n" + head
            + "".join(f"        {ln}\n" for ln in lines) + "    return op\n")
    ns = dict(GLOBALS)
    exec(compile(text, "<op>", "exec"), ns)
    return ns["make"]


def _body(k) -> list[str]:
    lines = [ln.replace(_FAIL, "") for ln in k.lines]
    if k.result is not None:
        lines.append(f"R[d] = {k.result}")
    return lines


_makers: dict = {}


def closure(E, key, lines, binds: dict):
    """The closure whose body is `lines` (made by `lines()` the first time
    `key` is seen), with `binds` bound by name and the interpreter state it
    names (kinds.ENV) taken from `E`.  Compiled once per key."""
    entry = _makers.get(key)
    if entry is None:
        text = lines()
        env = _env_names(text)
        entry = _makers[key] = (_compile([*env, *binds], text), env)
    maker, env = entry
    return maker(*[ENV[n](E) for n in env], *binds.values())


def template_factory(E, o, nx):
    """The closure of an op whose kind has a template."""
    k = KINDS[o.kind]
    binds = k.bind(E, o)
    binds["nx"] = nx

    def lines():
        return _body(k) + ([] if k.transfers else ["return nx"])
    return closure(E, (k.name, tuple(binds)), lines, binds)


def pmove(E, o, nx):
    """Parallel move (joins of control flow): read every source, then write."""
    ctx = E.ctx
    dsts = o.dst
    srcs = o.src

    def op():
        R = ctx.R
        vals = [R[s] for s in srcs]
        for d, v in zip(dsts, vals):
            R[d] = v
        return nx
    return op


# --- runs -------------------------------------------------------------------------------

def is_piece(kind: str) -> bool:
    """May be inside a run: a fusable template that falls through."""
    k = KINDS.get(kind)
    return k is not None and k.template and k.fusable and not k.transfers


def is_end(kind: str) -> bool:
    """May end a run: a fusable template that transfers control itself."""
    k = KINDS.get(kind)
    return k is not None and k.template and k.fusable and k.transfers


_piece_lines: dict = {}


def _piece(k_index: int, op, E) -> tuple[list[str], dict]:
    """Piece `k_index` of a run: its lines with its bound names suffixed by
    its position (made once per kind, position and names), and those names'
    values."""
    k = KINDS[op.kind]
    binds = k.bind(E, op)
    key = (k.name, k_index, tuple(binds))
    lines = _piece_lines.get(key)
    if lines is None:
        names = {n: f"{n}{k_index}" for n in binds}
        lines = []
        for ln in (*k.lines, *([f"R[d] = {k.result}"] if k.result is not None else ())):
            ln = rename(ln, names)
            if _FAIL in ln:
                ln = ln.replace(_FAIL, "") if k_index == 0 else ln[:ln.index(_FAIL)] + f"return fb{k_index}"
            lines.append(ln)
        _piece_lines[key] = lines
    return lines, {f"{n}{k_index}": v for n, v in binds.items()}


_run_makers: dict = {}


def f_run(E, o, nx):
    """A straight-line run.  extra = (pieces, fallbacks, next): `pieces` the
    run's ops in order (the last may transfer), `fallbacks[k]` the code index
    of piece k's own op, `next` where the run goes when its last piece falls
    through."""
    pieces, fallbacks, nxt = o.extra
    lines, binds = [], {}
    for k, p in enumerate(pieces):
        body, b = _piece(k, p, E)
        if k:
            b[f"fb{k}"] = fallbacks[k]
        lines.extend(body)
        binds.update(b)
    if not KINDS[pieces[-1].kind].transfers:
        lines.append("return nx")
        binds["nx"] = nxt
    key = (tuple(binds), "\n".join(lines))
    entry = _run_makers.get(key)
    if entry is None:
        env = _env_names(lines)
        entry = _run_makers[key] = (_compile([*env, *binds], lines), env)
    maker, env = entry
    return maker(*[ENV[n](E) for n in env], *binds.values())


__all__ = ["closure", "template_factory", "pmove", "f_run", "is_piece", "is_end"]
