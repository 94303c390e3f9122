"""Checking templates: every check on one .docx, or on a folder of them.

In: a .docx path (or a folder), and whether the office settings give a 取次者 (docgen.toml [office]): a
template may use `agent` without `{% if agent %}` only then. Out: a list of `Finding`s per template, errors
first; a template that cannot be opened gives one `unreadable` error.
"""

from __future__ import annotations

from pathlib import Path

from docxtpl import DocxTemplate

from docgen.documents.render import environment
from docgen.documents.template_check.confirm import _confirm_findings
from docgen.documents.template_check.finding import Finding, Severity
from docgen.documents.template_check.fonts import _font_findings
from docgen.documents.template_check.names import _jinja_findings
from docgen.documents.template_check.parts import _paragraphs, _parts
from docgen.documents.template_check.word import _container_findings, _tag_findings, _word_feature_findings
from docgen.messages import say


def check_template(path: Path, *, office: bool = False) -> list[Finding]:
    """Every problem found in one .docx template, errors first. `office`: docgen.toml has an [office] section,
    so `agent` (取次者) is never empty; without it, `agent.…` outside `{% if agent %}` is an error."""
    path = Path(path)
    findings: list[Finding] = []
    seen: set[tuple[str, str, str, str]] = set()
    places: dict[str, str] = {}

    def add(part: str, severity: Severity, code: str, message: str, context: str = "") -> None:
        key = (part, code, message, context)
        if key not in seen:
            seen.add(key)
            findings.append(Finding(path, part, severity, code, message, context, places.get(part, "")))

    try:
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
        parts = _parts(tpl)
    except Exception as exc:  # not a zip, or broken XML: nothing else can be checked
        why = f"{type(exc).__name__}: {exc}"
        add(
            "",
            "error",
            "unreadable",
            say(f"Word 文書として読めません（{why}）", f"cannot be read as a Word document ({why})."),
        )
        return findings
    places.update((part.name, part.label) for part in parts)
    env = environment()
    for part in parts:
        _jinja_findings(part, env, add, office=office)
        for p in _paragraphs(part.element):
            _tag_findings(part.name, p, add)
            _confirm_findings(part.name, p, add)
        _container_findings(part.name, part.element, add)
        _word_feature_findings(part.name, part.element, add)
    if any(str(p.partname) == "/word/comments.xml" for p in tpl.docx.part.package.iter_parts()) and not any(
        f.code == "comments" for f in findings
    ):
        add(
            "word/comments.xml",
            "warning",
            "comments",
            say(
                "ファイルにコメントの部分があります。テンプレートとして使う前に、コメントをすべて削除してください",
                "the file has a comments part (コメント); delete all comments before using it as a template.",
            ),
        )
    _font_findings(tpl, parts, add)
    return sorted(findings, key=lambda f: f.severity != "error")


def template_files(directory: Path) -> list[Path]:
    """The .docx templates in a folder (Word's ~$ lock files left out)."""
    return sorted(p for p in Path(directory).glob("*.docx") if not p.name.startswith("~$"))


def check_dir(directory: Path, *, office: bool = False) -> dict[Path, list[Finding]]:
    """check_template for every .docx in a folder."""
    return {p: check_template(p, office=office) for p in template_files(directory)}


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
