"""The VM's fuzz harness: mutated bytecode in, never a crash out.

`corpus` compiles the seed programs (conformance suite, examples,
benchmarks), `mutate` damages one module of a program (bytes, or
descriptors re-serialised with a valid checksum), `harness` runs one mutant
through the reader, the verifier, the linker and the interpreter under a
budget and says how it ended, and `run` is the command:

    python -m tests.fuzz.run --inputs 200000 --seed 1

`test_fuzz_vm.py` runs a short, fixed-seed campaign as part of pytest.
"""
