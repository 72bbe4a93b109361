"""One negative test per data-flow rule (flow.py): stack depth and max stack,
falling off the end, joins (depths, types, locals), definite assignment,
handlers (entry stack, locals seen, stack slot), the class join, and the
bound on the analysis's work."""

import pytest

from vhelp import accepts, bad_at, module, rejects, with_function

NULLERR = ("lang", "NullError")
INDEXERR = ("lang", "IndexError")


def check(code, text, **kw):
    b = module(code, **kw)
    rejects(b, "f", bad_at(b, code), text)


def err(cls):
    """A new, initialised instance of a lang error class."""
    return [("NEW", cls), ("DUP",), ("SCONST", "m"), ("CALLSPECIAL", (cls, "init", "(S)V"))]


def test_stack_underflow():
    check([("ICONST", 1), "bad:", ("IADD",), ("POP",), ("RET",)], "IADD needs 2 operands, the stack has 1")


def test_pop_of_empty_stack():
    check(["bad:", ("POP",), ("RET",)], "POP needs 1 operands, the stack has 0")


def test_max_stack_respected():
    code = [("ICONST", 1), "bad:", ("ICONST", 2), ("IADD",), ("POP",), ("RET",)]
    b = module(code)
    m = with_function(b.build(), "f", max_stack=1)
    rejects([m], "f", bad_at(b, code), "stack depth 2 exceeds max stack 1")


def test_code_falls_off_its_end():
    check([("ICONST", 1), "bad:", ("POP",)], "code falls off its end")


def test_branch_falls_off_its_end():
    check(["top:", ("BCONST", 1), "bad:", ("JT", "top")], "code falls off its end")


def test_join_with_different_depths():
    check([("BCONST", 1), ("JF", "x"), "bad:", ("ICONST", 1), "x:", ("RET",)],
          "stack depth 1 disagrees with depth 0 on another path to pc")


def test_join_with_incompatible_types():
    check([("BCONST", 1), ("JF", "o"), ("ICONST", 1), ("JMP", "j"), "o:", "bad:", ("FCONST", 1.0), "j:",
           ("POP",), ("RET",)], "stack slot 0 is float here but int on another path to pc")


def test_loop_that_grows_the_stack():
    check(["top:", ("ICONST", 1), ("BCONST", 1), "bad:", ("JT", "top"), ("POP",), ("RET",)],
          "stack depth 1 disagrees with depth 0 on another path to pc 0")


def test_join_of_classes_is_their_common_superclass():
    # c ? new NullError : new IndexError, used as an Error: fine; as a NullError: not.
    head = [("BCONST", 1), ("JF", "o")] + err(NULLERR) + [("JMP", "j"), "o:"] + err(INDEXERR) + ["j:"]
    accepts(module(head + [("GETFIELD", (("lang", "Error"), "message", "S")), ("POP",), ("RET",)]))
    code = head + ["bad:", ("STORE", 0), ("RET",)]
    check(code, "expected lang.NullError, found lang.Error", locals_=["Llang.NullError;"])


def test_join_of_unrelated_references_is_unusable_as_either():
    code = [("BCONST", 1), ("JF", "o")] + err(NULLERR) + [("JMP", "j"), "o:", ("SCONST", "s"), "j:",
                                                          "bad:", ("SLEN",), ("POP",), ("RET",)]
    check(code, "expected string, found reference")


def test_join_with_null_keeps_the_class():
    accepts(module([("BCONST", 1), ("JF", "o")] + err(NULLERR) + [("JMP", "j"), "o:", ("NULL",), "j:",
                   ("STORE", 0), ("RET",)], locals_=["Llang.NullError;"]))


def test_local_read_before_written():
    check(["bad:", ("LOAD", 0), ("POP",), ("RET",)], "local 0 is read before it is written", locals_=["I"])


def test_local_written_on_one_path_only():
    check([("BCONST", 1), ("JF", "s"), ("ICONST", 5), ("STORE", 0), "s:", "bad:", ("LOAD", 0), ("POP",),
           ("RET",)], "local 0 is read before it is written", locals_=["I"])


def test_parameters_are_assigned_at_entry():
    accepts(module([("LOAD", 0), ("LOAD", 1), ("IADD",), ("POP",), ("RET",)], params=["I", "I"]))


def test_handler_sees_locals_assigned_before_every_covered_instruction():
    code = ["s:", ("ICONST", 7), ("ICONST", 0), ("IDIV",), ("STORE", 0), "e:", ("RET",),
            "h:", ("POP",), "bad:", ("LOAD", 0), ("POP",), ("RET",)]
    check(code, "local 0 is read before it is written", locals_=["I"], handlers=[("s", "e", "h", None)])
    ok = [("ICONST", 1), ("STORE", 0)] + code
    accepts(module(ok, locals_=["I"], handlers=[("s", "e", "h", None)]))


def test_handler_entry_stack_is_the_caught_class():
    body = ["s:", ("ICONST", 1), ("ICONST", 0), ("IDIV",), ("POP",), "e:", ("RET",), "h:"]
    accepts(module(body + [("GETFIELD", (("lang", "Error"), "message", "S")), ("POP",), ("RET",)],
                   handlers=[("s", "e", "h", NULLERR)]))
    check(body + [("ICONST", 1), "bad:", ("IADD",), ("POP",), ("RET",)], "expected int, found lang.NullError",
          handlers=[("s", "e", "h", NULLERR)])
    check(body + [("ICONST", 1), "bad:", ("IADD",), ("POP",), ("RET",)], "expected int, found lang.Error",
          handlers=[("s", "e", "h", None)])


def test_handler_entry_starts_with_one_value():
    check(["s:", ("NOP",), "e:", ("RET",), "h:", ("POP",), "bad:", ("POP",), ("RET",)],
          "POP needs 1 operands, the stack has 0", handlers=[("s", "e", "h", None)])


def test_handler_needs_a_stack_slot():
    code = ["s:", ("NOP",), "e:", ("RET",), "h:", "bad:", ("POP",), ("RET",)]
    b = module(code, handlers=[("s", "e", "h", None)])
    m = with_function(b.build(), "f", max_stack=0)
    rejects([m], "f", bad_at(b, code), "a handler needs a stack slot but max stack is 0")


def test_handler_class_must_be_an_error():
    b = module(["s:", ("NOP",), "e:", ("RET",), "h:", ("POP",), ("RET",)], handlers=[("s", "e", "h", "P")])
    b.cls("P")
    b.method("P", "init", [], "V", [], [("RET",)], init=True)
    rejects(b, "f", None, "handler: caught class t.P is not an Error")


def test_unreachable_code_is_not_type_checked():
    accepts(module([("RET",), ("IADD",), ("FADD",), ("JMP", "x"), "x:", ("POP",)]))


def test_handler_code_is_type_checked_even_if_never_entered():
    # The lowering runs every handler's code, so the verifier checks it too.
    check([("RET",), "s:", ("NOP",), "e:", ("RET",), "h:", "bad:", ("IADD",), ("RET",)],
          "IADD needs 2 operands, the stack has 1", handlers=[("s", "e", "h", None)])


def test_analysis_work_is_bounded(monkeypatch):
    from hllvm.verify import flow
    # One step per instruction: straight-line code passes, a loop (walked twice) does not.
    monkeypatch.setattr(flow, "STEPS_PER_INSTRUCTION", 1)
    monkeypatch.setattr(flow, "STEPS_BASE", 0)
    # The loop head's stack holds a NullError, then (joined) an Error: two passes.
    code = err(NULLERR) + ["top:", ("POP",), "bad:"] + err(INDEXERR) + [("JMP", "top")]
    check(code, "did not settle within 10 steps")


@pytest.mark.parametrize("depth", [1, 5])
def test_nested_loops_settle(depth):
    # while loops nested `depth` deep, each counting its own local to 3.
    code, locals_ = [], []
    for d in range(depth):
        locals_.append("I")
        code += [("ICONST", 0), ("STORE", d), f"t{d}:", ("LOAD", d), ("ICONST", 3), ("ILT",), ("JF", f"e{d}")]
    for d in reversed(range(depth)):
        code += [("LOAD", d), ("ICONST", 1), ("IADD",), ("STORE", d), ("JMP", f"t{d}"), f"e{d}:"]
    accepts(module(code + [("RET",)], locals_=locals_))


def test_max_stack_is_checked_at_every_push():
    code = [("ICONST", 1), ("ICONST", 2), ("ICONST", 3), "bad:", ("DUP2",), ("POP",), ("POP",), ("POP",),
            ("POP",), ("POP",), ("RET",)]
    b = module(code)
    m = with_function(b.build(), "f", max_stack=4)
    rejects([m], "f", bad_at(b, code), "stack depth 5 exceeds max stack 4")
    accepts([m.replace(functions=tuple(f.replace(max_stack=5) for f in m.functions))])
