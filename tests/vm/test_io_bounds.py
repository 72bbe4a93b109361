"""Reads are bounded and interruptible: `io.read_file` / `read_lines` /
`write_file` touch regular files only and read them in pieces checked
against the heap and the call's limits; `input()` reads a line in bounded
pieces and its wait on a pipe or terminal ends at the time limit or on an
interrupt, without losing what was read (hllvm/natives/files.py, reading.py,
stdin.py).

Where memory is the point, the program runs in a child process whose peak
RSS is read with getrusage(RUSAGE_CHILDREN) by a wrapper process of its own
(so no other test's children count); the bound is the heap limit plus 64
MiB.  Wall-clock bounds are only generous timeouts that keep a test from
hanging, never assertions of speed.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from hl import VM, HLError, Interrupted, ResourceExhausted

HLL_RUN = [sys.executable, "-m", "hll.cli", "run"]
HEAP = 16 << 20
RSS_BOUND_KIB = (HEAP + (64 << 20)) >> 10
NO_HANG = 60                     # seconds: a test that takes longer has hung

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files and pipes")

# Runs a command with stdin fed by `feed` bytes of zeros (0: no input) and
# reports its status, output and peak RSS (KiB) as JSON.
# The child's address space is capped (a read that is not bounded fails
# there instead of taking the machine's memory), and it is killed if it hangs.
_MEASURE = textwrap.dedent("""
    import json, resource, subprocess, sys, tempfile, threading
    cmd, feed, limit = json.loads(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    cap = lambda: resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE if feed else subprocess.DEVNULL,
                         stdout=out, stderr=err, preexec_fn=cap)
    def zeros():
        block = bytes(1 << 20)
        try:
            for _ in range(feed >> 20):
                p.stdin.write(block)
            p.stdin.close()
        except OSError:          # the reader is gone
            pass
    if feed:
        threading.Thread(target=zeros, daemon=True).start()
    try:
        status = p.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        p.kill()
        status = p.wait()
    out.seek(0); err.seek(0)
    print(json.dumps({"status": status, "out": out.read().decode(), "err": err.read().decode(),
                      "rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
""")


def measured(cmd: list[str], feed: int = 0) -> dict:
    r = subprocess.run([sys.executable, "-c", _MEASURE, json.dumps(cmd), str(feed), str(NO_HANG / 2)],
                       capture_output=True, text=True, timeout=NO_HANG)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def program(tmp_path, text: str, name: str = "p.hl") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


READ_ARG = """
    import io;
    fn main(args: string[]) {
        let s = io.read_file(args[0]);
        println(s.length);
    }
"""
READ_LINE = """
    fn main() {
        let s = input();
        if s == null { println("end"); } else { println(s.length); }
    }
"""


# --- io: only regular files ------------------------------------------------------------------

def test_reading_dev_zero_is_refused_at_once_without_growing_the_host(tmp_path):
    r = measured([*HLL_RUN, "--allow-read", "/dev", "--max-heap", "16M", "--timeout", "2",
                  program(tmp_path, READ_ARG), "/dev/zero"])
    assert r["status"] == 1
    assert "Uncaught IOError: cannot read '/dev/zero': it is a device (only regular files can be read)" \
        in r["err"]
    assert r["rss"] < RSS_BOUND_KIB


def test_reading_a_fifo_is_refused_instead_of_blocking(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)            # nobody ever writes to it
    r = subprocess.run([*HLL_RUN, "--allow-read", str(tmp_path), "--timeout", "2",
                        program(tmp_path, READ_ARG), str(fifo)],
                       capture_output=True, text=True, timeout=NO_HANG)
    assert r.returncode == 1
    assert "it is a named pipe (only regular files can be read)" in r.stderr


@pytest.fixture
def io_vm(tmp_path):
    vm = VM(allow_read=[str(tmp_path), "/dev"], allow_write=[str(tmp_path), "/dev"],
            stdin="", timeout=30.0)
    return vm, vm.load_source("""
import io;
fn read(p: string) -> string { return io.read_file(p); }
fn lines(p: string) -> int { return io.read_lines(p).length; }
fn write(p: string, s: string) { io.write_file(p, s); }
fn error_of_read(p: string) -> string {
    try { io.read_file(p); } catch e: Error { return e.message; } return "read";
}
fn error_of_write(p: string) -> string {
    try { io.write_file(p, "x"); } catch e: Error { return e.message; } return "written";
}
""", name="files")


def test_special_files_are_refused_for_reading_and_writing(io_vm, tmp_path):
    _, mod = io_vm
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert mod.call("error_of_read", str(fifo)).endswith("it is a named pipe (only regular files can be read)")
    assert mod.call("error_of_write", str(fifo)).endswith(
        "it is a named pipe (only regular files can be written)")
    assert mod.call("error_of_read", str(tmp_path)).endswith("it is a directory (only regular files can be read)")
    assert mod.call("error_of_write", str(tmp_path)).endswith(
        "it is a directory (only regular files can be written)")
    assert mod.call("error_of_write", "/dev/null").endswith("it is a device (only regular files can be written)")
    with pytest.raises(HLError) as ei:
        mod.call("lines", "/dev/zero")
    assert ei.value.class_name == "IOError" and "it is a device" in ei.value.message


def test_regular_files_are_read_and_written_whole(io_vm, tmp_path):
    _, mod = io_vm
    path = str(tmp_path / "f.txt")
    text = "é€😀\n" * 300_000           # 3 MiB of UTF-8: characters split between pieces
    mod.call("write", path, text)
    with open(path, encoding="utf-8") as f:
        assert f.read() == text
    assert mod.call("read", path) == text
    assert mod.call("lines", path) == 300_000
    mod.call("write", path, "short")     # replaces the file: no tail of the longer text
    assert mod.call("read", path) == "short"


def test_a_file_is_read_to_its_end_whatever_size_the_os_reports():
    status = "/proc/self/status"           # a regular file whose size is 0
    if not os.path.exists(status) or os.path.getsize(status) != 0:
        pytest.skip("needs Linux's /proc")
    vm = VM(allow_read=["/proc/self"], stdin="")
    mod = vm.load_source("import io; fn read(p: string) -> string { return io.read_file(p); }", name="r")
    assert "Name:" in mod.call("read", status)


def test_a_file_larger_than_the_heap_is_out_of_memory_after_about_a_heap_of_reading(tmp_path):
    big = tmp_path / "big"
    with open(big, "wb") as f:
        f.truncate(1 << 30)                # 1 GiB of zeros, sparse: no disk used
    r = measured([*HLL_RUN, "--allow-read", str(tmp_path), "--max-heap", "16M",
                  program(tmp_path, READ_ARG), str(big)])
    assert r["status"] == 1 and "Uncaught OutOfMemoryError" in r["err"]
    assert r["rss"] < RSS_BOUND_KIB


def test_an_out_of_memory_read_is_catchable_and_the_vm_goes_on(tmp_path):
    big = tmp_path / "big"
    with open(big, "wb") as f:
        f.truncate(64 << 20)
    vm = VM(max_heap=4 << 20, allow_read=[str(tmp_path)], stdin="")
    mod = vm.load_source("""
import io;
fn try_read(p: string) -> string {
    try { return io.read_file(p); } catch e: OutOfMemoryError { return "caught"; }
}
""", name="r")
    assert mod.call("try_read", str(big)) == "caught"
    (tmp_path / "small").write_text("ok")
    assert mod.call("try_read", str(tmp_path / "small")) == "ok"


def test_an_interrupt_stops_a_read_between_pieces(tmp_path, monkeypatch):
    from hllvm.natives import reading
    big = tmp_path / "big"
    with open(big, "wb") as f:
        f.truncate(8 * reading.FILE_PIECE)
    vm = VM(allow_read=[str(tmp_path)], stdin="")
    mod = vm.load_source("import io; fn read(p: string) -> int { return io.read_file(p).length; }",
                         name="r")
    reads = []
    real_read = os.read

    def read_then_interrupt(fd, n):
        reads.append(n)
        if len(reads) == 2:
            assert vm.interrupt()          # the host interrupts while the file is read
        return real_read(fd, n)
    monkeypatch.setattr(reading.os, "read", read_then_interrupt)
    with pytest.raises(Interrupted):
        mod.call("read", str(big))
    assert len(reads) == 2                 # stopped at the check after the piece
    monkeypatch.setattr(reading.os, "read", real_read)
    assert mod.call("read", str(big)) == 8 * reading.FILE_PIECE


# --- input(): bounded lines -------------------------------------------------------------------

def test_an_endless_line_on_stdin_is_out_of_memory_within_the_heap_bound(tmp_path):
    r = measured([*HLL_RUN, "--max-heap", "16M", program(tmp_path, READ_LINE)], feed=300 << 20)
    assert r["status"] == 1 and "Uncaught OutOfMemoryError" in r["err"]
    assert r["rss"] < RSS_BOUND_KIB


def test_a_long_line_from_a_host_stream_is_read_whole_or_out_of_memory():
    line = "x" * 1_000_000 + "\n" + "next\n"
    vm = VM(stdin=line)
    mod = vm.load_source("fn read() -> string { return input(); }", name="r")
    assert mod.call("read") == "x" * 1_000_000 and mod.call("read") == "next"
    small = VM(max_heap=1 << 20, stdin="y" * 3_000_000)
    mod = small.load_source("""
fn read() -> string {
    try { return input(); } catch e: OutOfMemoryError { return "caught"; }
}
""", name="r")
    assert mod.call("read") == "caught"


@pytest.mark.parametrize("bad, message", [
    (b"bytes\n", "readline() gave bytes, not str"),
    (OSError(5, "Input/output error"), "cannot read standard input: Input/output error"),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "cannot read standard input"),
])
def test_a_failing_or_non_text_stdin_is_an_hl_error(bad, message):
    class Stream:
        def readline(self, size=-1):
            if isinstance(bad, Exception):
                raise bad
            return bad
    mod = VM(stdin=Stream()).load_source("""
fn read() -> string { try { return input(); } catch e: Error { return e.message; } }
""", name="r")
    assert message in mod.call("read")


# --- input(): waits that end ------------------------------------------------------------------

def test_input_blocked_on_a_pipe_ends_at_the_time_limit(tmp_path):
    fifo = tmp_path / "in"
    os.mkfifo(fifo)
    fd = os.open(fifo, os.O_RDWR)          # a writer that never writes: input() would wait forever
    try:
        r = subprocess.run([*HLL_RUN, "--timeout", "2", program(tmp_path, READ_LINE)], stdin=fd,
                           capture_output=True, text=True, timeout=NO_HANG)
    finally:
        os.close(fd)
    assert r.returncode == 4 and "time limit of 2 s exceeded" in r.stderr


def test_input_blocked_on_a_terminal_ends_at_the_time_limit(tmp_path):
    main, child = pty.openpty()
    try:
        r = subprocess.run([*HLL_RUN, "--timeout", "2", program(tmp_path, READ_LINE)], stdin=child,
                           capture_output=True, text=True, timeout=NO_HANG)
    finally:
        os.close(child)
        os.close(main)
    assert r.returncode == 4 and "time limit of 2 s exceeded" in r.stderr


def test_a_partial_line_from_a_writer_that_pauses_ends_at_the_time_limit(tmp_path):
    p = subprocess.Popen([*HLL_RUN, "--timeout", "2", program(tmp_path, READ_LINE)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        p.stdin.write(b"abcdefghij")       # no line break, and the pipe stays open
        p.stdin.flush()
        status = p.wait(timeout=NO_HANG)
        err = p.stderr.read()
    finally:
        p.kill()
        p.stdin.close()
    assert status == 4 and b"time limit of 2 s exceeded" in err


def test_lines_a_pipe_delivered_at_once_are_read_while_the_writer_waits(tmp_path):
    two = program(tmp_path, """
        fn main() {
            println(input());
            println(input());
            println(input() == null);
        }
    """)
    p = subprocess.Popen([*HLL_RUN, "--timeout", "30", two], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        p.stdin.write("one\ntwo\n")          # both lines in one write; the pipe stays open
        p.stdin.flush()
        got = [p.stdout.readline(), p.stdout.readline()]
        p.stdin.close()
        status = p.wait(timeout=NO_HANG)
        rest, err = p.stdout.read(), p.stderr.read()
    finally:
        p.kill()
    assert got == ["one\n", "two\n"] and rest == "true\n" and status == 0, err


@pytest.fixture
def pipe_vm():
    """A VM whose stdin is a text stream over a pipe the test writes to."""
    r, w = os.pipe()
    stream = open(r, "r", encoding="utf-8")
    vm = VM(stdin=stream)
    mod = vm.load_source("fn read() -> string { return input(); }", name="r")
    yield vm, mod, w
    os.close(w)
    stream.close()


def test_an_interrupt_ends_a_blocked_input_and_nothing_read_is_lost(pipe_vm):
    vm, mod, w = pipe_vm

    def stop():
        while not vm.interrupt():         # True once the call is running
            time.sleep(0.01)
    stopper = threading.Thread(target=stop)
    stopper.start()
    with pytest.raises(Interrupted):
        mod.call("read")
    stopper.join()
    os.write(w, b"late line\n")
    assert mod.call("read") == "late line"


def test_a_line_cut_by_the_time_limit_is_finished_by_the_next_input(pipe_vm):
    vm, mod, w = pipe_vm
    os.write(w, b"first half, ")            # a line still coming when the call's time is up
    with pytest.raises(ResourceExhausted) as ei:
        mod.call("read", timeout=0.5)
    assert ei.value.resource == "time"
    os.write(w, b"second half\nthen\n")
    assert mod.call("read") == "first half, second half"
    assert mod.call("read") == "then"
