"""Helpers for the verifier's tests: hand-made modules (with the assembler
of tests/vm/asm.py) and assertions on the error they must raise.

`module(code, ...)` builds module `t` whose function `f` has `code`, plus a
trivial `main`; `bad_at(b, code)` is the pc of the label `bad:` in `code`;
`rejects(mods_or_builder, function, pc, text)` loads into a fresh VM and
checks the VerifyError's function, pc and detail, and that `verify_modules`
alone (without the linker) raises the same error.
"""

from __future__ import annotations

import io
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "vm"))

from asm import ModBuilder, make_lang  # noqa: E402

from hlbc import LoadError  # noqa: E402
from hlbc import model as M  # noqa: E402
from hllvm import VM, VerifyError  # noqa: E402
from hllvm.verify import verify_modules  # noqa: E402

__all__ = ["ModBuilder", "make_lang", "M", "module", "bad_at", "rejects", "unresolved", "accepts",
           "with_function", "with_class", "VerifyError", "LoadError", "VM"]


def module(code, params=(), ret="V", locals_=(), handlers=(), name="f") -> ModBuilder:
    b = ModBuilder("t")
    b.func(name, list(params), ret, list(params) + list(locals_), code, handlers=handlers)
    if name != "main":
        b.func("main", [], "V", [], [("RET",)])
    return b


def bad_at(b: ModBuilder, code, label: str = "bad") -> int:
    _raw, labels, _lines = b.assemble(code)
    return labels[label]


def _descs(mods) -> list:
    return [mods.build()] if isinstance(mods, ModBuilder) else list(mods)


def _load(mods):
    vm = VM(stdout=io.StringIO(), stderr=io.StringIO())
    vm.load([make_lang(), *_descs(mods)])
    return vm


def rejects(mods, function, pc, text: str) -> VerifyError:
    """Loading `mods` (a builder or a list of descriptors, after lang) fails
    verification in `function` (None: a module-level problem of module t) at
    `pc` with `text` in the detail."""
    with pytest.raises(VerifyError) as e:
        _load(mods)
    err = e.value
    assert (err.function, err.pc) == (function, pc), str(err)
    assert text in err.detail, str(err)
    where = function if function is not None else "module t"
    assert str(err).startswith(f"VerifyError: in {where}" + (f" at pc {pc}" if pc is not None else "") + ": ")
    # The verifier alone finds it (the linker may trust what it lets through).
    with pytest.raises(VerifyError) as alone:
        verify_modules([make_lang(), *_descs(mods)], (), VM().native_signature)
    assert str(alone.value) == str(err)
    return err


def unresolved(mods, text: str, where: str | None = None) -> LoadError:
    """Loading fails with a linkage error (LoadError) mentioning `text`."""
    with pytest.raises(LoadError) as e:
        _load(mods)
    assert text in str(e.value), str(e.value)
    if where is not None:
        assert where in str(e.value), str(e.value)
    return e.value


def accepts(mods):
    return _load(mods)


def with_function(m: M.ModuleDesc, name: str, **changes) -> M.ModuleDesc:
    fs = [f.replace(**changes) if f.name == name else f for f in m.functions]
    return m.replace(functions=tuple(fs))


def with_class(m: M.ModuleDesc, name: str, **changes) -> M.ModuleDesc:
    cs = [c.replace(**changes) if c.name == name else c for c in m.classes]
    return m.replace(classes=tuple(cs))
