"""One hash helper (issue 19): every sha256 docgen compares — the manifest's inputs, the files it wrote, the
profile a case was read from, what a file held when it was read — comes from docgen/hashing.py, so two places
can never hash the same thing two ways. The Word files' content hash (packet/rebuild.py: every part but the
document properties) is a different fingerprint and says so."""

from __future__ import annotations

from pathlib import Path

from docgen.hashing import bytes_sha256, file_sha256
from tests.conftest import ROOT

ALLOWED = {"docgen/hashing.py", "docgen/packet/rebuild.py"}


def test_only_the_hash_helper_uses_hashlib() -> None:
    users = {
        str(p.relative_to(ROOT)) for p in (ROOT / "docgen").rglob("*.py") if "hashlib" in p.read_text(encoding="utf-8")
    }
    assert users <= ALLOWED, users - ALLOWED


def test_the_bytes_read_hash_as_the_file_they_came_from(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_bytes(b"case_id: 2026-001\n")
    assert bytes_sha256(path.read_bytes()) == file_sha256(path)
    assert file_sha256(tmp_path / "gone.yaml") is None
