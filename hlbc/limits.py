"""Every bound a module must respect to load, with one owner: this module.

Three kinds of limit, all listed with their enforcers in docs/limits.md:

* the `.hlc` format's field widths (docs/bytecode.md): a `local` operand and
  `max stack` are u16; code lengths, `target` operands, pool indices,
  string lengths and list counts are u32; line-table lines are u32 and
  columns u16;
* the verifier's bounds (hllvm/verify/), which keep loading a hostile file
  linear in its size: the depth of a class hierarchy (each class keeps its
  ancestors), the (instruction, handler) pairs the exception ranges of a
  function cover, the instructions the data-flow pass may walk;
* the linker's per-VM table sizes (hllvm/tables.py): functions, classes,
  words of class records.

The reader and the verifier refuse a module beyond them (`LoadError`,
`VerifyError`, untrusted input); the compiler checks them first and reports
the source position that goes beyond one (compiler/limits.py), so a program
that compiles also loads.  A position is debug information: a column
beyond the line table's u16 is recorded as `MAX_COLUMN` (`clamp_column`), a
line beyond its u32 as `MAX_LINE`, rather than refusing a valid program.
"""

from __future__ import annotations

U8_MAX = 0xFF
U16_MAX = 0xFFFF
U32_MAX = 0xFFFF_FFFF

# --- the format's field widths ---------------------------------------------------------------
MAX_LOCALS = U16_MAX            # local slots per function (receiver and parameters included)
MAX_STACK = U16_MAX             # a function's operand stack depth (`max stack` is a u16)
MAX_CODE_BYTES = U32_MAX        # a function's code (`blob` length; `target` operands are u32)
MAX_CONSTANTS = U32_MAX         # pool entries: indices are u32 and 0xFFFFFFFF means "none"
MAX_STRING_BYTES = U32_MAX      # UTF-8 bytes of any text: string constants, names, descriptors
MAX_COUNT = U32_MAX             # entries of any list: functions, classes, handlers, lines...
MAX_LINE = U32_MAX              # a line-table line (clamped, see above)
MAX_COLUMN = U16_MAX            # a line-table column (clamped, see above)

# --- the verifier's bounds -------------------------------------------------------------------
# A class and its superclasses: each class keeps its ancestors (subclass tests
# in O(1)), so a hostile chain must not make loading quadratic.
MAX_CLASS_DEPTH = 255
# The interfaces a class or interface reaches (its own, its ancestors', and
# all they extend): each class keeps that set for `is`, casts and its itable.
MAX_INTERFACES = 255
# The (instruction, handler) pairs the handler ranges of a function may cover:
# nested `try`s give a few per instruction; thousands of handlers over all
# the code would make every pass over it slow.
MAX_COVER_PER_INSTRUCTION, MAX_COVER_BASE = 32, 4096
# Instructions the data-flow pass may walk, per instruction and in all: the
# compiler's code settles in one or two walks of each (docs/limits.md).
STEPS_PER_INSTRUCTION, STEPS_BASE = 64, 100_000

# --- the linker's tables, per VM -------------------------------------------------------------
# Reserved at these sizes at start and never moved (hllvm/tables.py).
MAX_FUNCTIONS = 1 << 20         # functions of every module a VM loads
MAX_CLASSES = 1 << 20           # type ids, the VM's own (strings, arrays) included
CLASS_WORDS = 1 << 24           # words of native class records


def handler_cover_limit(instructions: int) -> int:
    """How many (instruction, handler) pairs the handler ranges of a function
    of `instructions` instructions may cover in all."""
    return MAX_COVER_PER_INSTRUCTION * instructions + MAX_COVER_BASE


def clamp_column(col: int) -> int:
    return col if col <= MAX_COLUMN else MAX_COLUMN


def clamp_line(line: int) -> int:
    return line if line <= MAX_LINE else MAX_LINE


__all__ = ["U8_MAX", "U16_MAX", "U32_MAX", "MAX_LOCALS", "MAX_STACK", "MAX_CODE_BYTES",
           "MAX_CONSTANTS", "MAX_STRING_BYTES", "MAX_COUNT", "MAX_LINE", "MAX_COLUMN",
           "MAX_CLASS_DEPTH", "MAX_COVER_PER_INSTRUCTION", "MAX_COVER_BASE",
           "STEPS_PER_INSTRUCTION", "STEPS_BASE", "MAX_FUNCTIONS", "MAX_CLASSES", "CLASS_WORDS",
           "handler_cover_limit", "clamp_column", "clamp_line"]
