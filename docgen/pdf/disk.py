"""A folder that cannot be written, in staff words: a full disk, a read-only disk, no permission, not a folder.

The PDF stage writes into the packet's work folder and LibreOffice into the temporary folder (TMPDIR); when
either fails, the message names that folder and the cause instead of a stack trace or a blamed document.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from docgen.errors import DocgenError
from docgen.messages import say

MIN_FREE_MB = 10  # LibreOffice's profile takes about 1 MB and a packet's PDFs a few MB


class DiskError(DocgenError):
    """A folder the PDF stage needs cannot be written; the message names it and the cause."""


def disk_message(exc: OSError, folder: Path, label: tuple[str, str] = ("", "")) -> str | None:
    """The staff message for a write that failed in `folder` (`label` says what the folder is, like
    ('一時フォルダー（TMPDIR）', 'the temporary folder (TMPDIR)')), or None for an error of another kind."""
    ja = f"{label[0]} {folder}".strip()
    en = f"{label[1]} {folder}".strip()
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return say(
            f"ディスクの空きがありません（{ja}）。空きを作ってから、もう一度実行してください",
            f"the disk is full ({en}); free some space and run again",
        )
    if exc.errno == errno.EROFS:
        return say(
            f"{ja} は読み取り専用のディスクにあるため書き込めません。書き込めるフォルダーを使ってください",
            f"{en} is on a read-only disk and cannot be written; use a folder that can be written",
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return say(
            f"{ja} に書き込む権限がありません。フォルダーの権限を確認してください",
            f"no permission to write in {en}; check the folder's permissions",
        )
    if exc.errno in (errno.ENOTDIR, errno.ENOENT):
        return say(
            f"{ja} はフォルダーではないか、存在しません。書き込めるフォルダーを使ってください",
            f"{en} is not a folder or does not exist; use a folder that can be written",
        )
    return None


@contextmanager
def writing(folder: Path, label: tuple[str, str] = ("", "")) -> Iterator[None]:
    """Writes into `folder` inside this block fail with a DiskError naming it (other errors pass unchanged)."""
    try:
        yield
    except OSError as exc:
        message = disk_message(exc, folder, label)
        if message is None:
            raise
        raise DiskError(message) from None


def check_writable(folder: Path, label: tuple[str, str] = ("", ""), free_mb: int = MIN_FREE_MB) -> None:
    """`folder` takes a new file and has `free_mb` MB free, or a DiskError says which is not so."""
    with writing(folder, label):
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".docgen-probe-")
        os.close(fd)
        os.unlink(probe)
        if shutil.disk_usage(folder).free < free_mb * 1_000_000:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder))


TMPDIR_LABEL = ("一時フォルダー（環境変数 TMPDIR）", "the temporary folder (TMPDIR)")


def check_tmpdir() -> None:
    """The temporary folder named by TMPDIR, when set, can be written (Python quietly uses another one, but
    LibreOffice fails with a stack trace)."""
    named = os.environ.get("TMPDIR")
    if not named:
        return
    try:
        check_writable(Path(named), TMPDIR_LABEL)
    except DiskError as exc:
        raise DiskError(
            f"{exc}"
            + say(
                "（環境変数 TMPDIR を書き込めるフォルダーにするか、設定を外してください）",
                " (point TMPDIR at a folder that can be written, or unset it)",
            )
        ) from None


__all__ = ["MIN_FREE_MB", "TMPDIR_LABEL", "DiskError", "check_tmpdir", "check_writable", "disk_message", "writing"]
