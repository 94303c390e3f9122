"""`docgen case new`: staff start a case and get a folder the client and docgen both understand — the profile
skeleton, one evidence folder per item the client brings ('18 パスポート [passport]'), and a handout; every file
carries the case id."""

from __future__ import annotations

import shutil
import subprocess
import sys

from PIL import Image

from docgen.case import Settings
from docgen.case.folder import find_case_folders
from docgen.packet.build import build_packet
from tests.conftest import EXAMPLES, case_of


def docgen(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd)


def test_a_new_case_folder_and_the_packet_finds_scans_in_it(tmp_path):
    made = docgen(
        "case",
        "new",
        "2026-120-li",
        "--category",
        "teijusha",
        "--date",
        "2026-12-15",
        "--lang",
        "zh",
        "--no-pdf",
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    root = tmp_path / "cases" / "2026-120-li"
    names = sorted(p.name for p in root.iterdir() if not p.name.startswith("."))
    assert names == [
        "2026-120-li-folders-zh.txt",
        "2026-120-li-handout-zh.docx",
        "2026-120-li-profile.yaml",
        "evidence",
    ]
    skeleton = (root / "2026-120-li-profile.yaml").read_text(encoding="utf-8")
    assert "case_id: 2026-120-li" in skeleton and "application_date: 2026-12-15" in skeleton
    folders = sorted(p.name for p in (root / "evidence").iterdir() if p.is_dir())
    passport = next(f for f in folders if f.endswith("[passport]"))
    assert passport.split(" ", 1)[1].startswith("パスポート")
    assert not [f for f in folders if "[application_form]" in f or "[reason_letter]" in f]  # docgen fills those
    guide = (root / "2026-120-li-folders-zh.txt").read_text(encoding="utf-8")
    assert passport in guide and "护照" in guide
    assert [c.case_id for c in find_case_folders(tmp_path / "cases")] == ["2026-120-li"]

    # the office fills the profile in; the client drops a scan into the passport folder
    text = (EXAMPLES / "teijusha.yaml").read_text(encoding="utf-8")
    old_id = next(x for x in text.splitlines() if x.startswith("case_id:"))
    (root / "2026-120-li-profile.yaml").write_text(text.replace(old_id, "case_id: 2026-120-li"), encoding="utf-8")
    Image.new("RGB", (800, 1100), "white").save(root / "evidence" / passport / "旅券.png")
    case = case_of(root / "2026-120-li-profile.yaml", Settings(output_dir=tmp_path / "out"))
    result = build_packet(case, out=root / "2026-120-li-packet", evidence=root / "evidence", pdf=False)
    assert "passport" not in {i.id for i in result.missing} and not result.unmatched and not result.rejected


def test_an_existing_case_is_never_touched(tmp_path):
    args = ("case", "new", "2026-120-li", "--category", "teijusha", "--date", "2026-12-15", "--no-pdf")
    assert docgen(*args, cwd=tmp_path).returncode == 0
    profile = tmp_path / "cases" / "2026-120-li" / "2026-120-li-profile.yaml"
    profile.write_text("staff work", encoding="utf-8")
    again = docgen(*args, cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr
    assert profile.read_text(encoding="utf-8") == "staff work"


def test_a_bad_case_id_or_category_is_a_message(tmp_path):
    bad_id = docgen("case", "new", "../escape", "--category", "teijusha", "--date", "2026-12-15", cwd=tmp_path)
    assert bad_id.returncode == 2 and "case id" in bad_id.stderr
    bad_cat = docgen("case", "new", "2026-1", "--category", "nope", "--date", "2026-12-15", cwd=tmp_path)
    assert bad_cat.returncode == 2 and "Traceback" not in bad_cat.stderr
    assert not (tmp_path / "cases").exists() or not any((tmp_path / "cases").iterdir())
    shutil.rmtree(tmp_path / "cases", ignore_errors=True)


def test_a_clients_handout_carries_the_case_id(tmp_path):
    made = docgen(
        "checklist",
        "teijusha",
        "--profile",
        str(EXAMPLES / "teijusha.yaml"),
        "--lang",
        "zh",
        "--format",
        "docx",
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    (written,) = (tmp_path / "output").glob("*.docx")
    case_id = next(
        x for x in (EXAMPLES / "teijusha.yaml").read_text(encoding="utf-8").splitlines() if x.startswith("case_id:")
    )
    assert written.name.startswith(case_id.split(":")[1].strip() + "-checklist-teijusha-")


def test_a_vietnamese_client_gets_the_handout_and_folder_list_in_english(tmp_path):
    # the client's questionnaire can be in Vietnamese (docgen intake new --lang vi); the handout cannot yet, so it is
    # made in English and named so — never half Vietnamese, never in another language the client does not read
    made = docgen(
        "case",
        "new",
        "2026-130-nguyen",
        "--category",
        "技術・人文知識・国際業務",  # the Japanese title, as `docgen categories` lists it
        "--date",
        "２０２６／１２／０１",  # typed with the Japanese keyboard still in full-width mode
        "--lang",
        "vi",
        "--no-pdf",
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    assert "there is no handout in Vietnamese yet, so it was made in English" in made.stdout
    root = tmp_path / "cases" / "2026-130-nguyen"
    names = sorted(p.name for p in root.iterdir() if not p.name.startswith("."))
    assert names == [
        "2026-130-nguyen-folders-en.txt",
        "2026-130-nguyen-handout-en.docx",
        "2026-130-nguyen-profile.yaml",
        "evidence",
    ]
    assert "client handout: 2026-130-nguyen-handout-en.docx" in made.stdout
    guide = (root / "2026-130-nguyen-folders-en.txt").read_text(encoding="utf-8")
    assert guide.startswith("Where each document goes") and "Passport" in guide
    skeleton = (root / "2026-130-nguyen-profile.yaml").read_text(encoding="utf-8")
    assert "\ncategory: gijinkoku" in skeleton and "application_date: 2026-12-01" in skeleton


def test_a_taiwanese_client_is_not_given_the_simplified_chinese_handout(tmp_path):
    from docgen.case.new import handout_language

    assert [handout_language(x) for x in ("ja", "en", "zh", "zh-TW", "vi")] == ["ja", "en", "zh", "en", "en"]
    options = ("--category", "teijusha", "--date", "2026-12-15", "--lang", "zh-TW", "--no-pdf")
    made = docgen("case", "new", "2026-131-lin", *options, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "no handout in Traditional Chinese yet, so it was made in English" in made.stdout
    assert (tmp_path / "cases" / "2026-131-lin" / "2026-131-lin-handout-en.docx").is_file()
    assert not list((tmp_path / "cases" / "2026-131-lin").glob("*-zh*"))
