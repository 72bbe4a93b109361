"""HL's virtual machine: heap, linker, interpreter and natives.

Public API (used by the `hll` command and by embedding hosts; the full
reference is docs/embedding.md):

    from hllvm import VM, HLError, ResourceExhausted, Interrupted
    vm = VM(max_heap=64 << 20, max_stack=10_000, fuel=10_000_000, timeout=2.0,
            max_output=None, allow_read=["data/"], allow_write=(),
            stdout=None, stderr=None, stdin="")
    vm.define_native("host.log", print, "fn(msg: string)")   # HL: import host; host.log("x");
    mod = vm.load_file("plugin.hlc")            # imports: its folder, search_dirs, vm.module_path
    mod.call("score", 3, 4.5, "x", [1, 2, 3])   # Python values in and out; HLError
    f = mod.function("score"); f(3, 4.5, "x", [1])        # the fast way to call often
    with mod.new("Point", 1.0, 2.0) as p:       # Handle: keeps the object alive
        p.call("norm")
    vm.fuel, vm.add_fuel(n), vm.timeout         # limits, readable and refillable
    vm.interrupt()                              # any thread: stops the running call only
    vm.load([module_desc, ...])                 # descriptors: verify, link (VerifyError / LoadError)
    status = vm.run_main("prog", args)          # a whole program: exit status per language.md A11

The core knows the bytecode format (`hlbc`) and nothing of the source
language: nothing under hllvm/ imports the compiler (a test checks it).
Hosts that load HL source use `hl.VM` (the `hl` package), a subclass that
adds `load_source`, `.hl` files and the standard library's bytecode.
"""

from hlbc import read_module
from hlbc.errors import LoadError
from hlbc.model import ModuleDesc

from .embed import Function, Handle, Module
from .errors import ExitProgram, HLError, Interrupted, ResourceExhausted, SnapshotError, Stopped, Suspended
from .natives.host import HostSignatureError
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


__all__ = ["VM", "Module", "Function", "Handle", "HLRef", "LoadError", "VerifyError", "HLError",
           "Stopped", "ResourceExhausted", "Interrupted", "Suspended", "SnapshotError", "ExitProgram",
           "HostSignatureError",
           "load_bytes"]
