"""Opening a packet folder for a build: the folder is the office's, docgen works inside it.

`open_packet` refuses a folder that is not a packet of this case (another case's packet, a folder of other
files, an input of the run), takes the packet's lock (one build at a time), finishes what an interrupted build
left (its journal), removes what a killed build left before it had a journal, and gives the build a private
staging folder inside the packet (same file system: each new file is later renamed over its old version).
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError
from docgen.packet.journal import JOURNAL, STAGING, Journal, abandoned_staging, recover
from docgen.packet.manifest import finalize_manifest
from docgen.packet.names import read_manifest
from docgen.packet.plan import legacy_files
from docgen.packet.safe_write import check_not_input
from docgen.text import Text


@dataclass
class Workspace:
    folder: Path  # the packet folder
    staging: Path  # <packet>/.docgen-staging-<pid>: this run's files; nothing of it is the packet yet
    previous: dict[str, Any] | None  # the packet's manifest before this build (None: a new packet)
    recovered: Journal | None  # an interrupted build this run finished first

    @property
    def owned(self) -> dict[str, str]:
        """The packet's files docgen wrote (path → sha256), as the last manifest lists them, or as an older
        version of docgen left them (its manifest lists none)."""
        if self.previous is None:
            return {}
        files = self.previous.get("files")
        return files if isinstance(files, dict) else legacy_files(self.folder, self.previous)

    @property
    def new(self) -> Path:
        """Where the build writes the packet's files, laid out as in the packet."""
        return self.staging / "new"


def _refuse_foreign(folder: Path, case_id: str) -> None:
    """A folder that is neither new, empty, a packet of this case nor an interrupted first build is refused."""
    if folder.exists() and not folder.is_dir():
        raise DocgenError(
            Text(
                f"{folder} はフォルダーではなくファイルです（そのまま残しました）。一式の出力先にはフォルダーを"
                "指定してください",
                f"{folder} is a file, not a folder; it was kept. Name a folder for the packet",
            )
        )
    if not folder.is_dir() or not [p for p in folder.iterdir() if not p.name.startswith(STAGING)]:
        return  # new, empty, or only what a killed build left (removed once the lock is held)
    manifest = read_manifest(folder)
    if manifest is None and not (folder / JOURNAL).exists():
        raise DocgenError(
            Text(
                f"{folder} には docgen の一式ではないファイルがあります（docgen の manifest がありません）。"
                "何も変更していません。一式の出力先には新しいフォルダーか空のフォルダー、またはこの案件の一式を"
                "指定してください",
                f"{folder} holds files but is not a docgen packet (no docgen manifest); nothing was changed."
                " Name a new or empty folder, or this case's packet",
            )
        )
    other = ((manifest or {}).get("case") or {}).get("id")
    if isinstance(other, str) and other and other != case_id:
        raise DocgenError(
            Text(
                f"{folder} は別の案件（{other}）の一式です。この案件（{case_id}）の一式で置き換えることはできません。"
                "何も変更していません。出力先を確かめてください",
                f"{folder} is the packet of another case ({other}); it cannot be replaced by this case"
                f" ({case_id})'s packet. Nothing was changed; check the output folder",
            )
        )


def _restore_legacy(folder: Path) -> None:
    """Before this version a rebuild swapped the whole folder and could leave the old packet in a hidden
    '.<name>.old-<pid>' beside it: put it back when the packet itself is missing."""
    if folder.exists():
        return
    for old in sorted(folder.parent.glob(f".{folder.name}.old-*")):
        if old.is_dir() and read_manifest(old) is not None:
            os.replace(old, folder)
            return


def _lock(folder: Path) -> int:
    """Hold the packet folder's lock (flock on the folder itself) until the build ends."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise DocgenError(
                Text(
                    f"{folder} は別の docgen が作成中です。終わってからもう一度実行してください",
                    f"{folder} is being built by another docgen run; run again when it has finished",
                )
            ) from None
        raise
    return fd


@contextmanager
def open_packet(folder: Path, case_id: str, inputs: Iterable[Path] = ()) -> Iterator[Workspace]:
    """The packet folder `folder` opened for a build of case `case_id`; see the module docstring. On leaving,
    the staging folder is removed unless a journal still needs it (the next run finishes that build), and a
    folder this run created is removed again when nothing was written into it."""
    folder = Path(folder)
    check_not_input(folder, inputs)
    _restore_legacy(folder)
    _refuse_foreign(folder, case_id)
    created = not folder.exists()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    lock = _lock(folder)
    staging = folder / f"{STAGING}{os.getpid()}"
    try:
        try:
            recovered = recover(folder, finalize_manifest)
        except ValueError:
            raise DocgenError(
                Text(
                    f"{folder / JOURNAL} が壊れているため、前回中断した作成を完了できません。何も変更していません。"
                    "このファイルを確かめてから削除してください",
                    f"{folder / JOURNAL} is damaged, so the interrupted build cannot be finished; nothing was"
                    " changed. Check the file, then delete it",
                )
            ) from None
        for left in abandoned_staging(folder):
            shutil.rmtree(left, ignore_errors=True)
        _refuse_foreign(folder, case_id)  # the recovered manifest may name another case
        (staging / "new").mkdir(mode=0o700, parents=True)
        staging.chmod(0o700)
        yield Workspace(folder, staging, read_manifest(folder), recovered)
    finally:
        if not (folder / JOURNAL).exists():
            shutil.rmtree(staging, ignore_errors=True)
        os.close(lock)
        if created and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
