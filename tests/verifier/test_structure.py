"""Structural checks of code (structure.py) — operands, branch targets,
handler ranges — and the linkage checks the verifier makes while resolving
constants (LoadError: a name that resolves to nothing, as in the JVM)."""

import pytest

from hlbc.code import encode
from vhelp import M, accepts, bad_at, module, rejects, unresolved, with_function


def check(code, text, **kw):
    b = module(code, **kw)
    rejects(b, "f", bad_at(b, code), text)


def raw(code_items, consts_from=None, **kw):
    """Module t whose f has exactly these encoded instructions (raw operands)."""
    b = module([("RET",)], **kw)
    m = b.build()
    return with_function(m, "f", code=encode(code_items))


# --- operands ---------------------------------------------------------------------------

def test_local_out_of_range():
    check([("ICONST", 1), ("STORE", 0), "bad:", ("LOAD", 5), ("POP",), ("RET",)],
          "LOAD: local 5 out of range (1 locals)", locals_=["I"])


def test_local_out_of_range_in_dead_code():
    check([("RET",), "bad:", ("STORE", 9), ("RET",)], "STORE: local 9 out of range (0 locals)")


def test_branch_target_inside_an_instruction():
    check([("BCONST", 1), "bad:", ("JT", 3), ("ICONST", 1), ("POP",), ("RET",)],
          "JT target 3 is not an instruction start")


def test_branch_target_past_the_end():
    check(["bad:", ("JMP", 1000), ("RET",)], "JMP target 1000 is not an instruction start")


def test_constant_index_out_of_range_is_a_linkage_error():
    m = raw([("SCONST", 99), ("POP",), ("RET",)])
    unresolved([m], "SCONST: constant 99 out of range", where="t.f at pc 0")


def test_constant_of_the_wrong_kind_is_a_linkage_error():
    b = module([("ICONST", 5), ("POP",), ("RET",)])
    m = b.build()
    m = with_function(m, "f", code=encode([("SCONST", 0), ("POP",), ("RET",)]))
    unresolved([m], "SCONST: constant 0 is a int, expected a string")


def test_unknown_opcode_in_hand_built_code():
    b = module([("RET",)])
    unresolved([with_function(b.build(), "f", code=b"\xfe")], "unknown opcode 0xfe")


def test_truncated_instruction_in_hand_built_code():
    b = module([("RET",)])
    unresolved([with_function(b.build(), "f", code=b"\x01\x00")], "truncated ICONST")


# --- handler ranges -----------------------------------------------------------------------

H = ["s:", ("ICONST", 1), ("POP",), "e:", ("RET",), "h:", ("POP",), ("RET",)]


def handler_case(start, end, handler, text):
    b = module(H, handlers=[("s", "e", "h", None)])
    m = b.build()
    f = next(f for f in m.functions if f.name == "f")
    h = f.handlers[0]
    fix = {"start": start(h), "end": end(h), "handler": handler(h)}
    m = with_function(m, "f", handlers=(M.Handler(fix["start"], fix["end"], fix["handler"], h.klass),))
    rejects([m], "f", None, text)


def test_handler_start_inside_an_instruction():
    handler_case(lambda h: h.start + 1, lambda h: h.end, lambda h: h.handler, "start 1 is not an instruction start")


def test_handler_end_inside_an_instruction():
    handler_case(lambda h: h.start, lambda h: h.start + 2, lambda h: h.handler, "end 2 is not an instruction boundary")


def test_handler_range_past_the_code():
    handler_case(lambda h: h.start, lambda h: 500, lambda h: h.handler, "end 500 is not an instruction boundary")


def test_handler_range_reversed():
    handler_case(lambda h: h.end, lambda h: h.start, lambda h: h.handler, "empty range")


def test_handler_entry_inside_an_instruction():
    handler_case(lambda h: h.start, lambda h: h.end, lambda h: h.start + 2, "handler 2 is not an instruction start")


def test_handler_range_may_end_at_the_end_of_code():
    code = ["s:", ("ICONST", 1), ("POP",), ("JMP", "x"), "h:", ("POP",), "x:", ("RET",), "e:"]
    b = module(code[:-1], handlers=[])
    m = b.build()
    f = next(f for f in m.functions if f.name == "f")
    _raw, labels, _ = b.assemble(code)
    m = with_function(m, "f", handlers=(M.Handler(0, len(f.code), labels["h"], M.NO_INDEX),))
    accepts([m])


def test_handlers_may_not_cover_the_code_many_times_over():
    b = module(H)
    m = b.build()
    _raw, labels, _ = b.assemble(H)
    hs = tuple(M.Handler(0, labels["e"], labels["h"], M.NO_INDEX) for _ in range(2500))
    rejects([with_function(m, "f", handlers=hs)], "f", None, "exception handlers cover too much code")


def test_handler_class_is_a_class_constant():
    b = module(H, handlers=[("s", "e", "h", None)])
    m = b.build()
    f = next(f for f in m.functions if f.name == "f")
    h = f.handlers[0]
    ints = [i for i, c in enumerate(m.consts) if c.kind == M.K_INT]
    m = with_function(m, "f", handlers=(M.Handler(h.start, h.end, h.handler, ints[0]),))
    unresolved([m], "is not a class")


# --- names that do not resolve (LoadError) --------------------------------------------------

@pytest.mark.parametrize("code,text", [
    ([("NEW", ("lang", "Nope")), ("POP",), ("RET",)], "unknown class lang.Nope"),
    ([("NULL",), ("GETFIELD", (("lang", "Error"), "nope", "S")), ("POP",), ("RET",)],
     "class lang.Error has no field nope"),
    ([("NULL",), ("GETFIELD", (("lang", "Error"), "message", "I")), ("POP",), ("RET",)],
     "field lang.Error.message has type S, not I"),
    ([("NULL",), ("CALLVIRT", (("lang", "Error"), "nope", "()V")), ("RET",)], "class lang.Error has no method nope"),
    ([("NULL",), ("CALLVIRT", (("lang", "Error"), "to_string", "()I")), ("POP",), ("RET",)],
     "lang.Error.to_string has signature ()S, not ()I"),
    ([("CALL", ("t", "nope", "()V")), ("RET",)], "unknown function t.nope"),
    ([("CALL", ("t", "main", "()I")), ("POP",), ("RET",)], "t.main has signature ()V, not ()I"),
    ([("GGET", ("t", "nope", "I")), ("POP",), ("RET",)], "unknown global t.nope"),
    ([("CALLNATIVE", ("lang.nope", "()V")), ("RET",)], "unknown native lang.nope"),
    ([("ICONST", 1), ("CALLNATIVE", ("lang.println", "(I)V")), ("RET",)],
     "native lang.println has signature (S)V, not (I)V"),
    ([("ICONST", 1), ("NEWARRAY", "Lnope.X;"), ("POP",), ("RET",)], "unknown class nope.X"),
    ([("ICONST", 1 << 64), ("POP",), ("RET",)], "out of range"),
])
def test_unresolved_names(code, text):
    b = module(code)
    unresolved(b, text, where="t.f at pc")


def test_global_of_another_type():
    b = module([("FCONST", 1.0), ("GSET", ("t", "g", "F")), ("RET",)])
    b.global_("g", "I")
    unresolved(b, "global t.g has type I, not F")


def test_unknown_class_in_a_local_type():
    unresolved(module([("RET",)], locals_=["Lnope.X;"]), "unknown class nope.X", where="t.f")
