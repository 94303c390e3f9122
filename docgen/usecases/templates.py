"""Word templates: check (and repair) them, list which file each document uses, export the built-in ones, and
preview one filled from a profile."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docgen.documents.template_check import Finding, check_template, fix_template, template_files
from docgen.documents.template_vars import BUILTIN_TEMPLATES, export_templates
from docgen.errors import DocgenError
from docgen.packet.preview import office_example, preview
from docgen.resources import PREVIEW_PROFILE
from docgen.text import Text
from docgen.usecases.context import RunContext, use_case


@dataclass(frozen=True)
class TemplateChecked:
    """One template: what was repaired (when asked) and what is still found."""

    path: Path
    repairs: list[str]
    findings: list[Finding]


def _targets(path: Path) -> list[Path]:
    if path.is_file() and path.suffix.lower() == ".docx":
        return [path]
    if not path.is_dir():
        raise DocgenError(Text(f"{path}: テンプレートのフォルダーが見つかりません", f"{path}: no such folder"))
    files = template_files(path)
    if not files:
        raise DocgenError(
            Text(
                f"{path}: このフォルダーに .docx のテンプレートがありません",
                f"{path}: no .docx templates in this folder",
            )
        )
    return files


def templates_in_use(ctx: RunContext) -> list[Path]:
    """The templates a packet uses: the office's, and the built-in ones the office has no copy of."""
    office = ctx.settings.template_dir
    ours = _targets(office) if office and template_files(office) else []
    replaced = {p.name for p in ours}
    return [p for p in _targets(BUILTIN_TEMPLATES) if p.name not in replaced] + ours


@use_case
def check_templates(ctx: RunContext, directory: Path | None = None, *, repair: bool = False) -> list[TemplateChecked]:
    """Check the templates of `directory` (a folder or one .docx; the templates in use by default) as the packet
    will fill them (the agent is never empty when docgen.toml has [office]); with `repair`, split tags and
    curly or full-width characters in tags are repaired in place first."""
    files = templates_in_use(ctx) if directory is None else _targets(directory)
    office = ctx.settings.office is not None
    return [
        TemplateChecked(path, fix_template(path) if repair else [], check_template(path, office=office))
        for path in files
    ]


@dataclass(frozen=True)
class TemplateInUse:
    """Which file a document is made from: the office's copy or the built-in template."""

    name: str
    path: Path
    origin: str  # "office" or "built-in"


@use_case
def list_templates(ctx: RunContext) -> list[TemplateInUse]:
    return [TemplateInUse(name, *ctx.settings.template(name)) for name in ctx.settings.template_names()]


@use_case
def export_builtin_templates(ctx: RunContext, directory: Path, *, replace: bool = False) -> list[Path]:
    """Copy the built-in templates and the variable list (README.md) to `directory`; templates already there
    (staff's edits) are replaced only when asked."""
    return export_templates(directory, force=replace)


@use_case
def preview_template(ctx: RunContext, name: str, profile: Path | None = None, out: Path | None = None) -> list[Path]:
    """One template filled from `profile` (the example profile with this office as 取次者 by default), as a PDF
    and one PNG per page in `out` (output/preview by default)."""
    case = ctx.case(profile) if profile else office_example(ctx.case(PREVIEW_PROFILE))
    return preview(name, case, out or case.settings.output_dir / "preview")
