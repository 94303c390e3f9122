"""Templates and checklists for administrators, in the browser: the templates in use and where each comes from,
each downloadable, with the office's checklist files; an office 理由書 sent in is checked as `templates check`
checks it before anything is installed — a broken one is refused with its findings in the page (the current
template stays), a good one is installed in one rename (the office copy it replaces kept) and used by the next
packet. An office checklist file sent in is loaded with the rules first — one with a mistake is refused with its
file, line and field, a good one installed and followed at once by the pages. Staff cannot reach any of it (403).
Installs and downloads are audited."""

from __future__ import annotations

import io
import re
import stat
import zipfile
from pathlib import Path

import pytest
from docx import Document
from starlette.testclient import TestClient

from docgen.resources import TEMPLATES
from docgen.usecases.audit import audit_log
from docgen.usecases.context import RunContext
from docgen.usecases.packet import make_packet
from tests.conftest import NOW
from tests.test_web_auth import ADMIN, FAMILY, STAFF, STAFF_PASSWORD, Office, csrf_of, log_in, make_office
from tests.test_web_case import profile_of

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RULE_FILES = {
    "_sources.yaml": 'office_practice:\n  title: "事務所の運用"\n  url: https://example.jp/office\n  reliability: C\n',
    "_items.yaml": "items:\n  office_cover_letter:\n    title: {ja: 送付状, en: Cover letter, zh: 送件函}\n"
    "    action: submit\n    required: true\n    copies: 1通\n    concerns: [applicant]\n"
    "    lookback: {kind: current}\n"
    "    sources: [office_practice]\n    last_checked: 2026-11-01\n    versions:\n      - from: 2019-07-01\n",
    "gijinkoku.yaml": "id: gijinkoku\nadd:\n  - {id: office_cover_letter, after: reason_letter}\n",
}


def office_with_folders(root: Path) -> Office:
    """The web tests' office, its docgen.toml naming a template folder (empty: the built-in ones are used) and a
    checklist folder with one office item."""
    make_office(root)  # its accounts stay with the office
    (root / "templates").mkdir()
    (root / "checklists").mkdir()
    for name, text in RULE_FILES.items():
        (root / "checklists" / name).write_text(text, encoding="utf-8")
    (root / "docgen.toml").write_text(
        '[paths]\ncases = "cases"\noutput = "output"\ntemplates = "templates"\nchecklists = "checklists"\n',
        encoding="utf-8",
    )
    return Office(root, RunContext.load(now=NOW, near=root / "cases", lang="ja", user="setup"))


@pytest.fixture
def office(tmp_path: Path) -> Office:
    return office_with_folders(tmp_path / "office")


@pytest.fixture
def admin(office: Office):
    with office.app_client() as c:
        log_in(c)
        yield c


def builtin_letter(office: Office) -> bytes:
    return (TEMPLATES / "reason_letter.docx").read_bytes()


def send(client: TestClient, name: str, file_name: str, data: bytes):
    return client.post(
        f"/admin/templates/{name}",
        files={"file": (file_name, data, DOCX)},
        data={"csrf_token": csrf_of(client)},
    )


def send_checklist(client: TestClient, file_name: str, text: str):
    return client.post(
        "/admin/checklists",
        files={"file": (file_name, text.encode("utf-8"), "application/yaml")},
        data={"csrf_token": csrf_of(client)},
    )


PROBLEM_ROW = re.compile(
    r'<tr><td>(.*?)</td><td class="num">(.*?)</td><td><span class="field-key">(.*?)</span></td><td>(.*?)</td></tr>'
)


def office_letter(office: Office) -> bytes:
    """The built-in 理由書 with the office's closing line, as an administrator saves it in Word."""
    doc = Document(io.BytesIO(builtin_letter(office)))
    doc.add_paragraph("当事務所書式 {{ applicant.display_name }}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def broken_letter(office: Office) -> bytes:
    """The built-in 理由書 with its first tag left unclosed, as a slip in Word leaves it."""
    source = zipfile.ZipFile(io.BytesIO(builtin_letter(office)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in source.namelist():
            data = source.read(name)
            z.writestr(name, data.replace(b"}}", b"", 1) if name == "word/document.xml" else data)
    return out.getvalue()


def test_the_templates_in_use_and_the_office_checklists_are_listed_and_downloadable(admin: TestClient, office: Office):
    page = admin.get("/admin/templates")
    assert page.status_code == 200
    rows = re.findall(r'<tr id="template-([a-z_]+)">\s*<td>([^<]*)<span.*?</td>\s*<td>([^<]*)<span', page.text)
    assert len(rows) == len(office.ctx.settings.template_names())
    assert ("reason_letter", "理由書 ", "docgen 標準 ") in rows
    assert ("hsp_points", "高度専門職ポイント計算表 ", "docgen 標準 ") in rows  # what its two items share
    got = admin.get("/admin/templates/reason_letter/word")
    assert got.status_code == 200 and got.content == builtin_letter(office)
    assert 'filename="reason_letter.docx"' in got.headers["content-disposition"]
    checklists = re.search(r'id="checklists">(.*?)</section>', page.text, re.S).group(1)  # type: ignore[union-attr]
    assert all(f">{name}</a>" in checklists for name in RULE_FILES)
    got = admin.get("/admin/checklists/gijinkoku.yaml")
    assert got.status_code == 200 and got.text == RULE_FILES["gijinkoku.yaml"]
    assert admin.get("/admin/checklists/..%2Fdocgen.toml").status_code == 404
    assert admin.get("/admin/templates/no_such/word").status_code == 404
    actions = [(e.user, e.action, e.document) for e in audit_log(office.ctx)]
    assert (ADMIN, "download", "templates/reason_letter.docx") in actions
    assert (ADMIN, "download", "checklists/gijinkoku.yaml") in actions


def test_a_broken_template_is_refused_with_its_findings(admin: TestClient, office: Office):
    page = send(admin, "reason_letter", "理由書（事務所版）.docx", broken_letter(office))
    assert page.status_code == 400
    check = re.search(r'id="template-check">(.*?)</section>', page.text, re.S).group(1)  # type: ignore[union-attr]
    assert "テンプレートに誤りがあるため、取り込みませんでした" in check and "理由書（事務所版）.docx" in check
    finding = re.search(r'<li class="error-finding">(.*?)</li>', check, re.S).group(1)  # type: ignore[union-attr]
    assert "本文, word/document.xml" in finding and "閉じていません" in finding
    assert "{{ case.application_date|wareki" in finding  # the text around it, to find the spot in Word
    assert list((office.root / "templates").iterdir()) == []  # nothing installed
    installed = ("template_install", "templates/reason_letter.docx")
    assert installed not in [(e.action, e.document) for e in audit_log(office.ctx)]


def test_a_good_template_is_installed_used_by_the_next_packet_and_the_old_one_kept(admin: TestClient, office: Office):
    ours = office_letter(office)
    first = send(admin, "reason_letter", "理由書.docx", ours)
    assert first.status_code == 200, first.text
    assert "テンプレートを確認して取り込みました" in first.text
    installed = office.root / "templates" / "reason_letter.docx"
    assert installed.read_bytes() == ours and stat.S_IMODE(installed.stat().st_mode) == 0o600
    listed = admin.get("/admin/templates").text
    assert re.search(r'<tr id="template-reason_letter">\s*<td>.*?</td>\s*<td>事務所のテンプレート', listed)

    ctx = RunContext.load(now=NOW, near=office.cases, lang="ja", user=ADMIN)
    packet = make_packet(ctx, profile_of(office), pdf=False).result
    letter = next(p for p in packet.documents if "reason_letter_nguyen_van_an" in p.name)
    assert "当事務所書式 NGUYEN VAN AN" in [p.text for p in Document(str(letter)).paragraphs]

    second = Document(io.BytesIO(ours))
    second.add_paragraph("二つ目の版")
    out = io.BytesIO()
    second.save(out)
    assert send(admin, "reason_letter", "理由書.docx", out.getvalue()).status_code == 200
    kept = list((office.root / "templates" / ".docgen-previous").iterdir())
    assert [p.read_bytes() for p in kept] == [ours]  # the replaced office copy, not lost
    assert sorted(p.name for p in (office.root / "templates").glob("*.docx")) == ["reason_letter.docx"]
    actions = [(e.user, e.action, e.document) for e in audit_log(office.ctx)]
    assert actions.count((ADMIN, "template_install", "templates/reason_letter.docx")) == 2


def test_what_is_not_a_word_document_or_no_template_is_refused(admin: TestClient, office: Office):
    page = send(admin, "reason_letter", "letter.pdf", b"%PDF-1.7\n")
    assert page.status_code == 400 and "letter.pdf: Word ファイル（.docx）ではありません" in page.text
    page = send(admin, "no_such_template", "x.docx", office_letter(office))
    assert page.status_code == 400 and "テンプレート &#39;no_such_template&#39; はありません" in page.text
    assert list((office.root / "templates").iterdir()) == []


def test_an_office_checklist_with_a_mistake_is_refused_with_its_file_line_and_field(admin: TestClient, office: Office):
    broken = RULE_FILES["gijinkoku.yaml"] + "  - {id: no_such_item}\n"
    page = send_checklist(admin, "gijinkoku.yaml", broken)
    assert page.status_code == 400
    check = re.search(r'id="checklist-check">(.*?)</section>', page.text, re.S).group(1)  # type: ignore[union-attr]
    assert "チェックリストに誤りがあるため、取り込みませんでした" in check
    unknown = "項目 &#39;no_such_item&#39; が定義されていません（事務所の _items.yaml に書いてください）"
    assert PROBLEM_ROW.findall(check) == [("gijinkoku.yaml", "4", "add[1]", unknown)]
    folder = office.root / "checklists"
    assert (folder / "gijinkoku.yaml").read_text(encoding="utf-8") == RULE_FILES["gijinkoku.yaml"]
    assert not (folder / ".docgen-previous").exists()
    named = send_checklist(admin, "../docgen.toml", "x: 1\n")  # only a checklist file's name, in its folder
    assert named.status_code == 400 and "チェックリストのファイル名は" in named.text
    assert sorted(p.name for p in folder.iterdir()) == sorted(RULE_FILES)
    assert "checklist_install" not in [e.action for e in audit_log(office.ctx)]


def test_a_good_office_checklist_is_installed_and_the_pages_follow_it_at_once(admin: TestClient, office: Office):
    assert "送付状" in admin.get(f"/cases/{FAMILY}").text  # the office's item, added by its gijinkoku.yaml
    plain = "id: gijinkoku\n"  # the office stops adding it
    page = send_checklist(admin, "gijinkoku.yaml", plain)
    assert page.status_code == 200 and "チェックリストを確認して取り込みました" in page.text
    folder = office.root / "checklists"
    assert (folder / "gijinkoku.yaml").read_text(encoding="utf-8") == plain
    assert stat.S_IMODE((folder / "gijinkoku.yaml").stat().st_mode) == 0o600
    kept = list((folder / ".docgen-previous").iterdir())
    assert [p.read_text(encoding="utf-8") for p in kept] == [RULE_FILES["gijinkoku.yaml"]]  # not lost
    assert "送付状" not in admin.get(f"/cases/{FAMILY}").text  # the server reads the office's rules again
    assert (ADMIN, "checklist_install", "checklists/gijinkoku.yaml") in [
        (e.user, e.action, e.document) for e in audit_log(office.ctx)
    ]


def test_a_checklist_file_broken_by_hand_is_shown_and_the_rules_read_before_go_on(admin: TestClient, office: Office):
    (office.root / "checklists" / "gijinkoku.yaml").write_text("id: gijinkoku\nadd: [{id: nope}]\n", "utf-8")
    assert "送付状" in admin.get(f"/cases/{FAMILY}").text  # the server goes on with what it read before
    listed = admin.get("/admin/templates").text
    assert "事務所のチェックリストに誤りがあります" in listed
    assert [row[:3] for row in PROBLEM_ROW.findall(listed)] == [("gijinkoku.yaml", "2", "add[0]")]


def test_staff_cannot_reach_template_admin(office: Office):
    with office.app_client() as c:
        log_in(c, STAFF, STAFF_PASSWORD)
        assert c.get("/admin/templates").status_code == 403
        assert c.get("/admin/templates/reason_letter/word").status_code == 403
        assert c.get("/admin/checklists/gijinkoku.yaml").status_code == 403
        assert send(c, "reason_letter", "理由書.docx", office_letter(office)).status_code == 403
        assert send_checklist(c, "gijinkoku.yaml", "id: gijinkoku\n").status_code == 403
    assert list((office.root / "templates").iterdir()) == []
    assert not [e for e in audit_log(office.ctx) if e.user == STAFF and e.action in ("template_install", "download")]


def test_without_a_template_folder_nothing_can_be_installed(tmp_path: Path):
    office = make_office(tmp_path / "office")
    with office.app_client() as c:
        log_in(c)
        listed = c.get("/admin/templates").text
        assert "取り込みはできません" in listed and 'action="http://127.0.0.1/admin/templates/' not in listed
        page = send(c, "reason_letter", "理由書.docx", office_letter(office))
        assert page.status_code == 400 and "docgen.toml の [paths] に templates" in page.text
