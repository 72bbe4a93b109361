"""Readable listing of a module, in the manner of `javap -c -l`.

Owns only presentation: it decodes with `hlbc.code`, names operands from the
constant pool and, when given the source text, prints each source line before
the first instruction that belongs to it.  It does not check anything (that is
the loader's and the verifier's job).
"""

from __future__ import annotations

from . import model as M
from .code import decode
from .opcodes import POOL_KIND


def describe_const(m: M.ModuleDesc, idx: int) -> str:
    """A short human-readable form of constant `idx`."""
    if idx >= len(m.consts):
        return f"#{idx}?"
    c = m.consts[idx]
    v = c.value
    if c.kind == M.K_INT:
        return str(v)
    if c.kind == M.K_FLOAT:
        return repr(v)
    if c.kind == M.K_STRING:
        return _quote(v)
    if c.kind == M.K_TYPE:
        return v
    if c.kind == M.K_CLASS:
        return f"{v[0]}.{v[1]}"
    if c.kind == M.K_FIELD:
        return f"{describe_const(m, v[0])}.{v[1]}:{v[2]}"
    if c.kind == M.K_METHOD:
        return f"{describe_const(m, v[0])}.{v[1]}{v[2]}"
    if c.kind == M.K_FUNC:
        return f"{v[0]}.{v[1]}{v[2]}"
    if c.kind == M.K_GLOBAL:
        return f"{v[0]}.{v[1]}:{v[2]}"
    if c.kind == M.K_NATIVE:
        return f"native {v[0]}{v[1]}"
    return f"#{idx}"


def _quote(s: str) -> str:
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return f'"{out}"'


def function_title(m: M.ModuleDesc, f: M.FunctionDesc) -> str:
    owner = f"{m.classes[f.owner].name}." if f.owner != M.NO_INDEX and f.owner < len(m.classes) else ""
    kinds = [name for flag, name in ((M.F_NATIVE, "native"), (M.F_MODINIT, "module init"), (M.F_INIT, "constructor"))
             if f.flags & flag]
    extra = f"   // {', '.join(kinds)}" if kinds else ""
    return f"fn {owner}{f.name}{f.signature}{extra}"


def disassemble(m: M.ModuleDesc, source: str | None = None) -> str:
    lines = source.splitlines() if source is not None else None
    out = [f"module {m.name}   // from {m.source}"]
    if m.imports:
        out.append("  imports " + ", ".join(m.imports))
    for g in m.globals:
        out.append(f"  {'let' if g.flags & M.G_CONST else 'var'} {g.name}: {g.type}")
    for c in m.classes:
        sup = f" extends {describe_const(m, c.super)}" if c.super != M.NO_INDEX else ""
        out.append(f"  class {c.name}{sup}")
        for fd in c.fields:
            out.append(f"    field {fd.name}: {fd.type}")
        for i, slot in enumerate(c.vtable):
            out.append(f"    vtable[{i}] {slot.name} -> {describe_const(m, slot.impl)}")
    for f in m.functions:
        out.append("")
        out.extend(_function_lines(m, f, lines))
    return "\n".join(out) + "\n"


def disassemble_function(m: M.ModuleDesc, f: M.FunctionDesc, source: str | None = None) -> str:
    """The listing of one function of `m`, as `disassemble` prints it."""
    lines = source.splitlines() if source is not None else None
    return "\n".join(_function_lines(m, f, lines)) + "\n"


def _function_lines(m: M.ModuleDesc, f: M.FunctionDesc, lines: list[str] | None) -> list[str]:
    out = [function_title(m, f)]
    if f.flags & M.F_NATIVE:
        return out
    out.append(f"  locals {len(f.locals)} ({' '.join(f.locals) or '-'}), max stack {f.max_stack}")
    out.extend(_code_lines(m, f, lines))
    for h in f.handlers:
        caught = describe_const(m, h.klass) if h.klass != M.NO_INDEX else "any Error"
        out.append(f"  handler [{h.start}, {h.end}) -> {h.handler}  catches {caught}")
    return out


def _code_lines(m: M.ModuleDesc, f: M.FunctionDesc, src: list[str] | None) -> list[str]:
    line_at = {e.pc: e.line for e in f.lines}
    out = []
    shown = None
    for ins in decode(f.code, where=f.name):
        line = line_at.get(ins.pc)
        if line is not None and line != shown:
            shown = line
            text = src[line - 1].strip() if src and 0 < line <= len(src) else ""
            out.append(f"    // line {line}: {text}" if text else f"    // line {line}")
        ops = []
        for kind, a in zip(ins.op.operands, ins.args):
            if kind in POOL_KIND:
                ops.append(f"#{a} {describe_const(m, a)}")
            else:                           # local, u8, target: the number itself
                ops.append(str(a))
        out.append(f"  {ins.pc:5d}: {ins.op.name:<12} {', '.join(ops)}".rstrip())
    return out
