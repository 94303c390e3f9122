"""The profile a read questionnaire describes, merged over an existing profile, with every problem located at
its cell (or at the profile's line for a value the questionnaire left empty).

Two things the model's defaults must not decide: a yes/no question left empty is not 「いいえ」 (the 申請書
would print 「無」 for a question nobody answered), and a questionnaire of one case never goes into another
case's profile.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from docgen.errors import InputFileError, Problem
from docgen.intake.layout import Section
from docgen.intake.lenient import lenient_profile
from docgen.intake.office_fields import resolve_categories
from docgen.intake.profile_data import get, merge, prefill_data
from docgen.intake.read import LAYOUTS, Answers, CellProblem
from docgen.messages import say
from docgen.profile.characters import character_findings, finding_message
from docgen.profile.checks import Loc, consistency_problems
from docgen.profile.load import Checks
from docgen.profile.model import Profile
from docgen.rules.book import RuleBook
from docgen.text import NextStep, Step
from docgen.validation import field_path, human_message
from docgen.yamlfile import LoadedYaml


def _message(err: Any) -> str:
    """Pydantic's error in staff words about a questionnaire cell (other kinds as in a profile file)."""
    kind = err["type"]
    if kind in ("missing", "string_too_short") or (err.get("input", "") is None and kind != "extra_forbidden"):
        return say("記入されていません（必須の項目です）", "not filled in (required)")
    if kind == "literal_error":
        expected = err["ctx"]["expected"]
        return say(f"一覧から選んでください（{expected}）", f"choose from the list: {expected}")
    return human_message(Profile, err)


UNANSWERED_YES_NO = (
    "記入されていません（はい・いいえを選んでください）",
    "not filled in (choose はい (yes) or いいえ (no))",
)


def unanswered_yes_no(data: dict[str, Any], answers: Answers) -> list[Loc]:
    """Yes/no questions the questionnaire asked the people filing (the applicant, and family members filing
    together) that neither the questionnaire nor the existing profile answers, where the model would read
    「いいえ」. A family member's 「一緒に申請する」 is asked of every member: it decides whether they file.
    Lines of a list the merge kept from the profile (no cell in the questionnaire) are the profile's own."""
    people: list[tuple[str, Loc]] = [("applicant", ("applicant",))]
    family = data.get("family")
    people += [("family", ("family", i)) for i in range(len(family) if isinstance(family, list) else 0)]
    found: list[Loc] = []

    def check(question_path: tuple[str, ...], where: Loc, part: Any) -> None:
        loc = (*where, *question_path)
        if get(part, question_path) is None and loc in answers.cells and loc not in answers.unreadable:
            found.append(loc)

    for role, root in people:
        person = get(data, root)
        if not isinstance(person, dict):
            continue
        for item in LAYOUTS[role].items:
            if isinstance(item, Section):
                for q in item.questions:
                    if q.empty_means_no and (not q.block or isinstance(get(person, q.block), dict)):
                        check(q.path, root, person)
                continue
            entries = get(person, item.path)
            for n, entry in enumerate(entries if isinstance(entries, list) else []):
                for q in item.columns:
                    if q.empty_means_no and isinstance(entry, dict):
                        check(q.path, (*root, *item.path, n), entry)
    return found


def check_same_case(answers: Answers, base: LoadedYaml) -> None:
    """Refuse a questionnaire whose case id (事務所用 sheet) is not the case id of the profile it would go into:
    the answers of one client must never be written into another client's case."""
    ours = str(answers.data.get("case_id") or "").strip()
    theirs = str(base.data.get("case_id") or "").strip() if isinstance(base.data, dict) else ""
    if not ours or not theirs or ours == theirs:
        return
    message = say(
        f"この質問票の案件番号は {ours} ですが、取り込み先のプロフィール {base.path} の案件番号は {theirs} です。"
        "別の案件の質問票か、別の案件のプロフィールです。何も書き込んでいません（取り込み先として"
        "その案件のプロフィールを指定してください）",
        f"this questionnaire is for case {ours}, but the profile {base.path} is case {theirs}: another case's"
        " questionnaire or profile. Nothing was written (name that case's profile as where it goes)",
    )
    cell = answers.cell_of(("case_id",))
    problem = (
        cell.problem(answers.path, ("case_id",), message)
        if cell is not None and cell.row
        else Problem(answers.path, None, "case_id", message)
    )
    raise InputFileError([problem], steps=(NextStep(Step.NAME_PROFILE),))


NO_COLLECTION = (
    "住民税の納め方が空欄です。一覧から選ぶか、非課税の年は「住民税が非課税だった」を「はい」にしてください",
    "how the resident tax was paid is empty: choose it, or answer yes to 'non-taxable' for a non-taxable year",
)


def missing_collection(data: dict[str, Any], answers: Answers) -> list[Loc]:
    """Income lines (the applicant's, a co-applicant's, the supporter's) with neither a way of paying the
    住民税 nor 非課税: located at the 納め方 cell, where the answer is missing (a cell that could not be read is
    already reported)."""
    tables: list[Loc] = [("applicant", "income"), ("supporter", "income")]
    family = data.get("family")
    tables += [("family", i, "application", "income") for i in range(len(family) if isinstance(family, list) else 0)]
    found: list[Loc] = []
    for table in tables:
        entries = get(data, table)
        for n, entry in enumerate(entries if isinstance(entries, list) else []):
            loc = (*table, n, "resident_tax")
            unanswered = isinstance(entry, dict) and not entry.get("resident_tax") and not entry.get("non_taxable")
            if unanswered and loc not in answers.unreadable:
                found.append(loc)
    return found


@dataclass
class Imported:
    """A questionnaire's profile, with what staff should check (`notes`: categories derived, answers in
    Chinese or with characters Japanese documents do not use) and the fields left for
    the office (`left`: the profile holds office_fields.STAND_IN there; they are written empty), each with the
    profile location it is about and its problem located at the cell."""

    profile: Profile
    notes: list[tuple[Loc, Problem]] = field(default_factory=list)
    left: list[tuple[Loc, Problem]] = field(default_factory=list)


def answers_to_profile(
    answers: Answers, base: LoadedYaml | None = None, more_checks: Checks | None = None, book: RuleBook | None = None
) -> Profile:
    """The complete profile the questionnaire describes (see `import_answers`); a category the office has
    still to choose is a problem here."""
    imported = import_answers(answers, base, more_checks, book)
    if imported.left:
        raise InputFileError([p for _, p in imported.left])
    return imported.profile


def import_answers(
    answers: Answers, base: LoadedYaml | None = None, more_checks: Checks | None = None, book: RuleBook | None = None
) -> Imported:
    """The profile the questionnaire describes. With `base` (the existing profile), answers replace its values
    and empty cells keep them; a table with entries replaces the whole list, and so do the family sheets.
    A yes/no question answered neither in the questionnaire nor in `base` is a problem, not 「いいえ」; a
    questionnaire of another case is refused. Categories are read by id, Japanese name or status, and derived
    from the status when the office left them empty (office_fields). Every problem is raised together: cells
    that could not be read, unanswered yes/no questions, names that are no category, fields the model rejects,
    facts that contradict each other."""
    if base is not None:
        check_same_case(answers, base)
    if book is None:
        from docgen.case import Settings, load_rules

        book = load_rules(Settings()).book
    base_data = prefill_data(base) if base is not None else None
    data = copy.deepcopy(merge(base_data, answers.data) if base_data is not None else answers.data)
    office = resolve_categories(data, book)

    def locate(loc: Loc, message: str) -> Problem:
        """At the profile's line for a value the merge took from it; else at the questionnaire's cell (a value
        of the profile that a list from the questionnaire replaced is not in the result: the cell is where)."""
        loc = tuple(loc)
        if base is not None and get(data, loc) is not None and get(answers.data, loc) is None:
            return Problem(base.path, base.line_of(loc), field_path(loc), message)
        cell = answers.cell_of(loc)
        if cell is not None and cell.row:
            return cell.problem(answers.path, loc, message)
        if cell is not None:
            return CellProblem(answers.path, None, field_path(loc), message, cell.sheet, order=cell.order)
        return Problem(answers.path, None, field_path(loc), message)

    problems: list[Problem] = list(answers.problems)
    problems += [locate(loc, say(*UNANSWERED_YES_NO)) for loc in unanswered_yes_no(data, answers)]
    problems += [locate(loc, msg) for loc, msg in office.problems]
    no_collection = missing_collection(data, answers)
    problems += [locate(loc, say(*NO_COLLECTION)) for loc in no_collection]
    skip = {loc[:-1] for loc in no_collection} | set(answers.unreadable) | {loc for loc, _ in office.problems}
    left_locs = {loc for loc, _ in office.left} | {loc for loc, _ in office.problems}  # reported once, above
    profile: Profile | None = None
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        bad = [tuple(err["loc"]) for err in exc.errors()]
        problems += [locate(loc, _message(err)) for loc, err in zip(bad, exc.errors(), strict=True) if loc not in skip]
        # the checks of the whole profile on the rest of the workbook, so that they come in this round too
        lenient = lenient_profile(data, bad)
        if lenient is not None:
            found = consistency_problems(lenient.profile) + (more_checks(lenient.profile) if more_checks else [])
            ignore = lenient.stood_in | left_locs
            problems += [locate(lenient.original(loc), msg) for loc, msg in found if tuple(loc) not in ignore]
    if profile is not None:
        found = consistency_problems(profile) + (more_checks(profile) if more_checks else [])
        problems += [locate(loc, msg) for loc, msg in found if tuple(loc) not in left_locs]
    if problems or profile is None:
        raise InputFileError(_in_order(problems))

    def at_cell(loc: Loc, message: str) -> Problem:
        """A derived or office field at its questionnaire cell (its value is not the profile's)."""
        cell = answers.cell_of(loc)
        return cell.problem(answers.path, loc, message) if cell is not None and cell.row else locate(loc, message)

    notes = [(tuple(loc), at_cell(loc, msg)) for loc, msg in office.notes]
    notes += [(f.loc, locate(f.loc, finding_message(f))) for f in character_findings(profile)]
    return Imported(profile, notes=notes, left=[(tuple(loc), at_cell(loc, msg)) for loc, msg in office.left])


def _in_order(problems: list[Problem]) -> list[Problem]:
    """Cell problems by sheet, row and column (as staff go through the workbook), then the others."""

    def key(p: Problem) -> tuple[int, int, int, int, str]:
        if isinstance(p, CellProblem):
            return (0, p.order, p.row, len(p.column), p.column)
        return (1, 0, p.line or 0, 0, "")

    return sorted(problems, key=key)
