"""File paths as text, read exactly as pathlib reads them, for the modules a
run imports: importing pathlib costs a run's start some 4 ms (it brings
fnmatch, re, urllib.parse and ipaddress), and those modules keep paths as
`str`.  What a user sees of a path (its text in messages, the name of the
entry module, whether a file is bytecode) stays what `pathlib.Path` made
of it.

Owns `path_text` (`str(Path(p))`), `path_name`, `path_suffix` and
`path_stem` (`Path(p).name`, `.suffix`, `.stem`), and `real_parent`
(`Path(p).resolve().parent`).  Each takes a `str` or
any `os.PathLike` giving one.  Windows paths (drives, UNC roots) are left
to pathlib itself.
"""

from __future__ import annotations

import os


def path_text(path) -> str:
    """`str(pathlib.Path(path))`: empty and `.` components dropped, no
    trailing separator, `.` for nothing, and the root kept as POSIX reads
    it (`//` when exactly two separators lead, else `/`)."""
    text = os.fspath(path)
    if not isinstance(text, str):
        raise TypeError(f"a path must be a str or an os.PathLike giving one, not {type(text).__name__}")
    if os.name == "nt":
        from pathlib import Path
        return str(Path(text))
    root = "/" if text[:1] == "/" else ""
    if text[:2] == "//" and text[2:3] != "/":
        root = "//"
    return root + "/".join(p for p in text.split("/") if p and p != ".") or "."


def path_name(path) -> str:
    """The last component (`Path(path).name`): "" for a root or `.`."""
    text = path_text(path)
    return "" if text == "." else os.path.basename(text)


def path_suffix(path) -> str:
    """`Path(path).suffix`: the last component's text from its last `.`,
    unless that `.` is its first or last character (then "")."""
    name = path_name(path)
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def path_stem(path) -> str:
    """`Path(path).stem`: the last component without its suffix."""
    name = path_name(path)
    i = name.rfind(".")
    return name[:i] if 0 < i < len(name) - 1 else name


def real_parent(path) -> str:
    """The real path of the folder holding `path` (`Path(path).resolve().parent`
    for a path that is no symbolic-link loop)."""
    return os.path.dirname(os.path.realpath(os.fspath(path)))
