"""One household, one benchmark (issue 9.5): members who do not file carry their income, count as dependants
only when they are, and every applicant of a case sees the same household figure — always as a benchmark."""

from __future__ import annotations

from docgen.assessment import assess_case
from tests.conftest import EXAMPLES, case_of


def _years(assessment) -> dict[int, dict]:
    return {y["year"]: y for y in assessment.check("income_benchmark").data["years"]}


def test_a_japanese_husband_who_does_not_file_earns_for_the_household():
    result = assess_case(case_of(EXAMPLES / "spouse-of-japanese.yaml")).main
    years = _years(result)
    assert years[2025]["income"] == 2_800_000 + 6_000_000
    assert years[2025]["earners"] == {"SANTOS MARIA CLARA": 2_800_000, "小林 健": 6_000_000}
    assert years[2025]["dependants"] == 0 and years[2025]["status"] == "ok"
    check = result.check("income_benchmark")
    assert not check.official and any("公式の基準ではありません" in r.ja for r in check.reasons)


def test_the_husband_without_a_recorded_income_counts_as_a_dependant(example_copy):
    path = example_copy("spouse-of-japanese.yaml")
    text = path.read_text(encoding="utf-8")
    start = text.index("    income:                       # does not file")
    end = text.index("\nguarantor:")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    years = _years(assess_case(case_of(path)).main)
    assert years[2025]["dependants"] == 1 and years[2025]["dependant_names"] == ["小林 健"]
    assert years[2025]["benchmark"] == 3_000_000 + 750_000


def test_every_applicant_of_a_family_sees_the_same_household_figure():
    family = assess_case(case_of(EXAMPLES / "gijinkoku-family.yaml"))
    main = _years(family.main)
    for co in family.co_applicants:
        for year, y in _years(co).items():
            assert (y["income"], y["benchmark"], y["dependants"]) == (
                main[year]["income"],
                main[year]["benchmark"],
                main[year]["dependants"],
            ), (co.applicant, year)
    # the wife's part-time pay is shown, not added: she and the son are dependants
    assert main[2025]["dependants"] == 2
    assert main[2025]["family_income_not_added"] == {"TRAN THI BINH": 980_000}
