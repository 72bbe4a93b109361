"""HL's virtual machine: heap, linker, interpreter and natives.

Public API (used by the `hll` command and by embedding hosts):

    from hllvm import VM, LoadError, VerifyError, HLError, load_bytes
    vm = VM(max_heap=256 << 20, max_stack=10_000, allow_read=(), allow_write=(),
            stdout=None, stderr=None, stdin=None)
    vm.load([module_desc, ...])          # verify, then link, in initialisation order;
                                         # VerifyError / LoadError
    status = vm.run_main("prog", args)   # exit status per language.md A11
    vm.call("prog", "f", 1, 2.0, "x")    # Python values in and out; HLError
    vm.initialise()                      # run initialisers of newly loaded modules
    vm.fuel = 1_000_000                  # calls + back-edges left; ResourceExhausted
    vm.interrupt()                       # from a signal handler or thread; Interrupted

This package knows the bytecode format (`hlbc`) and nothing of the source
language or the compiler.
"""

from hlbc import read_module
from hlbc.errors import LoadError
from hlbc.model import ModuleDesc

from .errors import HLError, Interrupted, ResourceExhausted
from .verify import VerifyError
from .vm import VM, HLRef


def load_bytes(data: bytes) -> ModuleDesc:
    """Read one `.hlc` module; LoadError (naming the offset) if malformed."""
    try:
        return read_module(data)
    except LoadError:
        raise
    except Exception as e:    # the reader should not fail otherwise; never leak a traceback
        raise LoadError(f"unreadable module: {type(e).__name__}: {e}") from None


__all__ = ["VM", "LoadError", "VerifyError", "HLError", "HLRef", "Interrupted", "ResourceExhausted",
           "load_bytes"]
