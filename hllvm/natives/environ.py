"""Natives of `env`: the host process's environment variables, as a
capability.

`env.get(name)` returns the variable's value, or null when it is not set.
Reading a variable needs a grant from the host: the VM's `allow_env`, a
collection of variable names, or `"*"` among them for every variable.  A
name outside the grant throws `PermissionError` whether or not the variable
is set, so a program cannot learn what the host did not grant.  A name that cannot be a
variable (empty, or containing `=` or a NUL) throws `ValueError`.

The grant is read at each call (`getattr(vm, "allow_env", ())`), so a VM
without the option grants nothing.  It does not own how the option reaches
the VM (hllvm/vm.py, hll/cli.py) nor the program's arguments (`main`'s
`args`).
"""

from __future__ import annotations

import os

ALL = "*"


def natives(vm):
    err = vm.errors

    def get(name):
        if name == "" or "=" in name or "\0" in name:
            err.throw("ValueError", f"env.get: invalid variable name {name!r}")
        grant = getattr(vm, "allow_env", ()) or ()
        if isinstance(grant, str):
            grant = (grant,)
        if ALL not in grant and name not in grant:
            err.throw("PermissionError", f"environment access to {name!r} denied")
        try:
            return os.environ.get(name)
        except (UnicodeError, ValueError) as e:     # (a host with an odd environment)
            err.throw("ValueError", f"env.get: cannot read {name!r}: {e}")

    return {
        # A null result is an unset variable.
        "env.get": ("(S)S", get),
    }
