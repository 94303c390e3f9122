"""The packet's Word files as one build stages them: every document filled from its template, a copy of each
staff edit put in place of its rendering (the edit itself stays where it is in the packet), and which edits
are out of date or were asked to be regenerated."""

from __future__ import annotations

import shutil
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from docgen.case import Case
from docgen.checklist import Checklist
from docgen.documents.context import DocumentContext
from docgen.documents.generate import Generated, plan_client_documents, plan_documents, render_planned
from docgen.errors import DocgenError
from docgen.hashing import file_sha256
from docgen.languages import client_language
from docgen.messages import say
from docgen.packet.names import PacketNames
from docgen.packet.plan import KeptEdit
from docgen.packet.rebuild import PreviousDocument, content_hash, previous_documents
from docgen.packet.workspace import Workspace
from docgen.text import NextStep, Notice, Step, Text


def _names_of_document(doc: Generated, old: PreviousDocument | None, names: PacketNames) -> set[str]:
    """The names staff may give a document to regenerate it: its key, its file name (with or without .docx),
    its name-based key ('reason_letter_wang_wei'), and the same for the file of the last build."""
    found = {doc.key, doc.docx.name, doc.docx.stem, names.key(doc.docx)}
    if old is not None:
        found |= {old.docx.name, old.docx.stem, names.key(old.docx)}
    return found


def _check_regenerate(regenerate: Collection[str], known: dict[str, set[str]]) -> None:
    """Every name given to regenerate must be a document of this packet."""
    every = set().union(*known.values()) if known else set()
    unknown = sorted(set(regenerate) - every)
    if unknown:
        listed = "、".join(sorted(known)) or say("（なし）", "(none)")
        raise DocgenError(
            Text(
                f"作り直す書類の名前 {'、'.join(unknown)} はこの一式にありません。何も変更していません。"
                f"指定できる名前: {listed}",
                f"no document of this packet is called {', '.join(unknown)}; nothing was changed."
                f" Names you can give: {listed}",
            )
        )


def lookup_previous(
    doc: Generated, previous: dict[str, PreviousDocument], names: PacketNames
) -> PreviousDocument | None:
    return previous.get(doc.key) or previous.get("legacy:" + names.key(doc.docx))


@dataclass
class StagedDocuments:
    """The documents of this build, staged: generated (submitted), client copies, and what was kept."""

    generated: list[Generated]
    client: list[Generated]
    fresh: dict[Path, str]  # content hash of docgen's rendering, per staged Word file
    kept: dict[Path, KeptEdit]  # staged copies of staff edits
    outdated: list[Path]
    previous: dict[str, PreviousDocument]
    regenerated: list[Path]  # staff edits replaced on request
    templates: dict[str, tuple[Path, str]]  # the templates the documents were filled from: name -> (file, origin)

    @property
    def all(self) -> list[Generated]:
        return self.generated + self.client


def stage_documents(
    case: Case,
    ws: Workspace,
    checklist: Checklist,
    by_person: dict[str, DocumentContext],
    regenerate: Collection[str],
) -> StagedDocuments:
    """Fill every document into the staging folder, then put a copy of each staff edit in place of its
    rendering (unless staff asked to regenerate it)."""
    names = PacketNames(case.profile.case_id)
    generated = plan_documents(case, checklist, ws.new / "docx")
    recorded = case.profile.client_language
    languages: dict[str, str] = {n: client_language(recorded, c.applicant.nationality) for n, c in by_person.items()}
    client = plan_client_documents(case, checklist, ws.new / "client", languages)
    previous = previous_documents(ws.folder, ws.previous)
    known = {
        names.key(d.docx): _names_of_document(d, lookup_previous(d, previous, names), names) for d in generated + client
    }
    _check_regenerate(regenerate, known)
    templates = render_planned(case, generated + client, by_person)
    fresh = {d.docx: content_hash(d.docx) for d in generated + client}
    kept: dict[Path, KeptEdit] = {}
    outdated, regenerated = [], []
    for doc in generated + client:
        old = lookup_previous(doc, previous, names)
        if old is None or not old.edited:
            continue
        if _names_of_document(doc, old, names) & set(regenerate):
            regenerated.append(doc.docx)
            continue
        if old.damaged:
            raise DocgenError(
                Text(
                    f"{old.docx.relative_to(ws.folder)} は Word ファイルとして読めません（壊れているか、保存の途中"
                    "です）。何も変更していません。Word で開いて保存し直すか、作り直してください",
                    f"{old.docx.relative_to(ws.folder)} cannot be read as a Word file (damaged, or being saved);"
                    " nothing was changed. Open and save it in Word, or make it again",
                ),
                steps=(NextStep(Step.REGENERATE, names.key(doc.docx)),),
            )
        shutil.copyfile(old.docx, doc.docx)
        kept[doc.docx] = KeptEdit(
            old.docx.relative_to(ws.folder).as_posix(),
            doc.docx.relative_to(ws.new).as_posix(),
            file_sha256(doc.docx) or "",
        )
        if fresh[doc.docx] != old.generated or (old.outdated is not None and old.outdated == content_hash(doc.docx)):
            outdated.append(doc.docx)
    return StagedDocuments(generated, client, fresh, kept, outdated, previous, regenerated, templates)


def labels_of(checklist: Checklist, docs: StagedDocuments) -> dict[Path, str]:
    titles = {item.id: item.title() for item in checklist.items}
    return {g.docx: f"{titles[g.item_id]}（{g.person}）" for g in docs.generated}


def stale_notes(docs: StagedDocuments, labels: dict[Path, str], names: PacketNames) -> list[Notice]:
    return [
        Notice(
            Text(
                f"{labels.get(d, d.name)}: 編集した後に、docgen が作る内容（プロフィール・テンプレートから）が変わり"
                f"ました。編集した {d.name} をそのまま使っています。Word で見直して保存するか、作り直してください",
                f"{labels.get(d, d.name)}: what docgen writes (from the profile and the template) changed after"
                f" staff edited it; the edited {d.name} was kept. Review and save it in Word, or make it again",
            ),
            (NextStep(Step.REGENERATE, names.key(d)),),
        )
        for d in docs.outdated
    ]
