"""One warm LibreOffice: an unoserver process (and the soffice it runs) in its own process group, listening on
127.0.0.1 only, with its own LibreOffice profile in a private work folder, converting one document per call.

unoserver's server needs LibreOffice's Python bridge (`uno`, Debian's python3-uno), which only the system's
Python has; docgen's environment has the same pinned unoserver package (its client side needs no uno), so the
server runs on the system's Python with a folder holding links to that package put first on its path: one
version, one pin, nothing installed into the system's Python. The client speaks unoserver's XML-RPC API with a
timeout on every call (unoserver's own client has none, and sleeps 10 s between retries of a refused
connection)."""

from __future__ import annotations

import contextlib
import http.client
import math
import os
import shutil
import signal
import socket
import subprocess
import time
import xmlrpc.client
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from subprocess import Popen

from docgen.pdf.convert import _exited, _start, _stop, soffice_path
from docgen.private_folders import private_folder
from docgen.resources import FONTS_CONF
from docgen.text import Text

HOST = "127.0.0.1"  # never another interface: documents hold clients' personal data
API_VERSION = "3"  # unoserver's XML-RPC API (unoserver.client.API_VERSION)
START_SECONDS = 60.0  # unoserver waits 7 s before it listens; LibreOffice builds a new profile meanwhile
PROBE_SECONDS = 2.0  # one readiness probe
MARGIN_SECONDS = 2.0  # the client waits this much longer than the server's own conversion timeout
# The system Pythons that may have LibreOffice's bridge: Debian's (python3-uno), LibreOffice's own bundled one.
UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python", "/opt/libreoffice/program/python")
# Run unoserver's server from the folder given first (links to this environment's unoserver package). A thread
# watches the process that started it: when that one ends without stopping it (killed, crashed), the server
# kills its own process group (itself and its LibreOffice) within a second instead of running on forever.
BOOT = "\n".join(
    (
        "import os, signal, sys, threading, time",
        "sys.path.insert(0, sys.argv.pop(1))",
        "starter = os.getppid()",
        "def orphaned():",
        "    while os.getppid() == starter:",
        "        time.sleep(0.5)",
        "    os.killpg(0, signal.SIGKILL)",
        "threading.Thread(target=orphaned, daemon=True).start()",
        "from unoserver.server import main",
        "sys.exit(main())",
    )
)


class ServerUnavailable(Exception):
    """A warm LibreOffice could not be started; `reason` says why, for staff."""

    def __init__(self, reason: Text) -> None:
        super().__init__(reason.en)
        self.reason = reason


class ConversionFailed(Exception):
    """One document was not converted by a server: it crashed, timed out, refused or said why."""

    def __init__(self, reason: Text, *, timed_out: bool = False, refused: bool = False) -> None:
        super().__init__(reason.en)
        self.reason = reason
        self.timed_out = timed_out
        self.refused = refused  # nothing listens on its port (it has stopped): the document was not tried there


@lru_cache(maxsize=1)
def uno_python() -> str | None:
    """The first system Python that can import LibreOffice's bridge, or None."""
    for candidate in UNO_PYTHONS:
        if not os.access(candidate, os.X_OK):
            continue
        try:
            probe = subprocess.run([candidate, "-s", "-c", "import uno"], capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return candidate
    return None


def server_library(work: Path) -> Path:
    """A folder in `work` holding links to this environment's unoserver package and its metadata, for the
    system's Python to import from (and nothing else of this environment)."""
    try:
        dist = metadata.distribution("unoserver")
    except metadata.PackageNotFoundError:
        raise ServerUnavailable(
            Text(
                "unoserver がこの環境にインストールされていません（scripts/setup.sh でインストールされます）",
                "unoserver is not installed in this environment (scripts/setup.sh installs it)",
            )
        ) from None
    lib = private_folder(work / "unoserver-lib")
    files = [Path(str(dist.locate_file(f))) for f in dist.files or ()]
    package = next((f.parent for f in files if f.name == "server.py" and f.parent.name == "unoserver"), None)
    info = next((f.parent for f in files if f.name == "METADATA"), None)
    if package is None or info is None:
        raise ServerUnavailable(
            Text("unoserver のインストールが不完全です", "the unoserver installation is incomplete")
        )
    for source in (package, info):
        with contextlib.suppress(FileExistsError):  # another server of the pool made it
            (lib / source.name).symlink_to(source, target_is_directory=True)
    return lib


def _free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class _Timed(xmlrpc.client.Transport):
    """XML-RPC over HTTP whose connection and every read give up after `seconds`."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self._seconds = seconds

    def make_connection(self, host: tuple[str, dict[str, str]] | str) -> http.client.HTTPConnection:
        conn = super().make_connection(host)
        conn.timeout = self._seconds
        return conn


def proxy(port: int, seconds: float) -> xmlrpc.client.ServerProxy:
    """A client of the unoserver on `port` whose calls give up after `seconds`."""
    return xmlrpc.client.ServerProxy(f"http://{HOST}:{port}", allow_none=True, transport=_Timed(seconds))


def answers(port: int, seconds: float = PROBE_SECONDS) -> bool:
    """Whether an unoserver of docgen's API answers on `port` within `seconds`."""
    try:
        info = proxy(port, seconds).info()
    except (OSError, xmlrpc.client.Error, http.client.HTTPException):
        return False
    return isinstance(info, dict) and info.get("api") == API_VERSION


def convert_one(port: int, doc: Path, pdf: Path, seconds: float) -> None:
    """Convert `doc` to `pdf` on the unoserver on `port`, within `seconds`; ConversionFailed otherwise."""
    try:
        # unoserver API 3: inpath, indata, outpath, convert_to, filtername, filter_options, update_index,
        # infiltername, password. Indexes are left as they are (as the one-call conversion does).
        proxy(port, seconds).convert(str(doc), None, str(pdf), "pdf", None, [], False, None, None)
    except TimeoutError:
        raise ConversionFailed(
            Text(
                f"LibreOffice が {doc.name} を {seconds:g} 秒以内に変換しませんでした",
                f"LibreOffice did not convert {doc.name} within {seconds:g} s",
            ),
            timed_out=True,
        ) from None
    except xmlrpc.client.Fault as fault:
        said = str(fault.faultString).strip().splitlines()[-1][:300] if fault.faultString else ""
        timed_out = "TimeoutError" in said
        raise ConversionFailed(
            Text(
                f"LibreOffice が {doc.name} を変換できませんでした（{said}）",
                f"LibreOffice could not convert {doc.name} ({said})",
            ),
            timed_out=timed_out,
        ) from None
    except (OSError, xmlrpc.client.Error, http.client.HTTPException) as exc:
        raise ConversionFailed(
            Text(
                f"常駐中の LibreOffice が {doc.name} の変換中に応答しなくなりました（{type(exc).__name__}）",
                f"the warm LibreOffice stopped answering while converting {doc.name} ({type(exc).__name__})",
            ),
            refused=isinstance(exc, ConnectionRefusedError),
        ) from None


@dataclass
class OfficeServer:
    """A running unoserver: its port, its process (the leader of its group) and how many documents it converted."""

    name: str
    port: int
    proc: Popen[bytes]
    log: Path
    converted: int = 0

    def alive(self) -> bool:
        return not _exited(self.proc)

    def stop(self) -> None:
        """Stop unoserver, its LibreOffice and everything they started (the whole process group) at once: its
        profile is thrown away, so nothing is lost by not asking it to close. The leader is still unreaped here,
        so the group's id cannot belong to anyone else."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        _stop(self.proc)

    def said(self) -> str:
        """The last line unoserver logged (for a message when it did not start)."""
        try:
            lines = self.log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        except OSError:
            return ""
        return lines[-1][:300] if lines else ""


@dataclass
class Attached:
    """A server another docgen process runs (`docgen converter start`): used, never started or stopped here."""

    name: str
    port: int
    converted: int = 0

    def alive(self) -> bool:
        return True  # a failed conversion tells

    def stop(self) -> None:
        """Nothing: the process that started it stops it."""


def start_server(
    work: Path,
    name: str,
    per_document: float,
    *,
    stop_after: int | None = None,
    start_seconds: float = START_SECONDS,
) -> OfficeServer:
    """Start an unoserver named `name` in `work` (its profile made anew) and wait until it answers.

    LibreOffice stops a conversion that takes longer than `per_document` seconds (and the server then exits);
    with `stop_after`, the server exits after that many documents. ServerUnavailable when it does not answer
    within `start_seconds` (its process group is then killed)."""
    python = uno_python()
    if python is None:
        raise ServerUnavailable(
            Text(
                "LibreOffice の Python 連携（Debian: python3-uno）がインストールされていません",
                "LibreOffice's Python bridge (Debian: python3-uno) is not installed",
            )
        )
    lib = server_library(work)
    profile, tmp = work / f"profile-{name}", private_folder(work / "tmp")
    shutil.rmtree(profile, ignore_errors=True)  # a crashed LibreOffice may leave its profile locked
    private_folder(profile)
    port, uno_port = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(FONTCONFIG_FILE=str(FONTS_CONF), HOME=str(profile), TMPDIR=str(tmp))
    cmd = [
        python,
        "-s",
        "-c",
        BOOT,
        str(lib),
        "--interface",
        HOST,
        "--port",
        str(port),
        "--uno-interface",
        HOST,
        "--uno-port",
        str(uno_port),
        "--user-installation",
        str(profile / "user"),
        "--executable",
        soffice_path(),
        "--conversion-timeout",
        str(max(1, math.ceil(per_document))),
        *(["--stop-after", str(stop_after)] if stop_after else []),
    ]
    log = work / f"unoserver-{name}.log"
    with open(log, "wb") as out:
        # umask 077 for the server and its LibreOffice: every file they make (PDFs, profile) is born owner-only
        server = OfficeServer(name, port, _start(cmd, env, subprocess.DEVNULL, out, umask=0o077), log)
    deadline = time.monotonic() + start_seconds
    try:
        while time.monotonic() < deadline:
            if not server.alive():
                said = server.said()
                raise ServerUnavailable(
                    Text(
                        "常駐用の LibreOffice（unoserver）が起動直後に終了しました" + (f"（{said}）" if said else ""),
                        "the warm LibreOffice (unoserver) exited as it started" + (f" ({said})" if said else ""),
                    )
                )
            if answers(port):
                return server
            time.sleep(0.2)
        raise ServerUnavailable(
            Text(
                f"常駐用の LibreOffice（unoserver）が {start_seconds:g} 秒以内に応答しませんでした",
                f"the warm LibreOffice (unoserver) did not answer within {start_seconds:g} s",
            )
        )
    except BaseException:
        server.stop()
        raise
