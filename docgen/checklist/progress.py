"""How far each checklist item is complete: the documents placed under it counted against what completes it.

An item's `count_per` says what completes it: one document for the item (the household's 住民票, the
guarantor's letter), one per person it concerns (a 在職証明書 for each working applicant), or one per person and
住民税 年度 of that person's period (住民税 certificates: 5 年度 × each person). Each document placed under the
item is a `Piece`: whose it is and which 年度 it names, as far as its name tells (docgen/checklist/scans.py).
A piece that does not say whose it is (when the item concerns several people), or which 年度 (when the item
counts 年度), counts once and is reported for staff to check (要確認), never as everyone's or every year's.
Scans left out of the bundle are not pieces, so they complete nothing.

Items that are shown at the counter, paid on grant, or optional are not counted: they are never incomplete.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from docgen.checklist.model import ChecklistItem, PersonRef, Requirement
from docgen.checklist.output import ROLE_NAMES, people_label
from docgen.dates import consecutive_runs
from docgen.rules.periods import AsOf, FiscalYears, Months
from docgen.wareki import fiscal_year_label, fiscal_years_range_label


@dataclass(frozen=True)
class Piece:
    """One document under an item: whose it is (None: not told) and the 年度 it names."""

    person: str | None
    years: frozenset[int] = frozenset()


class Gap(NamedTuple):
    """One document still to bring: for whom, for which period, and who that is without their name (the
    manifest names no one: applicant1 is the main applicant, applicant2… the co-applicants in order)."""

    person: str  # as staff read it: NGUYEN VAN AN, 扶養者（王 偉）, 世帯全員
    period: str  # 令和7年度, the person's period (2024年12月〜2026年11月（24か月）), or ""
    who: str  # applicant1, supporter, guarantor, household, filer, item
    fiscal_year: int | None = None  # the 年度, when the item counts 年度


DoubtKind = Literal["period_unknown", "person_unknown", "outside_period"]


class Doubt(NamedTuple):
    """Documents counted without knowing all of what they are for, or counted for nothing: for staff to check."""

    kind: DoubtKind
    person: str  # "" when the document does not say whose it is
    who: str
    documents: int
    years: tuple[int, ...] = ()  # outside_period: the 年度 named outside the person's period

    def text(self) -> str:
        if self.kind == "period_unknown":
            return f"{self.person}: 年度の分からない資料{self.documents}件"
        if self.kind == "person_unknown":
            return f"対象者の分からない資料{self.documents}件"
        return f"{self.person}: 対象期間外（{fiscal_years_range_label(list(self.years))}）の資料"


def _runs(years: list[int]) -> str:
    """令和4年度〜令和6年度、令和8年度: consecutive 年度 as one range."""
    return "、".join(fiscal_years_range_label(run) for run in consecutive_runs(years))


@dataclass(frozen=True)
class ItemProgress:
    """What an item has against what completes it: `have` of `need` documents, the ones still missing (per
    person and period) and what staff should check. `counted` is False for items nothing is counted for."""

    item_id: str
    have: int
    need: int
    missing: tuple[Gap, ...] = ()
    doubts: tuple[Doubt, ...] = ()
    counted: bool = True

    @property
    def complete(self) -> bool:
        """Every document the item needs is there and known to be the right person's and 年度's."""
        return not self.missing

    @property
    def count(self) -> str:
        """「3/15」, or "" for an item nothing is counted for."""
        return f"{self.have}/{self.need}" if self.counted else ""

    def missing_text(self) -> str:
        """What is still missing, briefly: 'NGUYEN VAN AN 令和4年度〜令和6年度、令和8年度／TRAN THI BINH
        令和4年度〜令和8年度', and what to check: '（要確認: NGUYEN VAN AN: 年度の分からない資料1件）'."""
        by_person: dict[str, list[Gap]] = {}
        for gap in self.missing:
            by_person.setdefault(gap.person, []).append(gap)
        parts = []
        for person, gaps in by_person.items():
            years = [g.fiscal_year for g in gaps if g.fiscal_year is not None]
            periods = [_runs(years)] if years else list(dict.fromkeys(g.period for g in gaps if g.period))
            parts.append(" ".join([person, *periods]))
        text = "／".join(parts)
        if self.doubts:
            text += f"（要確認: {'、'.join(d.text() for d in self.doubts)}）"
        return text

    def to_json(self) -> dict[str, Any]:
        """For the manifest: counts, and people by role and position only (no names)."""
        return {
            "item": self.item_id,
            "have": self.have,
            "need": self.need,
            "complete": self.complete,
            "missing": [
                {"who": g.who, **({"fiscal_year": g.fiscal_year} if g.fiscal_year is not None else {})}
                for g in self.missing
            ],
            "check": [
                {
                    "kind": d.kind,
                    "who": d.who,
                    "documents": d.documents,
                    **({"fiscal_years": list(d.years)} if d.years else {}),
                }
                for d in self.doubts
            ],
        }


@dataclass
class IncompleteItem(ChecklistItem):
    """A checklist item the packet does not complete yet, with its count (what `missing_items` returns)."""

    progress: ItemProgress = field(kw_only=True)


def counted(item: ChecklistItem) -> bool:
    """Whether documents are counted for the item: required, handed in, and not paid on grant."""
    return item.required is Requirement.REQUIRED and item.rule.action == "submit" and item.rule.condition != "on_grant"


def roster(item: ChecklistItem) -> list[PersonRef]:
    """The people an item concerns, each once (the guarantor of three applications is one person)."""
    seen: dict[str, PersonRef] = {}
    for p in item.people:
        seen.setdefault(p.name, p)
    return list(seen.values())


def who(person: PersonRef, applicants: Sequence[str]) -> str:
    """A person without their name: applicant1 (the main applicant), applicant2…, supporter, guarantor…"""
    if person.role == "applicant" and person.name in applicants:
        return f"applicant{list(applicants).index(person.name) + 1}"
    return person.role


def _shown(person: PersonRef) -> str:
    return person.name if person.role == "applicant" else f"{ROLE_NAMES['ja'][person.role]}（{person.name}）"


class _Unit(NamedTuple):
    person: str | None  # name; None for the item as a whole
    year: int | None


def _units(item: ChecklistItem, people: list[PersonRef]) -> list[_Unit]:
    if item.count_per == "item" or not people:
        return [_Unit(None, None)]
    out = []
    for p in people:
        period = item.period_of(p)
        if item.count_per == "person_year" and isinstance(period, FiscalYears):
            out += [_Unit(p.name, y) for y in sorted(period.years)]
        else:
            out.append(_Unit(p.name, None))
    return out


def _gap(item: ChecklistItem, unit: _Unit, people: dict[str, PersonRef], applicants: Sequence[str]) -> Gap:
    if unit.person is None:
        return Gap(people_label(item), item.period_label(), "item")
    person = people[unit.person]
    period = item.period_of(person)
    if unit.year is not None:
        return Gap(_shown(person), fiscal_year_label(unit.year), who(person, applicants), unit.year)
    return Gap(_shown(person), period.label() if isinstance(period, Months | AsOf) else "", who(person, applicants))


def item_progress(item: ChecklistItem, pieces: Sequence[Piece], applicants: Sequence[str] = ()) -> ItemProgress:
    """Count the pieces placed under an item against what completes it. `applicants` (the checklist's, main
    first) name people by position in the manifest."""
    if not counted(item):
        return ItemProgress(item.id, len(pieces), 0, counted=False)
    people = roster(item)
    by_name = {p.name: p for p in people}
    units = _units(item, people)
    years_of = {
        p.name: set(period.years)
        for p in people
        if item.count_per == "person_year" and isinstance(period := item.period_of(p), FiscalYears)
    }
    covered: set[_Unit] = set()
    no_period: Counter[str] = Counter()
    no_person = 0
    outside: dict[str, set[int]] = {}
    for piece in pieces:
        if units == [_Unit(None, None)]:
            covered.add(units[0])
            continue
        name = piece.person if piece.person in by_name else (people[0].name if len(people) == 1 else None)
        if name is None:
            no_person += 1
        elif name not in years_of:
            covered.add(_Unit(name, None))
        elif not piece.years:
            no_period[name] += 1
        else:
            covered |= {_Unit(name, y) for y in piece.years & years_of[name]}
            if piece.years - years_of[name]:
                outside.setdefault(name, set()).update(piece.years - years_of[name])
    left = [u for u in units if u not in covered]
    filled = sum(min(n, sum(u.person == name for u in left)) for name, n in no_period.items())
    filled += min(no_person, len(left) - filled)
    doubts = [
        Doubt("period_unknown", _shown(by_name[name]), who(by_name[name], applicants), n)
        for name, n in no_period.items()
    ]
    if no_person:
        doubts.append(Doubt("person_unknown", "", "", no_person))
    doubts += [
        Doubt("outside_period", _shown(by_name[name]), who(by_name[name], applicants), 1, tuple(sorted(years)))
        for name, years in outside.items()
    ]
    return ItemProgress(
        item.id,
        have=len(units) - len(left) + filled,
        need=len(units),
        missing=tuple(_gap(item, u, by_name, applicants) for u in left),
        doubts=tuple(doubts),
    )
