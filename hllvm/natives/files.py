"""Natives of `io`: file access as a capability.

A path may be read (written) only if its real path — `os.path.realpath`, so
`..` and symbolic links are resolved first — lies inside one of the VM's
`allow_read` (`allow_write`) directories; otherwise the call throws
`PermissionError`.  Files are UTF-8 (undecodable bytes read as U+FFFD).  An
operating-system failure (missing file, a directory, ...) throws `Error`
with the OS's reason.  `read_lines` splits on \\n, \\r\\n and \\r and drops
the empty string after a final line break (as Java's `readAllLines`).
"""

from __future__ import annotations

import os


def _inside(path: str, roots: tuple[str, ...]) -> bool:
    for root in roots:
        try:
            if os.path.commonpath([path, root]) == root:
                return True
        except ValueError:
            continue
    return False


def natives(vm):
    err = vm.errors
    read_roots = tuple(os.path.realpath(d) for d in vm.allow_read)
    write_roots = tuple(os.path.realpath(d) for d in vm.allow_write)

    def check(path, roots, what):
        try:
            real = os.path.realpath(path)
        except ValueError:          # a NUL byte, or text the file system cannot encode
            if roots:
                err.throw("Error", f"cannot {what} {path!r}: invalid path")
            err.throw("PermissionError", f"{what} access to {path!r} denied")
        if not _inside(real, roots):
            err.throw("PermissionError", f"{what} access to {path!r} denied")
        return real

    def read_file(path):
        real = check(path, read_roots, "read")
        try:
            size = os.path.getsize(real)
            err.reserve_chars(size)
            with open(real, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError as e:
            err.throw("Error", f"cannot read {path!r}: {e.strerror or e}")

    def read_lines(path):
        text = read_file(path)
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")   # \r\n, \r or \n
        if lines and lines[-1] == "":
            lines.pop()
        return lines

    def write_file(path, text):
        real = check(path, write_roots, "write")
        try:
            with open(real, "w", encoding="utf-8", errors="surrogatepass", newline="") as f:
                f.write(text)
        except OSError as e:
            err.throw("Error", f"cannot write {path!r}: {e.strerror or e}")

    return {
        "io.read_file": ("(S)S", read_file),
        "io.write_file": ("(SS)V", write_file),
        "io.read_lines": ("(S)[S", read_lines),
    }
