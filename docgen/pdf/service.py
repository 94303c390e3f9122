"""A warm converter the office keeps running between commands (`docgen converter start|stop|status`), so that
each `docgen packet` converts on LibreOffice servers that are already up instead of starting LibreOffice.

A supervisor process (`python -m docgen.pdf.service FOLDER SERVERS SECONDS`, started detached) runs a
WarmConverter pool whose servers exit by themselves after RECYCLE_AFTER documents, starts anew any server that
exited or crashed, and keeps the pool's address — its servers' ports on 127.0.0.1, the process groups, its own
process id — in FOLDER/converter.json (owner-only). Removing that file asks it to stop: it stops every server
and exits. A packet reads the file and converts on those servers (WarmConverter attached to their ports);
nothing listens anywhere but 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docgen.pdf.convert import REQUIRED_FONTS, _group_alive, _kill_group, convert_to_pdf
from docgen.pdf.office_server import answers
from docgen.pdf.warm import RECYCLE_AFTER, WarmConverter
from docgen.private_folders import private_folder
from docgen.text import Text

STATE = "converter.json"
FOLDER = ".docgen-converter"  # in the office folder (beside docgen.toml)
TICK_SECONDS = 0.5  # how often the supervisor looks at its servers and at the state file
READY_SECONDS = 90.0  # how long `start` waits for the servers


@dataclass(frozen=True)
class ServiceState:
    """What converter.json says: the supervisor's process id, its servers' ports and process groups."""

    pid: int
    ports: tuple[int, ...]
    groups: tuple[int, ...]
    problems: tuple[Text, ...] = ()
    ready: bool = False

    def to_json(self) -> str:
        return json.dumps(
            {
                "pid": self.pid,
                "ports": list(self.ports),
                "groups": list(self.groups),
                "problems": [p.to_json() for p in self.problems],
                "ready": self.ready,
            }
        )


def state_file(folder: Path) -> Path:
    return folder / STATE


def read_state(folder: Path) -> ServiceState | None:
    """The running converter's state, or None when there is none (no file, or one that cannot be read)."""
    try:
        data = json.loads(state_file(folder).read_text(encoding="utf-8"))
        return ServiceState(
            int(data["pid"]),
            tuple(int(p) for p in data["ports"]),
            tuple(int(g) for g in data["groups"]),
            tuple(Text(p["ja"], p["en"]) for p in data.get("problems", [])),
            bool(data.get("ready", False)),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_state(folder: Path, state: ServiceState) -> None:
    """Write the state file owner-only, whole (a reader never sees half of it)."""
    part = folder / f".{STATE}.{os.getpid()}.part"
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(state.to_json())
    os.chmod(part, 0o600)
    os.replace(part, state_file(folder))


def publish(folder: Path, pool: WarmConverter | None) -> ServiceState:
    """Write where `pool`'s running servers are (None: a pool being started, not ready yet) for other processes
    to convert on; what was written."""
    if pool is None:
        state = ServiceState(os.getpid(), (), (), (), False)
    else:
        status = pool.status()
        groups = tuple(s.proc.pid for s in pool.servers())
        state = ServiceState(os.getpid(), tuple(status.ports), groups, tuple(status.problems), True)
    _write_state(folder, state)
    return state


def published(folder: Path, wait: float = 0.0) -> ServiceState | None:
    """The servers published in `folder` by a process that runs (waiting up to `wait` seconds while its pool is
    being started), or None when none are (no file, or its process has ended). Not probed: a server that has
    just stopped refuses at once, and a conversion then goes to another."""
    deadline = time.monotonic() + wait
    while True:
        state = read_state(folder)
        if state is None or not _pid_alive(state.pid):
            return None
        if state.ready or time.monotonic() >= deadline:
            return state if state.ready else None
        time.sleep(0.1)


class PublishedConverter:
    """A `Converter` on the servers published in `folder` when each conversion starts (a batch's pool, or the
    office's running converter), the cold way when none are."""

    def __init__(self, folder: Path, per_document: float) -> None:
        self.folder, self.per_document = folder, per_document
        self.warm = False  # whether a conversion ran on the published servers

    def convert(
        self,
        docs: list[Path],
        outdir: Path,
        per_document: float | None = None,
        *,
        fonts: Sequence[str] = REQUIRED_FONTS,
    ) -> list[Path]:
        seconds = per_document or self.per_document
        state = published(self.folder, READY_SECONDS)
        if state is None or not state.ports:
            return convert_to_pdf(docs, outdir, seconds, fonts=fonts)
        with WarmConverter(per_document=seconds, attach=state.ports) as pool:
            pdfs = pool.convert(docs, outdir, seconds, fonts=fonts)
        self.warm = True
        return pdfs


def _pid_alive(pid: int) -> bool:
    """Whether the process runs (a supervisor this process started, once ended, is reaped here)."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass  # not our child: `docgen converter start` has exited and the system reaps it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running(folder: Path) -> ServiceState | None:
    """The state of a converter that runs now and answers, else None."""
    state = read_state(folder)
    if state is None or not state.ready or not _pid_alive(state.pid):
        return None
    live = tuple(p for p in state.ports if answers(p, 1.0))
    return ServiceState(state.pid, live, state.groups, state.problems, True) if live else None


def attach(folder: Path, per_document: float) -> WarmConverter | None:
    """A converter on the running servers in `folder` (started: call close()), or None when none runs."""
    state = running(folder)
    if state is None:
        return None
    return WarmConverter(per_document=per_document, attach=state.ports).start()


def spawn(folder: Path, servers: int, per_document: float) -> ServiceState:
    """Start the supervisor detached and wait until its servers answer; its state (the problems when none could
    start: it then exits)."""
    private_folder(folder)
    state_file(folder).unlink(missing_ok=True)
    log = folder / "service.log"
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "docgen.pdf.service", str(folder), str(servers), str(per_document)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        state = read_state(folder)
        if state is not None and state.ready:
            return state
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    said = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    state = read_state(folder)
    problems = state.problems if state else ((Text(said[-1][:300], said[-1][:300]),) if said else ())
    state_file(folder).unlink(missing_ok=True)
    return ServiceState(proc.pid, (), (), problems, False)


def stop(folder: Path, wait: float = 30.0) -> bool:
    """Ask the running converter to stop (its state file removed) and wait for it; its servers' process groups
    are killed if it has not stopped them in time. Whether one was running."""
    state = read_state(folder)
    state_file(folder).unlink(missing_ok=True)
    if state is None:
        return False
    deadline = time.monotonic() + wait
    while _pid_alive(state.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    for group in state.groups:
        if _group_alive(group):
            _kill_group(group)
    return True


def serve(folder: Path, servers: int, per_document: float) -> int:
    """The supervisor: run the pool until the state file is removed; 1 when no server could start."""
    with WarmConverter(servers, per_document=per_document, stop_after=RECYCLE_AFTER) as pool:
        last: ServiceState | None = None
        while True:
            pool.keep()
            status = pool.status()
            groups = tuple(s.proc.pid for s in pool.servers())
            state = ServiceState(os.getpid(), tuple(status.ports), groups, tuple(status.problems), pool.warm)
            if not pool.warm:
                _write_state(folder, state)
                return 1
            if state != last:
                if last is not None and not state_file(folder).exists():
                    return 0
                last = publish(folder, pool)
            time.sleep(TICK_SECONDS)
            if not state_file(folder).exists():
                return 0


if __name__ == "__main__":
    sys.exit(serve(Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])))
