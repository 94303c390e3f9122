"""What the board says of a packet comes from the packet's manifest, never from its text reports: a scan's file name
in the evidence folder is written into missing.txt and could forge its lines (「依頼者から受け取る書類はありません。」
while eight items are missing). Manifests are written here in the shape `docgen packet` writes them, and one
packet is built for real with a forged file name in its evidence folder. The CSV goes to a spreadsheet: no cell
starts a formula, whatever the case folder is called or the manifest says."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from docgen.board import build_board
from docgen.board.output import FORMULA_START, board_json, board_text
from docgen.case import Settings
from tests.conftest import EXAMPLES, RULES

TODAY = date.today()
FILED = TODAY + timedelta(days=60)
FORGED = "\n依頼者から受け取る書類はありません。\n"  # the line missing.txt prints when nothing is missing


def docgen(*args: str, cwd: Path, text: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_SETTINGS"}
    return subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=text, cwd=cwd, env=env)


def add_case(cases: Path, case_id: str, folder_name: str | None = None, example: str = "gijinkoku-single.yaml") -> Path:
    """cases/<folder>/<folder>-profile.yaml from an example, with its case id, filed in 60 days."""
    text = (EXAMPLES / example).read_text(encoding="utf-8")
    text = re.sub(r"^case_id: .*$", f"case_id: {case_id}", text, flags=re.M)
    text = re.sub(r"^application_date: .*$", f"application_date: {FILED}", text, flags=re.M)
    folder = folder_name or case_id
    profile = cases / folder / f"{folder}-profile.yaml"
    profile.parent.mkdir(parents=True)
    profile.write_text(text, encoding="utf-8")
    return profile


def items(prefix: str, n: int) -> list[dict[str, str]]:
    return [{"item": f"{prefix}_{i}", "title": f"{prefix}の書類{i}"} for i in range(1, n + 1)]


def write_packet(profile: Path, case_id: str, missing_txt: str = "", **parts: Any) -> Path:
    """The packet folder with a manifest as `docgen packet` writes it (tool, case, inputs, then `parts`)."""
    packet = profile.parent / f"{case_id}-packet"
    packet.mkdir()
    manifest = {
        "tool": {"name": "docgen", "version": "0.9"},
        "generated_at": f"{TODAY}T10:00:00+09:00",
        "case": {"id": case_id, "category": "gijinkoku", "application_date": FILED.isoformat()},
        "inputs": {"profile": {"file": profile.name, "sha256": hashlib.sha256(profile.read_bytes()).hexdigest()}},
        **parts,
    }
    (packet / f"{case_id}-manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    if missing_txt:
        (packet / f"{case_id}-missing.txt").write_text(missing_txt, encoding="utf-8")
    return packet


def board(root: Path, fmt: str = "json") -> str:
    out = docgen("cases", "--cases", str(root / "cases"), "--format", fmt, cwd=root)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    return out.stdout


def row(root: Path, case_id: str) -> dict[str, Any]:
    """The case's entry in the board's JSON (built in this process, as `docgen cases` builds it)."""
    made = build_board(root / "cases", Settings(), RULES, now=datetime.now().astimezone())
    return next(c for c in json.loads(board_json(made))["cases"] if c["case_id"] == case_id)


def line(root: Path, case_id: str) -> str:
    """The case's line in the board's table."""
    made = board_text(build_board(root / "cases", Settings(), RULES, now=datetime.now().astimezone()))
    return next(x for x in made.splitlines() if case_id in x and not x.startswith(f"  {case_id}:"))


def test_what_is_missing_is_read_from_the_manifest_not_from_missing_txt(tmp_path):
    case_id = "2026-401-wang"
    profile = add_case(tmp_path / "cases", case_id)
    forged = f"案件 {case_id}\n\n依頼者から受け取る書類はありません。\n"  # what a forged file name would leave
    missing = {"client": items("client", 10), "office": items("office", 2), "placeholders": 3}
    write_packet(profile, case_id, forged, missing=missing)
    assert "依頼者10件・事務所2件・記入3箇所" in line(tmp_path, case_id)
    packet = row(tmp_path, case_id)["packet"]
    assert packet["missing_from_client"] == [f"clientの書類{i}" for i in range(1, 11)]
    assert packet["missing_by_office"] == ["officeの書類1", "officeの書類2"] and packet["placeholders"] == 3
    assert packet["complete"] and packet["unknown"] is None and packet["outdated"] == []


def test_nothing_missing_is_said_only_when_the_manifest_says_so(tmp_path):
    case_id = "2026-402-li"
    profile = add_case(tmp_path / "cases", case_id)
    write_packet(profile, case_id, missing={"client": [], "office": [], "placeholders": 0})
    assert "依頼者なし" in line(tmp_path, case_id)


def test_a_packet_from_an_older_docgen_asks_for_a_rebuild_and_its_text_is_not_read(tmp_path):
    case_id = "2026-403-silva"
    profile = add_case(tmp_path / "cases", case_id)
    report = f"案件 {case_id}\n\n依頼者から受け取る書類（1件）:\n  □ 写真　対象: SILVA\n"
    write_packet(profile, case_id, report)  # no "missing" in the manifest
    assert "古い形式(要再作成)" in line(tmp_path, case_id)
    data = row(tmp_path, case_id)
    assert data["packet"]["missing_from_client"] is None and data["packet"]["unknown"] == "古い形式"
    assert data["notes"] == ["古い形式のパケット：作り直してください"]


@pytest.mark.parametrize(
    "missing",
    [
        {"client": "ten", "office": [], "placeholders": 0},
        {"client": [{"item": "photo"}], "office": [], "placeholders": 0},
        {"client": [], "office": [], "placeholders": -1},
        {"client": [], "office": []},
    ],
)
def test_a_damaged_record_asks_for_a_rebuild(tmp_path, missing):
    case_id = "2026-404-tran"
    profile = add_case(tmp_path / "cases", case_id)
    write_packet(profile, case_id, missing=missing)
    assert "記録が読めません(要再作成)" in line(tmp_path, case_id)
    data = row(tmp_path, case_id)
    assert data["error"] is None and data["next_action"]["kind"] == "file"  # the case itself is still shown
    assert data["notes"] == ["パケットの記録（manifest）を読めません：作り直してください"]


@pytest.mark.parametrize(
    ("stale", "notes"),
    [
        (True, ["パケット作成中にプロフィールが変更されました：作り直してください"]),
        (["profile_changed"], ["パケット作成中にプロフィールが変更されました：作り直してください"]),
        (
            ["profile_changed", "kept_files"],
            [
                "パケット作成中にプロフィールが変更されました：作り直してください",
                "パケット作成中に変更されたファイルをそのまま残しました：内容を確認してください",
            ],
        ),
        (["something_new"], ["パケットが元の資料と合っていない可能性があります：作り直してください"]),
        ([], []),
        (False, []),
    ],
)
def test_a_packet_marked_stale_by_its_build_says_so(tmp_path, stale, notes):
    case_id = "2026-405-kim"
    profile = add_case(tmp_path / "cases", case_id)
    write_packet(profile, case_id, missing={"client": items("c", 1), "office": [], "placeholders": 0}, stale=stale)
    assert row(tmp_path, case_id)["notes"] == notes
    assert ("(要再作成)" in line(tmp_path, case_id)) == bool(notes)


def test_a_profile_changed_after_the_build_or_a_packet_of_another_case_is_noted(tmp_path):
    case_id = "2026-406-park"
    profile = add_case(tmp_path / "cases", case_id)
    packet = write_packet(profile, case_id, missing={"client": items("c", 2), "office": [], "placeholders": 0})
    profile.write_text(profile.read_text(encoding="utf-8") + "# 電話で確認済み\n", encoding="utf-8")
    assert row(tmp_path, case_id)["notes"] == ["パケット作成後にプロフィールが変更されています"]
    manifest = packet / f"{case_id}-manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["case"]["id"] = "2026-999-other"
    data["inputs"]["profile"]["sha256"] = hashlib.sha256(profile.read_bytes()).hexdigest()
    manifest.write_text(json.dumps(data), encoding="utf-8")
    assert row(tmp_path, case_id)["notes"] == ["パケットの案件IDがプロフィールと異なります（別の案件のパケットです）"]


# ---------------------------------------------------------------- the spreadsheet


DANGEROUS = ["=1+2", '=HYPERLINK("https:evil.example","開く")', "+41-1", "-2+3", "@SUM(1+1)", "\tcmd", "\rcmd"]


def test_no_csv_cell_starts_a_formula(tmp_path):
    """Case folders named like formulas, a folder with no profile named so too, and a manifest whose titles are
    formulas: every such cell comes back with a leading apostrophe, as OWASP recommends; the JSON keeps them as
    they are (it is data, not a spreadsheet)."""
    cases = tmp_path / "cases"
    for n, name in enumerate(DANGEROUS):
        add_case(cases, f"2026-41{n}-x", folder_name=name)
    (cases / "@empty").mkdir()
    profile = add_case(cases, "2026-420-ali")
    titles = [{"item": "photo", "title": '=HYPERLINK("https:evil.example","写真")'}, *items("client", 1)]
    write_packet(profile, "2026-420-ali", missing={"client": titles, "office": items("-office", 1), "placeholders": 0})

    raw = docgen("cases", "--cases", str(cases), "--format", "csv", cwd=tmp_path, text=False)
    assert raw.returncode == 0, raw.stderr
    text = raw.stdout.decode("utf-8")  # as a spreadsheet reads the file: a CR in a cell is not a line break
    assert text.startswith('"案件ID","区分",')  # every cell quoted
    lines = list(csv.reader(io.StringIO(text, newline="")))
    header, body = lines[0], lines[1:]
    assert len(body) == len(DANGEROUS) + 2
    assert not [cell for r in body for cell in r if cell.startswith(FORMULA_START)]
    ids = {r[header.index("案件ID")] for r in body}
    assert ids == {"'" + name for name in [*DANGEROUS, "@empty"]} | {"2026-420-ali"}
    ali = next(r for r in body if r[0] == "2026-420-ali")
    assert ali[header.index("不足(依頼者)")] == "'" + '=HYPERLINK("https:evil.example","写真")、clientの書類1'
    assert ali[header.index("不足(事務所)")] == "'-officeの書類1"

    data = json.loads(board(tmp_path))
    assert {c["case_id"] for c in data["cases"]} == {*DANGEROUS, "@empty", "2026-420-ali"}
    shown = docgen("cases", "--cases", str(cases), cwd=tmp_path, text=False).stdout.decode("utf-8")
    assert "\r" not in shown and "\t" not in shown  # in the terminal, no CR moves back over a case
    assert sum(x.lstrip().startswith("\ufffdcmd ") for x in shown.split("\n")) == 2  # the tab and the CR, shown


# ---------------------------------------------------------------- a real packet with a forged file name


@pytest.fixture
def forged_office(tmp_path: Path) -> Path:
    """Wang's case folder with the example scans and one whose file name carries the forged line."""
    case_id = "2026-430-wang"
    profile = add_case(tmp_path / "cases", case_id)
    evidence = profile.parent / "evidence"
    shutil.copytree(EXAMPLES / "evidence", evidence)
    scan = evidence / f"FORGED-scan{FORGED}.pdf"
    scan.write_bytes(b"%PDF-1.4\n")  # the file system keeps the line breaks in the name
    assert scan.name in [p.name for p in evidence.iterdir()]
    return tmp_path


def test_a_forged_file_name_in_the_evidence_folder_does_not_change_the_board(forged_office, tmp_path):
    case_id = "2026-430-wang"
    folder = forged_office / "cases" / case_id
    built = docgen("packet", str(folder / f"{case_id}-profile.yaml"), "--no-pdf", cwd=forged_office)
    assert built.returncode == 0, built.stderr
    missing = int(re.search(r"still missing from the client: (\d+) item", built.stdout).group(1))
    report = (folder / f"{case_id}-packet" / f"{case_id}-missing.txt").read_text(encoding="utf-8")
    assert missing > 0 and FORGED in report  # the text report now carries the forged line

    ics = tmp_path / "office.ics"
    shown = docgen("cases", "--cases", str(forged_office / "cases"), "--ics", str(ics), cwd=forged_office)
    assert shown.returncode == 0, shown.stderr
    wang = next(x for x in shown.stdout.splitlines() if case_id in x)
    assert f"依頼者{missing}件" in wang and "依頼者なし" not in wang
    packet = json.loads(board(forged_office))["cases"][0]["packet"]
    assert packet["unknown"] is None and len(packet["missing_from_client"]) == missing
    outputs = [shown.stdout, board(forged_office), board(forged_office, "csv"), ics.read_text(encoding="utf-8")]
    assert not [o for o in outputs if "FORGED" in o or "juminhyo" in o or "licence" in o]  # no scan's file name
