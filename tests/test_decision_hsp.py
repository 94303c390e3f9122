"""The 高度人材 routes in the decision (reference §11.4): route イ (points now and on the reference date) is open to
holders too; route ア needs the points held without a break as a 高度人材外国人 (a dip restarts the count); both give
a definite date without a points history. `docgen assess` and `docgen points` share one computation."""

from __future__ import annotations

import json
from datetime import date

from tests.conftest import EXAMPLES, assess
from tests.test_decision import docgen, profile_file
from tests.test_eligibility import make_profile

TODAY = date(2026, 11, 22)


def holder_of_six_months():
    """技人国 since 2017, 高度専門職1号ロ since 2026-06-01: 85 points now and a year ago, no notices recorded."""
    hsp = {
        "field": "ロ",
        "holder_since": "2026-06-01",
        "degrees": [{"level": "博士", "awarded": "2016-03-25"}],
        "experience": [{"start": "2017-04-01"}],
        "salary": [{"start": "2022-04-01", "amount": 7_500_000}],
        "japanese": "N2",
        "japanese_since": "2018-01-01",
    }
    return make_profile(
        category="hsp_80",
        status="高度専門職1号ロ",
        hsp=hsp,
        residence_history=[
            {"status": "技術・人文知識・国際業務", "start": "2017-04-01", "end": "2026-05-31"},
            {"status": "高度専門職1号ロ", "start": "2026-06-01"},
        ],
        application_date="2026-12-01",
    )


def test_a_holder_of_six_months_with_85_points_now_and_a_year_ago_meets_the_80_point_route_now():
    a = assess(holder_of_six_months(), today=TODAY)
    assert (a.points[80].now.total, a.points[80].reference.total) == (85, 85)
    hsp_80 = a.route("hsp_80")
    assert hsp_80.status == "met" and hsp_80.filed and hsp_80.earliest_date == date(2026, 12, 1)
    assert hsp_80.reasons[-1].ja == "イ(申請時及び基準時点のポイント)で満たします"
    assert a.route("hsp_points_80").status == "met"  # route イ is not only for non-holders
    assert a.decided.status == "ready" and a.decided.earliest_date == date(2026, 12, 1)


def test_assess_and_points_agree_on_the_holder_of_six_months(tmp_path):
    path = profile_file(tmp_path, holder_of_six_months())
    assessed = json.loads(docgen("assess", str(path), "--format", "json", cwd=tmp_path).stdout)
    points = docgen("points", str(path), "--format", "json", cwd=tmp_path)
    scored = json.loads(points.stdout)
    routes = {r["id"]: r["status"] for r in assessed["routes"]}
    assert scored["holder"] is True and assessed["hsp_holder"] == {"holder": True, "since": "2026-06-01"}
    for threshold, route_id in (("80", "hsp_80"), ("70", "hsp_70")):
        assert scored["routes"][threshold]["route"]["id"] == route_id
        assert scored["routes"][threshold]["route"]["status"] == routes[route_id]
    assert scored["routes"]["80"]["met_as_holder"] is True
    text = docgen("points", str(path), cwd=tmp_path).stdout
    assert "[OK] 80点ルート: 申請時点 85点 / 基準時点 2025-12-01 85点 — hsp_80 満たす" in text


def test_a_score_that_dips_below_80_restarts_the_year():
    # the 80-point notice of 2023-01-10 holds, but a salary cut (2025-04-01 to 2025-12-31) took the score to 75
    hsp = {
        "field": "ロ",
        "holder_since": "2023-01-10",
        "points_history": [{"date": "2023-01-10", "points": 80}],
        "degrees": [{"level": "修士", "awarded": "2011-03-25"}],
        "experience": [{"start": "2011-04-01"}],
        "salary": [
            {"start": "2023-01-10", "amount": 7_500_000},
            {"start": "2025-04-01", "amount": 6_500_000},
            {"start": "2026-01-01", "amount": 7_500_000},
        ],
        "japanese": "N2",
        "japanese_since": "2012-01-01",
    }
    p = make_profile(
        category="hsp_80",
        status="高度専門職1号ロ",
        birth_date="1988-01-15",
        hsp=hsp,
        residence_history=[{"status": "高度専門職1号ロ", "start": "2023-01-10"}],
        application_date="2026-06-01",
    )
    a = assess(p, today=TODAY)
    r = a.route("hsp_80")
    assert r.status == "not_met" and r.earliest_date == date(2027, 1, 1)  # not counted from the 2023 notice
    assert any(x.ja.startswith("ア: 2025-04-01時点の計算は75点で80点を下回る") for x in r.reasons)
    assert a.route("hsp_70").status == "met"  # 75 never dipped below 70
    # the law is met on the 70-point route: the office is told to file under that category (other documents)
    d = a.decided
    assert d.status == "ready_with_risks" and d.earliest_date == date(2026, 6, 1) and d.blockers == []
    assert [(x.id, x.kind.value) for x in d.review] == [("filed_route", "to_check")]
    assert "hsp_70" in d.review[0].ja


def test_a_holder_of_nine_months_without_notices_gets_a_date_not_cannot_decide():
    hsp = {
        "field": "ロ",
        "holder_since": "2026-03-01",
        "degrees": [{"level": "博士", "awarded": "2015-03-25"}],
        "experience": [{"start": "2015-04-01"}],
        "salary": [{"start": "2026-03-01", "amount": 9_000_000}],
        "japanese": "N1",
        "japanese_since": "2015-01-01",
    }
    p = make_profile(
        category="hsp_80",
        status="高度専門職1号ロ",
        hsp=hsp,
        residence_history=[{"status": "高度専門職1号ロ", "start": "2026-03-01"}],  # came to Japan as a holder
        application_date="2026-12-01",
    )
    a = assess(p, today=TODAY)
    r = a.route("hsp_80")
    assert r.status == "not_met" and r.earliest_date == date(2027, 3, 1)  # a year in Japan
    d = a.decided
    assert d.status == "blocked" and d.earliest_date == date(2027, 3, 1)
    assert [(b.id, b.until) for b in d.blockers] == [("route_not_met", date(2027, 3, 1))]


def test_assess_and_points_agree_on_who_is_a_holder_without_holder_since(example_copy, tmp_path):
    # `docgen points` once had its own definition (holder_since only) and disagreed with `assess`
    path = example_copy("hsp-70-holder.yaml")
    path.write_text(path.read_text(encoding="utf-8").replace("    holder_since: 2023-04-01\n", ""), encoding="utf-8")
    assert "holder_since" not in path.read_text(encoding="utf-8")
    for profile in (path, EXAMPLES / "hsp-70-holder.yaml"):
        assessed = json.loads(docgen("assess", str(profile), "--format", "json", cwd=tmp_path).stdout)
        scored = json.loads(docgen("points", str(profile), "--format", "json", cwd=tmp_path).stdout)
        routes = {r["id"]: r["status"] for r in assessed["routes"]}
        # a holder by the current status (高度専門職1号ロ since 2023-04-01) in both commands
        assert assessed["hsp_holder"] == {"holder": True, "since": "2023-04-01"} and scored["holder"] is True
        assert (routes["hsp_70"], routes["hsp_80"]) == ("met", "not_met")
        assert scored["routes"]["70"]["route"]["status"] == "met" and scored["routes"]["70"]["met_as_holder"]
        assert scored["routes"]["80"]["route"]["status"] == "not_met" and not scored["routes"]["80"]["met_as_holder"]


def test_the_notices_are_the_record_of_the_score_up_to_the_latest_one():
    # MUELLER's notices say 75 (2023-04-01) and 75 (2026-03-10); his recorded facts give only 65 on the grant
    # day: the notices decide up to 2026-03-10 (the facts after it), and the gap is pointed out, not counted
    from docgen.assessment import assess_case
    from tests.conftest import case_of

    a = assess_case(case_of(EXAMPLES / "hsp-70-holder.yaml")).main
    r = a.route("hsp_70")
    assert r.status == "met" and r.reasons[-1].ja == "ア(高度人材外国人として継続)で満たします"
    assert any("2023-04-01の通知書は75点ですが" in x.ja and "要確認" in x.ja for x in r.reasons)
    assert not any("下回るため" in x.ja for x in r.reasons)
