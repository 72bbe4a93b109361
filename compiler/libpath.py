"""Where the standard library's HL sources are.

Owns only that lookup, kept apart from the loader so that finding the
library (for the bytecode cache's fingerprint) does not import the parser.
A run loads this module by file (hl/cache.py), so it uses os.path on a
`str`: pathlib is not among what a run imports.
"""

from __future__ import annotations

import os
import sys


def _find_stdlib() -> str:
    """`stdlib/` beside the package in a source tree or editable install; in a
    regular install, the copy setuptools put under `<prefix>/share/hl/stdlib`."""
    here = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "stdlib")
    if os.path.isfile(os.path.join(here, "lang.hl")):
        return here
    installed = os.path.join(sys.prefix, "share", "hl", "stdlib")
    return installed if os.path.isfile(os.path.join(installed, "lang.hl")) else here


STDLIB_DIR = _find_stdlib()      # a str (the compiler's loader holds it as a Path)
