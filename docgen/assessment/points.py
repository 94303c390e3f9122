"""高度専門職 points (イ / ロ / ハ) as of any date, from `HspFacts` and the table in data/hsp_points.yaml.

The table is data; this module only reads facts as they stood on a date (degrees awarded by then,
experience accumulated by then, the salary in force then, the age then) and looks them up.
Reference: permanent-residence.md §5 (table), §1.c and §4.3 6イ/7イ (the reference date).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field

from docgen.errors import DocgenError
from docgen.rules.periods import years_before
from docgen.profile.hsp import HspFacts, PointsField
from docgen.rules.book import Source, SourceDef, needs_review
from docgen.validation import validate_document
from docgen.yamlfile import load_yaml
from docgen.resources import DATA

DATA_FILE = DATA / "hsp_points.yaml"
GRADUATE = ("博士", "修士", "専門職学位", "経営管理専門職学位")


# ---------------------------------------------------------------- the table file


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class Text2(_Strict):
    ja: str
    en: str


class YearsBand(_Strict):
    years: int
    points: int


class SalaryBand(_Strict):
    min: int
    points: int
    under_age: int | None = None


class AgeBand(_Strict):
    under: int
    points: int


class OneOrMore(_Strict):
    one: int
    two_or_more: int


class EducationDef(_Strict):
    points: dict[str, int]
    multiple_fields: int


class FieldDef(_Strict):
    name: Text2
    education: EducationDef
    experience: list[YearsBand]
    salary: list[SalaryBand]
    age: list[AgeBand] = Field(default_factory=list)
    research: OneOrMore | None = None
    qualifications: OneOrMore | None = None
    position: dict[str, int] | None = None


class ItemDef(_Strict):
    label: Text2
    evidence: str
    sources: list[str]
    review: str | None = None


class BonusDef(_Strict):
    id: str
    fact: str
    label: Text2
    points: int
    evidence: str
    sources: list[str]
    fields: list[PointsField] = Field(default_factory=lambda: ["イ", "ロ", "ハ"])
    start: date | None = Field(None, alias="from")
    requires: list[str] = Field(default_factory=list)
    excluded_by: list[str] = Field(default_factory=list)
    derived: bool = False
    review: str | None = None


class ResearchKindDef(_Strict):
    min_count: int
    label: str


class MinimumIncomeDef(_Strict):
    amount: int
    fields: list[PointsField]
    sources: list[str]


class PointsTable(_Strict):
    last_checked: date
    covers_from: date
    covers_from_review: str
    thresholds: dict[int, int]
    sources: dict[str, SourceDef]
    minimum_income: MinimumIncomeDef
    research_kinds: dict[str, ResearchKindDef]
    items: dict[str, ItemDef]
    fields: dict[PointsField, FieldDef]
    bonuses: list[BonusDef]

    def source_list(self, keys: list[str]) -> tuple[Source, ...]:
        return tuple(Source(k, self.sources[k].title, self.sources[k].url, self.sources[k].reliability) for k in keys)


@lru_cache(maxsize=4)
def load_table(path: Path = DATA_FILE) -> PointsTable:
    """Read and check the points table (unknown source keys and bonus references are errors)."""
    doc = load_yaml(path)
    table = validate_document(doc, PointsTable)
    ids: set[str] = set()
    for ref in [*(s for i in table.items.values() for s in i.sources), *(s for b in table.bonuses for s in b.sources), *table.minimum_income.sources]:
        if ref not in table.sources:
            raise DocgenError(f"{path}: unknown source '{ref}'")
    for b in table.bonuses:  # a bonus may only refer to bonuses listed above it (they are decided first)
        for other in b.requires + b.excluded_by:
            if other not in ids:
                raise DocgenError(f"{path}: bonus '{b.id}' refers to '{other}', which must be listed above it")
        ids.add(b.id)
    return table


# ---------------------------------------------------------------- results


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
            "sources": [{"title": s.title, "url": s.url, "reliability": s.reliability} for s in self.sources],
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
    warnings: list[str] = field(default_factory=list)

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
            out.append((f"{self.as_of}時点のポイントは{self.total}点で、{threshold}点に{threshold - self.total}点足りません",
                        f"{self.total} points as of {self.as_of}, {threshold - self.total} short of {threshold}"))
        if not self.income_minimum_met:
            amount = "不明" if self.salary is None else f"{self.salary:,}円"
            out.append((f"{self.as_of}時点の年収({amount})が1号{self.field}の最低年収{self.minimum_income:,}円に達しません",
                        f"salary as of {self.as_of} ({amount}) is below the {self.minimum_income:,} yen minimum for 1-{self.field}"))
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


# ---------------------------------------------------------------- facts as of a date


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def experience_span(facts: HspFacts, on: date) -> relativedelta:
    """Experience accumulated by `on` (overlapping periods counted once; `end` is the last day worked)."""
    spans = sorted((e.start, min(on, e.end + timedelta(days=1)) if e.end else on) for e in facts.experience if e.start < on)
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
        rd = relativedelta(stop, start)
        months += rd.years * 12 + rd.months
        days += rd.days
    months += days // 31  # leftover days of several periods: a month only once they exceed any month (never early)
    return relativedelta(years=months // 12, months=months % 12, days=days % 31)


def salary_on(facts: HspFacts, on: date) -> int | None:
    """年収 in force on `on` (the latest salary whose start is on or before it)."""
    current = [s for s in facts.salary if s.start <= on]
    return max(current, key=lambda s: s.start).amount if current else None


def _bonus_in_facts(facts: HspFacts, fact: str, on: date) -> bool:
    return any(b.bonus == fact and b.start <= on and (b.end is None or on <= b.end) for b in facts.bonuses)


def _mentions(facts: HspFacts, fact: str) -> bool:
    return any(b.bonus == fact for b in facts.bonuses)


# ---------------------------------------------------------------- the calculation


def calculate(facts: HspFacts, birth_date: date, on: date, *, table: PointsTable | None = None) -> PointsResult:
    """Points for `facts.field` as of `on`."""
    t = table or load_table()
    f = t.fields[facts.field]
    lines: list[PointsLine] = []
    excluded: list[Excluded] = []
    warnings: list[str] = []

    def add(item: str, points: int, basis: str) -> None:
        meta = t.items[item]
        lines.append(PointsLine(item, meta.label.model_dump(), points, basis, meta.evidence, on, t.source_list(meta.sources), meta.review))

    if on < t.covers_from:
        warnings.append(f"{on}はポイント表の収録範囲({t.covers_from}以降)より前です。現行の表で計算しています: {t.covers_from_review}")

    # 学歴: the highest degree held on the date, plus the bonus for graduate degrees in 2+ fields
    degrees = [d for d in facts.degrees if d.awarded <= on]
    scored = [(f.education.points.get(d.level, 0), d) for d in degrees]
    if scored:
        best_points, best = max(scored, key=lambda x: x[0])
        if best_points:
            add("education", best_points, f"{best.level}" + (f" ({best.field_of_study})" if best.field_of_study else "") + f" {best.awarded}授与")
    fields_of_study = {d.field_of_study for d in degrees if d.level in GRADUATE and d.field_of_study}
    if len(fields_of_study) >= 2:
        add("education_multiple_fields", f.education.multiple_fields, "複数分野の学位: " + "・".join(sorted(fields_of_study)))

    # 職歴
    span = experience_span(facts, on)
    band = next((b for b in f.experience if span.years >= b.years), None)
    if band:
        add("experience", band.points, f"実務経験 {span.years}年{span.months}か月 ({band.years}年以上)")

    # 年収 (age bands as of the date)
    age = _age(birth_date, on)
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
            add("qualifications", f.qualifications.two_or_more if len(quals) >= 2 else f.qualifications.one, "、".join(quals))

    # 地位 (ハ)
    if f.position and facts.position:
        if facts.position_since is None:
            warnings.append("地位の就任日(position_since)が未入力のため、この時点で就任していたものとして計算しています")
        if facts.position_since is None or facts.position_since <= on:
            add("position", f.position[facts.position], facts.position + (f" ({facts.position_since}就任)" if facts.position_since else ""))

    lines += _bonuses(facts, on, t, excluded, warnings)
    minimum = t.minimum_income.amount if facts.field in t.minimum_income.fields else None
    return PointsResult(facts.field, on, lines, excluded, salary, minimum, t.source_list(t.minimum_income.sources), warnings)


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


def _bonuses(facts: HspFacts, on: date, t: PointsTable, excluded: list[Excluded], warnings: list[str]) -> list[PointsLine]:
    """特別加算 with their limits: 分野, start date of the rule, required and excluding bonuses."""
    present = {b.id: _bonus_present(facts, b, on, warnings) for b in t.bonuses}
    scored: dict[str, PointsLine] = {}
    for b in t.bonuses:
        if not present[b.id]:
            continue
        why: tuple[str, str] | None = None
        if facts.field not in b.fields:
            why = (f"1号{'・'.join(b.fields)}のみの加算です", f"only for {'/'.join(b.fields)}")
        elif b.start and on < b.start:
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
        scored[b.id] = PointsLine(b.id, b.label.model_dump(), b.points, "特別加算", b.evidence, on, t.source_list(b.sources), b.review)
    return list(scored.values())


# ---------------------------------------------------------------- application date and reference date


def reference_date(application_date: date, threshold: int, *, table: PointsTable | None = None) -> date:
    """申請日の3年前 (70点) / 1年前 (80点); 29 February becomes 28 February."""
    t = table or load_table()
    if threshold not in t.thresholds:
        raise DocgenError(f"no points route with {threshold} points; known: {', '.join(map(str, t.thresholds))}")
    return years_before(application_date, t.thresholds[threshold])


@dataclass(frozen=True)
class EvidenceNeed:
    """A 疎明資料 and the dates as of which it must prove the item."""

    item: str
    label: str
    evidence: str
    as_of: tuple[date, ...]

    def to_json(self) -> dict[str, Any]:
        return {"item": self.item, "label": self.label, "evidence": self.evidence, "as_of": [d.isoformat() for d in self.as_of]}


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


def check_points(facts: HspFacts, birth_date: date, application_date: date, threshold: int) -> PointsCheck:
    """Score on the application date and on the reference date (3 years / 1 year before)."""
    t = load_table()
    ref = reference_date(application_date, threshold, table=t)
    return PointsCheck(threshold, application_date, ref, calculate(facts, birth_date, application_date, table=t), calculate(facts, birth_date, ref, table=t))


# ---------------------------------------------------------------- when will the points be reached?


def _experience_crossing(facts: HspFacts, years: int, lo: date, hi: date) -> date | None:
    """First day in [lo, hi] with at least `years` of experience (experience never decreases)."""
    if experience_span(facts, hi).years < years:
        return None
    while lo < hi:
        mid = lo + (hi - lo) // 2
        if experience_span(facts, mid).years >= years:
            hi = mid
        else:
            lo = mid + timedelta(days=1)
    return lo


def change_dates(facts: HspFacts, birth_date: date, start: date, until: date, *, table: PointsTable | None = None) -> list[date]:
    """Every day in [start, until] on which the score can change (the score is constant in between)."""
    t = table or load_table()
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
        crossing = _experience_crossing(facts, band.years, start, until)
        if crossing:
            events.add(crossing)
    return sorted(d for d in events | {start} if start <= d <= until)


def earliest_points_date(facts: HspFacts, birth_date: date, threshold: int, start: date, until: date, *, with_reference: bool) -> date | None:
    """First day in [start, until] on which the points route is met, assuming the facts as recorded.

    With `with_reference`, the score must also be met at the reference date (3 / 1 years before that day)."""
    t = load_table()
    candidates = set(change_dates(facts, birth_date, start, until, table=t))
    if with_reference:
        years = t.thresholds[threshold]
        ref_events = change_dates(facts, birth_date, years_before(start, years), until, table=t)
        for e in ref_events:  # the reference date passes an event on (about) its anniversary
            for d in (e + relativedelta(years=years), e + relativedelta(years=years) + timedelta(days=1)):
                if start <= d <= until:
                    candidates.add(d)
    for d in sorted(candidates):
        if with_reference:
            if check_points(facts, birth_date, d, threshold).met:
                return d
        elif calculate(facts, birth_date, d, table=t).meets(threshold):
            return d
    return None
