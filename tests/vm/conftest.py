import io
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from asm import ModBuilder, make_lang  # noqa: E402

from hllvm import VM  # noqa: E402


class Run:
    def __init__(self, status, out, err, vm):
        self.status, self.out, self.err, self.vm = status, out, err, vm


def run_module(b: ModBuilder, args=(), stdin="", extra_modules=(), **opts) -> Run:
    out, err = io.StringIO(), io.StringIO()
    vm = VM(stdout=out, stderr=err, stdin=io.StringIO(stdin), **opts)
    vm.load([make_lang(), *extra_modules, b.build()])
    status = vm.run_main(b.name, list(args))
    return Run(status, out.getvalue(), err.getvalue(), vm)


def expr_module(code, ret="I", locals_=(), handlers=()) -> ModBuilder:
    """A module whose function `f()` runs `code` (which must return a `ret`)."""
    b = ModBuilder("t")
    b.func("f", [], ret, list(locals_), code, handlers=handlers)
    b.func("main", [], "V", [], [("RET",)])
    return b


def eval_code(code, ret="I", locals_=(), handlers=(), **opts):
    b = expr_module(code, ret, locals_, handlers)
    vm = VM(stdout=io.StringIO(), stderr=io.StringIO(), **opts)
    vm.load([make_lang(), b.build()])
    return vm.call("t", "f")


@pytest.fixture
def lang():
    return make_lang()
