"""Live migration, measured (docs/migration.md): downtime and bytes sent
when a running program with N MiB of live data moves between two `hll`
processes on this machine, pre-copy against stop-and-copy.

The program (WORKLOAD) keeps N MiB of records (an object and an 8 KiB int
array each) and, step after step, mutates 50 of them in place, replaces
one, prints progress every 10 steps and sleeps 2 ms.  For each size and
mode, `hll serve --once` is started, then `hll run --migrate-on SIGUSR1
--migrate-to` it; once the program printed its first step (its data is
built) the source gets SIGUSR1 and moves.  The numbers are the source's
report line (hll/migrate.py `Outcome.line`): the downtime, from the moment
the source VM stopped to the moment the target VM runs it (both read one
monotonic clock), split into the final capture, the final delta's
computing and sending, and the target's restore; the bytes of each round.
The table gives the median of `--runs` migrations.

`--rate MBIT` puts a relay between the two that passes at most that many
megabits per second each way, as a network link would: over the loopback
the transfer costs almost nothing, and pre-copy only pays off where bytes
take time.

    python bench/migrate.py                       # 10, 50, 200 MiB; 3 runs
    python bench/migrate.py --sizes 10 --runs 1   # quick
    python bench/migrate.py --rate 1000           # over a 1 Gbit/s link

It owns nothing of HL: it runs the `hll` command.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HLL = [sys.executable, "-m", "hll.cli"]

WORKLOAD = """\
// Keeps about MIB MiB of live records and mutates them, printing progress.
// Arguments: MIB, steps, milliseconds to sleep per step.  Returns 7.
import time;

class Rec {
    id: int;
    vals: int[];
    next: Rec;
    init(id: int, vals: int[], next: Rec) {
        self.id = id;
        self.vals = vals;
        self.next = next;
    }
}

fn main(args: string[]) -> int {
    let mib = parse_int(args[0]);
    let steps = parse_int(args[1]);
    let pause = float(parse_int(args[2])) / 1000.0;
    let n = mib * 1024 / 8;                  // a record: 5 words and a 1000-int array
    let recs = new Rec[n];
    var prev: Rec = null;
    for i in 0..n {
        let a = new int[1000];
        for j in 0..1000 {
            a[j] = i + j;
        }
        prev = new Rec(i, a, prev);
        recs[i] = prev;
    }
    var sum = 0;
    for s in 0..steps {
        for k in 0..50 {
            let r = recs[(s * 7919 + k * 104729) % n];
            r.vals[(s + k) % 1000] += s;
            sum = (sum + r.vals[(s * 31 + k) % 1000]) % 1000000007;
        }
        let i = (s * 13) % n;
        recs[i] = new Rec(i, recs[i].vals, recs[(i + 1) % n]);
        if s % 10 == 0 {
            println("step " + str(s) + " sum " + str(sum));
        }
        if pause > 0.0 {
            time.sleep(pause);
        }
    }
    println("done " + str(sum));
    return 7;
}
"""

SIZE = r"[\d.]+ [KM]iB"
REPORT = re.compile(
    r"migrated to \S+: downtime (?P<downtime>\d+) ms.*?\(capture (?P<capture>\d+), send (?P<send>\d+), "
    rf"restore (?P<restore>\d+) ms\); (?P<sent>{SIZE}) sent \(pre-copy rounds: (?P<each>[^;]*); "
    rf"final: (?P<final>{SIZE})\) of a (?P<snapshot>{SIZE}) snapshot; the rounds paused the program "
    r"(?P<paused>\d+) ms")
NUMBERS = ("downtime", "capture", "send", "restore", "paused")


def mib(size: str) -> float:
    """`12.5 KiB` or `3.25 MiB` in MiB."""
    number, unit = size.split()
    return float(number) / (1024 if unit == "KiB" else 1)


def report(err: str) -> dict | None:
    """The numbers of the source's report line in `err` (None if there is
    none): the downtime and its parts (ms), MiB sent, each pre-copy round's
    MiB (`each`), the final round's, the snapshot's, the rounds' pause (ms)."""
    m = REPORT.search(err)
    if not m:
        return None
    r = {k: float(m.group(k)) for k in NUMBERS}
    for k in ("sent", "final", "snapshot"):
        r[k] = mib(m.group(k))
    each = m.group("each")
    r["each"] = [] if each == "none" else [mib(x) for x in each.split(", ")]
    r["rounds"] = len(r["each"])
    return r


def write_workload(folder: Path) -> Path:
    path = folder / "churn.hl"
    path.write_text(WORKLOAD)
    return path


def env() -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    return e


def start_server(max_heap: str, *extra: str, stdout=subprocess.DEVNULL):
    """An `hll serve --once` on a free port: (process, port)."""
    p = subprocess.Popen([*HLL, "serve", "--listen", "127.0.0.1:0", "--once", "--max-heap", max_heap,
                          *extra], stdout=stdout, stderr=subprocess.PIPE, text=True, env=env())
    line = p.stderr.readline()
    m = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
    if not m:
        p.kill()
        raise RuntimeError(f"hll serve did not start: {line!r}")
    return p, int(m.group(1))


class Relay:
    """A TCP relay from a local port to `port`, passing at most `rate`
    bytes per second each way (None: as fast as it can)."""

    def __init__(self, port: int, rate: float | None) -> None:
        self.target = port
        self.rate = rate
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                a, _ = self.listener.accept()
            except OSError:
                return
            b = socket.create_connection(("127.0.0.1", self.target))
            for x, y in ((a, b), (b, a)):
                threading.Thread(target=self._pump, args=(x, y), daemon=True).start()

    def _pump(self, src, dst) -> None:
        free = time.monotonic()                 # when the link has passed what it was given
        try:
            while True:
                data = src.recv(1 << 16)
                if not data:
                    break
                if self.rate:
                    # An idle link saves nothing up: a burst goes at the rate.
                    free = max(free, time.monotonic()) + len(data) / self.rate
                    ahead = free - time.monotonic()
                    if ahead > 0:
                        time.sleep(ahead)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.listener.close()


def migrate_once(program: Path, mib: int, rounds: int | None, rate: float | None, jit: str) -> dict:
    """Run the workload with `mib` MiB, move it once it has built its data,
    and return the source's report as numbers."""
    heap = f"{max(256, 4 * mib)}M"
    server, port = start_server(heap, "--jit", jit)
    relay = Relay(port, rate) if rate else None
    try:
        cmd = [*HLL, "run", "--jit", jit, "--max-heap", heap, "--migrate-to",
               f"127.0.0.1:{relay.port if relay else port}", "--migrate-on", "SIGUSR1"]
        if rounds is not None:
            cmd += ["--migrate-precopy-rounds", str(rounds)]
        source = subprocess.Popen([*cmd, str(program), str(mib), "1000000000", "2"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=env())
        first = source.stdout.readline()
        if not first.startswith("step 0"):
            source.kill()
            raise RuntimeError(f"the workload did not start: {first!r} {source.stderr.read()}")
        # Keep reading its output (a full pipe would stop it), then trigger.
        threading.Thread(target=source.stdout.read, daemon=True).start()
        source.send_signal(signal.SIGUSR1)
        try:
            _, err = source.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            source.kill()
            raise RuntimeError("the migration did not finish in 10 minutes") from None
        r = report(err)
        if source.returncode != 0 or r is None:
            raise RuntimeError(f"the migration failed (status {source.returncode}): {err.strip()}")
        return r
    finally:
        if relay:
            relay.close()
        _stop(server)


def _stop(p) -> None:
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


COLUMNS = ("downtime", "capture", "send", "restore", "sent", "final", "rounds", "paused")


def table(results: dict) -> str:
    """A markdown table of the medians: one row per size and mode."""
    lines = ["| live data | mode | downtime ms | capture ms | send ms | restore ms | MiB sent | final MiB "
             "| rounds | paused ms |", "|" + " --- |" * 10]
    for (mib, mode), runs in results.items():
        med = {c: statistics.median(r[c] for r in runs) for c in COLUMNS}
        lines.append(f"| {mib} MiB | {mode} | {med['downtime']:.0f} | {med['capture']:.0f} | {med['send']:.0f} "
                     f"| {med['restore']:.0f} | {med['sent']:.1f} | {med['final']:.1f} | {med['rounds']:.0f} "
                     f"| {med['paused']:.0f} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10,50,200", help="MiB of live data, comma-separated")
    ap.add_argument("--runs", type=int, default=3, help="migrations per size and mode (the median is shown)")
    ap.add_argument("--rounds", type=int, default=None, help="pre-copy rounds (default: hll's)")
    ap.add_argument("--rate", type=float, default=None, help="a link of this many Mbit/s between the two")
    ap.add_argument("--jit", default="auto", choices=("off", "auto", "eager"))
    args = ap.parse_args(argv)
    rate = args.rate * 1e6 / 8 if args.rate else None
    modes = (("pre-copy", args.rounds), ("stop-and-copy", 0))
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        program = write_workload(Path(tmp))
        for mib in (int(s) for s in args.sizes.split(",")):
            for name, rounds in modes:
                for i in range(args.runs):
                    r = migrate_once(program, mib, rounds, rate, args.jit)
                    results.setdefault((mib, name), []).append(r)
                    print(f"{mib} MiB {name} run {i + 1}: downtime {r['downtime']:.0f} ms, "
                          f"{r['sent']:.1f} MiB sent (rounds {r['each']}, final {r['final']})",
                          file=sys.stderr, flush=True)
    link = f"a relay of {args.rate:g} Mbit/s" if args.rate else "the loopback"
    print(f"Live migration over {link}, jit {args.jit}, median of {args.runs} runs:\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
