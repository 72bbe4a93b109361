"""Helpers of the module-resolution tests: run `hll`, write a tree of files."""

import os
import subprocess
import sys
from pathlib import Path


def hll(*args, cwd=None, env=None):
    """Run the `hll` command in a subprocess: (status, stdout, stderr)."""
    e = dict(os.environ)
    e.update(env or {})
    r = subprocess.run([sys.executable, "-m", "hll.cli", *map(str, args)], capture_output=True,
                       text=True, cwd=cwd, env=e, timeout=300)
    return r.returncode, r.stdout, r.stderr


def write(base: Path, files: dict) -> Path:
    for rel, text in files.items():
        p = base / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return base
