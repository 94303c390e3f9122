"""Profiles staff write: every mistake is named with the file, the line and the field, in plain words."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from ruamel.yaml import YAML

from docgen.errors import InputFileError
from docgen.profile.load import load_profile
from docgen.profile.model import Profile
from docgen.profile.skeleton import skeleton
from tests.conftest import EXAMPLES, case_of


def broken(example_copy, old: str, new: str, name: str = "gijinkoku-single.yaml"):
    path = example_copy(name)
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        case_of(path)  # the profile on its own, then against the rules, as every command reads it
    line = next(
        n
        for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if new.strip() and new.strip().splitlines()[0] in text
    )
    return info.value.problems, line, path


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_example_profile_is_valid(name):
    profile = load_profile(EXAMPLES / name)
    assert profile.case_id and profile.guarantor.status in ("日本人", "永住者", "特別永住者")


def test_an_unknown_key_is_named_with_its_line_and_a_suggestion(example_copy):
    problems, line, path = broken(example_copy, "  birth_place: 中国上海市\n", "  birthplace: 中国上海市\n")
    texts = [str(p) for p in problems]
    assert any(
        f"{path}, line {line} [applicant.birthplace]: unknown field 'birthplace'; did you mean 'birth_place'?" == t
        for t in texts
    )


def test_a_return_before_the_departure_is_an_error(example_copy):
    problems, line, _ = broken(
        example_copy, "{departure: 2025-08-10, return: 2025-08-20,", "{departure: 2025-08-10, return: 2025-08-01,"
    )
    [p] = problems
    assert p.line == line and p.field == "applicant.trips[1].return" and "before the departure date" in p.message


def test_an_expired_passport_is_an_error(example_copy):
    problems, line, _ = broken(example_copy, "expiry: 2031-03-31}", "expiry: 2026-03-31}")
    [p] = problems
    assert p.line == line and p.field == "applicant.passport.expiry" and "expired" in p.message


def test_an_impossible_date_is_an_error(example_copy):
    problems, line, _ = broken(example_copy, "birth_date: 1990-04-12", "birth_date: 1990-02-30")
    [p] = problems
    assert p.line == line and p.field == "applicant.birth_date" and "YYYY-MM-DD" in p.message
    assert "1990-02-30" not in str(p)  # values are not echoed back


def test_a_status_that_does_not_fit_the_category_is_an_error(example_copy):
    problems, _, _path = broken(example_copy, "category: gijinkoku", "category: keiei_kanri")
    messages = [p.message for p in problems]
    assert any("is for 経営・管理" in m for m in messages)


def test_an_unknown_category_lists_the_known_ones(example_copy):
    problems, line, _ = broken(example_copy, "category: gijinkoku", "category: gijinkoku2")
    [p] = problems
    assert p.line == line and "gijinkoku" in p.message and "teijusha" in p.message


def test_a_category_written_as_staff_type_it_in_commands_is_the_category(tmp_path):
    """技術・人文知識・国際業務 in the profile is taken as `docgen checklist` takes it; the case works with the id."""
    family = (EXAMPLES / "gijinkoku-family.yaml").read_text(encoding="utf-8")
    assert "category: gijinkoku\n" in family and family.count("category: kazoku_taizai\n") == 2
    typed = family.replace("category: gijinkoku\n", "category: 技術・人文知識・国際業務\n").replace(
        "category: kazoku_taizai\n", "category: 家族滞在\n"
    )
    path = tmp_path / "family.yaml"
    path.write_text(typed, encoding="utf-8")
    case = case_of(path)
    assert case.profile.category == "gijinkoku"
    assert [m.application.category for m in case.profile.co_applicants if m.application] == ["kazoku_taizai"] * 2


def test_a_bad_residence_card_number_explains_the_format(example_copy):
    problems, line, _ = broken(example_copy, "residence_card_number: AB12345678CD", "residence_card_number: ZZ98")
    [p] = problems
    assert p.line == line and "2 letters, 8 digits and 2 letters" in p.message and "ZZ98" not in str(p)


def test_a_family_member_filing_together_needs_an_application_block(example_copy):
    path = example_copy("spouse-of-japanese.yaml")
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "    living_together: true\n", "    living_together: true\n    filing_together: true\n"
        ),
        encoding="utf-8",
    )
    with pytest.raises(InputFileError) as info:
        load_profile(path)
    assert any(p.field == "family[0].application" for p in info.value.problems)


def test_overlapping_residence_periods_are_an_error(example_copy):
    problems, line, _ = broken(
        example_copy,
        "{status: 技術・人文知識・国際業務, start: 2018-04-01,",
        "{status: 技術・人文知識・国際業務, start: 2017-04-01,",
    )
    assert any(p.line == line and "before the status '留学'" in p.message for p in problems)


def test_a_duplicate_key_in_a_profile(example_copy):
    problems, _line, _ = broken(example_copy, "  sex: 男\n", "  sex: 男\n  sex: 女\n")
    [p] = problems
    assert p.field == "sex" and "appears twice" in p.message


def test_many_problems_are_reported_at_once(example_copy):
    path = example_copy("gijinkoku-single.yaml")
    text = path.read_text(encoding="utf-8").replace("sex: 男", "sex: M").replace("  occupation: 会社員\n", "")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        load_profile(path)
    fields = {p.field for p in info.value.problems}
    assert {"applicant.sex", "applicant.occupation"} <= fields
    assert any("must be one of: '男' or '女'" in p.message for p in info.value.problems)


def test_the_skeleton_lists_every_section_and_is_valid_yaml():
    text = skeleton("hsp_points_80")
    data = YAML(typ="safe").load(text)
    assert data["category"] == "hsp_points_80"
    assert "hsp" in data["applicant"] and "business" not in data["applicant"]
    assert "# 旅券番号" in text or "旅券番号" in text
    assert "required" in text and "optional" in text
    # keeping a default never states something false: payments are on time unless staff say otherwise
    assert "paid_on_time: true" in text and "paid_on_time: false" not in text


def test_the_json_schema_is_exported_for_editors():
    out = subprocess.run(
        [sys.executable, "-m", "docgen", "profile", "schema"], capture_output=True, text=True, check=True
    ).stdout
    schema = json.loads(out)
    assert schema["title"] == "Profile" and "applicant" in schema["properties"]
    assert schema == json.loads(json.dumps(Profile.model_json_schema(by_alias=True)))


def test_a_co_applicant_whose_status_does_not_fit_their_category_is_an_error(example_copy):
    problems, _line, _ = broken(
        example_copy,
        "      status: 家族滞在\n      period_of_stay: 3年\n      stay_expiry: 2027-08-31\n      reason: 夫と",
        "      status: 留学\n      period_of_stay: 3年\n      stay_expiry: 2027-08-31\n      reason: 夫と",
        name="gijinkoku-family.yaml",
    )
    assert any(p.field == "family[0].application.status" and "is for 家族滞在" in p.message for p in problems)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_the_fast_reader_gives_the_same_profile_as_the_located_one(name):
    """Valid files are read by the C parser (the case board reads hundreds); the result must not differ."""
    from docgen.profile.load import parse_profile
    from docgen.yamlfile import load_plain_fast, load_yaml

    assert isinstance(load_plain_fast(EXAMPLES / name), dict)
    assert load_profile(EXAMPLES / name) == parse_profile(load_yaml(EXAMPLES / name))
