"""Differential suspend/resume (docs/snapshots.md): every program, stopped at
chosen points by `hll run --snapshot-after N` and finished by `hll resume` in
a new process, must print and end exactly as it does uninterrupted.

    subjects.py   the programs (conformance tests, bench workloads) and
                  their command lines
    probe.py      an instrumented in-process run: a program's events and
                  the points worth stopping at
    compare.py    one program stopped at one point, in one pair of tiers,
                  against its uninterrupted run
    run.py        the sweep's command line (`python -m tests.snapshots.run`)

The pytest files beside them (test_snapshot_*.py) run a fixed sample and
targeted cases.
"""
