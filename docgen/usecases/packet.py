"""Make a case's application packet (`docgen packet`, the web app's パケット作成): the folders chosen for the
case, the build, and who accepted what."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from docgen.packet.build import Acceptance, PacketResult, build_packet, case_folder_of, default_folder
from docgen.pdf.converter import Converter
from docgen.usecases.context import RunContext, use_case
from docgen.usecases.converter import packet_converter


@dataclass(frozen=True)
class PacketMade:
    """The packet built, and the evidence folder its scans were read from (None when there was none)."""

    result: PacketResult
    evidence: Path | None
    warm: bool = False  # its PDFs were made by a warm converter (a batch's, or the office's running one)


@use_case
def make_packet(
    ctx: RunContext,
    profile: Path,
    *,
    evidence: Path | None = None,
    out: Path | None = None,
    regenerate: Collection[str] = (),
    final: bool = False,
    accept_reason: str | None = None,
    draft: bool = False,
    pdf: bool = True,
    progress: Callable[[str], None] = lambda stage: None,
    converter: Converter | None = None,
) -> PacketMade:
    """Fill the templates, convert to PDF and bundle with the index. The scans come from `evidence`, else the
    case folder's evidence/ (as `case new` laid it out); the packet goes to `out`, else the case folder's packet
    folder, else the output folder. An acceptance of what is missing is recorded with the run's user. PDFs are
    made by `converter` (a batch's warm pool), else by the office's running warm converter when there is one,
    else by one LibreOffice call."""
    case = ctx.case(profile)
    folder = case_folder_of(case)
    if evidence is None and folder is not None and folder.evidence.is_dir():
        evidence = folder.evidence
    attached, warm = None, converter is not None
    if converter is None:
        converter, attached = packet_converter(ctx.settings, pdf)
        warm = attached is not None
    try:
        result = build_packet(
            case,
            out=out or default_folder(case),
            evidence=evidence,
            pdf=pdf,
            regenerate=regenerate,
            final=final,
            accept=Acceptance(ctx.user, accept_reason) if accept_reason else None,
            draft=draft,
            progress=progress,
            converter=converter,
        )
    finally:
        if attached is not None:
            attached.close()
    return PacketMade(result, evidence, warm and pdf)
