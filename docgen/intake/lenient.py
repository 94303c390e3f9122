"""The rest of a questionnaire checked while some answers are still wrong, so staff get every problem at once.

The profile's own checks (facts that contradict each other, the category against the status) need a valid
profile. When some cells fail, the import validates a copy without them: a table line or a family member with
a problem is left out, an optional answer is dropped, a missing text answer stands in as STAND_IN. A problem
that copy shows is one of the workbook's, at its place in the workbook (lines left out renumbered back).
A required date, number or choice left empty outside a table cannot be stood in for without inventing a fact:
then the checks wait for the next import.
"""

from __future__ import annotations

import copy
import types
import typing
from dataclasses import dataclass
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from docgen.profile.checks import Loc
from docgen.profile.model import Profile

STAND_IN = "（未記入）"


def _inner(annotation: Any) -> Any:
    """The model or type inside Optional[...] / list[...]."""
    while get_origin(annotation) in (typing.Union, types.UnionType, list):
        args = [a for a in get_args(annotation) if a is not type(None)]
        annotation = args[0]
    return annotation


def _info(loc: Loc) -> FieldInfo | None:
    """The model field at `loc` (list indices skipped), None when the path leaves the model."""
    model: Any = Profile
    info: FieldInfo | None = None
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        info = next((i for n, i in model.model_fields.items() if part in (n, i.alias)), None)
        if info is None:
            return None
        model = _inner(info.annotation)
    return info


@dataclass
class Lenient:
    """A profile validated without the failing answers, and how to read its locations back."""

    profile: Profile
    stood_in: set[Loc]  # answers given STAND_IN: their checks are not the workbook's
    kept: dict[Loc, list[int]]  # list path -> the original index of each line kept

    def original(self, loc: Loc) -> Loc:
        """A location in the copy as a location in the workbook's data."""
        out: list[str | int] = []
        for part in loc:
            if isinstance(part, int) and tuple(out) in self.kept:
                part = self.kept[tuple(out)][part]
            out.append(part)
        return tuple(out)


def _plan(data: dict[str, Any], bad: list[Loc]) -> tuple[dict[Loc, set[int]], set[Loc], set[Loc]] | None:
    """(lines to leave out per list, answers to drop, answers to stand in), or None when an answer cannot be
    done without."""
    leave_out: dict[Loc, set[int]] = {}
    drop: set[Loc] = set()
    stand_in: set[Loc] = set()
    for loc in bad:
        index = max((k for k, p in enumerate(loc) if isinstance(p, int)), default=None)
        if index is not None:
            leave_out.setdefault(tuple(loc[:index]), set()).add(int(loc[index]))
            continue
        info = _info(loc)
        if info is None:
            drop.add(loc)  # a key the model does not know: its own problem is reported
        elif not info.is_required():
            drop.add(loc)
        elif _inner(info.annotation) is str:
            stand_in.add(loc)
        else:
            return None
    return leave_out, drop, stand_in


def _set(data: Any, loc: Loc, value: Any, delete: bool = False) -> None:
    for part in loc[:-1]:
        data = data.setdefault(part, {}) if isinstance(data, dict) else data[part]
    if delete:
        if isinstance(data, dict):
            data.pop(loc[-1], None)
    elif isinstance(data, dict):
        data[loc[-1]] = value


def lenient_profile(data: dict[str, Any], bad: list[Loc]) -> Lenient | None:
    """The profile of `data` without the answers at `bad` (see the module), or None when it cannot be had."""
    plan = _plan(data, bad)
    if plan is None:
        return None
    leave_out, drop, stand_in = plan
    copied = copy.deepcopy(data)
    for loc in drop:
        _set(copied, loc, None, delete=True)
    for loc in stand_in:
        _set(copied, loc, STAND_IN)
    kept: dict[Loc, list[int]] = {}
    for path in sorted(leave_out, key=len, reverse=True):  # inner lists first: their paths hold outer indices
        entries: Any = copied
        for part in path:
            entries = entries[part] if isinstance(entries, list) else entries.get(part)
            if entries is None:
                break
        if not isinstance(entries, list):
            continue
        kept[path] = [i for i in range(len(entries)) if i not in leave_out[path]]
        entries[:] = [e for i, e in enumerate(entries) if i not in leave_out[path]]
    try:
        profile = Profile.model_validate(copied)
    except ValidationError:
        return None
    return Lenient(profile, stand_in, kept)
