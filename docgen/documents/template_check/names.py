"""Jinja checks: syntax, and every name, attribute, filter and test against the typed context model.

In: one `_Part` (the lines docxtpl hands to Jinja) and the project's sandboxed Jinja environment.
Out: findings through `add` — syntax errors with a hint, unknown variables / fields / filters / tests
(with "did you mean"), lists used as one record, attributes that reach Python internals, and values that may
be empty (`X | None` in the model: agent, supporter, applicant.employer …) read without a guard
(`{% if x %}`, `x and …`, `… if x else …`, `x is not none`, `|default`): the document cannot be made for a
case where the value is empty. `agent` is filled by docgen.toml [office] when a profile has none, so with
[office] its use is only a warning.
The types of the context model are read in model_types.py, the guards in guards.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, get_args, get_origin

import jinja2
from jinja2 import nodes

from docgen.documents.context import DocumentContext
from docgen.documents.render import FILTERS
from docgen.documents.template_check.bounds import bound_findings
from docgen.documents.template_check.finding import Severity
from docgen.documents.template_check.guards import dotted, false_when, true_when
from docgen.documents.template_check.model_types import (
    ANY,
    BLOCKED_FILTERS,
    BLOCKED_METHODS,
    ITEM_FILTERS,
    LOOP,
    SAME_TYPE_FILTERS,
    UNSAFE,
    item_type,
    members_of,
    optional,
    suggest,
    type_name,
    unwrap,
)
from docgen.documents.template_check.parts import _around, _Part
from docgen.messages import say
from docgen.profile.model import FilingAgent


class _NameChecker:
    """Walks a Jinja AST, tracking what each name is, and reports what DocumentContext does not have."""

    def __init__(
        self, env: jinja2.Environment, report: Callable[[int, Severity, str, str], None], *, office: bool = False
    ):
        self.env = env
        self.report = report
        self.office = office  # docgen.toml has [office]: agent is never empty
        self.top = {n: f.annotation for n, f in DocumentContext.model_fields.items()}
        self.known: frozenset[str] = frozenset()  # names a surrounding {% if %}, and / or or … if … else shows set
        self.excused: set[int] = set()  # attribute reads that |default catches when their value is empty

    @contextmanager
    def assuming(self, names: frozenset[str]) -> Iterator[None]:
        """Inside a guard: these names are not empty."""
        before = self.known
        self.known = before | names
        try:
            yield
        finally:
            self.known = before

    def body(self, items: list[nodes.Node], scope: dict[str, Any]) -> None:
        for node in items:
            self.stmt(node, scope)

    def stmt(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.Expr):
            self.expr(node, scope)
        elif isinstance(node, nodes.If):
            ruled_out: frozenset[str] = frozenset()  # what the earlier tests of an if / elif chain being false shows
            for branch in (node, *node.elif_):
                with self.assuming(ruled_out):
                    self.expr(branch.test, scope)
                    with self.assuming(true_when(branch.test)):
                        self.body(branch.body, scope)
                ruled_out |= false_when(branch.test)
            with self.assuming(ruled_out):
                self.body(node.else_, scope)
        elif isinstance(node, nodes.For):
            inner = dict(scope)
            self.bind(node.target, item_type(self.expr(node.iter, scope)), inner)
            inner["loop"] = LOOP
            if node.test is not None:
                self.expr(node.test, inner)
            with self.assuming(true_when(node.test) if node.test is not None else frozenset()):
                self.body(node.body, inner)
            self.body(node.else_, scope)
        elif isinstance(node, nodes.Assign):
            self.bind(node.target, self.expr(node.node, scope), scope)
        elif isinstance(node, nodes.AssignBlock):
            self.body(node.body, scope)
            self.bind(node.target, str, scope)
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            inner = dict(scope, caller=ANY, varargs=ANY, kwargs=ANY)
            for d in node.defaults:
                self.expr(d, scope)
            for a in node.args:
                inner[a.name] = ANY
            if isinstance(node, nodes.CallBlock):
                self.expr(node.call, scope)
            self.body(node.body, inner)
            if isinstance(node, nodes.Macro):
                scope[node.name] = ANY
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=False):
                self.bind(target, self.expr(value, scope), inner)
            self.body(node.body, inner)
        else:
            for child in node.iter_child_nodes():
                self.stmt(child, scope)

    def bind(self, target: nodes.Node, tp: Any, scope: dict[str, Any]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = tp
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, ANY, scope)

    def expr(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        if isinstance(node, nodes.Name):
            return self.name(node, scope)
        if isinstance(node, nodes.Getattr):
            return self.attr(self.expr(node.node, scope), node.attr, node)
        if isinstance(node, nodes.Getitem):
            base = self.expr(node.node, scope)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                if get_origin(unwrap(base)) is dict:
                    return get_args(unwrap(base))[1]
                return self.attr(base, node.arg.value, node)
            self.expr(node.arg, scope)
            self.guarded(base, node)
            if get_origin(unwrap(base)) is dict:
                return get_args(unwrap(base))[1]
            return item_type(base)
        if isinstance(node, nodes.CondExpr):
            self.expr(node.test, scope)
            with self.assuming(true_when(node.test)):
                self.expr(node.expr1, scope)
            if node.expr2 is not None:
                with self.assuming(false_when(node.test)):
                    self.expr(node.expr2, scope)
            return ANY
        if isinstance(node, (nodes.And, nodes.Or)):
            self.expr(node.left, scope)
            with self.assuming((true_when if isinstance(node, nodes.And) else false_when)(node.left)):
                self.expr(node.right, scope)
            return ANY
        if isinstance(node, nodes.Filter):
            return self.filter(node, scope)
        if isinstance(node, nodes.Test):
            self.expr(node.node, scope)
            self.args(node, scope)
            if node.name not in self.env.tests:
                self.report(
                    node.lineno,
                    "error",
                    "unknown_test",
                    say(f"判定 'is {node.name}' はありません", f"unknown test 'is {node.name}' (存在しない判定).")
                    + suggest(node.name, sorted(self.env.tests)),
                )
            return bool
        for child in node.iter_child_nodes():
            self.expr(child, scope) if isinstance(child, nodes.Expr) else self.stmt(child, scope)
        return ANY

    def args(self, node: nodes.Filter | nodes.Test | nodes.Call, scope: dict[str, Any]) -> None:
        for a in node.args:
            self.expr(a, scope)
        for k in node.kwargs:
            self.expr(k.value, scope)
        for extra in (node.dyn_args, node.dyn_kwargs):
            if extra is not None:
                self.expr(extra, scope)

    def name(self, node: nodes.Name, scope: dict[str, Any]) -> Any:
        if node.ctx != "load":
            return ANY
        if node.name in scope:
            return scope[node.name]
        if node.name in self.top:
            return self.top[node.name]
        if node.name in self.env.globals:
            return ANY
        loop = node.name == "loop"
        top = ", ".join(sorted(self.top))
        self.report(
            node.lineno,
            "error",
            "unknown_variable",
            say(
                f"変数 '{node.name}' はありません"
                + ("（'loop' は {% for %} の中だけで使えます）" if loop else "")
                + f"。テンプレートで使えるのは {top} と、for / set で決めた名前です",
                f"unknown variable '{node.name}' (存在しない変数)"
                + (" ('loop' exists only inside a {% for %})" if loop else "")
                + f". Templates can use: {top}, and names set by for/set.",
            )
            + suggest(node.name, sorted({*scope, *self.top})),
        )
        return ANY

    def attr(self, base: Any, attr: str, node: nodes.Getattr | nodes.Getitem) -> Any:
        path = dotted(node)
        if base is UNSAFE:
            return UNSAFE
        if attr.startswith("_") or attr in BLOCKED_METHODS:
            self.report(
                node.lineno,
                "error",
                "unsafe_attribute",
                say(
                    f"'{path}' は Python の内部に触れます。テンプレートでは _ で始まる名前や .format は使えません"
                    "（サンドボックス）。一覧にある変数だけを使ってください（docgen templates export）",
                    f"'{path}' reaches Python internals; templates may not use names starting with _ or"
                    " .format (サンドボックス). Use only the documented variables (docgen templates export).",
                ),
            )
            return UNSAFE
        self.guarded(base, node)
        members = members_of(base)
        if members is None:
            return ANY
        if attr in members:
            return members[attr]
        owner = type_name(base)
        if get_origin(unwrap(base)) is list:
            self.report(
                node.lineno,
                "error",
                "unknown_attribute",
                say(
                    f"'{path}': {dotted(node.node)} は一覧（複数件）で、1件の記録ではありません。"
                    f"繰り返して使ってください（{{%tr for x in {dotted(node.node)} %}} … {{{{ x.{attr} }}}}）",
                    f"'{path}': {dotted(node.node)} is {owner}, not one record; loop over it "
                    f"({{%tr for x in {dotted(node.node)} %}} … {{{{ x.{attr} }}}}).",
                ),
            )
            return ANY
        fields = sorted(members) if unwrap(base) is not str else []
        self.report(
            node.lineno,
            "error",
            "unknown_attribute",
            say(
                f"'{path}': {dotted(node.node)} に項目 '{attr}' はありません",
                f"'{path}': {owner} has no field '{attr}' (存在しない項目).",
            )
            + suggest(attr, fields),
        )
        return ANY

    def guarded(self, base: Any, node: nodes.Getattr | nodes.Getitem) -> None:
        """Report reading into a value that may be empty (X | None) outside a guard: it fails for cases where it is.
        One message per value, so a paragraph using agent.name and agent.office is reported once."""
        value = dotted(node.node)
        if not optional(base) or value in self.known or id(node) in self.excused:
            return
        guard = f"{{% if {value} %}} … {{% endif %}}"
        if unwrap(base) is FilingAgent and self.office:
            self.report(
                node.lineno,
                "warning",
                "needs_office",
                say(
                    f"取次者 '{value}' を {{% if {value} %}} の外で使っています。プロフィールに filing_agent がない"
                    "案件では docgen.toml の [office] が取次者になるので作成できますが、[office] を消したり別の設定で"
                    f"使ったりすると作成できなくなります。{guard} で囲むと安全です",
                    f"the filing agent '{value}' is used outside {{% if {value} %}}: it works only while docgen.toml"
                    " has [office], which fills in the filing agent when a profile has none; without [office] the"
                    f" document cannot be made. Putting it inside {guard} is safe.",
                ),
            )
        elif unwrap(base) is FilingAgent:
            self.report(
                node.lineno,
                "error",
                "needs_office",
                say(
                    f"取次者 '{value}' を {{% if {value} %}} の外で使っています。docgen.toml に [office] がないので、"
                    "プロフィールに filing_agent がない案件では取次者が空になり、この書類を作成できません"
                    f"（packet と preview が止まります）。{guard} で囲むか、docgen.toml に [office] を書いてください",
                    f"the filing agent '{value}' is used outside {{% if {value} %}}: it is empty when neither the"
                    " profile's filing_agent nor docgen.toml [office] gives a filing agent, and then this document"
                    f" cannot be made (packet and preview stop). Put it inside {guard}, or write [office] in"
                    " docgen.toml.",
                ),
            )
        else:
            self.report(
                node.lineno,
                "error",
                "may_be_empty",
                say(
                    f"'{value}' は案件によって空（なし）になる項目です。空の案件ではこの書類を作成できません。"
                    f"{guard} の中で使ってください",
                    f"'{value}' is empty (None) in some cases, and then this document cannot be made; use it inside"
                    f" {guard}.",
                ),
            )

    def filter(self, node: nodes.Filter, scope: dict[str, Any]) -> Any:
        if node.name in ("default", "d") and isinstance(node.node, (nodes.Getattr, nodes.Getitem)):
            self.excused.add(id(node.node))  # {{ agent.name|default('') }}: an empty agent gives the default
        base = self.expr(node.node, scope) if node.node is not None else ANY
        self.args(node, scope)
        if node.name in BLOCKED_FILTERS:
            self.report(
                node.lineno,
                "error",
                "unsafe_filter",
                say(
                    f"'|{node.name}' はテンプレートでは使えません: {BLOCKED_FILTERS[node.name][0]}",
                    f"'|{node.name}' is not allowed in templates (使用できないフィルター):"
                    f" {BLOCKED_FILTERS[node.name][1]}",
                ),
            )
            return UNSAFE
        if node.name not in self.env.filters:
            self.report(
                node.lineno,
                "error",
                "unknown_filter",
                say(
                    f"フィルター '|{node.name}' はありません。docgen のフィルター: {', '.join(sorted(FILTERS))}",
                    f"unknown filter '|{node.name}' (存在しないフィルター)."
                    f" docgen filters: {', '.join(sorted(FILTERS))}.",
                )
                + suggest(node.name, sorted(self.env.filters)),
            )
            return ANY
        self.filter_attribute(node, base)
        if node.name in SAME_TYPE_FILTERS:
            return base
        if node.name in ITEM_FILTERS:
            return item_type(base)
        return ANY

    def filter_attribute(self, node: nodes.Filter, base: Any) -> None:
        """The attribute named in sort(attribute='x'), selectattr('x'), map(attribute='x') … must exist."""
        names = [k.value.value for k in node.kwargs if k.key == "attribute" and isinstance(k.value, nodes.Const)]
        if node.name in ("selectattr", "rejectattr", "groupby") and node.args and isinstance(node.args[0], nodes.Const):
            names.append(node.args[0].value)
        item = item_type(base)
        for name in names:
            tp = item
            for part in str(name).split("."):
                members = members_of(tp)
                if members is None or part.isdigit():
                    break
                if part not in members:
                    self.report(
                        node.lineno,
                        "error",
                        "unknown_attribute",
                        say(
                            f"|{node.name}('{name}'): {type_name(tp)} に項目 '{part}' はありません",
                            f"|{node.name}('{name}'): {type_name(tp)} has no field '{part}' (存在しない項目).",
                        )
                        + suggest(part, sorted(members)),
                    )
                    break
                tp = members[part]


_SYNTAX_HINTS: dict[str, tuple[str, str]] = {  # Jinja's message -> the likely cause, in Japanese and in English
    "unknown tag 'p'": (
        "% と p の間に空白があります。{%p if … %} と空白を入れずに書いてください",
        "write {%p if … %} with no space between % and p",
    ),
    "unknown tag 'tr'": (
        "% と tr の間に空白があります。{%tr … %} と空白を入れずに書いてください",
        "write {%tr … %} with no space between % and tr",
    ),
    "unknown tag 'tc'": (
        "% と tc の間に空白があります。{%tc … %} と空白を入れずに書いてください",
        "write {%tc … %} with no space between % and tc",
    ),
    "unknown tag 'r'": (
        "% と r の間に空白があります。{%r … %} と空白を入れずに書いてください",
        "write {%r … %} with no space between % and r",
    ),
    "unexpected char": (
        "タグの中に全角の文字か “ ” などの引用符があります",
        "a full-width (全角) or curly character inside a tag",
    ),
    "Unexpected end of template": (
        "{% if %} や {% for %} に対応する {% endif %} / {% endfor %} がありません",
        "a {% if %} or {% for %} without its {% endif %} / {% endfor %}",
    ),
}


def _jinja_findings(part: _Part, env: jinja2.Environment, add: Callable[..., None], *, office: bool = False) -> None:
    """Parse what docxtpl gives Jinja; then check every name, attribute, filter and test (`office`: docgen.toml
    has [office], so agent is never empty)."""
    source = "\n".join(part.jinja_lines)
    try:
        ast = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        ja, en = next((h for k, h in _SYNTAX_HINTS.items() if k in (exc.message or "")), ("", ""))
        add(
            part.name,
            "error",
            "syntax_error",
            say(
                f"Jinja の構文エラー: {exc.message}" + (f"（おそらく、{ja}）" if ja else ""),
                f"Jinja syntax error (構文エラー): {exc.message}" + (f" — probably {en}." if en else "."),
            ),
            _around(part.jinja_lines, exc.lineno),
        )
        return

    def report(lineno: int, severity: Severity, code: str, message: str) -> None:
        add(part.name, severity, code, message, _around(part.jinja_lines, lineno))

    _NameChecker(env, report, office=office).body(ast.body, {})
    bound_findings(ast, report)
