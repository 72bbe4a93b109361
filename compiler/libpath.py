"""Where the standard library's HL sources are.

Owns only that lookup, kept apart from the loader so that finding the
library (for the bytecode cache's fingerprint) does not import the parser.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _find_stdlib() -> Path:
    """`stdlib/` beside the package in a source tree or editable install; in a
    regular install, the copy setuptools put under `<prefix>/share/hl/stdlib`."""
    here = Path(__file__).resolve().parent.parent / "stdlib"
    if (here / "lang.hl").is_file():
        return here
    installed = Path(sys.prefix) / "share" / "hl" / "stdlib"
    return installed if (installed / "lang.hl").is_file() else here


STDLIB_DIR = _find_stdlib()
