"""The client's scanned evidence: find it by item id, repair PDFs, turn images into A4 pages.

Layout of an evidence folder (either form works):
    evidence/resident_tax_certificates/2024.pdf      a folder named by item id
    evidence/passport-copy.jpg                         a file whose name starts with an item id
Unreadable or encrypted files are reported by name and left out; nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image, UnidentifiedImageError

PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}
A4 = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))
MARGIN = img2pdf.mm_to_pt(10)


@dataclass
class EvidenceFile:
    item_id: str
    source: Path
    pdf: Path  # normalised PDF ready to merge
    pages: int
    label: str  # bookmark: the path under the item's folder (e.g. "TRAN THI BINH/2024.pdf") or the file name


@dataclass
class EvidenceSet:
    files: dict[str, list[EvidenceFile]] = field(default_factory=dict)
    rejected: list[tuple[Path, str]] = field(default_factory=list)  # (file, reason)
    unmatched: list[Path] = field(default_factory=list)  # files whose name matches no item of this case


def _item_for(path: Path, root: Path, item_ids: list[str]) -> str | None:
    rel = path.relative_to(root)
    if len(rel.parts) > 1 and rel.parts[0] in item_ids:
        return rel.parts[0]
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


def _image_to_pdf(src: Path, out: Path) -> int:
    with Image.open(src) as im:
        im.verify()
    # scaled to fit inside an A4 portrait page with a 10 mm margin
    layout = img2pdf.get_layout_fun(A4, None, (MARGIN, MARGIN), fit=img2pdf.FitMode.into)
    try:
        out.write_bytes(img2pdf.convert(str(src), layout_fun=layout, rotation=img2pdf.Rotation.ifvalid))
    except img2pdf.AlphaChannelError:  # PNG with transparency: flatten on white first
        with Image.open(src) as im:
            flat = Image.new("RGB", im.size, "white")
            flat.paste(im.convert("RGBA"), mask=im.convert("RGBA").split()[-1])
            tmp = out.with_suffix(".flat.png")
            flat.save(tmp)
        out.write_bytes(img2pdf.convert(str(tmp), layout_fun=layout))
        tmp.unlink()
    return 1


def _repair_pdf(src: Path, out: Path) -> int:
    """Open with qpdf (recovers damaged xref tables and truncated files) and save a clean copy."""
    with pikepdf.open(src) as pdf:
        if pdf.is_encrypted:
            raise PermissionError("encrypted")
        pages = len(pdf.pages)
        if pages == 0:
            raise ValueError("no pages")
        pdf.save(out)
    return pages


def collect_evidence(folder: Path, item_ids: list[str], work: Path) -> EvidenceSet:
    """Match files in `folder` to items and normalise them into `work`."""
    result = EvidenceSet()
    work.mkdir(parents=True, exist_ok=True)
    for n, path in enumerate(sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))):
        suffix = path.suffix.lower()
        if suffix not in PDF_SUFFIXES | IMAGE_SUFFIXES:
            result.rejected.append((path, f"not a PDF, JPEG or PNG file ({suffix or 'no extension'})"))
            continue
        item_id = _item_for(path, folder, item_ids)
        if item_id is None:
            result.unmatched.append(path)
            continue
        out = work / f"{n:03d}-{item_id}.pdf"
        try:
            pages = _image_to_pdf(path, out) if suffix in IMAGE_SUFFIXES else _repair_pdf(path, out)
        except pikepdf.PasswordError:
            result.rejected.append((path, "the PDF is password-protected; ask the client for an unprotected copy"))
            continue
        except PermissionError:
            result.rejected.append(
                (
                    path,
                    "the PDF is encrypted (protected PDFs are rejected by the immigration office); ask for an un"
                    "protected copy",
                )
            )
            continue
        except (pikepdf.PdfError, ValueError, OSError, UnidentifiedImageError, img2pdf.ImageOpenError) as exc:
            kind = "PDF" if suffix in PDF_SUFFIXES else "image"
            result.rejected.append(
                (path, f"the {kind} cannot be read ({type(exc).__name__}); ask the client to scan it again")
            )
            continue
        rel = path.relative_to(folder)
        label = "/".join(rel.parts[1:]) if len(rel.parts) > 1 and rel.parts[0] == item_id else path.name
        result.files.setdefault(item_id, []).append(EvidenceFile(item_id, path, out, pages, label))
    return result
