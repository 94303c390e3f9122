"""The widgets of a profile page, made from the model's fields (docgen.usecases.profile_fields) and the values and
problems of the page: a text box, a text area or a dropdown per value, a box of fields per block, a table per
list of simple entries, a box per entry of a list whose entries hold lists (the family). Each problem goes beside
the widget of the field it names; what names no widget of the page is shown at the top."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from docgen.text import Text
from docgen.usecases.profile_fields import Block, Leaf, Loc, Node, Rows, form_key

LONG_TEXT = {"statement", "reason", "activities", "details"}  # written as sentences: a text area
PLACEHOLDERS = {
    "date": Text("2026-11-30 / 令和8年11月30日", "2026-11-30 / 令和8年11月30日"),
    "month": Text("2024-04 / 令和6年4月", "2024-04 / 令和6年4月"),
    "year": Text("2024 / 令和6年", "2024 / 令和6年"),
    "amount": Text("4500000 / 450万円", "4500000 / 450万円"),
}
YES, NO, UNSET = Text("はい", "yes"), Text("いいえ", "no"), Text("—", "—")
DELETE = "_delete"


@dataclass
class Input:
    shape: ClassVar[str] = "input"  # what the template draws
    name: str  # the form field's name (its path in the profile)
    label: Text
    help: str
    widget: str  # text / textarea / select
    value: str
    options: list[tuple[str, Text | str]] = field(default_factory=list)
    required: bool = False
    placeholder: Text | None = None
    kind: str = "text"
    errors: list[str] = field(default_factory=list)


@dataclass
class Box:
    """A block of fields, or one entry of a list of complex entries."""

    shape: ClassVar[str] = "box"  # what the template draws
    name: str
    label: Text
    help: str
    children: list[Widget]
    errors: list[str] = field(default_factory=list)
    delete: str = ""  # the name of the "remove" box of an entry or an optional block ('' for none)
    new: bool = False  # the blank entry offered for a new one
    deleted: bool = False  # its "remove" box was ticked (a page given back)


@dataclass
class Table:
    """A list of simple entries: a row per entry, a column per field, a blank row for a new one."""

    shape: ClassVar[str] = "table"  # what the template draws
    name: str
    label: Text
    help: str
    columns: list[tuple[Text, str, bool]]  # label, help, required
    rows: list[tuple[int, list[Input], list[str], bool]]  # index, cells, the entry's own problems, ticked to go
    errors: list[str] = field(default_factory=list)


@dataclass
class Entries:
    """A list of complex entries (the family): a box per entry."""

    shape: ClassVar[str] = "entries"  # what the template draws
    name: str
    label: Text
    help: str
    boxes: list[Box]
    errors: list[str] = field(default_factory=list)


Widget = Input | Box | Table | Entries


@dataclass
class _Page:
    values: Mapping[str, str]
    counts: Mapping[str, int]
    problems: Mapping[str, list[str]]
    used: set[str] = field(default_factory=set)

    def errors(self, name: str) -> list[str]:
        self.used.add(name)
        return list(self.problems.get(name, []))


def _input(leaf: Leaf, name: str, page: _Page) -> Input:
    value = page.values.get(name, "")
    errors = page.errors(name)
    if leaf.kind == "bool":
        options: list[tuple[str, Text | str]] = [("true", YES), ("false", NO)]
        if leaf.optional or leaf.default is None or value == "":
            options.insert(0, ("", UNSET))
        return Input(name, leaf.label, leaf.help, "select", value, options, leaf.required, None, leaf.kind, errors)
    if leaf.kind == "choice":
        choices: list[tuple[str, Text | str]] = [(c, c) for c in leaf.choices]
        if value and value not in leaf.choices:  # as typed in the YAML: shown, so that it is not lost
            choices.insert(0, (value, value))
        if leaf.optional or leaf.default is None or not value:
            choices.insert(0, ("", UNSET))
        return Input(name, leaf.label, leaf.help, "select", value, choices, leaf.required, None, leaf.kind, errors)
    widget = "textarea" if leaf.key in LONG_TEXT else "text"
    return Input(
        name, leaf.label, leaf.help, widget, value, [], leaf.required, PLACEHOLDERS.get(leaf.kind), leaf.kind, errors
    )


def _flat(node: Rows) -> bool:
    return all(isinstance(child, Leaf) for child in node.fields)


def _widget(node: Node, loc: Loc, page: _Page) -> Widget:
    name = form_key(loc)
    if isinstance(node, Leaf):
        return _input(node, name, page)
    if isinstance(node, Block):
        children = [_widget(child, (*loc, child.key), page) for child in node.fields]
        delete = f"{name}.{DELETE}" if node.optional else ""  # a block the profile may leave out can be removed
        return Box(
            name, node.label, node.help, children, page.errors(name), delete, deleted=bool(page.values.get(delete))
        )
    count = page.counts.get(name, 0)
    if _flat(node):
        rows = []
        for i in range(count + 1):  # and a blank row for a new entry
            cells = [
                _input(leaf, form_key((*loc, i, leaf.key)), page) for leaf in node.fields if isinstance(leaf, Leaf)
            ]
            gone = bool(page.values.get(form_key((*loc, i, DELETE))))
            rows.append((i, cells, page.errors(form_key((*loc, i))), gone))
        columns = [(leaf.label, leaf.help, isinstance(leaf, Leaf) and leaf.required) for leaf in node.fields]
        return Table(name, node.label, node.help, columns, rows, page.errors(name))
    boxes = []
    for i in range(count + 1):
        here = (*loc, i)
        children = [_widget(child, (*here, child.key), page) for child in node.fields]
        boxes.append(
            Box(
                form_key(here),
                node.label + Text(f" {i + 1}", f" {i + 1}"),
                node.help,
                children,
                page.errors(form_key(here)),
                f"{form_key(here)}.{DELETE}",
                i == count,
                bool(page.values.get(f"{form_key(here)}.{DELETE}")),
            )
        )
    return Entries(name, node.label, node.help, boxes, page.errors(name))


def page_widgets(
    fields: tuple[tuple[Loc, Node], ...],
    values: Mapping[str, str],
    counts: Mapping[str, int],
    problems: Mapping[str, list[str]],
) -> tuple[list[Widget], list[str]]:
    """The page's widgets, and the problems of the page that name none of them (shown at the top)."""
    page = _Page(values, counts, problems)
    widgets = [_widget(node, (*parent, node.key), page) for parent, node in fields]
    left = [message for name, messages in problems.items() if name not in page.used for message in messages]
    return widgets, left
