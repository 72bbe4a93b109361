"""The process's signal handlers as HL reads and sets them: the one place
the run path takes them from (hllvm/critical.py, hllvm/embed.py, the `hll`
command).  Code off the run path (the REPL, the test runner, tests) may
import `signal` as usual.

The `signal` module is CPython's `_signal` with its numbers and handlers
wrapped in IntEnum classes, and importing it imports `enum`: some 3 ms of
every `hll run`'s start.  HL runs on CPython only (it needs ctypes and
llvmlite), so it takes the same functions from `_signal` itself.  What a
caller sees differently: `getsignal` and `signal` return a handler that is
not a Python function as a plain int, `SIG_DFL` (0) or `SIG_IGN` (1),
rather than a `Handlers` member.  The two compare equal (IntEnum), neither
is callable, and either may be installed again, so `== SIG_DFL`,
`in (SIG_IGN, None)` and restoring a saved handler read as before.
"""

from _signal import *  # noqa: F401,F403  (what `signal` re-exports, without the enums)
