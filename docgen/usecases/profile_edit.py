"""Edit a case's profile page by page (the browser's profile forms): the fields of one group as the model defines
them (docgen.usecases.profile_fields), the same problems `docgen profile check` finds beside the field they
concern, and a save that rewrites only the values that changed in the YAML — comments, order and the other
pages' values kept, as `intake import --merge` keeps them — after checking that nobody changed the file since the
form was read (its hash); the previous version is kept with who saved and when (docgen.profile.history).

A value that cannot be read (a date that is no date) refuses the save; so does a problem the model or the
consistency checks find in a value typed on this page. A required field left empty does not: a profile is filled
in over time, as in a text editor, and the page shows what is still missing."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from docgen.case.folder import case_folder_at, choose_profile
from docgen.errors import DocgenError, InputFileError
from docgen.intake.diff import differences
from docgen.intake.profile_data import get, round_trip_yaml, styled
from docgen.profile.history import (
    ProfileChanged,
    Version,
    history_folder,
    read_version,
    save_version,
    saved_as,
    version_text,
    versions,
)
from docgen.profile.load import load_profile_yaml
from docgen.text import Text
from docgen.usecases.audit import record_action
from docgen.usecases.case_page import NotInCases, case_root
from docgen.usecases.context import RunContext, use_case
from docgen.usecases.profile import check_profile
from docgen.usecases.profile_fields import (
    GROUPS,
    BadValue,
    Block,
    Group,
    Leaf,
    Loc,
    Node,
    Rows,
    form_key,
    group_fields,
    group_for,
    group_of,
    loc_of_field_path,
    node_at,
    read_value,
    shown_value,
    staff_value,
)
from docgen.validation import field_path

DELETE = "_delete"  # a row's "remove this entry" box


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two versions of the profile, as a page shows it."""

    key: str  # the form field's name: applicant.trips.0.return
    field: str  # the profile's field path: applicant.trips[0].return
    label: Text
    group: str  # the page it is edited on
    old: Text  # as staff read it ('' when absent)
    new: Text


@dataclass(frozen=True)
class Conflict:
    """Someone else saved the profile after the form was read: what they changed, who (when known) and when."""

    changes: list[FieldChange]
    by: str | None  # None: changed outside the browser (the command line, an editor)
    at: str | None


@dataclass(frozen=True)
class ProfileForm:
    """One page of the profile's forms, as the page shows it."""

    case_id: str
    profile_name: str
    group: Group
    groups: tuple[Group, ...]
    fields: tuple[tuple[Loc, Node], ...]
    values: Mapping[str, str]  # form field name -> the value shown
    counts: Mapping[str, int]  # a list's form name -> its entries shown
    version: str  # the hash of the profile the form was read from
    problems: Mapping[str, list[str]]  # form name ('' for the whole file) -> messages, on this page
    elsewhere: Mapping[str, int]  # another page -> how many problems it has
    typed_errors: Mapping[str, str] = field(default_factory=dict)  # fields whose value could not be read
    conflict: Conflict | None = None
    saved: Version | None = None
    outcome: str = "shown"  # shown / saved / unchanged / refused (a problem in what was typed) / conflict


def _case_profile(ctx: RunContext, case_id: str) -> tuple[str, Path]:
    root = case_root(ctx, case_id)
    choice = choose_profile(root)
    if choice.profile is None:
        raise DocgenError(
            Text(
                f"案件 {case_id} のプロフィールが決まりません（候補: {', '.join(choice.candidates) or 'なし'}）",
                f"case {case_id} has no single profile (candidates: {', '.join(choice.candidates) or 'none'})",
            )
        )
    return case_id, case_folder_at(root, choice.profile).profile


def profile_path(ctx: RunContext, case_id: str) -> Path:
    """The profile of a case in the cases folder (NotInCases outside it)."""
    return _case_profile(ctx, case_id)[1]


# ------------------------------------------------------------------ values of a page


def _data(text: str) -> Any:
    data = round_trip_yaml().load(text)
    return data if isinstance(data, dict) else CommentedMap()


def _fill(nodes: tuple[Node, ...], data: Any, at: Loc, values: dict[str, str], counts: dict[str, int]) -> None:
    for node in nodes:
        here = (*at, node.key)
        value = data.get(node.key) if isinstance(data, dict) else None
        if isinstance(node, Leaf):  # a value left out of the file is the model's default
            values[form_key(here)] = shown_value(node.default if value is None else value)
        elif isinstance(node, Block):
            _fill(node.fields, value, here, values, counts)
        else:
            entries = value if isinstance(value, list) else []
            counts[form_key(here)] = len(entries)
            for i, entry in enumerate(entries):
                _fill(node.fields, entry, (*here, i), values, counts)


def page_values(fields: tuple[tuple[Loc, Node], ...], data: Any) -> tuple[dict[str, str], dict[str, int]]:
    values: dict[str, str] = {}
    counts: dict[str, int] = {}
    for parent, node in fields:
        _fill((node,), get(data, parent) if parent else data, parent, values, counts)
    return values, counts


def _counts_of(fields: tuple[tuple[Loc, Node], ...], submitted: Mapping[str, str]) -> dict[str, int]:
    """How many entries each list had in a submitted form (its highest index + 1)."""
    counts: dict[str, int] = {}

    def walk(nodes: tuple[Node, ...], at: Loc) -> None:
        for node in nodes:
            here = (*at, node.key)
            if isinstance(node, Block):
                walk(node.fields, here)
            elif isinstance(node, Rows):
                prefix = form_key(here) + "."
                found = {  # entries with something in them (the blank one offered for a new entry is offered again)
                    int(k[len(prefix) :].split(".")[0])
                    for k, v in submitted.items()
                    if k.startswith(prefix) and v and not k.endswith(DELETE)
                }
                found = {i for i in found if i < 1000}
                counts[form_key(here)] = max(found) + 1 if found else 0
                for i in range(counts[form_key(here)]):
                    walk(node.fields, (*here, i))

    for parent, node in fields:
        walk((node,), parent)
    return counts


# ------------------------------------------------------------------ reading a submitted page


@dataclass
class _Reading:
    submitted: Mapping[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    renumbered: dict[tuple[Loc, int], int] = field(default_factory=dict)  # (list, index saved) -> index in the form


def _blank(node: Node, value: Any) -> bool:
    """Nothing anyone typed: empty, or each field at its default."""
    if value is None or value == [] or value == "":
        return True
    if isinstance(node, Leaf):
        return value == node.default and node.default is not None
    if isinstance(node, Block):
        return all(_blank(child, value.get(child.key)) for child in node.fields)
    return False


def _guessed(node: Node, value: Any) -> bool:
    """The first choice of a dropdown without a default: what `docgen profile init` writes in an entry nobody
    filled in (`kind: 反則金`), not an answer."""
    return (
        isinstance(node, Leaf)
        and node.kind == "choice"
        and node.default is None
        and value == next(iter(node.choices), None)
    )


def _read(node: Node, loc: Loc, reading: _Reading) -> Any:
    if isinstance(node, Leaf):
        key = form_key(loc)
        try:
            return read_value(node, reading.submitted.get(key, ""))
        except BadValue as exc:
            reading.errors[key] = str(exc)
            return None
    if isinstance(node, Block):
        if node.optional and reading.submitted.get(f"{form_key(loc)}.{DELETE}"):
            return None  # its "remove" box ticked: the block goes, whatever its fields say
        value = {child.key: _read(child, (*loc, child.key), reading) for child in node.fields}
        return None if node.optional and _blank(node, value) else value
    prefix = form_key(loc) + "."
    indices = sorted({int(k[len(prefix) :].split(".")[0]) for k in reading.submitted if k.startswith(prefix)})
    entries: list[Any] = []
    for i in indices:
        if i >= 1000 or reading.submitted.get(f"{prefix}{i}.{DELETE}"):
            continue
        entry = {child.key: _read(child, (*loc, i, child.key), reading) for child in node.fields}
        if all(_blank(child, entry.get(child.key)) or _guessed(child, entry.get(child.key)) for child in node.fields):
            continue
        reading.renumbered[(loc, len(entries))] = i
        entries.append(entry)
    return entries


def _form_loc(loc: Loc, reading: _Reading) -> Loc:
    """A path in the saved profile as the form named it (entries left out renumber the ones after)."""
    out: Loc = ()
    for part in loc:
        if isinstance(part, int):
            part = reading.renumbered.get((out, part), part)
        out = (*out, part)
    return out


# ------------------------------------------------------------------ writing into the YAML


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _same(old: Any, new: Any) -> bool:
    """The same value (text compared without its outer spaces and line ends, as the model reads it)."""
    if isinstance(old, str) and isinstance(new, str):
        return old.strip() == new.strip()
    return bool(_plain(old) == _plain(new))


def _compact(nodes: tuple[Node, ...], value: dict[str, Any]) -> dict[str, Any]:
    """A new entry without empty fields and fields at their defaults (as the examples write them)."""
    out: dict[str, Any] = {}
    for node in nodes:
        v: Any = value.get(node.key)
        if _blank(node, v):
            continue
        if isinstance(node, Block):
            v = _compact(node.fields, v)
        elif isinstance(node, Rows):
            v = [_compact(node.fields, e) for e in v]
        out[node.key] = v
    return out


def _empty_value(leaf: Leaf) -> Any:
    """What a field emptied on the page is written as: nothing for an optional field, else its default."""
    return None if leaf.optional or leaf.default is None else leaf.default


def _put(container: CommentedMap, node: Node, value: Any) -> None:
    """Make `container[node.key]` say `value`, rewriting only what differs (comments and order stay)."""
    key, there = node.key, node.key in container
    old = container.get(key) if there else None
    if isinstance(node, Leaf):
        if value is None:
            if there and not (old is None or old == ""):
                container[key] = _empty_value(node)
        elif (there and not _same(old, value)) or (not there and value != node.default):
            container[key] = value  # a default the file leaves out stays out
        return
    if isinstance(node, Block):
        if value is None or (not there and _blank(node, value)):  # emptied (an optional block goes), or still empty
            if value is None and there and node.optional:
                del container[key]
            return
        if not isinstance(old, CommentedMap):
            container[key] = CommentedMap()
        for child in node.fields:
            _put(container[key], child, value.get(child.key))
        return
    entries = value or []
    if not entries:  # no entries: the key goes (an empty list is its default; `[]` after a comment is no YAML)
        if there and old not in (None, []):
            del container[key]
        return
    seq = old if isinstance(old, CommentedSeq) else CommentedSeq()
    for i, entry in enumerate(entries):
        if i < len(seq) and isinstance(seq[i], CommentedMap):
            for child in node.fields:
                _put(seq[i], child, entry.get(child.key))
        elif i < len(seq):
            seq[i] = styled(_compact(node.fields, entry), in_list=True)
        else:
            seq.append(styled(_compact(node.fields, entry), in_list=True))
    while len(seq) > len(entries):
        del seq[-1]
    if not there or seq is not old:
        container[key] = seq


def _container(doc: CommentedMap, parent: Loc) -> CommentedMap:
    node = doc
    for part in parent:
        child = node.get(part) if isinstance(node, dict) else None
        if not isinstance(child, CommentedMap):
            node[part] = CommentedMap()
            child = node[part]
        node = child
    return node


def _dump(doc: Any) -> str:
    out = io.StringIO()
    round_trip_yaml().dump(doc, out)
    return out.getvalue()


# ------------------------------------------------------------------ checking


@contextlib.contextmanager
def _candidate(profile: Path, text: str) -> Iterator[Path]:
    """`text` in a private file beside the profile's history, to be checked as the command line checks a file."""
    folder = history_folder(profile)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, name = tempfile.mkstemp(prefix="check-", suffix=".yaml", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def problems_of(ctx: RunContext, path: Path) -> list[tuple[Loc, str]]:
    """What `docgen profile check` says about a profile file: every problem with its field's path."""
    try:
        check_profile(ctx, path)
    except InputFileError as exc:
        return [(loc_of_field_path(p.field), str(p.message)) for p in exc.problems]
    return []


def _sorted_problems(group: Group, found: list[tuple[Loc, str]]) -> tuple[dict[str, list[str]], dict[str, int]]:
    here: dict[str, list[str]] = {}
    elsewhere: dict[str, int] = {}
    for loc, message in found:
        page = group_for(loc) if loc else group
        if page is group:
            here.setdefault(form_key(loc), []).append(message)
        else:
            elsewhere[page.key] = elsewhere.get(page.key, 0) + 1
    return here, elsewhere


# ------------------------------------------------------------------ the use cases


def _group(key: str) -> Group:
    group = group_of(key)
    if group is None:
        raise NotInCases()
    return group


@use_case
def profile_form(ctx: RunContext, case_id: str, group_key: str) -> ProfileForm:
    """A page of the case's profile as it is now, with the problems `docgen profile check` finds."""
    group = _group(group_key)
    _, path = _case_profile(ctx, case_id)
    load_profile_yaml(path)  # a file that cannot be read as a profile: its problem, by line (an error page)
    try:
        raw, version = read_version(path)
    except OSError:
        raise NotInCases() from None
    fields = group_fields(group)
    values, counts = page_values(fields, _data(raw.decode("utf-8", errors="replace")))
    here, elsewhere = _sorted_problems(group, problems_of(ctx, path))
    return ProfileForm(case_id, path.name, group, GROUPS, fields, values, counts, version, here, elsewhere)


def _changes(ctx: RunContext, profile: Path, before: str, after: str) -> list[FieldChange]:
    """What differs between two kept versions of the profile, field by field."""
    return field_changes(_plain_of(version_text(profile, before) or ""), _plain_of(version_text(profile, after) or ""))


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """The differences of two profiles (plain data) as the pages show them."""
    out = []
    for change in differences(old, new):
        node = node_at(change.path)
        label = (
            node.label if node is not None else Text(change.label or field_path(change.path), field_path(change.path))
        )
        out.append(
            FieldChange(
                form_key(change.path),
                field_path(change.path),
                label,
                group_for(change.path).key,
                staff_value(node, change.old),
                staff_value(node, change.new),
            )
        )
    return out


@use_case
def save_profile_page(
    ctx: RunContext, case_id: str, group_key: str, version: str, submitted: Mapping[str, str]
) -> ProfileForm:
    """Save one page of the profile: its values written into the YAML if they can be read and the file is still
    the version the page was read from. The result is the page to show: saved (`saved` set), or refused with
    the values as typed, each problem beside its field and, when someone else saved meanwhile, their change."""
    group = _group(group_key)
    _, path = _case_profile(ctx, case_id)
    fields = group_fields(group)
    reading = _Reading(submitted)
    new_values: dict[Loc, Any] = {}
    for parent, node in fields:
        new_values[(*parent, node.key)] = _read(node, (*parent, node.key), reading)
    base_text = version_text(path, version)
    typed = {k: v for k, v in submitted.items() if not k.startswith(("csrf", "version"))}

    def refused(
        problems: dict[str, list[str]], elsewhere: dict[str, int], conflict: Conflict | None = None, now: str = version
    ) -> ProfileForm:
        values = dict(typed)
        if conflict is not None and base_text is not None:  # the other's change shown where the page kept the old
            values = _merged(fields, base_text, path, now, typed)
        counts = _counts_of(fields, values)
        return ProfileForm(
            case_id,
            path.name,
            group,
            GROUPS,
            fields,
            values,
            counts,
            now,
            problems,
            elsewhere,
            dict(reading.errors),
            conflict,
            outcome="conflict" if conflict is not None else "refused",
        )

    if base_text is None:
        raise DocgenError(
            Text(
                "このページの元になった版が見つかりません。ページを読み込み直してください",
                "the version this page was read from is not known; reload the page",
            )
        )
    current_raw, current = read_version(path)
    if current != version:
        return refused({}, {}, conflict_since(ctx, path, version, current), current)
    if reading.errors:
        return refused({k: [v] for k, v in reading.errors.items()}, {})
    doc = _data(base_text)
    for parent, node in fields:
        _put(_container(doc, parent), node, new_values[(*parent, node.key)])
    text = _dump(doc)
    with _candidate(path, text) as candidate:
        found = problems_of(ctx, candidate)
    blocking = [(loc, msg) for loc, msg in found if loc and group_for(loc) is group and _typed(new_values, loc)]
    if blocking:
        here, elsewhere = _sorted_problems(group, [(_form_loc(loc, reading), msg) for loc, msg in found])
        return refused(here, elsewhere)
    changed = tuple(c.field for c in field_changes(_plain_of(base_text), _plain_of(text)))
    if not changed:
        saved = None
    else:
        try:
            saved = save_version(
                path, text, version, when=ctx.now, user=ctx.user, action=f"form:{group.key}", fields=changed
            )
        except ProfileChanged as exc:
            return refused({}, {}, conflict_since(ctx, path, version, exc.now), exc.now or version)
        record_action(ctx, "change", case_id, f"{path.name} ({group.key})")
    del current_raw
    form = profile_form(ctx, case_id, group.key)
    return replace(form, saved=saved, outcome="saved" if saved else "unchanged")


def _typed(values: dict[Loc, Any], loc: Loc) -> bool:
    """Whether the page's new values hold something at `loc` (a problem about a value typed on it)."""
    for root, value in values.items():
        if loc[: len(root)] == root:
            found = get({"x": value}, ("x", *loc[len(root) :]))
            return found not in (None, "", [])
    return False


def _plain_of(text: str) -> dict[str, Any]:
    data = _plain(_data(text))
    return data if isinstance(data, dict) else {}


def _merged(
    fields: tuple[tuple[Loc, Node], ...], base_text: str, path: Path, now: str, typed: Mapping[str, str]
) -> dict[str, str]:
    """The page after someone else's save: what this staff member changed on it, over the version now there."""
    base, _ = page_values(fields, _data(base_text))
    current_text = version_text(path, now) or base_text
    current, _ = page_values(fields, _data(current_text))
    out = dict(current)
    for key, value in typed.items():
        if value != base.get(key, ""):
            out[key] = value
    return out


def conflict_since(ctx: RunContext, path: Path, read: str, now: str | None) -> Conflict:
    """What someone else changed in the profile between the version `read` and the version `now`."""
    if now is None:
        return Conflict([], None, None)
    by = saved_as(path, now)
    return Conflict(_changes(ctx, path, read, now), by.user if by else None, by.at if by else None)


@use_case
def kept_version(ctx: RunContext, case_id: str, sha: str) -> tuple[str, str]:
    """A version of the case's profile kept before a save (its file name to download it by, its text); a version
    the case does not have is NotInCases."""
    _, path = _case_profile(ctx, case_id)
    text = version_text(path, sha)
    if text is None:
        raise NotInCases()
    return f"{path.stem}.{sha[:12]}{path.suffix}", text


def how_saved(action: str) -> Text:
    """A save's code in the history as staff say it: 'form:person' -> 「本人」のページ, 'questionnaire' ->
    質問票の取り込み."""
    if action == "questionnaire":
        return Text("質問票の取り込み", "questionnaire taken in")
    group = group_of(action.removeprefix("form:")) if action.startswith("form:") else None
    if group is not None:
        return Text(f"「{group.title.ja}」のページ", f"the {group.title.en} page")
    return Text(action, action)


@use_case
def profile_versions(ctx: RunContext, case_id: str) -> list[Version]:
    """Every save of the case's profile made through docgen's pages, newest first."""
    _, path = _case_profile(ctx, case_id)
    return list(reversed(versions(path)))


__all__ = [
    "Conflict",
    "FieldChange",
    "ProfileForm",
    "field_changes",
    "how_saved",
    "kept_version",
    "profile_form",
    "profile_path",
    "profile_versions",
    "save_profile_page",
]
