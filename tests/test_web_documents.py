"""The Word round trip in the browser, as staff work a case: the 理由書 of the family example's packet downloaded
under its Japanese name, edited with python-docx as Word would save it, sent back, kept as the staff edit exactly
as an edit saved in the packet's docx/ folder is kept (a rebuild keeps it), with the changes since docgen
generated it shown paragraph by paragraph; "make it again" puts docgen's version back. A file that is not a plain
Word document, or is another document of the packet, or a template, is refused by name and changes nothing.
Every download, edit and regeneration is in the audit log."""

from __future__ import annotations

import io
import re
import stat
import zipfile
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from docx import Document
from starlette.testclient import TestClient

from docgen.packet.names import read_manifest
from docgen.packet.rebuild import content_hash
from docgen.packet.workspace import open_packet
from docgen.usecases.audit import audit_log
from docgen.usecases.packet import make_packet
from tests.test_web_auth import FAMILY, STAFF, STAFF_PASSWORD, Office, csrf_of, log_in, make_office
from tests.test_web_case import build_packet, profile_of, section

LETTER = "reason_letter@applicant"
GUARANTOR = "guarantor_letter@applicant"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Office:
    office = make_office(tmp_path_factory.mktemp("documents") / "office")
    build_packet(office)
    return office


@pytest.fixture(scope="module")
def client(office: Office):
    with office.app_client() as c:
        log_in(c, STAFF, STAFF_PASSWORD)  # a staff member (English pages)
        yield c


def packet_file(office: Office, key: str) -> Path:
    packet = next((office.cases / FAMILY).glob("*-packet"))
    manifest = read_manifest(packet)
    assert manifest is not None
    return packet / next(d["docx"] for d in manifest["documents"] if d["key"] == key)


def send(client: TestClient, key: str, name: str, data: bytes):
    return client.post(
        f"/cases/{FAMILY}/documents/{quote(key)}",
        files={"file": (name, data, DOCX)},
        data={"csrf_token": csrf_of(client)},
    )


def edited(data: bytes) -> bytes:
    """The downloaded letter as staff save it after editing in Word: a sentence rewritten, one added."""
    doc = Document(io.BytesIO(data))
    body = next(p for p in doc.paragraphs if len(p.text) > 40)
    body.text = "申請人は、来日以来、同じ勤務先で誠実に勤務してまいりました。"
    doc.add_paragraph("事務所で追記した一文です。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_the_reason_letter_edited_in_word_is_kept_and_survives_a_rebuild(client: TestClient, office: Office):
    case_page = client.get(f"/cases/{FAMILY}").text
    assert f'/cases/{FAMILY}/documents"' in section(case_page, "documents-edit")
    listing = client.get(f"/cases/{FAMILY}/documents").text
    assert "理由書（NGUYEN VAN AN）" in listing and "身元保証書（NGUYEN VAN AN）" in listing

    got = client.get(f"/cases/{FAMILY}/documents/{quote(LETTER)}/word")
    assert got.status_code == 200 and got.headers["content-type"] == DOCX
    disposition = got.headers["content-disposition"]
    assert disposition.startswith("attachment")
    name = unquote(re.search(r"filename\*=utf-8''([^;]+)", disposition).group(1))  # type: ignore[union-attr]
    assert name == f"{FAMILY}-理由書（NGUYEN VAN AN）.docx"  # RFC 5987: the Japanese name survives
    letter = packet_file(office, LETTER)
    assert got.content == letter.read_bytes()

    mine = edited(got.content)
    sent = send(client, LETTER, name, mine)
    assert sent.status_code == 200, sent.text
    assert f"{name} was kept as the staff edit" in sent.text
    changes = section(sent.text, "changes")
    assert "changes since the version docgen generated" in changes
    assert '<p class="added">申請人は、来日以来、同じ勤務先で誠実に勤務してまいりました。</p>' in changes
    assert '<p class="added">事務所で追記した一文です。</p>' in changes
    assert changes.count('<p class="removed">') == 1
    assert letter.read_bytes() == mine  # in place of the generated file, as a save in Word leaves it
    assert stat.S_IMODE(letter.stat().st_mode) == 0o600
    assert not list(letter.parent.parent.glob(".docgen-staging-*"))

    shown = section(client.get(f"/cases/{FAMILY}").text, "documents")
    assert re.search(rf"{letter.name}.*?edited by staff", shown, re.S)

    rebuilt = make_packet(office.ctx, profile_of(office), pdf=False).result
    assert letter in rebuilt.kept_edits and letter.read_bytes() == mine
    again = section(client.get(f"/cases/{FAMILY}/documents/{quote(LETTER)}").text, "changes")
    assert '<p class="added">事務所で追記した一文です。</p>' in again

    actions = [(e.user, e.action, e.document) for e in audit_log(office.ctx, case_id=FAMILY)]
    relative = letter.relative_to(office.cases / FAMILY).as_posix()
    assert (STAFF, "download", relative) in actions and (STAFF, "upload", relative) in actions
    assert (STAFF, "view_case", relative) in actions  # the changes page shows its text


def refused(client: TestClient, office: Office, key: str, name: str, data: bytes) -> str:
    """The page after a refused upload; the packet's file is unchanged."""
    before = packet_file(office, key).read_bytes()
    page = client.post(
        f"/cases/{FAMILY}/documents/{quote(key)}",
        files={"file": (name, data, DOCX)},
        data={"csrf_token": csrf_of(client)},
    )
    assert page.status_code == 400
    assert packet_file(office, key).read_bytes() == before
    return re.search(r'<p class="error" role="alert">(.*?)</p>', page.text, re.S).group(1)  # type: ignore[union-attr]


def test_another_document_of_the_packet_is_refused_by_name(client: TestClient, office: Office):
    guarantor = client.get(f"/cases/{FAMILY}/documents/{quote(GUARANTOR)}/word").content
    message = refused(client, office, GUARANTOR, f"{FAMILY}-理由書（NGUYEN VAN AN）.docx", guarantor)
    assert "this file name is that of 理由書（NGUYEN VAN AN）" in message and "nothing was changed" in message
    message = refused(client, office, LETTER, "letter-final.docx", guarantor)
    assert message.startswith("letter-final.docx: its text is that of 身元保証書（NGUYEN VAN AN）")
    assert "send the edit of 理由書（NGUYEN VAN AN）" in message


def zipped(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def test_what_is_not_a_plain_word_document_is_refused_by_name(client: TestClient, office: Office):
    letter = packet_file(office, LETTER).read_bytes()
    with zipfile.ZipFile(io.BytesIO(letter)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    macro_types = parts["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    doctype = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
    bomb_part = parts["word/document.xml"].replace(b"<?xml", b"<?xml-x", 1)
    cases = {
        "scan.pdf": (b"%PDF-1.7\n%\xe2\xe3\n1 0 obj<<>>endobj\n", "not a Word file (.docx)"),
        "old-letter.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password-protected or old-format"),
        "macro.docx": (zipped({**parts, "[Content_Types].xml": macro_types}), "a Word file with macros"),
        "vba.docx": (zipped({**parts, "word/vbaProject.bin": b"\0" * 64}), "active content"),
        "entities.docx": (zipped({**parts, "word/settings.xml": doctype + b"<x>&a;</x>"}), "holds a DTD"),
        "bomb.docx": (zipped({**parts, "word/media/big.xml": b" " * 30_000_000 + bomb_part}), "unpacks to too much"),
        "notes.txt": ("メモ".encode(), "not a Word file (.docx)"),
    }
    for name, (data, why) in cases.items():
        message = refused(client, office, LETTER, name, data)
        assert message.startswith(f"{name}: ") and why in message, (name, message)


def test_a_template_sent_instead_of_the_document_is_refused(client: TestClient, office: Office):
    template = office.ctx.settings.template("reason_letter")[0].read_bytes()
    message = refused(client, office, LETTER, "reason_letter.docx", template)
    assert message.startswith("reason_letter.docx: template tags are left in it ({{")
    assert "send the filled document, not a template" in message


def test_make_it_again_replaces_the_edit_and_is_audited(tmp_path: Path):
    office = make_office(tmp_path / "office")
    build_packet(office)
    with office.app_client() as c:
        log_in(c, STAFF, STAFF_PASSWORD)
        letter = packet_file(office, LETTER)
        assert send(c, LETTER, "理由書.docx", edited(letter.read_bytes())).status_code == 200
        page = c.get(f"/cases/{FAMILY}/documents/{quote(LETTER)}").text
        assert 'id="regenerate"' in page
        made = c.post(
            f"/cases/{FAMILY}/documents/{quote(LETTER)}/regenerate",
            data={"csrf_token": csrf_of(c)},
            follow_redirects=True,
        )
        assert made.status_code == 200 and "made again by docgen (the staff edit was replaced)" in made.text
        assert "No change from what docgen generated" in section(made.text, "changes")
        manifest = read_manifest(letter.parent.parent)
        assert manifest is not None
        entry = next(d for d in manifest["documents"] if d["key"] == LETTER)
        assert content_hash(letter) == entry["generated"]
        assert manifest["libreoffice"].startswith("not used")  # built again as the last build: Word files only
    actions = [(e.action, e.document) for e in audit_log(office.ctx, case_id=FAMILY)]
    assert ("regenerate", letter.relative_to(office.cases / FAMILY).as_posix()) in actions


def test_an_unknown_document_or_case_is_not_found(client: TestClient):
    token = csrf_of(client)
    for path in (
        f"/cases/{FAMILY}/documents/no_such@applicant",
        f"/cases/{FAMILY}/documents/no_such@applicant/word",
        f"/cases/{FAMILY}/documents/{quote('legacy:../../docgen.toml')}/word",
        "/cases/2026-999-none/documents",
        f"/cases/%2E%2E/documents/{quote(LETTER)}/word",
    ):
        assert client.get(path).status_code == 404, path
    sent = client.post(
        f"/cases/{FAMILY}/documents/no_such@applicant",
        files={"file": ("x.docx", b"x", DOCX)},
        data={"csrf_token": token},
    )
    assert sent.status_code == 404


def test_an_edit_sent_while_the_packet_is_being_built_is_refused(client: TestClient, office: Office):
    letter = packet_file(office, LETTER)
    before = letter.read_bytes()
    with open_packet(letter.parent.parent, FAMILY):  # a build of the packet holds its lock
        page = send(client, LETTER, "理由書.docx", edited(before))
    assert page.status_code == 400 and "is being built by another docgen run" in page.text
    assert letter.read_bytes() == before


def test_the_generated_version_sent_back_unchanged_is_no_edit(tmp_path: Path):
    office = make_office(tmp_path / "office")
    build_packet(office)
    with office.app_client() as c:
        log_in(c, STAFF, STAFF_PASSWORD)
        word = c.get(f"/cases/{FAMILY}/documents/{quote(LETTER)}/word").content
        resaved = io.BytesIO()
        Document(io.BytesIO(word)).save(resaved)  # saved again without a change: new zip bytes, the same content
        page = send(c, LETTER, "理由書.docx", resaved.getvalue())
        assert page.status_code == 200 and "理由書.docx holds what docgen generated (no edit)" in page.text
        assert "No change from what docgen generated" in section(page.text, "changes")
        assert re.search(r"State: <span class=\"state-generated\">generated", page.text)


def test_after_the_profile_changed_the_edit_is_compared_with_what_docgen_writes_now(tmp_path: Path):
    office = make_office(tmp_path / "office")
    build_packet(office)
    profile = profile_of(office)
    with office.app_client() as c:
        log_in(c, STAFF, STAFF_PASSWORD)
        letter = packet_file(office, LETTER)
        assert send(c, LETTER, "理由書.docx", edited(letter.read_bytes())).status_code == 200
        text = profile.read_text(encoding="utf-8")
        profile.write_text(text.replace("主任技術者として製品開発", "技術部長として製品開発"), encoding="utf-8")
        changes = section(c.get(f"/cases/{FAMILY}/documents/{quote(LETTER)}").text, "changes")
    assert "the profile or template changed since the packet was built: compared with what docgen writes now" in (
        changes
    )
    assert re.search(r'<p class="removed">[^<]*技術部長として製品開発', changes)  # docgen's new words
    assert '<p class="added">事務所で追記した一文です。</p>' in changes


def test_a_letter_rewritten_throughout_is_still_its_edit_an_unrelated_file_is_not(client: TestClient, office: Office):
    word = client.get(f"/cases/{FAMILY}/documents/{quote(LETTER)}/word").content
    unrelated = Document()
    unrelated.add_paragraph("議事録　第3回　社内会議")
    unrelated.add_paragraph("出席者：営業部、総務部。来期の予算について話し合った。")
    out = io.BytesIO()
    unrelated.save(out)
    message = refused(client, office, LETTER, "議事録.docx", out.getvalue())
    assert "its text has almost nothing in common with 理由書（NGUYEN VAN AN）" in message

    doc = Document(io.BytesIO(word))
    paragraphs = doc.paragraphs
    for p in paragraphs[6:-2]:  # the body rewritten by staff; the heading and the signature kept
        p.text = "申請人は日本での生活基盤を築いており、今後も日本で暮らすことを希望しています。" if p.text else ""
    rewritten = io.BytesIO()
    doc.save(rewritten)
    sent = send(client, LETTER, "理由書.docx", rewritten.getvalue())
    assert sent.status_code == 200, re.findall(r'role="alert">(.*?)<', sent.text)
    assert packet_file(office, LETTER).read_bytes() == rewritten.getvalue()


def test_a_full_disk_while_the_edit_is_written_leaves_the_document_as_it_was(
    client: TestClient, office: Office, monkeypatch: pytest.MonkeyPatch
):
    import errno
    import os

    letter = packet_file(office, LETTER)
    before = letter.read_bytes()

    def full(source: object, target: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    doc = Document(io.BytesIO(before))
    doc.add_paragraph("保存できなかった一文。")
    mine = io.BytesIO()
    doc.save(mine)
    monkeypatch.setattr("docgen.usecases.document_edit.os.replace", full)
    page = send(client, LETTER, "理由書.docx", mine.getvalue())
    assert page.status_code == 400
    assert f"{letter.name} could not be written (No space left on device); the file is as it was" in page.text
    assert letter.read_bytes() == before
    assert not list(letter.parent.parent.glob(".docgen-staging-*"))  # the written part removed with its folder
