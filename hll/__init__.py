"""The `hll` command: the tool that drives the compiler and the VM.

It is the only package that imports both `compiler` and `hllvm`; they meet
nowhere else (the VM sees only bytecode modules).
"""
