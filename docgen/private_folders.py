"""Owner-only folders, whatever the process's umask: docgen never changes the umask (a process-wide setting a
server shares), so every folder it makes is made 700 here and every file it writes is set 600 where it is
written (docgen.packet.safe_write, the packet's commit)."""

from __future__ import annotations

from pathlib import Path


def private_folder(path: Path) -> Path:
    """Make `path` and the folders above it that are missing, each owner-only; a folder that exists is left as
    it is (the office's own output folder keeps the mode the office gave it)."""
    path = Path(path)
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for p in reversed(missing):
        p.mkdir(mode=0o700, exist_ok=True)
        p.chmod(0o700)  # mkdir's mode is masked by the umask
    return path
