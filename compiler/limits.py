"""The compiler's side of hlbc/limits.py: a program that compiles also loads.

Every bound of the bytecode format and of the VM that a program could go
beyond is checked where the compiler first knows it, and reported at the
source position that goes beyond it (docs/limits.md lists them all):

| limit | checked by |
| --- | --- |
| class hierarchy depth (`MAX_CLASS_DEPTH`) | declare.py, at the `extends` of the first class too deep |
| parameters per function (`MAX_LOCALS`, less the receiver) | declare.py, at the first parameter too many |
| local slots per function (`MAX_LOCALS`) | codegen.py, at the declaration that needs one more |
| operand stack depth (`MAX_STACK`) | assembler.py, at the statement that goes deeper |
| code bytes per function (`MAX_CODE_BYTES`) | assembler.py, at the statement that goes past it |
| handler coverage (`handler_cover_limit`) | assembler.py, at the `try` that goes past it |
| constants per module (`MAX_CONSTANTS`) | pool.py, at the function being generated |
| UTF-8 bytes of a string literal or a name (`MAX_STRING_BYTES`) | literals.py, builder.py |
| functions and classes per program (`MAX_FUNCTIONS`, `MAX_CLASSES`) | `program_limit` below (driver.py) |
| characters of an imported module's name (hlbc/modname.py `MAX_NAME`) | declare.py, at the `import` |
| interfaces a class or interface reaches (`MAX_INTERFACES`) | declare.py, at the class |
| values a function literal captures (`CLOSURE`'s u8, `U8_MAX`), and its captures and parameters together (`MAX_LOCALS`) | checker.py, at the literal |

Line-table positions are clamped, not refused (hlbc/limits.py says why).
Generation raises `LimitError`; `modgen.generate` turns it into a located
diagnostic.
"""

from __future__ import annotations

from hlbc import model as M
from hlbc.limits import MAX_CLASSES, MAX_FUNCTIONS, MAX_INTERFACES, MAX_STRING_BYTES


class LimitError(Exception):
    """The program goes beyond a limit of the format or the VM at (line, col)
    of its module (0, 0: where the function being generated is declared)."""

    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def text_too_long(text: str) -> bool:
    """Whether `text` needs more UTF-8 bytes than a string of the format holds
    (encoded only when its length leaves a doubt: at most 4 bytes a character)."""
    return len(text) > MAX_STRING_BYTES // 4 and len(text.encode("utf-8", "surrogatepass")) > MAX_STRING_BYTES


def program_limit(modules, descs) -> tuple | None:
    """`(module, line, col, message)` where a program's modules (ModuleInfos,
    with their ModuleDescs) first hold more functions or classes than a VM
    does, or None.  (The VM counts what it already holds too: a program that
    fits may still not fit beside others.)"""
    nfuncs = nclasses = 0
    for mod, desc in zip(modules, descs):
        if nclasses + len(desc.classes) > MAX_CLASSES:
            c = mod.classes[MAX_CLASSES - nclasses]
            return (mod, c.decl.line, c.decl.col,
                    f"class '{c.name}' is one too many: a program may have at most {MAX_CLASSES} classes")
        if nfuncs + len(desc.functions) > MAX_FUNCTIONS:
            fd = desc.functions[MAX_FUNCTIONS - nfuncs]
            line, col = _function_position(mod, desc, fd)
            return (mod, line, col, f"function '{_shown(desc, fd)}' is one too many: a program may have "
                                    f"at most {MAX_FUNCTIONS} functions (methods and constructors included)")
        nclasses += len(desc.classes)
        nfuncs += len(desc.functions)
    return None


def _function_position(mod, desc: M.ModuleDesc, fd: M.FunctionDesc) -> tuple[int, int]:
    """The declaration a generated function comes from (its class for a
    synthesized init, the module's first item for `$init` and helpers)."""
    node = None
    if fd.owner != M.NO_INDEX:
        c = mod.classes[fd.owner]
        f = c.init if fd.flags & M.F_INIT else c.methods.get(fd.name)
        node = (f.decl if f is not None else None) or c.decl
    else:
        f = mod.scope.get(fd.name)
        node = getattr(f, "decl", None)
    if node is None:
        items = mod.syntax.items if mod.syntax is not None else ()
        node = items[0] if items else None
    return (node.line, node.col) if node is not None else (1, 1)


def _shown(desc: M.ModuleDesc, fd: M.FunctionDesc) -> str:
    return f"{desc.classes[fd.owner].name}.{fd.name}" if fd.owner != M.NO_INDEX else fd.name


__all__ = ["LimitError", "MAX_INTERFACES", "text_too_long", "program_limit"]
