"""Staff's Word round trip on a packet document (the web app's 書類の編集): download a document of the case's
packet, send the edited file back, see what changed since docgen generated it, or make it again from the
profile.

An edit sent back is kept exactly as a file staff saved in the packet's docx/ folder is kept: it replaces that
file (under the packet's lock, after an interrupted build is finished), and the next build keeps it because its
content no longer matches what the manifest says docgen generated (docgen/packet/rebuild.py). Before that, the
file is checked: a plain Word .docx within the limits (docgen/packet/sent_word.py), the same document (its
name is not another document's, its text is not clearly another document's of the packet, nor unlike this one), and no
template tags left unfilled. Every download, edit and regeneration is in the audit log (file names only)."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from docgen.board.build import packet_folder
from docgen.case import Case
from docgen.case.folder import case_folder_at
from docgen.documents.placeholders import paragraph_texts, placeholders_in
from docgen.errors import DocgenError
from docgen.packet.edit_compare import ChangedLine, likeness, paragraph_changes, template_tags
from docgen.packet.names import read_manifest
from docgen.packet.one_document import planned_documents, render_one
from docgen.packet.rebuild import PreviousDocument, content_hash, previous_documents
from docgen.packet.record import WORD_ONLY
from docgen.packet.sent_word import MAX_MB, NotAcceptedWord, check_word_file
from docgen.packet.workspace import open_packet
from docgen.text import Text
from docgen.usecases.audit import record_action
from docgen.usecases.case_page import NotInCases, case_profile, case_root
from docgen.usecases.context import RunContext, use_case
from docgen.usecases.packet import PacketMade, make_packet

# How alike a sent file must be to its document (docgen.packet.edit_compare.likeness). Measured on the family
# example: the other documents of the case are 0.05–0.08 alike to the 理由書, the other applicants' 理由書 0.36–0.45,
# a 理由書 whose body staff rewrote entirely (heading and signature kept) 0.16 — and as alike to the others' 理由書.
MIN_LIKENESS = 0.1  # below this, a sent file shares too little text with the document to be an edit of it
OTHER_MARGIN = 0.25  # a sent file this much more alike to another document of the packet is that document


@dataclass(frozen=True)
class EditableDocument:
    """A Word document of the case's packet, as staff pick it for the round trip."""

    key: str  # the manifest's key ('reason_letter@applicant')
    label: str  # '理由書（NGUYEN VAN AN）' (the file name when the case no longer makes it)
    file_name: str  # the Word file's name in the packet
    download_name: str  # the name it downloads as: '<case id>-理由書（NGUYEN VAN AN）.docx'
    state: Literal["generated", "edited", "missing"]
    outdated: bool  # an edit made before docgen's content changed (profile, template): to review
    client_copy: bool  # a copy for the client, not submitted


@dataclass(frozen=True)
class PacketDocuments:
    case_id: str
    built: bool  # the case has a packet
    documents: list[EditableDocument]


@dataclass(frozen=True)
class DocumentChanges:
    """What staff changed in a document since docgen generated it, paragraph by paragraph.

    `compared_with`: 'generated' (the version the packet's build made), 'now' (docgen's content changed since —
    the profile or the template — so the edit is compared with what docgen writes now), 'none' (the case no
    longer makes this document: nothing to compare with)."""

    document: EditableDocument
    compared_with: Literal["generated", "now", "none"]
    hunks: list[list[ChangedLine]]
    placeholders: int  # ［ ］ places still to write in


@dataclass(frozen=True)
class EditKept:
    document: EditableDocument
    changes: DocumentChanges


@dataclass(frozen=True)
class _Located:
    case: Case
    packet: Path
    root: Path
    manifest: dict[str, Any] | None
    previous: dict[str, PreviousDocument]
    documents: list[EditableDocument]


def _locate(ctx: RunContext, case_id: str) -> _Located:
    root = case_root(ctx, case_id)
    profile = case_profile(root)
    if not profile:
        raise NotInCases()
    case = ctx.case(root / profile)
    packet = packet_folder(case_folder_at(root, profile), case.profile.case_id)
    manifest = read_manifest(packet) if packet.is_dir() else None
    previous = previous_documents(packet, manifest)
    with tempfile.TemporaryDirectory(prefix="docgen-plan-") as tmp:
        planned = {d.key: d for d in planned_documents(case, Path(tmp))}
    documents = []
    for key, doc in sorted(previous.items(), key=lambda kv: kv[1].docx.name):
        plan = planned.get(key)
        label = plan.label if plan else doc.docx.stem
        state: Literal["generated", "edited", "missing"] = (
            "missing" if doc.content is None and not doc.damaged else "edited" if doc.edited else "generated"
        )
        documents.append(
            EditableDocument(
                key,
                label,
                doc.docx.name,
                f"{case.profile.case_id}-{_safe_name(label)}.docx",
                state,
                doc.outdated is not None and doc.outdated == doc.content,
                bool(plan and plan.client_copy) or doc.docx.parent.name == "client",
            )
        )
    return _Located(case, packet, root, manifest, previous, documents)


def _safe_name(label: str) -> str:
    """A label as part of a file name on Windows and Linux."""
    return "".join("_" if c in '\\/:*?"<>|' or ord(c) < 32 else c for c in label).strip(". ")


def _document(found: _Located, key: str) -> tuple[EditableDocument, PreviousDocument]:
    shown = next((d for d in found.documents if d.key == key), None)
    if shown is None:
        raise NotInCases()
    return shown, found.previous[key]


@use_case
def packet_documents(ctx: RunContext, case_id: str) -> PacketDocuments:
    """The Word documents of the case's last packet, each with its label and state."""
    found = _locate(ctx, case_id)
    return PacketDocuments(case_id, found.manifest is not None, found.documents)


@dataclass(frozen=True)
class DocumentFile:
    path: Path
    download_name: str


@use_case
def document_file(ctx: RunContext, case_id: str, key: str) -> DocumentFile:
    """The Word file of a packet document to send to staff, under its Japanese name; the download is audited."""
    found = _locate(ctx, case_id)
    shown, doc = _document(found, key)
    if shown.state == "missing":
        raise NotInCases()
    record_action(ctx, "download", case_id, _relative(found, doc.docx))
    return DocumentFile(doc.docx, shown.download_name)


def _relative(found: _Located, path: Path) -> str:
    return path.relative_to(found.root).as_posix()


def _baseline(ctx: RunContext, found: _Located, key: str, folder: Path) -> tuple[list[str], str]:
    """What docgen generated for `key`: rendered again as the packet's build did (its time), else as docgen
    writes it now; with which one it is ('generated', 'now', 'none')."""
    doc = found.previous[key]
    made_at = (found.manifest or {}).get("generated_at")
    if isinstance(made_at, str):
        try:
            then = dataclasses.replace(ctx, now=datetime.fromisoformat(made_at))
            again = render_one(then.case(found.case.profile_path), key, folder / "then")
        except ValueError:
            again = None
        if again is not None and content_hash(again) == doc.generated:
            return paragraph_texts(again), "generated"
    now = render_one(found.case, key, folder / "now")
    return (paragraph_texts(now), "now") if now is not None else ([], "none")


def _changes(ctx: RunContext, found: _Located, key: str, current: Path) -> DocumentChanges:
    shown, _ = _document(found, key)
    with tempfile.TemporaryDirectory(prefix="docgen-generated-") as tmp:
        before, compared_with = _baseline(ctx, found, key, Path(tmp))
    after = paragraph_texts(current)
    hunks = paragraph_changes(before, after) if compared_with != "none" else []
    placeholders = sum(n for _, n in placeholders_in(current))
    return DocumentChanges(shown, compared_with, hunks, placeholders)  # type: ignore[arg-type]


@use_case
def document_changes(ctx: RunContext, case_id: str, key: str) -> DocumentChanges:
    """What changed in the packet document `key` since docgen generated it; audited (its text is shown)."""
    found = _locate(ctx, case_id)
    shown, doc = _document(found, key)
    if shown.state == "missing" or doc.damaged:
        raise DocgenError(
            Text(
                f"{doc.docx.name} がないか、Word ファイルとして読めません。作り直してください",
                f"{doc.docx.name} is missing or cannot be read as a Word file; make it again",
            )
        )
    changes = _changes(ctx, found, key, doc.docx)
    record_action(ctx, "view_case", case_id, _relative(found, doc.docx))  # its text was shown
    return changes


def _refused(name: str, ja: str, en: str) -> NotAcceptedWord:
    return NotAcceptedWord(Text(f"{name}: {ja}。何も変更していません", f"{name}: {en}; nothing was changed"))


def _same_document(found: _Located, shown: EditableDocument, name: str, sent: list[str]) -> None:
    """The sent file is an edit of `shown`, not of another document of the packet (by its name, then its text)."""
    stem = PurePosixPath(name.replace("\\", "/")).stem
    others = [d for d in found.documents if d.key != shown.key]
    for other in others:
        names = {PurePosixPath(other.file_name).stem, PurePosixPath(other.download_name).stem}
        if stem in names or any(stem.startswith(f"{n} (") for n in names):  # 'name (1)': a second download
            raise _refused(
                name,
                f"このファイル名は「{other.label}」のものです。「{shown.label}」の編集を送ってください",
                f"this file name is that of {other.label}; send the edit of {shown.label}",
            )
    readable = [(d, found.previous[d.key].docx) for d in [shown, *others] if d.state != "missing"]
    scores = {}
    for doc, path in readable:
        try:
            scores[doc.key] = likeness(sent, paragraph_texts(path))
        except Exception:  # a damaged file in the packet is compared with nothing
            continue
    own = scores.get(shown.key)
    best = max(others, key=lambda d: scores.get(d.key, 0.0), default=None)
    if best is not None and own is not None and scores.get(best.key, 0.0) >= own + OTHER_MARGIN:
        raise _refused(
            name,
            f"内容が「{best.label}」と一致します。「{shown.label}」の編集を送ってください",
            f"its text is that of {best.label}; send the edit of {shown.label}",
        )
    if own is not None and own < MIN_LIKENESS:
        raise _refused(
            name,
            f"内容が「{shown.label}」とほとんど一致しません。この書類を編集したファイルを送ってください",
            f"its text has almost nothing in common with {shown.label}; send an edit of that document",
        )


@use_case
def keep_document_edit(ctx: RunContext, case_id: str, key: str, name: str, data: bytes) -> EditKept:
    """Keep `data` (a Word file staff sent, called `name`) as staff's edit of the packet document `key`, in place
    of its Word file in the packet, once it is checked (see the module docstring); the upload is audited."""
    found = _locate(ctx, case_id)
    shown, doc = _document(found, key)
    check_word_file(data, name)
    with tempfile.TemporaryDirectory(prefix="docgen-upload-") as tmp:
        sent_file = Path(tmp) / "sent.docx"
        sent_file.write_bytes(data)
        sent = paragraph_texts(sent_file)
    tags = template_tags(sent)
    if tags:
        raise _refused(
            name,
            f"テンプレートの記入欄（{'、'.join(tags[:3])}）が残っています。テンプレートではなく、作成された書類を編集して"
            "送ってください",
            f"template tags are left in it ({', '.join(tags[:3])}); send the filled document, not a template",
        )
    _same_document(found, shown, name, sent)
    with open_packet(found.packet, found.case.profile.case_id, [found.case.profile_path]) as ws:
        if doc.docx.relative_to(found.packet).as_posix() not in {
            (d.get("docx") if isinstance(d, dict) else None) for d in (ws.previous or {}).get("documents") or []
        }:
            raise DocgenError(
                Text(
                    f"{doc.docx.name} はパケットの作り直しで変わりました。ページを読み込み直してください",
                    f"{doc.docx.name} changed with a new build of the packet; reload the page",
                )
            )
        _put(ws.staging / "sent.docx", data, doc.docx)
    record_action(ctx, "upload", case_id, _relative(found, doc.docx))
    again = _locate(ctx, case_id)
    kept, _ = _document(again, key)
    return EditKept(kept, _changes(ctx, again, key, doc.docx))


def _put(part: Path, data: bytes, target: Path) -> None:
    """`data` written to `part` (owner-only, flushed to disk), then renamed over `target` in one step; a failure
    (a full disk) leaves `target` as it was and says so."""
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(part, target)
    except OSError as exc:
        why = os.strerror(exc.errno) if exc.errno else type(exc).__name__
        raise DocgenError(
            Text(
                f"{target.name} を書き込めませんでした（{why}）。元のファイルはそのままです。ディスクの空きを確かめて"
                "もう一度送ってください",
                f"{target.name} could not be written ({why}); the file is as it was. Check the free disk space and"
                " send it again",
            )
        ) from None


@use_case
def regenerate_document(ctx: RunContext, case_id: str, key: str) -> PacketMade:
    """Make the packet document `key` again from the profile, replacing staff's edit of it: the packet is built
    again (as the last build: with or without PDFs; a blocked case as a draft, as it could only have been
    built), every other edit kept. Audited."""
    found = _locate(ctx, case_id)
    _, doc = _document(found, key)
    pdf = (found.manifest or {}).get("libreoffice") != WORD_ONLY
    made = make_packet(ctx, found.case.profile_path, out=found.packet, regenerate=[key], pdf=pdf, draft=True)
    record_action(ctx, "regenerate", case_id, _relative(found, doc.docx))
    return made


MAX_UPLOAD_BYTES = MAX_MB * 1_000_000  # what a face reads of a sent Word file (one byte more is refused by size)
