"""An office adapts the built-in checklists without copying them: `office/checklists/_items.yaml` changes a
built-in item (for every one of its dated versions) or defines new ones, and `office/checklists/<category>.yaml`
adds, changes and switches off items of one category. Mistakes name the file, the line and the field."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from docgen.errors import InputFileError
from docgen.rules import load_rulebook
from tests.conftest import ROOT

BUILT_IN = ROOT / "checklists"

OFFICE_SOURCES = """
office_practice:
  title: "事務所の運用"
  url: https://example.jp/office
  reliability: C
"""

# a change to the built-in self-check sheet (two dated versions with their own notes) and a new item
OFFICE_ITEMS = """
items:
  self_checksheet:
    copies: 2通
    notes:
      ja: 事務所で記入し、申請人が内容を確認して署名する。
      en: Filled in by the office, checked and signed by the applicant.
      zh: 由事务所填写，申请人确认内容并签名。
  office_cover_letter:
    title: {ja: 送付状, en: Cover letter, zh: 送件函}
    prepared_by: office
    action: submit
    required: true
    copies: 1通
    concerns: [applicant]
    lookback: {kind: current}
    sources: [office_practice]
    last_checked: 2026-11-01
    versions:
      - from: 2019-07-01
"""

OFFICE_GIJINKOKU = """
id: gijinkoku
add:
  - {id: relationship_proof, after: reason_letter}
  - {id: office_cover_letter}
change:
  - {id: photo, copies: 2葉}
remove: [contribution_proof]
"""


def write_folder(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


def office_problems(tmp_path: Path, files: dict[str, str]) -> list[str]:
    office = write_folder(tmp_path / "office" / "checklists", {"_sources.yaml": OFFICE_SOURCES, **files})
    with pytest.raises(InputFileError) as info:
        load_rulebook(BUILT_IN, office)
    return [str(p) for p in info.value.problems]


def run_all(*argv: tuple, cwd: Path) -> list[subprocess.CompletedProcess]:
    """Several `docgen` runs side by side, in `cwd` unless a run ends with its own folder (a Path)."""
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_SETTINGS"}
    procs = []
    for a in argv:
        folder = a[-1] if a and isinstance(a[-1], Path) else cwd
        args = [str(x) for x in a if not isinstance(x, Path)]
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "docgen", *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=folder,
                env=env,
            )
        )
    out = []
    for a, proc in zip(argv, procs, strict=True):
        stdout, stderr = proc.communicate(timeout=120)
        out.append(subprocess.CompletedProcess(a, proc.returncode, stdout, stderr))
    return out


def items_by_id(run: subprocess.CompletedProcess) -> dict[str, dict]:
    assert run.returncode == 0, run.stderr
    return {i["id"]: i for i in json.loads(run.stdout)["items"]}


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A working folder whose docgen.toml points at the office checklists."""
    write_folder(
        tmp_path / "office" / "checklists",
        {"_sources.yaml": OFFICE_SOURCES, "_items.yaml": OFFICE_ITEMS, "gijinkoku.yaml": OFFICE_GIJINKOKU},
    )
    (tmp_path / "docgen.toml").write_text('[paths]\nchecklists = "office/checklists"\n', encoding="utf-8")
    return tmp_path


def test_the_office_checklists_are_used_by_docgen_checklist(office, tmp_path):
    bare = tmp_path / "elsewhere"
    bare.mkdir()
    now, later, other, built_in = run_all(
        ("checklist", "gijinkoku", "--date", "2026-11-30", "--format", "json"),
        ("checklist", "gijinkoku", "--date", "2027-04-01", "--format", "json"),
        ("checklist", "ginou", "--date", "2027-04-01", "--format", "json"),
        ("checklist", "gijinkoku", "--date", "2027-04-01", "--format", "json", bare),  # no docgen.toml there
        cwd=office,
    )
    now_items, later_items, ginou_items, built_in_items = map(items_by_id, (now, later, other, built_in))

    # the category file: added after 理由書 and at the end, 写真 2葉, 貢献資料 switched off
    ids = list(now_items)
    assert ids[:4] == ["application_form", "photo", "reason_letter", "relationship_proof"]
    assert ids[-1] == "office_cover_letter" and now_items["office_cover_letter"]["title"] == "送付状"
    assert now_items["office_cover_letter"]["needs_review"] is True  # rests only on a [C] source
    assert now_items["photo"]["copies"] == "2葉"
    assert "contribution_proof" not in now_items

    # the item change holds for both dated versions of the self-check sheet, replacing each version's notes
    office_note = "事務所で記入し、申請人が内容を確認して署名する。"
    assert now_items["self_checksheet"]["rule_version"] == {"from": "2024-12-01", "until": "2027-03-31"}
    assert later_items["self_checksheet"]["rule_version"] == {"from": "2027-04-01", "until": None}
    for items in (now_items, later_items):
        assert items["self_checksheet"]["notes"] == office_note and items["self_checksheet"]["copies"] == "2通"
    assert built_in_items["self_checksheet"]["notes"] != office_note
    assert built_in_items["self_checksheet"]["copies"] == "1通"

    # an item change reaches every category; a category change only its own category
    assert ginou_items["self_checksheet"]["notes"] == office_note
    assert "contribution_proof" in ginou_items and ginou_items["photo"]["copies"] == "1葉"
    assert "relationship_proof" not in ginou_items and "office_cover_letter" not in ginou_items


def test_the_text_checklist_shows_the_office_item_where_the_office_put_it(office):
    [text] = run_all(("checklist", "gijinkoku", "--date", "2026-11-30"), cwd=office)
    assert text.returncode == 0, text.stderr
    lines = [line for line in text.stdout.splitlines() if line.startswith("□")]
    assert "理由書" in lines[2] and "身分関係を証明する資料" in lines[3]
    assert "送付状" in lines[-1] and "我が国への貢献" not in text.stdout


def test_an_office_item_change_is_checked_like_any_item(tmp_path):
    [msg] = office_problems(tmp_path, {"_items.yaml": "items:\n  self_checksheet:\n    copise: 2通\n"})
    assert "_items.yaml, line 3 [items.self_checksheet.copise]: unknown field 'copise'; did you mean 'copies'?" in msg


def test_adding_an_item_nobody_defined_is_named(tmp_path):
    [msg] = office_problems(tmp_path, {"gijinkoku.yaml": "id: gijinkoku\nadd:\n  - {id: office_cover_leter}\n"})
    assert msg == (
        f"{tmp_path / 'office' / 'checklists' / 'gijinkoku.yaml'}, line 3 [add[0]]: "
        "unknown item 'office_cover_leter' (define it in the office _items.yaml)"
    )


def test_adding_after_an_item_the_category_does_not_have_is_named(tmp_path):
    text = "id: gijinkoku\nadd:\n  - id: relationship_proof\n    after: reason_leter\n"
    [msg] = office_problems(tmp_path, {"gijinkoku.yaml": text})
    assert "gijinkoku.yaml, line 3 [add[0].after]: 'reason_leter' is not an item of gijinkoku" in msg


def test_removing_an_item_the_category_does_not_have_is_named_with_its_line(tmp_path):
    text = "id: gijinkoku\nremove:\n  - contribution_proof\n  - hsp_points_notice\n"
    [msg] = office_problems(tmp_path, {"gijinkoku.yaml": text})
    assert "gijinkoku.yaml, line 4 [remove[1]]: 'hsp_points_notice' is not an item of gijinkoku" in msg


def test_changing_an_item_the_category_does_not_have_points_to_add(tmp_path):
    text = "id: gijinkoku\nchange:\n  - {id: relationship_proof, copies: 2通}\n"
    [msg] = office_problems(tmp_path, {"gijinkoku.yaml": text})
    assert "gijinkoku.yaml, line 3 [change[0]]: 'relationship_proof' is not an item of gijinkoku; use add:" in msg


def test_adding_an_item_the_category_already_has_points_to_change(tmp_path):
    [msg] = office_problems(tmp_path, {"gijinkoku.yaml": "id: gijinkoku\nadd:\n  - {id: photo}\n"})
    assert "gijinkoku.yaml, line 3 [add[0]]: 'photo' is already an item of gijinkoku; use change:" in msg


def test_every_mistake_in_an_office_file_is_reported_at_once(tmp_path):
    text = (
        "id: gijinkoku\nadd:\n  - {id: office_cover_leter}\n  - {id: relationship_proof, after: reason_leter}\n"
        "remove: [hsp_points_notice]\n"
    )
    msgs = office_problems(tmp_path, {"gijinkoku.yaml": text})
    assert sorted(m.split(": ", 1)[0].rsplit(", ", 1)[1] for m in msgs) == [
        "line 3 [add[0]]",
        "line 4 [add[1].after]",
        "line 5 [remove[0]]",
    ]


def test_an_office_category_file_whose_id_is_not_its_file_name_is_refused(tmp_path):
    msgs = office_problems(tmp_path, {"gijinkoku.yaml": "id: ginou\nremove: [contribution_proof]\n"})
    assert any("gijinkoku.yaml" in m and "[id]" in m for m in msgs)


def test_checklists_check_reports_office_mistakes_on_the_command_line(office):
    path = office / "office" / "checklists" / "gijinkoku.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("remove: [contribution_proof]", "remove: [hsp_points_notice]"),
        encoding="utf-8",
    )
    [out] = run_all(("checklists", "check"), cwd=office)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"{path}, line 7 [remove[0]]: 'hsp_points_notice' is not an item of gijinkoku" in out.stderr
