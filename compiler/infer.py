"""Type arguments of a generic call, inferred (B2).

A call of a generic function or method gives each of its type parameters
the type an argument shows for it (`unify`: the parameter's written type
against the argument's static type, through arrays, class and interface
type arguments, and function types; the first argument that shows one
decides, the others are then checked against it), and where no argument
shows one, the type the call's context expects (`let b: Box<int> =
make();`).  This module only matches types; the checker decides the order
and reports what is left unknown.
"""

from __future__ import annotations

from .typesys import ERROR, NULL, VOID, ArrayType, ClassType, FnType, Type, TypeParam, as_super


def unify(param: Type, arg: Type, free: list[TypeParam], bindings: dict) -> None:
    """Bind the type parameters of `free` that `param` (a parameter's
    written type) mentions to what `arg` (the argument's type) has in their
    place; a parameter already bound keeps its type."""
    if isinstance(param, TypeParam):
        if param in free and param not in bindings and arg not in (NULL, ERROR, VOID):
            bindings[param] = arg
        return
    if isinstance(param, ArrayType):
        if isinstance(arg, ArrayType):
            unify(param.elem, arg.elem, free, bindings)
        return
    if isinstance(param, ClassType) and param.args:
        if isinstance(arg, ClassType):
            up = as_super(arg, param.cls)
            if up is not None and len(up.args) == len(param.args):
                for p, a in zip(param.args, up.args):
                    unify(p, a, free, bindings)
        return
    if isinstance(param, FnType):
        if isinstance(arg, FnType) and len(arg.params) == len(param.params):
            for p, a in zip(param.params, arg.params):
                unify(p, a, free, bindings)
            unify(param.ret, arg.ret, free, bindings)
