"""Tier 1, the JIT: hot HL functions compiled to native code through
llvmlite (vm.md 7; docs/jit.md).

    irgen.py   verified bytecode of one function → LLVM IR text
    tier.py    when to compile, installing compiled code, entering and leaving it
    deopt.py   handing compiled frames back to the interpreter

The LLVM engine itself (compiling IR, the machine-code cache) is
hllvm/engine.py, shared with the collector.  llvmlite is imported only when
a function is first compiled and its code is not in the cache.
"""

from .tier import MODES, THRESHOLD, Jit

__all__ = ["Jit", "MODES", "THRESHOLD"]
