"""高度専門職 points (イ / ロ / ハ) as of one date, from `HspFacts` and the points table.

The table is data; this module only reads the facts as they stood on a date (degrees awarded by then,
experience accumulated by then, the salary in force then, the age then) and looks them up.
Reference: permanent-residence.md §5.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta

from docgen.assessment.points.results import Excluded, PointsLine, PointsResult
from docgen.dates import completed_years
from docgen.profile.hsp import HspFacts
from docgen.rules.points_table import BonusDef, PointsTable
from docgen.wareki import seireki_date

GRADUATE = ("博士", "修士", "専門職学位", "経営管理専門職学位")


@dataclass
class Scores:
    """One person's points on any date, each date calculated once. Made once per applicant and assessment (the
    Situation holds it), so the points on the date, the routes' checks and the projections of when the points are
    reached share one computation."""

    facts: HspFacts
    birth_date: date
    table: PointsTable
    _by_date: dict[date, PointsResult] = field(default_factory=dict, repr=False, compare=False)
    _experience: dict[date, Experience] = field(default_factory=dict, repr=False, compare=False)
    changes: dict[tuple[date, date], list[date]] = field(default_factory=dict, repr=False, compare=False)
    """The days the score can change in a span (projection.change_dates), each span computed once."""

    def on(self, day: date) -> PointsResult:
        """The score as the facts stood on `day`."""
        if day not in self._by_date:
            self._by_date[day] = calculate(self.facts, self.birth_date, day, self.table, self.experience(day))
        return self._by_date[day]

    def experience(self, day: date) -> Experience:
        """`experience_span` on `day`, each day computed once (the projections ask for the same days often)."""
        span = self._experience.get(day)
        if span is None:
            span = self._experience[day] = experience_span(self.facts, day)
        return span


# ---------------------------------------------------------------- facts as of a date


@dataclass(frozen=True)
class Experience:
    """Experience accumulated by a day, in completed years, months and leftover days."""

    years: int
    months: int
    days: int


def experience_span(facts: HspFacts, on: date) -> Experience:
    """Experience accumulated by `on` (overlapping periods counted once; `end` is the last day worked)."""
    spans = sorted(
        (e.start, min(on, e.end + timedelta(days=1)) if e.end else on) for e in facts.experience if e.start < on
    )
    merged: list[list[date]] = []
    for start, stop in spans:
        if stop <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], stop)
        else:
            merged.append([start, stop])
    months, days = 0, 0
    for start, stop in merged:
        whole, left = months_and_days(start, stop)
        months += whole
        days += left
    months += days // 31  # leftover days of several periods: a month only once they exceed any month (never early)
    return Experience(months // 12, months % 12, days % 31)


def months_and_days(start: date, stop: date) -> tuple[int, int]:
    """Whole months from `start` to `stop` (not before it) and the days left over, exactly as
    `relativedelta(stop, start)` counts them (a month from 31 January ends on the last day of February), without
    building relativedelta objects: the projections count experience thousands of times."""
    months = (stop.year - start.year) * 12 + stop.month - start.month
    while (moved := _months_later(start, months)) > stop:
        months -= 1
    return months, (stop - moved).days


def _months_later(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def salary_on(facts: HspFacts, on: date) -> int | None:
    """年収 in force on `on` (the latest salary whose start is on or before it)."""
    current = [s for s in facts.salary if s.start <= on]
    return max(current, key=lambda s: s.start).amount if current else None


def _bonus_in_facts(facts: HspFacts, fact: str, on: date) -> bool:
    return any(b.bonus == fact and b.start <= on and (b.end is None or on <= b.end) for b in facts.bonuses)


# ---------------------------------------------------------------- the calculation


def calculate(
    facts: HspFacts, birth_date: date, on: date, table: PointsTable, experience: Experience | None = None
) -> PointsResult:
    """Points for `facts.field` as of `on` (`experience`: `experience_span(facts, on)` when already known). The
    bases are printed in the 計算表, so their dates are 西暦 (2020年3月24日), never ISO; the warnings are staff
    messages and keep ISO dates like the rest of `assess`."""
    t = table
    f = t.fields[facts.field]
    lines: list[PointsLine] = []
    excluded: list[Excluded] = []
    warnings: list[str] = []

    def add(item: str, points: int, basis: str) -> None:
        meta = t.items[item]
        lines.append(
            PointsLine(
                item,
                meta.label.model_dump(),
                points,
                basis,
                meta.evidence,
                on,
                t.source_list(meta.sources),
                meta.review,
            )
        )

    if on < t.covers_from:
        warnings.append(
            f"{on}はポイント表の収録範囲({t.covers_from}以降)より前です。現行の表で計算しています:"
            f" {t.covers_from_review}"
        )

    # 学歴: the highest degree held on the date, plus the bonus for graduate degrees in 2+ fields
    degrees = [d for d in facts.degrees if d.awarded <= on]
    scored = [(f.education.points.get(d.level, 0), d) for d in degrees]
    if scored:
        best_points, best = max(scored, key=lambda x: x[0])
        if best_points:
            add(
                "education",
                best_points,
                f"{best.level}"
                + (f" ({best.field_of_study})" if best.field_of_study else "")
                + f" {seireki_date(best.awarded)}授与",
            )
    fields_of_study = {d.field_of_study for d in degrees if d.level in GRADUATE and d.field_of_study}
    if len(fields_of_study) >= 2:
        add(
            "education_multiple_fields",
            f.education.multiple_fields,
            "複数分野の学位: " + "・".join(sorted(fields_of_study)),
        )

    # 職歴
    span = experience if experience is not None else experience_span(facts, on)
    band = next((b for b in f.experience if span.years >= b.years), None)
    if band:
        add("experience", band.points, f"実務経験 {span.years}年{span.months}か月 ({band.years}年以上)")

    # 年収 (age bands as of the date)
    age = completed_years(birth_date, on)
    salary = salary_on(facts, on)
    if salary is None:
        warnings.append(f"{on}時点の年収がプロフィールにありません")
    else:
        band_s = next((b for b in f.salary if salary >= b.min and (b.under_age is None or age < b.under_age)), None)
        if band_s:
            limit = f", {band_s.under_age}歳未満" if band_s.under_age else ""
            add("salary", band_s.points, f"年収 {salary:,}円 ({band_s.min:,}円以上{limit}; {age}歳)")

    # 年齢
    band_a = next((b for b in f.age if age < b.under), None)
    if band_a:
        add("age", band_a.points, f"{age}歳 ({band_a.under}歳未満)")

    # 研究実績: a criterion is met when its kind reaches the count in the table
    if f.research:
        met = []
        for kind, rule in t.research_kinds.items():
            n = sum(a.count for a in facts.research if a.kind == kind and a.obtained <= on)
            if n >= rule.min_count:
                met.append(f"{kind}({n})")
        if met:
            add("research", f.research.two_or_more if len(met) >= 2 else f.research.one, "、".join(met))

    # 資格
    if f.qualifications:
        quals = [q.name for q in facts.qualifications if q.obtained <= on]
        if quals:
            add(
                "qualifications",
                f.qualifications.two_or_more if len(quals) >= 2 else f.qualifications.one,
                "、".join(quals),
            )

    # 地位 (ハ)
    if f.position and facts.position:
        if facts.position_since is None:
            warnings.append(
                "地位の就任日(position_since)が未入力のため、この時点で就任していたものとして計算しています"
            )
        if facts.position_since is None or facts.position_since <= on:
            add(
                "position",
                f.position[facts.position],
                facts.position + (f" ({seireki_date(facts.position_since)}就任)" if facts.position_since else ""),
            )

    lines += _bonuses(facts, on, t, excluded, warnings)
    minimum = t.minimum_income.amount if facts.field in t.minimum_income.fields else None
    return PointsResult(
        facts.field, on, lines, excluded, salary, minimum, t.source_list(t.minimum_income.sources), warnings
    )


def _bonus_present(facts: HspFacts, b: BonusDef, on: date, warnings: list[str]) -> bool:
    """Do the facts claim this bonus on the date (before the table's own limits)?"""
    if b.fact == "日本の大学":
        return any(d.japanese_university and d.awarded <= on for d in facts.degrees)
    if b.fact in ("N1", "N2"):
        levels = ("N1", "日本語専攻") if b.fact == "N1" else ("N2",)
        if facts.japanese not in levels:
            return False
        if facts.japanese_since is None:
            warnings.append("日本語能力の取得日(japanese_since)が未入力のため、この時点で取得済みとして計算しています")
            return True
        return facts.japanese_since <= on
    return _bonus_in_facts(facts, b.fact, on)


def _bonuses(
    facts: HspFacts, on: date, t: PointsTable, excluded: list[Excluded], warnings: list[str]
) -> list[PointsLine]:
    """特別加算 with their limits: 分野, start date of the rule, required and excluding bonuses."""
    present = {b.id: _bonus_present(facts, b, on, warnings) for b in t.bonuses}
    scored: dict[str, PointsLine] = {}
    for b in t.bonuses:
        if not present[b.id]:
            continue
        why: tuple[str, str] | None = None
        if facts.field not in b.fields:
            why = (f"1号{'・'.join(b.fields)}のみの加算です", f"only for {'/'.join(b.fields)}")
        elif not b.in_force(on):
            why = (f"この加算は{b.start}から", f"this bonus exists from {b.start}")
        elif missing := [r for r in b.requires if r not in scored]:
            names = "・".join(next(x.label.ja for x in t.bonuses if x.id == r) for r in missing)
            why = (f"「{names}」の加算が前提です", f"requires: {', '.join(missing)}")
        elif clash := [r for r in b.excluded_by if r in scored]:
            names = "・".join(scored[r].label["ja"] for r in clash)
            why = (f"「{names}」の加算を受ける場合は加算されません", f"not combined with: {', '.join(clash)}")
        if why:
            excluded.append(Excluded(b.id, b.label.ja, *why))
            continue
        scored[b.id] = PointsLine(
            b.id, b.label.model_dump(), b.points, "特別加算", b.evidence, on, t.source_list(b.sources), b.review
        )
    return list(scored.values())
