"""Robustness: random token soup and mutations of real programs must give a
`CompileError` or a compiled program, never any other exception (and never
an internal compiler error)."""

from __future__ import annotations

import glob
import random
import re
import time
from pathlib import Path

from compiler import CompileError, compile_source

HERE = Path(__file__).resolve()
CORPUS = sorted(glob.glob(str(HERE.parents[2] / "bench" / "programs" / "*.hl"))) + sorted(glob.glob(str(HERE.parents[1] / "conformance" / "**" / "*.hl"), recursive=True))

_TOKEN = re.compile(r'\s+|//[^\n]*|/\*.*?\*/|"(?:[^"\\\n]|\\.)*"|\d[\w.]*|\w+|\.\.|[<>=!]=|&&|\|\||<<=?|>>=?|[-+*/%&|^]=|.', re.S)
_SOUP = ["(", ")", "{", "}", "[", "]", ";", ",", ".", "..", ":", "->", "=", "+=", "+", "-", "*", "/", "%", "!", "~",
         "&&", "||", "==", "<", "<<", "as", "is", "new", "fn", "class", "extends", "init", "let", "var", "if", "else",
         "while", "for", "in", "null", "self", "super", "0", "1.5", "0xFF", "9223372036854775808", '"x"', '"\\q"',
         "return", "break", "continue", "try", "catch", "finally", "throw", "import", "int", "float", "string", "bool",
         "void", "x", "y", "main", "Error", "println", "str", "true", "/*", "*/", "//", "\n", "é", "\\", "\x00",
         # Part B
         "interface", "implements", ">", ">>", ">=", "T", "U", "Box", "<T>", "<int>", "fn(int) -> int", "fn()",
         "hash", "equals", "eprintln"]
_EDITS = "\"'\\/*{}()[];.\x00é\n"


def _check(src: str, failures: list) -> bool:
    try:
        compile_source(src)
        return True
    except CompileError as e:
        if getattr(e, "internal", False):
            failures.append((src, e.format()))
        return False
    except Exception as e:       # noqa: BLE001 - exactly what this test looks for
        failures.append((src, f"{type(e).__name__}: {e}"))
        return False


def _mutate(rng: random.Random, text: str) -> str:
    toks = _TOKEN.findall(text)
    for _ in range(rng.randint(1, 4)):
        if not toks:
            break
        i = rng.randrange(len(toks))
        kind = rng.randrange(6)
        if kind == 0:
            del toks[i]
        elif kind == 1:
            toks.insert(i, rng.choice(toks))
        elif kind == 2:
            j = rng.randrange(len(toks))
            toks[i], toks[j] = toks[j], toks[i]
        elif kind == 3:
            toks[i] = rng.choice(_SOUP)
        elif kind == 4:
            flat = "".join(toks)
            p = rng.randrange(len(flat) + 1)
            toks = [flat[:p] + rng.choice(_EDITS) + flat[p:]]
        else:
            del toks[i:i + rng.randint(1, 8)]
    return "".join(toks)


def test_mutations_of_real_programs():
    assert CORPUS
    texts = [Path(p).read_text(encoding="utf-8") for p in CORPUS]
    rng = random.Random(20261126)
    failures: list = []
    compiled = 0
    start = time.monotonic()
    n = 0
    while n < 3000 and time.monotonic() - start < 15:
        compiled += _check(_mutate(rng, rng.choice(texts)), failures)
        n += 1
    assert not failures, failures[:3]
    assert n >= 500 and compiled > 0     # some mutants must get through to code generation


def test_token_soup():
    rng = random.Random(7)
    failures: list = []
    start = time.monotonic()
    n = 0
    while n < 1500 and time.monotonic() - start < 5:
        prefix = rng.choice(["", "fn main() { ", "class C { ", "fn f(a: int) -> int { ", "interface I<T> { ",
                             "class Box<T> { v: T; fn get() -> T { return self.v; } }\nfn main() { ",
                             "fn g<T>(x: T) -> T { let f = fn(y: T) -> T { "])
        _check(prefix + " ".join(rng.choice(_SOUP) for _ in range(rng.randint(0, 40))), failures)
        n += 1
    assert not failures, failures[:3]


def test_statement_shuffles_type_check_without_crashing():
    """Well-formed but mostly ill-typed programs: statements of the corpus
    moved into other functions exercise the checker and codegen."""
    stmts = []
    for p in CORPUS[:200]:
        for line in Path(p).read_text(encoding="utf-8").splitlines():
            s = line.strip()
            if s.endswith(";") and not s.startswith(("import", "//")):
                stmts.append(s)
    rng = random.Random(3)
    failures: list = []
    start = time.monotonic()
    n = 0
    while n < 800 and time.monotonic() - start < 5:
        body = "\n".join(rng.choice(stmts) for _ in range(rng.randint(1, 6)))
        decls = "class P { x: int; fn m() -> int { return 1; } }\nlet xs = [1, 2];\n"
        _check(decls + "fn main(args: string[]) {\n" + body + "\n}\n", failures)
        n += 1
    assert not failures, failures[:3]
