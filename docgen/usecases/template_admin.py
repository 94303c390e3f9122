"""The office's Word templates and checklist files for administrators (the web app's テンプレート管理): which file
each document is made from, each downloadable; an office template or checklist file sent in, checked before
anything is installed — a template as `templates check` checks it (check_templates), a checklist file loaded with
the built-in rules and the office's other files as `checklists check` loads them. One with an error is refused with
its findings (file, line and field for a checklist); a good one replaces the office's copy in one rename (the copy
it replaces kept in the folder's .docgen-previous/). Only an administrator may do any of it; installing and
downloading are audited."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from docgen.accounts import users
from docgen.documents.generate import GENERATED, TRANSLATED
from docgen.documents.template_check import Finding, has_errors
from docgen.errors import DocgenError, InputFileError, Problem
from docgen.messages import messages_in
from docgen.packet.sent_word import check_word_file
from docgen.private_folders import private_folder
from docgen.text import Text
from docgen.usecases.accounts import NotAllowed, office_database
from docgen.usecases.audit import record_action
from docgen.usecases.context import RunContext, use_case
from docgen.usecases.templates import TemplateInUse, check_templates, list_templates

PREVIOUS = ".docgen-previous"  # in the office template folder: the office copies a new one replaced
CHECKLIST_SUFFIXES = (".yaml", ".yml")
# the names the rules loader reads: the office's items and sources, and a category's file (gijinkoku.yaml)
CHECKLIST_NAME = re.compile(r"(?:_items|_sources|[A-Za-z0-9][A-Za-z0-9_-]*)\.yaml")


@dataclass(frozen=True)
class ChecklistProblem:
    """One problem in a checklist file an administrator sent, located as `checklists check` locates it."""

    file: str  # the file's name in the office's checklist folder
    line: int | None
    field: str
    message: Text


@dataclass(frozen=True)
class OfficeFiles:
    """The templates in use (office copy or built-in) and the office's checklist files."""

    templates: list[TemplateInUse]
    template_folder: Path | None  # where an office template goes (docgen.toml [paths] templates); None: not set
    checklist_folder: Path | None = None  # where an office checklist file goes ([paths] checklists); None: not set
    checklists: list[Path] = field(default_factory=list)
    titles: dict[str, Text] = field(default_factory=dict)  # what staff call the document of a template
    checklist_problems: list[ChecklistProblem] = field(default_factory=list)  # the office's files as they are now


@dataclass(frozen=True)
class TemplateSent:
    """A template an administrator sent: what `templates check` found, and whether it was installed."""

    name: str
    file_name: str
    findings: list[Finding]
    installed: bool


@dataclass(frozen=True)
class ChecklistSent:
    """A checklist file an administrator sent: the problems loading it with the rules found, and whether it was
    installed."""

    file_name: str
    problems: list[ChecklistProblem]
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


OTHER_TITLES = {
    "index": Text("提出書類一覧表（パケットの索引）", "index of the packet (提出書類一覧表)"),
    "checklist": Text("依頼者に渡す書類一覧", "the client's checklist"),
}


def template_titles(ctx: RunContext) -> dict[str, Text]:
    """What staff call the document each template makes, from the checklist items that use it ('reason_letter'
    → 理由書; a template two items use, by what their titles share)."""
    items = ctx.rules.book.items
    titles = dict(OTHER_TITLES)
    for template in set(GENERATED.values()):
        used = [title for i, t in GENERATED.items() if t == template and i in items and (title := items[i].title)]
        if used:
            titles[template] = Text(_shared([u.ja for u in used], ""), _shared([u.en for u in used], " "))
    for item_id, template in TRANSLATED.items():
        base = items[item_id].title if item_id in items else None
        if base is not None:
            for name in ctx.settings.template_names():
                if name.startswith(f"{template}_"):
                    lang = name.removeprefix(f"{template}_")
                    ja, en = f"{base.ja}の訳文（{lang}・依頼者用）", f"{base.en}, translation ({lang}, for the client)"
                    titles[name] = Text(ja, en)
    return titles


def _shared(titles: list[str], between: str) -> str:
    """What the titles begin with, in whole characters (`between` ""), or whole words (" "): '高度専門職ポイント計算表
    （申請時点）…' and '…（基準時点）…' → '高度専門職ポイント計算表'."""
    split = [list(t) if not between else t.split(between) for t in titles]
    common = []
    for parts in zip(*split, strict=False):
        if any(p != parts[0] for p in parts):
            break
        common.append(parts[0])
    while common and common[-1] in DANGLING:
        common.pop()
    return between.join(common).rstrip("（(・ ,") or titles[0]


DANGLING = frozenset({"as", "of", "the", "at", "on", "with", "for", "and"})  # words a shared English title ends in


@use_case
def office_files(ctx: RunContext) -> OfficeFiles:
    """What an administrator manages: every template and where it comes from, the office's checklist files."""
    _admin(ctx)
    settings, folder = ctx.settings, ctx.settings.checklist_dir
    problems = _problems(ctx, folder) if folder is not None and folder.is_dir() else []
    return OfficeFiles(
        list_templates(ctx), settings.template_dir, folder, _checklists(ctx), template_titles(ctx), problems
    )


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
    _install(folder, f"{name}.docx", data, ctx.now.strftime("%Y%m%d-%H%M%S"))
    record_action(ctx, "template_install", "", f"templates/{name}.docx")
    return TemplateSent(name, file_name, findings, installed=True)


@use_case
def install_checklist(ctx: RunContext, file_name: str, data: bytes) -> ChecklistSent:
    """Check `data` as the office's checklist file `file_name` (new, or replacing the office's file of that name):
    loaded with the built-in rules and the office's other files, as every command will load them. Installed unless
    a problem is found; audited when installed."""
    _admin(ctx)
    folder = ctx.settings.checklist_dir
    if folder is None:
        raise DocgenError(
            Text(
                "事務所のチェックリストのフォルダーが設定されていません。docgen.toml の [paths] に checklists を"
                "書いてください",
                "the office has no checklist folder: set checklists under [paths] in docgen.toml",
            )
        )
    if not CHECKLIST_NAME.fullmatch(file_name):
        raise DocgenError(
            Text(
                "チェックリストのファイル名は、類型の ID（例: gijinkoku.yaml）か _items.yaml・_sources.yaml にして"
                "ください（英数字・「-」・「_」と .yaml）",
                "name the checklist file after a category id (e.g. gijinkoku.yaml), or _items.yaml / _sources.yaml"
                " (letters, digits, '-' and '_', ending in .yaml)",
            )
        )
    with tempfile.TemporaryDirectory(prefix="docgen-checklists-") as tmp:
        trial = Path(tmp)
        for kept in _checklists(ctx):
            if kept.name != file_name:
                shutil.copyfile(kept, trial / kept.name)
        (trial / file_name).write_bytes(data)
        problems = _problems(ctx, trial)
    if problems:
        return ChecklistSent(file_name, problems, installed=False)
    _install(folder, file_name, data, ctx.now.strftime("%Y%m%d-%H%M%S"))
    record_action(ctx, "checklist_install", "", f"checklists/{file_name}")
    return ChecklistSent(file_name, [], installed=True)


def _problems(ctx: RunContext, folder: Path) -> list[ChecklistProblem]:
    """What loading the rules with the office checklist `folder` finds, each problem in Japanese and English (the
    loader words a problem in the language it runs in: it runs once more in the other only when it found one)."""
    found: dict[str, list[Problem]] = {}
    for lang in ("ja", "en"):
        with messages_in(lang):
            try:
                ctx.settings.rulebook((folder,))
            except InputFileError as exc:
                found[lang] = exc.problems
            else:
                return []
    return [
        ChecklistProblem(ja.file.name, ja.line, ja.field, Text(_worded(ja.message, "ja"), _worded(en.message, "en")))
        for ja, en in zip(found["ja"], found["en"], strict=False)
    ]


def _worded(message: str | Text, lang: str) -> str:
    return message.render(lang) if isinstance(message, Text) else message


def _install(folder: Path, file_name: str, data: bytes, stamp: str) -> None:
    """`_replace`, a failure to write named in staff words (a full disk, a folder the server may not write to)."""
    try:
        _replace(folder, file_name, data, stamp)
    except OSError as exc:
        why = os.strerror(exc.errno) if exc.errno else type(exc).__name__
        raise DocgenError(
            Text(
                f"{folder / file_name} を書き込めませんでした（{why}）。今のファイルのままです",
                f"{folder / file_name} could not be written ({why}); the current file stays",
            )
        ) from None


def _replace(folder: Path, file_name: str, data: bytes, stamp: str) -> None:
    """`<folder>/<file_name>` replaced by `data` in one rename; the office copy it replaces is kept (hard-linked)
    in .docgen-previous/ first, so no instant lacks the file and nothing is lost."""
    target = folder / file_name
    if target.exists():
        keep = private_folder(folder / PREVIOUS) / f"{target.stem}-{stamp}{target.suffix}"
        if not keep.exists():
            try:
                os.link(target, keep)
            except OSError:  # a file system without hard links
                shutil.copyfile(target, keep)
    fd, part = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".part", dir=folder)
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
