"""The manifest (<case id>-manifest.json): the packet's record — what went in (hashes, rule versions and
sources, tool versions, the settings file), what is still missing (as data: the board and other readers use
this, never the text reports), the documents with their hashes, and every file docgen wrote in the folder
(`files`: a rebuild touches only these, docgen/packet/plan.py).

Holds no personal data beyond the case id: files are named, not described.
"""

from __future__ import annotations

import platform
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from docgen import __version__
from docgen.assessment.decision import Decision
from docgen.assessment.results import CaseAssessment
from docgen.case import Case
from docgen.checklist.model import Checklist, ChecklistItem
from docgen.checklist.progress import ItemProgress
from docgen.hashing import file_sha256
from docgen.packet.journal import Journal
from docgen.pdf.evidence import EvidenceSet
from docgen.rules.sources import sources_json


def sha256(path: Path) -> str:
    return file_sha256(path) or ""


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


def missing_json(
    missing: list[ChecklistItem],
    placeholders: int,
    progress: Sequence[ItemProgress] = (),
    rejected: Sequence[tuple[Path, str]] = (),
) -> dict[str, Any]:
    """What is still missing, as data: the items the client brings and those the office prepares, how many
    ［ ］ places are left to write in, each counted item's count (people by role, no names) and how many scans
    were left out."""

    def items(prepared_by: str) -> list[dict[str, str]]:
        return [{"item": i.id, "title": i.title()} for i in missing if i.rule.prepared_by == prepared_by]

    return {
        "client": items("client"),
        "office": items("office"),
        "placeholders": placeholders,
        "counts": [p.to_json() for p in progress if p.counted],
        "excluded_scans": len(rejected),
    }


def _without_names(decision: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """The decision as the manifest keeps it: whose blocker or risk by position ('applicant1' is the main
    applicant, then the family filing together), never by name."""
    ids = {name: f"applicant{n}" for n, name in enumerate(names, 1)}
    for key in ("blockers", "risks", "review"):
        for entry in decision.get(key) or []:
            if entry.get("applicant") is not None:
                entry["applicant"] = ids.get(entry["applicant"], "applicant")
    return decision


def manifest_draft(
    *,
    case: Case,
    assessment: CaseAssessment,
    evidence: EvidenceSet,
    checklist: Checklist,
    templates: dict[str, tuple[Path, str]],
    libreoffice: str,
    bundle_pages: int,
    missing: dict[str, Any],
    documents: list[dict[str, Any]],
    stale: list[str],
    decision: Decision,
    final: dict[str, Any],
) -> dict[str, Any]:
    """The manifest of a build before its files are in place (`files` and `kept` are added by the commit)."""
    return {
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
        "settings": {"file": str(case.settings.source) if case.settings.source else None},
        "decision": _without_names(decision.to_json(), [a.applicant for a in assessment.everyone]),
        "final": final,  # the filing copy: final or not, who accepted what and why
        "assessment": [
            {
                "category": a.category,
                "routes": {r.id: r.status.value for r in a.routes if r.filed},
                "findings": sorted(k.value for k in a.finding_kinds),
            }
            for a in assessment.everyone
        ],
        "inputs": {
            # the bytes the packet was built from, hashed when they were read
            "profile": {"file": case.profile_path.name, "sha256": case.profile_sha256},
            "evidence": [
                {"file": f.source.name, "item": f.item_id, "pages": f.pages, "sha256": f.sha256}
                for files in evidence.files.values()
                for f in files
            ],
            "evidence_rejected": [{"file": p.name, "reason": r} for p, r in evidence.rejected],
            "evidence_sanitised": [{"file": p.name, "removed": r} for p, r in evidence.sanitised],
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
        "missing": missing,
        "documents": documents,  # what a rebuild compares against (docgen/packet/rebuild.py)
        "stale": stale,  # why the packet may not match its inputs: 'profile_changed', 'kept_files'
        "files": {},
        "kept": [],
    }


def finalize_manifest(journal: Journal) -> dict[str, Any]:
    """The manifest once a build's steps are done: files left as they were (changed by staff meanwhile) are not
    docgen's and not listed in `files`; a staff edit that could not be renamed keeps its old name."""
    data = dict(journal.manifest)
    kept = sorted(set(journal.kept) | set(data.get("kept") or []))
    data["files"] = {rel: sha for rel, sha in (data.get("files") or {}).items() if rel not in kept}
    stay = {s.target: s.source for s in journal.steps if s.kind == "move" and s.target in journal.kept}
    documents = [d for d in data.get("documents") or [] if isinstance(d, dict)]
    data["documents"] = [{**d, "docx": stay.get(str(d.get("docx")), d.get("docx"))} for d in documents]
    data["kept"] = kept
    if kept and "kept_files" not in data.get("stale", []):
        data["stale"] = [*data.get("stale", []), "kept_files"]
    return data
