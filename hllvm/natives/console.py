"""Natives of the standard error stream: `eprintln(x)` (language built-in,
`CALLNATIVE lang.eprintln (S)V`).

The line goes to the VM's standard error writer (`vm.err_out`), after the
program's standard output so far is flushed, and is flushed itself at once
(as Java's `System.err`): on a terminal the two streams interleave in the
order the program wrote them, and a message is out before a crash or a
`sleep`.  A call's `max_output` quota counts the characters of both
streams (hllvm/limits.py sets it on the standard output writer, which is
charged here too), so standard error cannot be used to get round it.

It does not own `print`/`println` (hllvm/natives/core.py) nor how an
uncaught error's trace is written (hllvm/vm.py).
"""

from __future__ import annotations

from ..errors import ResourceExhausted


def natives(vm):
    out = vm.out
    err_out = vm.err_out

    def eprintln(s):
        line = "null\n" if s is None else s + "\n"
        quota = out.quota
        if quota is not None:
            # The same quota as standard output (see the module docstring).
            if quota < len(line):
                out.quota = 0
                raise ResourceExhausted("output limit exceeded", "output")
            out.quota = quota - len(line)
        out.flush()
        err_out.write(line)
        err_out.flush()

    return {
        "lang.eprintln": ("(S)V", eprintln, (0,)),
    }
