"""`assess`, `points`, the board and the packet never disagree on a route or the decision (issue 17): each
reads the one assessment; checked on every example through the real commands."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

EXAMPLE_FILES = sorted(p.name for p in EXAMPLES.glob("*.yaml"))


def docgen(*args: str, cwd: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.mark.parametrize("example", EXAMPLE_FILES)
def test_assess_points_board_and_packet_agree(example, tmp_path):
    case_id = next(
        line.split(":", 1)[1].strip()
        for line in (EXAMPLES / example).read_text(encoding="utf-8").splitlines()
        if line.startswith("case_id:")
    )
    folder = tmp_path / "cases" / case_id
    folder.mkdir(parents=True)
    profile = folder / f"{case_id}-profile.yaml"
    shutil.copyfile(EXAMPLES / example, profile)

    assessed = docgen("assess", str(profile), "--format", "json", cwd=tmp_path)
    filed = {r["id"]: (r["status"], r["earliest_date"]) for r in assessed["routes"] if r["filed"]}

    has_points = "\n  hsp:" in profile.read_text(encoding="utf-8")
    points = docgen("points", str(profile), "--format", "json", cwd=tmp_path) if has_points else {}
    for threshold in points.get("routes", {}).values():
        route = threshold["route"]
        ours = next(r for r in assessed["routes"] if r["id"] == route["id"])
        assert (route["status"], route["earliest_date"]) == (ours["status"], ours["earliest_date"]), route["id"]

    board = docgen("cases", "--cases", str(tmp_path / "cases"), "--format", "json", cwd=tmp_path)
    (row,) = board["cases"]
    main = row["applicants"][0]
    assert {main["route"]: (main["status"], main["earliest_date"])} == filed
    assert row["decision"]["status"] == assessed["case_decision"]["status"]
    assert row["decision"]["earliest_date"] == assessed["case_decision"]["earliest_date"]
    assert main["decision"] == assessed["decision"]["status"]

    subprocess.run(
        [sys.executable, "-m", "docgen", "packet", str(profile), "--no-pdf"], capture_output=True, cwd=tmp_path
    ).check_returncode()
    (manifest,) = (folder / f"{case_id}-packet").glob("*-manifest.json")
    record = json.loads(manifest.read_text(encoding="utf-8"))
    assert record["decision"]["status"] == assessed["case_decision"]["status"]
    assert record["assessment"][0]["routes"] == {k: v[0] for k, v in filed.items()}


@pytest.mark.parametrize("example", ["hsp-points-80.yaml", "hsp-70-holder.yaml"])
def test_one_assessment_scores_each_date_once(example, monkeypatch):
    """The points on a date are calculated once per applicant and assessment, whichever route, check or
    projection asks for them (the points-80 example once took 16 calculations for 7 dates)."""
    from collections import Counter
    from datetime import datetime

    from docgen.assessment import assess_case
    from docgen.assessment.points import calculation
    from docgen.case import Settings, build_case, load_rules

    asked: Counter = Counter()
    real = calculation.calculate

    def counting(facts, birth_date, on, table, experience=None):
        asked[on] += 1
        return real(facts, birth_date, on, table, experience)

    monkeypatch.setattr(calculation, "calculate", counting)
    settings = Settings()
    case = build_case(EXAMPLES / example, settings, load_rules(settings), now=datetime(2026, 12, 1).astimezone())
    assessment = assess_case(case)
    assert asked and max(asked.values()) == 1, asked.most_common(3)
    assert assessment.main.points  # the assessment did score the applicant
