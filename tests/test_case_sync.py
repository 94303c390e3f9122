"""`docgen case sync`: staff start a family case with `case new` before they know the family, the client brings
scans into the numbered folders, the questionnaire fills the profile in — and the folders follow the case: the
numbers of the 提出書類一覧表 and of the handout made from the profile, the 身分関係 folder the 家族滞在 wife and
child need, every scan still where the client put it, and a report of what changed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from docgen.assessment import assess_case
from docgen.case import Settings, sync_plan
from docgen.case import sync as case_sync
from docgen.case.folder import item_folder_name
from docgen.checklist import case_checklist
from docgen.errors import DocgenError
from docgen.packet.build import build_packet
from docgen.packet.index import index_rows
from docgen.packet.safe_write import private_file
from tests.conftest import EXAMPLES, NOW, RULES, case_of

CASE = "2026-150-family"
FAMILY = EXAMPLES / "gijinkoku-family.yaml"  # 技人国 husband, 家族滞在 wife and child filing together


def docgen(*args: str, cwd: Path, lang: str = "en") -> subprocess.CompletedProcess:
    env = dict(os.environ, DOCGEN_LANG=lang)
    return subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd, env=env)


def new_family_case(tmp_path: Path) -> Path:
    """`case new` on the first call: the family is not known yet, only the husband's category."""
    made = docgen(
        "case", "new", CASE, "--category", "gijinkoku", "--date", "2026-12-15", "--lang", "zh", "--no-pdf", cwd=tmp_path
    )
    assert made.returncode == 0, made.stderr
    return tmp_path / "cases" / CASE


def fill_profile(root: Path) -> Path:
    """What intake import leaves: the family's profile in place of the skeleton, written as docgen writes it."""
    text = FAMILY.read_text(encoding="utf-8")
    old_id = next(x for x in text.splitlines() if x.startswith("case_id:"))
    profile = root / f"{CASE}-profile.yaml"
    with private_file(profile) as part:  # as `intake import` replaces the skeleton case new wrote
        part.write_text(text.replace(old_id, f"case_id: {CASE}"), encoding="utf-8")
    return profile


def folders(root: Path) -> dict[str, str]:
    """The evidence folders docgen knows, by item id."""
    return {p.name.rsplit("[", 1)[1].rstrip("]"): p.name for p in (root / "evidence").iterdir() if p.name.endswith("]")}


def listing(root: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None) for p in sorted(root.rglob("*"))}


def index_of(profile: Path, tmp_path: Path) -> dict[str, tuple[int, str]]:
    """Each item's number and title in the case's 提出書類一覧表, as the packet's index numbers them."""
    case = case_of(profile, Settings(cases_dir=tmp_path / "cases", output_dir=tmp_path / "out"))
    return {row.item_id: (row.number, row.title) for row in index_rows(case_checklist(case, assess_case(case)), {}, {})}


def number(folder_name: str) -> int:
    return int(folder_name.split(" ", 1)[0])


def scan(folder: Path, name: str) -> bytes:
    Image.new("RGB", (800, 1100), "white").save(folder / name)
    return (folder / name).read_bytes()


def test_after_intake_the_folders_carry_the_index_numbers_and_keep_the_scans(tmp_path):
    root = new_family_case(tmp_path)
    before = folders(root)
    assert "relationship_proof" not in before  # 身分関係 is a 家族滞在 item: not known to be needed yet
    juminhyo = root / "evidence" / before["residence_certificate"]
    juminhyo_scan = scan(juminhyo, "住民票.png")
    passport_scan = scan(root / "evidence" / before["passport"], "旅券.png")
    inode = juminhyo.stat().st_ino
    profile = fill_profile(root)
    index = {i: n for i, (n, _) in index_of(profile, tmp_path).items()}
    assert number(before["residence_certificate"]) != index["residence_certificate"]  # the folder says 08, the index 5

    synced = docgen("case", "sync", CASE, cwd=tmp_path)
    assert synced.returncode == 0, synced.stderr

    # the numbers are the 提出書類一覧表's, for every item the client brings
    after = folders(root)
    needed = {i: index[i] for i in after if i in index}
    assert {i: number(after[i]) for i in needed} == needed and len(needed) > 10
    assert after["relationship_proof"].endswith(
        "身分関係を証明する資料（戸籍謄本・出生証明書・婚姻証明書等） [relationship_proof]"
    )
    assert after["residence_certificate"].startswith(f"{index['residence_certificate']:02d} 住民票")
    assert (root / "evidence" / after["relationship_proof"]).stat().st_mode & 0o777 == 0o700
    # the same folder, renamed: the scan inside untouched
    moved = root / "evidence" / after["residence_certificate"]
    assert moved.stat().st_ino == inode and (moved / "住民票.png").read_bytes() == juminhyo_scan
    assert (root / "evidence" / after["passport"] / "旅券.png").read_bytes() == passport_scan
    assert not juminhyo.exists()

    # the report says what changed, by item title and folder name, never a profile value
    out = synced.stdout
    assert f"evidence folders follow the index (提出書類一覧表) numbers: {root / 'evidence'}" in out
    assert f"  added: {after['relationship_proof']}" in out
    assert (
        f"  renumbered: {before['residence_certificate'][:2]} → {after['residence_certificate']} (contents kept)" in out
    )
    assert f"  no longer needed (empty, left): {before['employer_social_insurance']}" in out  # an owner's item
    assert f"{CASE}-folders-zh.txt was written again with the new numbers" in out
    handout = f"the client handout {CASE}-handout-zh.docx has the old numbers; make it again"
    assert f"{handout} (to make it again: docgen checklist" in out  # the step, as the command line takes it
    assert not [name for name in ("NGUYEN", "TRAN", "BINH", "MINH") if name in (out + synced.stderr).upper()]
    folder_list = (root / f"{CASE}-folders-zh.txt").read_text(encoding="utf-8")
    assert after["relationship_proof"] in folder_list and after["residence_certificate"] in folder_list
    assert before["residence_certificate"] not in folder_list

    # the handout made from the profile numbers 住民票 5, as its folder
    handout = docgen("checklist", "gijinkoku", "--profile", str(profile), "--format", "text", cwd=tmp_path)
    assert handout.returncode == 0, handout.stderr
    assert any(
        line.startswith(f"□ {index['residence_certificate']:>2}. 住民票") for line in handout.stdout.splitlines()
    )

    # a second run changes nothing, and says so (in Japanese, as staff read it)
    settled = listing(root)
    again = docgen("case", "sync", str(root), cwd=tmp_path, lang="ja")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("変更はありません（証拠フォルダーは提出書類一覧表の番号どおりです）")
    assert f"  不要（空のフォルダー、残しています）: {before['employer_social_insurance']}" in again.stdout
    assert "追加:" not in again.stdout and "番号を変更:" not in again.stdout
    assert listing(root) == settled

    # the packet still finds the scans in the renumbered folders, by the bracketed id
    case = case_of(profile, Settings(cases_dir=tmp_path / "cases", output_dir=tmp_path / "out"))
    result = build_packet(case, out=root / f"{CASE}-packet", evidence=root / "evidence", pdf=False)
    assert not result.unmatched and not result.rejected
    assert not {"residence_certificate", "passport"} & {i.id for i in result.missing}
    used = sorted(p.name for p in (root / f"{CASE}-packet" / "evidence").iterdir())
    assert used == [f"{CASE}-000-residence_certificate.pdf", f"{CASE}-001-passport.pdf"]
    # and so does the board, which reads the packet's record: 身分関係 still to come, 住民票 and passport received
    board = docgen("cases", "--cases", str(tmp_path / "cases"), "--format", "json", cwd=tmp_path)
    (row,) = json.loads(board.stdout)["cases"]
    waiting = row["packet"]["missing_from_client"]
    assert any(t.startswith("身分関係を証明する資料") for t in waiting)
    assert not [t for t in waiting if t.startswith(("住民票", "パスポート"))]


def test_staff_folders_and_files_are_left_and_reported(tmp_path):
    root = new_family_case(tmp_path)
    before = folders(root)
    evidence = root / "evidence"
    # staff renamed the passport folder their own way (no [id]): docgen leaves it and makes the item's folder
    (evidence / before["passport"]).rename(evidence / "パスポート（本人分）")
    own = scan(evidence / "パスポート（本人分）", "旅券.png")
    # the client put a scan into a folder the case turns out not to need
    unneeded = evidence / before["employer_social_insurance"]
    (unneeded / "領収書.pdf").write_bytes(b"%PDF-1.4 client's receipt")
    index = index_of(fill_profile(root), tmp_path)
    # a staff file already has the name the 身分関係 folder would get
    taken = evidence / item_folder_name(*index["relationship_proof"], "relationship_proof")
    taken.write_text("staff memo", encoding="utf-8")

    synced = docgen("case", "sync", CASE, cwd=tmp_path)
    assert synced.returncode == 0, synced.stderr
    out = synced.stdout
    assert "  a folder without an item id [ ] was left alone: パスポート（本人分）" in out
    assert (evidence / "パスポート（本人分）" / "旅券.png").read_bytes() == own
    passport = item_folder_name(*index["passport"], "passport")
    assert f"  added: {passport}" in out and (evidence / passport).is_dir()
    assert f"  no longer needed, but it holds files and was left (check them): {unneeded.name}" in out
    assert (unneeded / "領収書.pdf").read_bytes() == b"%PDF-1.4 client's receipt"
    assert f"  not made or renamed, the name is already taken: {taken.name}" in out
    assert taken.read_text(encoding="utf-8") == "staff memo"


def test_a_folder_that_is_not_a_docgen_case_is_refused(tmp_path):
    stranger = tmp_path / "scans-from-the-client"
    stranger.mkdir()
    (stranger / "07 住民税 [resident_tax_certificates]").mkdir(parents=True)
    refused = docgen("case", "sync", str(stranger), cwd=tmp_path)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert f"{stranger} is not a docgen case folder (it has no evidence folder); nothing was changed" in refused.stderr

    (stranger / "evidence").mkdir()
    refused = docgen("case", "sync", str(stranger), cwd=tmp_path)
    assert refused.returncode == 2 and "is not a docgen case folder (it has no profile)" in refused.stderr

    unknown = docgen("case", "sync", "2026-999-nobody", cwd=tmp_path)
    assert unknown.returncode == 2 and "case folder 2026-999-nobody not found" in unknown.stderr

    root = new_family_case(tmp_path)
    untouched = listing(root)
    early = docgen("case", "sync", CASE, cwd=tmp_path)  # before intake: the skeleton as case new wrote it
    assert early.returncode == 2 and "Traceback" not in early.stderr
    assert f"{CASE}-profile.yaml is still as case new made it; fill it in" in early.stderr
    assert listing(root) == untouched

    profile = root / f"{CASE}-profile.yaml"  # staff began typing the profile by hand
    profile.write_text(profile.read_text(encoding="utf-8").replace("  family_name:  #", "  family_name: LI  #", 1))
    untouched = listing(root)
    half = docgen("case", "sync", CASE, cwd=tmp_path)
    assert half.returncode == 2 and "Traceback" not in half.stderr
    assert re.search(rf"{re.escape(str(profile))}, line \d+ \[applicant.given_name\]: this field is empty", half.stderr)
    assert listing(root) == untouched


def test_a_rename_failing_half_way_says_what_was_done_and_the_next_run_finishes(tmp_path, monkeypatch):
    root = new_family_case(tmp_path)
    before = folders(root)
    inside = scan(root / "evidence" / before["pension_records"], "ねんきん定期便.png")
    index = index_of(fill_profile(root), tmp_path)
    renumbered = [i for i, name in before.items() if i in index and number(name) != index[i][0]]
    settings = Settings(cases_dir=tmp_path / "cases", output_dir=tmp_path / "out")

    real, renamed = sync_plan._rename, []

    def rename(source: Path, target: Path) -> None:
        if len(renamed) == 3:
            raise OSError(13, "Permission denied")  # a folder open in Explorer on the office's file server
        real(source, target)
        renamed.append(target.name)

    monkeypatch.setattr(sync_plan, "_rename", rename)
    with pytest.raises(DocgenError) as stopped:
        case_sync.sync_case_folder(CASE, settings, RULES, NOW)
    message = str(stopped.value)
    assert "changing the evidence folders failed half-way" in message and "Permission denied" in message
    made, not_made = message.split("\nnot made:\n")
    assert all(f"renumbered: {before[i.rsplit('[', 1)[1][:-1]][:2]} → {i}" in made for i in renamed)
    assert "added:" not in made  # the new folders come after the renames, and were not made
    assert "relationship_proof" in not_made and "run docgen case sync again" in not_made
    half = folders(root)
    assert sorted(n for n in half.values() if n not in before.values()) == sorted(renamed)

    monkeypatch.setattr(sync_plan, "_rename", real)
    finished = case_sync.sync_case_folder(CASE, settings, RULES, NOW)
    assert len(finished.renamed) == len(renumbered) - 3
    assert finished.added == [item_folder_name(*index["relationship_proof"], "relationship_proof")]
    after = folders(root)
    assert all(number(after[i]) == index[i][0] for i in renumbered)
    assert (root / "evidence" / after["pension_records"] / "ねんきん定期便.png").read_bytes() == inside
