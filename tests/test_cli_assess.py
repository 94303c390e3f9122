"""`docgen assess` and `docgen points` as staff run them: the real command, on the example cases.

The text report and the JSON (read by office scripts) must tell the same story: the same case, the same
routes with the same verdicts, the same point totals.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
ROUTE_MARK = {"met": "[OK]", "not_met": "[NG]", "cannot_decide": "[??]"}
DECISION_STATUSES = ("ready", "ready_with_risks", "blocked", "undecided")
BLOCKER_IDS = (  # shared/reference/contract.md, "the decision"
    "route_not_met",
    "longest_period_of_stay",
    "public_obligations",
    "criminal_penalty",
    "status_requirements",
    "status_lapsed",
    "main_applicant",
)


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "docgen", *args]


def run_all(*commands: list[str], cwd: Path) -> list[subprocess.CompletedProcess]:
    """Run the commands side by side (each `docgen` start takes most of a second)."""
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_SETTINGS"}
    procs = [
        subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, env=env)
        for c in commands
    ]
    out = []
    for cmd, proc in zip(commands, procs, strict=True):
        stdout, stderr = proc.communicate(timeout=120)
        out.append(subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr))
    return out


def docgen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    [out] = run_all(command(*args), cwd=cwd)
    return out


def top_level(path: Path, key: str) -> str:
    match = re.search(rf"^{key}: (\S+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{path.name} has no {key}"
    return match.group(1)


def route_line(text: str, route_id: str) -> str:
    lines = [line for line in text.splitlines() if re.match(rf"^  \[..\]\s? {route_id}: ", line)]
    assert lines, f"no line for route {route_id} in:\n{text}"
    return lines[0]


# ------------------------------------------------------------------ docgen assess


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_assess_every_example_as_text_and_json(example, tmp_path):
    text_run, json_run = run_all(
        command("assess", str(example)), command("assess", str(example), "--format", "json"), cwd=tmp_path
    )
    assert text_run.returncode == 0, text_run.stderr
    assert json_run.returncode == 0, json_run.stderr
    text, data = text_run.stdout, json.loads(json_run.stdout)
    case_id, category = top_level(example, "case_id"), top_level(example, "category")

    # the JSON: the case, every route and every check
    assert data["case_id"] == case_id and data["category"] == category
    assert data["date"] == top_level(example, "application_date")
    assert {"general", "hsp_70", "hsp_80", "hsp_points_70", "hsp_points_80", "spouse", "child", "teijusha"} <= {
        r["id"] for r in data["routes"]
    }
    assert all(
        r["status"] in ("met", "not_met", "cannot_decide", "not_applicable", "informational") for r in data["routes"]
    )
    filed = [r for r in data["routes"] if r["filed"]]
    assert filed and all(r["status"] != "not_applicable" for r in filed)
    assert {c["id"] for c in data["checks"]} >= {"longest_period_of_stay", "late_payments", "guarantor"}

    # the decision in the contract's shape, for the applicant, everyone filing together and the case
    for who in [data, *data["co_applicants"]]:
        decision = who["decision"]
        assert decision["status"] in DECISION_STATUSES
        assert {"status", "earliest_date", "blockers", "risks", "review"} <= set(decision)
        assert all(b["id"] in BLOCKER_IDS and "until" in b and b["sources"] is not None for b in decision["blockers"])
        assert all(r["level"] in ("high", "medium", "low") and "until" in r for r in decision["risks"])
        if decision["status"] != "blocked" and decision["status"] != "undecided":
            assert decision["earliest_date"] == data["date"]
    case = data["case_decision"]
    assert case["status"] in DECISION_STATUSES

    # the text: the decision first (the case's, in one line), then the same case, a line per decided route with
    # the same verdict, every check by title
    assert text.splitlines()[0] == case["line"]["en"]  # the tests run with DOCGEN_LANG=en
    assert f"永住許可 要件チェック / Eligibility — {case_id} ({category})" in text.splitlines()
    assert f"申請人: {data['applicant']['name']}" in text
    for route in data["routes"]:
        if route["status"] in ROUTE_MARK:
            line = route_line(text, route["id"])
            assert line.startswith(f"  {ROUTE_MARK[route['status']]} {route['id']}: {route['name']} — ")
            assert ("*申請区分 / filed" in line) == route["filed"]
            if route["status"] == "not_met" and route["earliest_date"]:
                assert f"最短 / earliest {route['earliest_date']}" in line
    for check in data["checks"]:
        assert check["title"] in text
    # everyone filing together gets a report of their own
    for other in data["co_applicants"]:
        assert other["case_id"] == case_id
        assert f"申請人: {other['applicant']['name']}" in text


def test_the_family_is_assessed_applicant_by_applicant(tmp_path):
    text_run, json_run = run_all(
        command("assess", str(EXAMPLES / "gijinkoku-family.yaml")),
        command("assess", str(EXAMPLES / "gijinkoku-family.yaml"), "--format", "json"),
        cwd=tmp_path,
    )
    data = json.loads(json_run.stdout)
    assert data["applicant"]["name"] == "NGUYEN VAN AN"
    assert [(o["applicant"]["name"], o["category"]) for o in data["co_applicants"]] == [
        ("TRAN THI BINH", "kazoku_taizai"),
        ("NGUYEN MINH", "kazoku_taizai"),
    ]
    assert text_run.stdout.count("永住許可 要件チェック / Eligibility — 2026-102-nguyen") == 3
    # the husband meets the general route; his 家族滞在 wife has 10 years in Japan but none on a work status
    assert route_line(text_run.stdout, "general").startswith("  [OK] general:")
    wife = next(o for o in data["co_applicants"] if o["applicant"]["name"] == "TRAN THI BINH")
    assert next(r for r in wife["routes"] if r["id"] == "general")["status"] == "not_met"


def test_a_75_point_holder_is_not_told_a_date_for_the_80_point_route(tmp_path):
    """MUELLER (高度専門職, notices of 75 points in 2023 and 2026): the 70 route is met after 3 years as a holder;
    the 80 route needs a year as a holder with 80+ points, which no notice shows, so no date is promised."""
    example = str(EXAMPLES / "hsp-70-holder.yaml")
    [today, text] = run_all(command("assess", example, "--format", "json"), command("assess", example), cwd=tmp_path)
    routes = {r["id"]: r for r in json.loads(today.stdout)["routes"]}
    assert routes["hsp_70"]["status"] == "met" and routes["hsp_70"]["filed"]
    assert routes["hsp_80"]["status"] == "not_met" and routes["hsp_80"]["earliest_date"] is None
    assert any("75点" in r["ja"] for r in routes["hsp_80"]["reasons"])
    assert route_line(text.stdout, "hsp_70").startswith("  [OK] hsp_70:")


def test_assess_refuses_a_bad_date_with_the_option_named(tmp_path):
    out = docgen("assess", str(EXAMPLES / "teijusha.yaml"), "--date", "2026-02-30", cwd=tmp_path)
    assert out.returncode == 2 and out.stdout == ""
    assert "--date: '2026-02-30' is not a date; write it as YYYY-MM-DD" in out.stderr
    assert "Traceback" not in out.stderr


def test_assess_refuses_an_unknown_format(tmp_path):
    out = docgen("assess", str(EXAMPLES / "teijusha.yaml"), "--format", "xml", cwd=tmp_path)
    assert out.returncode == 2 and "--format must be one of: text, json" in out.stderr
    assert "Traceback" not in out.stderr


def test_assess_names_a_missing_profile_file(tmp_path):
    out = docgen("assess", "no-such-case.yaml", cwd=tmp_path)
    assert out.returncode == 2 and "no-such-case.yaml" in out.stderr and "Traceback" not in out.stderr


# ------------------------------------------------------------------ docgen points


def test_points_now_and_at_both_reference_dates_agree_between_text_and_json(tmp_path):
    """CHEN (みなし高度人材, 80-point route): 100 points on 2026-12-15, 95 on 2025-12-15, only 60 on 2023-12-15."""
    example = str(EXAMPLES / "hsp-points-80.yaml")
    text_run, json_run = run_all(
        command("points", example), command("points", example, "--format", "json"), cwd=tmp_path
    )
    assert text_run.returncode == 0, text_run.stderr
    assert json_run.returncode == 0, json_run.stderr
    text, data = text_run.stdout, json.loads(json_run.stdout)

    assert data["case_id"] == "2026-105-chen" and data["as_of"] == "2026-12-15" and data["holder"] is False
    points = data["points"]
    assert points["total"] == 100 == sum(line["points"] for line in points["lines"])
    eighty, seventy = data["routes"]["80"], data["routes"]["70"]
    assert (eighty["reference_date"], eighty["reference"]["total"], eighty["met"]) == ("2025-12-15", 95, True)
    assert (seventy["reference_date"], seventy["reference"]["total"], seventy["met"]) == ("2023-12-15", 60, False)

    assert text.splitlines()[0] == f"2026-12-15 時点 1号{points['field']}: {points['total']}点"
    for line in points["lines"]:
        assert re.search(rf"^\s+{line['points']}\s+{re.escape(line['label'])} — ", text, re.MULTILINE), line["label"]
    assert "[OK] 80点ルート: 申請時点 100点 / 基準時点 2025-12-15 95点" in text
    assert "[NG] 70点ルート: 申請時点 100点 / 基準時点 2023-12-15 60点" in text
    assert "2023-12-15時点のポイントは60点で、70点に10点足りません" in text


def test_points_as_of_the_reference_date_equal_the_reference_total(tmp_path):
    example = str(EXAMPLES / "hsp-points-80.yaml")
    one_year, three_years = run_all(
        command("points", example, "--as-of", "2025-12-15", "--format", "json"),
        command("points", example, "--as-of", "2023-12-15"),
        cwd=tmp_path,
    )
    assert json.loads(one_year.stdout)["points"]["total"] == 95
    assert three_years.stdout.splitlines()[0] == "2023-12-15 時点 1号ロ: 60点"


def test_points_for_an_hsp_holder_follow_the_holders_routes(tmp_path):
    # The reference date is no longer "for information" for a holder: route イ (points now and on the reference
    # date) is open to holders too (§11.4), and each line shows the route `assess` decides.
    example = str(EXAMPLES / "hsp-70-holder.yaml")
    text_run, json_run = run_all(
        command("points", example), command("points", example, "--format", "json"), cwd=tmp_path
    )
    data = json.loads(json_run.stdout)
    assert data["holder"] is True and data["holder_since"] == "2023-04-01" and data["points"]["total"] == 75
    assert data["routes"]["70"]["met_as_holder"] is True and data["routes"]["80"]["met_as_holder"] is False
    assert data["routes"]["70"]["route"]["id"] == "hsp_70" and data["routes"]["80"]["route"]["status"] == "not_met"
    assert "高度専門職の保有者" in text_run.stdout
    assert "[OK] 70点ルート: 申請時点 75点 / 基準時点 2023-12-15 70点 — hsp_70 満たす" in text_run.stdout
    assert "[NG] 80点ルート: 申請時点 75点 / 基準時点 2025-12-15" in text_run.stdout


def test_points_without_hsp_facts_is_a_plain_error(tmp_path):
    out = docgen("points", str(EXAMPLES / "gijinkoku-single.yaml"), cwd=tmp_path)
    assert out.returncode == 2 and out.stdout == ""
    assert "the profile has no points facts (applicant.hsp)" in out.stderr and "gijinkoku-single.yaml" in out.stderr
    assert "Traceback" not in out.stderr


def test_points_refuses_a_bad_as_of_date_with_the_option_named(tmp_path):
    out = docgen("points", str(EXAMPLES / "hsp-points-80.yaml"), "--as-of", "15/12/2026", cwd=tmp_path)
    assert out.returncode == 2 and out.stdout == ""
    assert "--as-of: '15/12/2026' is not a date; write it as YYYY-MM-DD" in out.stderr
    assert "Traceback" not in out.stderr
