"""The result of a points calculation: the lines that scored, the bonuses left out and why, the totals."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from docgen.profile.hsp import PointsField
from docgen.rules.sources import Source, needs_review, sources_json


@dataclass(frozen=True)
class PointsLine:
    """One row that scored: its points, why, and what proves it as of which date."""

    id: str
    label: dict[str, str]
    points: int
    basis: str
    evidence: str
    as_of: date
    sources: tuple[Source, ...]
    review: str | None = None

    @property
    def needs_review(self) -> bool:
        return needs_review(self.sources, self.review)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label["ja"],
            "label_en": self.label["en"],
            "points": self.points,
            "basis": self.basis,
            "evidence": self.evidence,
            "as_of": self.as_of.isoformat(),
            "sources": sources_json(self.sources),
            "needs_review": self.needs_review,
            **({"review": self.review} if self.review else {}),
        }


@dataclass(frozen=True)
class Excluded:
    """A bonus the facts mention that does not count on this date, and why."""

    id: str
    label: str
    reason_ja: str
    reason_en: str

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "label": self.label, "reason": self.reason_ja, "reason_en": self.reason_en}


@dataclass
class PointsResult:
    """The score for one 分野 as of one date."""

    field: PointsField
    as_of: date
    lines: list[PointsLine]
    excluded: list[Excluded]
    salary: int | None
    minimum_income: int | None  # 300万円 for ロ・ハ, None for イ
    minimum_income_sources: tuple[Source, ...] = ()
    warnings: list[str] = dataclasses.field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.points for line in self.lines)

    @property
    def income_minimum_met(self) -> bool:
        return self.minimum_income is None or (self.salary or 0) >= self.minimum_income

    def meets(self, threshold: int) -> bool:
        """Threshold reached and, for ロ・ハ, the 300万円 minimum income met."""
        return self.total >= threshold and self.income_minimum_met

    def line(self, item_id: str) -> PointsLine | None:
        return next((x for x in self.lines if x.id == item_id), None)

    def shortfall_reasons(self, threshold: int) -> list[tuple[str, str]]:
        """Why `meets(threshold)` is false, in Japanese and English."""
        out = []
        if self.total < threshold:
            out.append(
                (
                    f"{self.as_of}時点のポイントは{self.total}点で、"
                    f"{threshold}点に{threshold - self.total}点足りません",
                    f"{self.total} points as of {self.as_of}, {threshold - self.total} short of {threshold}",
                )
            )
        if self.income_minimum_met:
            return out
        if self.salary is None:  # unknown is not "below": say what is missing
            out.append(
                (
                    f"{self.as_of}時点の年収がプロフィールにないため、1号{self.field}の最低年収"
                    f"{self.minimum_income:,}円以上か確認できません(applicant.hsp.salary に記入してください)",
                    f"the salary as of {self.as_of} is not in the profile, so the {self.minimum_income:,} yen minimum "
                    f"for 1-{self.field} cannot be checked (add it under applicant.hsp.salary)",
                )
            )
        else:
            out.append(
                (
                    f"{self.as_of}時点の年収({self.salary:,}円)が1号{self.field}の最低年収"
                    f"{self.minimum_income:,}円に達しません",
                    f"salary as of {self.as_of} ({self.salary:,} yen) is below the {self.minimum_income:,} yen minimum"
                    f" for 1-{self.field}",
                )
            )
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "as_of": self.as_of.isoformat(),
            "total": self.total,
            "salary": self.salary,
            "minimum_income": self.minimum_income,
            "income_minimum_met": self.income_minimum_met,
            "lines": [x.to_json() for x in self.lines],
            "excluded": [x.to_json() for x in self.excluded],
            "warnings": self.warnings,
        }

    def text(self) -> str:
        out = [f"{self.as_of} 時点 1号{self.field}: {self.total}点"]
        for x in self.lines:
            flag = " [要確認]" if x.needs_review else ""
            out.append(f"  {x.points:>3}  {x.label['ja']} — {x.basis}{flag}")
        for e in self.excluded:
            out.append(f"    0  {e.label} — 加算なし: {e.reason_ja}")
        if self.minimum_income is not None:
            mark = "OK" if self.income_minimum_met else "NG"
            out.append(f"  最低年収 {self.minimum_income:,}円: {mark}")
        out += [f"  ! {w}" for w in self.warnings]
        return "\n".join(out)
