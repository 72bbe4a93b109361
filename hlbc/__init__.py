"""HL's bytecode format, the one thing the compiler and the VM share.

`opcodes` (the instruction table), `model` (module descriptors and type
descriptors), `code` (instruction encoding), `hlc` (the `.hlc` file's writer
and reader), `modname` (module names and the files they name, for `.hl` and
`.hlc` alike), `paths` (file paths as pathlib reads them, without importing
it) and `errors` (`LoadError`).  Nothing here runs code.
"""

from .errors import LoadError
from .hlc import read_module, write_module

__all__ = ["LoadError", "read_module", "write_module"]
