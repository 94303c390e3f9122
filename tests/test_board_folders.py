"""The board never hides a case. Staff keep case folders their own way: a profile saved as `case.yaml` (what
`docgen profile init --out case.yaml` makes), a folder made but still empty, two copies of a profile side by side,
an old profile next to the one `docgen case new` wrote, a 60 KB file of nested '[' and a profile on a disk that
fails to read. `docgen cases` lists every folder, each with its case or why it is not one; only folders whose
names start with '.' are left off (the documented way to keep an archive off the board)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from docgen.board.build import folder_row
from docgen.board.model import NO_PROFILE, PROFILE_ERROR, SEVERAL_PROFILES, UNREADABLE
from docgen.case import Settings
from docgen.case.folder import choose_profile, find_case_folders
from docgen.text import Text
from tests.conftest import EXAMPLES, NOW, RULES

TODAY = date.today()
FILED = TODAY + timedelta(days=40)

IN_CASE_YAML = "2026-301-lopez"  # profile init --out case.yaml, then filled in
SKELETON = "2026-302-kim"  # profile init --out case.yaml, not filled in yet
EMPTY = "2026-303-ito"  # a folder made by hand, nothing in it yet
TWO_COPIES = "2026-304-tan"  # case.yaml and a copy of it
OLD_BESIDE = "2026-305-cruz"  # the profile case new wrote, and an older case.yaml
NESTED = "2026-306-ali"  # 60 KB of nested '['
BAD_DISK = "2026-307-ng"  # the profile cannot be read from the disk
HIDDEN = ".2025-099-closed"  # an archived case, hidden on purpose


def docgen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_SETTINGS"}
    return subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd, env=env)


def filled(example: str, case_id: str) -> str:
    """An example profile as staff fill it in for `case_id`, to be filed in 40 days."""
    text = (EXAMPLES / example).read_text(encoding="utf-8")
    text = re.sub(r"^case_id: .*$", f"case_id: {case_id}", text, flags=re.M)
    return re.sub(r"^application_date: .*$", f"application_date: {FILED}", text, flags=re.M)


def put(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("office")
    cases = root / "cases"
    for case_id in (IN_CASE_YAML, SKELETON):
        (cases / case_id).mkdir(parents=True)
        made = docgen("profile", "init", "teijusha", "--out", f"cases/{case_id}/case.yaml", cwd=root)
        assert made.returncode == 0, made.stderr
    put(cases / IN_CASE_YAML / "case.yaml", filled("teijusha.yaml", IN_CASE_YAML))
    (cases / EMPTY).mkdir()
    put(cases / TWO_COPIES / "case.yaml", filled("gijinkoku-single.yaml", TWO_COPIES))
    put(cases / TWO_COPIES / "case-copy.yaml", filled("gijinkoku-single.yaml", TWO_COPIES))
    put(cases / OLD_BESIDE / f"{OLD_BESIDE}-profile.yaml", filled("spouse-of-japanese.yaml", OLD_BESIDE))
    put(cases / OLD_BESIDE / "case.yaml", filled("teijusha.yaml", OLD_BESIDE))
    put(cases / NESTED / f"{NESTED}-profile.yaml", f"case_id: {NESTED}\napplicant: " + "[" * 60_000 + "\n")
    (cases / BAD_DISK).mkdir()
    (cases / BAD_DISK / f"{BAD_DISK}-profile.yaml").symlink_to("/proc/self/mem")  # reading it fails with EIO
    put(cases / HIDDEN / f"{HIDDEN}-profile.yaml", filled("teijusha.yaml", "2025-099-closed"))
    put(cases / "メモ.txt", "a note lying in the cases folder, not a case\n")
    return root


def board(office: Path, fmt: str = "json", lang: str = "en") -> subprocess.CompletedProcess:
    out = docgen("--lang", lang, "cases", "--format", fmt, cwd=office)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    return out


def rows(office: Path) -> dict[str, dict]:
    return {c["case_id"]: c for c in json.loads(board(office).stdout)["cases"]}


def test_every_folder_is_a_line_and_only_dot_folders_are_left_off(office):
    listed = rows(office)
    folders = {p.name for p in (office / "cases").iterdir() if p.is_dir()}
    assert set(listed) == folders - {HIDDEN}  # every folder once; not the hidden archive, not the note file
    data = json.loads(board(office).stdout)
    assert data["count"] == 7 and data["without_profile"] == 1 and data["errors"] == 5


def test_a_profile_saved_as_case_yaml_is_the_case(office):
    lopez = rows(office)[IN_CASE_YAML]
    assert lopez["error"] is None and lopez["profile"] == "case.yaml"
    assert lopez["category"] == "teijusha" and lopez["applicants"][0]["status"] == "met"
    assert lopez["next_action"]["kind"] == "file" and lopez["next_action"]["date"] == FILED.isoformat()
    assert [f.case_id for f in find_case_folders(office / "cases")] == [
        IN_CASE_YAML,
        SKELETON,
        OLD_BESIDE,
        NESTED,
        BAD_DISK,
    ]
    found = next(f for f in find_case_folders(office / "cases") if f.case_id == IN_CASE_YAML)
    assert found.profile == office / "cases" / IN_CASE_YAML / "case.yaml"


def test_a_skeleton_not_filled_in_yet_is_a_line_naming_its_fields(office):
    kim = rows(office)[SKELETON]
    assert kim["error"] == PROFILE_ERROR.ja and kim["profile"] == "case.yaml"
    assert any("[application_date]" in p for p in kim["problems"])  # line and field, as `profile check` says


def test_an_empty_folder_is_a_line_at_the_end(office):
    ito = rows(office)[EMPTY]
    assert ito["error"] == NO_PROFILE.ja and ito["profile"] == "" and ito["actions"] == []
    text = board(office, "text", "ja").stdout.splitlines()  # a Japanese-speaking staff member
    assert text[0].endswith("(期限超過 0件、エラー 4件、プロフィールなし 1件)")
    line = next(x for x in text if EMPTY in x)
    assert line.startswith("--") and "プロフィールがありません — YAML ファイルがありません" in line
    header = next(i for i, x in enumerate(text) if "案件ID" in x)
    table = text[header + 1 : text.index("", header)]
    assert len(table) == 7 and table[-1] == line  # after every case and every error
    assert "名前が「.」で始まるフォルダーは一覧に出ません" in text[-1]


def test_two_copies_of_a_profile_ask_staff_to_keep_one(office):
    tan = rows(office)[TWO_COPIES]
    assert tan["error"] == SEVERAL_PROFILES.ja and tan["actions"] == []
    assert tan["problems"] == ["case-copy.yaml、case.yaml のどれがプロフィールか決められません。1つだけ残してください"]
    line = next(x for x in board(office, "text", "ja").stdout.splitlines() if TWO_COPIES in x)
    assert line.startswith("??") and "case-copy.yaml、case.yaml" in line


def test_the_profile_case_new_wrote_is_read_and_an_old_one_beside_it_is_named(office):
    cruz = rows(office)[OLD_BESIDE]
    assert cruz["error"] is None and cruz["profile"] == f"{OLD_BESIDE}-profile.yaml"
    assert cruz["category"] == "spouse"  # from the profile case new wrote, not the teijusha one beside it
    assert (
        f"ほかにもプロフィールらしいファイルがあります（case.yaml）。読んだのは {OLD_BESIDE}-profile.yaml です"
        in (cruz["notes"])
    )


def test_a_profile_that_breaks_the_parser_or_the_disk_is_its_own_line(office):
    listed = rows(office)
    nested, disk = listed[NESTED], listed[BAD_DISK]
    assert nested["error"] == PROFILE_ERROR.ja and re.match(
        r"2行目: .*\b40\b", nested["problems"][0]
    )  # the depth limit
    assert disk["error"] == UNREADABLE.ja and disk["problems"] == [
        "ディスクまたはネットワークの問題です（Input/output error）"
    ]
    assert listed[IN_CASE_YAML]["error"] is None  # and the board goes on


def test_a_folder_moved_away_while_the_board_runs_is_still_a_line(tmp_path):
    """A colleague moves a case folder to the archive between the listing and its reading."""
    gone = tmp_path / "cases" / "2026-308-park"
    row = folder_row(gone, Settings(), RULES, datetime(2026, 1, 5, 9, 0, tzinfo=NOW.tzinfo))
    assert row.case_id == "2026-308-park" and row.error == UNREADABLE
    assert row.problems == (
        Text(
            "フォルダーを開けません: 読む間に移動または削除されました",
            "cannot open the folder: it was moved or deleted while being read",
        ),
    )


@pytest.mark.parametrize(
    ("files", "profile", "candidates"),
    [
        (
            {"2026-309-x-profile.yaml": "case_id: a\n", "case.yaml": "case_id: b\n"},
            "2026-309-x-profile.yaml",
            ["case.yaml"],
        ),
        ({"2026-101-wang-profile.yaml": "case_id: a\n", "notes.yaml": "memo: x\n"}, "2026-101-wang-profile.yaml", []),
        ({"case.yml": "# 永住\ncase_id: a\n", "rules.yaml": "items: []\n"}, "case.yml", []),
        ({"profile.YAML": "case_id:\n"}, "profile.YAML", []),
        ({"notes.yaml": "memo: x\n"}, "notes.yaml", []),  # the one YAML there is: its line says what is wrong
        ({"a.yaml": "memo: x\n", "b.yaml": "memo: y\n"}, None, ["a.yaml", "b.yaml"]),
        ({"._case.yaml": "\x00\x05", "case.yaml": "case_id: a\n", "scan.pdf": "%PDF"}, "case.yaml", []),
        ({"scan.pdf": "%PDF", "intake.xlsx": "PK"}, None, []),
        (  # what `intake import --merge` keeps beside the profile is docgen's copy, not a second profile
            {"case.yaml": "case_id: a\n", "case.before-merge-20261203-101500.yaml": "case_id: a\n"},
            "case.yaml",
            [],
        ),
        (
            {"2026-309-x-profile.yaml": "case_id: a\n", "2026-309-x-profile.before-merge-20261203-101500-2.yaml": "x"},
            "2026-309-x-profile.yaml",
            [],
        ),
    ],
)
def test_which_file_is_the_profile(tmp_path, files, profile, candidates):
    root = tmp_path / "2026-309-x"
    for name, text in files.items():
        put(root / name, text)
    choice = choose_profile(root)
    assert (choice.profile, list(choice.candidates)) == (profile, candidates)


def test_the_csv_has_a_line_for_every_folder(office):
    lines = list(csv.DictReader(io.StringIO(board(office, "csv").stdout)))
    assert len(lines) == 7 and lines[-1]["案件ID"] == EMPTY
    assert next(r for r in lines if r["案件ID"] == TWO_COPIES)["エラー"].startswith("プロフィールが複数あります — ")
