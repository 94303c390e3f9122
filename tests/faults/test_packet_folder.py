"""Nothing lost, round two (issue 16): the packet folder is the office's. A rebuild touches only the files its
manifest says docgen wrote and nobody changed; a packet belongs to one case; a corrected name keeps the edit; a
Word file saved during the build is kept; a failure between any two file operations of the final step leaves a
packet the next run completes, with every staff edit."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document

from docgen.case import Settings
from docgen.errors import DocgenError
from docgen.packet import journal
from docgen.packet.build import PacketResult, build_packet
from docgen.packet.journal import JOURNAL, STAGING
from docgen.text import NextStep, Step
from tests.conftest import EXAMPLES, case_of

LETTER_EDIT = "事務所で書き直した理由書の一文です。"


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of a folder with the hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def edit_word(path: Path, sentence: str = LETTER_EDIT) -> None:
    """What staff do in Word: add a sentence and save."""
    doc = Document(str(path))
    doc.add_paragraph(sentence)
    doc.save(str(path))


def word_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def manifest(result: PacketResult) -> dict:
    return json.loads(result.manifest.read_text(encoding="utf-8"))


def consistent(folder: Path) -> dict:
    """A finished packet: no journal, no staging, every file the manifest lists is there as docgen wrote it."""
    assert not (folder / JOURNAL).exists()
    assert not list(folder.glob(f"{STAGING}*"))
    (path,) = folder.glob("*-manifest.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    files = snapshot(folder)
    for rel, sha in data["files"].items():
        assert files.get(rel) == sha, rel
    return data


def family_case(tmp_path: Path, text: str | None = None):
    profile = tmp_path / "case" / "nguyen.yaml"
    profile.parent.mkdir(parents=True, exist_ok=True)
    profile.write_text(text or (EXAMPLES / "gijinkoku-family.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return profile, case_of(profile, Settings(output_dir=tmp_path / "output"))


def letter_of(result: PacketResult, who: str = "nguyen_van_an") -> Path:
    return next(d for d in result.documents if d.name.endswith(f"reason_letter_{who}.docx"))


def test_the_offices_own_files_and_client_edits_survive_a_rebuild(tmp_path):
    _, case = family_case(tmp_path)
    out = tmp_path / "packet"
    first = build_packet(case, out=out, pdf=False)
    (out / "署名済み申請書.pdf").write_bytes(b"%PDF-1.4 the client's signed form")
    (out / "docx" / "メモ.txt").write_text("電話で確認済み", encoding="utf-8")
    (out / "事務所用").mkdir()
    (out / "事務所用" / "控え.txt").write_text("控え", encoding="utf-8")
    translation = next(p for p in first.client_documents if p.suffix == ".docx")
    edit_word(translation, "事務所で直した訳文です。")
    edit_word(letter_of(first))

    second = build_packet(case, out=out, pdf=False)

    assert (out / "署名済み申請書.pdf").read_bytes() == b"%PDF-1.4 the client's signed form"
    assert (out / "docx" / "メモ.txt").read_text(encoding="utf-8") == "電話で確認済み"
    assert (out / "事務所用" / "控え.txt").read_text(encoding="utf-8") == "控え"
    assert "事務所で直した訳文です。" in word_text(translation)
    assert LETTER_EDIT in word_text(letter_of(second))
    assert {p.name for p in second.kept_edits} == {translation.name, letter_of(first).name}
    data = consistent(out)
    assert "署名済み申請書.pdf" not in data["files"] and "docx/メモ.txt" not in data["files"]


def test_files_docgen_no_longer_makes_are_removed_only_when_unchanged(tmp_path):
    profile, case = family_case(tmp_path)
    out = tmp_path / "packet"
    build_packet(case, out=out, pdf=False)
    # the son no longer files with his parents: his documents are no longer made
    son_files = sorted(p for p in (out / "docx").glob("*nguyen_minh*"))
    assert son_files
    edit_word(son_files[0], "息子の書類への書き込み")
    text = profile.read_text(encoding="utf-8")
    last = text.rindex("filing_together: true")
    profile.write_text(text[:last] + "filing_together: false" + text[last + len("filing_together: true") :])
    text = profile.read_text(encoding="utf-8")
    profile.write_text(re.sub(r"(filing_together: false\n)(    application:\n(      .*\n)+)", r"\1", text))
    again = build_packet(case_of(profile, Settings(output_dir=tmp_path)), out=out, pdf=False)
    assert son_files[0].exists() and "息子の書類への書き込み" in word_text(son_files[0])  # staff's: kept
    assert not any(p.exists() for p in son_files[1:])  # docgen's own, unchanged: removed
    assert not any("nguyen_minh" in p.name for p in again.documents)
    consistent(out)


def test_out_at_another_cases_packet_is_refused_and_left_byte_identical(tmp_path):
    _, case_a = family_case(tmp_path)
    out = tmp_path / "packet-a"
    first = build_packet(case_a, out=out, pdf=False)
    edit_word(letter_of(first))
    before = snapshot(out)
    case_b = case_of(EXAMPLES / "teijusha.yaml", Settings(output_dir=tmp_path))
    with pytest.raises(DocgenError) as refused:
        build_packet(case_b, out=out, pdf=False)
    assert case_a.profile.case_id in str(refused.value) and case_b.profile.case_id in str(refused.value)
    assert snapshot(out) == before


def test_a_corrected_spelling_keeps_the_edit_and_renames_the_file(tmp_path):
    profile, case = family_case(tmp_path)
    out = tmp_path / "packet"
    first = build_packet(case, out=out, pdf=False)
    old = letter_of(first)
    edit_word(old)
    profile.write_text(profile.read_text(encoding="utf-8").replace("given_name: VAN AN", "given_name: VAN ANH"))
    second = build_packet(case_of(profile, Settings(output_dir=tmp_path)), out=out, pdf=False)
    new = letter_of(second, "nguyen_van_anh")
    assert not old.exists() and new.exists()
    assert LETTER_EDIT in word_text(new)
    assert new in second.kept_edits
    assert any(new.name in note for note in map(str, second.notes))  # docgen's content changed since: review it
    consistent(out)


def test_a_word_file_saved_during_the_rebuild_is_kept_and_reported(tmp_path):
    profile, case = family_case(tmp_path)
    out = tmp_path / "packet"
    first = build_packet(case, out=out, pdf=False)
    letter = letter_of(first)

    def staff_save(message: str) -> None:  # staff press Ctrl-S in Word while docgen is working
        if message.startswith("collecting evidence"):
            edit_word(letter)

    changed = profile.read_text(encoding="utf-8").replace("2026-12-15", "2026-12-16")
    profile.write_text(changed, encoding="utf-8")  # every document is written again
    second = build_packet(case_of(profile, Settings(output_dir=tmp_path)), out=out, pdf=False, progress=staff_save)
    assert LETTER_EDIT in word_text(letter)
    assert f"docx/{letter.name}" in second.kept_files
    data = consistent(out)
    assert f"docx/{letter.name}" not in data["files"] and "kept_files" in data["stale"]
    third = build_packet(case_of(profile, Settings(output_dir=tmp_path)), out=out, pdf=False)
    assert letter in third.kept_edits and LETTER_EDIT in word_text(letter)  # from now on, staff's edit


def test_a_profile_edited_during_the_build_leaves_a_packet_marked_stale(tmp_path):
    profile, case = family_case(tmp_path)
    read = hashlib.sha256(profile.read_bytes()).hexdigest()

    def staff_edit_profile(message: str) -> None:
        if message.startswith("collecting evidence"):
            profile.write_text(profile.read_text(encoding="utf-8") + "\n# 追記\n", encoding="utf-8")

    result = build_packet(case, out=tmp_path / "packet", pdf=False, progress=staff_edit_profile)
    data = manifest(result)
    assert data["inputs"]["profile"]["sha256"] == read  # the bytes the packet was built from
    assert "profile_changed" in data["stale"]
    assert any("profile changed" in n for n in map(str, result.notes))


class Stop(Exception):
    """A failure injected between two file operations."""


def stop_at_rename(monkeypatch: pytest.MonkeyPatch, n: int) -> list[Path]:
    """From now on the n-th rename of a final step raises Stop (n = 0: none does); returns the renames made."""
    renamed: list[Path] = []
    real = journal._rename

    def rename(source: Path, target: Path) -> None:
        renamed.append(target)
        if len(renamed) == n:
            raise Stop(n)
        real(source, target)

    monkeypatch.setattr(journal, "_rename", rename)
    return renamed


@pytest.fixture(scope="module")
def renames(tmp_path_factory) -> int:
    """How many renames the final step of the prepared rebuild makes when it runs to the end."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        profile, out, _ = _prepared(tmp_path_factory.mktemp("count"), 0)
        renamed = stop_at_rename(monkeypatch, 0)
        build_packet(case_of(profile, Settings()), out=out, pdf=False)
        return len(renamed)


def _prepared(tmp_path: Path, n: int):
    """A single applicant's packet with a staff edit and an office file, and a profile changed since, so that
    the next build replaces every generated file."""
    root = tmp_path / f"run{n}"
    profile = root / "teijusha.yaml"
    root.mkdir()
    shutil.copyfile(EXAMPLES / "teijusha.yaml", profile)
    out = root / "packet"
    first = build_packet(case_of(profile, Settings(output_dir=root)), out=out, pdf=False)
    letter = next(d for d in first.documents if "reason_letter" in d.name)
    edit_word(letter)
    (out / "office-note.txt").write_text("keep me", encoding="utf-8")
    text = profile.read_text(encoding="utf-8")
    planned = re.search(r"application_date: (\S+)", text)
    assert planned
    moved = (date.fromisoformat(planned.group(1)) + timedelta(days=1)).isoformat()
    profile.write_text(text.replace(planned.group(0), f"application_date: {moved}"), encoding="utf-8")
    return profile, out, letter


def _finished_with_every_edit(profile: Path, out: Path, letter: Path) -> None:
    again = build_packet(case_of(profile, Settings(output_dir=out.parent)), out=out, pdf=False)
    assert LETTER_EDIT in word_text(letter) and letter in again.kept_edits
    assert (out / "office-note.txt").read_text(encoding="utf-8") == "keep me"
    consistent(out)


def test_a_failure_between_any_two_file_operations_is_finished_by_the_next_run(tmp_path, monkeypatch, renames):
    assert renames > 10  # every generated file is replaced, a staff edit kept, an office file left alone
    for k in range(renames):
        profile, out, letter = _prepared(tmp_path, k + 1)
        stop_at_rename(monkeypatch, k + 1)
        with pytest.raises(Stop):
            build_packet(case_of(profile, Settings()), out=out, pdf=False)
        monkeypatch.undo()
        assert LETTER_EDIT in word_text(letter)  # never lost, even in the middle
        _finished_with_every_edit(profile, out, letter)


@pytest.mark.parametrize("k", [0, 1, 5, 12, -2, -1])
def test_a_kill_between_two_file_operations_is_finished_by_the_next_run(tmp_path, k, renames):
    """The process dies at once (no exception handler runs), at the k-th rename of the final step."""
    profile, out, letter = _prepared(tmp_path, 0)
    script = f"""
import os, sys
from pathlib import Path
sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
from docgen.case import Settings
from docgen.packet import journal
from docgen.packet.build import build_packet
from tests.conftest import case_of
real, calls = journal._rename, []
total = int(sys.argv[1])
def dying(source, target):
    calls.append(target)
    if len(calls) == total:
        os._exit(9)
    real(source, target)
journal._rename = dying
build_packet(case_of(Path({str(profile)!r}), Settings()), out=Path({str(out)!r}), pdf=False)
"""
    at = k if k >= 0 else renames + k
    run = subprocess.run([sys.executable, "-c", script, str(at + 1)], capture_output=True, text=True)
    assert run.returncode == 9, run.stderr
    assert (out / JOURNAL).exists() or at == 0  # the plan is on disk before the first file moves
    _finished_with_every_edit(profile, out, letter)


def test_a_build_killed_while_rendering_leaves_nothing_the_next_run_does_not_remove(tmp_path):
    profile, out, letter = _prepared(tmp_path, 0)
    staging = out / f"{STAGING}99999999"
    (staging / "new" / "docx").mkdir(parents=True)
    (staging / "new" / "docx" / "filled.docx").write_bytes(b"personal data")
    _finished_with_every_edit(profile, out, letter)
    assert not staging.exists()


def test_a_second_build_of_the_same_packet_is_refused_while_one_runs(tmp_path):
    _, case = family_case(tmp_path)
    out = tmp_path / "packet"
    build_packet(case, out=out, pdf=False)
    before = snapshot(out)
    refused = []

    def second_run(message: str) -> None:
        if message.startswith("filling") and not refused:
            with pytest.raises(DocgenError, match="being built by another") as exc:
                build_packet(case, out=out, pdf=False)
            refused.append(exc.value)

    build_packet(case, out=out, pdf=False, progress=second_run)
    assert refused and snapshot(out).keys() == before.keys()


def test_regenerate_with_an_unknown_name_lists_the_names_it_knows(tmp_path):
    _, case = family_case(tmp_path)
    out = tmp_path / "packet"
    first = build_packet(case, out=out, pdf=False)
    before = snapshot(out)
    with pytest.raises(DocgenError) as refused:
        build_packet(case, out=out, pdf=False, regenerate={"reason_leter_nguyen"})
    assert "reason_leter_nguyen" in str(refused.value)
    assert first.names.key(letter_of(first)) in str(refused.value)
    assert snapshot(out) == before


def test_a_damaged_word_file_is_named_with_the_advice_to_regenerate_it(tmp_path):
    _, case = family_case(tmp_path)
    out = tmp_path / "packet"
    first = build_packet(case, out=out, pdf=False)
    letter = letter_of(first)
    letter.write_bytes(letter.read_bytes()[:500])  # Word was killed while saving
    with pytest.raises(DocgenError) as refused:
        build_packet(case, out=out, pdf=False)
    key = first.names.key(letter)
    assert letter.name in str(refused.value) and "make it again" in str(refused.value)
    assert refused.value.steps == (NextStep(Step.REGENERATE, key),)
    again = build_packet(case, out=out, pdf=False, regenerate={key})
    assert letter not in again.kept_edits and word_text(letter)


def test_a_packet_built_with_office_settings_is_not_rebuilt_without_them(tmp_path):
    office = tmp_path / "office"
    case_dir = office / "cases" / "2026-102-nguyen"
    case_dir.mkdir(parents=True)
    shutil.copyfile(EXAMPLES / "gijinkoku-family.yaml", case_dir / "2026-102-nguyen-profile.yaml")
    (office / "docgen.toml").write_text(
        '[office]\nname = "山田 花子"\noffice = "山田行政書士事務所"\nregistration_number = "第12345678号"\n'
        'address = "東京都千代田区神田一丁目1番1号"\nphone = "03-3333-4444"\n',
        encoding="utf-8",
    )
    profile = "office/cases/2026-102-nguyen/2026-102-nguyen-profile.yaml"

    def docgen(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "docgen", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**os.environ, **(env or {})},
        )

    built = docgen("packet", profile, "--no-pdf")  # from another folder: the settings near the case are found
    assert built.returncode == 0, built.stderr
    assert f"settings: {office / 'docgen.toml'}" in built.stdout
    packet = case_dir / "2026-102-nguyen-packet"
    data = json.loads((packet / "2026-102-nguyen-manifest.json").read_text(encoding="utf-8"))
    assert data["settings"]["file"] == str(office / "docgen.toml")
    before = snapshot(packet)
    (office / "docgen.toml").rename(office / "docgen.toml.bak")
    refused = docgen("packet", profile, "--no-pdf")
    assert refused.returncode == 2 and "office settings" in refused.stderr and "Traceback" not in refused.stderr
    assert snapshot(packet) == before


def test_a_case_yaml_in_a_case_folder_is_packed_there_and_an_interrupted_rebuild_shows_on_the_board(
    tmp_path, monkeypatch
):
    from datetime import datetime

    from docgen.board import build_board
    from tests.conftest import RULES

    root = tmp_path / "cases" / "2026-101-wang"
    (root / "evidence" / "residence_certificate").mkdir(parents=True)
    shutil.copyfile(EXAMPLES / "gijinkoku-single.yaml", root / "case.yaml")  # as `profile init --out case.yaml`
    shutil.copyfile(
        EXAMPLES / "evidence" / "residence_certificate" / "juminhyo-sample.pdf",
        root / "evidence" / "residence_certificate" / "juminhyo.pdf",
    )
    case = case_of(root / "case.yaml", Settings(output_dir=tmp_path / "output"))
    first = build_packet(case, evidence=root / "evidence", pdf=False)
    assert first.folder == root / "2026-101-wang-packet"

    stop_at_rename(monkeypatch, 3)  # the journal is written (its own rename first), one file is moved
    changed = (root / "case.yaml").read_text(encoding="utf-8").replace("2026-12-15", "2026-12-16")
    (root / "case.yaml").write_text(changed, encoding="utf-8")
    with pytest.raises(Stop):
        build_packet(case_of(root / "case.yaml", Settings()), pdf=False)
    monkeypatch.undo()
    (row,) = build_board(tmp_path / "cases", Settings(), RULES, now=datetime.now().astimezone()).rows
    assert any("途中で止まっています" in note.ja for note in row.notes)
    again = build_packet(case_of(root / "case.yaml", Settings()), pdf=False)
    assert again.recovered
    (row,) = build_board(tmp_path / "cases", Settings(), RULES, now=datetime.now().astimezone()).rows
    assert not any("途中で止まっています" in note.ja for note in row.notes)
