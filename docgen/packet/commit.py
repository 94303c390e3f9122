"""Putting a staged packet in place: the plan of what may be touched (plan.py), carried out through the journal
(journal.py); the manifest records what was kept as staff's and why the packet may be stale."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.case import Case
from docgen.hashing import file_sha256
from docgen.packet.journal import Journal, apply
from docgen.packet.manifest import finalize_manifest
from docgen.packet.names import PacketNames
from docgen.packet.plan import plan_changes
from docgen.packet.staged import StagedDocuments
from docgen.packet.workspace import Workspace
from docgen.text import Notice, Text


@dataclass(frozen=True)
class Committed:
    """What the commit kept as staff's (files in the way, or changed during the build) and the notes saying so."""

    kept: list[str]
    notes: list[Notice]


def commit(case: Case, ws: Workspace, docs: StagedDocuments, record: dict[str, Any], names: PacketNames) -> Committed:
    """Put the staged packet in place through the journal, with the manifest `record` completed by the files
    put in place; what was in the way, or changed during the build (a Word file saved meanwhile, the profile
    edited), is kept as it is."""
    notes: list[Notice] = []
    for root, dirs, files in os.walk(ws.new):
        for name in files:
            Path(root, name).chmod(0o600)
        for name in dirs:
            Path(root, name).chmod(0o700)
    plan = plan_changes(
        ws.folder,
        ws.new,
        ws.owned,
        list(docs.kept.values()),
        replace={d.relative_to(ws.new).as_posix() for d in docs.regenerated},
    )
    stale = list(record["stale"])
    changed_edits = [k.source for k in docs.kept.values() if file_sha256(ws.folder / k.source) != k.sha256]
    if file_sha256(case.profile_path) != case.profile_sha256:
        stale.append("profile_changed")
        notes.append(
            Notice(
                Text(
                    "作成中にプロフィールが変更されました。この一式は読み込んだ時点のプロフィールから作成しています。"
                    "もう一度作成してください",
                    "the profile changed while the packet was being built; this packet is from the profile as it"
                    " was read. Build again",
                )
            )
        )
    if changed_edits:
        stale.append("edited_during_build")
    manifest = {**record, "files": plan.files, "kept": plan.conflicts, "stale": stale}
    journal = apply(ws.folder, Journal(ws.staging.name, plan.steps, names.manifest, manifest), finalize_manifest)
    kept = sorted(set(journal.kept) | set(plan.conflicts) | set(changed_edits))
    notes += [
        Notice(
            Text(
                f"{rel}: docgen が書いた後に変更されていた（または作成中に保存された）ため、置き換えずにそのまま"
                "残しました。新しい版にするには、このファイルを移動してからもう一度作成してください",
                f"{rel}: changed after docgen wrote it (or saved during the build), so it was kept as it is. To get"
                " the new version, move this file away and build again",
            )
        )
        for rel in kept
    ]
    return Committed(kept, notes)
