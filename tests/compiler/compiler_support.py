"""Shared helpers of the compiler tests: compile a snippet, collect its
errors, and a small disassembler for eyeballing and asserting on code (the
VM's `hll disasm` is the real one)."""

from __future__ import annotations

from compiler import CompileError, compile_source
from compiler.diagnostics import Reporter
from compiler.parser import parse
from hlbc import model as M
from hlbc.code import decode


def compile_ok(src: str, **kw):
    return compile_source(src, **kw)


def errors(src: str, **kw) -> list[tuple[int, int, str]]:
    """(line, col, message) of every diagnostic; fails if it compiles."""
    try:
        compile_source(src, **kw)
    except CompileError as e:
        assert not getattr(e, "internal", False), e.format()
        return [(d.line, d.col, d.message) for d in e.diagnostics]
    raise AssertionError("expected a compile error")


def parse_module(src: str):
    rep = Reporter("t.hl", src)
    tree = parse(src, rep)
    assert not rep.failed, [d.format() for d in rep.diagnostics]
    return tree


def in_main(body: str) -> str:
    return "fn main() {\n" + body + "\n}\n"


def const_text(mod: M.ModuleDesc, i: int) -> str:
    if i >= len(mod.consts):
        return f"#{i}?"
    c = mod.consts[i]
    v = c.value
    if c.kind in (M.K_FIELD, M.K_METHOD):
        cls = mod.consts[v[0]].value
        return f"{cls[0]}.{cls[1]}.{v[1]}:{v[2]}"
    if c.kind == M.K_CLASS:
        return f"{v[0]}.{v[1]}"
    if c.kind in (M.K_FUNC, M.K_GLOBAL):
        return f"{v[0]}.{v[1]}:{v[2]}"
    if c.kind == M.K_NATIVE:
        return f"{v[0]}:{v[1]}"
    return repr(v)


def function_text(mod: M.ModuleDesc, f: M.FunctionDesc) -> str:
    out = [f"fn {f.name} flags={f.flags} {f.signature} locals={list(f.locals)} max_stack={f.max_stack}"]
    lines = {e.pc: e for e in f.lines}
    for ins in decode(f.code):
        parts = []
        for kind, a in zip(ins.op.operands, ins.args):
            parts.append(str(a) if kind in ("local", "u8", "target") else const_text(mod, a))
        ln = lines.get(ins.pc)
        mark = f"  ; line {ln.line}:{ln.col}" if ln else ""
        out.append(f"  {ins.pc:4d} {ins.op.name:<12} {' '.join(parts)}{mark}")
    for h in f.handlers:
        out.append(f"  handler [{h.start}, {h.end}) -> {h.handler} "
                   f"{'any' if h.klass == M.NO_INDEX else const_text(mod, h.klass)}")
    return "\n".join(out)


def module_text(mod: M.ModuleDesc) -> str:
    return "\n\n".join(function_text(mod, f) for f in mod.functions if not f.flags & M.F_NATIVE)
