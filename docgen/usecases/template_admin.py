"""The office's Word templates and checklist files for administrators (the web app's テンプレート管理): which file
each document is made from, each downloadable; an office template sent to replace one, checked as `templates
check` checks it (check_templates) before anything is installed — a template with an error is refused with its
findings, a good one replaces the office's copy in one rename (the copy it replaces kept in the template folder's
.docgen-previous/). Only an administrator may do any of it; installing and downloading are audited."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from docgen.accounts import users
from docgen.documents.template_check import Finding, has_errors
from docgen.errors import DocgenError
from docgen.packet.sent_word import check_word_file
from docgen.private_folders import private_folder
from docgen.text import Text
from docgen.usecases.accounts import NotAllowed, office_database
from docgen.usecases.audit import record_action
from docgen.usecases.context import RunContext, use_case
from docgen.usecases.templates import TemplateInUse, check_templates, list_templates

PREVIOUS = ".docgen-previous"  # in the office template folder: the office copies a new one replaced
CHECKLIST_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class OfficeFiles:
    """The templates in use (office copy or built-in) and the office's checklist files."""

    templates: list[TemplateInUse]
    template_folder: Path | None  # where an office template goes (docgen.toml [paths] templates); None: not set
    checklists: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class TemplateSent:
    """A template an administrator sent: what `templates check` found, and whether it was installed."""

    name: str
    file_name: str
    findings: list[Finding]
    installed: bool


def _admin(ctx: RunContext) -> None:
    with office_database(ctx) as conn:
        user = users.find_user(conn, ctx.user)
    if user is None or user.disabled or not user.admin:
        raise NotAllowed()


def _checklists(ctx: RunContext) -> list[Path]:
    folder = ctx.settings.checklist_dir
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in CHECKLIST_SUFFIXES)


@use_case
def office_files(ctx: RunContext) -> OfficeFiles:
    """What an administrator manages: every template and where it comes from, the office's checklist files."""
    _admin(ctx)
    return OfficeFiles(list_templates(ctx), ctx.settings.template_dir, _checklists(ctx))


def _known(ctx: RunContext, name: str) -> TemplateInUse:
    found = next((t for t in list_templates(ctx) if t.name == name), None)
    if found is None:
        raise DocgenError(Text(f"テンプレート '{name}' はありません", f"there is no template named '{name}'"))
    return found


@use_case
def template_download(ctx: RunContext, name: str) -> Path:
    """The file the template `name` is made from now (the office's copy, else the built-in one); audited."""
    _admin(ctx)
    found = _known(ctx, name)
    record_action(ctx, "download", "", f"templates/{found.path.name}")
    return found.path


@use_case
def checklist_download(ctx: RunContext, name: str) -> Path:
    """An office checklist file, by its name in the office's checklist folder; audited."""
    _admin(ctx)
    found = next((p for p in _checklists(ctx) if p.name == name), None)
    if found is None:
        raise DocgenError(
            Text(f"チェックリストのファイル '{name}' はありません", f"there is no checklist file '{name}'")
        )
    record_action(ctx, "download", "", f"checklists/{found.name}")
    return found


@use_case
def install_template(ctx: RunContext, name: str, file_name: str, data: bytes) -> TemplateSent:
    """Check `data` (a .docx called `file_name`) as the template `name` the packet fills, and install it as the
    office's copy unless an error is found (warnings are shown, not refused). Audited when installed."""
    _admin(ctx)
    _known(ctx, name)
    folder = ctx.settings.template_dir
    if folder is None:
        raise DocgenError(
            Text(
                "事務所のテンプレートのフォルダーが設定されていません。docgen.toml の [paths] に templates を書いて"
                "ください",
                "the office has no template folder: set templates under [paths] in docgen.toml",
            )
        )
    check_word_file(data, file_name)
    with tempfile.TemporaryDirectory(prefix="docgen-template-") as tmp:
        sent = Path(tmp) / f"{name}.docx"
        sent.write_bytes(data)
        findings = [f for checked in check_templates(ctx, sent) for f in checked.findings]
    if has_errors(findings):
        return TemplateSent(name, file_name, findings, installed=False)
    _replace(folder, name, data, ctx.now.strftime("%Y%m%d-%H%M%S"))
    record_action(ctx, "change", "", f"templates/{name}.docx")
    return TemplateSent(name, file_name, findings, installed=True)


def _replace(folder: Path, name: str, data: bytes, stamp: str) -> None:
    """`<folder>/<name>.docx` replaced by `data` in one rename; the office copy it replaces is kept (hard-linked)
    in .docgen-previous/ first, so no instant lacks a template and nothing is lost."""
    target = folder / f"{name}.docx"
    if target.exists():
        keep = private_folder(folder / PREVIOUS) / f"{name}-{stamp}.docx"
        if not keep.exists():
            try:
                os.link(target, keep)
            except OSError:  # a file system without hard links
                shutil.copyfile(target, keep)
    fd, part = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(part, 0o600)
        os.replace(part, target)
    finally:
        if os.path.exists(part):
            os.unlink(part)
