"""The profile a read questionnaire describes, merged over an existing profile, with every problem located at
its cell (or at the profile's line for a value the questionnaire left empty)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from docgen.errors import InputFileError, Problem
from docgen.intake.profile_data import has_path, merge, prefill_data
from docgen.intake.read import Answers, CellProblem
from docgen.messages import say
from docgen.profile.checks import Loc, consistency_problems
from docgen.profile.load import Checks
from docgen.profile.model import Profile
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


def answers_to_profile(answers: Answers, base: LoadedYaml | None = None, more_checks: Checks | None = None) -> Profile:
    """The profile the questionnaire describes. With `base` (the existing profile), answers replace its values
    and empty cells keep them (a table with entries replaces the whole list). Every problem is raised
    together: cells that could not be read, fields the model rejects, facts that contradict each other."""
    base_data = prefill_data(base) if base is not None else None
    data = merge(base_data, answers.data) if base_data is not None else answers.data

    def locate(loc: Loc, message: str) -> Problem:
        loc = tuple(loc)
        if base is not None and has_path(base_data, loc) and not has_path(answers.data, loc):
            return Problem(base.path, base.line_of(loc), field_path(loc), message)
        cell = answers.cell_of(loc)
        if cell is not None and cell.row:
            return cell.problem(answers.path, loc, message)
        if cell is not None:
            return CellProblem(answers.path, None, field_path(loc), message, cell.sheet, order=cell.order)
        return Problem(answers.path, None, field_path(loc), message)

    problems: list[Problem] = list(answers.problems)
    profile: Profile | None = None
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            if loc not in answers.unreadable:
                problems.append(locate(loc, _message(err)))
    if profile is not None:
        found = consistency_problems(profile) + (more_checks(profile) if more_checks else [])
        problems += [locate(loc, msg) for loc, msg in found]
    if problems or profile is None:
        raise InputFileError(_in_order(problems))
    return profile


def _in_order(problems: list[Problem]) -> list[Problem]:
    """Cell problems by sheet, row and column (as staff go through the workbook), then the others."""

    def key(p: Problem) -> tuple[int, int, int, int, str]:
        if isinstance(p, CellProblem):
            return (0, p.order, p.row, len(p.column), p.column)
        return (1, 0, p.line or 0, 0, "")

    return sorted(problems, key=key)
