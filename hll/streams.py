"""The standard streams of the `hll` process: UTF-8 text, whatever the
locale, and a failure of one as an event of its own (`StreamError`).

Owns how the process reads descriptor 0 and writes descriptors 1 and 2
(`install`, called by hll/cli.py before any command runs):

- the text is UTF-8 both ways, whatever `LANG`, `LC_ALL` or
  `PYTHONIOENCODING` say (HL strings are Unicode; its output must not
  depend on the terminal's locale).  Input bytes that are not UTF-8 are
  read as U+FFFD, as Java's readers do; output never fails to encode (a
  lone surrogate, which UTF-8 cannot hold, is written as U+FFFD too);
- a failure of standard output or input (a closed pipe, a full disk, a
  descriptor closed when `hll` started, a read error) raises `StreamError`
  at the write or read that met it.  After a failed write the stream
  discards what is written to it, so the flushes still to come (the VM's,
  the interpreter's at exit) neither fail again nor write after the error;
- standard error never fails: nothing could report it, so its failures are
  dropped and the exit status alone tells what happened.

`StreamError` is a BaseException, as KeyboardInterrupt is: it ends the
process, and no handler between the write and hll/cli.py (the VM's own
`except Exception` for its faults among them) may take it for an error of
the program.  hll/cli.py maps it to an exit status; this module decides
none.  A descriptor left non-blocking by another process is waited on, not
reported.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import sys

# The names the messages give the descriptors.
NAMES = {0: "standard input", 1: "standard output", 2: "standard error"}


def _as_replacement_character(e: UnicodeError):
    if not isinstance(e, UnicodeEncodeError):
        raise e
    return "\ufffd" * (e.end - e.start), e.end


# Python's own "replace" writes "?" when encoding; HL's rule is U+FFFD both
# ways (hllvm/output.py writes it so for any target).
REPLACE = "hll.replace"
codecs.register_error(REPLACE, _as_replacement_character)


class StreamError(BaseException):
    """Standard input or output failed: `fd`, its `name`, the OSError."""

    def __init__(self, fd: int, error: OSError) -> None:
        super().__init__(f"{NAMES[fd]}: {error.strerror or error}")
        self.fd = fd
        self.name = NAMES[fd]
        self.error = error

    @property
    def closed_pipe(self) -> bool:
        """The reader of standard output went away (EPIPE)."""
        return self.error.errno == errno.EPIPE


class _Descriptor(io.RawIOBase):
    """One standard descriptor, read or written with os.read / os.write.
    `fd` None: it was closed when the process started (every use fails
    with EBADF, without touching the descriptor number, which a file
    opened since may have taken)."""

    def __init__(self, fd: int, open_: bool) -> None:
        super().__init__()
        self.fd = fd
        self.open = open_
        self.failed = False           # a write failed: discard from now on

    def readable(self) -> bool:
        return self.fd == 0

    def writable(self) -> bool:
        return self.fd != 0

    def fileno(self) -> int:
        if not self.open:
            raise OSError(errno.EBADF, os.strerror(errno.EBADF))
        return self.fd

    def isatty(self) -> bool:
        return self.open and os.isatty(self.fd)

    def readinto(self, b) -> int:
        try:
            data = self._retry(os.read, len(b))
        except OSError as e:
            raise StreamError(self.fd, e) from None
        n = len(data)
        b[:n] = data
        return n

    def write(self, b) -> int:
        if self.failed:
            return len(b)
        try:
            return self._retry(os.write, b)
        except OSError as e:
            self.failed = True
            if self.fd == 2:
                return len(b)         # nothing can report it (module docstring)
            raise StreamError(self.fd, e) from None

    def _retry(self, op, arg):
        """`op(fd, arg)`, waiting while a non-blocking descriptor has
        nothing to give or no room to take (EAGAIN)."""
        if not self.open:
            raise OSError(errno.EBADF, os.strerror(errno.EBADF))
        while True:
            try:
                return op(self.fd, arg)
            except BlockingIOError:
                import select
                ready = ([self.fd], [], []) if self.fd == 0 else ([], [self.fd], [])
                select.select(*ready)


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def _text_stream(fd: int) -> io.TextIOWrapper:
    raw = _Descriptor(fd, _is_open(fd))
    # As CPython's own standard streams: lines split at "\n" only (no
    # translation; a "\r" before it is the reader's to strip), standard
    # output line-buffered at a terminal, standard error always.
    newline = None if os.name == "nt" else "\n"
    if fd == 0:
        return io.TextIOWrapper(io.BufferedReader(raw), encoding="utf-8", errors="replace",
                                newline=newline)
    return io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8",
                            errors=REPLACE if fd == 1 else "backslashreplace", newline=newline,
                            line_buffering=fd == 2 or raw.isatty())


def install() -> None:
    """Make sys.stdin, sys.stdout and sys.stderr the process's UTF-8
    streams over descriptors 0, 1 and 2.  A stream a host has replaced (a
    test capturing output) is left as it is."""
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        current = getattr(sys, name)
        if current is not None and current is not getattr(sys, f"__{name}__"):
            continue
        if current is not None and fd != 0:
            try:
                current.flush()
            except (OSError, ValueError):
                pass
        setattr(sys, name, _text_stream(fd))
