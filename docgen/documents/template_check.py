"""Check Word templates before they are used: the mistakes Word and its users make.

`check_template` reads a .docx the way docxtpl will (body, headers and footers) and
reports each problem as a `Finding` with the paragraph text around it, so staff can
find the spot in Word. `fix_template` repairs what can be repaired safely: tags that
Word split over several runs, and curly or full-width characters typed inside tags.
"""

from __future__ import annotations

import difflib
import html
import re
import shutil
import subprocess
import types
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import (
    Annotated,
    Any,
    Callable,
    Iterator,
    Literal,
    Union,
    get_args,
    get_origin,
)

import jinja2
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docxtpl import DocxTemplate
from jinja2 import nodes
from lxml import etree
from pydantic import BaseModel

from docgen.documents.context import DocumentContext
from docgen.documents.render import FILTERS, environment
from docgen.resources import FONTS_CONF

Severity = Literal["error", "warning"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"



@dataclass(frozen=True)
class Finding:
    """One problem in one template: where (file, part), what (code, message) and the text around it."""

    file: Path
    part: str
    severity: Severity
    code: str
    message: str
    context: str = ""

    def __str__(self) -> str:
        where = f"{self.file.name} ({self.part})" if self.part else self.file.name
        around = f"\n    「{self.context}」" if self.context else ""
        return f"{where}: {self.severity} [{self.code}] {self.message}{around}"


# ---------------------------------------------------------------------------
# Reading the parts docxtpl renders


@dataclass
class _Part:
    name: str  # e.g. word/document.xml, word/header1.xml
    element: etree._Element  # the XML as saved by Word
    jinja_lines: list[str]  # what Jinja parses: docxtpl's patched XML, one paragraph per line


def _parts(tpl: DocxTemplate) -> list[_Part]:
    """The body, headers and footers, each with the text docxtpl hands to Jinja."""
    out = []

    def add(name: str, element: etree._Element) -> None:
        xml = tpl.patch_xml(etree.tostring(element, encoding="unicode", pretty_print=False))
        xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)  # as docxtpl does: Jinja line n = paragraph n
        out.append(_Part(name, element, xml.split("\n")))

    add("word/document.xml", tpl.docx._element.body)
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _key, part in tpl.get_headers_footers(uri):
            add(str(part.partname).lstrip("/"), etree.fromstring(part.blob))
    return out


def _line_text(line: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", line)).strip()


def _around(lines: list[str], lineno: int | None) -> str:
    """The paragraph text at a Jinja line (XML tags stripped); the nearest non-empty one if blank."""
    if not lineno:
        return ""
    i = lineno - 1
    for d in (0, -1, 1, -2, 2, -3, 3):
        if 0 <= i + d < len(lines):
            text = _line_text(lines[i + d])
            if text:
                return _shorten(text)
    return ""


def _shorten(text: str, limit: int = 160) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _owner_paragraph(el: etree._Element) -> etree._Element | None:
    parent = el.getparent()
    while parent is not None and parent.tag != f"{W}p":
        parent = parent.getparent()
    return parent


def _text_nodes(p: etree._Element) -> list[etree._Element]:
    """The w:t of this paragraph's own runs (not of paragraphs nested in text boxes)."""
    return [t for t in p.iter(f"{W}t") if _owner_paragraph(t) is p]


def _para_text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in _text_nodes(p))


def _paragraphs(element: etree._Element) -> Iterator[etree._Element]:
    yield from element.iter(f"{W}p")


# ---------------------------------------------------------------------------
# Tags in the saved XML (what Word did to them)

TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
OPEN_RE = re.compile(r"\{\{|\{%")
SMART_QUOTES = "“”‘’"
_STRING_RE = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”|‘[^’]*’|[“‘][^“”‘’]*[”’]")
_KEYWORDS = "if|elif|else|endif|for|endfor|set|endset|with|endwith|macro|endmacro|call|endcall|filter|endfilter"
MISSING_SPACE_RE = re.compile(r"\{%-?\s*(p|tr|tc|r)(" + _KEYWORDS + r")\b")
MISSING_SPACE_VAR_RE = re.compile(r"\{\{-?(p|r)([A-Za-z_]\w*)")
SPECIAL_RE = {y: re.compile(r"\{%-?" + y + r" ") for y in ("p", "tr", "tc")}


def _fullwidth_outside_strings(tag: str) -> list[str]:
    """Full-width ASCII look-alikes (typed with the Japanese IME) in a tag, outside quoted strings."""
    code = _STRING_RE.sub("''", tag)
    return sorted({c for c in code if 0xFF01 <= ord(c) <= 0xFF5E})


def _tag_findings(part: str, p: etree._Element, add: Callable[..., None]) -> None:
    """Split, curly-quoted, full-width and badly spaced tags in one paragraph."""
    texts = _text_nodes(p)
    full = "".join(t.text or "" for t in texts)
    if "{" not in full:
        return
    owner = []  # run of each character
    for t in texts:
        owner += [t.getparent()] * len(t.text or "")
    context = _shorten(full)
    for m in TAG_RE.finditer(full):
        tag = m.group(0)
        runs = {id(r) for r in owner[m.start():m.end()]}
        if len(runs) > 1:
            add(part, "warning", "split_tag",
                f"the tag {_shorten(tag, 60)} is split over {len(runs)} runs (Word 内部で文字列が分割されています: "
                "書式・校正・変更履歴など). docxtpl usually joins it, but it takes the formatting of the first part "
                "and breaks if Word puts anything between the braces. Repair: docgen templates check --fix, "
                "or delete the tag and type it again in one go.", context)
        if any(q in tag for q in SMART_QUOTES):
            add(part, "warning", "smart_quotes",
                f"curly quotes “ ” ‘ ’ inside {_shorten(tag, 60)} (スマート引用符). Use straight quotes ' or \" "
                "(Word: オートコレクト → 入力オートフォーマット → 「'記号付き'を'記号付き'に」 off). Repair: --fix.", context)
        wide = _fullwidth_outside_strings(tag)
        if wide:
            add(part, "error", "fullwidth_in_tag",
                f"full-width characters {' '.join(wide)} inside {_shorten(tag, 60)} (全角文字). Tags must be typed "
                "in half-width (半角) except inside quoted text. Repair: --fix.", context)
    leftover = TAG_RE.sub("", full)
    if OPEN_RE.search(leftover):
        add(part, "error", "unclosed_tag",
            "a tag opened here ({{ or {%) is not closed in the same paragraph (タグが閉じていない / 段落をまたいでいる). "
            "Close it with }} or %} on the same line.", context)
    for m in MISSING_SPACE_RE.finditer(full):
        add(part, "error", "special_tag_missing_space",
            f"'{m.group(0)}' needs a space: write {{%{m.group(1)} {m.group(2)} … %}} (docxtpl の特殊タグの後には空白が必要).",
            context)
    for m in MISSING_SPACE_VAR_RE.finditer(full):
        if m.group(2) in DocumentContext.model_fields:
            add(part, "error", "special_tag_missing_space",
                f"'{m.group(0)}' needs a space: write {{{{{m.group(1)} {m.group(2)} }}}} or {{{{ {m.group(1)}{m.group(2)} }}}} "
                "as intended (docxtpl の特殊タグの後には空白が必要).", context)
    p_tags = SPECIAL_RE["p"].findall(full)
    if p_tags:
        rest = TAG_RE.sub(lambda m: "" if SPECIAL_RE["p"].match(m.group(0)) else m.group(0), full).strip()
        if len(p_tags) > 1:
            add(part, "error", "p_tag_with_text",
                "two {%p %} tags in one paragraph: docxtpl keeps only the first. Put each {%p %} in its own paragraph "
                "(段落ごとに1つ).", context)
        elif rest:
            add(part, "error", "p_tag_with_text",
                f"{{%p %}} replaces its whole paragraph, so the text beside it ('{_shorten(rest, 40)}') disappears. "
                "Put the {%p %} tag alone in its own paragraph (単独の段落に).", context)


def _container_findings(part: str, element: etree._Element, add: Callable[..., None]) -> None:
    """{%tr %} / {%tc %} must be alone in their table row / cell."""
    for kind, tag_name, where in (("tr", "tr", "table row (表の行)"), ("tc", "tc", "table cell (セル)")):
        for box in element.iter(f"{W}{tag_name}"):
            texts = [t.text or "" for t in box.iter(f"{W}t")]
            full = "".join(texts)
            if f"{kind} " not in full:
                continue
            tags = [m.group(0) for m in TAG_RE.finditer(full) if SPECIAL_RE[kind].match(m.group(0))]
            if not tags:
                continue
            rest = TAG_RE.sub(lambda m: "" if SPECIAL_RE[kind].match(m.group(0)) else m.group(0), full).strip()
            if len(tags) > 1 or rest:
                what = f"other content ('{_shorten(rest, 40)}')" if rest else "a second {%" + kind + " %} tag"
                add(part, "error", f"{kind}_tag_with_content",
                    f"{{%{kind} %}} replaces its whole {where}, and this one also holds {what}, which disappears. "
                    f"Give the {{%{kind} %}} tag a {where} of its own (for a table: one row {{%tr for … %}}, "
                    "one data row, one row {%tr endfor %}).", _shorten(full))


_REVISIONS = ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "tblPrChange", "trPrChange", "tcPrChange",
              "sectPrChange")


def _first_context(el: etree._Element) -> str:
    p = el if el.tag == f"{W}p" else _owner_paragraph(el)
    if p is None:
        inner = next(el.iter(f"{W}p"), None)
        p = inner
    if p is None:
        return ""
    text = _para_text(p) or "".join(t.text or "" for t in p.iter(f"{W}t", f"{W}delText"))
    return _shorten(text)


def _word_feature_findings(part: str, element: etree._Element, add: Callable[..., None]) -> None:
    """Tracked changes, comments and content controls: Word features docxtpl does not understand."""
    revisions = [el for name in _REVISIONS for el in element.iter(f"{W}{name}")]
    if revisions:
        add(part, "error", "tracked_changes",
            f"{len(revisions)} tracked change(s) (変更履歴). Generated documents would show them, and a tag inside "
            "a change can break. In Word: 校閲 → 承諾 → すべての変更を反映 (accept all), then turn 変更履歴の記録 off.",
            _first_context(revisions[0]))
    refs = list(element.iter(f"{W}commentReference"))
    if refs:
        add(part, "warning", "comments",
            f"{len(refs)} comment(s) (コメント) would be copied into every generated document. "
            "Delete them (校閲 → 削除 → ドキュメント内のすべてのコメントを削除).", _first_context(refs[0]))
    sdts = list(element.iter(f"{W}sdt"))
    if sdts:
        bound = any(True for s in sdts for _ in s.iter(f"{W}dataBinding"))
        add(part, "warning", "content_control",
            f"{len(sdts)} content control(s) (コンテンツ コントロール)"
            + (" bound to document data: Word overwrites the filled-in values when the file is opened" if bound else "")
            + ". Tags inside them may not render as expected; remove the controls and keep plain text "
            "(開発 → コントロールを右クリック → コンテンツ コントロールの削除).", _first_context(sdts[0]))


# ---------------------------------------------------------------------------
# Jinja: syntax, names, attributes and filters against DocumentContext

_ANY = "any"  # a value whose attributes cannot be checked
_LOOP = "loop"
_UNSAFE = "unsafe"  # already reported: do not report what follows it
LOOP_ATTRS = {"index", "index0", "revindex", "revindex0", "first", "last", "length", "cycle", "depth", "depth0",
              "previtem", "nextitem", "changed"}
_DATE_ATTRS = {"year": int, "month": int, "day": int, "weekday": _ANY, "isoformat": _ANY, "strftime": _ANY}
_DICT_METHODS = {"get", "items", "keys", "values"}
_SAME_TYPE_FILTERS = {"default", "d", "sort", "reverse", "unique", "list", "selectattr", "rejectattr", "select", "reject"}
_ITEM_FILTERS = {"first", "last", "random", "min", "max"}


def _unwrap(tp: Any) -> Any:
    """Optional[X] -> X, Annotated[X, …] -> X, Literal[...] -> str."""
    origin = get_origin(tp)
    if origin is Annotated:
        return _unwrap(get_args(tp)[0])
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else _ANY
    if origin is Literal:
        return str
    return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def model_properties(model: type[BaseModel]) -> set[str]:
    """Public properties defined in the project's models (e.g. Trip.days), not pydantic's own."""
    return {name for cls in model.__mro__ if cls.__module__.startswith("docgen")
            for name, value in vars(cls).items() if isinstance(value, property) and not name.startswith("_")}


def _members(tp: Any) -> dict[str, Any] | None:
    """Attribute name -> type for a type, or None when anything goes."""
    tp = _unwrap(tp)
    if tp is _ANY or tp is _UNSAFE:
        return None
    if tp is _LOOP:
        return {a: _ANY for a in LOOP_ATTRS}
    if _is_model(tp):
        out: dict[str, Any] = {n: f.annotation for n, f in tp.model_fields.items()}
        out.update({n: _ANY for n in model_properties(tp)})
        return out
    if get_origin(tp) is dict:
        return None
    if tp is date:
        return dict(_DATE_ATTRS)
    if tp is str:
        return {n: _ANY for n in dir(str) if not n.startswith("_")}
    return {}


def _item_type(tp: Any) -> Any:
    """What a for loop over a value of this type binds."""
    tp = _unwrap(tp)
    if get_origin(tp) in (list, tuple, set):
        args = get_args(tp)
        return args[0] if args else _ANY
    if get_origin(tp) is dict:
        return str
    return _ANY


def _type_name(tp: Any) -> str:
    tp = _unwrap(tp)
    if get_origin(tp) is list:
        return f"a list of {_type_name(get_args(tp)[0])}"
    return getattr(tp, "__name__", str(tp))


def _suggest(name: str, candidates: list[str]) -> str:
    """' Did you mean …?': candidates spelt like the name, or with a word (between _) spelt like it."""
    def score(candidate: str) -> float:
        whole = difflib.SequenceMatcher(None, name.lower(), candidate.lower()).ratio()
        words = max(difflib.SequenceMatcher(None, w, c).ratio() for w in name.lower().split("_") for c in candidate.lower().split("_"))
        return max(whole, words)

    ranked = sorted((c for c in candidates if score(c) >= 0.6), key=lambda c: -score(c))[:5]
    return f" Did you mean {' / '.join(ranked)}? (もしかして)" if ranked else ""


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_dotted(node.node)}[{node.arg.value!r}]"
    return "…"


class _NameChecker:
    """Walks a Jinja AST, tracking what each name is, and reports what DocumentContext does not have."""

    def __init__(self, env: jinja2.Environment, report: Callable[[int, Severity, str, str], None]):
        self.env = env
        self.report = report
        self.top = {n: f.annotation for n, f in DocumentContext.model_fields.items()}

    def body(self, items: list[nodes.Node], scope: dict[str, Any]) -> None:
        for node in items:
            self.stmt(node, scope)

    def stmt(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.Expr):
            self.expr(node, scope)
        elif isinstance(node, nodes.For):
            inner = dict(scope)
            self.bind(node.target, _item_type(self.expr(node.iter, scope)), inner)
            inner["loop"] = _LOOP
            if node.test is not None:
                self.expr(node.test, inner)
            self.body(node.body, inner)
            self.body(node.else_, scope)
        elif isinstance(node, nodes.Assign):
            self.bind(node.target, self.expr(node.node, scope), scope)
        elif isinstance(node, nodes.AssignBlock):
            self.body(node.body, scope)
            self.bind(node.target, str, scope)
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            inner = dict(scope, caller=_ANY, varargs=_ANY, kwargs=_ANY)
            for d in node.defaults:
                self.expr(d, scope)
            for a in node.args:
                inner[a.name] = _ANY
            if isinstance(node, nodes.CallBlock):
                self.expr(node.call, scope)
            self.body(node.body, inner)
            if isinstance(node, nodes.Macro):
                scope[node.name] = _ANY
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values):
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
                self.bind(item, _ANY, scope)

    def expr(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        if isinstance(node, nodes.Name):
            return self.name(node, scope)
        if isinstance(node, nodes.Getattr):
            return self.attr(self.expr(node.node, scope), node.attr, node)
        if isinstance(node, nodes.Getitem):
            base = self.expr(node.node, scope)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                if get_origin(_unwrap(base)) is dict:
                    return get_args(_unwrap(base))[1]
                return self.attr(base, node.arg.value, node)
            self.expr(node.arg, scope)
            if get_origin(_unwrap(base)) is dict:
                return get_args(_unwrap(base))[1]
            return _item_type(base)
        if isinstance(node, nodes.Filter):
            return self.filter(node, scope)
        if isinstance(node, nodes.Test):
            self.expr(node.node, scope)
            self.args(node, scope)
            if node.name not in self.env.tests:
                self.report(node.lineno, "error", "unknown_test",
                            f"unknown test 'is {node.name}' (存在しない判定)." + _suggest(node.name, sorted(self.env.tests)))
            return bool
        for child in node.iter_child_nodes():
            self.expr(child, scope) if isinstance(child, nodes.Expr) else self.stmt(child, scope)
        return _ANY

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
            return _ANY
        if node.name in scope:
            return scope[node.name]
        if node.name in self.top:
            return self.top[node.name]
        if node.name in self.env.globals:
            return _ANY
        hint = " ('loop' exists only inside a {% for %})" if node.name == "loop" else ""
        self.report(node.lineno, "error", "unknown_variable",
                    f"unknown variable '{node.name}' (存在しない変数){hint}. Templates can use: "
                    f"{', '.join(sorted(self.top))}, and names set by for/set." + _suggest(node.name, sorted({*scope, *self.top})))
        return _ANY

    def attr(self, base: Any, attr: str, node: nodes.Node) -> Any:
        path = _dotted(node)
        if base is _UNSAFE:
            return _UNSAFE
        if attr.startswith("_"):
            self.report(node.lineno, "error", "unsafe_attribute",
                        f"'{path}' reaches Python internals; the sandbox (サンドボックス) blocks names starting with _. "
                        "Use only the documented variables (docgen templates export).")
            return _UNSAFE
        members = _members(base)
        if members is None:
            return _ANY
        if attr in members:
            return members[attr]
        owner = _type_name(base)
        if get_origin(_unwrap(base)) is list:
            self.report(node.lineno, "error", "unknown_attribute",
                        f"'{path}': {_dotted(node.node)} is {owner}, not one record; loop over it "
                        f"({{%tr for x in {_dotted(node.node)} %}} … {{{{ x.{attr} }}}}).")
            return _ANY
        fields = sorted(members) if _unwrap(base) is not str else []
        self.report(node.lineno, "error", "unknown_attribute",
                    f"'{path}': {owner} has no field '{attr}' (存在しない項目)." + _suggest(attr, fields))
        return _ANY

    def filter(self, node: nodes.Filter, scope: dict[str, Any]) -> Any:
        base = self.expr(node.node, scope) if node.node is not None else _ANY
        self.args(node, scope)
        if node.name not in self.env.filters:
            self.report(node.lineno, "error", "unknown_filter",
                        f"unknown filter '|{node.name}' (存在しないフィルター). docgen filters: {', '.join(sorted(FILTERS))}."
                        + _suggest(node.name, sorted(self.env.filters)))
            return _ANY
        self.filter_attribute(node, base)
        if node.name in _SAME_TYPE_FILTERS:
            return base
        if node.name in _ITEM_FILTERS:
            return _item_type(base)
        return _ANY

    def filter_attribute(self, node: nodes.Filter, base: Any) -> None:
        """The attribute named in sort(attribute='x'), selectattr('x'), map(attribute='x') … must exist."""
        names = [k.value.value for k in node.kwargs if k.key == "attribute" and isinstance(k.value, nodes.Const)]
        if node.name in ("selectattr", "rejectattr", "groupby") and node.args and isinstance(node.args[0], nodes.Const):
            names.append(node.args[0].value)
        item = _item_type(base)
        for name in names:
            tp = item
            for part in str(name).split("."):
                members = _members(tp)
                if members is None or part.isdigit():
                    break
                if part not in members:
                    self.report(node.lineno, "error", "unknown_attribute",
                                f"|{node.name}('{name}'): {_type_name(tp)} has no field '{part}' (存在しない項目)."
                                + _suggest(part, sorted(members)))
                    break
                tp = members[part]


_SYNTAX_HINTS = {
    "unknown tag 'p'": "write {%p if … %} with no space between % and p",
    "unknown tag 'tr'": "write {%tr … %} with no space between % and tr",
    "unknown tag 'tc'": "write {%tc … %} with no space between % and tc",
    "unknown tag 'r'": "write {%r … %} with no space between % and r",
    "unexpected char": "a full-width (全角) or curly character inside a tag",
    "Unexpected end of template": "a {% if %} or {% for %} without its {% endif %} / {% endfor %}",
}


def _jinja_findings(part: _Part, env: jinja2.Environment, add: Callable[..., None]) -> None:
    """Parse what docxtpl gives Jinja; then check every name, attribute, filter and test."""
    source = "\n".join(part.jinja_lines)
    try:
        ast = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        hint = next((h for k, h in _SYNTAX_HINTS.items() if k in exc.message), "")
        add(part.name, "error", "syntax_error",
            f"Jinja syntax error (構文エラー): {exc.message}" + (f" — probably {hint}." if hint else "."),
            _around(part.jinja_lines, exc.lineno))
        return

    def report(lineno: int, severity: Severity, code: str, message: str) -> None:
        add(part.name, severity, code, message, _around(part.jinja_lines, lineno))

    _NameChecker(env, report).body(ast.body, {})


# ---------------------------------------------------------------------------
# Fonts

_YU_RE = re.compile(r"游|^yu\s*(mincho|gothic)", re.IGNORECASE)
_SLOTS = ("ascii", "hAnsi", "eastAsia")  # complex-script (cs) fonts are never used for Japanese or English text
_BUILTIN_ALIASES = {
    "IPAexMincho": ["ＭＳ 明朝", "MS Mincho", "ＭＳ Ｐ明朝", "MS PMincho", "MS 明朝", "MS P明朝"],
    "IPAexGothic": ["ＭＳ ゴシック", "MS Gothic", "ＭＳ Ｐゴシック", "MS PGothic", "MS ゴシック", "MS Pゴシック"],
}


def _norm(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold().replace(" ", "")


@lru_cache(maxsize=1)
def _installed_families() -> frozenset[str]:
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=30).stdout
    return frozenset(_norm(f) for line in out.splitlines() for f in line.split(","))


def _aliases() -> dict[str, list[str]]:
    """Font name -> the families it is aliased to: from docgen/fonts/fonts.conf, else the built-in MS → IPAex list."""
    if FONTS_CONF.exists():
        out: dict[str, list[str]] = {}
        tree = etree.parse(str(FONTS_CONF))
        for alias in tree.iter("alias"):
            family = alias.findtext("family")
            targets = [f.text for tag in ("prefer", "accept", "default") for el in alias.findall(tag)
                       for f in el.findall("family") if f.text]
            if family:
                out.setdefault(_norm(family), []).extend(targets)
        return out
    return {_norm(n): [target] for target, names in _BUILTIN_ALIASES.items() for n in names}


@lru_cache(maxsize=256)
def font_resolves(name: str) -> bool:
    """Whether the PDF machine has this font, or an alias the project installs for it (fc-match / fc-list)."""
    targets = _aliases().get(_norm(name))
    if targets is not None:
        return any(_norm(t) in _installed_families() for t in targets)
    pattern = re.sub(r"([-:,\\])", r"\\\1", name)
    out = subprocess.run(["fc-match", "-f", "%{family}", pattern], capture_output=True, text=True, timeout=30).stdout
    return any(_norm(f) == _norm(name) for f in out.split(","))


def _used_styles(styles: etree._Element, parts: list[_Part]) -> list[etree._Element]:
    """Styles the document uses (directly, as defaults, or through basedOn / link)."""
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    wanted = {s.get(f"{W}styleId") for s in by_id.values() if s.get(f"{W}default") in ("1", "true")}
    for part in parts:
        for tag in ("pStyle", "rStyle", "tblStyle"):
            wanted |= {el.get(f"{W}val") for el in part.element.iter(f"{W}{tag}")}
    seen: list[etree._Element] = []
    todo = [w for w in wanted if w in by_id]
    done: set[str] = set()
    while todo:
        sid = todo.pop()
        if sid in done or sid not in by_id:
            continue
        done.add(sid)
        style = by_id[sid]
        seen.append(style)
        for tag in ("basedOn", "link"):
            el = style.find(f"{W}{tag}")
            if el is not None:
                todo.append(el.get(f"{W}val"))
    return seen


def _font_findings(tpl: DocxTemplate, parts: list[_Part], add: Callable[..., None]) -> None:
    """Theme fonts and 游 fonts are errors; fonts the PDF machine lacks are warnings."""
    if not shutil.which("fc-match") or not shutil.which("fc-list"):
        add("", "warning", "fonts_unchecked", "fontconfig (fc-match) is not installed here, so fonts were not checked.")
        return
    styles = tpl.docx.styles.element
    places: list[tuple[str, etree._Element]] = []  # (where, w:rFonts)
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    default_style_fonts = [s.find(f"{W}rPr/{W}rFonts") for s in styles.iter(f"{W}style")
                           if s.get(f"{W}type") == "paragraph" and s.get(f"{W}default") in ("1", "true")]
    for style in _used_styles(styles, parts):
        name_el = style.find(f"{W}name")
        label = f"style '{name_el.get(f'{W}val') if name_el is not None else style.get(f'{W}styleId')}' (スタイル)"
        places += [(label, f) for f in style.iter(f"{W}rFonts")]
    for part in parts:
        for f in part.element.iter(f"{W}rFonts"):
            p = _owner_paragraph(f)
            places.append((_shorten(_para_text(p)) if p is not None else part.name, f))
    if defaults is not None:
        overridden = {slot for slot in _SLOTS for f in default_style_fonts if f is not None
                      and f.get(f"{W}{slot}") and not f.get(f"{W}{slot}Theme")}
        themes = sorted({defaults.get(f"{W}{slot}Theme") for slot in _SLOTS
                         if defaults.get(f"{W}{slot}Theme") and slot not in overridden})
        if themes:
            add("word/styles.xml", "error", "theme_font",
                f"the document default font uses the theme font(s) {', '.join(themes)} (テーマのフォント; 游明朝 / "
                "游ゴシック in recent Word). Theme fonts are not allowed: set explicit fonts, e.g. ＭＳ 明朝 / IPAex明朝 "
                "for 日本語 (ホーム → フォント → 詳細設定, then 既定に設定).", "document defaults (既定のフォント)")
        places.append(("document defaults (既定のフォント)", defaults))
    reported: set[tuple[str, str]] = set()
    for where, el in places:
        for slot in _SLOTS:
            theme = el.get(f"{W}{slot}Theme")
            if theme and where != "document defaults (既定のフォント)" and ("theme", where) not in reported:
                reported.add(("theme", where))
                add("word/styles.xml" if "スタイル" in where else "", "error", "theme_font",
                    f"theme font {theme} (テーマのフォント) is used. Theme fonts are not allowed because they become "
                    "游明朝/游ゴシック in recent Word and something else on the PDF machine: choose an explicit font "
                    "such as ＭＳ 明朝 or IPAex明朝.", where)
            name = el.get(f"{W}{slot}")
            if not name or ("font", name) in reported:
                continue
            if _YU_RE.search(name):
                reported.add(("font", name))
                add("", "error", "yu_font",
                    f"the font '{name}' (游フォント) is not installed on the PDF machine, and Word doubles its line "
                    "height on a document grid. Use ＭＳ 明朝 / ＭＳ ゴシック (or IPAex明朝 / IPAexゴシック).", where)
            elif not font_resolves(name):
                reported.add(("font", name))
                add("", "warning", "font_not_installed",
                    f"the font '{name}' is not installed on this machine and has no alias, so the PDF uses another "
                    "font and the layout may shift. Use ＭＳ 明朝 / ＭＳ ゴシック / IPAex fonts.", where)


# ---------------------------------------------------------------------------
# Public API


def check_template(path: Path) -> list[Finding]:
    """Every problem found in one .docx template, errors first."""
    path = Path(path)
    findings: list[Finding] = []
    seen: set[tuple[str, str, str, str]] = set()

    def add(part: str, severity: Severity, code: str, message: str, context: str = "") -> None:
        key = (part, code, message, context)
        if key not in seen:
            seen.add(key)
            findings.append(Finding(path, part, severity, code, message, context))

    try:
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
        parts = _parts(tpl)
    except Exception as exc:  # not a zip, or broken XML: nothing else can be checked
        add("", "error", "unreadable", f"cannot be read as a Word document ({type(exc).__name__}: {exc}).")
        return findings
    env = environment()
    for part in parts:
        _jinja_findings(part, env, add)
        for p in _paragraphs(part.element):
            _tag_findings(part.name, p, add)
        _container_findings(part.name, part.element, add)
        _word_feature_findings(part.name, part.element, add)
    if any(str(p.partname) == "/word/comments.xml" for p in tpl.docx.part.package.iter_parts()) and not any(
            f.code == "comments" for f in findings):
        add("word/comments.xml", "warning", "comments",
            "the file has a comments part (コメント); delete all comments before using it as a template.")
    _font_findings(tpl, parts, add)
    return sorted(findings, key=lambda f: f.severity != "error")


def template_files(directory: Path) -> list[Path]:
    """The .docx templates in a folder (Word's ~$ lock files left out)."""
    return sorted(p for p in Path(directory).glob("*.docx") if not p.name.startswith("~$"))


def check_dir(directory: Path) -> dict[Path, list[Finding]]:
    """check_template for every .docx in a folder."""
    return {p: check_template(p) for p in template_files(directory)}


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


# ---------------------------------------------------------------------------
# Repair

_QUOTE_MAP = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def _clean_tag(tag: str) -> str:
    """Straight quotes; full-width ASCII look-alikes outside quoted strings to half width."""
    tag = tag.translate(_QUOTE_MAP)
    pieces, last = [], 0
    for m in _STRING_RE.finditer(tag):
        pieces.append(unicodedata.normalize("NFKC", tag[last:m.start()]) if _fullwidth_outside_strings(tag[last:m.start()]) else tag[last:m.start()])
        pieces.append(m.group(0))
        last = m.end()
    rest = tag[last:]
    pieces.append(unicodedata.normalize("NFKC", rest) if _fullwidth_outside_strings(rest) else rest)
    return "".join(pieces)


def _set_text(t: etree._Element, text: str) -> None:
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _fix_paragraph(p: etree._Element) -> list[str]:
    """Join each split tag into its first run and clean its characters; returns what was done."""
    done = []
    for _ in range(200):  # one tag per pass; re-read the runs after each change
        texts = _text_nodes(p)
        full = "".join(t.text or "" for t in texts)
        starts, pos = [], 0
        for t in texts:
            starts.append(pos)
            pos += len(t.text or "")
        target = None
        for m in TAG_RE.finditer(full):
            first = max(i for i, s in enumerate(starts) if s <= m.start())
            last = max(i for i, s in enumerate(starts) if s < m.end())
            clean = _clean_tag(m.group(0))
            if first != last or clean != m.group(0):
                target = (m, first, last, clean)
                break
        if target is None:
            return done
        m, first, last, clean = target
        head = texts[first].text or ""
        tail = texts[last].text or ""
        if first == last:
            a = m.start() - starts[first]
            _set_text(texts[first], head[:a] + clean + head[a + len(m.group(0)):])
            done.append(f"straightened {m.group(0)!r} → {clean!r}")
            continue
        _set_text(texts[first], head[: m.start() - starts[first]] + clean)
        for t in texts[first + 1:last]:
            _set_text(t, "")
        _set_text(texts[last], tail[m.end() - starts[last]:])
        done.append(f"joined {m.group(0)!r} ({last - first + 1} pieces) into one run"
                    + (f" and straightened it to {clean!r}" if clean != m.group(0) else ""))
        for t in texts[first + 1:last + 1]:
            run = t.getparent()
            if not (t.text or ""):
                run.remove(t)
            if run.tag == f"{W}r" and all(c.tag == f"{W}rPr" for c in run):
                run.getparent().remove(run)
        for proof in [el for el in p.iter(f"{W}proofErr")]:
            proof.getparent().remove(proof)
    return done


def fix_template(path: Path, out: Path | None = None) -> list[str]:
    """Repair split tags and curly/full-width characters inside tags; save to `out` (default: in place)."""
    path = Path(path)
    doc = Document(str(path))
    elements = [("word/document.xml", doc.element.body)]
    for rel in doc.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external:
            elements.append((str(rel.target_part.partname).lstrip("/"), rel.target_part.element))
    repaired = []
    for name, element in elements:
        for p in list(_paragraphs(element)):
            text = _shorten(_para_text(p), 60)
            repaired += [f"{name}: {what} in 「{text}」" for what in _fix_paragraph(p)]
    doc.save(str(out or path))
    return repaired
