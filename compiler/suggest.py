"""Nearest-name suggestions for compile errors ("did you mean ...?").

Owns the string side of a suggestion: the edit distance, which candidate
is near enough to be worth naming, and the index of the standard
library's public top-level names (for "it is in module 'math'").  It knows
nothing of scopes or types: `hints.py` and `parse_hints.py` gather the
candidates, in the order a tie should favour, and word the messages.

Nearness is measured as Python's "did you mean" does it in spirit: a
Damerau–Levenshtein distance (optimal string alignment: an adjacent
transposition costs one), compared without case and without underscores
first, so that `Lenght`, `indexOf` and `starts_with` find `length`,
`index_of` and `startsWith`.  A candidate is near when that distance is at
most max(1, len/3) of the unknown name (a one-letter name only matches up
to case).  Ties go to the better case-sensitive match, then to the
earlier candidate.
"""

from __future__ import annotations

import os
import re
import threading
from typing import Iterable

from .libpath import STDLIB_DIR


def distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance: insertions, deletions,
    substitutions and transpositions of adjacent characters cost one."""
    if a == b:
        return 0
    if not a or not b:
        return len(a) or len(b)
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _plain(s: str) -> str:
    return s.lower().replace("_", "")


def limit(name: str) -> int:
    """How far a candidate may be from `name` and still be suggested."""
    return max(1, len(name) // 3)


def nearest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate nearest to `name`, if one is near enough; `name`
    itself and synthetic names (with `$`) are never suggested."""
    plain = _plain(name)
    most = 0 if len(name) <= 1 else limit(name)
    best, best_key = None, None
    for index, cand in enumerate(candidates):
        if cand == name or "$" in cand or not cand:
            continue
        other = _plain(cand)
        if abs(len(other) - len(plain)) > most:
            continue
        d = distance(plain, other)
        if d > most or d >= max(len(plain), len(other)):
            continue
        key = (d, distance(name.lower(), cand.lower()), distance(name, cand), index)
        if best_key is None or key < best_key:
            best, best_key = cand, key
    return best


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """"; did you mean 'x'?" for the nearest candidate, else ""."""
    s = nearest(name, candidates)
    return f"; did you mean '{s}'?" if s is not None else ""


# --- the standard library's public names ------------------------------------------

_DECL = re.compile(r"^(?:fn|class|interface|let|var)\s+([A-Za-z][A-Za-z0-9_]*)", re.M)
_lock = threading.Lock()
_index: dict[str, str] | None = None


def _stdlib_index() -> dict[str, str]:
    """Public top-level name → the first standard module (by name) that
    declares it; the prelude (`lang`) is left out, its names are always
    visible.  Read from the library's sources once, on the first miss."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                index: dict[str, str] = {}
                try:
                    files = sorted(f for f in os.listdir(STDLIB_DIR) if f.endswith(".hl"))
                except OSError:
                    files = []
                for f in files:
                    module = f[:-3]
                    if module == "lang":
                        continue
                    try:
                        with open(os.path.join(STDLIB_DIR, f), encoding="utf-8") as fh:
                            text = fh.read()
                    except (OSError, UnicodeError):
                        continue
                    index.setdefault(module, module)
                    for name in _DECL.findall(text):
                        index.setdefault(name, module)
                _index = index
    return _index


def stdlib_module(name: str) -> str | None:
    """The standard module that declares public `name` (a module's own
    name gives the module), or None."""
    return _stdlib_index().get(name)


def stdlib_modules() -> list[str]:
    """The standard modules a program may import (the prelude excluded)."""
    return sorted({m for m in _stdlib_index().values()})
