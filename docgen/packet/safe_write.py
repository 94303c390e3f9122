"""Writing outputs without losing anything: temp file/folder + rename, owner-only permissions, and never over
something docgen did not write.

A file docgen wrote is listed with its hash in the folder's `.docgen-written.json`; an existing file is replaced
only while it is listed and unchanged (a profile, a scan or a file staff edited is not). A folder is replaced
only when it is empty or a packet docgen wrote (its manifest names docgen). Inputs of the run (the profile,
the evidence folder) can never be a target.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import socket
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from docgen.errors import DocgenError
from docgen.messages import say
from docgen.packet.names import read_manifest

LEDGER = ".docgen-written.json"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _ledger(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / LEDGER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def docgen_wrote(path: Path) -> bool:
    """True when docgen wrote `path` and nobody changed it since."""
    return _ledger(path.parent).get(path.name) == _sha256(path)


def record_written(path: Path) -> None:
    """List `path` (just written by docgen) in its folder's ledger."""
    entries = {**_ledger(path.parent), path.name: _sha256(path)}
    fd, tmp = tempfile.mkstemp(prefix=f"{LEDGER}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(entries, f, ensure_ascii=False, indent=1)
    os.replace(tmp, path.parent / LEDGER)


def check_not_input(target: Path, inputs: Iterable[Path]) -> None:
    """`target` may be neither an input of the run nor hold one nor lie inside one (the profile, the evidence)."""
    t = Path(target).resolve()
    if t == Path.cwd().resolve():
        raise DocgenError(
            say(
                f"{target}: 作業中のフォルダーそのものには書き出せません。新しいフォルダー名を指定してください",
                f"{target}: the working folder itself cannot be an output; name a new folder",
            )
        )
    for given in inputs:
        i = Path(given).resolve()
        if t == i or i.is_relative_to(t) or t.is_relative_to(i):
            raise DocgenError(
                say(
                    f"{target}: この実行の入力（{given}）を上書きしてしまいます。別の出力先を指定してください",
                    f"{target}: this would overwrite an input of this run ({given}); choose another output path",
                )
            )


@contextmanager
def _part_beside(target: Path) -> Iterator[Path]:
    """A temporary file next to `target` (same file system, so a rename replaces it in one step); removed
    unless it was renamed into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    part = Path(tmp)
    try:
        yield part
    finally:
        if part.exists():
            part.unlink()


@contextmanager
def private_file(target: Path, inputs: Iterable[Path] = ()) -> Iterator[Path]:
    """Yield a temporary path next to `target`; on success it replaces `target` (mode 600).

    An existing `target` is replaced only if docgen wrote it and it is unchanged."""
    target = Path(target)
    check_not_input(target, inputs)
    if target.is_dir():
        raise DocgenError(
            say(f"{target} はフォルダーです。ファイル名を指定してください", f"{target} is a folder; give a file name")
        )
    if target.exists() and not docgen_wrote(target):
        raise DocgenError(
            say(
                f"{target} は既にあり、docgen が書いたものではない（または後で編集された）ため、そのまま残しました。"
                "別のファイル名を指定するか、先にファイルを移動してください",
                f"{target} already exists and was not written by docgen (or was edited since); it was kept."
                " Choose another file name, or move the file away first",
            )
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with _part_beside(target) as part:
        yield part
        part.chmod(0o600)  # whatever wrote it
        os.replace(part, target)
        record_written(target)


@contextmanager
def replace_read_file(target: Path, read_sha256: str, keep_as: Path, inputs: Iterable[Path] = ()) -> Iterator[Path]:
    """Yield a temporary path next to `target`, a file this run read and staff asked to rewrite (whoever wrote
    it: `intake import --merge` writes into the profile it merged with); on success the previous version is
    kept as `keep_as` (a new file, mode 600), then the new one replaces `target` in one rename (mode 600).

    `read_sha256` is the hash of `target` when it was read: if the file changed since (edited, moved,
    written by another run), nothing is written."""
    target, keep_as = Path(target), Path(keep_as)
    check_not_input(target, inputs)
    with _part_beside(target) as part:
        yield part
        part.chmod(0o600)  # whatever wrote it
        try:
            previous = target.read_bytes()
        except OSError:
            previous = None
        if previous is None or hashlib.sha256(previous).hexdigest() != read_sha256:
            raise DocgenError(
                say(
                    f"{target} は読み込んだ後に変更されました（または移動・削除されました）。何も書き込んでいません。"
                    "もう一度実行してください",
                    f"{target} changed (or was moved or deleted) after it was read; nothing was written. Run again",
                )
            )
        try:
            kept = os.open(keep_as, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise DocgenError(
                say(
                    f"{keep_as} が既にあるため、変更前の内容を残せません。何も書き込んでいません",
                    f"{keep_as} already exists, so the previous version cannot be kept; nothing was written",
                )
            ) from None
        try:
            with os.fdopen(kept, "wb") as f:
                os.fchmod(f.fileno(), 0o600)
                f.write(previous)
                f.flush()
                os.fsync(f.fileno())
        except BaseException:
            keep_as.unlink(missing_ok=True)
            raise
        os.replace(part, target)
        record_written(target)


def is_docgen_packet(folder: Path) -> bool:
    """A folder docgen wrote: its manifest names docgen as the tool."""
    return read_manifest(folder) is not None


LOCK = ".docgen-lock"


def _hold_lock(work: Path) -> int:
    """Mark `work` as in use: a lock file naming this host and process, held (flock) until the run ends."""
    fd = os.open(work / LOCK, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.write(fd, json.dumps({"host": socket.gethostname(), "pid": os.getpid()}).encode())
    return fd


def _abandoned(work: Path) -> bool:
    """A work folder is abandoned only when its lock says so: written on this host, by a process that is gone,
    and not held. A folder of another machine (a shared drive) or without a readable lock is left alone."""
    try:
        lock = json.loads((work / LOCK).read_text(encoding="utf-8"))
        if lock.get("host") != socket.gethostname():
            return False
        fd = os.open(work / LOCK, os.O_RDONLY)
    except (OSError, ValueError, AttributeError):
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a live run holds it
    finally:
        os.close(fd)
    try:
        os.kill(int(lock["pid"]), 0)
    except ProcessLookupError:
        return True
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return False


def _remove_abandoned(target: Path) -> None:
    """Delete hidden work folders of earlier runs for `target` that were killed (they hold personal data)."""
    for folder in target.parent.glob(f".{target.name}.partial-*"):
        if _abandoned(folder):
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def private_folder(target: Path, *, force: bool, inputs: Iterable[Path] = ()) -> Iterator[Path]:
    """Yield a hidden temporary folder next to `target`; it becomes `target` only when complete.

    `target` must be absent, empty, or a packet docgen wrote; a packet is replaced only with `force`, in one
    rename at the end, so a failed or killed run never leaves a half-written packet or loses the old one.
    """
    target = Path(target)
    check_not_input(target, inputs)
    if target.exists():
        if not target.is_dir():
            raise DocgenError(
                say(
                    f"{target} はフォルダーではなくファイルです（そのまま残しました）。一式の出力先にはフォルダーを"
                    "指定してください",
                    f"{target} is a file, not a folder; it was kept. Name a folder for the packet",
                )
            )
        empty = not any(target.iterdir())
        if not empty and not is_docgen_packet(target):
            raise DocgenError(
                say(
                    f"{target} には docgen が書いたのではないファイルがあります（docgen の manifest がありません）。"
                    "何も削除していません。一式の出力先には新しいフォルダーか空のフォルダーを指定してください",
                    f"{target} holds files docgen did not write (no docgen manifest); nothing was deleted."
                    " Name a new or empty folder for the packet",
                )
            )
        if not empty and not force:
            raise DocgenError(
                say(
                    f"{target} は既にあります（そのまま残しました）。新しいフォルダー名を指定してください",
                    f"{target} already exists; it was kept (name a new folder)",
                )
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(target)
    was_there = target.exists() and any(target.iterdir())
    umask = os.umask(0o077)  # files the run writes (and LibreOffice's PDFs) are private from the first byte
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-{os.getpid()}-", dir=target.parent))
    work.chmod(0o700)
    lock = _hold_lock(work)
    try:
        yield work
        os.close(lock)
        lock = -1
        (work / LOCK).unlink()
        if not was_there and target.exists() and any(target.iterdir()):
            raise DocgenError(
                say(
                    f"{target} はこの実行の間に別の実行が書き出しました。そちらを残し、この実行の結果は破棄しました",
                    f"{target} was written by another run meanwhile; it was kept and this run discarded",
                )
            )
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
        os.umask(umask)
        if lock >= 0:
            os.close(lock)
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
