"""Helpers of the compile-cache tests: run `hll run` in this process exactly
as the command does (its `main`, its exit status, its two streams), or in a
subprocess; write a tree of files."""

from __future__ import annotations

import gc
import io
import itertools
import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple


class Run(NamedTuple):
    status: int
    out: str
    err: str


_runs = itertools.count(1)


def hll_run(*args, cwd: Path) -> Run:
    """`hll run ARGS` in this process, in folder `cwd`."""
    from hll import cli
    saved = sys.argv, sys.stdout, sys.stderr, os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    sys.argv, sys.stdout, sys.stderr = ["hll", "run", *map(str, args)], out, err
    os.chdir(cwd)
    try:
        cli.main()
        status = 0
    except SystemExit as e:
        status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        sys.argv, sys.stdout, sys.stderr = saved[:3]
        os.chdir(saved[3])
        # `hll run` freezes what it loaded, for a process that then ends; here
        # the VMs and their heaps must go before too many are made.
        gc.unfreeze()
        if next(_runs) % 16 == 0:
            gc.collect()
    return Run(status, out.getvalue(), err.getvalue())


def hll_process(*args, cwd: Path) -> Run:
    """`hll run ARGS` as a command, in folder `cwd`."""
    r = subprocess.run([sys.executable, "-m", "hll.cli", "run", *map(str, args)], capture_output=True,
                       text=True, cwd=cwd, env=dict(os.environ), timeout=300)
    return Run(r.returncode, r.stdout, r.stderr)


def both(*args, cwd: Path, run=hll_run) -> tuple[Run, Run]:
    """(cached run, uncached run) of the same command."""
    return run(*args, cwd=cwd), run("--no-cache", *args, cwd=cwd)


def write(base: Path, files: dict) -> Path:
    for rel, text in files.items():
        p = base / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return base
