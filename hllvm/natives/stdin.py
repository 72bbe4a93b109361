"""Standard input for `input()`: a line read in bounded pieces, and a wait for
input that the call's time limit and the host's interrupts can end.

A VM reads its `stdin` stream (the host's file-like object, or `sys.stdin`)
through the stream's own `readline(size)`, never around it, so that a host
or a REPL reading the same stream sees the lines in order.  Each piece is at
most `LINE_PIECE` characters, and the line is collected by `BoundedText`
(hllvm/natives/reading.py): OutOfMemoryError as soon as the line could not
fit in the heap, however long it is.

How a piece is waited for depends on the stream (`source_for`, cached per
stream):

    DirectSource   a stream that cannot keep a reader waiting: text given by
                   the host (`StringIO`), a stream over a regular file, any
                   object with no file descriptor.  `readline` is called
                   directly (a host object that blocks is a native that is
                   not preempted: it stops the call when it returns).
    WaitingSource  a stream over a pipe, terminal, socket or device, which
                   can block forever.  When the descriptor has data and the
                   stream is CPython's `TextIOWrapper` over a
                   `BufferedReader`, a piece small enough to be decoded from
                   one read of what is there is read directly (`_ready`: the
                   fast path, a line per call while data flows).  Otherwise
                   the piece is read by a helper thread while the VM's thread
                   waits for it, polling the call's deadline and stop request
                   (`RunControl.wait`): the stream may hold a whole line in
                   its own buffer that `select` cannot see, and only a read
                   through it finds out.

When a call stops while a helper's read is in flight, the read carries on;
its piece is kept and is the start of the next `input()` of any VM reading
that stream, as is the part of a line a stopped call had read (`carry`,
kept by hllvm/natives/core.py): nothing is lost, nothing is read twice.  A helper thread
lives while reads come and ends after `IDLE_SECONDS` without one.
"""

from __future__ import annotations

import io
import os
import select
import stat
import sys
import threading
import weakref

LINE_PIECE = 1 << 16           # characters per readline: a check of the limits every 64 Ki
IDLE_SECONDS = 2.0             # a helper thread with no read to do for this long ends

try:
    import fcntl
    import termios
    _FIONREAD = termios.FIONREAD
except ImportError:            # no ioctl: every wait goes through a helper thread
    fcntl = None
    _FIONREAD = None

_sources: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_sources_lock = threading.Lock()


def source_for(stream):
    """The source `input()` reads `stream` through (one per stream, shared
    by every VM that reads it: a read a stopped call left in flight belongs
    to the stream, not to the VM)."""
    try:
        with _sources_lock:
            src = _sources.get(stream)
            if src is None:
                src = _sources[stream] = _make_source(stream)
        return src
    except TypeError:          # not weakly referenceable: nothing to share
        return _make_source(stream)


def _make_source(stream):
    fd = _descriptor(stream)
    if fd is None:
        return DirectSource(stream)
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return DirectSource(stream)
    except OSError:
        return DirectSource(stream)          # its reads report what is wrong
    return WaitingSource(stream, fd)


def _descriptor(stream) -> int | None:
    fileno = getattr(stream, "fileno", None)
    if fileno is None:
        return None
    try:
        fd = fileno()
    except (OSError, ValueError, io.UnsupportedOperation):
        return None
    return fd if isinstance(fd, int) and fd >= 0 else None


class DirectSource:
    """A stream whose `readline` returns without waiting on anyone."""

    __slots__ = ("stream", "carry")

    def __init__(self, stream) -> None:
        self.stream = stream
        self.carry = ""                 # the part of a line read by a call that was stopped

    def piece(self, control) -> str:
        return self.stream.readline(LINE_PIECE)


class WaitingSource:
    """A stream over a descriptor that can block (see the module docstring)."""

    def __init__(self, stream, fd: int) -> None:
        self.stream = stream
        self.fd = fd
        self.carry = ""                 # the part of a line read by a call that was stopped
        # The fast path's reasoning holds for CPython's text stack only.
        self.chunk = (getattr(stream, "_CHUNK_SIZE", 0)
                      if fcntl is not None and type(stream) is io.TextIOWrapper
                      and type(getattr(stream, "buffer", None)) is io.BufferedReader else 0)
        self.turn = threading.Lock()    # one VM thread at a time reads the stream
        self.lock = threading.Lock()    # guards starting and ending the helper
        self.request = threading.Semaphore(0)
        self.done = threading.Event()
        self.in_flight = False          # a helper's read was asked for and not taken yet
        self.result = None              # (piece, None) or (None, exception)
        self.helper = False             # a helper thread is alive
        self.credit = 0                 # bytes surely still waiting in the descriptor (_ready)

    def piece(self, control) -> str:
        if not self.turn.acquire(blocking=False):
            control.wait(self.turn.acquire)
        try:
            if not self.in_flight:
                n = self._ready()
                if n:
                    line = self.stream.readline(n)
                    self.credit -= 4 * len(line)
                    return line
                self._ask()
            control.wait(self.done.wait)
            piece, error = self.result
            self.result = None
            self.in_flight = False
        finally:
            self.turn.release()
        if error is not None:
            raise error
        return piece

    def _ready(self) -> int:
        """How many characters `readline` may be asked for now without
        blocking; 0 if that is unknown.

        With R bytes surely waiting in the descriptor, the stream's next
        read of it returns min(R, chunk) bytes at once, which decode to at
        least a quarter as many characters (UTF-8: at most 4 bytes each,
        an undecodable byte one U+FFFD): a readline limited to that many
        returns after at most that one read, whatever the stream held
        before.  R is k, what FIONREAD said, at first; then each readline
        may have left the last chunk it read unconsumed and has consumed at
        most 4 bytes per character it returned (and 3 bytes a decoder keeps
        of a split character), so `credit` = k - chunk - 3 - 4 x the
        characters returned since stays below R: one ioctl serves many
        lines while data flows.  Readable with nothing waiting is the end
        of the input, where nothing blocks."""
        chunk = self.chunk
        if not chunk:
            return 0
        if self.credit >= 4:
            return min(self.credit, chunk) // 4
        try:
            buf = fcntl.ioctl(self.fd, _FIONREAD, b"\0\0\0\0")
            k = int.from_bytes(buf, sys.byteorder, signed=True)
            if k == 0:
                return LINE_PIECE if select.select([self.fd], [], [], 0)[0] else 0
        except (OSError, ValueError):
            return 0
        if k < 4:
            return 0
        self.credit = k - chunk - 3
        return min(k, chunk) // 4

    def _ask(self) -> None:
        """Hand one readline to the helper thread (started if none runs)."""
        with self.lock:
            self.done.clear()
            self.result = None
            self.in_flight = True
            self.request.release()
            if not self.helper:
                self.helper = True
                threading.Thread(target=self._serve, name="hl-stdin", daemon=True).start()

    def _serve(self) -> None:
        while True:
            if not self.request.acquire(timeout=IDLE_SECONDS):
                with self.lock:                  # no read asked for: end, unless one just was
                    if not self.request.acquire(blocking=False):
                        self.helper = False
                        return
            try:
                self.result = (self.stream.readline(LINE_PIECE), None)
            except BaseException as e:           # handed to the VM's thread, raised there
                self.result = (None, e)
            self.done.set()
