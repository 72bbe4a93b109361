"""The HL assembler (hll/hlasm.py) used by the bytecode conformance tests:
operands of every kind, raw pool indices and bytes, vtables, errors in the
assembly text, and the byte edits of `corrupt:`."""

from __future__ import annotations

import zlib

import pytest

from hlbc import model as M
from hlbc import read_module, write_module
from hlbc.code import decode
from hlbc.opcodes import TABLE
from hll import hlasm

SAMPLE = {
    "local": "0", "u8": "1", "target": "top", "int": "5", "float": "1.5", "string": '"s"',
    "type": "I", "class": "P", "field": "P.x I", "method": "P.m ()V", "func": "t.f ()V",
    "global": "t.G I", "native": "lang.println (S)V",
}


def test_every_instruction_assembles_and_decodes():
    body = "\n".join(f"  {d.name} {' '.join(SAMPLE[k] for k in d.operands)}" for d in TABLE)
    text = f"global G I\nclass P\n  field x I\nend\nfunc f ()V\ntop:\n{body}\nend\n"
    mod = hlasm.assemble(text)
    got = [i.op.name for i in decode(mod.functions[0].code)]
    assert got == [d.name for d in TABLE]
    assert read_module(write_module(mod)) == mod


def test_pool_labels_and_raw_forms():
    mod = hlasm.assemble("""
        const int 7            ; #0
        const field P.x I      ; #1 (its class constant comes after it)
        class P
          field x I
        end
        func main ()V
          locals Lt.P; I
          max_stack 3
          line 4
        top:
          ICONST #0
          SCONST "caf\\u00e9"
          JMP top+1
          bytes 0xff 01
          handler top top+5 top any
        end
    """)
    assert mod.consts[0] == M.Const(M.K_INT, 7)
    assert mod.consts[1].kind == M.K_FIELD and mod.consts[mod.consts[1].value[0]] == M.Const(M.K_CLASS, ("t", "P"))
    f = mod.functions[0]
    assert f.locals == ("Lt.P;", "I") and f.max_stack == 3
    assert f.code[:5] == bytes([0x01, 0, 0, 0, 0])
    assert f.code[10:15] == bytes([0x39, 1, 0, 0, 0]) and f.code[-2:] == b"\xff\x01"
    assert "café" in [c.value for c in mod.consts]
    assert f.handlers == (M.Handler(0, 5, 0, M.NO_INDEX),) and f.lines == (M.LineEntry(0, 4, 1),)


def test_vtables_are_computed_with_overrides_in_place():
    mod = hlasm.assemble("""
        class A
        end
        class B extends A
        end
        method A.m ()V
          RET
        end
        method A.n ()V
          RET
        end
        method B.n ()V
          RET
        end
        method B.o ()V
          RET
        end
    """)
    a, b = mod.classes
    cls = lambda i: mod.consts[i].value[1]   # noqa: E731
    assert [(s.name, cls(s.impl)) for s in a.vtable] == [("m", "A"), ("n", "A")]
    assert [(s.name, cls(s.impl)) for s in b.vtable] == [("m", "A"), ("n", "B"), ("o", "B")]
    assert b.methods == (("n", 2), ("o", 3))


@pytest.mark.parametrize("text, message", [
    ("func f ()V\n  FROB\nend", "unknown instruction"),
    ("func f ()V\n  JMP nowhere\nend", "unknown label"),
    ("func f ()V\n  ICONST\nend", "needs operands"),
    ("func f ()V\n  RET 3\nend", "unexpected operands"),
    ("func f ()V\n  RET", "has no end"),
    ("method Q.m ()V\nend", "no class Q"),
    ("bogus", "unknown directive"),
])
def test_assembly_mistakes_are_reported_with_their_line(text, message):
    with pytest.raises(hlasm.AsmError, match=message):
        hlasm.assemble(text)


def test_corrupt_edits():
    data = b"HLBC" + bytes(range(8))
    data += zlib.crc32(data).to_bytes(4, "little")
    assert hlasm.corrupt(data, "set 0 58")[:4] == b"XLBC"
    assert hlasm.corrupt(data, "xor 4 ff")[4] == 0xFF
    assert hlasm.corrupt(data, "truncate -4") == data[:-4]
    grown = hlasm.corrupt(data, "insert -4 aa bb; fix-checksum")
    assert grown[:-4] == data[:-4] + b"\xaa\xbb"
    assert int.from_bytes(grown[-4:], "little") == zlib.crc32(grown[:-4])
    with pytest.raises(ValueError):
        hlasm.corrupt(data, "smash 3")


def test_interfaces_abstract_methods_and_computed_itables():
    mod = hlasm.assemble("""
        interface Shape
        end
        interface Named extends Shape
        end
        abstract Shape.area ()F
        end
        abstract Named.name ()S
        end
        class Base implements Named
        end
        class Circle extends Base implements Shape
        end
        method Base.area ()F
          FCONST 1.0
          RETV
        end
        method Base.name ()S
          SCONST "b"
          RETV
        end
    """)
    shape, named, base, circle = mod.classes
    cls = lambda i: mod.consts[i].value[1]   # noqa: E731
    assert shape.flags == named.flags == M.C_INTERFACE and base.flags == 0
    assert shape.vtable == () and shape.itable == () and [cls(i) for i in named.interfaces] == ["Shape"]
    area = mod.functions[0]
    assert area.flags == M.F_METHOD | M.F_ABSTRACT and area.code == b"" and area.max_stack == 0
    assert area.locals == ("Lt.Shape;",) and area.owner == 0
    assert [(cls(e.iface), e.name, e.impl) for e in base.itable] == [("Named", "name", "name"),
                                                                    ("Shape", "area", "area")]
    # Circle's own Shape first, then what Base brings (Shape again: listed once).
    assert [(cls(e.iface), e.name) for e in circle.itable] == [("Shape", "area"), ("Named", "name")]
    assert read_module(write_module(mod)) == mod


def test_written_itables_and_class_flags():
    mod = hlasm.assemble("""
        interface I
        end
        abstract I.m ()V
        end
        class A implements I
          itable I.m other
          flags 0
        end
        class B implements I
          itable
        end
    """)
    a, b = mod.classes[1:]
    assert [(e.name, e.impl) for e in a.itable] == [("m", "other")]
    assert b.itable == () and len(b.interfaces) == 1


def test_part_b_operands_and_function_type_signatures():
    mod = hlasm.assemble("""
        func add (II)I
          LOAD 0
          LOAD 1
          IADD
          RETV
        end
        func apply ((I)I[R)R
          LOAD 0
          ICONST 1
          CALLFN (I)I
          BOXI
          RETV
        end
        func main ()V
          ICONST 2
          CLOSURE add (II)I 1
          NULL
          CAST [Lt.P;
          POP
          POP
          RET
        end
    """)
    add, apply, main = mod.functions
    assert apply.params == ("(I)I", "[R") and apply.ret == "R" and apply.locals == ("(I)I", "[R")
    ins = decode(main.code)
    assert [i.op.name for i in ins][:4] == ["ICONST", "CLOSURE", "NULL", "CAST"]
    func, k = ins[1].args
    assert mod.consts[func].value == ("t", "add", "(II)I") and k == 1
    assert mod.consts[ins[3].args[0]] == M.Const(M.K_TYPE, "[Lt.P;")
    assert read_module(write_module(mod)) == mod


@pytest.mark.parametrize("header", ["class", "class A extends", "class A implements",
                                    "class A frob B", "interface I implements J"])
def test_bad_class_headers(header):
    with pytest.raises(hlasm.AsmError, match="class NAME"):
        hlasm.assemble(header + "\nend\n")
