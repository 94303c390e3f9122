"""A case's packet as its files tell it: the manifest (docgen wrote it; for which profile and date) and
missing.txt (what is still to collect). Read only: nothing is regenerated."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

from docgen.board.model import PacketState
from docgen.packet.names import read_manifest, report_path

# the headings docgen.packet.reports.missing_report writes
CLIENT_HEADING = re.compile(r"^依頼者から受け取る書類（(\d+)件）")
CLIENT_NONE = "依頼者から受け取る書類はありません。"
OFFICE_HEADING = re.compile(r"^事務所で用意する書類（(\d+)件）")
PLACES_HEADING = re.compile(r"^書類に記入が必要な箇所（［ ］の部分、\d+通に(\d+)箇所）")
ITEM_LINE = re.compile(r"^  □ (.+)$")


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def parse_missing(text: str) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None, int]:
    """(titles from the client, titles by the office, ［…］ places) from missing.txt; None: no such section."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    places = 0
    for line in text.splitlines():
        if line == CLIENT_NONE:
            sections["client"], current = [], None
        elif CLIENT_HEADING.match(line):
            current = sections.setdefault("client", [])
        elif OFFICE_HEADING.match(line):
            current = sections.setdefault("office", [])
        elif m := PLACES_HEADING.match(line):
            places, current = int(m.group(1)), None
        elif (m := ITEM_LINE.match(line)) and current is not None:
            current.append(m.group(1).split("　")[0])  # the title, without the period and the people
        elif not line.startswith("  "):
            current = None
    client = tuple(sections["client"]) if "client" in sections else None
    office = tuple(sections.get("office", ())) if client is not None else None
    return client, office, places


def read_packet(packet: Path, application_date: date, profile_sha: str) -> PacketState | None:
    """The packet folder's state, or None when the case has no packet yet; `profile_sha`: the profile's now."""
    if not packet.is_dir():
        return None
    manifest = read_manifest(packet)
    if manifest is None:
        return PacketState(packet.name, complete=False)
    outdated = []
    made_for = (manifest.get("case") or {}).get("application_date")
    if made_for and made_for != application_date.isoformat():
        outdated.append(f"パケットの申請予定日 {made_for} がプロフィールと異なります")
    recorded = ((manifest.get("inputs") or {}).get("profile") or {}).get("sha256")
    if recorded and recorded != profile_sha:
        outdated.append("パケット作成後にプロフィールが変更されています")
    try:
        client, office, places = parse_missing(report_path(packet, manifest).read_text(encoding="utf-8"))
    except OSError:
        client, office, places = None, None, 0
    generated = manifest.get("generated_at")
    return PacketState(
        packet.name,
        complete=True,
        generated_at=generated if isinstance(generated, str) else None,
        from_client=client,
        by_office=office,
        placeholders=places,
        outdated=tuple(outdated),
    )
