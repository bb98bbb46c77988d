"""A sandboxed evaluator for rule and visibility conditions.

Conditions are written in a small subset of Python expression syntax and evaluated by
walking the `ast` with an allow-list: names come only from the given variables, calls only
to the functions below, no attributes, no subscripts on anything but dicts and lists, no
comprehensions. Nothing is ever passed to `eval`.
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
from collections.abc import Callable, Mapping
from typing import Any


class ExpressionError(ValueError):
    """A condition that cannot be parsed or evaluated; the message says where."""


_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Mod: operator.mod,
}
_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Is: lambda a, b: a is b,
    ast.IsNot: lambda a, b: a is not b,
}


def _contains_any(text: str | None, words: list[str]) -> bool:
    if not text:  # unanswered or empty: contains nothing
        return False
    return any(w in text for w in words)


def _all_in(values: list[Any], allowed: list[Any]) -> bool:
    return all(v in allowed for v in values)


def _any_in(values: list[Any], allowed: list[Any]) -> bool:
    return any(v in allowed for v in values)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "len": lambda x: len(x) if isinstance(x, str | list | tuple | dict) else 0,
    "contains_any": _contains_any,
    "all_in": _all_in,
    "any_in": _any_in,
    "ends_with_any": lambda text, ends: bool(text) and any(text.endswith(e) for e in ends),
    "is_empty": lambda x: x is None or x == "" or x == [],
    "days_between": lambda a, b: (b - a).days,
    "date": dt.date.fromisoformat,
}


def compile_expression(source: str, functions: frozenset[str] | None = None) -> ast.Expression:
    """Parse a condition; check it uses only allowed syntax and `functions` (default: the built-ins)."""
    allowed = frozenset(FUNCTIONS) if functions is None else functions
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"syntax error at column {exc.offset}: {source!r}") from exc
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ExpressionError(f"{type(node).__name__} is not allowed: {source!r}")
        if isinstance(node, ast.Call) and not (
            isinstance(node.func, ast.Name) and node.func.id in allowed and not node.keywords
        ):
            raise ExpressionError(f"only the functions {sorted(allowed)} may be called: {source!r}")
    return tree


_ALLOWED_NODES = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.BinOp,
    ast.Compare,
    ast.Call,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.List,
    ast.Tuple,
    ast.Subscript,
    ast.IfExp,
    *_BINARY,
    *_COMPARE,
)


def names_used(tree: ast.Expression) -> set[str]:
    """The variable names a condition reads (not the functions it calls)."""
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - called


def evaluate(
    tree: ast.Expression | str,
    variables: Mapping[str, Any],
    functions: Mapping[str, Callable[..., Any]] | None = None,
) -> Any:
    """Evaluate a compiled (or source) condition against the variables and functions given."""
    table = FUNCTIONS if functions is None else {**FUNCTIONS, **functions}
    if isinstance(tree, str):
        tree = compile_expression(tree, frozenset(table))
    return _eval(tree.body, variables, table)


def _eval(node: ast.AST, env: Mapping[str, Any], fns: Mapping[str, Callable[..., Any]]) -> Any:
    match node:
        case ast.Constant(value=value):
            return value
        case ast.Name(id=name):
            if name in env:
                return env[name]
            raise ExpressionError(f"unknown name {name!r}")
        case ast.List(elts=elts) | ast.Tuple(elts=elts):
            return [_eval(e, env, fns) for e in elts]
        case ast.BoolOp(op=ast.And(), values=values):
            return all(_eval(v, env, fns) for v in values)
        case ast.BoolOp(op=ast.Or(), values=values):
            return any(_eval(v, env, fns) for v in values)
        case ast.UnaryOp(op=ast.Not(), operand=operand):
            return not _eval(operand, env, fns)
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            return -_eval(operand, env, fns)
        case ast.BinOp(left=left, op=op, right=right):
            return _BINARY[type(op)](_eval(left, env, fns), _eval(right, env, fns))
        case ast.Compare(left=left, ops=ops, comparators=comparators):
            current = _eval(left, env, fns)
            for comparison, comparator in zip(ops, comparators, strict=True):
                right = _eval(comparator, env, fns)
                if not _COMPARE[type(comparison)](current, right):
                    return False
                current = right
            return True
        case ast.IfExp(test=test, body=body, orelse=orelse):
            return _eval(body, env, fns) if _eval(test, env, fns) else _eval(orelse, env, fns)
        case ast.Subscript(value=value, slice=index):
            container = _eval(value, env, fns)
            key = _eval(index, env, fns)
            if isinstance(container, dict):
                return container.get(key)  # a missing key reads as None, as an unanswered field does
            if isinstance(container, list) and isinstance(key, int):
                return container[key] if -len(container) <= key < len(container) else None
            raise ExpressionError("only dicts (by key) and lists (by number) can be indexed")
        case ast.Call(func=ast.Name(id=name), args=args):
            return fns[name](*[_eval(a, env, fns) for a in args])
    raise ExpressionError(f"cannot evaluate {type(node).__name__}")
