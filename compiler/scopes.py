"""Where the checker is: the scopes of one function body, and of the function
literals nested in it (B3, B5).

A `Context` is one function being checked (a function, method, init, module
initialiser, or a function literal, whose `outer` is the context it is
written in): its block scopes of locals, the type parameters in scope, its
return type, and the loops it is inside.  Looking a name up in a literal
that finds a local of an enclosing function *captures* it: every literal
between the use and the local's own function records it (`LambdaInfo.captures`,
in order of first use), since each passes it on to the literal inside it.
Whether the local may be captured at all is the checker's to say
(`capture_problem`); this module only finds and records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .symbols import ClassInfo, FunctionInfo, LambdaInfo, LocalVar
from .typesys import Type


@dataclass
class Context:
    """Where an expression or statement is checked."""
    fn: FunctionInfo | None             # None in a global initialiser and in a literal
    cls: ClassInfo | None = None
    self_var: LocalVar | None = None
    scopes: list[dict[str, LocalVar]] = field(default_factory=lambda: [{}])
    loops: int = 0
    tparams: dict = field(default_factory=dict)     # name → TypeParam in scope
    ret: Type | None = None             # what `return` must give (None: no function)
    outer: Context | None = None        # the function a literal is written in
    lam: LambdaInfo | None = None       # the literal this context checks
    name: str = ""                      # its name in bytecode, for its literals' names
    literals: int = 0                   # function literals numbered so far in it
    params: list[LocalVar] = field(default_factory=list)    # its parameters (the capture rule)

    def own(self, name: str) -> LocalVar | None:
        """A local of this function itself, innermost scope first."""
        for scope in reversed(self.scopes):
            v = scope.get(name)
            if v is not None:
                return v
        return None

    def lookup(self, name: str) -> LocalVar | None:
        """The local `name` denotes here: this function's own, else an
        enclosing function's, which every literal on the way captures."""
        v = self.own(name)
        if v is not None or self.outer is None:
            return v
        v = self.outer.lookup(name)
        if v is not None:
            self.capture(v)
        return v

    def visible_names(self):
        """Every local name visible here, innermost first (the candidates
        of a "did you mean"), without capturing any."""
        c: Context | None = self
        while c is not None:
            for scope in reversed(c.scopes):
                yield from scope
            c = c.outer

    def visible_outside(self, name: str) -> LocalVar | None:
        """A local of an enclosing function that `name` would shadow (B5:
        a literal's parameters and locals may not), without capturing it."""
        c = self.outer
        while c is not None:
            v = c.own(name)
            if v is not None:
                return v
            c = c.outer
        return None

    def capture(self, v: LocalVar) -> None:
        if self.lam is not None and v not in self.lam.captures:
            self.lam.captures.append(v)

    def is_captured(self, v: LocalVar) -> bool:
        """`v` belongs to an enclosing function, not this one (`self` is
        in no scope: it belongs to the method, the outermost context)."""
        return self.outer is not None and self.own(v.name) is not v

    def self_ref(self) -> LocalVar | None:
        """`self` here: the method's receiver, captured by a literal."""
        if self.self_var is None:
            return None
        if self.outer is not None:
            self.outer.self_ref()
            self.capture(self.self_var)
        return self.self_var

    def literal_name(self) -> str:
        self.literals += 1
        return f"{self.name}$fn{self.literals}"


def capture_problem(v: LocalVar) -> str | None:
    """Why the local `v` may not be captured (B3, B5), or None.  A parameter
    may be captured only if it is never assigned: decided at the end of its
    function (`LocalVar.captured_at`)."""
    if v.kind == "local" and v.mutable:
        return (f"cannot capture '{v.name}': it is a 'var' (a function literal may capture let "
                f"bindings, parameters that are never assigned, loop and catch variables, and self)")
    return None
