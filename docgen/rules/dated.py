"""One engine for every dated rule: checklist items and parameters, eligibility data, the points table.

Like OpenFisca's parameters, a rule is a list of versions, each in force `from` a date `until` a date
(inclusive; open-ended when missing). The engine picks the version in force on a date and never guesses:
no version, or two, is an error. `version_problems` finds overlaps and gaps when the rules are loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import pairwise
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field

from docgen.errors import DocgenError
from docgen.messages import say
from docgen.text import Text


class Dated(BaseModel):
    """A version of a rule, in force from `from` until `until` (both optional, both inclusive)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    start: date | None = Field(None, alias="from")
    end: date | None = Field(None, alias="until")

    def in_force(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


D = TypeVar("D", bound=Dated)


def in_force(versions: Sequence[D], on: date, what: str) -> D:
    """The one version of `what` in force on `on`; an error names the rule and the dates it covers."""
    hits = [v for v in versions if v.in_force(on)]
    if len(hits) == 1:
        return hits[0]
    day = on.isoformat()
    if hits:
        raise DocgenError(
            Text(
                f"{day} に有効な {what} の版が{len(hits)}つあります。前の版に 'until' を書いてください",
                f"{len(hits)} versions of {what} are in force on {day}; give the earlier one an 'until'",
            )
        )
    starts = [v.start for v in versions if v.start is not None]
    first = min(starts).isoformat() if starts else ""
    raise DocgenError(
        Text(
            f"{day} に有効な {what} の版がありません"
            + (f"（規則は {first} 以降の日付が対象です）" if first else "")
            + "。その日付に有効な版を追加してください",
            f"no version of {what} is in force on {day}"
            + (f" (the rules cover dates from {first})" if first else "")
            + "; add a version for that date",
        )
    )


def version_problems(versions: Sequence[Dated]) -> list[str]:
    """Versions that end before they start, overlap, or leave a gap between them."""
    problems = []
    ordered = sorted(versions, key=lambda v: v.start or date.min)
    for v in ordered:
        if v.start and v.end and v.end < v.start:
            problems.append(
                say(
                    f"版の終わり（{v.end}）が始まり（{v.start}）より前です",
                    f"a version ends ({v.end}) before it starts ({v.start})",
                )
            )
    for a, b in pairwise(ordered):
        if a.end is None or (b.start is not None and a.end >= b.start):
            problems.append(
                say(
                    f"同じ日付に2つの版が有効です: {a.start} からの版と {b.start} からの版。"
                    f"前の版に {b.start} より前の 'until' を書いてください",
                    f"two versions are in force on the same date: the one from {a.start} and the one from {b.start}; "
                    f"give the first an 'until' before {b.start}",
                )
            )
        elif b.start is not None and (b.start - a.end).days > 1:
            problems.append(
                say(
                    f"{a.end} から {b.start} の間に有効な版がありません。版を追加してください"
                    "（項目をやめる期間は 'applies: false' の版にします）",
                    f"no version is in force between {a.end} and {b.start}; add one (use 'applies: false' to switch t"
                    "he item off)",
                )
            )
    return problems
