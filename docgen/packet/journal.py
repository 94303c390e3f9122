"""Changing a packet folder without a half state, after SQLite's journal: the new files are written first into
a staging folder inside the packet, the plan of renames is written to `.docgen-journal.json`, then each file is
renamed over its old version (the old one moved into the staging folder), and the manifest is written last.

A crash or a kill at any instant leaves either the old or the new version of every file, and a journal that the
next run reads to finish the plan (`recover`): every step can tell whether it was done. A step whose target
changed on disk after docgen looked at it (a Word file saved during the build, a file staff put there) is not
applied: the target stays as it is and the step is reported as `kept`.

Nothing here decides *what* to change (docgen/packet/plan.py does); this module only carries it out.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from docgen.hashing import file_sha256
from docgen.private_folders import private_folder

JOURNAL = ".docgen-journal.json"
STAGING = ".docgen-staging-"  # + pid: the run's new files (new/) and the old versions it replaced (old/)

StepKind = Literal["put", "remove", "move"]


@dataclass(frozen=True)
class Step:
    """One file operation, paths relative to the packet folder.

    put:    the new file `staging/new/<target>` replaces `<target>` (the old one, if any, goes to staging/old/);
    remove: `<target>` (a file docgen wrote that this build no longer makes) goes to staging/old/;
    move:   `<source>` (a staff-edited document whose name changed) is renamed to `<target>`.
    `expect`: the hash of what is at the path the step replaces (`target`, or `source` for a move) when docgen
    decided on the step; None when it must be absent. Anything else there now is kept."""

    kind: StepKind
    target: str
    expect: str | None
    source: str | None = None


@dataclass
class Journal:
    """The plan of one run, written before the first rename; `manifest` is written when the steps are done."""

    staging: str
    steps: list[Step]
    manifest_name: str
    manifest: dict[str, Any]
    kept: list[str] = field(default_factory=list)  # targets left as they were (filled in while applying)

    def to_json(self) -> dict[str, Any]:
        return {
            "staging": self.staging,
            "steps": [asdict(s) for s in self.steps],
            "manifest_name": self.manifest_name,
            "manifest": self.manifest,
        }

    @classmethod
    def from_json(cls, data: Any) -> Journal:
        """A journal docgen wrote; ValueError for anything else (a damaged or foreign file)."""
        try:
            steps = [Step(**s) for s in data["steps"]]
            journal = cls(str(data["staging"]), steps, str(data["manifest_name"]), dict(data["manifest"]))
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError("not a docgen journal") from exc
        names = [journal.staging, journal.manifest_name] + [s.target for s in steps] + [s.source or "" for s in steps]
        if not journal.staging.startswith(STAGING) or any(_escapes(n) for n in names if n):
            raise ValueError("a journal path leaves the packet folder")
        if any(s.kind not in ("put", "remove", "move") for s in steps):
            raise ValueError("unknown step")
        return journal


def _escapes(relative: str) -> bool:
    path = Path(relative)
    return path.is_absolute() or ".." in path.parts


# The one place files are renamed, so the fault tests can stop a run between any two operations.
def _rename(source: Path, target: Path) -> None:
    os.replace(source, target)


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durably(path: Path, text: str) -> None:
    """Write `text` to `path` in one rename (mode 600), flushed to disk with its folder."""
    part = path.with_name(f"{path.name}.part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    _rename(part, path)
    _sync_folder(path.parent)


def _folder_for(path: Path) -> None:
    """Make the folders above `path` that are missing, owner-only (whatever the process's umask)."""
    private_folder(path.parent)


def _apply(folder: Path, journal: Journal, step: Step) -> bool:
    """Carry out one step unless it was done already; False when its target is kept as it is."""
    staging = folder / journal.staging
    target, old, new = folder / step.target, staging / "old" / step.target, staging / "new" / step.target
    if step.kind == "put" and not new.exists():
        return True  # done before
    if step.kind in ("put", "remove") and target.exists():
        if old.exists() or file_sha256(target) != step.expect:
            return False  # changed after docgen read it, or not docgen's: kept as it is
        _folder_for(old)
        _rename(target, old)
    if step.kind == "put":
        _folder_for(target)
        _rename(new, target)
        return True
    if step.kind == "remove":
        return True
    source = folder / (step.source or "")
    if source.exists() and not target.exists():
        if file_sha256(source) != step.expect:
            return False
        _folder_for(target)
        _rename(source, target)
        return True
    return not source.exists()  # done before; or both exist (the old name kept beside a new file)


def apply(folder: Path, journal: Journal, finish: Callable[[Journal], dict[str, Any]]) -> Journal:
    """Write the journal, carry out its steps, then write the manifest `finish` makes from the journal (which
    then knows what was kept), remove the staging folder and the journal. Returns the journal."""
    _write_durably(folder / JOURNAL, json.dumps(journal.to_json(), ensure_ascii=False))
    return _complete(folder, journal, finish)


def _complete(folder: Path, journal: Journal, finish: Callable[[Journal], dict[str, Any]]) -> Journal:
    journal.kept = [s.target for s in journal.steps if not _apply(folder, journal, s)]
    _sync_folder(folder)
    manifest = finish(journal)
    _write_durably(folder / journal.manifest_name, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    (folder / JOURNAL).unlink()
    shutil.rmtree(folder / journal.staging, ignore_errors=True)
    return journal


def read_journal(folder: Path) -> Journal | None:
    """The journal an interrupted run left in `folder`; None when there is none. ValueError when it is damaged."""
    try:
        text = (folder / JOURNAL).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return Journal.from_json(json.loads(text))
    except json.JSONDecodeError as exc:
        raise ValueError("the journal is not JSON") from exc


def recover(folder: Path, finish: Callable[[Journal], dict[str, Any]]) -> Journal | None:
    """Finish what an interrupted run left (its journal); None when nothing was left. The caller holds the
    packet's lock, so no live run is changing the folder."""
    journal = read_journal(folder)
    if journal is None:
        return None
    return _complete(folder, journal, finish)


def abandoned_staging(folder: Path) -> list[Path]:
    """Staging folders of runs that ended before writing a journal (killed while rendering): nothing in the
    packet refers to them; the caller, holding the lock, removes them (they hold filled forms)."""
    return [p for p in folder.glob(f"{STAGING}*") if p.is_dir()]
