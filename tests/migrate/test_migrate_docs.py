"""The example of docs/migration.md runs as the page says (on a free port
instead of 7070): the source's output and the target's are together the
program's, the source reports the move, the target the program's status."""

from __future__ import annotations

import re
import socket
import subprocess

from migrate_support import HLL, ROOT

DOC = ROOT / "docs" / "migration.md"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_documented_example_moves_the_program(tmp_path, hl_env):
    text = DOC.read_text(encoding="utf-8")
    name, source = re.search(r"```hl file=(\S+)\n(.*?)```", text, re.S).groups()
    script = re.search(r"```sh\n(.*?)```", text, re.S).group(1)
    (tmp_path / name).write_text(source, encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "hll").write_text(f'#!/bin/sh\nexec "{HLL[0]}" -m hll.cli "$@"\n')
    (bin_dir / "hll").chmod(0o755)
    env = {**hl_env, "PATH": f"{bin_dir}:{hl_env['PATH']}"}
    script = script.replace("7070", str(free_port())).replace("wait $!", "wait $!; echo \"target $?\" >&2")
    r = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=120, stdin=subprocess.DEVNULL)
    plain = subprocess.run([*HLL, "run", name], cwd=tmp_path, env=hl_env, capture_output=True, text=True,
                           timeout=120)
    assert plain.returncode == 3
    assert r.stdout == plain.stdout                      # `cat source.out target.out`
    assert "hll: migrated to 127.0.0.1:" in r.stderr and "target 3" in r.stderr, r.stderr
    moved = (tmp_path / "source.out").read_text()
    assert moved and moved != plain.stdout               # it moved in the middle
    log = (tmp_path / "target.log").read_text()
    assert re.search(r"running count\.hl from 127\.0\.0\.1:\d+", log)
    assert "ended with status 3" in log
