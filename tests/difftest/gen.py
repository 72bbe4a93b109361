"""Random well-typed, terminating HL programs for differential testing.

`generate(seed, size)` returns the text of one program with `fn main()`,
a pure function of its arguments (same seed and size, same text).  The
program prints a labelled line for almost every value it computes, so that
two execution tiers that disagree anywhere disagree in their output.

What this module owns: the shape of a program (a random class hierarchy
with overridden methods, user error classes, globals, helper functions,
recursive functions, then "sections" — one function each — that main calls
in turn) and the typed expression and statement generators that fill them.
It does not run anything (`run.py` does).

Safety is by construction, so that every program compiles and ends the way
its header says (`// expect-status: N`, and for status 1 an uncaught
`Escape`):

- every loop is a counted `for` over a small range, a `while` whose counter
  is bumped first thing in the body (a `continue` cannot skip it), or a
  `for` over an array of known small length; nesting is at most two deep;
- recursion is bounded by masking the depth argument (`n & 15`); the one
  deliberate `StackOverflowError` is inside a `try` that catches it;
- an operation that may throw (`/` and `%` by a value that may be zero, an
  index that may be out of range, a failing `as`, a null receiver, a bad
  `parse_int`) appears only inside a `try` that catches that error; outside
  one, divisors are `(e | 1)` or non-zero literals and indices go through
  `wrap(i, n)` or are literals below a length known here;
- strings that are assigned in loops are cut to 48 code points, so no
  string grows without bound; object and array variables are `let` bound
  and never null, so their dynamic class and length are known here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .gen_partb import PartB

INT_EDGES = (
    "0", "1", "(-1)", "2", "3", "7", "10", "31", "32", "63", "64", "65", "100", "255", "1000",
    "65535", "2147483647", "2147483648", "(-2147483648)", "4294967295", "4294967296",
    "4611686018427387904", "9223372036854775807", "(-9223372036854775808)",
    "0x7FFFFFFFFFFFFFFF", "0xFFFFFFFFFFFFFFFF", "0x8000000000000000", "0b1010_1010",
    "1_000_000", "(-64)", "(-65)", "(-100)", "(1 << 62)", "(1 << 63)", "12345678901",
)
# Divisors that are never zero, INT_MIN's troublesome -1 among them.
NONZERO = ("1", "(-1)", "2", "3", "7", "(-7)", "10", "64", "1000", "9223372036854775807",
           "(-9223372036854775808)", "4294967296")
FLOAT_EDGES = (
    "0.0", "(-0.0)", "1.0", "(-1.0)", "0.5", "0.1", "2.5e-3", "1e9", "1e300", "(-1e300)",
    "1e-300", "5e-324", "1.7976931348623157e308", "3.0E+2", "123456.789",
    "0.30000000000000004", "(0.0 / 0.0)", "(1.0 / 0.0)", "(-1.0 / 0.0)", "math.INF",
    "math.PI", "math.E", "9.007199254740993e15", "(-2.5)",
)
STRINGS = (
    '""', '"a"', '"abc"', '"h\u00e9llo"', '"\\u{1F600}x"', '"tab\\tsep"', '"  pad  "',
    '"A-B-C"', '"0"', '"-12"', '"42"', '"9223372036854775807"', '"\u00fc"', '"\u4e2d\u6587"',
    '"a\\\\b"', '"q\\"q"', '"hello world"', '"x-y-z-"', '"lll"',
)
NEEDLES = ('"a"', '"-"', '"l"', '"b"', '" "', '"z"', '"\u00e9"')
PRIMS = ("int", "float", "bool", "string")
ARRAYS = ("int[]", "float[]", "string[]")
INT_BINOPS = ("+", "-", "*", "&", "|", "^", "<<", ">>", "+", "-", "*")
FLOAT_BINOPS = ("+", "-", "*", "/", "%")
CMP = ("<", "<=", ">", ">=", "==", "!=")
COMPOUND_INT = ("+=", "-=", "*=", "&=", "|=", "^=", "<<=", ">>=")
USER_ERRORS = ("E0", "E1", "E2")            # E1 extends E0; E2 extends ValueError
ENDINGS = ("normal", "normal", "normal", "status", "escape", "exit")


@dataclass
class Var:
    name: str
    type: str                      # "int", "K2", "int[]", ...
    mutable: bool = False
    length: int | None = None      # arrays: the length, known for every array bound here
    cls: str | None = None         # objects: the dynamic class, when known


@dataclass
class ClassDef:
    name: str
    parent: str | None
    fields: list[tuple[str, str]]                    # own fields (name, type)
    overrides: list[str] = field(default_factory=list)
    to_string: bool = False


# Methods every class has (the root defines them all; subclasses override
# some).  A method may call only methods earlier in this list on `self`, so
# calls terminate whatever overrides there are.
METHODS = (("m0", "x: int", "int"), ("m1", "x: int", "int"), ("fv", "y: float", "float"),
           ("name", "", "string"))


class Gen(PartB):
    def __init__(self, seed: int, size: int, light: bool = False):
        self.rng = random.Random(seed)
        self.seed, self.size, self.light = seed, size, light
        self.lines: list[str] = []
        self.indent = 0
        self.scopes: list[list[Var]] = []
        self.counter = 0
        self.label = 0
        self.loop_depth = 0
        self.in_loop = False
        self.methods_allowed: tuple[str, ...] = ()
        self.classes: list[ClassDef] = []
        self.globals: list[Var] = []
        self.int_funcs: list[tuple[str, int]] = []    # (name, arity) pure int helpers

    # --- output -------------------------------------------------------------------------

    def emit(self, text: str) -> None:
        self.lines.append("    " * self.indent + text)

    def open(self, head: str) -> None:
        self.emit(head + " {")
        self.indent += 1
        self.scopes.append([])

    def close(self, tail: str = "}") -> None:
        self.indent -= 1
        self.scopes.pop()
        self.emit(tail)

    def reopen(self, head: str) -> None:
        """`} else {`, `} catch e: T {`, `} finally {`: a new scope at the same depth."""
        self.scopes.pop()
        self.indent -= 1
        self.emit("} " + head + " {")
        self.indent += 1
        self.scopes.append([])

    def fresh(self, prefix: str = "v") -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def declare(self, v: Var) -> None:
        self.scopes[-1].append(v)

    def show(self, expr: str) -> None:
        """Print a value under a fresh label (labels locate a divergence)."""
        self.label += 1
        self.emit(f'println("L{self.label} " + str({expr}));')

    # --- what is in scope ---------------------------------------------------------------

    def visible(self, pred) -> list[Var]:
        out = [v for v in self.globals if pred(v)]
        for scope in self.scopes:
            out.extend(v for v in scope if pred(v))
        return out

    def pick_var(self, type_: str, mutable: bool = False) -> Var | None:
        vs = self.visible(lambda v: v.type == type_ and (v.mutable or not mutable))
        return self.rng.choice(vs) if vs else None

    def objects(self) -> list[Var]:
        return self.visible(lambda v: self.is_class(v.type))

    def is_class(self, t: str) -> bool:
        return any(c.name == t for c in self.classes)

    def cdef(self, name: str) -> ClassDef:
        return next(c for c in self.classes if c.name == name)

    def ancestors(self, name: str) -> list[str]:
        out = []
        c: str | None = name
        while c is not None:
            out.append(c)
            c = self.cdef(c).parent
        return out

    def descendants(self, name: str) -> list[str]:
        return [c.name for c in self.classes if name in self.ancestors(c.name)]

    def all_fields(self, cls: str) -> list[tuple[str, str]]:
        return [f for a in reversed(self.ancestors(cls)) for f in self.cdef(a).fields]

    # --- expressions --------------------------------------------------------------------

    def expr(self, t: str, d: int = 2) -> str:
        return {"int": self.int_expr, "float": self.float_expr, "bool": self.bool_expr,
                "string": self.str_expr}[t](d)

    def choose(self, options):
        """Call one of `(weight, thunk)` pairs, chosen by weight.  A thunk
        returns None where it does not apply (no variable of its type in
        scope, say), and then another is chosen."""
        options = list(options)
        while options:
            weights = [w for w, _ in options]
            i = self.rng.choices(range(len(options)), weights)[0]
            r = options[i][1]()
            if r is not None:
                return r
            options.pop(i)
        raise AssertionError("no option applies")

    def var_of(self, t: str):
        v = self.pick_var(t)
        return v.name if v else None

    def elem_of(self, t: str):
        """An element of an array of `t` in scope, by a safe index."""
        arrs = self.visible(lambda v: v.type == t + "[]")
        if not arrs:
            return None
        a = self.rng.choice(arrs)
        if a.length and self.rng.random() < 0.5:
            return f"{a.name}[{self.rng.randrange(a.length)}]"
        return f"{a.name}[wrap({self.int_expr(0)}, {a.name}.length)]"

    def field_of(self, t: str):
        objs = self.objects()
        self.rng.shuffle(objs)
        for o in objs:
            fs = [f for f, ft in self.all_fields(o.type) if ft == t]
            if fs:
                return f"{o.name}.{self.rng.choice(fs)}"
        return None

    def call_method(self, ret: str, d: int):
        """`o.m(...)` on an object in scope (a virtual call)."""
        ms = [m for m in METHODS if m[2] == ret and m[0] in self.methods_allowed]
        objs = self.objects()
        if not ms or not objs:
            return None
        name, params, _ = self.rng.choice(ms)
        o = self.rng.choice(objs).name
        arg = "" if not params else self.expr(params.split(": ")[1], d - 1)
        return f"{o}.{name}({arg})"

    def int_expr(self, d: int = 2) -> str:
        r = self.rng
        leaf = [(4, lambda: r.choice(INT_EDGES)), (5, lambda: self.var_of("int")),
                (1, lambda: str(r.randint(-50, 50)))]
        if d <= 0:
            return self.choose(leaf)
        e = lambda: self.int_expr(d - 1)
        return self.choose(leaf + [
            (6, lambda: f"({e()} {r.choice(INT_BINOPS)} {e()})"),
            (2, lambda: f"({e()} {r.choice('/%')} ({e()} | 1))"),
            (2, lambda: f"({e()} {r.choice('/%')} {r.choice(NONZERO)})"),
            (1, lambda: f"(-{e()})"), (1, lambda: f"(~{e()})"),
            (1, lambda: f"int({self.float_expr(d - 1)})"),
            (1, lambda: f"{self.str_atom(d - 1)}.length"),
            (1, lambda: f"{self.str_atom(d - 1)}.index_of({r.choice(NEEDLES)})"),
            (1, lambda: f"abs({e()})"), (1, lambda: f"{r.choice(('min', 'max'))}({e()}, {e()})"),
            (1, lambda: f"parse_int(str({e()}))"),
            (1, lambda: f"ord(chr(48 + ({e()} & 63)))"),
            (2, lambda: self.elem_of("int")), (2, lambda: self.field_of("int")),
            (1, lambda: self.array_length()),
            (2, lambda: self.call_method("int", d)),
            (2, lambda: self.call_int_func(d)),
            (1, lambda: "tick()"),
        ])

    def array_length(self):
        arrs = self.visible(lambda v: v.type.endswith("[]"))
        return f"{self.rng.choice(arrs).name}.length" if arrs else None

    def call_int_func(self, d: int):
        if not self.int_funcs:
            return None
        name, arity = self.rng.choice(self.int_funcs)
        return f"{name}({', '.join(self.int_expr(d - 1) for _ in range(arity))})"

    def float_expr(self, d: int = 2) -> str:
        r = self.rng
        leaf = [(4, lambda: r.choice(FLOAT_EDGES)), (4, lambda: self.var_of("float"))]
        if d <= 0:
            return self.choose(leaf)
        f = lambda: self.float_expr(d - 1)
        return self.choose(leaf + [
            (6, lambda: f"({f()} {r.choice(FLOAT_BINOPS)} {f()})"),
            (1, lambda: f"(-{f()})"),
            (2, lambda: f"float({self.int_expr(d - 1)})"),
            (1, lambda: f"math.{r.choice(('sqrt', 'floor', 'ceil', 'round', 'sin', 'exp', 'log'))}({f()})"),
            (1, lambda: f"{r.choice(('min', 'max'))}({f()}, {f()})"),
            (1, lambda: f"abs({f()})"),
            (2, lambda: self.elem_of("float")), (2, lambda: self.field_of("float")),
            (1, lambda: self.call_method("float", d)),
        ])

    def bool_expr(self, d: int = 2) -> str:
        r = self.rng
        leaf = [(2, lambda: r.choice(("true", "false"))), (2, lambda: self.var_of("bool"))]
        if d <= 0:
            return self.choose(leaf)
        b = lambda: self.bool_expr(d - 1)
        return self.choose(leaf + [
            (4, lambda: f"({self.int_expr(d - 1)} {r.choice(CMP)} {self.int_expr(d - 1)})"),
            (3, lambda: f"({self.float_expr(d - 1)} {r.choice(CMP)} {self.float_expr(d - 1)})"),
            (2, lambda: f"({self.str_expr(d - 1)} {r.choice(CMP)} {self.str_expr(d - 1)})"),
            (3, lambda: f"({b()} {r.choice(('&&', '||'))} {b()})"),
            (2, lambda: f"({b()} {r.choice(('&&', '||'))} probe({self.next_probe()}, {b()}))"),
            (1, lambda: f"(!{b()})"),
            (2, lambda: self.is_test()),
            (1, lambda: f"{self.str_atom(d - 1)}.{r.choice(('contains', 'starts_with', 'ends_with'))}"
                        f"({r.choice(NEEDLES + STRINGS)})"),
            (1, lambda: f"math.is_nan({self.float_expr(d - 1)})"),
            (1, lambda: self.identity_test()),
        ])

    def next_probe(self) -> int:
        self.label += 1
        return self.label

    def is_test(self):
        objs = self.objects()
        if not objs:
            return None
        o = self.rng.choice(objs)
        target = self.rng.choice(self.related(o.type))
        return f"({o.name} is {target})"

    def related(self, cls: str) -> list[str]:
        """Classes an `is`/`as` on static type `cls` may name (language.md A6)."""
        return sorted(set(self.ancestors(cls)) | set(self.descendants(cls)), key=lambda c: int(c[1:]))

    def identity_test(self):
        objs = self.objects()
        if len(objs) < 2:
            return None
        a, b = self.rng.sample(objs, 2)
        if a.type not in self.related(b.type):
            return None
        return f"({a.name} {self.rng.choice(('==', '!='))} {b.name})"

    def str_atom(self, d: int) -> str:
        return self.choose([(3, lambda: self.rng.choice(STRINGS)), (4, lambda: self.var_of("string")),
                            (1, lambda: f"({self.str_expr(d)})" if d > 0 else None)])

    def str_expr(self, d: int = 2) -> str:
        r = self.rng
        leaf = [(3, lambda: r.choice(STRINGS)), (4, lambda: self.var_of("string"))]
        if d <= 0:
            return self.choose(leaf)
        s = lambda: self.str_atom(d - 1)
        anyv = lambda: self.expr(r.choice(PRIMS), d - 1)
        return self.choose(leaf + [
            (4, lambda: f"({s()} + {anyv()})"), (2, lambda: f"({anyv()} + {s()})"),
            (2, lambda: f"str({anyv()})"),
            (2, lambda: f"{s()}.substring({self.int_expr(d - 1)}, {self.int_expr(d - 1)})"),
            (1, lambda: f"{s()}.substring({r.randint(-2, 5)}, {r.randint(0, 9)})"),
            (1, lambda: f"{s()}.{r.choice(('upper', 'lower', 'trim'))}()"),
            (1, lambda: f"{s()}.replace({r.choice(NEEDLES)}, {r.choice(STRINGS[:4])})"),
            (1, lambda: f"{s()}.repeat({r.randint(0, 3)})"),
            (1, lambda: f"char_at({s()}, {self.int_expr(d - 1)})"),
            (1, lambda: f"chr(65 + ({self.int_expr(d - 1)} & 31))"),
            (1, lambda: f"{r.choice(STRINGS[1:4])}[{r.randint(0, 0)}]"),
            (1, lambda: self.join_expr()),
            (2, lambda: self.elem_of("string")), (2, lambda: self.field_of("string")),
            (1, lambda: self.call_method("string", d)),
            (1, lambda: self.str_of_compound()),
        ])

    def join_expr(self):
        a = self.pick_var("string[]")
        return f'{self.rng.choice(NEEDLES)}.join({a.name})' if a else None

    def str_of_compound(self):
        """str() of an array or an object: element lists, to_string, <Class>."""
        vs = self.visible(lambda v: v.type.endswith("[]") or self.is_class(v.type))
        return f"str({self.rng.choice(vs).name})" if vs else None

    # --- statements ---------------------------------------------------------------------

    def block(self, n: int, depth: int) -> None:
        for _ in range(n):
            self.stmt(depth)

    def stmt(self, depth: int) -> None:
        r = self.rng
        options = [
            (5, self.s_decl), (4, self.s_print), (4, self.s_assign), (2, self.s_array_decl),
            (2, self.s_elem_assign), (2, self.s_object_decl), (2, self.s_field_assign),
            (1, self.s_bump), (2, self.s_risky), (1, self.s_global),
        ]
        if depth > 0:
            options += [(3, lambda: self.s_if(depth)), (2, lambda: self.s_try(depth))]
            if self.loop_depth < 2:
                options += [(3, lambda: self.s_for(depth)), (2, lambda: self.s_while(depth)),
                            (1, lambda: self.s_foreach(depth))]
        if self.in_loop:
            options += [(1, self.s_break_continue)]
        self.choose([(w, (lambda f=f: f() or True)) for w, f in options])

    def s_decl(self):
        t = self.rng.choice(PRIMS)
        name = self.fresh()
        mut = self.rng.random() < 0.6
        self.emit(f"{'var' if mut else 'let'} {name}: {t} = {self.expr(t)};")
        self.declare(Var(name, t, mut))
        self.show(name)

    def s_print(self):
        self.show(self.expr(self.rng.choice(PRIMS), self.rng.randint(1, 3)))

    def s_assign(self):
        t = self.rng.choice(PRIMS)
        v = self.pick_var(t, mutable=True)
        if v is None:
            return self.s_decl()
        r = self.rng
        if t == "int" and r.random() < 0.5:
            op = r.choice(COMPOUND_INT + ("/=", "%="))
            rhs = f"({self.int_expr()} | 1)" if op in ("/=", "%=") else self.int_expr()
            self.emit(f"{v.name} {op} {rhs};")
        elif t == "float" and r.random() < 0.4:
            self.emit(f"{v.name} {r.choice(('+=', '-=', '*=', '/='))} {self.float_expr()};")
        elif t == "string":
            # Cut: a string assigned in a loop must not grow without bound.
            self.emit(f"{v.name} = ({v.name} + {self.expr(r.choice(PRIMS), 1)}).substring(0, 48);")
        else:
            self.emit(f"{v.name} = {self.expr(t)};")
        self.show(v.name)

    def s_array_decl(self):
        r = self.rng
        t = r.choice(ARRAYS + ("int[][]",))
        name = self.fresh("a")
        n = r.randint(1, 6)
        if t == "int[][]":
            rows = [f"[{', '.join(self.int_expr(0) for _ in range(n))}]" for _ in range(2)]
            self.emit(f"let {name}: int[][] = [{', '.join(rows)}];")
            self.declare(Var(name, t, length=2))
            self.show(name)
            self.show(f"{name}[{r.randrange(2)}][wrap({self.int_expr(1)}, {name}[0].length)]")
            return
        base = t[:-2]
        if r.random() < 0.5:
            self.emit(f"let {name}: {t} = [{', '.join(self.expr(base, 1) for _ in range(n))}];")
        else:
            # new T[n] then filled: string arrays must hold no null.
            self.emit(f"let {name} = new {base}[{n}];")
            if base == "string":
                with_loop = self.fresh("i")
                self.emit(f"for {with_loop} in 0..{n} {{ {name}[{with_loop}] = \"s\" + str({with_loop}); }}")
        self.declare(Var(name, t, length=n))
        self.show(name)
        if r.random() < 0.5:
            c = self.fresh("a")
            self.emit(f"let {c} = {name}.copy();")
            self.emit(f"{c}[0] = {self.expr(base, 1)};")
            self.declare(Var(c, t, length=n))
            self.show(f"{name}[0]")
            self.show(c)

    def s_elem_assign(self):
        arrs = self.visible(lambda v: v.type in ARRAYS)
        if not arrs:
            return self.s_array_decl()
        a = self.rng.choice(arrs)
        base = a.type[:-2]
        idx = f"wrap({self.int_expr(1)}, {a.name}.length)"
        if base == "int" and self.rng.random() < 0.5:
            self.emit(f"{a.name}[{idx}] {self.rng.choice(COMPOUND_INT)} {self.int_expr()};")
        elif base == "string":
            self.emit(f"{a.name}[{idx}] = {self.str_expr(1)}.substring(0, 32);")
        else:
            self.emit(f"{a.name}[{idx}] = {self.expr(base)};")
        self.show(a.name)

    def new_object(self, cls: str) -> str:
        return f"new {cls}({self.int_expr(1)}, {self.int_expr(1)})"

    def s_object_decl(self):
        r = self.rng
        dyn = r.choice(self.classes).name
        static = r.choice(self.ancestors(dyn))
        name = self.fresh("o")
        self.emit(f"let {name}: {static} = {self.new_object(dyn)};")
        self.declare(Var(name, static, cls=dyn))
        self.show(name)
        self.show(f"{name}.m1({self.int_expr(1)})")

    def s_field_assign(self):
        objs = self.objects()
        if not objs:
            return self.s_object_decl()
        o = self.rng.choice(objs)
        fname, ft = self.rng.choice([f for f in self.all_fields(o.type) if f[1] != "K0"])
        if ft == "int[]":
            self.emit(f"{o.name}.{fname}[wrap({self.int_expr(1)}, {o.name}.{fname}.length)] += {self.int_expr(1)};")
        elif ft == "string":
            self.emit(f"{o.name}.{fname} = {self.str_expr(1)}.substring(0, 32);")
        elif ft == "int" and self.rng.random() < 0.5:
            self.emit(f"{o.name}.{fname} {self.rng.choice(COMPOUND_INT)} {self.int_expr(1)};")
        else:
            self.emit(f"{o.name}.{fname} = {self.expr(ft, 1)};")
        self.show(f"{o.name}.{fname}")

    def s_bump(self):
        objs = self.objects()
        if not objs:
            return self.s_object_decl()
        o = self.rng.choice(objs)
        self.emit(f"{o.name}.bump({self.int_expr(1)});")
        self.show(f"{o.name}.m0(1)")

    def s_global(self):
        g = self.rng.choice([v for v in self.globals if v.mutable or v.type.endswith("[]")])
        if g.type == "int":
            self.emit(f"{g.name} {self.rng.choice(COMPOUND_INT)} {self.int_expr(1)};")
        elif g.type == "string":
            self.emit(f"{g.name} = ({g.name} + {self.int_expr(0)}).substring(0, 40);")
        elif g.type == "float":
            self.emit(f"{g.name} = {self.float_expr(1)};")
        else:
            self.emit(f"{g.name}[wrap({self.int_expr(1)}, {g.name}.length)] += 1;")
        self.show(g.name)

    def s_if(self, depth: int):
        self.open(f"if {self.bool_expr()}")
        self.block(self.rng.randint(1, 3), depth - 1)
        if self.rng.random() < 0.5:
            self.scopes.pop()          # the condition sees what the `if` sees, not its body's names
            head = f"else if {self.bool_expr(1)}" if self.rng.random() < 0.3 else "else"
            self.scopes.append([])
            self.reopen(head)
            self.block(self.rng.randint(1, 2), depth - 1)
        self.close()

    def loop_body(self, depth: int, n: int) -> None:
        saved = self.in_loop
        self.in_loop = True
        self.loop_depth += 1
        self.block(n, depth - 1)
        self.loop_depth -= 1
        self.in_loop = saved

    def s_for(self, depth: int):
        i = self.fresh("i")
        r = self.rng
        hi = r.randint(2, 10 if self.loop_depth == 0 else 5)
        lo = r.choice(("0", "0", str(r.randint(-3, 3)), f"({self.int_expr(1)} & 3)"))
        self.open(f"for {i} in {lo}..{hi}")
        self.declare(Var(i, "int"))
        self.loop_body(depth, r.randint(1, 3))
        self.close()

    def s_while(self, depth: int):
        w = self.fresh("w")
        n = self.rng.randint(1, 8 if self.loop_depth == 0 else 4)
        self.emit(f"var {w} = 0;")
        self.open(f"while {w} < {n}")
        self.emit(f"{w} += 1;")       # first, so that a `continue` cannot skip it
        self.loop_body(depth, self.rng.randint(1, 3))
        self.close()
        self.show(w)

    def s_foreach(self, depth: int):
        arrs = self.visible(lambda v: v.type.endswith("[]") and v.length is not None)
        if not arrs:
            return self.s_for(depth)
        a = self.rng.choice(arrs)
        e = self.fresh("e")
        self.open(f"for {e} in {a.name}")
        base = a.type[:-2]
        self.declare(Var(e, base))     # an element's own length is not known here
        if base.endswith("[]") or self.is_class(base):
            self.show(e)
        self.loop_body(depth, self.rng.randint(1, 2))
        self.close()

    def s_break_continue(self):
        self.open(f"if {self.bool_expr(1)}")
        self.emit(self.rng.choice(("break;", "continue;")))
        self.close()

    def s_try(self, depth: int):
        r = self.rng
        self.open("try")
        self.block(r.randint(1, 2), depth - 1)
        if r.random() < 0.6:
            self.open(f"if {self.bool_expr(1)}")
            self.emit(self.throw_stmt())
            self.close()
        if r.random() < 0.3:
            self.show(f"thrower({self.int_expr(0)} & 7, {self.int_expr(0)})")
        self.catches(depth)
        self.close()

    def throw_stmt(self) -> str:
        r = self.rng
        cls = r.choice(USER_ERRORS + ("ValueError", "Error"))
        return f'throw new {cls}("t" + str({self.int_expr(1)}));'

    def catches(self, depth: int) -> None:
        """Catch clauses in a random order (some shadowed: allowed), a
        catch-all, and often a `finally`."""
        r = self.rng
        kinds = r.sample(("E1", "E0", "E2", "ValueError", "ArithmeticError", "IndexError"), r.randint(1, 3))
        for k in kinds:
            e = self.fresh("x")
            self.reopen(f"catch {e}: {k}")
            self.show(f'"{k} " + {e}.message')
            if r.random() < 0.3 and depth > 1:
                self.block(1, depth - 2)
        e = self.fresh("x")
        self.reopen(f"catch {e}")
        self.show(e)
        if r.random() < 0.6:
            self.reopen("finally")
            self.show(f'"fin " + str({self.int_expr(0)})')

    def s_risky(self):
        """An operation that may throw, inside a `try` that catches what it throws."""
        self.choose([(w, (lambda f=f: f() or True)) for w, f in (
            (3, self.r_div), (2, self.r_index), (2, self.r_cast), (1, self.r_null), (1, self.r_parse),
            (1, self.r_newarray), (1, self.r_assert), (1, self.r_string_index),
        )])

    def guarded(self, body: list[str], error: str) -> None:
        self.open("try")
        for line in body:
            self.emit(line)
        e = self.fresh("x")
        self.reopen(f"catch {e}: {error}")
        self.show(f'"caught " + str({e})')
        self.close()

    def r_div(self):
        r = self.rng
        a = r.choice((self.int_expr(1), "(-9223372036854775808)"))
        b = r.choice((f"({self.int_expr(1)} & 3)", "0", "(-1)", self.int_expr(1)))
        self.label += 1
        self.guarded([f'println("L{self.label} " + str({a} {r.choice("/%")} {b}));'], "ArithmeticError")

    def r_index(self):
        arrs = self.visible(lambda v: v.type.endswith("[]"))
        if not arrs:
            return self.r_div()
        a = self.rng.choice(arrs)
        i = self.rng.choice((self.int_expr(1), "(-1)", f"{a.name}.length", f"({self.int_expr(0)} & 7)"))
        self.label += 1
        if a.type in ("int[]", "float[]") and self.rng.random() < 0.4:
            body = [f"{a.name}[{i}] = {self.expr(a.type[:-2], 0)};", f'println("L{self.label} ok");']
        else:
            body = [f'println("L{self.label} " + str({a.name}[{i}]));']
        self.guarded(body, "IndexError")

    def r_string_index(self):
        s = self.str_expr(1)
        i = self.rng.choice((self.int_expr(1), "(-1)", "3"))
        self.label += 1
        how = self.rng.choice((f"str(({s})[{i}])", f"str(({s}).code_at({i}))"))
        self.guarded([f'println("L{self.label} " + {how});'], "IndexError")

    def r_cast(self):
        objs = self.objects()
        if not objs:
            return self.r_div()
        o = self.rng.choice(objs)
        target = self.rng.choice(self.related(o.type))
        self.label += 1
        self.guarded([f"let {self.fresh('c')} = {o.name} as {target};",
                      f'println("L{self.label} cast " + str({o.name} is {target}));',
                      f'println("L{self.label} m " + str(({o.name} as {target}).m0(2)));'], "CastError")

    def r_null(self):
        cls = self.rng.choice(self.classes).name
        n = self.fresh("n")
        what = self.rng.choice((f"str({n}.id)", f"str({n}.m0(1))", f"{n}.tag", f"str({n}.vals.length)"))
        self.label += 1
        self.emit(f"var {n}: {cls} = null;")
        self.guarded([f'println("L{self.label} " + {what});'], "NullError")

    def r_parse(self):
        s = self.rng.choice(STRINGS + (f"str({self.int_expr(1)})", f'" " + str({self.int_expr(1)}) + " "'))
        self.label += 1
        self.guarded([f'println("L{self.label} " + str(parse_int({s})));'], "ValueError")

    def r_newarray(self):
        self.label += 1
        n = f"(({self.int_expr(1)} % 12) - 4)"
        self.guarded([f'println("L{self.label} " + str(new int[{n}]));'], "ValueError")

    def r_assert(self):
        self.label += 1
        self.guarded([f'assert({self.bool_expr(1)}, "a{self.label}");', f'println("L{self.label} held");'],
                     "AssertionError")

    # --- the program's parts ------------------------------------------------------------

    def hierarchy(self) -> None:
        r = self.rng
        n = r.randint(3, 6)
        field_types = ("int", "int", "float", "string", "bool")
        for i in range(n):
            parent = None if i == 0 else f"K{r.randrange(i)}"
            fields = [("id", "int"), ("tag", "string"), ("vals", "int[]"), ("link", "K0")] if i == 0 else []
            fields += [(f"f{i}_{k}", r.choice(field_types)) for k in range(r.randint(0 if i else 1, 2))]
            overrides = [m for m, _, _ in METHODS if i == 0 or r.random() < 0.5]
            self.classes.append(ClassDef(f"K{i}", parent, fields, overrides, to_string=r.random() < 0.4))
        for c in self.classes:
            self.class_text(c)

    def class_text(self, c: ClassDef) -> None:
        r = self.rng
        self.open(f"class {c.name}" + (f" extends {c.parent}" if c.parent else ""))
        for f, t in c.fields:
            self.emit(f"{f}: {t};")
        self.open("init(id: int, seed: int)")
        own = []
        for f, t in c.fields:
            init = {"int": "seed ^ id", "float": "float(seed) * 0.5", "string": 'str(id) + ":" + str(seed)',
                    "bool": "(seed & 1) == 0", "int[]": "new int[1 + (seed & 3)]", "K0": "null"}[t]
            own.append(f"self.{f} = {init};")
        sup = [f"super.init(id + {c.name[1:]}, seed * 3 + 1);"] if c.parent else []
        for line in (own + sup if r.random() < 0.5 else sup + own):
            self.emit(line)
        self.close()
        fields = self.all_fields(c.name)
        for m, params, ret in METHODS:
            if m not in c.overrides:
                continue
            idx = [x[0] for x in METHODS].index(m)
            self.methods_allowed = ()
            self.open(f"fn {m}({params}) -> {ret}")
            self.declare_fields(fields)
            if params:
                pname, ptype = params.split(": ")
                self.declare(Var(pname, ptype))
            body = self.expr(ret, 2)
            calls = [x[0] for x in METHODS[:idx] if x[2] == ret]
            if calls and r.random() < 0.5:
                callee = r.choice(calls)
                args = "x" if ret == "int" else ""
                body = f"({body} {'+' if ret != 'bool' else '&&'} self.{callee}({args}))" if ret != "string" \
                    else f"({body} + self.{callee}())"
            if c.parent and r.random() < 0.6:
                arg = params.split(": ")[0] if params else ""
                body = f"({body} + super.{m}({arg}))"
            self.emit(f"return {body};")
            self.close()
        if c.name == "K0" or r.random() < 0.5:
            self.open("fn bump(d: int)")
            self.declare_fields(fields)
            f = r.choice([f for f, t in fields if t == "int"])
            self.emit(f"self.{f} += d;")
            self.emit(f"self.vals[wrap(d, self.vals.length)] += 1;")
            if c.parent and r.random() < 0.5:
                self.emit("super.bump(d + 1);")
            self.close()
        if c.to_string:
            self.open("fn to_string() -> string")
            self.emit(f'return "{c.name}(" + str(self.id) + " " + self.name() + ")";')
            self.close()
        self.methods_allowed = tuple(m for m, _, _ in METHODS)
        self.close()

    def declare_fields(self, fields) -> None:
        for f, t in fields:
            if t in ("int", "float", "bool", "string", "int[]"):
                self.declare(Var(f"self.{f}", t, mutable=True, length=None))

    def error_classes(self) -> None:
        self.lines += [
            "class E0 extends Error {",
            "    code: int;",
            "    init(m: string) { super.init(m); self.code = m.length; }",
            "}",
            "class E1 extends E0 {",
            '    init(m: string) { super.init("e1 " + m); self.code += 100; }',
            "}",
            "class E2 extends ValueError {",
            '    init(m: string) { super.init("e2 " + m); }',
            "}",
            "class Escape extends Error {",
            "    init(m: string) { super.init(m); }",
            "}",
        ]

    def globals_text(self) -> None:
        r = self.rng
        self.globals = [Var("g_tick", "int", True), Var("g_i", "int", True), Var("g_f", "float", True),
                        Var("g_s", "string", True), Var("g_arr", "int[]", False, 8), Var("LIMIT", "int")]
        self.emit("var g_tick: int;")
        self.emit(f"var g_i = {r.choice(INT_EDGES)};")
        self.emit(f"var g_f = {r.choice(FLOAT_EDGES[:16])};")
        self.emit(f"var g_s = {r.choice(STRINGS)};")
        self.emit("var g_arr = new int[8];")
        self.emit(f"let LIMIT = {r.randint(3, 9)};")

    def helpers(self) -> None:
        r = self.rng
        self.lines += [
            "fn wrap(i: int, n: int) -> int {",
            "    let m = i % n;",
            "    if m < 0 { return m + n; }",
            "    return m;",
            "}",
            "fn char_at(s: string, i: int) -> string {",
            '    if s.length == 0 { return ""; }',
            "    return s[wrap(i, s.length)];",
            "}",
            "fn probe(k: int, b: bool) -> bool {",
            '    println("probe " + str(k) + " " + str(b));',
            "    return b;",
            "}",
            "fn tick() -> int {",
            "    g_tick += 1;",
            "    return g_tick;",
            "}",
            "fn thrower(depth: int, kind: int) -> int {",
            "    if depth > 0 { return thrower(depth - 1, kind) + 1; }",
            "    let k = wrap(kind, 4);",
            '    if k == 0 { throw new E0("deep"); }',
            '    if k == 1 { throw new E1("deep"); }',
            '    if k == 2 { throw new E2("deep"); }',
            "    return 0;",
            "}",
            "fn deep(n: int) -> int {",
            "    return deep(n + 1) + 1;",
            "}",
            "fn escape(n: int) -> int {",
            '    if n <= 0 { throw new Escape("at the end " + str(g_tick)); }',
            "    return escape(n - 1) + 1;",
            "}",
        ]
        # Recursion: linear with an accumulator, mutual, and a tree.
        a, b = r.randint(2, 7), r.randint(-3, 3)
        self.lines += [
            "fn rec(n: int, acc: int) -> int {",
            "    if n <= 0 { return acc; }",
            f"    return rec(n - 1, acc * {a} + n + {b});",
            "}",
            "fn is_even(n: int) -> bool {",
            "    if n == 0 { return true; }",
            "    return is_odd(n - 1);",
            "}",
            "fn is_odd(n: int) -> bool {",
            "    if n == 0 { return false; }",
            "    return is_even(n - 1);",
            "}",
            "fn tree(n: int) -> int {",
            f"    if n < 2 {{ return n + {r.randint(0, 3)}; }}",
            "    return tree(n - 1) + tree(n - 2);",
            "}",
        ]
        # Finally that replaces a return or a throw, and break inside try.
        k = r.randint(2, 5)
        self.lines += [
            "fn fin_ret(x: int) -> int {",
            "    try {",
            f"        if wrap(x, 3) == 0 {{ throw new E1(\"f\" + str(x)); }}",
            "        if wrap(x, 3) == 1 { return x * 2; }",
            "    } catch e: E0 {",
            "        g_tick += e.code;",
            "        return -x;",
            "    } finally {",
            f"        if wrap(x, {k}) == 0 {{ return 99; }}",
            "    }",
            "    return x;",
            "}",
            "fn fin_loop(n: int) -> int {",
            "    var total = 0;",
            "    for i in 0..n {",
            "        try {",
            "            if i == 2 { continue; }",
            f"            if i == {k + 1} {{ break; }}",
            "            if i == 1 { throw new E2(\"loop\"); }",
            "            total += i;",
            "        } catch e: ValueError {",
            "            total += 100;",
            "        } finally {",
            "            total *= 2;",
            "        }",
            "    }",
            "    return total;",
            "}",
        ]
        # Random pure int functions; each may call only those before it.
        self.methods_allowed = ()
        for j in range(r.randint(2, 4)):
            name, arity = f"h{j}", r.randint(1, 3)
            params = ", ".join(f"p{q}: int" for q in range(arity))
            self.open(f"fn {name}({params}) -> int")
            for q in range(arity):
                self.declare(Var(f"p{q}", "int", mutable=True))
            self.loop_depth = 2        # no loops: helpers are called from loops, often
            self.block(r.randint(1, 3), 1)
            self.loop_depth = 0
            self.emit(f"return {self.int_expr(2)};")
            self.close()
            self.int_funcs.append((name, arity))
        self.methods_allowed = tuple(m for m, _, _ in METHODS)

    # Sections: each a function of its own that main calls.
    def sec_random(self) -> None:
        self.block(self.rng.randint(4, 8), 2)

    def sec_ints(self) -> None:
        r = self.rng
        for _ in range(r.randint(4, 8)):
            a, b = r.choice(INT_EDGES), r.choice(INT_EDGES)
            op = r.choice(INT_BINOPS + ("<<", ">>"))
            self.show(f"{a} {op} {b}")
        for _ in range(2):
            self.r_div()
        self.show("(-9223372036854775808) / (-1)")
        self.show("(-9223372036854775808) % (-1)")
        self.show(f"1 << {r.choice(('(-1)', '64', '65', '127', '(-64)', '63'))}")
        self.show(f"(-8) >> {r.choice(('1', '63', '64', '(-1)'))}")
        # The same edges as run-time values, every pair (a literal may be
        # folded by a compiling tier; an array element cannot).
        xs, a, b = self.fresh("a"), self.fresh("e"), self.fresh("e")
        # INT_MIN, -1 and 0 always: the pairs a native divide traps on.
        always = ("(-9223372036854775808)", "(-1)", "0")
        edges = list(always) + r.sample([e for e in INT_EDGES if e not in always], 4)
        r.shuffle(edges)
        self.emit(f"let {xs}: int[] = [{', '.join(edges)}];")
        self.open(f"for {a} in {xs}")
        self.open(f"for {b} in {xs}")
        ops = r.sample(INT_BINOPS[:8], 3)
        self.emit(f'print(str({a} {ops[0]} {b}) + " " + str({a} {ops[1]} {b}) + " " + str({a} {ops[2]} {b}) + " ");')
        self.open("try")
        self.emit(f'println(str({a} / {b}) + " " + str({a} % {b}));')
        self.reopen(f"catch {self.fresh('x')}: ArithmeticError")
        self.emit('println("div by zero");')
        self.close()
        self.close()
        self.emit(f"println(str(-{a}) + \" \" + str(~{a}) + \" \" + str(abs({a})) + \" \" + str(float({a})));")
        self.close()

    def sec_floats(self) -> None:
        r = self.rng
        for _ in range(r.randint(4, 8)):
            self.show(f"{r.choice(FLOAT_EDGES)} {r.choice(FLOAT_BINOPS)} {r.choice(FLOAT_EDGES)}")
        for _ in range(3):
            self.show(f"int({r.choice(FLOAT_EDGES)})")
        self.show(f"{r.choice(FLOAT_EDGES)} == {r.choice(FLOAT_EDGES)}")
        self.show(f"float({r.choice(INT_EDGES)})")
        self.show("(-0.0)")
        xs, a, b = self.fresh("a"), self.fresh("e"), self.fresh("e")
        always = ("(0.0 / 0.0)", "(-0.0)", "(1.0 / 0.0)")
        edges = list(always) + r.sample([e for e in FLOAT_EDGES if e not in always], 4)
        r.shuffle(edges)
        self.emit(f"let {xs}: float[] = [{', '.join(edges)}];")
        self.open(f"for {a} in {xs}")
        self.open(f"for {b} in {xs}")
        ops = r.sample(FLOAT_BINOPS, 3)
        self.emit(f'println(str({a} {ops[0]} {b}) + " " + str({a} {ops[1]} {b}) + " " + str({a} {ops[2]} {b})'
                  f' + " " + str({a} {r.choice(CMP)} {b}));')
        self.close()
        self.emit(f'println(str(int({a})) + " " + str(-{a}) + " " + str(math.floor({a})) + " " + str({a} == {a}));')
        self.close()

    def sec_strings(self) -> None:
        r = self.rng
        s = self.fresh("s")
        self.emit(f"var {s} = {r.choice(STRINGS)};")
        self.declare(Var(s, "string", True))
        for _ in range(r.randint(3, 6)):
            self.emit(f"{s} = ({s} + {self.expr(r.choice(PRIMS), 1)}).substring(0, 48);")
            self.show(s)
            self.show(f"{s}.length")
            self.show(f"{s}.index_of({r.choice(NEEDLES)})")
        parts = self.fresh("a")
        self.emit(f'let {parts} = {s}.split({r.choice(NEEDLES)});')
        self.declare(Var(parts, "string[]"))         # never empty: split gives at least [""]
        self.show(f'"|".join({parts})')
        words, copy = self.fresh("a"), self.fresh("a")
        self.emit(f"let {words}: string[] = [{', '.join(r.sample(STRINGS, 4))}];")
        self.emit(f"let {copy} = {words}.copy();")
        self.emit(f"{copy}[{r.randrange(4)}] = {self.str_expr(1)};")
        self.declare(Var(words, "string[]", length=4))
        self.declare(Var(copy, "string[]", length=4))
        self.show(f'str({words}) + str({copy}) + str({words} == {copy})')
        e = self.fresh("e")
        self.open(f"for {e} in {copy}")
        self.show(f"{e}.length + {e}.index_of({r.choice(NEEDLES)})")
        self.close()
        self.show(f"{r.choice(STRINGS)} < {r.choice(STRINGS)}")
        self.r_parse()
        self.r_string_index()

    def sec_recursion(self) -> None:
        r = self.rng
        self.show(f"rec({self.int_expr(1)} & 15, {self.int_expr(1)})")
        self.show(f"is_even({self.int_expr(1)} & 31)")
        self.show(f"tree({self.int_expr(1)} & 7)")
        self.show(f"fin_ret({self.int_expr(1)})")
        self.show(f"fin_loop({r.randint(0, 8)})")
        if r.random() < 0.4:
            e = self.fresh("x")
            self.open("try")
            self.show("deep(0)")
            self.reopen(f"catch {e}: StackOverflowError")
            self.show(f'"overflow " + {e}.message')
            self.close()

    def sec_objects(self) -> None:
        for _ in range(self.rng.randint(2, 4)):
            self.s_object_decl()
        objs = self.objects()
        arr = self.fresh("a")
        base = "K0"
        self.emit(f"let {arr}: {base}[] = [{', '.join(o.name for o in objs)}];")
        self.declare(Var(arr, f"{base}[]", length=len(objs)))
        e = self.fresh("e")
        self.open(f"for {e} in {arr}")
        self.show(f"{e}.name() + str({e}.m0({self.int_expr(0)})) + str({e}.fv({self.float_expr(0)}))")
        for c in self.classes[1:3]:
            self.show(f"{e} is {c.name}")
        self.close()
        self.r_cast()
        self.r_null()
        self.s_bump()

    def sec_alloc(self) -> None:
        """Garbage enough for several collections at a small heap, with a
        live structure (a ring of objects linked into cycles) that must
        survive them intact."""
        r = self.rng
        n = r.randint(300, 700) // (10 if self.light else 1)
        keep, total, i, x = self.fresh("keep"), self.fresh("t"), self.fresh("i"), self.fresh("x")
        cls = r.choice(self.classes).name
        self.emit(f"let {keep} = new K0[{r.randint(4, 16)}];")
        self.emit(f"var {total} = 0;")
        self.emit(f'var {x} = "";')
        self.open(f"for {i} in 0..{n}")
        self.emit(f"let arr = new int[{r.randint(32, 160)} + ({i} & 31)];")
        self.emit(f"arr[{i} % arr.length] = {i};")
        self.emit(f"let o = new {cls}({i}, {i} * {r.randint(2, 9)});")
        self.emit(f"o.link = {keep}[wrap({i} + 1, {keep}.length)];")
        self.emit(f"{keep}[wrap({i}, {keep}.length)] = o;")
        self.emit(f"{total} += arr[{i} % arr.length] + o.m0({i});")
        self.emit(f'{x} = (str({i}) + "," + {x}).substring(0, 40);')
        if r.random() < 0.5:
            self.emit(f"let grid = new float[{r.randint(2, 6)}][];")
            self.emit(f"grid[{i} % grid.length] = new float[{r.randint(4, 40)}];")
        self.close()
        self.show(total)
        self.show(x)
        s = self.fresh("sum")
        o = self.fresh("o")
        self.emit(f"var {s} = 0;")
        self.open(f"for {o} in {keep}")
        self.emit(f"var p = {o};")
        self.emit("var steps = 0;")
        self.open("while p != null && steps < 40")
        self.emit("steps += 1;")
        self.emit(f"{s} += p.id + p.vals.length;")
        self.emit("p = p.link;")
        self.close()
        self.close()
        self.show(s)

    def sec_control(self) -> None:
        r = self.rng
        acc = self.fresh("acc")
        self.emit(f"var {acc} = 0;")
        self.declare(Var(acc, "int", True))
        i, j = self.fresh("i"), self.fresh("j")
        self.open(f"for {i} in 0..{r.randint(3, 9)}")
        self.declare(Var(i, "int"))
        self.emit(f"if {i} == {r.randint(0, 8)} {{ continue; }}")
        self.open(f"for {j} in {i}..{r.randint(4, 10)}")
        self.declare(Var(j, "int"))
        self.emit(f"if {j} * {i} > {r.randint(5, 40)} {{ break; }}")
        self.emit(f"{acc} += {j} {r.choice(('^', '+', '*'))} {i};")
        self.close()
        self.show(acc)
        self.close()
        # Short-circuit order, visible in the probes' lines.
        p = [self.next_probe() for _ in range(4)]
        b = [r.choice(("true", "false")) for _ in range(4)]
        self.show(f"probe({p[0]}, {b[0]}) || probe({p[1]}, {b[1]}) && probe({p[2]}, {b[2]}) || !probe({p[3]}, {b[3]})")
        # Nested try: an inner finally runs before the outer catch.
        kind = r.choice(USER_ERRORS)
        self.open("try")
        self.open("try")
        self.emit(f'throw new {kind}("inner " + str({self.int_expr(1)}));')
        self.reopen(f"catch {self.fresh('x')}: {r.choice(('E1', 'E2', 'IndexError'))}")
        self.show('"inner catch"')
        self.reopen("finally")
        self.show('"inner finally"')
        self.close()
        x = self.fresh("x")
        self.reopen(f"catch {x}: E0")
        self.show(f'"outer E0 " + {x}.message + " " + str({x}.code)')
        x = self.fresh("x")
        self.reopen(f"catch {x}")
        self.show(f'"outer " + str({x})')
        self.close()
        self.s_try(2)
        self.s_while(2)

    def sec_hot(self) -> None:
        """A loop long enough for `auto` to compile what it calls (and
        the loop itself, by on-stack replacement) while it runs: the
        interpreter and compiled code meet mid-run.  Polymorphic calls,
        throws and finally inside it; prints only now and then."""
        r = self.rng
        objs = [self.fresh("o") for _ in range(3)]
        for o in objs:
            self.emit(f"let {o}: K0 = {self.new_object(r.choice(self.classes).name)};")
        acc, f, i = self.fresh("acc"), self.fresh("f"), self.fresh("i")
        self.emit(f"var {acc} = {r.choice(INT_EDGES)};")
        self.emit(f"var {f} = {r.choice(FLOAT_EDGES[:14])};")
        self.emit(f"let ring: K0[] = [{', '.join(objs)}];")
        # A string and an array live across the loop: on-stack replacement
        # carries references, and the loop allocates (collections mid-loop).
        text, counts = self.fresh("s"), self.fresh("a")
        self.emit(f"var {text} = {r.choice(STRINGS)};")
        self.emit(f"let {counts} = new int[{r.randint(2, 6)}];")
        qs, fs = self.partb_hot_setup()
        self.open(f"for {i} in 0..{r.randint(2050, 2300) // (10 if self.light else 1)}")
        self.emit(f"let o = ring[{i} % 3];")
        self.partb_hot_line(acc, i, qs, fs)
        self.emit(f"{text} = ({text} + str({i} & 7)).substring({r.randint(0, 2)}, 24);")
        self.emit(f"{counts}[{i} % {counts}.length] += {text}.length;")
        self.emit(f"{acc} = ({acc} {r.choice(('+', '^', '-'))} o.m1({i} & 7)) {r.choice(('*', '+', '^'))} {r.choice(NONZERO)};")
        self.emit(f"{acc} += wrap({acc}, {r.randint(2, 99)}) + fin_ret({i});")
        self.emit(f"{f} = {f} * {r.choice(('0.5', '1.0000001', '(-1.5)'))} + float({i} & 3);")
        self.open("try")
        self.emit(f"if {i} % {r.randint(50, 400)} == 7 {{ {acc} += thrower({i} & 3, {i}); }}")
        self.emit(f"if {i} % {r.randint(3, 9)} == 0 {{ continue; }}")
        self.reopen(f"catch {self.fresh('x')}: E0")
        self.emit(f"{acc} -= 1;")
        self.reopen(f"catch {self.fresh('x')}")
        self.emit(f"{acc} += 3;")
        self.reopen("finally")
        self.emit(f"g_tick += 1;")
        self.close()
        self.emit(f'if {i} % 500 == 0 {{ println("hot " + str({i}) + " " + str({acc}) + " " + str({f})); }}')
        self.close()
        self.show(acc)
        self.show(f)
        self.show(text)
        self.show(counts)

    SECTIONS = ("ints", "floats", "strings", "recursion", "objects", "alloc", "control", "random", "partb")

    def program(self) -> str:
        r = self.rng
        ending = r.choice(ENDINGS)
        status = {"normal": 0, "status": r.randint(2, 100), "escape": 1, "exit": r.randint(2, 100)}[ending]
        self.lines += [f"// difftest program: seed {self.seed}, size {self.size}" + (", light" if self.light else ""),
                       f"// expect-status: {status}", "import math;", "import collections;"]
        self.error_classes()
        self.hierarchy()
        self.scopes = [[]]
        self.globals_text()
        self.helpers()
        # After the helpers, just before the sections that use them: the
        # reducer tries later pieces first, so these go soon after those.
        self.partb_decls()
        kinds = list(self.SECTIONS) * max(1, self.size)
        if r.random() < 0.6:
            kinds.append("hot")         # costly in the interpreter: in most programs, not all
        r.shuffle(kinds)
        names = []
        for n, kind in enumerate(kinds):
            name = f"sec{n}_{kind}"
            names.append(name)
            self.open(f"fn {name}()")
            self.emit(f'println("== {name}");')
            getattr(self, f"sec_{kind}")()
            self.close()
        self.open("fn main() -> int" if ending == "status" else "fn main()")
        for name in names:
            if r.random() < 0.2:
                # A section inside a try: a caught throw mid-way would show.
                e = self.fresh("x")
                self.open("try")
                self.emit(f"{name}();")
                self.reopen(f"catch {e}")
                self.show(f'"escaped " + str({e})')
                self.close()
            else:
                self.emit(f"{name}();")
        self.show("g_tick")
        self.show("g_i")
        self.show("g_f")
        self.show("g_s")
        self.show("g_arr")
        if ending == "status":
            self.emit(f"return {status};")
        elif ending == "escape":
            self.show(f"escape({r.randint(0, 4)})")
        elif ending == "exit":
            self.open("try")
            self.emit(f"exit({status});")
            self.reopen("finally")
            self.emit('println("not reached");')
            self.close()
        else:
            self.emit('println("end");')
        self.close()
        return "\n".join(self.lines) + "\n"


def generate(seed: int, size: int = 1, light: bool = False) -> str:
    """The text of a random, well-typed, terminating HL program: a pure
    function of its arguments (about `size` times eight sections).  `light`
    makes the allocation loops ten times shorter, for runs that collect at
    every allocation (`gc_stress`), where each allocation costs a collection."""
    return Gen(seed, size, light).program()


def expected_status(text: str) -> int:
    """The exit status the program was generated to end with."""
    for line in text.splitlines()[:4]:
        if line.startswith("// expect-status:"):
            return int(line.split(":")[1])
    raise ValueError("not a generated program: no '// expect-status:' line")
