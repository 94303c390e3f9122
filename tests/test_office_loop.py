"""The office's daily loop, walked as an office would (issue 11): case new → a Chinese questionnaire the client
fills in → import → assess → packet → the 理由書 edited in Word → packet again keeps the edit, converts only that
document and gets the index pages right → placeholders listed, --final refuses → the case board shows the case
with its deadlines and its calendar parses. Every message on the way is Japanese (docgen's default)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from docx import Document
from icalendar import Calendar
from pypdf import PdfReader

from tests.conftest import needs_libreoffice
from tests.test_intake import Client, fill_in_as_mr_li

pytestmark = needs_libreoffice()
CASE = "2026-201-li"


def docgen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DOCGEN_LANG", "LANG", "LC_ALL", "LC_MESSAGES")}
    result = subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd, env=env)
    assert "Traceback" not in result.stderr
    return result


def japanese(text: str) -> bool:
    """Every line has Japanese in it (paths, ids and the client's own words aside)."""
    lines = [x for x in text.splitlines() if x.strip() and not x.startswith("  ")]
    return all(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", x) for x in lines)


def test_the_office_loop(tmp_path):
    planned = date.today() + timedelta(days=60)
    made = docgen("case", "new", CASE, "--category", "gijinkoku", "--date", planned.isoformat(), "--lang", "zh",
                  "--no-pdf", cwd=tmp_path)  # fmt: skip
    assert made.returncode == 0 and japanese(made.stdout), made.stderr
    folder = tmp_path / "cases" / CASE
    profile = folder / f"{CASE}-profile.yaml"

    asked = docgen("intake", "new", CASE, "--lang", "zh", cwd=tmp_path)
    assert asked.returncode == 0 and japanese(asked.stdout), asked.stderr
    fill_in_as_mr_li(Client(folder / f"{CASE}-intake-zh.xlsx"))
    imported = docgen("intake", "import", str(folder / f"{CASE}-intake-zh.xlsx"), "--merge", cwd=tmp_path)
    assert imported.returncode == 0 and japanese(imported.stdout + imported.stderr), imported.stderr
    assert docgen("profile", "check", str(profile), cwd=tmp_path).returncode == 0

    assessed = docgen("assess", str(profile), cwd=tmp_path)
    assert assessed.returncode == 0 and "要件チェック" in assessed.stdout and japanese(assessed.stdout)

    packet = folder / f"{CASE}-packet"
    first = docgen("packet", str(profile), "--evidence", str(folder / "evidence"), "--out", str(packet), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert japanese(first.stdout) and japanese(first.stderr)
    assert "提出前に記入が必要な箇所" in first.stdout  # the placeholders, listed

    letter = next((packet / "docx").glob("*_reason_letter_*.docx"))
    doc = Document(str(letter))
    doc.add_paragraph("来日以来、同じ会社で働き、日本での生活を続けてまいりました。")
    doc.save(str(letter))
    again = docgen("packet", str(profile), cwd=tmp_path)  # in a case folder: its evidence/ and its packet
    assert again.returncode == 0 and japanese(again.stdout + again.stderr), again.stderr
    assert f"資料フォルダー: {folder / 'evidence'}" in again.stdout and f"一式: {packet}" in again.stdout
    assert f"事務所で編集した書類をそのまま使いました: {letter.name}" in again.stdout
    assert "PDFに変換した書類: 1件" in again.stdout  # only the edited 理由書
    bundle = next(packet.glob("*-packet.pdf"))
    reader = PdfReader(str(bundle))
    assert "来日以来、同じ会社で働き" in "".join(p.extract_text() for p in reader.pages)
    first_letter = next(o for o in reader.outline if not isinstance(o, list) and "理由書" in o.title)
    index = reader.pages[0].extract_text()
    start = reader.get_destination_page_number(first_letter) + 1
    assert re.search(rf"理由書.*?\b{start}\b", index.replace("\n", " ")), index  # the index page is right

    final = docgen("packet", str(profile), "--out", str(packet), "--final", cwd=tmp_path)
    assert final.returncode == 2 and "記入が必要な［ ］" in final.stderr and japanese(final.stderr)

    board = docgen("cases", "--ics", str(tmp_path / "office.ics"), cwd=tmp_path)
    assert board.returncode == 0, board.stderr
    assert CASE in board.stdout and japanese(board.stdout.replace(CASE, "")) and japanese(board.stderr)
    calendar = Calendar.from_ical((tmp_path / "office.ics").read_bytes())
    events = [e for e in calendar.walk("VEVENT") if CASE in str(e.get("SUMMARY"))]
    assert events and all("LI" not in str(e.get("SUMMARY")) for e in events)
    assert any(e.decoded("DTSTART") == planned for e in events)  # the filing date is on the calendar

    written = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
    scans = folder / "evidence"  # the client's own files keep their names
    assert [p.name for p in written if not p.is_relative_to(scans) and not p.name.startswith(f"{CASE}-")] == []
