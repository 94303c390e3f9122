"""A Word file sent to docgen through the browser (a packet document edited in Word, an office template), opened
safely before anything reads it as Word: the size, the zip (entries, what it unpacks to, bombs, encryption, paths
out of it), the XML (no DTD, so no entity bombs or outside entities), no active content (macros, ActiveX, links to
outside templates or objects), and a document python-docx can open. Anything else is refused with a reason that
names the file, never a traceback."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePosixPath

from lxml import etree

from docgen.errors import DocgenError
from docgen.text import Text

MAX_MB = 20  # one Word file: a letter or form with a few images is well under 1 MB
MAX_UNPACKED = 200_000_000  # what its zip may unpack to
MAX_ENTRIES = 2000  # parts in its zip
MAX_RATIO = 200  # how much one part may grow when unpacked (XML compresses about 10×; a bomb far more)
MAX_PART = 50_000_000  # one XML part, unpacked

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .doc, or a password-protected .docx
DOCUMENT_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "template",
}
ACTIVE = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|activeX/.*)$", re.I)
OUTSIDE = re.compile(r"/(attachedTemplate|oleObject|subDocument|frame|package)$")
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class NotAcceptedWord(DocgenError):
    """A sent file docgen will not read as Word; the message names the file and why."""


def _refuse(name: str, ja: str, en: str) -> NotAcceptedWord:
    return NotAcceptedWord(Text(f"{name}: {ja}", f"{name}: {en}"))


def check_word_file(data: bytes, name: str) -> None:
    """Refuse (NotAcceptedWord, naming `name`) anything but a plain Word .docx within the limits above."""
    if len(data) > MAX_MB * 1_000_000:
        raise _refuse(name, f"{MAX_MB} MB を超えています", f"the file is larger than {MAX_MB} MB")
    if data.startswith(OLE_MAGIC):
        raise _refuse(
            name,
            "パスワード付きの Word ファイルか、古い形式（.doc）です。パスワードを外して .docx で保存し直してください",
            "a password-protected or old-format (.doc) Word file; save it as .docx without a password",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise _refuse(name, "Word ファイル（.docx）ではありません", "not a Word file (.docx)") from None
    with archive:
        _check_zip(archive, name)
        content_type = _check_parts(archive, name)
    if content_type != "document":
        raise _refuse(name, "Word の文書（.docx）ではありません", "not a Word document (.docx)")
    try:
        from docx import Document

        Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on damaged files
        kind = type(exc).__name__
        ja = f"Word ファイルとして読めません（壊れている可能性があります: {kind}）"
        raise _refuse(name, ja, f"a damaged Word file ({kind})") from None


def _check_zip(archive: zipfile.ZipFile, name: str) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise _refuse(name, "中の部品が多すぎます", "the file holds too many parts")
    if sum(e.file_size for e in entries) > MAX_UNPACKED:
        raise _refuse(name, "展開すると大きすぎるファイルです", "the file unpacks to too much data")
    for e in entries:
        if e.flag_bits & 0x1:
            raise _refuse(name, "暗号化されています", "the file is encrypted")
        path = PurePosixPath(e.filename)
        if path.is_absolute() or ".." in path.parts or "\\" in e.filename:
            raise _refuse(name, "ファイルの外を指す部品があります", "a part points outside the file")
        if e.file_size > MAX_PART or e.file_size > MAX_RATIO * max(e.compress_size, 1) + 4096:
            raise _refuse(name, "展開すると大きすぎるファイルです", "the file unpacks to too much data")
        if ACTIVE.search(e.filename):
            raise _refuse(
                name,
                "マクロや ActiveX などの実行できる内容が含まれています。取り除いて .docx で保存し直してください",
                "it holds active content (macros, ActiveX); remove it and save as .docx",
            )


def _xml(archive: zipfile.ZipFile, part: str, name: str) -> etree._Element:
    try:
        raw = archive.read(part)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zipfile.LargeZipFile, ValueError):
        raise _refuse(name, "壊れています（展開できません）", "the file is damaged (cannot be unpacked)") from None
    if b"<!DOCTYPE" in raw[:4096].upper() or b"<!ENTITY" in raw.upper():
        raise _refuse(name, f"{part} に DTD があります（Word は書きません）", f"{part} holds a DTD (Word writes none)")
    try:
        return etree.fromstring(raw, XML_PARSER)
    except etree.XMLSyntaxError:
        raise _refuse(name, f"{part} が XML として読めません", f"{part} is not readable XML") from None


def _check_parts(archive: zipfile.ZipFile, name: str) -> str:
    """Every XML part readable without a DTD, no link to an outside template or object; the main part's kind."""
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names:
        raise _refuse(name, "Word ファイル（.docx）ではありません", "not a Word file (.docx)")
    kind = ""
    for part in sorted(names):
        if not part.lower().endswith((".xml", ".rels")):
            continue
        root = _xml(archive, part, name)
        if part == "[Content_Types].xml":
            for override in root.iter(f"{CT}Override"):
                found = DOCUMENT_TYPES.get(override.get("ContentType", ""))
                if "macroEnabled" in override.get("ContentType", ""):
                    raise _refuse(
                        name,
                        "マクロ付きの Word ファイルです。マクロなしの .docx で保存し直してください",
                        "a Word file with macros; save it as .docx without macros",
                    )
                kind = found or kind
        elif part.endswith(".rels"):
            for rel in root.iter(f"{RELS}Relationship"):
                if rel.get("TargetMode") == "External" and OUTSIDE.search(rel.get("Type", "")):
                    raise _refuse(
                        name,
                        "外部のファイル（テンプレートやオブジェクト）へのリンクがあります。取り除いて保存し直してください",
                        "it links to an outside file (a template or object); remove the link and save again",
                    )
    return kind
