"""Fixtures of the migration tests (the tools they use are in migrate_support.py)."""

from __future__ import annotations

import os
import subprocess

import pytest

from migrate_support import BENCH, HLL, ROOT, Serve


@pytest.fixture(scope="session")
def hl_env(tmp_path_factory):
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    e["HL_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    return e


@pytest.fixture(scope="session")
def workload(tmp_path_factory):
    return BENCH.write_workload(tmp_path_factory.mktemp("workload"))


@pytest.fixture
def serve(hl_env):
    started: list[Serve] = []

    def start(*args: str, **kw) -> Serve:
        s = Serve(hl_env, *args, **kw)
        started.append(s)
        return s
    yield start
    for s in started:
        s.stop()


@pytest.fixture
def hll(hl_env):
    def run(*args: str, timeout: float = 120.0, **kw) -> subprocess.CompletedProcess:
        return subprocess.run([*HLL, *args], capture_output=True, text=True, env=hl_env, timeout=timeout,
                              stdin=subprocess.DEVNULL, **kw)
    return run
