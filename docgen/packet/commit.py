"""Putting a staged packet in place: the plan of what may be touched (plan.py), carried out through the journal
(journal.py); the manifest records what was kept as staff's and why the packet may be stale."""

from __future__ import annotations

import os
from pathlib import Path

from docgen.case import Case
from docgen.hashing import file_sha256
from docgen.messages import say
from docgen.packet.journal import Journal, apply
from docgen.packet.manifest import finalize_manifest
from docgen.packet.names import PacketNames
from docgen.packet.plan import plan_changes
from docgen.packet.staged import StagedDocuments
from docgen.packet.workspace import Workspace


def commit(
    case: Case, ws: Workspace, docs: StagedDocuments, record: dict, names: PacketNames
) -> tuple[list[str], list[str]]:
    """Put the staged packet in place through the journal; what was in the way, or changed during the build
    (a Word file saved meanwhile, the profile edited), is kept as it is: returns those files and the notes that
    say so."""
    notes: list[str] = []
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
    record["files"], record["kept"] = plan.files, plan.conflicts
    changed_edits = [k.source for k in docs.kept.values() if file_sha256(ws.folder / k.source) != k.sha256]
    if file_sha256(case.profile_path) != case.profile_sha256:
        record["stale"].append("profile_changed")
        notes.append(
            say(
                "作成中にプロフィールが変更されました。この一式は読み込んだ時点のプロフィールから作成しています。"
                "もう一度作成してください",
                "the profile changed while the packet was being built; this packet is from the profile as it was"
                " read. Build again",
            )
        )
    if changed_edits:
        record["stale"].append("edited_during_build")
    journal = apply(ws.folder, Journal(ws.staging.name, plan.steps, names.manifest, record), finalize_manifest)
    kept = sorted(set(journal.kept) | set(plan.conflicts) | set(changed_edits))
    for rel in kept:
        notes.append(
            say(
                f"{rel}: docgen が書いた後に変更されていた（または作成中に保存された）ため、置き換えずにそのまま"
                "残しました。新しい版にするには、このファイルを移動してからもう一度作成してください",
                f"{rel}: changed after docgen wrote it (or saved during the build), so it was kept as it is. To get"
                " the new version, move this file away and build again",
            )
        )
    return kept, notes
