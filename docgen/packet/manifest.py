"""manifest.json: what went into a packet (hashes, rule versions and sources, tool versions).

Holds no personal data beyond the case id: files are named, not described.
"""

from __future__ import annotations

import hashlib
import json
import platform
from datetime import datetime
from pathlib import Path
from typing import Any

from docgen.checklist.build import Checklist
from docgen.pdf.evidence import EvidenceSet
from docgen.rules.book import RuleBook


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def write_manifest(target: Path, *, profile_path: Path, evidence: EvidenceSet, checklist: Checklist, book: RuleBook,
                   templates: dict[str, tuple[Path, str]], libreoffice: str, bundle_pages: int, tool_version: str,
                   generated_at: datetime) -> None:
    data: dict[str, Any] = {
        "tool": {"name": "docgen", "version": tool_version, "python": platform.python_version()},
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "case": {"category": checklist.category, "application_date": checklist.application_date.isoformat()},
        "inputs": {
            "profile": {"file": profile_path.name, "sha256": sha256(profile_path)},
            "evidence": [{"file": f.source.name, "item": f.item_id, "pages": f.pages, "sha256": sha256(f.source)}
                         for files in evidence.files.values() for f in files],
            "evidence_rejected": [{"file": p.name, "reason": r} for p, r in evidence.rejected],
        },
        "templates": [{"name": name, "file": str(path.name), "origin": origin, "sha256": sha256(path)}
                      for name, (path, origin) in sorted(templates.items())],
        "libreoffice": libreoffice,
        "rules": {
            "files": [{"file": str(p.name), "folder": str(p.parent.name), "sha256": sha256(p)} for p in book.files],
            "items": [{
                "id": i.id,
                "version": {"from": i.rule.version_from.isoformat(), "until": i.rule.version_until.isoformat() if i.rule.version_until else None},
                "last_checked": i.rule.last_checked.isoformat(),
                "needs_review": i.rule.needs_review,
                "sources": [{"title": s.title, "url": s.url, "reliability": s.reliability} for s in i.rule.sources],
            } for i in checklist.items],
        },
        "bundle": {"pages": bundle_pages},
    }
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
