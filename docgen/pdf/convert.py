"""Word -> PDF with headless LibreOffice.

One soffice call converts every document of a run (about 0.35 s per document instead of
2 s); each run gets its own LibreOffice profile (two processes sharing one fail silently);
a timeout guards against a hung soffice; every expected PDF must exist and open, and
files that failed are retried once, one by one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from pypdf import PdfReader

from docgen.errors import DocgenError
from docgen.resources import FONTS_CONF

REQUIRED_FONTS = ("IPAexMincho", "IPAexGothic")
# The zh handout is set in them (docgen/fonts/fonts.conf), and English ones fall back to them for names in
# simplified Chinese: IPAex lacks most simplified characters (许, 请 …) and LibreOffice would print boxes.
CHINESE_FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC")
_FONT_PACKAGES = {"Noto Serif CJK SC": "fonts-noto-cjk", "Noto Sans CJK SC": "fonts-noto-cjk"}  # else fonts-ipaexfont
DEFAULT_TIMEOUT = 180


class ConversionError(DocgenError):
    """LibreOffice is missing, timed out or produced no readable PDF."""


def soffice_path() -> str:
    """The LibreOffice executable, or a clear error saying how to install it."""
    found = os.environ.get("DOCGEN_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    if not found or not os.access(found, os.X_OK):
        raise ConversionError(
            "LibreOffice is not installed, so Word files cannot be turned into PDF. "
            "Install it (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui fonts-ipaexfont) "
            "or use --no-pdf to produce the Word files only."
        )
    return found


def check_fonts(fonts: Sequence[str] = REQUIRED_FONTS) -> None:
    """The fonts the documents resolve to (the Japanese IPAex fonts, and Noto CJK SC for handouts) must be installed."""
    try:
        listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        raise ConversionError("fontconfig (fc-list) is not available; install fontconfig and fonts-ipaexfont") from None
    missing = [f for f in fonts if f not in listed]
    if missing:
        packages = " ".join(sorted({_FONT_PACKAGES.get(f, "fonts-ipaexfont") for f in missing}))
        why = (
            " (the Chinese and English client handouts need them for simplified Chinese such as 许 and 请, "
            "which the Japanese IPAex fonts lack)"
            if any(f in CHINESE_FONTS for f in missing)
            else ""
        )
        raise ConversionError(
            f"the fonts {', '.join(missing)} are not installed{why}; PDFs would show boxes or the wrong glyphs. "
            f"Install them (Debian/Ubuntu: sudo apt-get install {packages}) or use --no-pdf "
            "(--format docx for a checklist)."
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


def _run(docs: list[Path], outdir: Path, profile: Path, timeout: int) -> str:
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
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return f"LibreOffice did not finish within {timeout} s"
    return (proc.stderr or "").strip()


def convert_to_pdf(
    docs: list[Path], outdir: Path, timeout: int = DEFAULT_TIMEOUT, *, fonts: Sequence[str] = REQUIRED_FONTS
) -> list[Path]:
    """Convert .docx files to PDFs in `outdir` (same stem); returns the PDFs in input order.

    `fonts` must be installed (check_fonts): the IPAex fonts, plus CHINESE_FONTS for the zh / en handouts.
    """
    if not docs:
        return []
    check_fonts(fonts)
    outdir.mkdir(parents=True, exist_ok=True)
    expected = [outdir / f"{d.stem}.pdf" for d in docs]
    with tempfile.TemporaryDirectory(prefix="docgen-lo-") as tmp:
        profile = Path(tmp) / "profile"
        message = _run(docs, outdir, profile, timeout)
        for doc, pdf in zip(docs, expected, strict=True):  # one retry, file by file
            if not _pdf_ok(pdf):
                message = _run([doc], outdir, Path(tmp) / f"retry-{doc.stem}", timeout)
        failed = [d.name for d, p in zip(docs, expected, strict=True) if not _pdf_ok(p)]
    if failed:
        detail = f" LibreOffice said: {message}" if message else ""
        raise ConversionError(f"LibreOffice could not convert {', '.join(failed)} to PDF (tried twice).{detail}")
    return expected
