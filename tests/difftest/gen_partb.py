"""The Part B half of the differential program generator: interfaces,
erased generics, function values and closures, and `collections`.

`PartB` is a mixin of `gen.Gen`: it owns the program-level declarations
of Part B (an interface hierarchy with classes implementing it, generic
classes, a generic interface, generic and higher-order functions) and the
section `sec_partb` that exercises them, plus the Part B lines of the hot
loop.  It relies on `Gen` for expressions, scopes and output; the same
safety rules hold (docs in gen.py): nothing here throws outside a `try`
that catches it, every loop is bounded, and collections stay small.
"""

from __future__ import annotations

# Interface I0 and I1 (extends I0); classes Q0..Q2 implement them.
IFACE_METHODS = (("ia", "x: int", "int"), ("ib", "", "string"))
IFACE1_METHODS = (("ic", "y: float", "float"),)
BOX_TYPES = ("int", "float", "bool", "string")


class PartB:
    """Mixin of gen.Gen (see the module docstring)."""

    def partb_decls(self) -> None:
        r = self.rng
        self.lines += [
            "interface I0 {",
            "    fn ia(x: int) -> int;",
            "    fn ib() -> string;",
            "}",
            "interface I1 extends I0 {",
            "    fn ic(y: float) -> float;",
            "}",
            "interface Cmp<T> {",
            "    fn cmp(a: T, b: T) -> int;",
            "}",
            "class Box<T> {",
            "    v: T;",
            "    init(v: T) { self.v = v; }",
            "    fn get() -> T { return self.v; }",
            "    fn set(v: T) { self.v = v; }",
            "    fn same(o: Box<T>) -> bool { return self.v == o.v; }",
            "}",
            "class Slot<T> {",
            "    v: T;",
            "    fn get() -> T { return self.v; }",
            "}",
            "class Pair<A, B> {",
            "    a: A;",
            "    b: B;",
            "    init(a: A, b: B) { self.a = a; self.b = b; }",
            "    fn swap() -> Pair<B, A> { return new Pair<B, A>(self.b, self.a); }",
            "    fn to_string() -> string { return \"(\" + str(self.a) + \", \" + str(self.b) + \")\"; }",
            "}",
            "class IntBox extends Box<int> {",
            "    init(v: int) { super.init(v); }",
            "    fn get() -> int { return self.v + 1; }",
            "}",
            "class ByValue implements Cmp<int> {",
            "    fn cmp(a: int, b: int) -> int { return a - b; }",
            "}",
            "class Key {",
            "    k: int;",
            "    init(k: int) { self.k = k; }",
            "    fn hash() -> int { return self.k % 7; }",
            "    fn equals(o: Key) -> bool { return o.k == self.k; }",
            "}",
            "fn pick<T>(c: bool, a: T, b: T) -> T {",
            "    if c { return a; }",
            "    return b;",
            "}",
            "fn first_of<T>(xs: T[]) -> T { return xs[0]; }",
            "fn count_eq<T>(xs: T[], x: T) -> int {",
            "    var n = 0;",
            "    for y in xs { if y == x { n += 1; } }",
            "    return n;",
            "}",
            "fn swap_ends<T>(xs: T[]) {",
            "    let t = xs[0];",
            "    xs[0] = xs[xs.length - 1];",
            "    xs[xs.length - 1] = t;",
            "}",
            "fn compose(f: fn(int) -> int, g: fn(int) -> int) -> fn(int) -> int {",
            "    return fn(x: int) -> int { return g(f(x)); };",
            "}",
            "fn apply_n(f: fn(int) -> int, n: int, x: int) -> int {",
            "    var v = x;",
            "    for i in 0..n { v = f(v); }",
            "    return v;",
            "}",
            "fn make_adder(k: int) -> fn(int) -> int {",
            "    return fn(x: int) -> int { return x + k; };",
            "}",
            "fn map_list<T, U>(xs: collections.List<T>, f: fn(T) -> U) -> collections.List<U> {",
            "    let out = new collections.List<U>();",
            "    for x in xs { out.push(f(x)); }",
            "    return out;",
            "}",
            "fn show_list<T>(xs: collections.List<T>) -> string {",
            "    var s = \"[\";",
            "    for i in 0..xs.length() {",
            "        if i > 0 { s = s + \",\"; }",
            "        s = s + str(xs.get(i));",
            "    }",
            "    return s + \"]\";",
            "}",
        ]
        for i in range(3):
            parent = f" extends Q{r.randrange(i)}" if i and r.random() < 0.4 else ""
            iface = r.choice(("I0", "I1")) if not parent else r.choice(("I1", "I0"))
            self.lines.append(f"class Q{i}{parent} implements {iface} {{")
            if not parent:
                self.lines.append("    q: int;")
                self.lines.append("    init(q: int) { self.q = q; }")
            else:
                self.lines.append("    init(q: int) { super.init(q * 2 + 1); }")
            self.lines.append(f"    fn ia(x: int) -> int {{ return self.q * {r.randint(1, 9)} + x {r.choice('+-^')} {i}; }}")
            self.lines.append(f'    fn ib() -> string {{ return "Q{i}:" + str(self.q); }}')
            # Every class implements ic, so any class may implement I1 (or be
            # the superclass of one that does).
            self.lines.append(f"    fn ic(y: float) -> float {{ return y * {r.choice(('0.5', '2.0', '(-1.5)'))} + float(self.q); }}")
            self.lines.append("}")

    # --- the section ------------------------------------------------------------------------

    def sec_partb(self) -> None:
        r = self.rng
        for kind in r.sample(("boxes", "generic_fns", "closures", "ifaces", "lists", "maps", "sets"),
                             r.randint(3, 6)):
            getattr(self, f"pb_{kind}")()

    def pb_boxes(self) -> None:
        r = self.rng
        t = r.choice(BOX_TYPES)
        a, b = self.fresh("b"), self.fresh("b")
        self.emit(f"let {a} = new Box<{t}>({self.expr(t, 1)});")
        self.emit(f"let {b}: Box<{t}> = new Box<{t}>({self.expr(t, 1)});")
        self.show(f"{a}.get()")
        self.show(f"{a}.same({b})")
        self.show(f"{a}.get() == {b}.get()")
        self.emit(f"{b}.set({a}.get());")
        self.show(f"{a}.same({b})")
        self.show(f"str({a})")
        p = self.fresh("p")
        t2 = r.choice(BOX_TYPES)
        self.emit(f"let {p} = new Pair<{t}, {t2}>({self.expr(t, 1)}, {self.expr(t2, 1)});")
        self.show(f"{p}.swap()")
        self.show(f"{p}.swap().swap().a == {p}.a")
        ib = self.fresh("ib")
        self.emit(f"let {ib} = new IntBox({self.int_expr(1)});")
        self.emit(f"let {self.fresh('bb')}: Box<int> = {ib};")
        self.show(f"{ib}.get()")
        self.show(f"hash({self.expr(t, 1)})")
        self.show(f"equals({self.expr(t, 1)}, {self.expr(t, 1)})")
        # A null Box<int> read through, and an unset T field read as a
        # primitive: both throw NullError.
        nb = self.fresh("nb")
        self.open("try")
        self.emit(f"let {nb}: Box<Box<int>> = new Box<Box<int>>(null);")
        self.emit(f'println("L{self.next_probe()} " + str({nb}.get() == null));')
        self.emit(f'println("L{self.next_probe()} " + str({r.choice((f"{nb}.get().get()", "new Slot<int>().get()"))}));')
        self.reopen(f"catch {self.fresh('x')}: NullError")
        self.emit('println("null box");')
        self.close()

    def pb_generic_fns(self) -> None:
        r = self.rng
        t = r.choice(BOX_TYPES)
        xs = self.fresh("xs")
        n = r.randint(1, 5)
        self.emit(f"let {xs}: {t}[] = [{', '.join(self.expr(t, 0) for _ in range(n))}];")
        self.show(f"first_of({xs})")
        self.show(f"count_eq({xs}, {self.expr(t, 0)})")
        self.emit(f"swap_ends({xs});")
        self.show(xs)
        self.show(f"pick({self.bool_expr(1)}, {self.expr(t, 1)}, {self.expr(t, 1)})")
        self.show(f"pick({self.bool_expr(1)}, {xs}, {xs})[0]")

    def pb_closures(self) -> None:
        r = self.rng
        k = self.fresh("k")
        self.emit(f"let {k} = {self.int_expr(1)};")
        self.declare_var(k, "int")
        f, g = self.fresh("f"), self.fresh("g")
        self.emit(f"let {f} = fn(x: int) -> int {{ return (x {r.choice(('+', '*', '^', '-'))} {k}) & 1023; }};")
        self.emit(f"let {g}: fn(int) -> int = make_adder({self.int_expr(1)});")
        self.show(f"{f}({self.int_expr(1)})")
        self.show(f"compose({f}, {g})({self.int_expr(1)})")
        self.show(f"apply_n({r.choice((f, g))}, {r.randint(0, 6)}, {self.int_expr(1)})")
        fs = self.fresh("fs")
        self.emit(f"let {fs}: (fn(int) -> int)[] = [{f}, {g}, make_adder({k}), compose({g}, {f})];")
        i = self.fresh("i")
        self.open(f"for {i} in 0..{fs}.length")
        self.show(f"{fs}[{i}]({i} * {r.randint(1, 50)})")
        self.close()
        self.show(f"{f} == {f}")
        self.show(f"{f} == {g}")
        self.show(f"str({f})")
        objs = self.objects()
        if objs:
            o = r.choice(objs).name
            m = self.fresh("m")
            self.emit(f"let {m} = {o}.m0;")
            self.show(f"{m}({self.int_expr(1)})")
        sq = self.fresh("sq")
        self.emit(f"let {sq} = fn(s: string) -> string {{ return s + s; }};")
        self.show(f"{sq}({self.str_expr(1)}).length")
        v = self.fresh("void")
        self.emit(f"let {v}: fn(int) = fn(x: int) {{ g_tick += x & 3; }};")
        self.emit(f"{v}({self.int_expr(1)});")
        self.show("g_tick")
        nf = self.fresh("nf")
        self.open("try")
        self.emit(f"var {nf}: fn(int) -> int = null;")
        self.emit(f"if {self.bool_expr(1)} {{ {nf} = {f}; }}")
        self.show(f"{nf}(3)")
        self.reopen(f"catch {self.fresh('x')}: NullError")
        self.emit('println("null fn");')
        self.close()

    def pb_ifaces(self) -> None:
        r = self.rng
        arr = self.fresh("qs")
        items = [f"new Q{r.randrange(3)}({r.randint(-5, 20)})" for _ in range(r.randint(2, 5))]
        self.emit(f"let {arr}: I0[] = [{', '.join(items)}];")
        e = self.fresh("e")
        self.open(f"for {e} in {arr}")
        self.show(f"{e}.ia({self.int_expr(0)}) + {e}.ia({r.randint(-3, 3)})")
        self.show(f"{e}.ib()")
        self.show(f"{e} is I1")
        self.open(f"if {e} is I1")
        self.show(f"({e} as I1).ic({self.float_expr(0)})")
        self.close()
        for q in ("Q0", "Q1", "Q2"):
            self.show(f"{e} is {q}")
        self.close()
        self.open("try")
        self.show(f"({arr}[0] as I1).ib()")
        self.reopen(f"catch {self.fresh('x')}: CastError")
        self.emit('println("not I1");')
        self.close()
        c = self.fresh("c")
        self.emit(f"let {c}: Cmp<int> = new ByValue();")
        self.show(f"{c}.cmp({self.int_expr(1)}, {self.int_expr(1)})")

    def pb_lists(self) -> None:
        r = self.rng
        xs = self.fresh("l")
        self.emit(f"let {xs} = new collections.List<int>();")
        i = self.fresh("i")
        self.open(f"for {i} in 0..{r.randint(0, 30)}")
        self.emit(f"{xs}.push(({i} * {r.randint(3, 97)} + {self.int_expr(0)}) % {r.randint(5, 50)});")
        self.close()
        self.show(f"{xs}.length()")
        self.emit(f"{xs}.sort_by(fn(a: int, b: int) -> int {{ return {r.choice(('a - b', 'b - a', '(a % 3) - (b % 3)'))}; }});")
        self.show(f"show_list({xs})")
        self.show(f"show_list(map_list({xs}, fn(x: int) -> string {{ return str(x * 2); }}))")
        self.show(f"{xs}.contains({r.randint(0, 10)})")
        self.show(f"{xs}.index_of({r.randint(0, 10)})")
        self.open(f"if {xs}.length() > 2")
        self.show(f"{xs}.remove_at(1)")
        self.emit(f"{xs}.insert(0, {self.int_expr(0)});")
        self.emit(f"{xs}.set({xs}.length() - 1, 7);")
        self.show(f"{xs}.pop()")
        self.close()
        s = self.fresh("s")
        self.emit(f"var {s} = 0;")
        self.declare_var(s, "int", mutable=True)
        e = self.fresh("e")
        self.open(f"for {e} in {xs}")
        self.emit(f"{s} = {s} * 31 + {e};")
        self.close()
        self.show(s)
        self.open("try")
        self.show(f"{xs}.get({xs}.length())")
        self.reopen(f"catch {self.fresh('x')}: IndexError")
        self.emit('println("list index");')
        self.close()

    def pb_maps(self) -> None:
        r = self.rng
        m = self.fresh("m")
        self.emit(f"let {m} = new collections.Map<string, int>();")
        i = self.fresh("i")
        self.open(f"for {i} in 0..{r.randint(0, 40)}")
        self.emit(f'let w = "w" + str(({i} * {r.randint(3, 31)}) % {r.randint(3, 17)});')
        self.emit(f"{m}.put(w, {m}.get_or(w, 0) + {i});")
        self.open(f"if {i} % {r.randint(4, 9)} == 0")
        self.emit(f"{m}.remove(w);")
        self.close()
        self.close()
        self.show(f"{m}.length()")
        self.show(f"show_list({m}.keys())")
        self.show(f"show_list({m}.values())")
        self.show(f'{m}.contains("w1")')
        self.open("try")
        self.show(f'{m}.get("w1")')
        self.reopen(f"catch {self.fresh('x')}: IndexError")
        self.emit('println("no w1");')
        self.close()
        km = self.fresh("km")
        self.emit(f"let {km} = new collections.Map<Key, string>();")
        self.open(f"for {i} in 0..{r.randint(1, 12)}")
        self.emit(f"{km}.put(new Key({i} % 5), str({i}));")
        self.close()
        self.show(f"{km}.length()")
        self.show(f"show_list({km}.values())")

    def pb_sets(self) -> None:
        r = self.rng
        s = self.fresh("set")
        t = r.choice(("int", "string"))
        self.emit(f"let {s} = new collections.Set<{t}>();")
        i = self.fresh("i")
        self.open(f"for {i} in 0..{r.randint(0, 25)}")
        val = f"({i} * {r.randint(2, 13)}) % {r.randint(3, 11)}"
        self.emit(f"{s}.add({val if t == 'int' else f'str({val})'});")
        self.close()
        self.show(f"{s}.length()")
        self.show(f"show_list({s}.items())")
        probe = "3" if t == "int" else '"3"'
        self.show(f"{s}.contains({probe})")
        self.show(f"{s}.remove({probe})")
        self.show(f"{s}.add({probe})")

    def declare_var(self, name: str, t: str, mutable: bool = False) -> None:
        from .gen import Var
        self.declare(Var(name, t, mutable))

    # --- the hot loop's Part B lines -----------------------------------------------------------

    def partb_hot_setup(self) -> tuple[str, str]:
        """Declarations before the hot loop: an interface array and a
        function-value array the loop calls through."""
        r = self.rng
        qs, fs = self.fresh("hq"), self.fresh("hf")
        self.emit(f"let {qs}: I0[] = [new Q0({r.randint(0, 9)}), new Q1({r.randint(0, 9)}), new Q2({r.randint(0, 9)})];")
        self.emit(f"let {fs}: (fn(int) -> int)[] = [make_adder({r.randint(-9, 9)}), "
                  f"fn(x: int) -> int {{ return x * {r.randint(2, 5)}; }}, compose(make_adder(1), make_adder(2))];")
        return qs, fs

    def partb_hot_line(self, acc: str, i: str, qs: str, fs: str) -> None:
        self.emit(f"{acc} = ({acc} + {qs}[{i} % 3].ia({i} & 15) + {fs}[{i} % 3]({i} & 31)) & 0xFFFFFF;")
