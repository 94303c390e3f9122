"""Points held without a break (route ア: 「高度人材外国人」として1年 / 3年): the calculated score must stay at the
threshold the whole time; a dip restarts the count (reference §10.2, §11.4). Also who is a holder — the one
definition `docgen assess` and `docgen points` share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from docgen.assessment.continuity import Continuity
from docgen.assessment.points.calculation import Scores
from docgen.assessment.points.projection import change_dates, earliest_points_date
from docgen.dates import add_years
from docgen.profile.hsp import PointsNotice
from docgen.profile.model import Applicant


@dataclass(frozen=True)
class Holder:
    """A 高度人材外国人 — on a status granted on points (高度専門職, 特定活動(高度人材)) or with `hsp.holder_since` —
    and since when (holder_since, else the start of the run of such statuses)."""

    holder: bool
    since: date | None


def hsp_holder(applicant: Applicant, cont: Continuity) -> Holder:
    hsp = applicant.hsp
    current = cont.current_status()
    is_holder = bool(hsp and hsp.holder_since) or bool(current and current.hsp)
    since = hsp.holder_since if hsp and hsp.holder_since else cont.run_since(lambda s: s.hsp)
    return Holder(is_holder, since if is_holder else None)


def notices_run(history: list[PointsNotice], threshold: int, on: date) -> date | None:
    """Since when the notices show `threshold`+ points without a break (each score holds until the next notice);
    None when the latest notice on `on` is below the threshold."""
    notices = sorted((n for n in history if n.date <= on), key=lambda n: n.date)
    if not notices or notices[-1].points < threshold:
        return None
    start = notices[-1].date
    for n in reversed(notices[:-1]):
        if n.points < threshold:
            break
        start = n.date
    return start


@dataclass(frozen=True)
class HeldRun:
    """The first day (on or after the date) with `years` of unbroken threshold+ points, the day that run began,
    and each dip below the threshold (day, score) that restarted the count. `earliest` is None when the score
    does not get back to the threshold within the horizon."""

    earliest: date | None
    start: date | None
    dips: list[tuple[date, int]] = field(default_factory=list)


def held_run(
    scores: Scores,
    threshold: int,
    years: int,
    start: date,
    on: date,
    until: date,
    *,
    notices_until: date | None = None,
) -> HeldRun:
    """Count `years` of points at `threshold`+ from `start`: every day on which the score can change is checked,
    and a day below the threshold restarts the count on the next day it is met again (past or future). Up to
    `notices_until` (the latest 通知書) the notices are the record of the score: the calculation is checked only
    on the days after it."""
    dips: list[tuple[date, int]] = []
    s: date | None = start
    while s is not None and s <= until:
        target = max(on, add_years(s, years))
        days = change_dates(scores, s, target)
        fail = next(
            (
                (d, r.total)
                for d in days
                if (notices_until is None or d > notices_until) and not (r := scores.on(d)).meets(threshold)
            ),
            None,
        )
        if fail is None:
            return HeldRun(target, s, dips)
        dips.append(fail)
        s = earliest_points_date(scores, threshold, fail[0], until, with_reference=False)
    return HeldRun(None, None, dips)
