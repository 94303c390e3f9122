"""A case's packet as its manifest tells it (docgen wrote it: for which case, profile and date, and what is still
missing). Read only, nothing is regenerated, and never a text report: missing.txt lists the evidence folder's
file names, which could forge its lines, so the board reads the manifest's structured "missing" section alone.

The manifest's parts the board reads:
    "case": {"id", "application_date"}, "generated_at",
    "stale": true, or the reasons ["profile_changed", "kept_files"] the packet may not match its inputs,
    "inputs": {"profile": {"file", "sha256"}}  (the profile bytes the packet was built from),
    "missing": {"client": [{"item", "title"}, …], "office": [{"item", "title"}, …], "placeholders": <int>}
A manifest without "missing" comes from an older docgen: the board says to make the packet again.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from pydantic import BaseModel, Field, NonNegativeInt, StrictBool, StrictStr, ValidationError

from docgen.board.model import PacketState
from docgen.packet.journal import JOURNAL
from docgen.packet.names import read_manifest
from docgen.text import Text

OLD_FORMAT = "古い形式"
DAMAGED = "記録が読めません"
STALE_REASONS = {
    "profile_changed": Text(
        "パケット作成中にプロフィールが変更されました：作り直してください",
        "the profile changed while the packet was being made: make it again",
    ),
    "kept_files": Text(
        "パケット作成中に変更されたファイルをそのまま残しました：内容を確認してください",
        "files changed while the packet was being made were kept as they were: check them",
    ),
}
STALE = Text(
    "パケットが元の資料と合っていない可能性があります：作り直してください",
    "the packet may not match its sources: make it again",
)


class _Item(BaseModel):
    item: StrictStr
    title: StrictStr


class _Missing(BaseModel):
    client: list[_Item]
    office: list[_Item]
    placeholders: NonNegativeInt


class _ProfileInput(BaseModel):
    sha256: StrictStr | None = None


class _Inputs(BaseModel):
    profile: _ProfileInput | None = None


class _Case(BaseModel):
    id: StrictStr | None = None
    application_date: date | None = None


class _Manifest(BaseModel):
    """The manifest's parts the board reads (other keys are ignored); a wrong type anywhere fails validation."""

    generated_at: datetime | None = None
    case: _Case = Field(default_factory=_Case)
    inputs: _Inputs = Field(default_factory=_Inputs)
    missing: _Missing | None = None
    stale: StrictBool | list[StrictStr] = False


def _outdated(m: _Manifest, case_id: str, application_date: date, profile_sha: str) -> list[Text]:
    """Why the packet no longer matches the profile, in staff words (no profile values)."""
    notes = []
    if m.case.id is not None and m.case.id != case_id:
        notes.append(
            Text(
                "パケットの案件IDがプロフィールと異なります（別の案件のパケットです）",
                "the packet's case ID differs from the profile's (it is another case's packet)",
            )
        )
    if m.case.application_date is not None and m.case.application_date != application_date:
        planned = m.case.application_date
        notes.append(
            Text(
                f"パケットの申請予定日 {planned} がプロフィールと異なります",
                f"the packet's planned filing date {planned} differs from the profile's",
            )
        )
    reasons = m.stale if isinstance(m.stale, list) else ["profile_changed"] if m.stale else []
    notes += dict.fromkeys(STALE_REASONS.get(r, STALE) for r in reasons)  # each once, in order
    recorded = m.inputs.profile.sha256 if m.inputs.profile else None
    if "profile_changed" not in reasons and recorded and recorded != profile_sha:
        notes.append(
            Text("パケット作成後にプロフィールが変更されています", "the profile has changed since the packet was made")
        )
    return notes


def read_packet(packet: Path, case_id: str, application_date: date, profile_sha: str) -> PacketState | None:
    """The packet folder's state, or None when the case has no packet yet; `profile_sha`: the hash of the profile
    bytes the board read (Case.profile_sha256)."""
    if not packet.is_dir():
        return None
    manifest = read_manifest(packet)
    stopped = Text(
        "作成が途中で止まっています：もう一度作成すると完了します",
        "making the packet stopped half-way: make it again to finish",
    )
    interrupted = (stopped,) if (packet / JOURNAL).exists() else ()
    if manifest is None:
        return PacketState(packet.name, complete=False, outdated=interrupted)
    try:
        m = _Manifest.model_validate(manifest)
    except ValidationError:
        return PacketState(
            packet.name,
            complete=True,
            unknown=DAMAGED,
            outdated=(
                Text(
                    "パケットの記録（manifest）を読めません：作り直してください",
                    "the packet's record (manifest) cannot be read: make the packet again",
                ),
            ),
        )
    outdated = [*interrupted, *_outdated(m, case_id, application_date, profile_sha)]
    generated = m.generated_at.isoformat(timespec="seconds") if m.generated_at else None
    if m.missing is None:
        outdated.append(Text("古い形式のパケット：作り直してください", "a packet in an old format: make it again"))
        return PacketState(
            packet.name, complete=True, generated_at=generated, unknown=OLD_FORMAT, outdated=tuple(outdated)
        )
    return PacketState(
        packet.name,
        complete=True,
        generated_at=generated,
        from_client=tuple(i.title for i in m.missing.client),
        by_office=tuple(i.title for i in m.missing.office),
        placeholders=m.missing.placeholders,
        outdated=tuple(outdated),
    )
