"""`docgen case new`: staff start a case and get a folder the client and docgen both understand — the profile
skeleton, one evidence folder per item the client brings ('18 パスポート [passport]'), and a handout; every file
carries the case id. A case folder is made whole or not at all: a failure half-way leaves nothing, a run killed
half-way is finished by the next one, and a folder with anything of the staff's in it is never touched."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image

from docgen.case import Settings
from docgen.case.folder import find_case_folders
from docgen.packet.build import build_packet
from tests.conftest import EXAMPLES, case_of, needs_libreoffice

FAKE_SOFFICE = Path(__file__).parent / "faults" / "fake_soffice.sh"


def docgen(*args: str, cwd, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd, env=env or dict(os.environ)
    )


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
    # before the profile is filled in, the folders carry the numbers of the category's checklist
    listed = docgen("checklist", "teijusha", "--date", "2026-12-15", "--format", "text", cwd=tmp_path)
    number = int(passport.split(" ", 1)[0])
    assert any(line.startswith(f"□ {number:>2}. パスポート") for line in listed.stdout.splitlines())
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
    assert "to bring its evidence folders to the filled-in case, run docgen case sync 2026-120-li" in again.stderr
    assert profile.read_text(encoding="utf-8") == "staff work"


def test_a_company_clients_case_starts_with_name_employer_and_staff_in_charge(tmp_path):
    """The same facts the web's new-case form takes, from the command line: the board can then filter on them."""
    from docgen.usecases.case_folder import case_staff

    made = docgen(
        *("case", "new", "2026-121-lee", "--category", "gijinkoku", "--date", "2027-01-20", "--no-pdf"),
        *("--family-name", "lee", "--given-name", "min-jun", "--employer", "みなとテック株式会社", "--staff", "佐藤"),
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    root = tmp_path / "cases" / "2026-121-lee"
    profile = (root / "2026-121-lee-profile.yaml").read_text(encoding="utf-8")
    assert "family_name: LEE" in profile and "given_name: MIN-JUN" in profile
    assert "name: みなとテック株式会社" in profile
    assert "#" in profile  # the skeleton's comments kept
    assert case_staff(root) == "佐藤"
    assert (root / "2026-121-lee-profile.yaml").stat().st_mode & 0o077 == 0


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
    assert "no handout in Chinese (traditional) yet, so it was made in English" in made.stdout
    assert (tmp_path / "cases" / "2026-131-lin" / "2026-131-lin-handout-en.docx").is_file()
    assert not list((tmp_path / "cases" / "2026-131-lin").glob("*-zh*"))


# ---------------------------------------------------------------- whole or not at all

NEW_CASE = ("case", "new", "2026-140-pham", "--category", "gijinkoku", "--date", "2026-12-15")


def without_libreoffice(tmp_path: Path) -> dict[str, str]:
    """The environment of an office machine where LibreOffice is not installed: every program on PATH but soffice."""
    bin_dir = tmp_path / "bin-without-soffice"
    bin_dir.mkdir()
    for folder in os.environ["PATH"].split(os.pathsep):
        for program in Path(folder).glob("*") if Path(folder).is_dir() else []:
            if not program.name.startswith(("soffice", "libreoffice")) and not (bin_dir / program.name).exists():
                (bin_dir / program.name).symlink_to(program)
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_SOFFICE"}
    return {**env, "PATH": str(bin_dir)}


def listing(root: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None) for p in sorted(root.rglob("*"))}


def test_case_new_without_libreoffice_leaves_nothing_and_the_retry_makes_the_case(tmp_path):
    failed = docgen(*NEW_CASE, cwd=tmp_path, env=without_libreoffice(tmp_path))
    assert failed.returncode == 2 and "LibreOffice" in failed.stderr and "Traceback" not in failed.stderr
    assert "was not finished and was removed (nothing is left)" in failed.stderr
    root = tmp_path / "cases" / "2026-140-pham"
    assert not root.exists()

    again = docgen(*NEW_CASE, "--no-pdf", cwd=tmp_path)  # as the message advises
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in root.iterdir() if not p.name.startswith(".")) == [
        "2026-140-pham-folders-ja.txt",
        "2026-140-pham-handout-ja.docx",
        "2026-140-pham-profile.yaml",
        "evidence",
    ]
    assert not (root / ".docgen-case-new").exists()


@needs_libreoffice()
def test_once_libreoffice_is_installed_the_retry_makes_the_pdf_handout(tmp_path):
    assert docgen(*NEW_CASE, cwd=tmp_path, env=without_libreoffice(tmp_path)).returncode == 2
    again = docgen(*NEW_CASE, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    handout = tmp_path / "cases" / "2026-140-pham" / "2026-140-pham-handout-ja.pdf"
    assert handout.read_bytes().startswith(b"%PDF")


def hanging(pids: Path) -> bool:
    """The stand-in LibreOffice has started the child it waits for (its process group is recorded by then)."""
    for pid in pids.read_text().split() if pids.exists() else []:
        with contextlib.suppress(OSError):
            if Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"sleep"):
                return True
    return False


def killed_half_way(tmp_path: Path) -> Path:
    """Run case new with a LibreOffice that hangs and kill docgen outright while it waits (as a power cut or a
    closed terminal does): the case folder is left half-made, without its handout."""
    pids, pgids = tmp_path / "pids", tmp_path / "pgids"
    env = dict(os.environ, DOCGEN_SOFFICE=str(FAKE_SOFFICE), FAKE_MODE="hang", FAKE_PIDS=str(pids))
    env["FAKE_PGIDS"] = str(pgids)
    run = subprocess.Popen([sys.executable, "-m", "docgen", *NEW_CASE], cwd=tmp_path, env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not hanging(pids):
            time.sleep(0.1)
        assert hanging(pids), "LibreOffice was never started"
        os.kill(run.pid, signal.SIGKILL)
        run.wait(timeout=30)
    finally:
        if run.poll() is None:
            os.kill(run.pid, signal.SIGKILL)
            run.wait(timeout=30)
        for pgid in {int(x) for x in (pgids.read_text().split() if pgids.exists() else [])}:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)  # the stand-in LibreOffice this test started
    root = tmp_path / "cases" / "2026-140-pham"
    assert (root / "2026-140-pham-profile.yaml").is_file() and not list(root.glob("*-handout-*"))
    return root


def test_a_case_new_killed_half_way_is_finished_by_the_next_run(tmp_path):
    root = killed_half_way(tmp_path)
    board = docgen("cases", "--cases", str(tmp_path / "cases"), "--format", "json", cwd=tmp_path)
    assert "作成途中の案件フォルダーです" in board.stdout  # the board shows it half-made, never as a finished case
    again = docgen(*NEW_CASE, "--no-pdf", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "the case folder a stopped case new left half-made was made again" in again.stdout
    assert (root / "2026-140-pham-handout-ja.docx").is_file() and not (root / ".docgen-case-new").exists()
    assert [c.case_id for c in find_case_folders(tmp_path / "cases")] == ["2026-140-pham"]


def test_a_half_made_case_folder_with_staff_work_in_it_is_never_touched(tmp_path):
    root = killed_half_way(tmp_path)
    passport = next((root / "evidence").glob("*[[]passport[]]"))
    Image.new("RGB", (800, 1100), "white").save(passport / "旅券.png")  # the client's scan, saved by staff
    before = listing(root)
    again = docgen(*NEW_CASE, "--no-pdf", cwd=tmp_path)
    assert again.returncode == 2 and "holds files docgen did not make (evidence)" in again.stderr
    assert listing(root) == before

    (passport / "旅券.png").unlink()
    profile = root / "2026-140-pham-profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "# staff's note\n", encoding="utf-8")
    before = listing(root)
    again = docgen(*NEW_CASE, "--no-pdf", cwd=tmp_path)
    assert again.returncode == 2 and "(2026-140-pham-profile.yaml)" in again.stderr
    assert listing(root) == before
