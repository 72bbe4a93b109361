"""Bounded reading: text that comes into the heap from outside (`io.read_file`,
`io.read_lines`, `input()`) is read in pieces, and after each piece the VM
decides whether to go on.

`BoundedText` collects the pieces.  After each one it throws
OutOfMemoryError as soon as the text so far could not fit in the heap (as a
compact or wide string, whichever it would be, after a full collection:
`Heap.could_fit`), and stops the call at once if its time is up or the host
interrupted it (`RunControl.check`).  So the host never holds more than
about one heap's worth of a text the guest could not keep, a read never
outlives the call's time limit by more than one piece, and no size the
operating system reports is trusted (a device or a `/proc` file says 0, a
file may grow while it is read).  `read_fd` reads a file descriptor this
way.

It does not decide what may be read (hllvm/natives/files.py: grants and
regular files only) nor how standard input is waited for
(hllvm/natives/stdin.py).
"""

from __future__ import annotations

import codecs
import os

from ..layout import string_words

FILE_PIECE = 1 << 20           # bytes per read of a file: a check of the limits every 1 MiB
_UTF8 = codecs.getincrementaldecoder("utf-8")


class BoundedText:
    """Text arriving in pieces, checked against the heap and the call's
    limits after each piece."""

    __slots__ = ("_heap", "_errors", "_control", "_decoder", "pieces", "chars", "wide")

    def __init__(self, vm) -> None:
        self._heap = vm.heap
        self._errors = vm.errors
        self._control = vm.control
        self._decoder = None            # for bytes: UTF-8, undecodable bytes as U+FFFD
        self.pieces: list[str] = []
        self.chars = 0                  # characters so far
        self.wide = False               # some character needs the wide form (> U+00FF)

    def add(self, piece: str) -> None:
        """Take one piece, then throw OutOfMemoryError if the text could not
        fit in the heap, or stop the call if it must stop."""
        if piece:
            self.pieces.append(piece)
            self.chars += len(piece)
            if not self.wide and not piece.isascii() and max(piece) > "\xff":
                self.wide = True
            words = string_words(self.chars, self.wide)
            if not self._heap.could_fit(words):
                self.pieces.clear()     # let the host's copy go before the error is built
                self._errors.out_of_memory(words)
        self._control.check()

    def add_bytes(self, data: bytes, final: bool = False) -> None:
        """Take a piece of UTF-8 (a character may be split between pieces)."""
        if self._decoder is None:
            self._decoder = _UTF8("replace")
        self.add(self._decoder.decode(data, final))

    def text(self) -> str:
        return "".join(self.pieces)


def read_fd(vm, fd: int) -> str:
    """All of file descriptor `fd` as UTF-8 text, read in pieces of
    FILE_PIECE bytes (BoundedText's checks after each)."""
    text = BoundedText(vm)
    while True:
        data = os.read(fd, FILE_PIECE)
        if not data:
            break
        text.add_bytes(data)
    text.add_bytes(b"", final=True)
    return text.text()
