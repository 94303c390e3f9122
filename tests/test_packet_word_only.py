"""Packets in Word only (`--no-pdf`): the parts of `docgen packet` that need no LibreOffice, run everywhere."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from docgen.case import Settings
from docgen.documents.render import TemplateRenderError
from docgen.packet.build import build_packet
from tests.conftest import EXAMPLES, case_of, office_reason_letter


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd)


def test_an_undefined_variable_names_the_template_and_the_variable(tmp_path):
    settings = office_reason_letter(tmp_path, "{{ applicant.nickname }}")
    with pytest.raises(TemplateRenderError) as info:
        build_packet(case_of(EXAMPLES / "gijinkoku-single.yaml", settings), out=tmp_path / "p", pdf=False)
    assert "reason_letter.docx" in str(info.value) and "'nickname'" in str(info.value)
    assert not (tmp_path / "p").exists()


def test_word_files_only(tmp_path):
    result = build_packet(
        case_of(EXAMPLES / "teijusha.yaml", Settings(output_dir=tmp_path)), out=tmp_path / "p", pdf=False
    )
    assert result.bundle is None and not (tmp_path / "p" / "pdf").exists()
    assert [p.name.split("_", 1)[1] for p in result.documents] == [
        "application_form_silva_pedro.docx",
        "reason_letter_silva_pedro.docx",
        "guarantor_letter_silva_pedro.docx",
        "acknowledgement_silva_pedro.docx",
    ]
    form = "\n".join(c.text for t in Document(str(result.documents[0])).tables for r in t.rows for c in r.cells)
    assert "ブラジル" in form and "KL01234567MN" in form and "1986 年 12 月 1 日" in form  # filled, 西暦


def test_running_packet_again_rebuilds_it_and_keeps_what_staff_edited(tmp_path):
    out = tmp_path / "packet"
    first = run_cli("packet", str(EXAMPLES / "teijusha.yaml"), "--out", str(out), "--no-pdf", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    letter = next((out / "docx").glob("*_reason_letter_*.docx"))
    doc = Document(str(letter))
    doc.add_paragraph("事務所で追記した段落")
    doc.save(str(letter))
    second = run_cli("packet", str(EXAMPLES / "teijusha.yaml"), "--out", str(out), "--no-pdf", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert f"kept staff edits: {letter.name}" in second.stdout
    assert "事務所で追記した段落" in [p.text for p in Document(str(letter)).paragraphs]


def test_a_packet_from_before_the_names_carried_the_case_id_is_rebuilt_with_its_edits(tmp_path):
    """An office upgrading docgen: its last packet still has manifest.json, docx/04_reason_letter_….docx."""
    case = case_of(EXAMPLES / "teijusha.yaml", Settings(output_dir=tmp_path))
    out = tmp_path / "packet"
    first = build_packet(case, out=out, pdf=False)
    prefix = f"{case.profile.case_id}-"
    for path in [p for p in out.rglob("*") if p.is_file() and p.name.startswith(prefix)]:
        path.rename(path.with_name(path.name.removeprefix(prefix)))
    manifest = json.loads((out / first.names.manifest.removeprefix(prefix)).read_text(encoding="utf-8"))
    del manifest["case"]["id"]
    for d in manifest["documents"]:
        d["docx"] = d["docx"].replace(prefix, "")
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    old_letter = next((out / "docx").glob("??_reason_letter_*.docx"))
    doc = Document(str(old_letter))
    doc.add_paragraph("旧版で追記した段落")
    doc.save(str(old_letter))

    again = build_packet(case, out=out, pdf=False)
    letter = next(d for d in again.documents if "reason_letter" in d.name)
    assert again.kept_edits == [letter] and letter.name == prefix + old_letter.name
    assert "旧版で追記した段落" in [p.text for p in Document(str(letter)).paragraphs]
    assert not (out / "manifest.json").exists() and again.manifest.exists()
