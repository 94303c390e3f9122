"""The one hash helper: sha256 of a file's bytes (inputs in the manifest, files docgen wrote, the board), or of
bytes already read (what a file held when docgen read it)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: Path) -> str | None:
    """The hex sha256 of a file's bytes; None when there is no such file."""
    h = hashlib.sha256()
    try:
        with Path(path).open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
    return h.hexdigest()


def bytes_sha256(data: bytes) -> str:
    """The hex sha256 of bytes already read, comparable with `file_sha256` of the file they came from."""
    return hashlib.sha256(data).hexdigest()
