"""One roster row screened: its case built (from a profile YAML or a returned questionnaire, on the roster's
planned date), assessed once, and reduced to what the screening workbook shows — the decision the assessment
made, the filed route, the earliest date, the blockers, the risks and the missing facts, in Japanese words.

Nothing here decides: the status and the earliest date are the assessment's; `bucket` only groups them for the
summary (can file on the planned date, from later this calendar year, from a later year, no date yet,
undecided). A row whose roster cells or profile cannot be used becomes a row with its problems; it never
raises, so the other rows go on.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from docgen.assessment import CaseAssessment, assess_case
from docgen.assessment.continuity import RiskLevel
from docgen.assessment.decision import Decision, DecisionStatus, ReviewKind, label
from docgen.batch.roster import RosterEntry
from docgen.board.build import reason
from docgen.case import Case, Rules, Settings, build_case
from docgen.case.checks import category_problems, with_category_ids
from docgen.errors import DocgenError, InputFileError, Problem
from docgen.hashing import file_sha256
from docgen.intake import import_answers, read_questionnaire
from docgen.messages import say
from docgen.profile.model import Profile
from docgen.rules.category_names import find_category, not_a_category
from docgen.text import Text
from docgen.wareki import seireki_date

QUESTIONNAIRE_SUFFIXES = (".xlsx", ".xlsm")
MAIN_ROLE = "本人"
LEVEL_WORDS = {RiskLevel.MEDIUM: "中", RiskLevel.HIGH: "高"}


class Bucket(StrEnum):
    """How the summary counts a row (from the decision and its earliest date, never decided here)."""

    NOW = "now"  # the decision says the case can file on the planned date
    THIS_YEAR = "this_year"  # blocked until a day of the run's calendar year
    LATER = "later"  # blocked until a day of a later year
    BLOCKED = "blocked"  # blocked with no date yet (something must happen first)
    UNDECIDED = "undecided"  # a fact the decision needs is missing
    PROBLEM = "problem"  # the row or its profile could not be used


BUCKET_WORDS = {
    Bucket.NOW: Text("申請予定日に申請可", "can file on the planned date"),
    Bucket.THIS_YEAR: Text("今年中に申請可能になる", "can file later this calendar year"),
    Bucket.LATER: Text("来年以降に申請可能になる", "can file from a later year"),
    Bucket.BLOCKED: Text("申請不可（時期未定）", "cannot file (no date yet)"),
    Bucket.UNDECIDED: Text("判断不可（要確認）", "cannot decide (facts missing)"),
    Bucket.PROBLEM: Text("要修正（名簿またはプロフィールの問題）", "to fix (roster or profile problem)"),
}


@dataclass(frozen=True)
class ScreenedRow:
    """One employee as the screening workbook shows them: the assessment's decision, or the row's problems."""

    row: int  # the roster's row number
    case_id: str
    name: str  # as the company knows the employee (the roster's)
    employer: str
    category: str  # the category's Japanese name (or as typed, when it names none)
    planned_date: date | None  # the day the case was assessed on (the roster's, else the profile's)
    decision: DecisionStatus | None  # None: not assessed (see problems)
    route: str  # the main applicant's filed route, in Japanese
    earliest_date: date | None  # the first day the filing can be made, facts unchanged (the decision's)
    blockers: tuple[str, ...]
    risks: tuple[str, ...]
    missing: tuple[str, ...]  # facts the decision needs
    problems: tuple[str, ...]  # why the row was not assessed, in staff words (never a value of the profile)
    bucket: Bucket
    profile: Path | None = None  # the profile or questionnaire the row names (for its packet)
    profile_date: date | None = None  # the planned date the profile itself gives (None: not read)


def bucket_of(decision: Decision, year: int) -> Bucket:
    """The summary's group for a decision, `year` being the run's calendar year."""
    if decision.can_file:
        return Bucket.NOW
    if decision.status is DecisionStatus.UNDECIDED:
        return Bucket.UNDECIDED
    if decision.earliest_date is None:
        return Bucket.BLOCKED
    return Bucket.THIS_YEAR if decision.earliest_date.year <= year else Bucket.LATER


def _problem_row(entry: RosterEntry, category: str, problems: list[str]) -> ScreenedRow:
    return ScreenedRow(
        entry.row,
        entry.case_id,
        entry.name,
        entry.employer,
        category,
        entry.planned_date,
        None,
        "",
        None,
        (),
        (),
        (),
        tuple(problems),
        Bucket.PROBLEM,
        entry.profile,
    )


def _shown(problem: Problem, entry: RosterEntry) -> str:
    """A profile's problem with the file as the roster names it (not the whole path)."""
    typed = entry.profile
    if typed is not None and problem.file == typed:
        problem = dataclasses.replace(problem, file=Path(typed.name))
    return str(problem)


def screen_entry(entry: RosterEntry, settings: Settings, rules: Rules, now: datetime) -> ScreenedRow:
    """The row of one roster entry (never raises for what the roster or the profile holds)."""
    book = rules.book
    category_id = ""
    shown_category = entry.category
    problems = [p.in_row() for p in entry.problems]
    if entry.category:
        found = find_category(book, entry.category)
        if found is None:
            problems.append(entry.cells["category"].problem(not_a_category(book, entry.category)).in_row())
        else:
            category_id, shown_category = found.id, found.name.get("ja", found.id)
    if problems or entry.profile is None:
        return _problem_row(entry, shown_category, problems)
    try:
        case, own_date = _case(entry.profile, entry.planned_date, category_id, settings, rules, now)
        if category_id and case.profile.category != category_id:
            return _problem_row(entry, shown_category, [_other_category(rules, category_id, case.profile.category)])
        assessment = assess_case(case)
    except InputFileError as exc:
        return _problem_row(entry, shown_category, [_shown(p, entry) for p in exc.problems])
    except DocgenError as exc:
        return _problem_row(entry, shown_category, [str(exc)])
    except Exception as exc:  # one row's failure must not stop the others; the kind of failure only
        return _problem_row(entry, shown_category, [f"{entry.profile.name}: {reason(exc)}"])
    return _row(entry, case, assessment, now.year, own_date)


def _other_category(rules: Rules, roster: str, profile: str) -> str:
    def name(cid: str) -> str:
        cat = rules.book.categories.get(cid)
        return f"{cid}（{cat.name.get('ja', cid)}）" if cat else cid

    return say(
        f"名簿の類型 {name(roster)} とプロフィールの類型 {name(profile)} が異なります。どちらかを直してください",
        f"the roster's category {roster} and the profile's category {profile} differ; correct one of them",
    )


def _case(
    profile: Path, on: date | None, category: str, settings: Settings, rules: Rules, now: datetime
) -> tuple[Case, date]:
    """The case of a profile YAML, or of a returned questionnaire (read, never written to a profile), on `on`;
    and the planned date the profile itself gives."""
    if profile.suffix.lower() not in QUESTIONNAIRE_SUFFIXES:
        case = build_case(profile, settings, rules, now=now)
        own = case.application_date
        if on is not None and on != own:  # the roster's day, as `build_case(on=…)` sets it
            case = dataclasses.replace(case, profile=case.profile.model_copy(update={"application_date": on}))
        return case, own
    answers = read_questionnaire(profile)
    if on is not None:
        answers.data["application_date"] = on  # the roster's planned date replaces the questionnaire's
    if category and not answers.data.get("category"):
        answers.data["category"] = category  # the office's field, left empty in the questionnaire
    book, eligibility = rules.book, rules.assessment.eligibility
    imported = import_answers(answers, None, lambda p: category_problems(p, book, eligibility), book)
    if imported.left:  # a family member's category the office has still to choose
        raise InputFileError([p for _, p in imported.left])
    found: Profile = with_category_ids(imported.profile, book)
    return Case(found, profile, settings, rules, now, file_sha256(profile) or ""), found.application_date


def _roles(case: Case) -> list[str]:
    return [MAIN_ROLE, *(m.relationship for m in case.profile.co_applicants)]


def _when(until: date | None, waiting: tuple[str, str] | None) -> str:
    if until is not None:
        return f"（{seireki_date(until)}まで）"
    return f"（{waiting[0]}）" if waiting else "（時期未定）"


def _row(entry: RosterEntry, case: Case, assessment: CaseAssessment, year: int, own_date: date) -> ScreenedRow:
    decision = assessment.decision  # computed once here: the property builds it on each call
    family = bool(assessment.co_applicants)
    blockers: list[str] = []
    risks: list[str] = []
    missing: list[str] = []
    for role, a in zip(_roles(case), assessment.everyone, strict=True):
        who = f"{role}: " if family else ""
        d = a.decided
        blockers += [f"{who}{label(b.id)[0]}{_when(b.until, b.waiting)}" for b in d.blockers]
        risks += [f"{who}{label(r.id)[0]}（{LEVEL_WORDS[r.level]}）" for r in d.risks if r.level in LEVEL_WORDS]
        risks += [f"{who}{label(r.id)[0]}（要確認）" for r in d.review if r.kind is ReviewKind.CHECK]
        missing += [f"{who}{label(r.id)[0]}" for r in d.review if r.kind is ReviewKind.MISSING]
    if decision.status is DecisionStatus.BLOCKED and decision.earliest_date is None:  # why there is no date
        blockers.insert(0, f"時期未定: {decision.waiting[0] if decision.waiting else '先に必要なことがあります'}")
    route = next((r for r in assessment.main.routes if r.filed), None)
    cat = case.book.categories.get(case.profile.category)
    return ScreenedRow(
        entry.row,
        entry.case_id,
        entry.name,
        entry.employer,
        cat.name.get("ja", cat.id) if cat else case.profile.category,
        case.application_date,
        decision.status,
        route.name["ja"] if route else "",
        decision.earliest_date,
        tuple(dict.fromkeys(blockers)),
        tuple(dict.fromkeys(risks)),
        tuple(dict.fromkeys(missing)),
        (),
        bucket_of(decision, year),
        entry.profile,
        own_date,
    )
