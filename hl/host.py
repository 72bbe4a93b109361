"""What the compiler sees of a host module: HL declarations of its natives.

The VM knows a host module only as bytecode (hllvm/natives/host.py builds
its `ModuleDesc`).  To type-check source that imports one, the compiler
needs declarations in HL; this layer may know HL syntax, so it writes them
here from the same (signature, parameter names) the VM holds: one bodiless
function per native, which compiles to the same F_NATIVE functions.  When
the compiled program is loaded, the VM's own descriptor of the host module
is used (`substitute`), so source and `.hlc` loads share one module.
"""

from __future__ import annotations

from hlbc.model import parse_signature
from hllvm.natives.host import source_type


def stub_source(module: str, natives: dict[str, tuple[str, list[str]]]) -> str:
    """The HL declarations of host module `module`."""
    lines = [f"// Natives of module {module}, defined by the embedding host."]
    for fn, (sig, names) in natives.items():
        params, ret = parse_signature(sig)
        plist = ", ".join(f"{n}: {source_type(p)}" for n, p in zip(names, params))
        tail = "" if ret == "V" else f" -> {source_type(ret)}"
        lines.append(f"fn {fn}({plist}){tail};")
    return "\n".join(lines) + "\n"


def stubs(vm) -> dict[str, str]:
    """Module name → HL declarations, for every host module of `vm`."""
    return {m: stub_source(m, vm.host_natives(m)) for m in vm.host_modules()}


def substitute(vm, modules) -> list:
    """`modules` with each host module replaced by the VM's descriptor of it."""
    out = []
    for m in modules:
        desc = vm.host_module_desc(m.name)
        out.append(desc if desc is not None else m)
    return out
