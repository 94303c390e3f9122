"""`docgen templates preview`: render one template with a profile to PDF and PNG pages."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from docgen.checklist.build import build_checklist
from docgen.packet.handout import checklist_context
from docgen.documents.context import build_context
from docgen.pdf.convert import convert_to_pdf
from docgen.errors import DocgenError
from docgen.documents.explanations import explanations
from docgen.packet.build import _index_rows
from docgen.documents.points_table import points_context
from docgen.profile.load import load_profile
from docgen.documents.render import render_docx
from docgen.packet.safe_write import private_file
from docgen.case.settings import Settings
from docgen.resources import PREVIEW_PROFILE

DEFAULT_PROFILE = PREVIEW_PROFILE


def preview(name: str, profile_path: Path | None, out_dir: Path, settings: Settings) -> list[Path]:
    """Render template `name` (office copy first) and return the PDF followed by one PNG per page."""
    if name not in settings.template_names():
        raise DocgenError(f"no template named '{name}'; templates: {', '.join(settings.template_names())}")
    profile = load_profile(profile_path or DEFAULT_PROFILE)
    book = settings.rulebook()
    category = book.category(profile.category)
    checklist = build_checklist(profile.category, profile.application_date, profile=profile, release_day=settings.release_day, book=book)
    template, _ = settings.template(name)
    points = points_context(profile, book, None)
    if name == "hsp_points" and not points:
        raise DocgenError("the 高度専門職ポイント計算表 needs a profile on a points route with applicant.hsp (e.g. examples/hsp-points-80.yaml)")
    ctx: BaseModel
    if name == "checklist":
        ctx = checklist_context(checklist, "ja")
    else:
        ctx = build_context(profile, None, category_name=category.name["ja"], route_name=category.route_name["ja"], today=date.today(),
                            index=_index_rows(checklist, {}, {}), explanations=explanations(profile),
                            **points)
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tempfile.TemporaryDirectory(prefix="docgen-preview-") as tmp:
        docx = render_docx(template, ctx, Path(tmp) / f"{name}.docx")
        pdf = convert_to_pdf([docx], Path(tmp))[0]
        target = out_dir / f"{name}.pdf"
        with private_file(target) as part:
            shutil.copyfile(pdf, part)
    for old in out_dir.glob(f"{name}-*.png"):
        old.unlink()
    if shutil.which("pdftoppm") is None:
        raise DocgenError("pdftoppm is not installed (Debian: sudo apt-get install poppler-utils); the PDF was written: " + str(target))
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(target), str(out_dir / name)], check=True, timeout=120)
    pages = sorted(out_dir.glob(f"{name}-*.png"))
    for page in pages:  # a preview of a real case holds personal data
        page.chmod(0o600)
    return [target, *pages]
