"""The sandbox office templates run in, with limits on what an expression may build: loop ranges, repeated
text, powers, widths, counts and '%' widths. Each bounded filter and text method checks its sizes before it
runs (`BOUNDED_FILTERS`, `BOUNDED_METHODS`: `templates check` reports the same sizes before a packet is built)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import filters as jinja_filters
from jinja2 import pass_environment, pass_eval_context
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from docgen.messages import say

MAX_RANGE = 1_000  # a form has a few dozen rows; a loop over more is a mistake
MAX_TEXT = 1_000_000  # characters one expression may build ('x' * n, a list repeated, |indent, |join …)
MAX_POWER = 64  # exponent of **
MAX_WIDTH = 1_000  # a width, padding or separator: |center(n), |indent(n), '%10s', '-'.ljust(n) …


class TooLarge(SecurityError):
    """A template asked for something bigger than the limits (a width, a range, a text)."""


@dataclass(frozen=True)
class Bound:
    """An argument of a filter or text method whose size a template may not choose freely: its position after
    the value, its keyword, the largest number (or text length) allowed, and what it is, for staff."""

    position: int
    keyword: str
    limit: int
    ja: str
    en: str


WIDTH = Bound(0, "width", MAX_WIDTH, "幅", "width")
# What `templates check` reports and the sandbox refuses: filter -> its size arguments.
BOUNDED_FILTERS: dict[str, tuple[Bound, ...]] = {
    "center": (WIDTH,),
    "indent": (WIDTH,),
    "wordwrap": (WIDTH, Bound(2, "wrapstring", MAX_WIDTH, "改行に使う文字の長さ", "line break text length")),
    "batch": (Bound(0, "linecount", MAX_RANGE, "1組の数", "batch size"),),
    "slice": (Bound(0, "slices", MAX_RANGE, "分ける数", "number of slices"),),
    "truncate": (
        Bound(0, "length", MAX_TEXT, "長さ", "length"),
        Bound(2, "end", MAX_WIDTH, "末尾の文字の長さ", "end text length"),
    ),
    "join": (Bound(0, "d", MAX_WIDTH, "区切りの長さ", "separator length"),),
    "replace": (Bound(1, "new", MAX_WIDTH, "置き換える文字の長さ", "replacement length"),),
}
# The same for methods of text: '-'.ljust(n), 'x'.zfill(n) … (join and replace: the size of the result)
BOUNDED_METHODS: dict[str, tuple[Bound, ...]] = {
    "center": (WIDTH,),
    "ljust": (WIDTH,),
    "rjust": (WIDTH,),
    "zfill": (WIDTH,),
    "expandtabs": (Bound(0, "tabsize", MAX_WIDTH, "タブの幅", "tab size"),),
    "join": (),
    "replace": (Bound(1, "new", MAX_WIDTH, "置き換える文字の長さ", "replacement length"),),
}
# '%10s', '%-5d', '%.3f', '%*d': a width or precision in printf-style formatting (group 1 and 2)
PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?[diouxXeEfFgGcrsa%]")


def _size(value: Any) -> int | None:
    """The number a size argument asks for: an int, or the length of a text (None for anything else)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return abs(value)
    return len(value) if isinstance(value, str) else None


def _within(where: str, bounds: tuple[Bound, ...], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse an argument of `where` (|center, .ljust …) above its bound."""
    for b in bounds:
        value = args[b.position] if b.position < len(args) else kwargs.get(b.keyword)
        n = _size(value)
        if n is not None and n > b.limit:
            raise TooLarge(
                say(
                    f"{where} の{b.ja} {n:,} は大きすぎます（上限 {b.limit:,}）",
                    f"{where} with {b.en} {n:,} is not allowed in templates (limit {b.limit:,})",
                )
            )


def _text_limit(where: str, length: int) -> None:
    """Refuse a result of more than MAX_TEXT characters before it is built."""
    if length > MAX_TEXT:
        raise TooLarge(
            say(
                f"{where} の結果が {length:,} 文字になります（上限 {MAX_TEXT:,}）",
                f"{where} would make {length:,} characters; text longer than {MAX_TEXT:,} is not allowed in templates",
            )
        )


def _center(value: str, width: int = 80) -> str:
    _within("|center", BOUNDED_FILTERS["center"], (width,), {})
    return jinja_filters.do_center(value, width)


def _indent(s: str, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    _within("|indent", BOUNDED_FILTERS["indent"], (width,), {})
    text = str(s)
    _text_limit("|indent", len(text) + (text.count("\n") + 1) * (_size(width) or 0))
    return jinja_filters.do_indent(s, width, first, blank)


@pass_environment
def _wordwrap(
    env: jinja2.Environment,
    s: str,
    width: int = 79,
    break_long_words: bool = True,
    wrapstring: str | None = None,
    break_on_hyphens: bool = True,
) -> str:
    _within("|wordwrap", BOUNDED_FILTERS["wordwrap"], (width, break_long_words, wrapstring), {})
    text = str(s)
    lines = len(text) // max(1, width // 2) + text.count("\n") + 1  # a line holds at least half the width
    _text_limit("|wordwrap", len(text) + lines * len(wrapstring or env.newline_sequence))
    return jinja_filters.do_wordwrap(env, s, width, break_long_words, wrapstring, break_on_hyphens)


def _batch(value: Any, linecount: int, fill_with: Any = None) -> Any:
    _within("|batch", BOUNDED_FILTERS["batch"], (linecount,), {})
    return jinja_filters.do_batch(value, linecount, fill_with)


def _slice(value: Any, slices: int, fill_with: Any = None) -> Any:
    _within("|slice", BOUNDED_FILTERS["slice"], (slices,), {})
    return jinja_filters.sync_do_slice(value, slices, fill_with)


@pass_environment
def _truncate(
    env: jinja2.Environment,
    s: str,
    length: int = 255,
    killwords: bool = False,
    end: str = "...",
    leeway: int | None = None,
) -> str:
    _within("|truncate", BOUNDED_FILTERS["truncate"], (length, killwords, end), {})
    return jinja_filters.do_truncate(env, s, length, killwords, end, leeway)


@pass_eval_context
def _join(eval_ctx: EvalContext, value: Any, d: str = "", attribute: str | int | None = None) -> str:
    _within("|join", BOUNDED_FILTERS["join"], (d,), {})
    items = list(value)
    _text_limit("|join", len(d) * len(items))
    return jinja_filters.sync_do_join(eval_ctx, items, d, attribute)


@pass_eval_context
def _replace(eval_ctx: EvalContext, s: str, old: str, new: str, count: int | None = None) -> str:
    _within("|replace", BOUNDED_FILTERS["replace"], (old, new), {})
    text = str(s)
    _text_limit("|replace", len(text) + text.count(str(old)) * len(str(new)))
    return jinja_filters.do_replace(eval_ctx, s, old, new, count)


BOUNDED: dict[str, Any] = {
    "center": _center,
    "indent": _indent,
    "wordwrap": _wordwrap,
    "batch": _batch,
    "slice": _slice,
    "truncate": _truncate,
    "join": _join,
    "replace": _replace,
}


def _percent(template: str, args: Any) -> None:
    """Refuse printf-style formatting ('%10s' % x) with a width or precision above MAX_WIDTH, or a * one."""
    for m in PERCENT_SPEC.finditer(template):
        for n in m.groups():
            if n == "*" or (n and int(n) > MAX_WIDTH):
                shown = "*" if n == "*" else f"{int(n):,}"
                raise TooLarge(
                    say(
                        f"'%' の書式の幅 {shown} は使えません（数字で {MAX_WIDTH:,} まで）",
                        f"a '%' format width of {shown} is not allowed in templates (a number up to {MAX_WIDTH:,})",
                    )
                )


class LimitedSandbox(SandboxedEnvironment):
    """The sandbox, with limits on what a template may build: loop ranges, repeated text, powers, '%' widths,
    and the size arguments of text methods (the bounded filters are set by `environment`)."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_POWER:
            raise TooLarge(
                say(
                    f"{MAX_POWER} を超える累乗（**）は使えません",
                    f"a power above {MAX_POWER} is not allowed in templates",
                )
            )
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(n, int):
                    _text_limit("*", len(seq) * n)
        if operator == "%" and isinstance(left, str):
            _percent(left, right)
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> None:
        """'{:>999999999}'.format(x) and .format_map: refused where the template reads them (Jinja would wrap them
        in its own formatter, widths included)."""
        if super().wrap_str_format(value) is not None:
            raise SecurityError(
                say(
                    f"文字列の .{value.__name__} はテンプレートでは使えません",
                    f".{value.__name__} is not allowed in templates",
                )
            )

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, str) and name in BOUNDED_METHODS:
            _within(f".{name}", BOUNDED_METHODS[name], args, kwargs)
            if name == "join" and args:
                items = list(args[0])
                _text_limit(".join", len(owner) * len(items) + sum(len(str(i)) for i in items))
                args = (items, *args[1:])
            if name == "replace" and len(args) >= 2:
                _text_limit(".replace", len(owner) + owner.count(str(args[0])) * len(str(args[1])))
            if name == "expandtabs":
                tabs = _size(args[0] if args else kwargs.get("tabsize", 8)) or 0
                _text_limit(".expandtabs", len(owner) + owner.count("\t") * tabs)
        return super().call(__context, __obj, *args, **kwargs)


def limited_range(*args: int) -> range:
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise TooLarge(
            say(
                f"range() で {len(r):,} 個の数は作れません（上限 {MAX_RANGE:,}）",
                f"range() over more than {MAX_RANGE:,} numbers is not allowed in templates",
            )
        )
    return r
