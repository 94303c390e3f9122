"""Word -> PDF with headless LibreOffice.

One soffice call converts every document of a run (about 0.35 s per document instead of
2 s); each run gets its own LibreOffice profile and temporary folder (two processes sharing one
fail silently); a watchdog on progress (a new PDF in the output folder) stops a hung soffice
within a minute, its whole process group killed; once every PDF is written whole, LibreOffice is
killed rather than awaited through its shutdown; every expected PDF must exist and open, and
files that failed are retried once, one by one. A TMPDIR or output folder that cannot be
written, or a full disk, is named instead of blaming a document.
"""

from __future__ import annotations

import atexit
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from subprocess import Popen
from typing import IO

from docgen.errors import DocgenError
from docgen.messages import say
from docgen.pdf.disk import TMPDIR_LABEL, DiskError, check_tmpdir, check_writable, disk_message, writing
from docgen.private_folders import private_folder
from docgen.resources import FONTS_CONF
from docgen.text import NextStep, Step, Text

REQUIRED_FONTS = ("IPAexMincho", "IPAexGothic")
# The zh handout is set in them (docgen/fonts/fonts.conf), and English ones fall back to them for names in
# simplified Chinese: IPAex lacks most simplified characters (许, 请 …) and LibreOffice would print boxes.
CHINESE_FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC")
_FONT_PACKAGES = {"Noto Serif CJK SC": "fonts-noto-cjk", "Noto Sans CJK SC": "fonts-noto-cjk"}  # else fonts-ipaexfont
# The fonts a packet document needs by its language: Japanese and English ones are set in ＭＳ 明朝 / ＭＳ ゴシック
# (IPAex); a Chinese one (the client's 了解書 translation) also in SimSun / Microsoft YaHei (Noto CJK SC).
DOCUMENT_FONTS: dict[str, tuple[str, ...]] = {
    "ja": REQUIRED_FONTS,
    "en": REQUIRED_FONTS,
    "zh": REQUIRED_FONTS + CHINESE_FONTS,
}
# The watchdog: LibreOffice is stopped when no new PDF has appeared for `per_document` seconds ([pdf]
# seconds_per_document in docgen.toml); before the first one it also starts (cold, building its profile) and gets
# START_DOCUMENTS documents' time more. No wait is longer than HANG_SECONDS, so a hang is named within a minute
# (the wait, then at most TERM_SECONDS + KILL_SECONDS to stop it) whatever the packet's size or the settings.
DEFAULT_PER_DOCUMENT = 10.0
START_DOCUMENTS = 3
HANG_SECONDS = 50.0
TERM_SECONDS = 2.0  # after SIGTERM, before SIGKILL
KILL_SECONDS = 1.0  # after SIGKILL, for the processes to be gone
VERSION_SECONDS = 15.0  # `soffice --version`
POLL_SECONDS = 0.05


def fonts_for(languages: Iterable[str]) -> tuple[str, ...]:
    """The fonts documents in these languages need, each once (IPAex always)."""
    return tuple(dict.fromkeys(f for lang in ("ja", *languages) for f in DOCUMENT_FONTS[lang]))


class ConversionError(DocgenError):
    """LibreOffice is missing, timed out or produced no readable PDF."""


WORD_ONLY = (NextStep(Step.WORD_ONLY),)  # what staff can do without LibreOffice


def soffice_path() -> str:
    """The LibreOffice executable, or a clear error saying how to install it."""
    found = os.environ.get("DOCGEN_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    if not found or not os.access(found, os.X_OK):
        raise ConversionError(
            Text(
                "LibreOffice がインストールされていないため、Word のファイルを PDF にできません。"
                "インストールする（Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui fonts-ipaexfont）か、"
                "Word のファイルだけを作ってください",
                "LibreOffice is not installed, so Word files cannot be turned into PDF. "
                "Install it (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui fonts-ipaexfont) "
                "or make the Word files only.",
            ),
            steps=WORD_ONLY,
        )
    return found


def check_fonts(fonts: Sequence[str] = REQUIRED_FONTS) -> None:
    """The fonts the documents resolve to (the Japanese IPAex fonts, and Noto CJK SC for handouts) must be installed."""
    try:
        listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        raise ConversionError(
            Text(
                "fontconfig（fc-list）がありません。fontconfig と fonts-ipaexfont をインストールしてください",
                "fontconfig (fc-list) is not available; install fontconfig and fonts-ipaexfont",
            )
        ) from None
    missing = [f for f in fonts if f not in listed]
    if missing:
        packages = " ".join(sorted({_FONT_PACKAGES.get(f, "fonts-ipaexfont") for f in missing}))
        chinese = any(f in CHINESE_FONTS for f in missing)
        names = ", ".join(missing)
        raise ConversionError(
            Text(
                f"フォント {names} がインストールされていません"
                + (
                    "（中国語・英語の依頼者用一覧で、日本語の IPAex フォントにない 许 や 请 などの簡体字に必要です）"
                    if chinese
                    else ""
                )
                + "。このままでは PDF の文字が四角や別の字形になります。インストールする"
                f"（Debian/Ubuntu: sudo apt-get install {packages}）か、Word のファイルだけを作ってください",
                f"the fonts {names} are not installed"
                + (
                    " (the Chinese and English client handouts need them for simplified Chinese such as 许 and 请, "
                    "which the Japanese IPAex fonts lack)"
                    if chinese
                    else ""
                )
                + "; PDFs would show boxes or the wrong glyphs. "
                f"Install them (Debian/Ubuntu: sudo apt-get install {packages}) or make the Word files only.",
            ),
            steps=WORD_ONLY,
        )


def wait_limits(per_document: float = DEFAULT_PER_DOCUMENT) -> tuple[float, float]:
    """(seconds until the first PDF, seconds between PDFs after it) before LibreOffice counts as hung."""
    return min((START_DOCUMENTS + 1) * per_document, HANG_SECONDS), min(per_document, HANG_SECONDS)


_RUNNING: set[int] = set()  # process groups of LibreOffice runs in progress


def _group_alive(pgid: int) -> bool:
    """Whether a process of the group still runs. Zombies do not count: they have ended, and those LibreOffice
    leaves (gpg helpers) wait for the system to reap them."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    proc = Path("/proc")
    if not proc.is_dir():
        return True
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] not in ("Z", "X"):
            return True
    return False


def _kill_group(pgid: int) -> None:
    """Stop a LibreOffice run and everything it started (soffice.bin, oosplash): TERM, then KILL; returns at once
    when nothing of the group runs any more."""
    for sig, wait in ((signal.SIGTERM, TERM_SECONDS), (signal.SIGKILL, KILL_SECONDS)):
        if not _group_alive(pgid):
            break
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while _group_alive(pgid) and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS / 2)
    _RUNNING.discard(pgid)


@atexit.register
def _kill_all() -> None:
    """When docgen exits for any reason, no LibreOffice it started keeps running."""
    for pgid in list(_RUNNING):
        _kill_group(pgid)


def _start(
    cmd: list[str],
    env: dict[str, str] | None,
    stdout: IO[bytes] | int,
    stderr: IO[bytes] | int,
    umask: int = -1,
) -> Popen[bytes]:
    """`cmd` as the leader of a new process group, which `_stop` ends; with `umask`, the child's (never this
    process's) file mode mask."""
    proc = subprocess.Popen(
        cmd, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr, env=env, start_new_session=True, umask=umask
    )
    _RUNNING.add(proc.pid)
    return proc


def _exited(proc: Popen[bytes]) -> bool:
    """Whether the group's leader has ended. It is left unreaped (a zombie) until `_stop`, so that its process
    id, which is the group's id, cannot be given to another process before the group is killed."""
    try:
        return os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


class _Ending:
    """Waits for a process to end, woken by its end rather than by a timer where Linux gives a handle on the
    process (a pidfd); elsewhere each wait is a plain sleep. It never reaps the process."""

    def __init__(self, proc: Popen[bytes]) -> None:
        try:
            self._fd: int | None = os.pidfd_open(proc.pid)
        except (AttributeError, OSError):
            self._fd = None

    def __enter__(self) -> _Ending:
        return self

    def __exit__(self, *_: object) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def wait(self, seconds: float) -> None:
        """Return when the process ends, or after `seconds` at the latest."""
        if self._fd is None:
            time.sleep(seconds)
        else:
            select.select([self._fd], [], [], seconds)


def _stop(proc: Popen[bytes]) -> None:
    """Kill whatever of the group still runs (after a normal exit too: a child left behind is stopped), then reap
    the leader."""
    try:
        _kill_group(proc.pid)
    finally:
        proc.wait()


@lru_cache(maxsize=1)
def libreoffice_version() -> str:
    """'LibreOffice 7.4.7.2 …' for the manifest; 'unavailable' when it is missing or does not answer within
    VERSION_SECONDS (its process group is then killed)."""
    try:
        cmd = [soffice_path(), "--version"]
        with tempfile.TemporaryFile() as out:
            proc = _start(cmd, None, out, subprocess.DEVNULL)
            try:
                deadline = time.monotonic() + VERSION_SECONDS
                with _Ending(proc) as ending:
                    while not _exited(proc):
                        if time.monotonic() > deadline:
                            return "unavailable"
                        ending.wait(POLL_SECONDS)
            finally:
                _stop(proc)
            out.seek(0)
            return out.read(2000).decode("utf-8", "replace").strip() or "unknown"
    except (OSError, ConversionError):
        return "unavailable"


def _pdf_ok(path: Path) -> bool:
    from pypdf import PdfReader  # here, not at the top: the settings import this module's limits at every start

    try:
        return path.exists() and path.stat().st_size > 0 and len(PdfReader(str(path)).pages) > 0
    except Exception:
        return False


def _whole(path: Path) -> bool:
    """Whether LibreOffice has written the whole PDF: it ends with the %%EOF written last, and it opens."""
    try:
        with open(path, "rb") as fh:
            fh.seek(max(0, fh.seek(0, os.SEEK_END) - 64))
            tail = fh.read()
    except OSError:
        return False
    return b"%%EOF" in tail and _pdf_ok(path)


def _end_at_once(proc: Popen[bytes]) -> None:
    """Kill the whole group of a LibreOffice that has nothing left to write: its profile and temporary files are
    thrown away with the work folder, so nothing is lost by not letting it shut down. The leader is unreaped, so
    the group's id is still its own."""
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def _state(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


@dataclass
class _Run:
    """What one soffice call did."""

    said: str  # its error output, first line
    stalled: float | None = None  # seconds it went without a new PDF before it was stopped (None: it ended)
    stuck: str = ""  # the document it was converting then


def _run(docs: list[Path], outdir: Path, work: Path, name: str, per_document: float) -> _Run:
    """One soffice call in its own process group, watched: it is stopped when no new PDF has appeared in `outdir`
    within the wait_limits. On a stop, an interruption or any error the whole group is killed before this returns,
    so nothing lands later."""
    profile, tmp = work / f"profile-{name}", work / "tmp"
    private_folder(tmp)  # LibreOffice's own temporary files stay in docgen's work folder
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF), HOME=str(profile), TMPDIR=str(tmp))
    cmd = [
        soffice_path(),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        *map(str, docs),
    ]
    expected = [outdir / f"{d.stem}.pdf" for d in docs]
    before = [_state(p) for p in expected]
    first, idle = wait_limits(per_document)
    with open(work / f"stderr-{name}.txt", "w+b") as err:
        proc = _start(cmd, env, subprocess.DEVNULL, err)
        try:
            seen, since, limit = before, time.monotonic(), first
            with _Ending(proc) as ending:
                while not _exited(proc):
                    ending.wait(POLL_SECONDS)  # the watchdog looks at the output folder meanwhile
                    now = [_state(p) for p in expected]
                    if now != seen:  # a PDF appeared or grew: progress
                        seen, since, limit = now, time.monotonic(), idle
                        if all(n is not None and n != b for n, b in zip(now, before, strict=True)) and all(
                            map(_whole, expected)
                        ):
                            _end_at_once(proc)  # every PDF is written: LibreOffice's shutdown is not waited for
                            break
                    elif time.monotonic() - since > limit:
                        stuck = next((d.name for d, b, n in zip(docs, before, now, strict=True) if b == n), "")
                        return _Run("", limit, stuck)
        finally:
            _stop(proc)
        err.seek(0)
        said = err.read(4000).decode("utf-8", "replace").strip()
    return _Run(said.splitlines()[0][:300] if said else "")


def _hang_error(run: _Run, done: int, total: int) -> ConversionError:
    waited = run.stalled or 0.0
    stuck_ja = f"{run.stuck} の変換中に" if run.stuck else ""
    stuck_en = f" while converting {run.stuck}" if run.stuck else ""
    return ConversionError(
        Text(
            f"LibreOffice が{stuck_ja} {waited:g} 秒間 PDF を書き出さなかったため、止まったと判断して終了させました"
            f"（{total}件中{done}件は変換済み。作成途中のファイルは残していません）。このパソコンで LibreOffice が"
            "起動するか、ダイアログが表示されたままになっていないかを確認するか、"
            "Word のファイルだけを作ってください（遅いパソコンでは docgen.toml の [pdf] "
            f"seconds_per_document で待ち時間を最大 {HANG_SECONDS:g} 秒まで延ばせます）",
            f"LibreOffice wrote no PDF for {waited:g} s{stuck_en} and was stopped as hung ({done} of {total} were"
            " converted; nothing half-written was kept). Check that LibreOffice starts on this machine"
            " and that no dialog is waiting, or make the Word files only"
            f" ([pdf] seconds_per_document in docgen.toml lets a slow machine wait up to {HANG_SECONDS:g} s).",
        ),
        steps=WORD_ONLY,
    )


@contextmanager
def _work_folder() -> Iterator[Path]:
    """A private temporary folder for LibreOffice's profile and files; a temporary folder that cannot be made is
    named."""
    try:
        tmp = tempfile.TemporaryDirectory(prefix="docgen-lo-")
    except OSError as exc:
        raise DiskError(
            disk_message(exc, Path(os.environ.get("TMPDIR") or "/tmp"), TMPDIR_LABEL)
            or say(f"一時フォルダーを作れません（{exc.strerror}）", f"cannot make a temporary folder ({exc.strerror})")
        ) from None
    with tmp as name:
        work = Path(name)
        check_writable(work, TMPDIR_LABEL)
        yield work


def convert_to_pdf(
    docs: list[Path],
    outdir: Path,
    per_document: float = DEFAULT_PER_DOCUMENT,
    *,
    fonts: Sequence[str] = REQUIRED_FONTS,
) -> list[Path]:
    """Convert .docx files to PDFs in `outdir` (same stem); returns the PDFs in input order.

    One call converts them all, watched by wait_limits(per_document): a call that writes no new PDF in time is
    stopped and named with the document it was on, within a minute whatever the number of documents. Files that
    failed are retried once, one by one. `fonts` must be installed (check_fonts): the IPAex fonts, plus
    CHINESE_FONTS for the zh / en handouts. An unwritable TMPDIR or output folder, or a full disk, is named.
    """
    if not docs:
        return []
    check_fonts(fonts)
    check_tmpdir()
    with writing(outdir):
        private_folder(outdir)
    check_writable(outdir)
    expected = [outdir / f"{d.stem}.pdf" for d in docs]
    with _work_folder() as work:
        run = _run(docs, outdir, work, "all", per_document)
        if run.stalled is not None:
            raise _hang_error(run, sum(map(_pdf_ok, expected)), len(docs))
        for n, (doc, pdf) in enumerate(zip(docs, expected, strict=True)):  # one retry, file by file
            if not _pdf_ok(pdf):
                retry = _run([doc], outdir, work, f"retry-{n}", per_document)
                if retry.stalled is not None:
                    raise _hang_error(retry, sum(map(_pdf_ok, expected)), len(docs))
                run = retry if retry.said else run
        failed = [d.name for d, p in zip(docs, expected, strict=True) if not _pdf_ok(p)]
    if failed:
        check_writable(outdir)  # a disk that filled up during the run is named, not the documents
        names = ", ".join(failed)
        raise ConversionError(
            Text(
                f"LibreOffice で {names} を PDF に変換できませんでした（2回試しました）。"
                + (f"LibreOffice のメッセージ: {run.said}。" if run.said else "")
                + "Word でファイルを開いて確認するか、Word のファイルだけを作ってください",
                f"LibreOffice could not convert {names} to PDF (tried twice)."
                + (f" LibreOffice said: {run.said}" if run.said else "")
                + " Open the Word file to check it, or make the Word files only.",
            ),
            steps=WORD_ONLY,
        )
    return expected
