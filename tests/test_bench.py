"""The benchmark programs print what their Python twins print, and the
benchmark tool (bench/run.py and its modules) measures, checks and reports
what it says.

At the small sizes of bench/README every program runs in the interpreter and
is compared with its twin run by the same CPython; at the default sizes (the
`slow` mark) the output is compared with bench/expected.  The tool's tests
check its logic (sizes, statistics, output checks, reports) on made-up
samples, and its measurement on tiny processes: nothing here compares a
time with a constant.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))
import chart  # noqa: E402
import contenders  # noqa: E402
import jitstats  # noqa: E402
import report  # noqa: E402
import run  # noqa: E402
from measure import Sample, measure  # noqa: E402
from results import Result, check_outputs, rows  # noqa: E402
from run import NAMES, SMALL  # noqa: E402
from stats import geomean, spread  # noqa: E402
from workloads import Item, ItemError, expected_output, parse_item  # noqa: E402


def _hll(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hll.cli", "run", *args], capture_output=True, text=True,
                          timeout=1200)


@pytest.mark.parametrize("jit", ["off", "auto", "eager"])
@pytest.mark.parametrize("name", NAMES)
def test_small_size_matches_python_twin(name: str, jit: str) -> None:
    size = str(SMALL[name])
    twin = subprocess.run([sys.executable, str(BENCH / "py" / f"{name}.py"), size],
                          capture_output=True, text=True, check=True).stdout
    got = _hll(f"--jit={jit}", str(BENCH / "programs" / f"{name}.hl"), size)
    assert got.returncode == 0, got.stderr
    assert got.stdout == twin


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_default_size_matches_expected(name: str) -> None:
    got = _hll(str(BENCH / "programs" / f"{name}.hl"))
    assert got.returncode == 0, got.stderr
    assert got.stdout == (BENCH / "expected" / f"{name}.txt").read_text()


# --- sizes -----------------------------------------------------------------

def test_items_name_sizes() -> None:
    assert parse_item("fib") == Item("fib", 32, "default")
    assert parse_item("fib", "small") == Item("fib", 25, "small")
    assert parse_item("fib:large") == Item("fib", 38, "large")
    assert parse_item("sieve:123") == Item("sieve", 123, None)
    assert parse_item("fib:25", "large") == Item("fib", 25, "small")    # a number that is a named size
    for bad in ("nosuch", "fib:huge", "fib:-1"):
        with pytest.raises(ItemError):
            parse_item(bad)


def test_expected_output_exists_for_default_and_large_sizes_only() -> None:
    assert expected_output(parse_item("fib")) == "2178309\n"
    assert expected_output(parse_item("fib:large")) is not None
    assert expected_output(parse_item("fib:small")) is None
    assert expected_output(parse_item("fib:7")) is None


def test_command_line_keeps_the_old_forms() -> None:
    a = run.parse_args(["--small", "--jit", "off", "fib:20", "sieve", "--runs", "2"])
    assert a.tiers == ["off"] and a.runs == 2
    assert a.items == [Item("fib", 20, None), Item("sieve", 200000, "small")]
    a = run.parse_args([])
    assert a.tiers == ["auto"] and [i.name for i in a.items] == NAMES and a.items[0].size_name == "default"
    assert run.parse_args(["--tiers", "off,auto,off"]).tiers == ["off", "auto"]
    assert run.parse_args(["--vs", "cpython"]).vs == ["cpython"]


@pytest.mark.parametrize("argv", [["--small", "--size", "large"], ["--jit", "off", "--tiers", "auto"],
                                  ["--tiers", "fast"], ["--runs", "0"], ["nosuch"], ["--vs", "ruby"],
                                  ["--chart", "x.png", "--vs", "java"]])
def test_command_line_refuses(argv, capsys) -> None:
    with pytest.raises(SystemExit) as e:
        run.parse_args(argv)
    assert e.value.code == 2


def test_chart_without_matplotlib_is_refused_before_running(monkeypatch, capsys) -> None:
    monkeypatch.setattr(run.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SystemExit):
        run.parse_args(["--chart", "x.png"])
    assert "matplotlib" in capsys.readouterr().err


# --- statistics --------------------------------------------------------------

def test_spread_median_extremes_quartiles() -> None:
    s = spread([5.0, 1.0, 3.0, 2.0, 4.0])
    assert (s.n, s.median, s.min, s.max, s.q1, s.q3) == (5, 3.0, 1.0, 5.0, 2.0, 4.0)
    assert s.iqr == 2.0
    one = spread([0.5])
    assert (one.median, one.min, one.max, one.q1, one.q3) == (0.5,) * 5
    assert spread([1.0, 2.0]).median == 1.5
    assert spread([]) is None


def test_geomean() -> None:
    assert geomean([2.0, 8.0]) == pytest.approx(4.0)
    assert geomean([]) is None


# --- measuring one process ---------------------------------------------------

def _py(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_measure_output_status_time() -> None:
    s = measure(_py("import sys; print('hi'); print('oops', file=sys.stderr); sys.exit(3)"))
    assert (s.stdout, s.stderr, s.status, s.timed_out) == ("hi\n", "oops\n", 3, False)
    assert s.wall > 0


def test_measure_peak_rss_is_the_childs_own() -> None:
    """A child that touches 64 MiB peaks above it; one that does nothing is
    not charged the driver's size (here inflated by 192 MiB): the middle
    process of bench/spawn.py."""
    ballast = bytearray(192 << 20)
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    big = measure(_py("b = bytearray(64 << 20)\nfor i in range(0, len(b), 4096): b[i] = 1"))
    small = measure(_py("pass"))
    assert big.status == small.status == 0
    assert big.rss_kib >= 64 << 10
    assert small.rss_kib < big.rss_kib - (48 << 10)
    assert small.rss_kib < 96 << 10
    del ballast


def test_measure_timeout_and_missing_command() -> None:
    s = measure(_py("import time; time.sleep(30)"), timeout=0.3)
    assert s.timed_out and s.status != 0
    s = measure(["hl-bench-no-such-command"])
    assert s.status == 127 and "hl-bench-no-such-command" in s.stderr


def test_measure_passes_environment() -> None:
    import os
    s = measure(_py("import os; print(os.environ['HL_CACHE_DIR'])"), env={**os.environ, "HL_CACHE_DIR": "/x"})
    assert s.stdout == "/x\n"


# --- checking outputs and making rows ------------------------------------------

def _s(out: str = "42\n", wall: float = 1.0, status: int = 0, rss: int = 10240, timed_out=False) -> Sample:
    return Sample(wall, rss, status, out, "", timed_out)


def test_outputs_checked_against_expected() -> None:
    runs = {"hl:off": [_s(), _s("41\n")], "cpython": [_s(), _s()]}
    assert check_outputs("42\n", runs) == {"hl:off": ["run 2: output differs from the expected output"]}
    # the twin is checked too: then it is wrong, not HL
    assert check_outputs("7\n", {"hl:off": [_s("7\n")], "cpython": [_s()]}) == \
        {"cpython": ["output differs from the expected output"]}


def test_outputs_checked_against_the_twin_without_expected() -> None:
    assert check_outputs(None, {"hl:auto": [_s()], "cpython": [_s()], "java": [_s()]}) == {}
    got = check_outputs(None, {"hl:auto": [_s("1\n")], "cpython": [_s()], "java": [_s("2\n")]})
    assert got == {"hl:auto": ["output differs from the Python twin's"],
                   "java": ["output differs from the Python twin's"]}
    # no reference at all: runs must at least agree with each other
    assert check_outputs(None, {"hl:off": [_s("1\n"), _s("2\n")]}) == \
        {"hl:off": ["run 2: output differs from its first run's"]}


def test_failed_runs_and_compile() -> None:
    got = check_outputs("42\n", {"hl:off": [_s(status=1), _s(wall=5.0, timed_out=True, status=-9)]},
                        [_s(status=2)])
    assert got["hl:off"] == ["run 1: exit status 1", "run 2: timed out after 5 s"]
    assert got["compile"] == ["exit status 2"]


def _result() -> Result:
    r = Result(Item("fib", 25, "small"), expected=None)
    r.runs = {"hl:off": [_s(wall=3.0), _s(wall=1.0), _s(wall=2.0)], "hl:auto": [_s("0\n", wall=0.5)],
              "cpython": [_s(wall=1.0, rss=20480)] * 3}
    r.compile = [_s("", wall=0.25)]
    r.jit = {"hl:auto": [jitstats.JitSummary(3, 12.5, 1)]}
    r.check()
    return r


def test_rows_per_tier_with_ratio_and_failure() -> None:
    off, auto = rows([_result()], ["off", "auto"], ["cpython"], {"hl:auto": "HL --jit=auto"})
    assert (off.tier, off.hl.median, off.hl.min, off.hl.max, off.ratio()) == ("off", 2.0, 1.0, 3.0, 2.0)
    assert off.ok and off.others_rss_mib["cpython"] == 20.0 and off.compile.median == 0.25
    assert off.jit_ms is None
    assert not auto.ok and auto.problems == ["HL --jit=auto: output differs from the Python twin's"]
    assert (auto.jit_ms, auto.jit_functions, auto.jit_not_compiled) == (12.5, 3, 1)
    assert auto.ratio("java") is None


# --- JIT statistics hook -----------------------------------------------------

def test_jit_summary_line() -> None:
    assert jitstats.parse_jit_summary("trace...\njit: compiled 12 functions in 85.3 ms\n") == \
        jitstats.JitSummary(12, 85.3)
    assert jitstats.parse_jit_summary("jit: compiled 1 function in 2ms\njit: compiled 4 functions in 9 ms") == \
        jitstats.JitSummary(4, 9.0)
    assert jitstats.parse_jit_summary("jit: compiled m.f: 48 bytes of bytecode, 0.5 ms\n"
                                      "jit: 1 functions compiled in 0.5 ms, 2 not compiled\n") == \
        jitstats.JitSummary(1, 0.5, 2)
    assert jitstats.parse_jit_summary("jit: compiled m.f: 48 bytes of bytecode, 0.5 ms\n") is None
    assert jitstats.parse_jit_summary("no jit here\n") is None


def test_trace_jit_is_used_only_when_hll_run_offers_it() -> None:
    offered = "--trace-jit" in _hll("--help").stdout
    assert jitstats.supports_trace_jit(contenders.HLL + ["run"]) == offered
    assert jitstats.supports_trace_jit(["hl-bench-no-such-command"]) is False


# --- reports -------------------------------------------------------------------

def test_markdown_tables_columns_and_geomean() -> None:
    rs = rows([_result()], ["off", "auto"], ["cpython"], {})
    md = report.markdown(rs, {"method": "whole processes"}, ["off", "auto"], ["cpython"])
    assert "## `--jit=off`" in md and "## `--jit=auto`" in md and "- method: whole processes" in md
    lines = md.splitlines()
    header = next(line for line in lines if line.startswith("| workload"))
    assert "HL/CPython" in header and "PyPy" not in header and "Java" not in header
    assert "| fib | 25 (small) | 2.000 | 1.000–3.000 | 1.000 | 2.00 | 10.0 | 20.0 | 0.250 | — | — | ok |" in md
    assert "| 12.5 | 3 of 4 | FAIL |" in md
    geo = [line for line in lines if line.startswith("| geometric mean")]
    assert geo[0].split(" | ")[5] == "2.00" and geo[0].endswith("1/1 ok |")
    assert geo[1].split(" | ")[5] == "—" and geo[1].endswith("0/1 ok |")      # failed rows are left out
    assert "- fib:25: hl:auto: output differs from the Python twin's" in md
    with_java = report.markdown(rs, {}, ["off"], ["cpython", "java"])
    assert "| Java s | HL/Java |" in with_java


def test_json_report_holds_rows_and_runs() -> None:
    rs = rows([_result()], ["off"], ["cpython"], {})
    doc = json.loads(report.to_json(rs, {"runs": 3}, [{"workload": "fib"}]))
    row = doc["rows"][0]
    assert row["hl"]["median"] == 2.0 and row["hl"]["q1"] == 1.5 and row["ratios"]["cpython"] == 2.0
    assert row["ok"] is True and doc["runs"] == [{"workload": "fib"}] and doc["meta"] == {"runs": 3}


def test_chart_png(tmp_path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "c.png"
    chart.draw(rows([_result()], ["off", "auto"], ["cpython"], {}), ["off", "auto"], out, "test")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_chart_says_what_is_missing(monkeypatch, tmp_path) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)        # import fails
    with pytest.raises(chart.ChartUnavailable, match="matplotlib"):
        chart.draw([], ["off"], tmp_path / "c.png", "test")


# --- contenders and the whole tool ----------------------------------------------

def test_absent_contenders_are_reasons_not_errors(monkeypatch) -> None:
    monkeypatch.setattr(contenders.shutil, "which", lambda name: None)
    assert "pypy3" in contenders.pypy()
    assert "java" in contenders.java()


def test_pypy_runs_the_python_twin(monkeypatch, tmp_path) -> None:
    """With a stand-in pypy3 (this CPython), PyPy gets its runs, checks and columns."""
    monkeypatch.setattr(contenders.shutil, "which", lambda name: sys.executable if name == "pypy3" else None)
    found = contenders.pypy()
    assert found.key == "pypy" and found.version == sys.version.split()[0]
    assert found.command(parse_item("fib:5")) == [sys.executable, str(BENCH / "py" / "fib.py"), "5"]
    md = tmp_path / "r.md"
    assert run.main(["fib:5", "--runs", "1", "--tiers", "off", "--vs", "cpython,pypy", "-q",
                     "--markdown", str(md)]) == 0
    assert "| PyPy s | HL/PyPy |" in md.read_text()


def test_java_versions_built_once() -> None:
    found = contenders.java()
    if isinstance(found, str):
        pytest.skip(found)
    assert found.command(parse_item("strings")) is None          # no Java version
    assert found.command(parse_item("fib:5"))[-2:] == ["fib", "5"]


def test_tool_end_to_end(tmp_path, capsys) -> None:
    md, js = tmp_path / "r.md", tmp_path / "r.json"
    status = run.main(["fib:5", "--runs", "2", "--tiers", "off", "--vs", "cpython",
                       "--markdown", str(md), "--json", str(js)])
    out, err = capsys.readouterr()
    assert status == 0, out + err
    assert "[fib:5 run 2/2] HL --jit=off" in err and "warm-up" in err
    doc = json.loads(js.read_text())
    (row,) = doc["rows"]
    assert row["ok"] and row["hl"]["n"] == 2 and row["others"]["cpython"]["n"] == 2
    assert row["hl_rss_mib"] > 0 and row["compile"]["n"] == 2
    assert len(doc["runs"][0]["runs"]["hl:off"]) == 2
    assert "| fib | 5 |" in md.read_text()


def test_tool_fails_on_a_wrong_output(monkeypatch, capsys) -> None:
    monkeypatch.setattr(run, "expected_output", lambda item: "not what fib prints\n")
    status = run.main(["fib:3", "--runs", "1", "--tiers", "off", "--vs", "cpython", "--cold"])
    out, err = capsys.readouterr()
    assert status == 1
    assert "FAILED: HL --jit=off: output differs from the expected output" in out
    assert "warm-up" not in err                                  # cold: nothing to warm


def test_cold_cache_directories_are_new_and_removed() -> None:
    caches = run.Caches(cold=True)
    first = Path(caches.env()["HL_CACHE_DIR"])
    (first / "entry").write_text("x")
    second = Path(caches.env()["HL_CACHE_DIR"])
    assert second != first and second.is_dir() and not any(second.iterdir()) and not first.exists()
    warm = run.Caches(cold=False)
    assert warm.env()["HL_CACHE_DIR"] == warm.env()["HL_CACHE_DIR"]


def test_interrupted_run_reports_what_finished(monkeypatch, tmp_path, capsys) -> None:
    done = _result()

    def run_item(item, *args):
        if item.name == "sieve":
            raise KeyboardInterrupt
        return done
    monkeypatch.setattr(run, "run_item", run_item)
    js = tmp_path / "r.json"
    assert run.main(["fib:25", "sieve", "nbody", "--tiers", "off", "--vs", "cpython", "--json", str(js)]) == 130
    doc = json.loads(js.read_text())
    assert [r["workload"] for r in doc["rows"]] == ["fib"] and doc["meta"]["interrupted"] == "after 1 of 3 workloads"
