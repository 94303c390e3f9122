"""Field-by-field differences between the existing profile and the imported one, labelled in Japanese."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from docgen.intake.layout import Section, SheetLayout, applicant_sheet, family_sheet, guarantor_sheet, office_sheet
from docgen.intake.profile_data import readable_order
from docgen.intake.questions import texts
from docgen.intake.workbook import short
from docgen.messages import say
from docgen.validation import field_path

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Change:
    path: Path_
    label: str  # the Japanese question ('' when the field has none)
    old: Any  # None: not there before
    new: Any  # None: not there any more

    def __str__(self) -> str:
        where = field_path(self.path) + (say(f"（{self.label}）", f" ({self.label})") if self.label else "")
        return f"{where}: {_show(self.old)} → {_show(self.new)}"


def _show(value: Any) -> str:
    if value is None:
        return say("（なし）", "(none)")
    if isinstance(value, bool):
        return say("はい", "yes") if value else say("いいえ", "no")
    return str(value)


@cache
def _labels() -> dict[tuple[str, ...], str]:
    """Field path without list indices -> the Japanese question, from the questionnaire's layouts."""
    ja = {k: v["ja"] for k, v in texts().questions.items()}
    out: dict[tuple[str, ...], str] = {}
    layouts: list[SheetLayout] = [
        applicant_sheet(hsp=True, business=True),
        family_sheet(),
        guarantor_sheet(supporter=True),
        office_sheet(),
    ]
    for layout in layouts:
        for item in layout.items:
            if isinstance(item, Section):
                for q in item.questions:
                    out[(*layout.root, *q.path)] = short(ja[q.label])
            else:
                for q in item.columns:
                    out[(*layout.root, *item.path, *q.path)] = f"{short(ja[item.label])}／{short(ja[q.label])}"
    return out


def _flatten(data: Any, prefix: Path_ = ()) -> dict[Path_, Any]:
    """Leaves by path; empty values (None, '', []) count as absent."""
    if isinstance(data, dict):
        out: dict[Path_, Any] = {}
        for key, value in data.items():
            out.update(_flatten(value, (*prefix, str(key))))
        return out
    if isinstance(data, list):
        out = {}
        for i, value in enumerate(data):
            out.update(_flatten(value, (*prefix, i)))
        return out
    if data is None or data == "":
        return {}
    return {prefix: data.isoformat() if isinstance(data, date) else data}


def _same(a: Any, b: Any) -> bool:
    return a == b if isinstance(a, bool) or isinstance(b, bool) else str(a) == str(b)


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """What changes from `old` to `new` (both plain profile data), in the order of the new profile."""
    before, after = _flatten(old), _flatten(readable_order(new))
    labels = _labels()
    changes = []
    for path in [*after, *(p for p in before if p not in after)]:
        a, b = before.get(path), after.get(path)
        if a is None or b is None or not _same(a, b):
            label = labels.get(tuple(p for p in path if isinstance(p, str)), "")
            changes.append(Change(path, label, a, b))
    return changes
