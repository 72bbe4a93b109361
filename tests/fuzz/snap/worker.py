"""Restoring and resuming one snapshot, and classifying how it ended; the
worker process that does it for the runner.

`run_one(data, jit)` restores `data` into a new VM (small heap, stack
limit, `verify_heap=True`), makes a full collection right after the
restore (verified; and every reference the restored frames hold must
still be a block's start: so a heap the collector cannot walk, or a frame
whose references it missed, shows at once), resumes the suspended call
under fuel, time and output limits, and collects once more at the end.  Outcomes:

    rejected   restore raised SnapshotError (its detail: the section and
               the check, numbers left out, so they can be counted)
    idle       restored; the snapshot had no call to resume
    completed  resumed and ran to its end (any exit status, uncaught HL
               errors included)
    limit      resumed and stopped by a limit: fuel, time, output, heap
    traceback  (a failure) any other exception out of restore or resume,
               an "internal VM error" report, a heap verification failure
    hang       (a failure) the worker's own alarm fired: restore or a run
               went on past every limit

The runner also counts `crash` (the worker died by a signal) and, when the
worker stops answering, `hang`.  `python -m tests.fuzz.snap.worker` reads
requests on stdin (u32 length, u8 tier, u8 heap size, the snapshot) and
answers each with one JSON line on stdout.
"""

from __future__ import annotations

import json
import os
import re
import struct
import sys
from functools import partial
import traceback

from hllvm import VM, SnapshotError
from hllvm.collector.heapcheck import HeapCorrupt
from hllvm.errors import HLError, ResourceExhausted

from tests.fuzz.harness import CappedText, _Timeout, time_limit

FAILURES = ("traceback", "hang", "crash")
KINDS = ("rejected", "idle", "completed", "limit") + FAILURES
TIERS = ("off", "auto", "eager")
# The heap sizes a worker's VM may have (a request names one by index): the
# small ones make a snapshot's data not fit, or the resumed run run out.
HEAPS = (16 << 20, 256 << 10, 64 << 10)
REQUEST = struct.Struct("<IBB")             # snapshot length, tier, heap size

FUEL = 20_000
RUN_SECONDS = 2.0
RESTORE_SECONDS = 10.0
MAX_HEAP = 16 << 20
MAX_STACK = 1000
MAX_OUTPUT = 1 << 16


# The wall-clock limit and the capped output sink of the .hlc fuzzer's harness.
_Alarm = _Timeout
alarm = time_limit
Capped = partial(CappedText, 1 << 14)


_NUM = re.compile(r"-?\b\d+\b")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NAMED = re.compile(r"\b(module|class|instance of|in) (?!the\b|a\b|type\b)[A-Za-z_][\w.$<>]*")


def check_key(e: SnapshotError) -> str:
    """`section: check` of a SnapshotError, with its numbers and names
    left out (so that rejections can be counted by the check that made
    them)."""
    where = e.where
    if where.startswith("section "):
        section = where[8:].split(",")[0]
    elif where.startswith(("frame", "global", "handle", "trace", "header")):
        section = where.split()[0].rstrip(",")
    else:
        section = where.split(",")[0] or "-"
    what = _QUOTED.sub("'…'", _NUM.sub("N", e.what))
    what = _NAMED.sub(r"\1 X", what)
    return f"{section}: {what[:100]}"


def frame_references(vm) -> list:
    """The values of every reference the restored frames hold, typed as
    restore.py typed them (locals by declaration, stack entries in their
    own registers by the verifier's map at the frame's pc): after a
    collection, each must still be the start of a block."""
    from hllvm.collector.roots import is_ref
    interp = vm.interp
    r = vm.snapshots.restored
    out = []

    def typed(fn, R, pc, popped):
        vals = [R[i] for i, t in enumerate(fn.desc.locals) if is_ref(t)]
        regs = fn.sites[pc][0]
        depth = len(regs) - popped
        if depth:
            types = fn.stack_maps[pc].stack
            own = range(fn.nlocals, fn.nlocals + fn.max_depth)
            vals += [R[regs[d]] for d in range(depth) if regs[d] in own and is_ref(types[d])]
        return vals
    for R, ret, _rd in r.callers:
        fn, origin = interp.meta[ret - 1]
        out += typed(fn, R, origin, len(fn.sites[origin][2].src))
    out += typed(interp.meta[r.pc][0], r.registers, r.bytecode_pc, 0)
    return out


def run_one(data: bytes, jit: str = "off", max_heap: int = MAX_HEAP) -> tuple[str, str]:
    """(kind, detail) of restoring and resuming `data` (module docstring)."""
    out, err = Capped(), Capped()
    try:
        vm = VM(max_heap=max_heap, max_stack=MAX_STACK, stdout=out, stderr=err, stdin="", fuel=FUEL,
                timeout=RUN_SECONDS, max_output=MAX_OUTPUT, verify_heap=True, jit=jit)
    except Exception:              # noqa: BLE001 - the harness's own problem, shown as a failure
        return "traceback", "VM(): " + traceback.format_exc()
    try:
        with alarm(RESTORE_SECONDS):
            try:
                vm.restore(data)
            except SnapshotError as e:
                return "rejected", check_key(e)
            vm.collect()              # (moves everything: the restored frames must be its roots)
            if vm.snapshots.restored is not None:
                vm.collector.checker.check(frame_references(vm))
    except _Alarm:
        return "hang", "restore went on past its time limit"
    except HeapCorrupt as e:
        return "traceback", f"heap verification after the restore: {e}"
    except Exception:              # noqa: BLE001 - anything but SnapshotError is a failure
        return "traceback", "restore: " + traceback.format_exc()
    if vm.suspended_task is None:
        return _finish(vm, out, err, "idle", "")
    if vm.fuel is None or vm.fuel > FUEL:
        vm.fuel = FUEL            # (a snapshot carries its fuel; the host's limit is the lower)
    try:
        with alarm(RUN_SECONDS + 5.0):
            try:
                result = vm.resume_run()
            except HLError as e:
                return _finish(vm, out, err, "completed", f"uncaught {e.class_name}")
            except ResourceExhausted as e:
                return _finish(vm, out, err, "limit", str(e))
    except _Alarm:
        return "hang", "the resumed run went on past its time limit"
    except Exception:              # noqa: BLE001
        return "traceback", "resume: " + traceback.format_exc()
    if out.internal or err.internal:
        return "traceback", "resume: " + err.getvalue()[-3000:]
    text = err.getvalue()
    if vm.suspended_task is None and isinstance(result, int) and result == 4 and text \
            and not text.startswith("Uncaught"):
        return _finish(vm, out, err, "limit", text.strip()[:200])
    return _finish(vm, out, err, "completed", f"result {str(result)[:60]}")


def _finish(vm, out, err, kind: str, detail: str) -> tuple[str, str]:
    """A last verified collection, once nothing runs."""
    try:
        with alarm(RESTORE_SECONDS):
            vm.collector.collect("host")
    except _Alarm:
        return "hang", "the last collection went on past its time limit"
    except HeapCorrupt as e:
        return "traceback", f"heap verification after the run: {e}"
    except Exception:              # noqa: BLE001
        return "traceback", "collection after the run: " + traceback.format_exc()
    if out.internal or err.internal:
        return "traceback", "run: " + err.getvalue()[-3000:]
    return kind, detail


# --- the worker process ----------------------------------------------------------------------
def serve(inp, outp) -> None:
    while True:
        head = inp.read(REQUEST.size)
        if len(head) < REQUEST.size:
            return
        n, tier, heap = REQUEST.unpack(head)
        data = inp.read(n)
        kind, detail = run_one(data, TIERS[tier], HEAPS[heap])
        outp.write((json.dumps([kind, detail]) + "\n").encode())
        outp.flush()


def main() -> None:
    try:
        import resource
        limit = 6 << 30
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass
    os.environ.pop("HLLVM_DEBUG", None)
    proto = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)                  # anything printed by mistake goes to stderr, not into the answers
    sys.stdout = sys.stderr
    serve(sys.stdin.buffer, proto)


if __name__ == "__main__":
    main()


__all__ = ["run_one", "check_key", "frame_references", "KINDS", "FAILURES", "TIERS", "HEAPS", "REQUEST"]
