"""Sizes a template chooses: widths, counts and lengths that can make a document huge.

In: the parsed Jinja AST of one part and `report(lineno, severity, code, message)`.
Out: `unbounded` findings for |center, |indent, |wordwrap, |batch, |slice, |truncate, |join, |replace, text
methods (.ljust, .zfill …), '%' formatting widths, 'x' * n, ** and range(n):
- an error for a number (or text) above the limit the sandbox enforces (render.py): the document cannot be made;
- a warning for a filter's size that is computed or comes from a variable: the document stops when it is too large.
`range(n)` and `'x' * n` with a variable are common in forms (blank rows, padding) and are capped when the
document is made, so only a written number above the limit is reported for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from jinja2 import nodes

from docgen.documents.sandbox import (
    BOUNDED_FILTERS,
    BOUNDED_METHODS,
    MAX_POWER,
    MAX_RANGE,
    MAX_TEXT,
    MAX_WIDTH,
    PERCENT_SPEC,
    Bound,
)
from docgen.documents.template_check.finding import Severity
from docgen.documents.template_check.guards import dotted
from docgen.messages import say

Report = Callable[[int, Severity, str, str], None]
Kind = Literal["number", "text"]
HUGE = 10**18  # stands for any number too large to compute here


def literal(node: nodes.Node) -> tuple[Kind, int] | None:
    """What a written expression asks for: ("number", n) or ("text", length); None when it is not written out
    (a variable, a filter, a call). `10**9`, `'x' * 1000` and `'a' ~ 'b'` are worked out, never built."""
    if isinstance(node, nodes.Const):
        if isinstance(node.value, bool):
            return None
        if isinstance(node.value, int):
            return "number", node.value
        return ("text", len(node.value)) if isinstance(node.value, str) else None
    if isinstance(node, (nodes.List, nodes.Tuple)):
        return "text", len(node.items)  # a list repeated grows like a text
    if isinstance(node, (nodes.Neg, nodes.Pos)):
        inner = literal(node.node)
        return ("number", -inner[1] if isinstance(node, nodes.Neg) else inner[1]) if inner else None
    if isinstance(node, (nodes.Add, nodes.Sub, nodes.Mul, nodes.Pow, nodes.FloorDiv, nodes.Concat)):
        return _operation(node)
    return None


def _operation(node: nodes.Node) -> tuple[Kind, int] | None:
    if isinstance(node, nodes.Concat):
        length = 0
        for part in map(literal, node.nodes):
            if part is None:
                return None
            length += part[1] if part[0] == "text" else len(str(part[1]))
        return "text", length
    assert isinstance(node, nodes.BinExpr)
    left, right = literal(node.left), literal(node.right)
    if left is None or right is None:
        return None
    (lk, a), (rk, b) = left, right
    if isinstance(node, nodes.Mul):
        if "text" in (lk, rk):
            return "text", max(0, a * b)
        return "number", a * b
    if lk == "text" or rk == "text":
        return ("text", a + b) if isinstance(node, nodes.Add) and lk == rk == "text" else None
    if isinstance(node, nodes.Add):
        return "number", a + b
    if isinstance(node, nodes.Sub):
        return "number", a - b
    if isinstance(node, nodes.FloorDiv):
        return ("number", a // b) if b else None
    if b < 0:
        return None
    return ("number", a**b) if b <= MAX_POWER and abs(a) <= 2**64 else ("number", HUGE)


def _shown(node: nodes.Node) -> str:
    """An operand as the template writes it, short: agent.name, 'x', 12, [..], range(..); … for the rest."""
    if isinstance(node, nodes.Const) and isinstance(node.value, str | int):
        text = repr(node.value)
        return text if len(text) <= 16 else text[:14] + ("…'" if isinstance(node.value, str) else "…")
    if isinstance(node, nodes.List | nodes.Tuple):
        return "[..]"
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
        return f"{node.node.name}(..)"
    return dotted(node)


def _too_large(report: Report, lineno: int, place: str, what_ja: str, what_en: str, n: int, limit: int) -> None:
    shown = "とても大きな数" if n >= HUGE else f"{n:,}"
    report(
        lineno,
        "error",
        "unbounded",
        say(
            f"「{place}」の{what_ja}が {shown} です。上限は {limit:,} で、このままでは書類を作成できません"
            f"（大きすぎる指定はメモリを使い切ります）。{limit:,} 以下の数字にしてください",
            f"'{place}': {what_en} {'a huge number' if n >= HUGE else f'{n:,}'} is above the limit of {limit:,}; the"
            f" document cannot be made (a size this large uses up memory). Use a number up to {limit:,}.",
        ),
    )


def _computed(report: Report, lineno: int, place: str, bound: Bound) -> None:
    report(
        lineno,
        "warning",
        "unbounded",
        say(
            f"「{place}」の{bound.ja}が変数や計算で決まります。{bound.limit:,} を超えると書類の作成が止まります。"
            "数字で書いてください",
            f"'{place}': the {bound.en} comes from a variable or a calculation; above {bound.limit:,} the"
            " document cannot be made. Write it as a number.",
        ),
    )


def _arguments(report: Report, call: nodes.Filter | nodes.Call, place: str, bounds: tuple[Bound, ...]) -> None:
    """Each size argument of a filter or method: too large (error) or not written out (warning)."""
    for bound in bounds:
        arg: nodes.Expr | None = call.args[bound.position] if bound.position < len(call.args) else None
        arg = next((k.value for k in call.kwargs if k.key == bound.keyword), arg)
        if arg is None:
            continue  # the default: small
        value = literal(arg)
        if value is None:
            _computed(report, call.lineno, place, bound)
        elif abs(value[1]) > bound.limit:
            _too_large(report, call.lineno, place, bound.ja, bound.en, abs(value[1]), bound.limit)


def _percent(report: Report, node: nodes.Node, lineno: int, place: str) -> None:
    """'%999999999s' % x: a width or precision above MAX_WIDTH, or one given by * (an argument)."""
    if not (isinstance(node, nodes.Const) and isinstance(node.value, str)):
        return
    for m in PERCENT_SPEC.finditer(node.value):
        for n in m.groups():
            if n == "*":
                report(
                    lineno,
                    "error",
                    "unbounded",
                    say(
                        f"「{place}」: '%' の書式の幅を * で後から渡すことはできません。{MAX_WIDTH:,} 以下の数字で"
                        "書いてください",
                        f"'{place}': a '%' format width given by * is not allowed; write a number up to {MAX_WIDTH:,}.",
                    ),
                )
            elif n and int(n) > MAX_WIDTH:
                _too_large(report, lineno, place, "'%' の書式の幅", "the '%' format width", int(n), MAX_WIDTH)


def _call(report: Report, node: nodes.Call) -> None:
    if isinstance(node.node, nodes.Name) and node.node.name == "range":
        values = [literal(a) for a in node.args]
        if values and all(v and v[0] == "number" for v in values) and 1 <= len(values) <= 3:
            try:
                size = len(range(*(v[1] for v in values if v)))
            except OverflowError:
                size = HUGE
            except ValueError:  # a step of 0: Jinja says so
                size = 0
            if size > MAX_RANGE:
                _too_large(report, node.lineno, "range(..)", "数の個数", "the count of numbers", size, MAX_RANGE)
    elif isinstance(node.node, nodes.Getattr) and node.node.attr in BOUNDED_METHODS:
        owner, name = node.node.node, node.node.attr
        place = f"{_shown(owner)}.{name}()"
        _arguments(report, node, place, BOUNDED_METHODS[name])
        sep = literal(owner) if name == "join" else None
        if sep and sep[0] == "text" and sep[1] > MAX_WIDTH:
            _too_large(report, node.lineno, place, "区切りの長さ", "the separator's length", sep[1], MAX_WIDTH)


def _repeat(report: Report, node: nodes.Mul | nodes.Pow) -> None:
    """'x' * 3000000000, [1, 2] * n written out above MAX_TEXT; 10 ** 100000000 above MAX_POWER."""
    place = f"{_shown(node.left)} {node.operator} {_shown(node.right)}"
    if isinstance(node, nodes.Pow):
        exponent = literal(node.right)
        if exponent and exponent[0] == "number" and abs(exponent[1]) > MAX_POWER:
            _too_large(report, node.lineno, place, "指数", "the exponent", abs(exponent[1]), MAX_POWER)
        return
    size = literal(node)
    if size and size[0] == "text" and size[1] > MAX_TEXT:
        _too_large(report, node.lineno, place, "繰り返した長さ", "the repeated length", size[1], MAX_TEXT)


def bound_findings(ast: nodes.Template, report: Report) -> None:
    """Report every size in `ast` that is above the sandbox's limits (error) or not written out (warning)."""
    for node in ast.find_all((nodes.Filter, nodes.Call, nodes.Mul, nodes.Pow, nodes.Mod)):
        if isinstance(node, nodes.Filter):
            place = f"{_shown(node.node)}|{node.name}" if node.node is not None else f"|{node.name}"
            if node.name in BOUNDED_FILTERS:
                _arguments(report, node, place, BOUNDED_FILTERS[node.name])
            elif node.name == "format" and node.node is not None:
                _percent(report, node.node, node.lineno, place)
        elif isinstance(node, nodes.Call):
            _call(report, node)
        elif isinstance(node, nodes.Mod):
            _percent(report, node.left, node.lineno, f"{_shown(node.left)} % ..")
        elif isinstance(node, nodes.Mul | nodes.Pow):
            _repeat(report, node)
