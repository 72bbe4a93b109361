"""Differential testing of the execution tiers: random programs, every tier, outputs compared.

`gen` writes random well-typed, terminating HL programs that print what they
compute; `run` compiles each once, runs it in each tier (`off`, `auto`,
`eager`; some also under gc stress) and reports any difference in standard
output, standard error or exit status, with a reduced program:

    python -m tests.difftest.run --programs 10000 --seed 0 --keep difftest-out

`test_difftest.py` runs a short, fixed-seed campaign as part of pytest.
docs/testing-tiers.md says how to run a long one and read its report.
"""
