"""A fixed sample of the differential suspend/resume sweep (run.py): some
conformance tests of every kind of program (finally blocks, 10,000 calls
deep, exit statuses, fuel, arguments, uncaught errors, module initialisers,
imported modules, files written, standard input, collections, closures,
interfaces, hand-written bytecode) and two bench programs, each stopped at
two fractions of its run and at its special points, in the four tier
pairs, and resumed in a new process."""

from __future__ import annotations

import pytest

from tests.snapshots.run import DEFAULT_TIERS, Settings, run_subject
from tests.snapshots.subjects import Workspace, bench_subjects, conformance_subjects

SAMPLE = (
    "errors/finally_on_stack_overflow.hl",
    "errors/nested_finally_order.hl",
    "exit/exit_from_nested_call.hl",
    "exit/fuel_exhausted.hl",
    "exit/main_args.hl",
    "exit/uncaught_error_status.hl",
    "modules/import_basic",
    "library/io_write_lines",
    "builtins/input_lines.hl",
    "collections/list_sort_large.hl",
    "collections/map_colliding_string_hashes.hl",
    "classes/to_string_throws.hl",
    "closures/bound_method_with_parameters.hl",
    "interfaces/call_dispatches_to_class.hl",
    "bytecode/valid/loop_locals.hlasm",
    "generics/equality_floats.hl",          # two boxes of nan are not one box
)
BENCH = ("fib", "binarytrees")


def _subjects():
    out = []
    for name in SAMPLE:
        found = conformance_subjects(name)
        assert len(found) == 1, f"{name}: {len(found)} conformance tests"
        out.append(pytest.param(found[0], id=name))
    for name in BENCH:
        found = bench_subjects(name)
        assert len(found) == 1, name
        out.append(pytest.param(found[0], id=found[0].name))
    return out


@pytest.mark.parametrize("subject", _subjects())
def test_resumed_runs_end_as_uninterrupted_ones(subject, tmp_path):
    r = run_subject(subject, Settings(points=2, special=True, tiers=DEFAULT_TIERS), Workspace(tmp_path))
    assert not r.error, r.error
    assert not r.failures, "\n".join(r.failures)
    assert r.comparisons >= 2 * len(DEFAULT_TIERS) or r.events < 4, (r.points, r.unsuspended)


# Programs whose points once gave other bytes in compiled code than in the
# interpreter: a branch fused into the compare before a call, a forward JMP
# at a loop's target, a stop due at main's own call, a nan, boxes of small
# ints, a deep quicksort, closures and collections.
SAME_BYTES = (
    "closures/capture_evaluated_at_creation.hl",
    "control/unreachable_allowed.hl",
    "functions/main_calls_itself.hl",
    "stdlib/math_functions_exact.hl",
    "collections/list_index_of.hl",
    "collections/map_word_count.hl",
    "program/sorting.hl",
)


@pytest.mark.parametrize("name", SAME_BYTES)
def test_every_point_gives_the_same_snapshot_in_every_tier(name, tmp_path):
    from tests.snapshots.probe import InProcess, probe
    from tests.snapshots.run import same_bytes
    s, = conformance_subjects(name)
    ws = Workspace(tmp_path)
    program = InProcess(s, ws)
    events = probe(s, ws, program).events
    points = range(1, events) if events <= 150 else range(1, events, events // 60)
    bad = [f"@{n}: {d}" for n in points if (d := same_bytes(program, n))]
    assert not bad, "\n".join(bad)
