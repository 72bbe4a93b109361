"""The VM's fuzz harness: mutated bytecode in, never a crash out.

`corpus` compiles the seed programs (conformance suite, examples,
benchmarks) and assembles the hand-written ones (the valid modules of
tests/conformance/bytecode/valid/, among them one that uses every Part B
instruction, interfaces and itables), `mutate` damages one module of a program
(bytes, or descriptors re-serialised with a valid checksum), `harness` runs
one mutant through the reader, the verifier, the linker and the interpreter
under a budget and says how it ended, and `run` is the command.

The full campaign (at least 200,000 inputs; about 15 minutes at 200 inputs
a second on one core), in the interpreter and with every verified mutant
compiled:

    python -m tests.fuzz.run --inputs 200000 --seed 1 --crash-dir fuzz-crashes
    python -m tests.fuzz.run --inputs 200000 --seed 2 --jit eager

The verifier alone, on the hand-written Part B seeds (fast, and
independent of what the rest of the VM runs yet):

    python -m tests.fuzz.run --inputs 200000 --seed 3 --corpus asm --stop verify --rounds 3

It exits 1 if any input crashed; each crash is written to the crash
directory with what was done to it, and is reproduced with the same --seed
and `--start N --inputs 1`.  `test_fuzz_vm.py` runs short, fixed-seed
campaigns as part of pytest.
"""
