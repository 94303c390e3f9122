"""The manifest (<case id>-manifest.json): what went into a packet (hashes, rule versions and sources, tool versions).

Holds no personal data beyond the case id: files are named, not described.
"""

from __future__ import annotations

import hashlib
import json
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

from docgen import __version__
from docgen.assessment.results import CaseAssessment
from docgen.case import Case
from docgen.checklist.model import Checklist
from docgen.pdf.evidence import EvidenceSet
from docgen.rules.sources import sources_json


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


LIBRARIES = (
    "docxtpl",
    "pypdf",
    "pikepdf",
    "img2pdf",
    "reportlab",
    "pydantic",
    "jinja2",
    "typer",
    "ruamel.yaml",
    "python-dateutil",
)


def library_versions() -> dict[str, str]:
    """The installed version of each library that shapes the output."""
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def write_manifest(
    target: Path,
    *,
    case: Case,
    assessment: CaseAssessment,
    evidence: EvidenceSet,
    checklist: Checklist,
    templates: dict[str, tuple[Path, str]],
    libreoffice: str,
    bundle_pages: int,
    documents: list[dict[str, Any]] | None = None,
) -> None:
    data: dict[str, Any] = {
        "tool": {
            "name": "docgen",
            "version": __version__,
            "python": platform.python_version(),
            "libraries": library_versions(),
        },
        "generated_at": case.now.isoformat(timespec="seconds"),
        "case": {
            "id": case.profile.case_id,  # the packet's file names carry it (docgen.packet.names)
            "category": checklist.category,
            "application_date": checklist.application_date.isoformat(),
            "release_day": "{:02d}-{:02d}".format(*case.release_day),
        },
        "assessment": [
            {
                "category": a.category,
                "routes": {r.id: r.status.value for r in a.routes if r.filed},
                "findings": sorted(k.value for k in a.finding_kinds),
            }
            for a in assessment.everyone
        ],
        "inputs": {
            "profile": {"file": case.profile_path.name, "sha256": sha256(case.profile_path)},
            "evidence": [
                {"file": f.source.name, "item": f.item_id, "pages": f.pages, "sha256": sha256(f.source)}
                for files in evidence.files.values()
                for f in files
            ],
            "evidence_rejected": [{"file": p.name, "reason": r} for p, r in evidence.rejected],
        },
        "templates": [
            {"name": name, "file": str(path.name), "origin": origin, "sha256": sha256(path)}
            for name, (path, origin) in sorted(templates.items())
        ],
        "libreoffice": libreoffice,
        "rules": {
            "files": [
                {"file": str(p.name), "folder": str(p.parent.name), "sha256": sha256(p)} for p in case.book.files
            ],
            "items": [
                {
                    "id": i.id,
                    "version": {
                        "from": i.rule.version_from.isoformat(),
                        "until": i.rule.version_until.isoformat() if i.rule.version_until else None,
                    },
                    "last_checked": i.rule.last_checked.isoformat(),
                    "needs_review": i.rule.needs_review,
                    "sources": sources_json(i.rule.sources),
                }
                for i in checklist.items
            ],
        },
        "bundle": {"pages": bundle_pages},
        "documents": documents or [],  # what a rebuild compares against (docgen/packet/rebuild.py)
    }
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
