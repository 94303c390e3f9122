"""Word -> PDF with headless LibreOffice.

One soffice call converts every document of a run (about 0.35 s per document instead of
2 s); each run gets its own LibreOffice profile (two processes sharing one fail silently);
a timeout guards against a hung soffice; every expected PDF must exist and open, and
files that failed are retried once, one by one.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from pypdf import PdfReader

from docgen.errors import DocgenError
from docgen.messages import say
from docgen.resources import FONTS_CONF

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
DEFAULT_PER_DOCUMENT = 10.0  # seconds per document; docgen.toml [pdf] seconds_per_document
START_DOCUMENTS = 3  # LibreOffice's own start (cold, building its profile) is allowed 3 documents' time


def fonts_for(languages: Iterable[str]) -> tuple[str, ...]:
    """The fonts documents in these languages need, each once (IPAex always)."""
    return tuple(dict.fromkeys(f for lang in ("ja", *languages) for f in DOCUMENT_FONTS[lang]))


class ConversionError(DocgenError):
    """LibreOffice is missing, timed out or produced no readable PDF."""


def soffice_path() -> str:
    """The LibreOffice executable, or a clear error saying how to install it."""
    found = os.environ.get("DOCGEN_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    if not found or not os.access(found, os.X_OK):
        raise ConversionError(
            say(
                "LibreOffice がインストールされていないため、Word のファイルを PDF にできません。"
                "インストールする（Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui fonts-ipaexfont）か、"
                "--no-pdf で Word のファイルだけを作ってください",
                "LibreOffice is not installed, so Word files cannot be turned into PDF. "
                "Install it (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui fonts-ipaexfont) "
                "or use --no-pdf to produce the Word files only.",
            )
        )
    return found


def check_fonts(fonts: Sequence[str] = REQUIRED_FONTS) -> None:
    """The fonts the documents resolve to (the Japanese IPAex fonts, and Noto CJK SC for handouts) must be installed."""
    try:
        listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        raise ConversionError(
            say(
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
            say(
                f"フォント {names} がインストールされていません"
                + (
                    "（中国語・英語の依頼者用一覧で、日本語の IPAex フォントにない 许 や 请 などの簡体字に必要です）"
                    if chinese
                    else ""
                )
                + "。このままでは PDF の文字が四角や別の字形になります。インストールする"
                f"（Debian/Ubuntu: sudo apt-get install {packages}）か、--no-pdf（書類一覧では --format docx）を"
                "使ってください",
                f"the fonts {names} are not installed"
                + (
                    " (the Chinese and English client handouts need them for simplified Chinese such as 许 and 请, "
                    "which the Japanese IPAex fonts lack)"
                    if chinese
                    else ""
                )
                + "; PDFs would show boxes or the wrong glyphs. "
                f"Install them (Debian/Ubuntu: sudo apt-get install {packages}) or use --no-pdf "
                "(--format docx for a checklist).",
            )
        )


@lru_cache(maxsize=1)
def libreoffice_version() -> str:
    """'LibreOffice 7.4.7.2 …' for the manifest."""
    try:
        out = subprocess.run([soffice_path(), "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
        return out or "unknown"
    except (OSError, subprocess.TimeoutExpired, ConversionError):
        return "unavailable"


def _pdf_ok(path: Path) -> bool:
    try:
        return path.exists() and path.stat().st_size > 0 and len(PdfReader(str(path)).pages) > 0
    except Exception:
        return False


_RUNNING: set[int] = set()  # process groups of LibreOffice runs in progress


def _kill_group(pgid: int) -> None:
    """Stop a LibreOffice run and everything it started (soffice.bin, oosplash): TERM, then KILL."""
    for sig, wait in ((signal.SIGTERM, 2.0), (signal.SIGKILL, 0.0)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
    _RUNNING.discard(pgid)


@atexit.register
def _kill_all() -> None:
    """When docgen exits for any reason, no LibreOffice it started keeps running."""
    for pgid in list(_RUNNING):
        _kill_group(pgid)


def _run(docs: list[Path], outdir: Path, profile: Path, timeout: float) -> tuple[str, bool]:
    """One soffice call in its own process group; (what it said, whether it timed out). On a timeout, an
    interruption or any error the whole group is killed before this returns, so nothing lands later."""
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF), HOME=str(profile))
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
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True
    )
    _RUNNING.add(proc.pid)
    try:
        _, err = proc.communicate(timeout=timeout)
        return (err or "").strip(), False
    except subprocess.TimeoutExpired:
        return "", True
    finally:
        _kill_group(proc.pid)  # also after a normal exit: a child left behind is stopped
        proc.wait()
        if proc.stderr:
            proc.stderr.close()


def budget(documents: int, per_document: float = DEFAULT_PER_DOCUMENT) -> float:
    """Seconds one soffice call may take: LibreOffice's start plus `per_document` for each file."""
    return per_document * (START_DOCUMENTS + documents)


def convert_to_pdf(
    docs: list[Path],
    outdir: Path,
    per_document: float = DEFAULT_PER_DOCUMENT,
    *,
    fonts: Sequence[str] = REQUIRED_FONTS,
) -> list[Path]:
    """Convert .docx files to PDFs in `outdir` (same stem); returns the PDFs in input order.

    One call converts them all within `budget(len(docs), per_document)` seconds; files that failed are retried
    one by one, but a call that hung is not retried: the error comes within about a minute, with advice.
    `fonts` must be installed (check_fonts): the IPAex fonts, plus CHINESE_FONTS for the zh / en handouts.
    """
    if not docs:
        return []
    check_fonts(fonts)
    outdir.mkdir(parents=True, exist_ok=True)
    expected = [outdir / f"{d.stem}.pdf" for d in docs]
    with tempfile.TemporaryDirectory(prefix="docgen-lo-") as tmp:
        profile = Path(tmp) / "profile"
        limit = budget(len(docs), per_document)
        message, hung = _run(docs, outdir, profile, limit)
        if hung:
            raise ConversionError(
                say(
                    f"LibreOffice が {limit:.0f} 秒以内に終わらなかったため止めました"
                    "（作成途中のファイルは残していません）。このパソコンで LibreOffice が起動するか"
                    "（soffice --headless --version）、ダイアログが表示されたままになっていないか、ディスクの空きが"
                    "あるかを確認するか、--no-pdf で Word のファイルだけを作ってください"
                    "（遅いパソコンでは docgen.toml の [pdf] seconds_per_document で時間を延ばせます）",
                    f"LibreOffice did not finish within {limit:.0f} s and was stopped (nothing half-written was kept)."
                    " Check that LibreOffice starts on this machine (soffice --headless --version), that no dialog is"
                    " waiting, and that the disk is not full; or use --no-pdf to make the Word files only"
                    " ([pdf] seconds_per_document in docgen.toml gives slow machines more time).",
                )
            )
        for doc, pdf in zip(docs, expected, strict=True):  # one retry, file by file
            if not _pdf_ok(pdf):
                message, hung = _run([doc], outdir, Path(tmp) / f"retry-{doc.stem}", budget(1, per_document))
                if hung:
                    break
        failed = [d.name for d, p in zip(docs, expected, strict=True) if not _pdf_ok(p)]
    if failed:
        names = ", ".join(failed)
        raise ConversionError(
            say(
                f"LibreOffice で {names} を PDF に変換できませんでした（2回試しました）。"
                + (f"LibreOffice のメッセージ: {message}。" if message else "")
                + "Word でファイルを開いて確認するか、--no-pdf を使ってください",
                f"LibreOffice could not convert {names} to PDF (tried twice)."
                + (f" LibreOffice said: {message}" if message else "")
                + " Open the Word file to check it, or use --no-pdf.",
            )
        )
    return expected
