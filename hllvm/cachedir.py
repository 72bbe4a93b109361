"""The one cache directory of HL: `$HL_CACHE_DIR`, else `$XDG_CACHE_HOME/hl`,
else `~/.cache/hl` (`cache_root`, a `str`).  The compiled-bytecode caches
(hl/cache.py) and the native-code cache (hllvm/engine.py) live under it.
It owns nothing else.
"""

from __future__ import annotations

import os

from hlbc.paths import path_text


def cache_root() -> str:
    """The root of HL's caches, as the text `pathlib.Path` makes of it."""
    env = os.environ.get("HL_CACHE_DIR")
    if env:
        return path_text(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return path_text(os.path.join(xdg if xdg else os.path.join(_home(), ".cache"), "hl"))


def _home() -> str:
    """The user's home folder, as `pathlib.Path.home()` finds it: an error,
    not a folder named `~`, when there is none."""
    home = os.path.expanduser("~")
    if home[:1] == "~":
        raise RuntimeError("Could not determine home directory.")
    return home


__all__ = ["cache_root"]
