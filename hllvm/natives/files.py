"""Natives of `io`: file access as a capability.

A path may be read (written) only if its real path — `os.path.realpath`, so
`..` and symbolic links are resolved first — lies inside one of the VM's
`allow_read` (`allow_write`) directories; otherwise the call throws
`PermissionError`.  Files are UTF-8 (undecodable bytes read as U+FFFD).  An
operating-system failure (missing file, no permission from the OS, ...)
throws `io.IOError` (stdlib/io.hl, a subclass of `Error`: Java's
`java.io.IOException` lives in `java.io`, not `java.lang`) with the OS's
reason; in a VM that has not loaded `io` (a hand-assembled module calling
the natives) it is a plain `Error`.  `read_lines` splits on \\n, \\r\\n
and \\r and drops the empty string after a final line break (as Java's
`readAllLines`); `write_lines` ends every line with \\n.

`exists` and `is_dir` need the read grant too (they tell what is on the
disk); `list_dir` gives the names in a directory sorted by code point, so
output never depends on the file system's order.  `append_file` and
`write_lines` need the write grant.

Only regular files are read or written: a directory, named pipe, device or
socket throws `IOError` (`cannot read 'p': it is a named pipe (only regular
files can be read)`).  Java's `Files.readAllBytes` would read a pipe or `/dev/zero`; HL is
a sandbox, and a read that can block forever or never end is refused
outright instead of being made interruptible.  The file is opened first
(without blocking, and without following a link that appeared since the
path was resolved) and the check is made on what was opened, so the file
checked is the file read.  A read is bounded while it reads
(hllvm/natives/reading.py): OutOfMemoryError as soon as the text could not
fit in the heap, and the call's time limit and interrupts are honoured
between pieces; the size the OS reports is never trusted.
"""

from __future__ import annotations

import os
import stat

from .reading import read_fd

# What a file that is not regular is, for the message that refuses it.
_NOT_REGULAR = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}
# O_NONBLOCK: opening a named pipe must not wait for its other end (the
# pipe is refused right after); it stays set, so a "regular" file that
# would block a read (/proc/kmsg) fails with EAGAIN instead.  O_NOFOLLOW:
# the path was resolved already; a link there now was put there since.
_OPEN_FLAGS = (os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
               | getattr(os, "O_BINARY", 0))
_READ = os.O_RDONLY | _OPEN_FLAGS
_DONE = {"read": "read", "write": "written"}
_WRITE = os.O_WRONLY | os.O_CREAT | _OPEN_FLAGS
_APPEND = _WRITE | os.O_APPEND
# The class of the OS's failures (stdlib/io.hl), found once io is linked.
IO_ERROR = ("io", "IOError")


def _inside(path: str, roots: tuple[str, ...]) -> bool:
    for root in roots:
        try:
            if os.path.commonpath([path, root]) == root:
                return True
        except ValueError:
            continue
    return False


def _kind(mode: int) -> str | None:
    """None for a regular file, else what the file is."""
    return None if stat.S_ISREG(mode) else _NOT_REGULAR.get(stat.S_IFMT(mode), "not a regular file")


def io_error_thrower(vm):
    """`fail(message)`: throws `io.IOError` (plain `Error` before `io` is
    linked).  The VM's error builder makes the `lang` classes it knows by
    name; `io.IOError` is added to them the first time it is thrown, under
    its plain class name (the name traces show)."""
    err = vm.errors

    def fail(message):
        cls = vm.classes.get(IO_ERROR)
        if cls is None:
            err.throw("Error", message)
        if err.classes.get(IO_ERROR[1]) is not cls:
            err.classes[IO_ERROR[1]] = cls
        err.throw(IO_ERROR[1], message)
    return fail


def natives(vm):
    err = vm.errors
    fail = io_error_thrower(vm)
    read_roots = tuple(os.path.realpath(d) for d in vm.allow_read)
    write_roots = tuple(os.path.realpath(d) for d in vm.allow_write)

    def check(path, roots, what):
        try:
            real = os.path.realpath(path)
        except ValueError:          # a NUL byte, or text the file system cannot encode
            if roots:
                fail(f"cannot {what} {path!r}: invalid path")
            err.throw("PermissionError", f"{what} access to {path!r} denied")
        if not _inside(real, roots):
            err.throw("PermissionError", f"{what} access to {path!r} denied")
        return real

    def refuse(path, kind, what):
        fail(f"cannot {what} {path!r}: it is {kind} (only regular files can be {_DONE[what]})")

    def open_regular(path, real, flags, what):
        """A descriptor of the regular file at `real`; Error for anything else."""
        try:
            fd = os.open(real, flags, 0o666)
        except OSError as e:
            fail(f"cannot {what} {path!r}: {e.strerror or e}")
        try:
            kind = _kind(os.fstat(fd).st_mode)
        except OSError as e:
            os.close(fd)
            fail(f"cannot {what} {path!r}: {e.strerror or e}")
        if kind is not None:
            os.close(fd)
            refuse(path, kind, what)
        return fd

    def refuse_special(path, real, what):
        # Before opening for writing: a named pipe with no reader would fail
        # with a confusing reason (ENXIO), a device would be written to.
        try:
            kind = _kind(os.stat(real).st_mode)
        except OSError:
            return                  # nothing there yet: it will be created
        if kind is not None:
            refuse(path, kind, what)

    def read_file(path):
        real = check(path, read_roots, "read")
        fd = open_regular(path, real, _READ, "read")
        try:
            return read_fd(vm, fd)
        except OSError as e:
            fail(f"cannot read {path!r}: {e.strerror or e}")
        finally:
            os.close(fd)

    def read_lines(path):
        text = read_file(path)
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")   # \r\n, \r or \n
        if lines and lines[-1] == "":
            lines.pop()
        return lines

    def write_file(path, text, flags=_WRITE):
        real = check(path, write_roots, "write")
        refuse_special(path, real, "write")
        data = text.encode("utf-8", "surrogatepass")
        fd = open_regular(path, real, flags, "write")
        try:
            if flags == _WRITE:
                os.ftruncate(fd, 0)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        except OSError as e:
            fail(f"cannot write {path!r}: {e.strerror or e}")
        finally:
            os.close(fd)

    def append_file(path, text):
        write_file(path, text, _APPEND)

    def write_lines(path, lines):
        if None in lines:
            err.throw("NullError", f"null line passed to io.write_lines (line {lines.index(None)})")
        write_file(path, "".join(line + "\n" for line in lines))

    def stat_of(path):
        """os.stat of the path's real file, None if nothing is there."""
        real = check(path, read_roots, "read")
        try:
            return os.stat(real)
        except FileNotFoundError:
            return None
        except OSError as e:
            fail(f"cannot read {path!r}: {e.strerror or e}")

    def exists(path):
        return stat_of(path) is not None

    def is_dir(path):
        st = stat_of(path)
        return st is not None and stat.S_ISDIR(st.st_mode)

    def list_dir(path):
        real = check(path, read_roots, "read")
        try:
            names = os.listdir(real)
        except OSError as e:
            fail(f"cannot list {path!r}: {e.strerror or e}")
        names.sort()            # by code point, as HL compares strings
        # The array and its strings must fit before they are built.
        err.reserve_chars(sum(len(n) for n in names) + 24 * len(names))
        return names

    return {
        "io.read_file": ("(S)S", read_file),
        "io.write_file": ("(SS)V", write_file),
        "io.read_lines": ("(S)[S", read_lines),
        "io.append_file": ("(SS)V", append_file),
        "io.write_lines": ("(S[S)V", write_lines),
        "io.exists": ("(S)Z", exists),
        "io.is_dir": ("(S)Z", is_dir),
        "io.list_dir": ("(S)[S", list_dir),
    }
