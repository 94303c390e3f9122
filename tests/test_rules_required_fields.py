"""Legal numbers live only in the rule files: each route kind requires its years, thresholds and status in
eligibility.yaml, an office's file without one is refused when the rules are loaded (the file, the route and
the field named, in Japanese and English), and no route falls back on a number of its own."""

from __future__ import annotations

import ast
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from docgen.assessment import assess_applicant
from docgen.assessment.situation import situation
from docgen.errors import InputFileError
from docgen.resources import DATA
from docgen.rules.data import AssessmentRules, load_assessment_rules
from docgen.rules.eligibility import (
    GeneralRoute,
    HspRoute,
    InformationalRoute,
    SpouseRoute,
    TeijushaRoute,
    load_eligibility,
    required_fields,
)
from tests.conftest import RULES, assess
from tests.test_eligibility import make_profile

ROUTES_DIR = Path(__file__).parent.parent / "docgen" / "assessment" / "routes"
ASSESSMENT_DIR = ROUTES_DIR.parent

# What each kind of route reads from the rules (permanent-residence.md §4.2, §4.3): written out here, not derived.
REQUIRED = {
    "general": ["years_in_japan", "years_qualifying"],  # 10 years, 5 of them on a work or residence status
    "hsp_holder": ["threshold", "years"],  # 70 points for 3 years / 80 points for 1 year
    "hsp_points": ["threshold", "years"],
    "spouse": ["marriage_years", "years_in_japan"],  # 3 years of marriage + 1 year in Japan
    "child": ["years_in_japan"],  # 1 year in Japan
    "teijusha": ["status", "years"],  # 5 years as 定住者
    "informational": ["note"],  # what staff check by hand
}
BUILT_IN = YAML(typ="safe").load(DATA / "eligibility.yaml")


def office_file(tmp_path: Path, change: Any) -> Path:
    """An office's copy of the built-in eligibility rules, changed by `change(data)`."""
    data = YAML().load(DATA / "eligibility.yaml")  # round trip: the office keeps the comments and layout
    change(data)
    path = tmp_path / "eligibility.yaml"
    YAML().dump(data, path)
    return path


def route(data: dict[str, Any], route_id: str) -> dict[str, Any]:
    return next(r for r in data["routes"] if r["id"] == route_id)


def first_of_each_kind() -> list[tuple[str, str, str]]:
    """(kind, route id, field) for the first route of each kind and each field that kind requires."""
    seen: dict[str, str] = {}
    for r in BUILT_IN["routes"]:
        seen.setdefault(r["kind"], r["id"])
    return [(kind, seen[kind], field) for kind, fields in REQUIRED.items() for field in fields]


def test_the_built_in_rules_load_with_every_number_each_route_needs() -> None:
    rules = load_assessment_rules().eligibility
    by_id = {r.id: r for r in rules.routes}
    assert {r["kind"] for r in BUILT_IN["routes"]} == set(REQUIRED)
    general = by_id["general"]
    assert isinstance(general, GeneralRoute) and (general.years_in_japan, general.years_qualifying) == (10, 5)
    assert [(r.threshold, r.years) for r in rules.routes if isinstance(r, HspRoute)] == [(70, 3), (80, 1)] * 2
    spouse = by_id["spouse"]
    assert isinstance(spouse, SpouseRoute) and (spouse.marriage_years, spouse.years_in_japan) == (3, 1)
    teijusha = by_id["teijusha"]
    assert isinstance(teijusha, TeijushaRoute) and (teijusha.status, teijusha.years) == ("定住者", 5)
    assert all(r.note.ja for r in rules.routes if isinstance(r, InformationalRoute))


def test_each_kind_declares_the_fields_its_route_reads() -> None:
    assert {kind: required_fields(kind) for kind in REQUIRED} == REQUIRED


@pytest.mark.parametrize(("kind", "route_id", "field"), first_of_each_kind())
def test_a_route_missing_a_field_its_kind_requires_is_refused_at_load(
    tmp_path: Path, kind: str, route_id: str, field: str
) -> None:
    path = office_file(tmp_path, lambda data: route(data, route_id).pop(field))
    with pytest.raises(InputFileError) as caught:
        load_eligibility(path)
    [problem] = caught.value.problems  # only the one problem: not the schema's words for it as well
    assert problem.file == path and problem.field.endswith(f"].{field}") and problem.line
    ja, en = caught.value.text.ja, caught.value.text.en
    assert str(path) in ja and route_id in ja and field in ja and "書かれていません" in ja
    assert f"route {route_id} ({kind}) needs {field}" in en and "missing" in en
    assert "None" not in ja + en


@pytest.mark.parametrize(
    ("route_id", "field", "value"),
    [
        ("hsp_80", "threshold", 0),
        ("spouse", "years_in_japan", -1),
        ("general", "years_qualifying", "5"),
        ("child", "years_in_japan", True),
    ],
)
def test_a_year_or_threshold_that_is_not_a_positive_whole_number_is_refused(
    tmp_path: Path, route_id: str, field: str, value: object
) -> None:
    path = office_file(tmp_path, lambda data: route(data, route_id).update({field: value}))
    with pytest.raises(InputFileError) as caught:
        load_eligibility(path)
    [problem] = caught.value.problems
    assert problem.file == path and problem.field.endswith(f"].{field}")
    assert f"ルート {route_id} の {field}" in caught.value.text.ja and "1以上の整数" in caught.value.text.ja
    assert f"route {route_id}: {field}" in caught.value.text.en and "whole number of 1 or more" in str(caught.value)


@pytest.mark.parametrize("kind", ["long_term", ["teijusha"]])
def test_an_unknown_kind_is_named_with_the_kinds_there_are(tmp_path: Path, kind: object) -> None:
    path = office_file(tmp_path, lambda data: route(data, "teijusha").update({"kind": kind}))
    with pytest.raises(InputFileError) as caught:
        load_eligibility(path)
    [problem] = caught.value.problems
    assert problem.field.endswith("].kind") and "route teijusha" in str(caught.value)
    assert all(kind in str(caught.value) for kind in REQUIRED)


def test_a_missing_number_is_reported_together_with_the_files_other_problems(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        route(data, "hsp_70").pop("threshold")
        route(data, "spouse").pop("marriage_years")
        data["certificates"]["valid_months"] = "three"

    path = office_file(tmp_path, change)
    with pytest.raises(InputFileError) as caught:
        load_eligibility(path)
    fields = [p.field for p in caught.value.problems]
    assert [f.split(".")[-1] for f in fields] == ["threshold", "marriage_years", "valid_months"]
    assert "hsp_70" in str(caught.value) and "spouse" in str(caught.value)


# ---------------------------------------------------------------- no number of its own in the assessment

ROUTE_FIELDS = {field for fields in REQUIRED.values() for field in fields}


def fallbacks(source: str, *, numbers_only: bool = False) -> list[str]:
    """`x.<route field> or <constant>`: a number (or, in the routes, a name) standing in for a value the rules
    must give."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            for left, right in pairwise(node.values):
                if not (
                    isinstance(left, ast.Attribute) and left.attr in ROUTE_FIELDS and isinstance(right, ast.Constant)
                ):
                    continue
                number = isinstance(right.value, int | float) and not isinstance(right.value, bool)
                if number or (not numbers_only and right.value is not None):
                    found.append(ast.unparse(node))
    return sorted(found)


def test_the_check_finds_the_fallbacks_the_routes_used_to_have() -> None:
    old = (
        "a = r.years_in_japan or 1\nb = r.threshold or 70, r.years or 3\nc = r.status or '定住者'\nd = x.y or 2\n"
        "e = r.years_in_japan or r.years or 1\n"
    )
    assert fallbacks(old) == [
        "r.status or '定住者'",
        "r.threshold or 70",
        "r.years or 3",
        "r.years_in_japan or 1",
        "r.years_in_japan or r.years or 1",
    ]
    assert fallbacks(old, numbers_only=True) == fallbacks(old)[1:]


@pytest.mark.parametrize(
    "module", sorted(ASSESSMENT_DIR.rglob("*.py")), ids=lambda p: str(p.relative_to(ASSESSMENT_DIR))
)
def test_no_route_falls_back_on_a_number_of_its_own(module: Path) -> None:
    """Anywhere in the assessment, no number stands in for a route's field; in the routes, no value at all."""
    assert fallbacks(module.read_text(encoding="utf-8"), numbers_only=module.parent != ROUTES_DIR) == []


# ---------------------------------------------------------------- the office's numbers are the ones used


def test_an_office_that_changes_a_number_sees_it_in_every_date_and_message(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        route(data, "general")["years_in_japan"] = 13
        data["certificates"]["valid_months"] = 6

    office = AssessmentRules(
        load_eligibility(office_file(tmp_path, change)), RULES.assessment.continuity, RULES.assessment.points
    )
    profile = make_profile()  # in Japan since 2014-04-01, on a work status throughout
    on = date(2026, 11, 30)
    a = assess_applicant(situation(profile, RULES.book, office, RULES.release_day, on=on, today=on))
    general = a.route("general")
    assert general.status == "not_met" and general.earliest_date == date(2027, 4, 1)
    assert any(r.ja == "継続在留13年の到達日: 2027-04-01" for r in general.reasons)
    assert assess(profile, on, today=on).route("general").status == "met"  # the built-in 10 years
    certificates = a.check("certificates")
    assert certificates.title == {"ja": "証明書の有効期間(発行後6か月)", "en": "Certificate validity (6 months)"}
