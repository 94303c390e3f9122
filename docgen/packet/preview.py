"""`docgen templates preview`: render one template with a profile to PDF and PNG pages.

In: a template name and a `Case` built as for the packet (office template folder, docgen.toml [office] as 取次者
when the profile has none). Out: `<case_id>-preview-<name>.pdf` and one PNG per page,
`<case_id>-preview-<name>-N.png`; a template that needs a 取次者 the case does not
have stops with the message the packet gives, before any work.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import tempfile
from pathlib import Path

from pydantic import BaseModel

from docgen.assessment import assess_case
from docgen.case import Case
from docgen.checklist import case_checklist
from docgen.documents.generate import contexts
from docgen.documents.points_table import points_context
from docgen.documents.render import render_docx
from docgen.documents.template_check import require_agent
from docgen.errors import DocgenError
from docgen.packet.handout import checklist_context
from docgen.packet.index import index_rows
from docgen.packet.safe_write import docgen_wrote, private_file, record_written
from docgen.pdf.converter import COLD, Converter
from docgen.text import Text


def office_example(case: Case) -> Case:
    """The example profile as one of this office's cases: its made-up 取次者 replaced by docgen.toml [office] (none
    without it), as a profile without filing_agent gets in the packet."""
    return dataclasses.replace(case, profile=case.profile.model_copy(update={"filing_agent": case.settings.office}))


def _pages(out_dir: Path, stem: str) -> list[Path]:
    """The PNG pages pdftoppm wrote for `stem`: stem-1.png, stem-2.png … (stem-01.png … for 10 pages or more)."""
    return [p for p in out_dir.glob(f"{stem}-*.png") if p.stem.rsplit("-", 1)[1].isdigit()]


def preview(name: str, case: Case, out_dir: Path, converter: Converter = COLD) -> list[Path]:
    """Render template `name` (office copy first) for the case, converted by `converter`, and return the PDF
    (`<case_id>-preview-<name>.pdf`) followed by one PNG per page (`<case_id>-preview-<name>-N.png`)."""
    settings = case.settings
    if name not in settings.template_names():
        names = ", ".join(settings.template_names())
        raise DocgenError(
            Text(
                f"テンプレート '{name}' はありません。使えるテンプレート: {names}",
                f"no template named '{name}'; templates: {names}",
            )
        )
    require_agent(case, [name])
    assessment = assess_case(case)
    checklist = case_checklist(case, assessment)
    template, _ = settings.template(name)
    if name == "hsp_points" and not points_context(case, assessment.main):
        raise DocgenError(
            Text(
                "高度専門職ポイント計算表には、ポイントのルートの案件で applicant.hsp を書いたプロフィールが必要です"
                "（例: examples/hsp-points-80.yaml）",
                "the 高度専門職ポイント計算表 needs a profile on a points route with applicant.hsp (e.g."
                " examples/hsp-points-80.yaml)",
            )
        )
    ctx: BaseModel
    if name == "checklist":
        ctx = checklist_context(checklist, "ja")
    else:
        main = contexts(case, assessment)[case.profile.applicant.display_name]
        ctx = main.model_copy(update={"index": index_rows(checklist, {}, {})})
    stem = f"{case.profile.case_id}-preview-{name}"
    with tempfile.TemporaryDirectory(prefix="docgen-preview-") as tmp:
        docx = render_docx(template, ctx, Path(tmp) / f"{name}.docx")
        pdf = converter.convert([docx], Path(tmp), settings.pdf_seconds_per_document)[0]
        out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)  # only once there is something to put in it
        target = out_dir / f"{stem}.pdf"
        with private_file(target, inputs=[case.profile_path]) as part:
            shutil.copyfile(pdf, part)
    for old in _pages(out_dir, stem):
        if not docgen_wrote(old):
            raise DocgenError(
                Text(
                    f"{old} は docgen が書いたものではない（または編集された）ため、そのまま残しました。"
                    "先に移動してください",
                    f"{old} was not written by docgen (or was edited); it was kept. Move it away first",
                )
            )
        old.unlink()
    if shutil.which("pdftoppm") is None:
        raise DocgenError(
            Text(
                "pdftoppm がインストールされていません（Debian: sudo apt-get install poppler-utils）。"
                f"PDF は書き出しました: {target}",
                "pdftoppm is not installed (Debian: sudo apt-get install poppler-utils); the PDF was written: "
                f"{target}",
            )
        )
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(target), str(out_dir / stem)], check=True, timeout=120)
    pages = sorted(_pages(out_dir, stem), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    for page in pages:  # a preview of a real case holds personal data
        page.chmod(0o600)
        record_written(page)
    return [target, *pages]
