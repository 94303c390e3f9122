"""The decision (issue 17): one per applicant and one per filing, in the contract's shape — ready, ready with
risks, blocked (with the earliest date, or none and why) or undecided — printed first by `docgen assess`, in one
line a client could be told. The profiles are fictional cases an office meets every week."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from docgen.assessment import assess_case
from docgen.assessment.report import case_report_text
from docgen.case import Case
from docgen.profile.model import Profile
from tests.conftest import assess, case_of
from tests.test_eligibility import make_profile

TODAY = date(2026, 11, 22)
FINE = {
    "date": "2023-05-01",
    "kind": "罰金",
    "description": "速度超過 (40km/h) 略式命令 罰金8万円",
    "paid_on": "2023-07-10",
}


def profile_file(tmp_path: Path, profile: Profile, name: str = "case.yaml") -> Path:
    """The profile as staff would keep it (JSON is YAML), for the real command."""
    path = tmp_path / name
    path.write_text(json.dumps(profile.model_dump(mode="json", by_alias=True), ensure_ascii=False), encoding="utf-8")
    return path


def case_of_profile(profile: Profile, folder: Path) -> Case:
    """The case `docgen` builds from the profile's file."""
    return case_of(profile_file(folder, profile))


def docgen(*args: str, cwd: Path, lang: str = "en") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_SETTINGS"} | {"DOCGEN_LANG": lang}
    return subprocess.run(
        [sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


def wife(**application) -> dict:
    """A 家族滞在 wife filing together with her husband (married 2014, in Japan since 2015)."""
    return {
        "relationship": "妻",
        "family_name": "TRAN",
        "given_name": "THI BINH",
        "nationality": "ベトナム",
        "birth_date": "1991-02-14",
        "sex": "女",
        "living_together": True,
        "marriage_date": "2014-11-08",
        "filing_together": True,
        "application": {
            "category": "kazoku_taizai",
            "birth_place": "ハイフォン",
            "home_town": "ハイフォン",
            "occupation": "パート",
            "passport": {"number": "C7654321", "expiry": "2032-01-10"},
            "residence_card_number": "IJ34567890KL",
            "status": "家族滞在",
            "period_of_stay": "5年",
            "stay_expiry": "2029-03-31",
            "residence_history": [{"status": "家族滞在", "start": "2015-09-01"}],
            **application,
        },
    }


# ---------------------------------------------------------------- the four statuses


def test_a_clean_engineer_is_ready_on_the_application_date():
    d = assess(make_profile(), today=TODAY).decided
    assert (d.status, d.earliest_date, d.blockers, d.risks, d.review) == ("ready", date(2026, 11, 30), [], [], [])
    assert d.line() == "Ready to file" and d.next_action() is None


def test_a_rule_of_thumb_makes_a_case_ready_with_risks_never_blocked():
    # three blue tickets: a medium risk by count (§10.13), until five years after the last one
    tickets = [
        {"date": d, "kind": "反則金", "description": "速度超過"} for d in ("2023-02-10", "2024-03-01", "2025-07-07")
    ]
    d = assess(make_profile(traffic=tickets), today=TODAY).decided
    assert d.status == "ready_with_risks" and d.earliest_date == date(2026, 11, 30) and d.blockers == []
    assert [(r.id, r.level.value, r.until) for r in d.risks] == [("traffic_violations", "medium", date(2030, 7, 7))]
    assert d.line() == "Can file, with points to weigh: traffic violations (fixed penalties)"


def test_a_fine_blocks_until_five_years_after_it_was_paid():
    d = assess(make_profile(traffic=[FINE], application_date="2026-12-15"), today=TODAY).decided
    assert d.status == "blocked" and d.earliest_date == date(2028, 7, 10)  # paid 2023-07-10, not the offence date
    assert [(b.id, b.until) for b in d.blockers] == [("criminal_penalty", date(2028, 7, 10))]
    assert d.line() == "Cannot file before 2028-07-10: before the fine's sentence lapses"
    # what the board tells the office to do next: wait for that day, never "file"
    assert d.next_action() == (
        "罰金刑の刑の消滅前: 2028-07-10 を待つ",
        "before the fine's sentence lapses: wait until 2028-07-10",
    )


def test_a_missing_fact_leaves_the_decision_undecided_and_names_it():
    unpaid = {k: v for k, v in FINE.items() if k != "paid_on"}
    d = assess(make_profile(traffic=[unpaid], application_date="2026-12-15"), today=TODAY).decided
    assert d.status == "undecided" and d.earliest_date is None and d.blockers == []
    missing = [r for r in d.review if r.kind == "missing_fact"]
    assert [r.id for r in missing] == ["fine_payment_date"] and "traffic[].paid_on" in missing[0].ja
    assert d.earliest_reason == ("罰金の納付日が分かるまで判断できません", "the fine's payment date needed first")
    assert d.line() == "Cannot decide yet: the fine's payment date needed"


def test_a_blocker_with_no_date_says_what_must_happen_first():
    # 11 years on 技人国, but the current period of stay is 1年: not the longest (§4.2 ウ)
    p = make_profile(
        period_of_stay="1年",
        residence_history=[{"status": "技術・人文知識・国際業務", "start": "2015-10-01"}],
        application_date="2026-12-15",
    )
    d = assess(p, today=TODAY).decided
    assert d.status == "blocked" and d.earliest_date is None
    assert [b.id for b in d.blockers] == ["longest_period_of_stay"]
    assert d.earliest_reason == ("更新で3年又は5年の在留期間を得た後", "after a renewal grants 3年 or 5年")
    assert d.line() == (
        "Cannot file yet (no date: after a renewal grants 3年 or 5年): not holding the longest period of stay"
    )
    assert d.next_action() == (
        "更新で3年又は5年の在留期間を得た後（時期未定）",
        "after a renewal grants 3年 or 5年 (no date yet)",
    )


# ---------------------------------------------------------------- the filing as a whole


def test_a_family_member_filing_together_waits_for_the_blocked_main_applicant(tmp_path):
    p = make_profile(traffic=[FINE], application_date="2026-12-15", family=[wife()])
    case = assess_case(case_of_profile(p, tmp_path))
    main, her = case.main.decided, case.co_applicants[0].decided
    assert main.status == "blocked" and main.earliest_date == date(2028, 7, 10)
    # she meets the spouse route on her own, but stands or falls with him
    assert her.status == "blocked" and her.earliest_date == date(2028, 7, 10)
    assert [(b.id, b.until) for b in her.blockers] == [("main_applicant", date(2028, 7, 10))]
    whole = case.decision
    assert whole.status == "blocked" and whole.earliest_date == date(2028, 7, 10)
    assert {(b.id, b.applicant) for b in whole.blockers} == {
        ("criminal_penalty", "NGUYEN VAN AN"),
        ("main_applicant", "TRAN THI BINH"),
    }


def test_the_case_takes_the_latest_date_of_its_applicants(tmp_path):
    # he can file now; she has been married less than three years (the spouse route from 2028-03-01)
    young = wife(residence_history=[{"status": "家族滞在", "start": "2025-04-01"}])
    young["marriage_date"] = "2025-03-01"
    case = assess_case(case_of_profile(make_profile(application_date="2026-12-15", family=[young]), tmp_path))
    assert case.main.decided.status == "ready"
    her = case.co_applicants[0].decided
    assert her.status == "blocked" and her.earliest_date == date(2028, 3, 1)
    assert [b.id for b in her.blockers] == ["route_not_met"]
    assert case.decision.status == "blocked" and case.decision.earliest_date == date(2028, 3, 1)


# ---------------------------------------------------------------- JSON and text, as staff run them


def test_assess_json_carries_the_contracts_decision_shape(tmp_path):
    p = make_profile(traffic=[FINE], application_date="2026-12-15", family=[wife()])
    out = docgen("assess", str(profile_file(tmp_path, p)), "--format", "json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    d = data["decision"]
    assert d["status"] == "blocked" and d["earliest_date"] == "2028-07-10"
    blocker = d["blockers"][0]
    assert blocker["id"] == "criminal_penalty" and blocker["until"] == "2028-07-10"
    assert blocker["ja"] == "罰金刑(2023-05-01の違反、2023-07-10納付): 刑の消滅は2028-07-10(納付から5年)"
    assert blocker["en"] and any("刑法34条の2" in s["title"] for s in blocker["sources"])
    assert [r["id"] for r in d["review"]] == ["criminal_record_form"]  # item 13 must say 有
    her = data["co_applicants"][0]["decision"]
    assert her["status"] == "blocked" and her["blockers"][0]["id"] == "main_applicant"
    case = data["case_decision"]
    assert case["status"] == "blocked" and case["earliest_date"] == "2028-07-10"
    assert case["line"]["ja"] == "申請できません（2028-07-10 以降）: 罰金刑の刑の消滅前・主たる申請人が申請できる日の前"


def test_assess_prints_the_decision_first_in_japanese_by_default(tmp_path):
    path = profile_file(tmp_path, make_profile(traffic=[FINE], application_date="2026-12-15"))
    out = docgen("assess", str(path), cwd=tmp_path, lang="ja")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "申請できません（2028-07-10 以降）: 罰金刑の刑の消滅前"
    assert lines[1].startswith("  [NG] 罰金刑(2023-05-01の違反、2023-07-10納付): 刑の消滅は2028-07-10")
    assert "永住許可 要件チェック / Eligibility — test (gijinkoku)" in lines  # then the rest of the report


def test_the_family_report_starts_with_the_filings_decision_then_each_applicants(tmp_path):
    p = make_profile(traffic=[FINE], application_date="2026-12-15", family=[wife()])
    text = case_report_text(assess_case(case_of_profile(p, tmp_path)))
    lines = text.splitlines()
    assert lines[0] == (
        "Cannot file before 2028-07-10: before the fine's sentence lapses, before the main applicant can file"
    )
    assert sum(line.startswith("Decision: ") for line in lines) == 2  # under each applicant's header


@pytest.mark.parametrize("example", sorted(p.name for p in (Path(__file__).parent.parent / "examples").glob("*.yaml")))
def test_every_example_has_a_decision_for_everyone_and_the_case(example):
    from tests.conftest import EXAMPLES

    case = assess_case(case_of(EXAMPLES / example))
    for a in case.everyone:
        d = a.decided
        assert d.status in ("ready", "ready_with_risks")  # the examples are cases an office would file
        assert d.earliest_date == a.on and not d.blockers
    data = case.to_json()
    assert data["case_decision"]["status"] == case.decision.status.value
    assert all("decision" in co for co in data["co_applicants"])
