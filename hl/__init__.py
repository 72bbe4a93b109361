"""HL for Python hosts: the source-accepting layer above `compiler/` and
`hllvm/` (vm.md §1, §10).

    from hl import VM
    vm = VM(max_heap=64 << 20, fuel=10_000_000, allow_read=["data/"])
    vm.define_native("host.log", print, "fn(msg: string)")
    mod = vm.load_source(open("plugin.hl").read(), name="plugin")   # or vm.load_file("plugin.hlc")
    print(mod.call("score", 3, 4.5, "x", [1, 2, 3]))

| module | owns |
| --- | --- |
| `vm` | `VM`: `hllvm.VM` plus `load_source`, `.hl` files, the standard library on the search path |
| `resolve` | the program's search path (entry folder, `--path`, `HL_PATH`) and the resolver that compiles `.hl` where no up-to-date `.hlc` is |
| `program` | the file a user names → bytecode modules, from the compile cache when it holds |
| `programcache` | the compile cache of `.hl` programs: key, entry file, lookup and store (docs/cache.md) |
| `manifest` | what a compile looked at (imports as searched, files read) and the check that it still holds |
| `bencode` | the text of the cache's keys and manifests (bencode, strictly read) |
| `stdlib` | the standard library's bytecode, built once per compiler, checked once per process |
| `cache` | the one cache directory, the compiler's fingerprint, bounded reads of untrusted files |
| `host` | the HL declarations the compiler sees for a host module |

`hllvm/` takes bytecode only and never imports the compiler; this layer
may import both, and imports the compiler only when it compiles.  The
`hll` command uses this layer for everything it loads.
"""

from hllvm import (ExitProgram, Function, Handle, HLError, HostSignatureError, Interrupted,
                   LoadError, Module, ResourceExhausted, Stopped, VerifyError)

from .vm import VM

__all__ = ["VM", "Module", "Function", "Handle", "LoadError", "VerifyError", "HLError", "Stopped",
           "ResourceExhausted", "Interrupted", "ExitProgram", "HostSignatureError"]
