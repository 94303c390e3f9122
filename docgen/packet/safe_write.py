"""Writing outputs without losing anything: temp file/folder + rename, owner-only permissions."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from docgen.errors import DocgenError


@contextmanager
def private_file(target: Path) -> Iterator[Path]:
    """Yield a temporary path next to `target`; on success it replaces `target` (mode 600)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    part = Path(tmp)
    try:
        yield part
        part.chmod(0o600)
        os.replace(part, target)
    finally:
        if part.exists():
            part.unlink()


def _remove_abandoned(target: Path) -> None:
    """Delete hidden work folders of earlier runs for `target` that were killed (they hold personal data)."""
    for folder in target.parent.glob(f".{target.name}.partial-*"):
        try:
            pid = int(folder.name.rsplit(".partial-", 1)[1].split("-", 1)[0])
        except (IndexError, ValueError):
            continue
        try:
            os.kill(pid, 0)  # still running: leave it alone
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:
            continue


@contextmanager
def private_folder(target: Path, *, force: bool) -> Iterator[Path]:
    """Yield a hidden temporary folder next to `target`; it becomes `target` only when complete.

    An existing `target` is kept unless `force`; then it is replaced in one rename at the end,
    so a failed or killed run never leaves a half-written packet or loses the old one.
    """
    target = Path(target)
    if target.exists() and not force:
        raise DocgenError(f"{target} already exists; use --force to replace it (the existing packet was kept)")
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(target)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-{os.getpid()}-", dir=target.parent))
    work.chmod(0o700)
    try:
        yield work
        for root, dirs, files in os.walk(work):
            for name in files:
                Path(root, name).chmod(0o600)
            for name in dirs:
                Path(root, name).chmod(0o700)
        if target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            os.replace(target, old)
            os.replace(work, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(work, target)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
