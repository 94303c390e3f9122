"""The example family's packet can be filed as it is (issue 18): with the office's facts in the profile and
the built-in templates there is nothing left to write in (no ［ ］), and once every scan the index asks for
is in the evidence folder, `docgen packet --final` makes it the packet to file — without `--accept`.

The scans are placed the way an office files them — evidence/<item>/<person>/<年度>.pdf — from what the
draft packet's manifest says is still missing, so the test follows the checklist as it changes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from pypdf import PdfWriter

from docgen.profile.load import load_profile
from tests.conftest import EXAMPLES

FAMILY = EXAMPLES / "gijinkoku-family.yaml"


def docgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd)


def a_scan(path: Path) -> None:
    """One A4 page, as a scanner makes it (a real PDF, opened by the packet like any client's scan)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with path.open("wb") as f:
        writer.write(f)


def missing_scans(manifest: Path, names: list[str]) -> list[Path]:
    """Where each scan the manifest counts as missing goes: the item's folder, the person's name, the 年度."""
    data = json.loads(manifest.read_text(encoding="utf-8"))
    out = []
    for count in data["missing"]["counts"]:
        for i, gap in enumerate(count["missing"]):
            who = gap["who"]
            person = names[int(who.removeprefix("applicant")) - 1] if who.startswith("applicant") else who
            name = f"{gap['fiscal_year']}年度.pdf" if "fiscal_year" in gap else f"scan-{i}.pdf"
            out.append(Path(count["item"]) / person / name)
    return out


def test_the_example_family_is_filed_final_once_every_scan_is_in(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    shutil.copytree(EXAMPLES / "evidence", evidence)
    names = [a.roman_name for a in (load_profile(FAMILY).applicant, *load_profile(FAMILY).co_applicants)]
    packet = tmp_path / "packet"

    draft = docgen("packet", str(FAMILY), "--evidence", str(evidence), "--out", str(packet), "--no-pdf", cwd=tmp_path)
    assert draft.returncode == 0, draft.stderr
    manifest = next(packet.glob("*-manifest.json"))
    assert json.loads(manifest.read_text(encoding="utf-8"))["missing"]["placeholders"] == 0  # nothing to write in
    scans = missing_scans(manifest, names)
    assert scans, "the draft still misses the client's documents"
    refused = docgen(
        "packet", str(FAMILY), "--evidence", str(evidence), "--out", str(packet), "--no-pdf", "--final", cwd=tmp_path
    )
    assert refused.returncode != 0 and "incomplete: " in refused.stderr  # tests run in English

    for scan in scans:  # the client brings the rest; the office scans it in
        a_scan(evidence / scan)
    final = docgen(
        "packet", str(FAMILY), "--evidence", str(evidence), "--out", str(packet), "--no-pdf", "--final", cwd=tmp_path
    )
    assert final.returncode == 0, final.stderr
    record = json.loads(manifest.read_text(encoding="utf-8"))
    assert record["final"] and record["missing"]["placeholders"] == 0
    assert all(c["complete"] for c in record["missing"]["counts"])
    assert not record["missing"]["client"] and not record["missing"]["office"]
