"""A profile as plain data: read for pre-filling (complete or not), merged with answers, written as YAML.

The YAML docgen writes reads like the examples: block style for the people, one line per table entry
(`- {year: 2024, amount: 4500000, resident_tax: 特別徴収}`), defaults left out. When a profile already
exists, only the values that changed are rewritten, so the comments in it stay where they were.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor

from docgen.profile.annotations import field_info, model_class, optional_inner
from docgen.profile.model import Profile
from docgen.yamlfile import LoadedYaml, too_deep_line


def _unset(info: FieldInfo, value: Any) -> bool:
    """What `docgen profile init` writes for a field nobody filled in: nothing, the field's default, or the
    first value of a choice without a default (`sex: 男`, `resident_tax: 特別徴収`, `japanese: N1`): a guess,
    not an answer. In a profile still being filled in such a value is left for the client to choose."""
    annotation = optional_inner(info.annotation)[0]
    if value is None or value == "" or value == []:
        return True
    if not info.is_required() and info.default_factory is None and type(value) is type(info.default):
        return bool(value == info.default)
    if get_origin(annotation) is Literal:  # required, or optional without a default (`japanese: N1`)
        return bool(value == get_args(annotation)[0])
    if get_origin(annotation) is list and isinstance(value, list) and (entry := model_class(get_args(annotation)[0])):
        return all(isinstance(e, dict) and is_placeholder(e, entry) for e in value)
    inner = model_class(annotation)
    return inner is not None and isinstance(value, dict) and is_placeholder(value, inner)


def is_placeholder(entry: dict[str, Any], model: type[BaseModel]) -> bool:
    """An entry or block with nothing anyone typed (`- {departure: , exit: 不明}`)."""
    fields = [(field_info(model, str(k)), v) for k, v in entry.items()]
    return all(info is not None and _unset(info, v) for info, v in fields)


def clean(data: Any, model: type[BaseModel] = Profile) -> Any:
    """A profile still being filled in, without what `docgen profile init` wrote as placeholders: empty values,
    entries and blocks nobody filled in, guessed choices. Unknown keys stay (the model reports them)."""
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        info = field_info(model, str(key))
        if info is None:
            out[key] = value
            continue
        annotation = optional_inner(info.annotation)[0]
        inner = model_class(annotation)
        listed = get_args(annotation) if get_origin(annotation) is list else ()
        entry = model_class(listed[0]) if listed else None
        if inner is not None and isinstance(value, dict):
            if is_placeholder(value, inner) and not info.is_required():
                continue
            value = clean(value, inner)
        elif entry is not None and isinstance(value, list):
            value = [clean(e, entry) for e in value if not (isinstance(e, dict) and is_placeholder(e, entry))]
        elif _unset(info, value):
            continue  # empty, a default, or a guessed choice: left for the client
        out[key] = value
    return out


def merge(base: Any, answers: Any) -> Any:
    """`answers` over `base`: blocks are merged field by field (what the questionnaire leaves empty keeps the
    base value); a list the questionnaire has (a table with entries, the family) replaces the base list."""
    if isinstance(base, dict) and isinstance(answers, dict):
        out = dict(base)
        for key, value in answers.items():
            out[key] = merge(base.get(key), value)
        return out
    return answers


def get(data: Any, path: Iterable[str | int]) -> Any:
    """The value at `path` in plain profile data (dicts and lists), or None when any step is missing."""
    for part in path:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and 0 <= part < len(data) else None
        else:
            data = data.get(part) if isinstance(data, dict) else None
        if data is None:
            return None
    return data


def prefill_data(doc: LoadedYaml) -> dict[str, Any]:
    """What a questionnaire shows from an existing profile: the validated profile when it is valid, else what
    the file holds (a skeleton being filled in) without its placeholders and guessed choices."""
    if not isinstance(doc.data, dict):
        return {}
    try:
        return Profile.model_validate(doc.data).model_dump(mode="python", by_alias=True)
    except ValidationError:
        return clean(doc.data)


# ---------------------------------------------------------------- YAML out


class _Constructor(RoundTripConstructor):
    """Dates read back as dates (docgen.yamlfile reads them as text for its own checks), so an unchanged date
    is written back unquoted."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_timestamp)


def round_trip_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.preserve_quotes = True
    yaml.width = 4096  # a table entry stays on one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    return yaml


def _flat(value: dict[str, Any]) -> bool:
    return all(not isinstance(v, dict | list) for v in value.values())


def styled(value: Any, in_list: bool = False) -> Any:
    """Plain data as ruamel nodes: table entries and small blocks (passport) on one line."""
    if isinstance(value, dict):
        node = CommentedMap()
        for k, v in value.items():
            node[k] = styled(v)
        if _flat(value) and (in_list or len(value) <= 2):
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        seq = CommentedSeq()
        for v in value:
            seq.append(styled(v, in_list=True))
        return seq
    return value


# a person's identity and contact before the application details, as on the forms
FIRST: tuple[str, ...] = ("category", "family_name", "given_name", "name_kanji", "nationality", "birth_date", "sex")
FIRST += ("address", "phone", "mobile")


def readable_order(value: Any) -> Any:
    if isinstance(value, dict):
        keys = [k for k in FIRST if k in value] if "given_name" in value or "birth_place" in value else []
        return {k: readable_order(value[k]) for k in [*keys, *(k for k in value if k not in keys)]}
    if isinstance(value, list):
        return [readable_order(v) for v in value]
    return value


def _data(profile: Profile) -> dict[str, Any]:
    return readable_order(profile.model_dump(mode="python", by_alias=True, exclude_defaults=True))


def _dump(node: Any) -> str:
    out = io.StringIO()
    round_trip_yaml().dump(node, out)
    return out.getvalue()


def profile_yaml(profile: Profile, header: str = "") -> str:
    """A new profile file: a header comment, then the case, the applicant, the family … with blank lines
    between the top-level blocks."""
    node = styled(_data(profile))
    for key in list(node)[1:]:
        if isinstance(node[key], dict | list):
            node.yaml_set_comment_before_after_key(key, before="\n")
    text = _dump(node)
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    return ("\n".join(lines) + "\n" if lines else "") + text


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)


def _sync(old: CommentedMap, full: dict[str, Any], given: dict[str, Any]) -> None:
    """Make `old` say what the profile says: `full` is every field, `given` the fields that differ from their
    defaults. A key already in the file is kept while its value is right (an explicit default included)."""
    for key in list(old):
        if key not in full or (key not in given and _plain(old[key]) != _plain(full[key])):
            del old[key]  # unknown, or back to its default
    for key, value in given.items():
        if key in old and isinstance(old[key], dict) and isinstance(value, dict):
            _sync(old[key], full[key], value)
        elif key not in old or _plain(old[key]) not in (_plain(value), _plain(full[key])):
            old[key] = styled(value)


def updated_profile_yaml(old_text: str, profile: Profile) -> str:
    """The existing file with only the changed values rewritten (its comments and layout kept elsewhere). Text
    nested too deep to parse safely (the file changed after it was checked) is not kept: the profile is written
    afresh."""
    if too_deep_line(old_text) is not None:
        return profile_yaml(profile)
    yaml = round_trip_yaml()
    old = yaml.load(old_text)
    if not isinstance(old, CommentedMap):
        return profile_yaml(profile)
    _sync(old, profile.model_dump(mode="python", by_alias=True), _data(profile))
    out = io.StringIO()
    yaml.dump(old, out)
    return out.getvalue()


def blank_fields(text: str, locs: Iterable[tuple[str | int, ...]], comment: str) -> str:
    """The profile YAML with each field at `locs` emptied (a value the office has still to write), a comment
    beside it saying so; the rest of the text as it was."""
    yaml = round_trip_yaml()
    doc = yaml.load(text)
    for loc in locs:
        node = doc
        for part in loc[:-1]:
            node = node[part]
        node[loc[-1]] = None
        node.yaml_add_eol_comment(comment, loc[-1])
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def without(data: dict[str, Any], locs: Iterable[tuple[str | int, ...]]) -> dict[str, Any]:
    """Plain profile data without the fields at `locs` (a copy)."""
    import copy

    out = copy.deepcopy(data)
    for loc in locs:
        node = get(out, loc[:-1])
        if isinstance(node, dict):
            node.pop(str(loc[-1]), None)
    return out
