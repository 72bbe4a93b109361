"""The HL REPL (`hll repl`, `hll` alone): docs/repl.md.

| module | owns |
| --- | --- |
| `command` | the click command, its VM options, terminal or scripted input |
| `engine` | one compiler session + one VM: evaluate an input, show results, Ctrl-C and fuel |
| `commands` | the `:commands` table |
| `terminal` | prompt_toolkit: line editing, history, completion, continuation lines |
| `script` | input that is not a terminal: no prompts, only values and errors |
| `values` | how types and values are written |

Compiling snippets against the earlier ones is the compiler's
(`compiler/session.py`); running them is the VM's.
"""

from .command import make_command, start

__all__ = ["make_command", "start"]
