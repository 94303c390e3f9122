"""One case, assessed once: the office's settings and rules reach every stage, and every stage of a packet
reads the same assessment (issue 8)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from docx import Document

import docgen.assessment.assess as assess_module
from docgen.case import Settings
from docgen.packet.build import build_packet
from tests.conftest import EXAMPLES, ROOT, case_of


def docgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DOCGEN_SETTINGS", None)
    return subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd, env=env)


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def june_case(folder: Path) -> Path:
    """A client filing on 5 June 2026 who paid the 住民税 of 2020 late (普通徴収)."""
    text = (EXAMPLES / "gijinkoku-single.yaml").read_text(encoding="utf-8")
    text = text.replace("application_date: 2026-12-15", "application_date: 2026-06-05")
    text = text.replace(
        "    - {year: 2021, amount: 4200000, resident_tax: 特別徴収}\n",
        "    - {year: 2020, amount: 4000000, resident_tax: 普通徴収, paid_on_time: false}\n"
        "    - {year: 2021, amount: 4200000, resident_tax: 特別徴収}\n",
    )
    path = folder / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_office_release_day_moves_the_years_in_the_checklist_the_assessment_and_the_letters(tmp_path):
    profile = june_case(tmp_path)
    # the office's municipality issues the new 住民税 年度 on 10 June: on 5 June the newest is 令和7年度 (2025)
    (tmp_path / "docgen.toml").write_text('[rules]\nrelease_day = "06-10"\n', encoding="utf-8")
    expected = [2025, 2024, 2023, 2022, 2021]

    checklist = json.loads(
        docgen("checklist", "gijinkoku", "--profile", str(profile), "--format", "json", cwd=tmp_path).stdout
    )
    items = {i["id"]: i for i in checklist["items"]}
    assert items["resident_tax_certificates"]["period"]["fiscal_years"] == expected
    assert items["resident_tax_payment_proof"]["period"]["fiscal_years"] == [2021]  # the 2020 income, paid late

    assessed = json.loads(docgen("assess", str(profile), "--format", "json", cwd=tmp_path).stdout)
    checks = {c["id"]: c for c in assessed["checks"]}
    assert [y["fiscal_year"] for y in checks["income_benchmark"]["data"]["years"]] == expected
    assert [t["fiscal_year"] for t in checks["late_payments"]["data"]["resident_tax"]] == [2021]
    late = next(f for f in assessed["findings"] if f["id"] == "late_payment")
    assert [t["label"] for t in late["data"]["resident_tax"]] == ["令和3年度"]

    out = docgen("packet", str(profile), "--no-pdf", "--out", str(tmp_path / "packet"), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    letter = next((tmp_path / "packet" / "docx").glob("*explanation_late_payment*.docx"))
    assert "令和3年度（令和2年分）" in docx_text(letter)

    # the default release day (1 June) would have asked for 令和4年度〜令和8年度: the setting made the difference
    (tmp_path / "docgen.toml").unlink()
    default = json.loads(
        docgen("checklist", "gijinkoku", "--profile", str(profile), "--format", "json", cwd=tmp_path).stdout
    )
    assert (
        next(i for i in default["items"] if i["id"] == "resident_tax_certificates")["period"]["fiscal_years"][0] == 2026
    )


def test_an_office_category_works_in_checklist_assess_and_packet(tmp_path):
    office = tmp_path / "office" / "checklists"
    office.mkdir(parents=True)
    category = (ROOT / "checklists" / "gijinkoku.yaml").read_text(encoding="utf-8")
    (office / "gijinkoku_it.yaml").write_text(category.replace("id: gijinkoku", "id: gijinkoku_it"), encoding="utf-8")
    (tmp_path / "docgen.toml").write_text('[paths]\nchecklists = "office/checklists"\n', encoding="utf-8")
    profile = tmp_path / "case.yaml"
    profile.write_text(
        (EXAMPLES / "gijinkoku-single.yaml")
        .read_text(encoding="utf-8")
        .replace("category: gijinkoku", "category: gijinkoku_it"),
        encoding="utf-8",
    )

    checklist = docgen("checklist", "gijinkoku_it", "--profile", str(profile), "--format", "json", cwd=tmp_path)
    assert checklist.returncode == 0, checklist.stderr
    assert json.loads(checklist.stdout)["category"] == "gijinkoku_it"
    assessed = docgen("assess", str(profile), cwd=tmp_path)
    assert assessed.returncode == 0, assessed.stderr
    assert "[OK] general" in assessed.stdout and "申請区分" in assessed.stdout
    packet = docgen("packet", str(profile), "--no-pdf", "--out", str(tmp_path / "packet"), cwd=tmp_path)
    assert packet.returncode == 0, packet.stderr
    (manifest_file,) = (tmp_path / "packet").glob("*-manifest.json")
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    assert manifest["case"]["category"] == "gijinkoku_it"


def test_one_packet_run_assesses_each_applicant_once(tmp_path, monkeypatch):
    calls: list[str] = []
    real = assess_module.assess_applicant

    def counting(situation):  # the real function, counted
        calls.append(situation.profile.applicant.display_name)
        return real(situation)

    monkeypatch.setattr(assess_module, "assess_applicant", counting)
    result = build_packet(
        case_of(EXAMPLES / "gijinkoku-family.yaml", Settings(output_dir=tmp_path)), out=tmp_path / "p", pdf=False
    )
    assert sorted(calls) == sorted(["NGUYEN VAN AN", "TRAN THI BINH", "NGUYEN MINH"])  # once each, not once per stage
    assert (result.folder / result.names.assessment).read_text(encoding="utf-8").count("永住許可 要件チェック") == 3


def test_nothing_below_the_command_line_reads_the_clock():
    """Only the entry points read the clock: the command line (which starts the web app with its clock) and the
    packet worker that runs on other machines; everything else is handed the time."""
    entry_points = {"docgen/web/jobs_worker.py"}
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "docgen").rglob("*.py")
        if p.parent.name != "cli"
        and str(p.relative_to(ROOT)) not in entry_points
        and any(s in p.read_text(encoding="utf-8") for s in ("date.today()", "datetime.now("))
    ]
    assert offenders == []
