"""The command line and the web app are faces: they parse options or requests, call use cases (docgen/usecases)
and present the result. No rule, decision, default or file name is decided in them — so they import no stage of
the library, only the use cases, the staff-text types and the formatters that render a result."""

from __future__ import annotations

import ast
from pathlib import Path

import docgen.cli
import docgen.web

CLI = Path(docgen.cli.__file__).parent
WEB = Path(docgen.web.__file__).parent

# what a face may use: its own modules, the use cases, text and errors, and the renderers of results
ALLOWED = (
    "docgen.cli",
    "docgen.usecases",
    "docgen.text",
    "docgen.messages",
    "docgen.errors",
    "docgen.languages",
    "docgen.dates",  # what a date option may be (a day of every year)  # the languages a face offers to choose from
    "docgen.assessment.report",  # an assessment as text
    "docgen.assessment.points.summary",  # points as text or JSON
    "docgen.checklist.output",  # a checklist as text, Markdown or JSON
    "docgen.board.output",  # the board as text, JSON or CSV
)
TYPES_ONLY = {("docgen.case", "Settings")}  # named in a signature (the settings line), not used to decide
WORDS = {("docgen.assessment.decision", "DECISION_WORDS")}  # the staff words of a decision's status, to render it


def _imports(path: Path) -> list[tuple[str, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("docgen"):
            found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names if alias.name.startswith("docgen")]
    return found


def _stray(files: list[Path], *own: str) -> list[str]:
    return [
        f"{path.name}: {module}.{name}"
        for path in files
        for module, name in _imports(path)
        if not module.startswith((*ALLOWED, *own)) and (module, name) not in TYPES_ONLY | WORDS
    ]


def test_the_command_line_uses_only_the_use_cases_and_renderers():
    files = sorted(CLI.glob("*.py"))
    assert len(files) >= 10
    assert _stray(files, "docgen.cli", "docgen.web.app", "docgen.web.jobs") == []  # `docgen serve` starts the web face


def test_the_web_app_uses_only_the_use_cases_and_renderers():
    """Every module of docgen/web/ (its pages included, those added later too) is held to the same rule."""
    files = sorted(WEB.rglob("*.py"))
    assert {"app.py", "security.py", "render.py", "board.py", "case.py", "login.py"} <= {p.name for p in files}
    assert _stray(files, "docgen.web") == []


def test_a_face_importing_a_stage_is_caught(tmp_path: Path):
    page = tmp_path / "page.py"
    page.write_text("from docgen.packet.rebuild import previous_documents\nimport docgen.board.build\n")
    assert _stray([page], "docgen.web") == [
        "page.py: docgen.packet.rebuild.previous_documents",
        "page.py: docgen.board.build.",
    ]


def test_every_use_case_takes_the_run_context_first():
    """Every module of docgen/usecases/ is found, not listed: a new one is held to the rule at once."""
    import importlib
    import inspect
    import pkgutil

    import docgen.usecases
    from docgen.usecases.context import RunContext

    modules = [
        importlib.import_module(f"docgen.usecases.{info.name}")
        for info in pkgutil.iter_modules(docgen.usecases.__path__)
    ]
    actions = [
        fn
        for module in modules
        for name, fn in vars(module).items()
        if inspect.isfunction(fn) and fn.__module__ == module.__name__ and getattr(fn, "__use_case__", False)
    ]
    assert len(actions) >= 32
    for fn in actions:
        first = next(iter(inspect.signature(fn.__wrapped__).parameters.values()))
        assert first.name == "ctx" and first.annotation in ("RunContext", RunContext), fn.__qualname__
