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
from docgen.errors import DocgenError
from docgen.packet.build import build_packet
from docgen.text import NextStep, Step
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
    del manifest["case"]["id"], manifest["files"], manifest["missing"]  # that version recorded none of these
    for d in manifest["documents"]:
        d["docx"] = d["docx"].replace(prefix, "")
        del d["key"]
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
    assert not [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(prefix)]  # no leftover


def test_an_edited_letter_the_profile_has_since_changed_is_flagged_until_staff_review_it(tmp_path):
    """Staff edit the 理由書, then the client's employer changes in the profile: the edit is kept, but docgen
    says the letter no longer matches what it would write, --final refuses, and it stays flagged until staff
    have looked at it (saved it again) or regenerated it."""
    profile = tmp_path / "case.yaml"
    profile.write_text((EXAMPLES / "teijusha.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "packet"
    first = build_packet(case_of(profile, Settings(output_dir=tmp_path)), out=out, pdf=False)
    letter = next(d for d in first.documents if "reason_letter" in d.name)
    doc = Document(str(letter))
    doc.add_paragraph("事務所で追記した段落")
    doc.save(str(letter))
    unchanged = build_packet(case_of(profile, Settings(output_dir=tmp_path)), out=out, pdf=False)
    assert unchanged.kept_edits == [letter] and not any("見直して" in n for n in map(str, unchanged.notes))

    text = profile.read_text(encoding="utf-8").replace("浜松部品工業株式会社", "遠州精機株式会社")
    profile.write_text(text, encoding="utf-8")
    changed = build_packet(case_of(profile, Settings(output_dir=tmp_path)), out=out, pdf=False)
    assert changed.kept_edits == [letter]
    (note,) = [n for n in changed.notes if letter.name in str(n)]
    assert str(note).startswith("理由書（SILVA PEDRO）: ")
    assert note.steps == (NextStep(Step.REGENERATE, "reason_letter_silva_pedro"),)  # the face says how
    assert letter.name in changed.report.read_text(encoding="utf-8")
    with pytest.raises(DocgenError, match="not ready to file") as refused:
        build_packet(case_of(profile, Settings(output_dir=tmp_path)), out=out, pdf=False, final=True)
    assert "理由書（SILVA PEDRO）" in str(refused.value)
    again = build_packet(case_of(profile, Settings(output_dir=tmp_path)), out=out, pdf=False)
    assert any(letter.name in n for n in map(str, again.notes))  # still flagged: nobody has looked at it yet

    doc = Document(str(letter))
    doc.add_paragraph("勤務先の変更を反映しました")
    doc.save(str(letter))
    reviewed = build_packet(case_of(profile, Settings(output_dir=tmp_path)), out=out, pdf=False)
    assert reviewed.kept_edits == [letter] and not any(letter.name in n for n in map(str, reviewed.notes))


def test_a_form_without_the_reason_for_applying_asks_for_it(tmp_path):
    """申請書 item 14 is never printed blank: without `reason` in the profile it is a ［ ］ for the office."""
    text = (EXAMPLES / "teijusha.yaml").read_text(encoding="utf-8")
    profile = tmp_path / "case.yaml"
    profile.write_text("\n".join(x for x in text.splitlines() if not x.strip().startswith("reason:")), encoding="utf-8")
    result = build_packet(case_of(profile, Settings(output_dir=tmp_path)), out=tmp_path / "p", pdf=False)
    form = [p for p in result.placeholders if p.document.startswith("永住許可申請書")]
    assert "［永住許可を申請する理由を簡潔に記入（詳しくは理由書）］" in [p.text for p in form]


def test_a_simplified_character_typed_by_the_client_is_pointed_out_before_filing(tmp_path):
    text = (EXAMPLES / "gijinkoku-single.yaml").read_text(encoding="utf-8").replace("王 小明", "王 伟")
    profile = tmp_path / "case.yaml"
    profile.write_text(text, encoding="utf-8")
    result = build_packet(case_of(profile, Settings(output_dir=tmp_path)), out=tmp_path / "p", pdf=False)
    (note,) = [str(n) for n in result.notes if "applicant.name_kanji" in str(n)]
    assert "伟" in note and "偉" in note and "王" not in note  # the character, never the whole name
    assert note in result.report.read_text(encoding="utf-8")
