"""The HL compiler: source files → `hlbc.model.ModuleDesc` bytecode modules.

Phases, one module each: `parser` (Lark LALR, `grammar.lark`, building
`syntax` nodes through `builder`), `loader` (the module graph), `declare`
(top-level names, class and interface layouts), `checker` (names and types
of bodies, with `exprs`, `calls`, `scopes`, `infer`, and `flow` for missing
returns), `modgen`/`codegen`/`synth`/`assembler` (bytecode, with `erasure`
for the conversions generics need).
Each phase reports through `diagnostics`; `driver` is the public entry point.
The compiler knows nothing of the VM beyond the bytecode format (`hlbc`).
"""

from .diagnostics import CompileError, Diagnostic

from .budget import Budget, CompileTimeout

_DRIVER = {"Program", "compile_modules", "compile_program", "compile_source", "stdlib_module_names"}


def __getattr__(name: str):
    # The driver pulls in the parser (Lark) and the checker; importing it only
    # when first used keeps `hll run` of a cached program from paying for them.
    if name in _DRIVER:
        from . import driver
        return getattr(driver, name)
    raise AttributeError(f"module 'compiler' has no attribute {name!r}")

__all__ = ["Budget", "CompileError", "CompileTimeout", "Diagnostic", "Program", "compile_program", "compile_source",
           "compile_modules", "stdlib_module_names"]
