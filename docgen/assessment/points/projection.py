"""The points routes over time: the score now and at the reference date (申請日の3年前 / 1年前), what must be
proved as of which date, and the first day the route will be met if the facts stay as recorded.

Reference: permanent-residence.md §1.c, §4.3 6イ/7イ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from docgen.assessment.points.calculation import Scores
from docgen.assessment.points.results import PointsResult
from docgen.dates import years_before
from docgen.errors import DocgenError
from docgen.rules.points_table import PointsTable
from docgen.text import Text

# ---------------------------------------------------------------- application date and reference date


def reference_date(application_date: date, threshold: int, table: PointsTable) -> date:
    """申請日の3年前 (70点) / 1年前 (80点); 29 February becomes 28 February."""
    t = table
    if threshold not in t.thresholds:
        known = ", ".join(map(str, t.thresholds))
        raise DocgenError(
            Text(
                f"{threshold}点のポイントルートはありません。あるのは: {known}",
                f"no points route with {threshold} points; known: {known}",
            )
        )
    return years_before(application_date, t.thresholds[threshold])


@dataclass(frozen=True)
class EvidenceNeed:
    """A 疎明資料 and the dates as of which it must prove the item."""

    item: str
    label: str
    evidence: str
    as_of: tuple[date, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "label": self.label,
            "evidence": self.evidence,
            "as_of": [d.isoformat() for d in self.as_of],
        }


@dataclass
class PointsCheck:
    """The points route test: the threshold now and at the reference date."""

    threshold: int
    application_date: date
    reference_date: date
    now: PointsResult
    reference: PointsResult

    @property
    def met(self) -> bool:
        return self.now.meets(self.threshold) and self.reference.meets(self.threshold)

    def evidence_plan(self) -> list[EvidenceNeed]:
        """Each scoring item with the dates it must be proved as of (only enough to reach the threshold is needed)."""
        needs: dict[str, EvidenceNeed] = {}
        for result in (self.now, self.reference):
            for x in result.lines:
                prev = needs.get(x.id)
                dates = (prev.as_of if prev else ()) + (result.as_of,)
                needs[x.id] = EvidenceNeed(x.id, x.label["ja"], x.evidence, dates)
        return list(needs.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "application_date": self.application_date.isoformat(),
            "reference_date": self.reference_date.isoformat(),
            "met": self.met,
            "now": self.now.to_json(),
            "reference": self.reference.to_json(),
            "evidence": [n.to_json() for n in self.evidence_plan()],
        }


def check_points(scores: Scores, application_date: date, threshold: int) -> PointsCheck:
    """Score on the application date and on the reference date (3 years / 1 year before)."""
    ref = reference_date(application_date, threshold, scores.table)
    return PointsCheck(threshold, application_date, ref, scores.on(application_date), scores.on(ref))


# ---------------------------------------------------------------- when will the points be reached?


def _experience_crossing(scores: Scores, years: int, lo: date, hi: date) -> date | None:
    """First day in [lo, hi] with at least `years` of experience (experience never decreases)."""
    if scores.experience(hi).years < years:
        return None
    while lo < hi:
        mid = lo + (hi - lo) // 2
        if scores.experience(mid).years >= years:
            hi = mid
        else:
            lo = mid + timedelta(days=1)
    return lo


def change_dates(scores: Scores, start: date, until: date) -> list[date]:
    """Every day in [start, until] on which the score can change (the score is constant in between); each span
    is worked out once per `scores`."""
    known = scores.changes.get((start, until))
    if known is None:
        known = scores.changes[(start, until)] = _change_dates(scores, start, until)
    return known


def _change_dates(scores: Scores, start: date, until: date) -> list[date]:
    facts, birth_date, t = scores.facts, scores.birth_date, scores.table
    events: set[date] = {t.covers_from}
    events |= {d.awarded for d in facts.degrees} | {s.start for s in facts.salary}
    events |= {a.obtained for a in facts.research} | {q.obtained for q in facts.qualifications}
    events |= {b.start for b in facts.bonuses} | {b.end + timedelta(days=1) for b in facts.bonuses if b.end}
    events |= {b.start for b in t.bonuses if b.start}
    events |= {d for d in (facts.japanese_since, facts.position_since) if d}
    for year in range(start.year - 1, until.year + 2):  # birthdays (29 February: 1 March in other years)
        try:
            events.add(birth_date.replace(year=year))
        except ValueError:
            events.add(date(year, 3, 1))
    for band in t.fields[facts.field].experience:
        crossing = _experience_crossing(scores, band.years, start, until)
        if crossing:
            events.add(crossing)
    return sorted(d for d in events | {start} if start <= d <= until)


def earliest_points_date(
    scores: Scores, threshold: int, start: date, until: date, *, with_reference: bool
) -> date | None:
    """First day in [start, until] on which the points route is met, assuming the facts as recorded.

    With `with_reference`, the score must also be met at the reference date (3 / 1 years before that day)."""
    candidates = set(change_dates(scores, start, until))
    if with_reference:
        years = scores.table.thresholds[threshold]
        ref_events = change_dates(scores, years_before(start, years), until)
        later = relativedelta(years=years)
        for e in ref_events:  # the reference date passes an event on (about) its anniversary
            anniversary = e + later
            for d in (anniversary, anniversary + timedelta(days=1)):
                if start <= d <= until:
                    candidates.add(d)
    for d in sorted(candidates):
        if not scores.on(d).meets(threshold):
            continue
        if not with_reference or check_points(scores, d, threshold).met:  # the reference date only when needed
            return d
    return None
