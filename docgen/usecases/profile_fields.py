"""The profile model as a tree of fields, for the profile's forms: read from the pydantic model (docgen/profile/),
so a field added to the model appears in its form without new page code.

A leaf's kind (date, month, year, amount, yes/no, a choice) is the questionnaire's (docgen.intake.layout reads it
from the model's type the same way), its label the questionnaire's question, and what staff type in it is read as
the questionnaire reads a cell: 和暦, full-width digits, 4,500,000円 (docgen.intake.values).

The fields are grouped into pages (GROUPS): each group claims some paths of the profile; the fields nobody claims
fall to the case page (top level) or the person page (the applicant's), so a new field always has a page."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from docgen.intake.layout import (
    Section,
    applicant_sheet,
    family_sheet,
    guarantor_sheet,
    office_sheet,
    question,
)
from docgen.intake.questions import texts
from docgen.intake.values import (
    MAX_TEXT,
    BadValue,
    parse_bool,
    parse_choice,
    parse_date,
    parse_int,
    parse_month,
    parse_text,
    parse_year,
)
from docgen.intake.workbook import short
from docgen.messages import say
from docgen.profile.annotations import model_class, optional_inner
from docgen.profile.model import Profile
from docgen.text import Text

Loc = tuple[str | int, ...]
MAX_LONG_TEXT = 20_000  # characters in one field typed on a page (a 理由書's body is a few thousand)
Kind = Literal["text", "latin", "date", "month", "year", "int", "amount", "bool", "choice"]


@dataclass(frozen=True)
class Leaf:
    """One value: its YAML name, label, kind, the choices of a dropdown, whether the model requires it."""

    key: str
    label: Text
    help: str  # the model's description of the field ('' when it has none)
    kind: Kind
    choices: tuple[str, ...] = ()
    required: bool = False
    default: Any = None  # the model's default (None: required, or none)
    optional: bool = False  # the model accepts an empty value (`X | None`)


@dataclass(frozen=True)
class Block:
    """A block of fields (passport, employer, hsp …); `optional`: the profile may leave the whole block out (the
    model's `X | None`: the employer, the HSP facts), so a block emptied on a page is removed."""

    key: str
    label: Text
    help: str
    fields: tuple[Node, ...]
    optional: bool


@dataclass(frozen=True)
class Rows:
    """A list of entries (trips, income years, family members …), each entry the same fields."""

    key: str
    label: Text
    help: str
    fields: tuple[Node, ...]


Node = Leaf | Block | Rows


@dataclass(frozen=True)
class Group:
    """One page of the profile's forms: the paths it claims (with no claims: what no other group claims)."""

    key: str
    title: Text
    claims: tuple[Loc, ...]


GROUPS: tuple[Group, ...] = (
    Group("case", Text("案件", "Case"), ()),
    Group("person", Text("本人", "Person"), (("applicant",),)),
    Group("residence", Text("在留歴", "Residence history"), (("applicant", "residence_history"),)),
    Group("trips", Text("出入国歴", "Trips abroad"), (("applicant", "trips"),)),
    Group(
        "jobs",
        Text("勤務先・職歴", "Employer and jobs"),
        (("applicant", "employer"), ("applicant", "employment"), ("applicant", "business")),
    ),
    Group("income", Text("収入・住民税", "Income and 住民税"), (("applicant", "income"),)),
    Group(
        "insurance",
        Text("年金・保険", "Pension and insurance"),
        (("applicant", "pension"), ("applicant", "health_insurance"), ("applicant", "social_insurance_employer")),
    ),
    Group("hsp", Text("高度専門職", "HSP points"), (("applicant", "hsp"),)),
    Group("family", Text("家族", "Family"), (("family",),)),
    Group("guarantor", Text("身元保証人・扶養者", "Guarantor and supporter"), (("guarantor",), ("supporter",))),
)


def group_of(key: str) -> Group | None:
    return next((g for g in GROUPS if g.key == key), None)


@cache
def _labels() -> dict[tuple[str, ...], Text]:
    """Field path without list indices -> the questionnaire's question (Japanese and English)."""
    questions = texts().questions

    def label(key: str) -> Text:
        return Text(short(questions[key]["ja"]), short(questions[key]["en"]))

    out: dict[tuple[str, ...], Text] = {}
    for layout in (applicant_sheet(hsp=True, business=True), family_sheet(), guarantor_sheet(supporter=True)):
        for item in layout.items:
            if isinstance(item, Section):
                for q in item.questions:
                    out[(*layout.root, *q.path)] = label(q.label)
            else:
                out[(*layout.root, *item.path)] = label(item.label)
                for q in item.columns:
                    out[(*layout.root, *item.path, *q.path)] = label(q.label)
    for item in office_sheet().items:
        for q in item.questions if isinstance(item, Section) else ():
            out[q.path] = label(q.label)
    return out


BLOCK_LABELS = {  # blocks the questionnaire asks about field by field, without a title of their own
    "applicant": Text("申請人", "Applicant"),
    "passport": Text("旅券", "Passport"),
    "criminal_record": Text("犯罪歴", "Criminal record"),
    "application": Text("同時に申請する方の申請内容", "Their own application"),
    "filing_agent": Text("取次者（行政書士）", "Filing agent"),
    "guarantor": Text("身元保証人", "Guarantor"),
    "supporter": Text("扶養者", "Supporter"),
    "family": Text("家族", "Family"),
}


def _label(path: tuple[str, ...], key: str, help_text: str) -> Text:
    found = _labels().get(path)
    if found is not None and not re.search("[（）()]", found.ja):
        return found
    if key in BLOCK_LABELS:
        return BLOCK_LABELS[key]
    words = help_text.split(" (")[0].split(";")[0].strip() or key
    return Text(words, key.replace("_", " "))


def _nodes(model: type[BaseModel], path: tuple[str, ...]) -> tuple[Node, ...]:
    out: list[Node] = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        here = (*path, key)
        annotation, optional = optional_inner(info.annotation)
        help_text = info.description or ""
        label = _label(here, key, help_text)
        inner = model_class(annotation)
        if inner is not None:
            out.append(Block(key, label, help_text, _nodes(inner, here), optional))
        elif get_origin(annotation) is list and (entry := model_class(get_args(annotation)[0])) is not None:
            out.append(Rows(key, label, help_text, _nodes(entry, here)))
        else:
            q = question(model, key, "")
            out.append(Leaf(key, label, help_text, q.kind, q.choices, q.required, q.default, optional))
    return tuple(out)


@cache
def profile_tree() -> tuple[Node, ...]:
    """Every field of the profile model, as the forms show them."""
    return _nodes(Profile, ())


def group_fields(group: Group) -> tuple[tuple[Loc, Node], ...]:
    """The fields of a group's page with where each sits (the path of the block or list it is in)."""
    tree = profile_tree()
    others = {claim for g in GROUPS if g is not group for claim in g.claims}
    if not group.claims:  # the case: the top-level fields no group claims
        return tuple(((), n) for n in tree if (n.key,) not in others and not any(c[0] == n.key for c in others))
    out: list[tuple[Loc, Node]] = []
    for claim in group.claims:
        parent, node = _find(tree, claim)
        if isinstance(node, Block) and any(c[: len(claim)] == claim and len(c) > len(claim) for c in others):
            # a block other groups take parts of (the applicant): its fields nobody else claims
            out += [((*claim,), n) for n in node.fields if (*claim, n.key) not in others]
        elif node is not None:
            out.append((parent, node))
    return tuple(out)


def _find(tree: tuple[Node, ...], path: Loc) -> tuple[Loc, Node | None]:
    nodes, node = tree, None
    for part in path:
        node = next((n for n in nodes if n.key == part), None)
        if node is None:
            return path[:-1], None
        nodes = node.fields if isinstance(node, Block | Rows) else ()
    return path[:-1], node


def node_at(path: Loc) -> Node | None:
    """The field at a profile path (list indices skipped)."""
    return _find(profile_tree(), tuple(p for p in path if isinstance(p, str)))[1]


def group_for(path: Loc) -> Group:
    """The page a profile path is edited on (the longest claim that holds it; else case or person)."""
    names = tuple(p for p in path if isinstance(p, str))
    best: tuple[int, Group] | None = None
    for group in GROUPS:
        for claim in group.claims:
            if names[: len(claim)] == claim and (best is None or len(claim) > best[0]):
                best = (len(claim), group)
    return best[1] if best else GROUPS[0]


def read_value(leaf: Leaf, raw: str) -> Any:
    """What staff typed in a field, read as the questionnaire reads a cell (和暦, full-width, 4,500,000円);
    None for an empty field. Raises BadValue with a message in staff words that does not repeat the value."""
    raw = raw.replace("\r\n", "\n")  # a browser sends a text area's lines with CR LF
    if leaf.kind == "date":
        return parse_date(raw)
    if leaf.kind == "month":
        return parse_month(raw)
    if leaf.kind == "year":
        return parse_year(raw)
    if leaf.kind in ("int", "amount"):
        return parse_int(raw)
    if leaf.kind == "bool":
        return parse_bool(raw)
    if leaf.kind == "choice":
        return parse_choice(raw, leaf.choices)
    if len(raw) > MAX_TEXT:  # a 理由書's body may be longer than a questionnaire's cell: the same checks otherwise
        if len(raw) > MAX_LONG_TEXT:
            raise BadValue(
                say(f"長すぎます（{MAX_LONG_TEXT}文字まで）", f"too long (at most {MAX_LONG_TEXT} characters)")
            )
        if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in raw):
            raise BadValue(
                say(
                    "制御文字が含まれています。文字だけを書いてください", "contains control characters; write text only"
                )
            )
        return raw.strip() or None
    return parse_text(raw, latin=leaf.kind == "latin")


def shown_value(value: Any) -> str:
    """A profile value as a form field holds it: dates as YYYY-MM-DD, yes/no as true/false, nothing as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def staff_value(node: Node | None, value: Any) -> Text:
    """A profile value as staff read it on a page (not in a form field): はい/いいえ, dates as 2026年11月22日,
    nothing as ''."""
    if isinstance(node, Leaf) and node.kind == "date" and isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = date.fromisoformat(value)
    if isinstance(value, bool):
        return Text("はい", "yes") if value else Text("いいえ", "no")
    if isinstance(value, date):
        return Text(f"{value.year}年{value.month}月{value.day}日", value.isoformat())
    shown = shown_value(value)
    return Text(shown, shown)


def form_key(loc: Loc) -> str:
    """('applicant', 'trips', 0, 'return') -> 'applicant.trips.0.return' (a form field's name)."""
    return ".".join(str(p) for p in loc)


FIELD_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def loc_of_field_path(text: str) -> Loc:
    """'applicant.trips[0].return' (a problem's field) -> ('applicant', 'trips', 0, 'return')."""
    return tuple(int(m.group(2)) if m.group(2) else m.group(1) for m in FIELD_PATH_PART.finditer(text))


def leaves(nodes: tuple[Node, ...], data: Any, at: Loc) -> Iterator[tuple[Loc, Leaf, Any]]:
    """Every leaf under `nodes` at `at` in plain profile data, with its value (None when absent); a list gives
    its entries."""
    for node in nodes:
        here = (*at, node.key)
        value = data.get(node.key) if isinstance(data, dict) else None
        if isinstance(node, Leaf):
            yield here, node, value
        elif isinstance(node, Block):
            yield from leaves(node.fields, value, here)
        else:
            for i, entry in enumerate(value if isinstance(value, list) else []):
                yield from leaves(node.fields, entry, (*here, i))


__all__ = ["GROUPS", "BadValue", "Block", "Group", "Leaf", "Node", "Rows", "group_fields", "profile_tree"]
