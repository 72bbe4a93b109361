"""References held outside HL code: the host's handles to HL objects.

Owns the table that keeps an object alive while the embedding host holds a
handle to it (every entry is a collector root, and the collector rewrites the
entry when it moves the object).  It does not own the Python-side handle
objects the embedding API hands out, nor the collector.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator


class HandleTable:
    """Handle id → heap reference.  Ids are never reused, so a stale id can
    never name another object."""

    __slots__ = ("_refs", "_next")

    def __init__(self) -> None:
        self._refs: dict[int, int] = {}
        self._next = 1

    def add(self, ref: int) -> int:
        hid = self._next
        self._next += 1
        self._refs[hid] = ref
        return hid

    def get(self, hid: int) -> int:
        """The reference behind `hid`; KeyError once released."""
        return self._refs[hid]

    def release(self, hid: int) -> None:
        self._refs.pop(hid, None)

    def __len__(self) -> int:
        return len(self._refs)

    def __contains__(self, hid: int) -> bool:
        return hid in self._refs

    def refs(self) -> Iterator[int]:
        """Every held reference (roots for the collector)."""
        return iter(list(self._refs.values()))

    def relocate(self, move: Callable[[int], int]) -> None:
        """Rewrite every entry through `move(old_ref) -> new_ref` after a
        collection that moved objects."""
        refs = self._refs
        for hid, ref in refs.items():
            if ref:
                refs[hid] = move(ref)
