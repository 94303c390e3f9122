"""Continuity of residence (「引き続き」在留) from the residence history and the trips abroad.

Answers, as of a date: since when the applicant has stayed continuously; since when on a 就労資格 or
居住資格 (the 5 years of the general route) or on any given status; how long each trip was; how many
days abroad in each calendar year; and what breaks or endangers continuity. How statuses count and the
practitioner thresholds (not official) are data: docgen/rules/continuity.py reads data/continuity.yaml.
Reference: permanent-residence.md §4.2 (3)ア, §4.3, §6.2.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from docgen.dates import completed_years
from docgen.profile.model import ApplicationDetails, Trip
from docgen.rules.continuity import ContinuityRules, StatusClass, ThresholdsDef
from docgen.rules.sources import Source

ONE_DAY = timedelta(days=1)


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class TripInfo:
    """One trip with its length as of the assessment date."""

    departure: date
    return_date: date | None
    days: int
    ongoing: bool
    long: bool
    destination: str = ""
    purpose: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "departure": self.departure.isoformat(),
            "return": self.return_date.isoformat() if self.return_date else None,
            "days": self.days,
            "ongoing": self.ongoing,
            "long": self.long,
            "destination": self.destination,
            "purpose": self.purpose,
        }


@dataclass(frozen=True)
class Event:
    """Something that breaks or endangers continuity. `restart` is the day the count starts again."""

    kind: str  # gap | not_counted | long_trip | abroad_now | no_status | year_days_abroad
    ja: str
    en: str
    restart: date | None = None
    official: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "ja": self.ja,
            "en": self.en,
            "restart": self.restart.isoformat() if self.restart else None,
            "official": self.official,
        }


@dataclass(frozen=True)
class Segment:
    """One residence period as of the date: [start, end] inclusive."""

    start: date
    end: date
    cls: StatusClass


@dataclass
class Continuity:
    """Continuity as of `on`."""

    on: date
    stay_since: date | None
    qualifying_since: date | None
    trips: list[TripInfo]
    days_abroad_by_year: dict[int, int]
    breaks: list[Event]
    risks: list[Event]
    warnings: list[str]
    segments: list[Segment] = field(repr=False, default_factory=list)
    thresholds: ThresholdsDef | None = None
    sources: tuple[Source, ...] = ()

    @property
    def years_in_japan(self) -> int:
        return completed_years(self.stay_since, self.on) if self.stay_since else 0

    @property
    def years_qualifying(self) -> int:
        return completed_years(self.qualifying_since, self.on) if self.qualifying_since else 0

    def current_status(self) -> StatusClass | None:
        seg = next((s for s in self.segments if s.start <= self.on <= s.end), None)
        return seg.cls if seg else None

    def run_since(self, matches: Callable[[StatusClass], bool]) -> date | None:
        """Start of the unbroken run of statuses that `matches`, ending on `on` (within the continuous stay)."""
        if self.stay_since is None:
            return None
        idx = next((i for i, s in enumerate(self.segments) if s.start <= self.on <= s.end), None)
        if idx is None or not matches(self.segments[idx].cls):
            return None
        start = self.segments[idx].start
        for prev in reversed(self.segments[:idx]):
            if prev.end + ONE_DAY < start or not matches(prev.cls):
                break
            start = prev.start
        return max(start, self.stay_since)

    def to_json(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "stay_since": self.stay_since.isoformat() if self.stay_since else None,
            "years_in_japan": self.years_in_japan,
            "qualifying_since": self.qualifying_since.isoformat() if self.qualifying_since else None,
            "years_qualifying": self.years_qualifying,
            "trips": [t.to_json() for t in self.trips],
            "days_abroad_by_year": {str(y): d for y, d in sorted(self.days_abroad_by_year.items())},
            "breaks": [e.to_json() for e in self.breaks],
            "risks": [e.to_json() for e in self.risks],
            "thresholds": {
                "long_trip_days": self.thresholds.long_trip_days,
                "year_days_abroad": self.thresholds.year_days_abroad,
                "official": self.thresholds.official,
            }
            if self.thresholds
            else None,
            "warnings": self.warnings,
        }


# ---------------------------------------------------------------- arithmetic


def trip_infos(trips: list[Trip], on: date, long_trip_days: int) -> list[TripInfo]:
    """Each trip that had started by `on`, with its length (an unfinished trip is counted up to `on`)."""
    out = []
    for t in sorted(trips, key=lambda t: t.departure):
        if t.departure > on:
            continue
        ongoing = t.return_date is None or t.return_date > on
        end = on if ongoing or t.return_date is None else t.return_date
        days = (end - t.departure).days
        out.append(
            TripInfo(t.departure, t.return_date, days, ongoing, days >= long_trip_days, t.destination, t.purpose)
        )
    return out


def days_abroad_by_year(trips: list[TripInfo]) -> dict[int, int]:
    """Days abroad per calendar year: the days from departure up to (not including) the return."""
    out: dict[int, int] = {}
    for t in trips:
        start, stop = t.departure, t.departure + timedelta(days=t.days)
        while start < stop:
            year_end = date(start.year + 1, 1, 1)
            chunk_end = min(stop, year_end)
            out[start.year] = out.get(start.year, 0) + (chunk_end - start).days
            start = chunk_end
    return out


# ---------------------------------------------------------------- the calculation


def continuity(details: ApplicationDetails, on: date, rules: ContinuityRules) -> Continuity:
    """Continuity of residence as of `on` from `residence_history` and `trips`."""
    r = rules
    th = r.thresholds
    warnings: list[str] = []
    breaks: list[Event] = []
    risks: list[Event] = []
    trips = trip_infos(details.trips, on, th.long_trip_days)
    per_year = days_abroad_by_year(trips)
    src = r.source_list(th.sources)

    for t in trips:
        if t.long:
            risks.append(
                Event(
                    "long_trip",
                    f"{t.departure}出国の渡航が{t.days}日(1回{th.long_trip_days}日以上の目安)",
                    f"trip from {t.departure}: {t.days} days (rule of thumb: one trip of {th.long_trip_days}+ days)",
                    t.return_date,
                    th.official,
                )
            )
    for year, days in sorted(per_year.items()):
        if days >= th.year_days_abroad:
            risks.append(
                Event(
                    "year_days_abroad",
                    f"{year}年の出国日数が{days}日(年間{th.year_days_abroad}日以上の目安)",
                    f"{days} days abroad in {year} (rule of thumb: {th.year_days_abroad}+ days a year)",
                    None,
                    th.official,
                )
            )

    segments = []
    for p in sorted(details.residence_history, key=lambda p: p.start):
        if p.start > on:
            continue
        cls = r.classify(p.status)
        if not cls.known or cls.review:
            note = cls.review or ""
            if note not in warnings:
                warnings.append(note)
        segments.append(Segment(p.start, min(p.end, on) if p.end else on, cls))

    def result(stay: date | None) -> Continuity:
        c = Continuity(on, stay, None, trips, per_year, breaks, risks, warnings, segments, th, src)
        c.qualifying_since = c.run_since(lambda s: s.qualifying)
        return c

    if not segments:
        breaks.append(
            Event(
                "no_status",
                "在留歴(residence_history)が未入力のため継続在留期間を計算できません",
                "no residence history in the profile; continuity cannot be computed",
            )
        )
        return result(None)
    idx = next((i for i, s in enumerate(segments) if s.start <= on <= s.end), None)
    if idx is None:
        breaks.append(
            Event("no_status", f"{on}時点の在留資格が在留歴にありません", f"no status on {on} in the residence history")
        )
        return result(None)
    if not segments[idx].cls.total:
        breaks.append(
            Event(
                "not_counted",
                f"{on}時点の在留資格「{segments[idx].cls.status}」は在留期間に算入されません",
                f"the status on {on} ({segments[idx].cls.status}) does not count as residence",
            )
        )
        return result(None)

    # the chain of counted statuses without gaps that contains `on`
    stay = segments[idx].start
    for prev in reversed(segments[:idx]):
        if prev.end + ONE_DAY < stay:
            breaks.append(
                Event(
                    "gap",
                    f"{prev.end}から{stay}まで在留資格のない期間があり、継続在留は{stay}から数え直します",
                    f"no status between {prev.end} and {stay}; continuity restarts on {stay}",
                    stay,
                )
            )
            break
        if not prev.cls.total:
            breaks.append(
                Event(
                    "not_counted",
                    f"「{prev.cls.status}」({prev.start}〜{prev.end})は在留期間に算入されず、{stay}から数え直します",
                    f"{prev.cls.status} ({prev.start}–{prev.end}) does not count; continuity restarts on {stay}",
                    stay,
                )
            )
            break
        stay = prev.start

    # a long trip within the stay restarts the count on the return
    for t in trips:
        if not t.long or t.departure < stay:
            continue
        if t.ongoing:
            breaks.append(
                Event(
                    "abroad_now",
                    f"{t.departure}から出国中で{t.days}日を超えています(目安{th.long_trip_days}日)",
                    f"abroad since {t.departure} for {t.days} days (rule of thumb {th.long_trip_days})",
                    t.return_date,
                    th.official,
                )
            )
            return result(None)
        breaks.append(
            Event(
                "long_trip",
                f"{t.departure}〜{t.return_date}の出国({t.days}日)で継続性が途切れ、{t.return_date}から数え直します(目安・非公式)",
                f"the {t.days}-day trip {t.departure}–{t.return_date} breaks continuity; the count restarts on"
                f" {t.return_date} (rule of thumb, not official)",
                t.return_date,
                th.official,
            )
        )
        stay = t.return_date  # type: ignore[assignment]
    return result(stay)
