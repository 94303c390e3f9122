"""The versions of a case's profile: every version docgen saw or wrote is kept, and every save says who made it,
when, how (a form page, a questionnaire) and which fields it changed (their names, never their values).

Kept in the case folder's hidden `.docgen-history/<profile file name>/` (owner-only), where the board, the case
page's file list and `choose_profile` do not look:

    versions/<sha256>.yaml   the text of a version, named by its hash (a profile's previous version is never lost)
    log.jsonl                one line per save: at, user, action, from (the hash replaced), to, fields
    lock                     held while a save checks the file and replaces it

A save names the version it was made from (the hash of the file when the form or the questionnaire was read); a
file that changed since (edited with the command line or in another session) is not replaced: `ProfileChanged`
says which version is there now, and both versions stay readable here."""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docgen.errors import DocgenError
from docgen.hashing import bytes_sha256
from docgen.packet.safe_write import record_written
from docgen.private_folders import private_folder
from docgen.text import Text

HISTORY = ".docgen-history"
SHA_LENGTH = 64


@dataclass(frozen=True)
class Version:
    """One save of the profile."""

    at: str  # ISO time of the save, in the office's time zone
    user: str
    action: str  # what saved it: 'form:person', 'questionnaire' …
    previous: str  # the hash of the version it replaced (kept in versions/)
    sha256: str  # the hash of the version it wrote
    fields: tuple[str, ...]  # the field paths it changed


class ProfileChanged(DocgenError):
    """The profile changed after it was read: nothing was written."""

    def __init__(self, profile: Path, read: str, now: str | None):
        self.profile, self.read, self.now = profile, read, now
        super().__init__(
            Text(
                f"{profile.name} は読み込んだ後に別の人（またはコマンドライン）が変更しました。保存していません",
                f"{profile.name} was changed by someone else (or the command line) after it was read; nothing was"
                " saved",
            )
        )


def history_folder(profile: Path) -> Path:
    return profile.parent / HISTORY / profile.name


def _write_private(target: Path, data: bytes) -> None:
    """`data` as `target`, owner-only, in one rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), 0o600)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _keep(profile: Path, data: bytes) -> str:
    """Keep `data` as a version of `profile` (once per content); its hash."""
    sha = bytes_sha256(data)
    versions = private_folder(history_folder(profile) / "versions")
    target = versions / f"{sha}.yaml"
    if not target.exists():
        _write_private(target, data)
    return sha


def read_version(profile: Path) -> tuple[bytes, str]:
    """The profile's bytes as they are now and their hash, the version kept (so a later save can show what
    changed since)."""
    data = Path(profile).read_bytes()
    return data, _keep(Path(profile), data)


def version_text(profile: Path, sha: str) -> str | None:
    """The text of a version kept for `profile`, or None."""
    if len(sha) != SHA_LENGTH or not all(c in "0123456789abcdef" for c in sha):
        return None
    try:
        return (history_folder(profile) / "versions" / f"{sha}.yaml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


@contextmanager
def _locked(profile: Path) -> Iterator[None]:
    folder = private_folder(history_folder(profile))
    fd = os.open(folder / "lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def save_version(
    profile: Path, text: str, read: str, *, when: datetime, user: str, action: str, fields: tuple[str, ...]
) -> Version:
    """Replace the profile by `text` if it is still the version `read` (its hash); the version replaced and the
    new one are kept, and the save is logged. Raises ProfileChanged (nothing written) when the file changed."""
    profile = Path(profile)
    data = text.encode("utf-8")
    with _locked(profile):
        try:
            current = profile.read_bytes()
        except OSError:
            raise ProfileChanged(profile, read, None) from None
        now = _keep(profile, current)
        if now != read:
            raise ProfileChanged(profile, read, now)
        new = _keep(profile, data)
        _write_private(profile, data)
        record_written(profile)
        version = Version(when.isoformat(timespec="seconds"), user, action, now, new, fields)
        with (history_folder(profile) / "log.jsonl").open("a", encoding="utf-8") as log:
            os.fchmod(log.fileno(), 0o600)
            log.write(json.dumps(version.__dict__, ensure_ascii=False) + "\n")
    return version


def versions(profile: Path) -> list[Version]:
    """Every save of the profile, oldest first (a damaged line is skipped)."""
    found = []
    try:
        lines = (history_folder(Path(profile)) / "log.jsonl").read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    for line in lines:
        try:
            entry = json.loads(line)
            found.append(
                Version(
                    str(entry["at"]),
                    str(entry["user"]),
                    str(entry["action"]),
                    str(entry["previous"]),
                    str(entry["sha256"]),
                    tuple(str(f) for f in entry["fields"]),
                )
            )
        except (ValueError, KeyError, TypeError):
            continue
    return found


def saved_as(profile: Path, sha: str) -> Version | None:
    """The save that wrote the version `sha` (None: written otherwise, with the command line or an editor)."""
    return next((v for v in reversed(versions(profile)) if v.sha256 == sha), None)
