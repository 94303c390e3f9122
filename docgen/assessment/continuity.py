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
from enum import StrEnum
from typing import Any

from docgen.dates import add_years, completed_years
from docgen.profile.model import ApplicationDetails, Trip
from docgen.rules.continuity import ContinuityRules, ReentryDef, StatusClass, ThresholdsDef
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
    exit: str = "不明"
    reentry_permit_until: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "departure": self.departure.isoformat(),
            "return": self.return_date.isoformat() if self.return_date else None,
            "days": self.days,
            "ongoing": self.ongoing,
            "long": self.long,
            "destination": self.destination,
            "purpose": self.purpose,
            "exit": self.exit,
            "reentry_permit_until": self.reentry_permit_until.isoformat() if self.reentry_permit_until else None,
        }


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return list(RiskLevel).index(self)


@dataclass(frozen=True)
class Event:
    """Something that breaks continuity (by law or by the history), endangers it (a risk, with a level), or
    cannot be decided without a fact. `restart` is the day the count starts again if it is broken."""

    kind: str  # gap | not_counted | lapse | abroad_now | no_status | exit_unknown | long_trip | year_days_abroad
    ja: str
    en: str
    restart: date | None = None
    official: bool = True
    level: RiskLevel | None = None  # set for risks

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "ja": self.ja,
            "en": self.en,
            "restart": self.restart.isoformat() if self.restart else None,
            "official": self.official,
            **({"level": self.level.value} if self.level else {}),
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
    breaks: list[Event]  # for certain: the law or the status history
    risks: list[Event]  # rules of thumb, with a level
    warnings: list[str]
    undecided: list[Event] = field(default_factory=list)  # a fact is missing (e.g. how a long trip was made)
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
            "undecided": [e.to_json() for e in self.undecided],
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
            TripInfo(
                t.departure,
                t.return_date,
                days,
                ongoing,
                days >= long_trip_days,
                t.destination,
                t.purpose,
                t.exit,
                t.reentry_permit_until,
            )
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

    covid = r.covid
    for t in trips:
        if t.long and lapse_date(t, r.reentry) is None:
            note = (
                f"。{covid.start}〜{covid.end}の出国は入国制限により再入国できなかった場合、申立書により継続在留"
                "と扱われ得ます(要確認)"
                if covid.in_force(t.departure)
                else ""
            )
            note_en = " A COVID-era trip may count as continuous with a 申立書 (check)." if note else ""
            risks.append(
                Event(
                    "long_trip",
                    f"{t.departure}出国の渡航が{t.days}日(1回{th.long_trip_days}日以上の目安: 継続性を否定される"
                    f"おそれ){note}",
                    f"trip from {t.departure}: {t.days} days (rule of thumb: one trip of {th.long_trip_days}+ days "
                    f"may be taken as breaking continuity){note_en}",
                    t.return_date,
                    th.official,
                    RiskLevel.HIGH,
                )
            )
    for year, days in sorted(per_year.items()):
        if days >= th.year_days_abroad:
            risks.append(
                Event(
                    "year_days_abroad",
                    f"{year}年の出国日数が{days}日(年間{th.year_days_abroad}日以上の目安)",
                    f"{days} days abroad in {year} (rule of thumb: {th.year_days_abroad}+ days a year)",
                    date(year + 1, 1, 1),
                    th.official,
                    RiskLevel.MEDIUM,
                )
            )

    segments = []
    for p in sorted(details.residence_history, key=lambda p: p.start):
        if p.start > on:
            continue
        cls = r.classify(p.status)
        if not cls.known or cls.review:
            note = cls.review or ""
            if not cls.known:  # the status as typed is not repeated (it may be anything): where it is, instead
                note = f"在留歴（{p.start}〜）: {note}"
            if note not in warnings:
                warnings.append(note)
        segments.append(Segment(p.start, min(p.end, on) if p.end else on, cls))

    undecided: list[Event] = []

    def result(stay: date | None) -> Continuity:
        c = Continuity(on, stay, None, trips, per_year, breaks, risks, warnings, undecided, segments, th, src)
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

    # by law (入管法26条・26条の2) a trip past みなし再入国 or the 再入国許可 ends the status: the count restarts
    for t in trips:
        if t.departure < stay:
            continue
        lapsed = lapse_date(t, r.reentry)
        how = (
            f"みなし再入国の期限(出国後{r.reentry.deemed_reentry_years}年)"
            if t.exit == "みなし再入国"
            else "再入国許可の有効期限"
        )
        if lapsed is not None and t.ongoing:
            breaks.append(
                Event(
                    "abroad_now",
                    f"{t.departure}に出国し、{how}{lapsed}までに再入国していないため在留資格が失われています",
                    f"left on {t.departure} and was not back by {lapsed} ({t.exit}): the status has lapsed",
                )
            )
            return result(None)
        if lapsed is not None and t.return_date is not None:
            breaks.append(
                Event(
                    "lapse",
                    f"{t.departure}出国・{t.return_date}帰国: {how}{lapsed}を過ぎたため在留資格が失われ、"
                    f"継続在留は{t.return_date}の入国から数え直します",
                    f"left {t.departure}, back {t.return_date}, after {lapsed} ({t.exit}): the status lapsed and the "
                    f"count restarts on the new entry",
                    t.return_date,
                )
            )
            stay = t.return_date
        elif t.exit == "不明" and t.days > 365 * r.reentry.deemed_reentry_years:
            undecided.append(
                Event(
                    "exit_unknown",
                    f"{t.departure}からの出国({t.days}日)が再入国許可によるものか不明です。"
                    "みなし再入国なら在留資格は失われています(trips[].exit と reentry_permit_until を入力)",
                    f"the {t.days}-day trip from {t.departure}: record whether it was on a re-entry permit "
                    "(trips[].exit); on みなし再入国 the status would have lapsed",
                    t.return_date,
                )
            )
        elif t.ongoing and t.long:
            risks.append(
                Event(
                    "abroad_now",
                    f"{t.departure}から出国中({t.days}日)。申請は日本で行うため帰国が必要です",
                    f"abroad since {t.departure} ({t.days} days); the application is filed in Japan",
                    None,
                    th.official,
                    RiskLevel.HIGH,
                )
            )
    return result(stay)


def lapse_date(t: TripInfo, law: ReentryDef) -> date | None:
    """The day the status lapsed during the trip (入管法26条・26条の2), or None when it did not (or is unknown)."""
    back = t.return_date if not t.ongoing and t.return_date else None
    if t.exit == "みなし再入国":
        limit = add_years(t.departure, law.deemed_reentry_years)
    elif t.exit == "再入国許可" and t.reentry_permit_until is not None:
        limit = t.reentry_permit_until
    else:
        return None
    end = back or (t.departure + timedelta(days=t.days))
    return limit if end > limit else None
