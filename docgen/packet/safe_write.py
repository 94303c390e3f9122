"""Writing single files without losing anything: temp file + rename, owner-only permissions, and never over
something docgen did not write (packet folders: docgen/packet/workspace.py and journal.py).

A file docgen wrote is listed with its hash in the folder's `.docgen-written.json`; an existing file is replaced
only while it is listed and unchanged (a profile, a scan or a file staff edited is not). Inputs of the run (the
profile, the evidence folder) can never be a target.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from docgen.errors import DocgenError
from docgen.hashing import bytes_sha256, file_sha256
from docgen.private_folders import private_folder
from docgen.text import Text

LEDGER = ".docgen-written.json"


def _ledger(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / LEDGER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def docgen_wrote(path: Path) -> bool:
    """True when docgen wrote `path` and nobody changed it since."""
    return _ledger(path.parent).get(path.name) == file_sha256(path)


def record_written(path: Path) -> None:
    """List `path` (just written by docgen) in its folder's ledger."""
    entries = {**_ledger(path.parent), path.name: file_sha256(path)}
    fd, tmp = tempfile.mkstemp(prefix=f"{LEDGER}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(entries, f, ensure_ascii=False, indent=1)
    os.replace(tmp, path.parent / LEDGER)


def check_not_input(target: Path, inputs: Iterable[Path]) -> None:
    """`target` may be neither an input of the run nor hold one nor lie inside one (the profile, the evidence)."""
    t = Path(target).resolve()
    if t == Path.cwd().resolve():
        raise DocgenError(
            Text(
                f"{target}: 作業中のフォルダーそのものには書き出せません。新しいフォルダー名を指定してください",
                f"{target}: the working folder itself cannot be an output; name a new folder",
            )
        )
    for given in inputs:
        i = Path(given).resolve()
        if t == i or i.is_relative_to(t) or t.is_relative_to(i):
            raise DocgenError(
                Text(
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
            Text(f"{target} はフォルダーです。ファイル名を指定してください", f"{target} is a folder; give a file name")
        )
    if target.exists() and not docgen_wrote(target):
        raise DocgenError(
            Text(
                f"{target} は既にあり、docgen が書いたものではない（または後で編集された）ため、そのまま残しました。"
                "別のファイル名を指定するか、先にファイルを移動してください",
                f"{target} already exists and was not written by docgen (or was edited since); it was kept."
                " Choose another file name, or move the file away first",
            )
        )
    private_folder(target.parent)
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
        if previous is None or bytes_sha256(previous) != read_sha256:
            raise DocgenError(
                Text(
                    f"{target} は読み込んだ後に変更されました（または移動・削除されました）。何も書き込んでいません。"
                    "もう一度実行してください",
                    f"{target} changed (or was moved or deleted) after it was read; nothing was written. Run again",
                )
            )
        try:
            kept = os.open(keep_as, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise DocgenError(
                Text(
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
