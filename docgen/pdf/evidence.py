"""The client's scanned evidence: find it by item id, repair PDFs, turn images into A4 pages.

Layout of an evidence folder (either form works):
    evidence/resident_tax_certificates/2024.pdf      a folder named by item id
    evidence/passport-copy.jpg                         a file whose name starts with an item id
Whose a scan is and which 年度 it is for are read from the sub-folders under the item's folder and the file name
(`scan_words`; the conventions are in docgen/checklist/scans.py), so that an item is counted per person and per
年度 (docgen/checklist/progress.py):
    evidence/resident_tax_certificates/NGUYEN VAN AN/2025.pdf         NGUYEN VAN AN's 令和7年度
    evidence/resident_tax_certificates/TRAN THI BINH/令和6年度.pdf
    evidence/employment_proof/NGUYEN VAN AN/在職証明書.pdf
    evidence/resident_tax_certificates-tran-thi-binh-R5.pdf
Scans are untrusted input: size, pixels, pages and decompressed content are checked before the expensive step,
and each scan is read in a worker process (docgen/worker.py) with limits on its memory, CPU and wall-clock time
that hold in any thread of the caller (a threaded server as well as the command line); a file over a limit,
unreadable, encrypted, malformed (a page the bundle could not take) or reached through a link leading out of the
folder is reported by name with the reason in staff words and left out, and the rest of
the packet completes. A PDF enters the bundle sanitised (sanitise.py: no JavaScript, actions, links, embedded
files or forms), with a note saying what was removed. Nothing is dropped silently, and library warnings become
those reports instead of noise on the terminal. A work folder that cannot be written (a full disk) is not the
scan's fault: it stops the step with a message naming the folder.
"""

from __future__ import annotations

import logging
import math
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import img2pdf
import pikepdf
import pypdf.filters  # noqa: F401  (loaded here once, so that each scan's worker starts with it)
from PIL import Image, JpegImagePlugin, PngImagePlugin, UnidentifiedImageError  # noqa: F401  (likewise)
from pypdf.errors import PyPdfError

from docgen.case.folder import item_id_of_folder
from docgen.errors import DocgenError
from docgen.hashing import file_sha256
from docgen.messages import say
from docgen.pdf.bundle import check_part
from docgen.pdf.disk import writing
from docgen.pdf.sanitise import Unfit, removed_note, sanitise
from docgen.private_folders import private_folder
from docgen.worker import Limits, Reason, WorkerStopped, run_limited

logging.getLogger("img2pdf").setLevel(logging.ERROR)  # its notes (an alpha channel kept…) are not staff's concern

PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}
A4 = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))
MARGIN = img2pdf.mm_to_pt(10)
MAX_FILE_MB = 100  # one scan; a whole 住民票 or passport scan is a few MB
MAX_PIXELS = 60_000_000  # an A4 page at 600 dpi is 35 million
MAX_PAGES = 300  # one PDF
MAX_SECONDS: float = 60  # to read and repair one file (wall-clock, and CPU seconds)
MAX_MEMORY_MB = 1536  # a scan's worker beyond its start; a 60-million-pixel PNG with transparency takes 0.95 GB


class Rejected(Exception):
    """A scan left out of the bundle; the message is the reason in staff words."""


@dataclass
class EvidenceFile:
    item_id: str
    source: Path
    pdf: Path  # normalised PDF ready to merge
    pages: int
    label: str  # bookmark under the item, like the index: the person's subfolder and 資料N, never a file name
    sha256: str = ""  # the hash of the scan's bytes as they were read (the manifest records it)


@dataclass
class EvidenceSet:
    files: dict[str, list[EvidenceFile]] = field(default_factory=dict)
    rejected: list[tuple[Path, str]] = field(default_factory=list)  # (file, reason)
    sanitised: list[tuple[Path, str]] = field(default_factory=list)  # (file, what was removed) for staff
    unmatched: list[Path] = field(default_factory=list)  # files whose name matches no item of this case


def _folder_item(name: str, item_ids: list[str]) -> str | None:
    """A folder named by item id, or a case folder's '07 住民税の課税証明書 [resident_tax_certificates]'."""
    found = name if name in item_ids else item_id_of_folder(name)
    return found if found in item_ids else None


def _item_for(path: Path, root: Path, item_ids: list[str]) -> str | None:
    rel = path.relative_to(root)
    if len(rel.parts) > 1 and (folder_item := _folder_item(rel.parts[0], item_ids)):
        return folder_item
    stem = rel.parts[-1].lower()
    # the longest id wins: resident_tax_payment_proof before resident_tax…
    for item_id in sorted(item_ids, key=len, reverse=True):
        if (
            stem == item_id
            or stem.startswith(item_id + "-")
            or stem.startswith(item_id + "_")
            or stem.startswith(item_id + ".")
        ):
            return item_id
    return None


MAX_DEPTH = 4  # sub-folders read under an item's folder: item/person/年度/file and one more


def scan_words(source: Path, item_id: str) -> list[str]:
    """The names that tell whose a scan is and which 年度: the sub-folders between the item's folder and the file
    (up to MAX_DEPTH), then the file's name without its suffix and without the item id it starts with.
    A file matched by its name alone (evidence/resident_tax_certificates-2025.pdf) gives its name only."""
    folders: list[str] = []
    for parent in list(source.parents)[:MAX_DEPTH]:
        if _folder_item(parent.name, [item_id]) == item_id:
            break
        folders.insert(0, parent.name)
    else:
        folders = []
    stem = source.stem
    if stem.lower().startswith(item_id):
        stem = stem[len(item_id) :].lstrip("-_. ")
    return [*folders, stem] if stem else folders


WORK_LABEL = ("資料の作業フォルダー", "the evidence work folder")


def _image_to_pdf(src: Path, out: Path) -> int:
    with Image.open(src) as im:
        width, height = im.size  # from the header: nothing decoded yet
        if width * height > MAX_PIXELS:
            raise Rejected(
                say(
                    f"画像が {width}×{height} ピクセルあります（{MAX_PIXELS // 1_000_000}00万画素まで）。"
                    "300〜600 dpi で読み取り直してください",
                    f"the image is {width}×{height} pixels (over {MAX_PIXELS // 1_000_000} million); scan it again"
                    " at 300–600 dpi",
                )
            )
        im.verify()
    # scaled to fit inside an A4 portrait page with a 10 mm margin
    layout = img2pdf.get_layout_fun(A4, None, (MARGIN, MARGIN), fit=img2pdf.FitMode.into)
    try:
        data = img2pdf.convert(str(src), layout_fun=layout, rotation=img2pdf.Rotation.ifvalid)
    except img2pdf.AlphaChannelError:  # PNG with transparency: flatten on white first
        with Image.open(src) as im:
            flat = Image.new("RGB", im.size, "white")
            flat.paste(im.convert("RGBA"), mask=im.convert("RGBA").split()[-1])
            tmp = out.with_suffix(".flat.png")
            with writing(out.parent, WORK_LABEL):
                flat.save(tmp)
        try:
            data = img2pdf.convert(str(tmp), layout_fun=layout)
        finally:
            tmp.unlink()
    with writing(out.parent, WORK_LABEL):
        out.write_bytes(data)
    return check_part(out)


def _repair_pdf(src: Path, out: Path) -> tuple[int, list[str]]:
    """Open with qpdf (recovers damaged xref tables and truncated files) and save a sanitised copy; then put every
    page through what the bundle does, so a file that inflates past the limits or that the bundle could not take
    is caught here. Returns the pages and the hostile kinds removed."""
    with pikepdf.open(src) as pdf:
        if pdf.is_encrypted:
            raise Rejected(
                say(
                    "PDFが暗号化されています（保護されたPDFは入管で受け付けられません）。保護のない写しを依頼してください",
                    "the PDF is encrypted (protected PDFs are rejected by the immigration office); ask for an"
                    " unprotected copy",
                )
            )
        pages = len(pdf.pages)
        if pages == 0:
            raise Rejected(
                say(
                    "PDFにページがありません。依頼者に読み取り直しを依頼してください",
                    "the PDF has no pages; ask the client to scan it again",
                )
            )
        if pages > MAX_PAGES:
            raise Rejected(
                say(
                    f"PDFが{pages}ページあります（{MAX_PAGES}ページまで）。書類ごとに分けてください",
                    f"the PDF has {pages} pages (over {MAX_PAGES}); split it by document",
                )
            )
        clean, kinds = sanitise(pdf)
        with clean, writing(out.parent, WORK_LABEL):
            clean.save(out)
    if check_part(out) != pages:
        raise Unfit(say("ページ数が読み方によって変わります", "its page count differs from one reading to the next"))
    return pages, kinds


def _normalise(path: Path, out: Path) -> tuple[int, list[str]]:
    """One scan as a PDF ready to merge and what sanitising removed, or `Rejected` with the reason (any failure
    of the scan itself); a work folder that cannot be written raises DiskError."""
    is_pdf = path.suffix.lower() in PDF_SUFFIXES
    kind = "PDF" if is_pdf else say("画像", "image")
    if path.stat().st_size > MAX_FILE_MB * 1_000_000:
        raise Rejected(
            say(
                f"ファイルが {MAX_FILE_MB} MB を超えています。解像度を下げて読み取り直してください",
                f"the file is larger than {MAX_FILE_MB} MB; scan it again at a lower resolution",
            )
        )
    try:
        return run_limited(_read_scan, path, out, is_pdf, what=path.name, limits=scan_limits())
    except WorkerStopped as exc:  # the worker was stopped (time, CPU, memory) or died: the scan's fault
        raise Rejected(say(*_stopped(kind, exc.reason))) from None
    except (Rejected, DocgenError):
        raise
    except Unfit as exc:
        raise Rejected(
            say(
                f"PDFの作りが壊れているため綴じられません（{exc}）。依頼者に読み取り直しを依頼してください",
                f"the PDF is malformed and cannot be bound ({exc}); ask the client to scan it again",
            )
        ) from None
    except pikepdf.PasswordError:
        raise Rejected(
            say(
                "PDFにパスワードが掛かっています。パスワードのない写しを依頼してください",
                "the PDF is password-protected; ask the client for an unprotected copy",
            )
        ) from None
    except PermissionError:
        raise Rejected(
            say(
                "ファイルを読めません（読み取りの権限がありません）。ファイルの権限を確認してください",
                "the file cannot be read (no permission); check the file's permissions",
            )
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Rejected(
            say(
                f"画像の画素数が {MAX_PIXELS // 1_000_000}00万画素をはるかに超えています。300〜600 dpi で読み取り直して"
                "ください",
                f"the image has far more than {MAX_PIXELS // 1_000_000} million pixels; scan it again at 300–600 dpi",
            )
        ) from None
    except PyPdfError as exc:
        inflates = "limit" in type(exc).__name__.lower()
        why = (
            say("展開すると元の大きさをはるかに超えます", "it inflates far beyond its size")
            if inflates
            else type(exc).__name__
        )
        raise Rejected(
            say(
                f"PDFを安全に読めません（{why}）。依頼者に読み取り直しを依頼してください",
                f"the PDF cannot be read safely ({why}); ask the client to scan it again",
            )
        ) from None
    except pikepdf.PdfError as exc:
        loop = "loop" in str(exc).lower()
        why = say("ページの構造が循環しています", "its page tree loops") if loop else type(exc).__name__
        raise Rejected(
            say(
                f"PDFを読めません（{why}）。依頼者に読み取り直しを依頼してください",
                f"the PDF cannot be read ({why}); ask the client to scan it again",
            )
        ) from None
    except (ValueError, OSError, UnidentifiedImageError, img2pdf.ImageOpenError, MemoryError) as exc:
        raise Rejected(
            say(
                f"{kind}を読めません（{type(exc).__name__}）。依頼者に読み取り直しを依頼してください",
                f"the {kind} cannot be read ({type(exc).__name__}); ask the client to scan it again",
            )
        ) from None
    except Exception as exc:  # anything else the scan makes a library meet: named and left out, never a crash
        raise Rejected(
            say(
                f"{kind}を綴じられません（{type(exc).__name__}）。依頼者に読み取り直しを依頼してください",
                f"the {kind} cannot be bound ({type(exc).__name__}); ask the client to scan it again",
            )
        ) from None


def scan_limits() -> Limits:
    """What reading one scan may use (the module's limits as they are at the call)."""
    return Limits(memory=MAX_MEMORY_MB << 20, cpu_seconds=max(1, math.ceil(MAX_SECONDS)), wall_seconds=MAX_SECONDS)


def _read_scan(path: Path, out: Path, is_pdf: bool) -> tuple[int, list[str]]:
    """In the worker: the scan repaired (a PDF) or made a PDF (an image) at `out`; its pages and what sanitising
    removed. Library warnings are silenced (the file is either used or reported by name), a decompression bomb's
    warning raised."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return _repair_pdf(path, out) if is_pdf else (_image_to_pdf(path, out), [])


def _too_slow(kind: str) -> tuple[str, str]:
    return (
        f"{kind}の読み込みに{MAX_SECONDS:g}秒以上かかりました。読み取り直してください",
        f"reading the {kind} took over {MAX_SECONDS:g} s; scan it again",
    )


def _stopped(kind: str, reason: Reason) -> tuple[str, str]:
    """Why the worker reading a scan was stopped, in staff words (the caller names the file)."""
    if reason in ("time", "cpu"):
        return _too_slow(kind)
    if reason == "memory":
        return (
            f"{kind}の読み込みに必要なメモリが多すぎるため止めました（{MAX_MEMORY_MB} MB まで）。"
            "解像度を下げて読み取り直してください",
            f"reading the {kind} needs too much memory (over {MAX_MEMORY_MB} MB); scan it again at a lower resolution",
        )
    return (
        f"{kind}を読む途中で処理が異常終了しました。依頼者に読み取り直しを依頼してください",
        f"reading the {kind} ended abnormally; ask the client to scan it again",
    )


def _files(folder: Path, result: EvidenceSet) -> list[Path]:
    """The files under `folder`, without following links out of it; unreadable folders and outward links are
    reported."""
    root = folder.resolve()
    found: list[Path] = []

    def unreadable(err: OSError) -> None:
        where = Path(err.filename) if err.filename else folder
        result.rejected.append(
            (
                where,
                say(
                    "フォルダーを読めません（読み取りの権限がありません）。中のファイルは含めていません",
                    "the folder cannot be read (no permission); its files were not included",
                ),
            )
        )

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        here = Path(dirpath)
        for name in list(dirnames):
            if (here / name).is_symlink():
                dirnames.remove(name)
                result.rejected.append(
                    (
                        here / name,
                        say(
                            "フォルダーへのリンクです。ファイルそのものを資料フォルダーに入れてください",
                            "a link to a folder; put the files themselves in the evidence folder",
                        ),
                    )
                )
        for name in filenames:
            path = here / name
            if name.startswith("."):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                result.rejected.append(
                    (
                        path,
                        say(
                            "資料フォルダーの外のファイルへのリンクです。ファイルそのものをフォルダーにコピーしてください",
                            "a link to a file outside the evidence folder; copy the file itself into the folder",
                        ),
                    )
                )
                continue
            if path.is_symlink() and not path.exists():
                result.rejected.append(
                    (path, say("存在しないファイルへのリンクです", "a link to a file that does not exist"))
                )
                continue
            found.append(path)
    return sorted(found)


def _sha256_or_none(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None


def collect_evidence(folder: Path, item_ids: list[str], work: Path, case_id: str = "evidence") -> EvidenceSet:
    """Match files in `folder` to items and normalise them into `work` ('<case_id>-001-passport.pdf', …)."""
    result = EvidenceSet()
    with writing(work, WORK_LABEL):
        private_folder(work)
    root = folder.resolve()
    for n, path in enumerate(_files(folder, result)):
        suffix = path.suffix.lower()
        if suffix not in PDF_SUFFIXES | IMAGE_SUFFIXES:
            shown = suffix or say("拡張子なし", "no extension")
            result.rejected.append(
                (
                    path,
                    say(f"PDF・JPEG・PNG のいずれでもありません（{shown}）", f"not a PDF, JPEG or PNG file ({shown})"),
                )
            )
            continue
        item_id = _item_for(path, root, item_ids)
        if item_id is None:
            result.unmatched.append(path)
            continue
        out = work / f"{case_id}-{n:03d}-{item_id}.pdf"
        read = _sha256_or_none(path)  # an unreadable file is named by _normalise, with its reason
        try:
            pages, removed = _normalise(path, out)
            if _sha256_or_none(path) != read:  # saved again (a scanner, staff) while it was being read
                raise Rejected(
                    say(
                        "読み込み中にファイルが変更されました。もう一度作成してください",
                        "the file changed while it was being read; build again",
                    )
                )
        except Rejected as exc:
            out.unlink(missing_ok=True)
            result.rejected.append((path, str(exc)))
            continue
        if removed:
            result.sanitised.append((path, removed_note(removed)))
        rel = path.relative_to(root)
        in_item_folder = len(rel.parts) > 1 and _folder_item(rel.parts[0], item_ids) == item_id
        person = " / ".join(rel.parts[1:-1]) if in_item_folder else ""
        files = result.files.setdefault(item_id, [])
        label = f"{person}　資料{len(files) + 1}" if person else f"資料{len(files) + 1}"
        files.append(EvidenceFile(item_id, path, out, pages, label, read or ""))
    return result
