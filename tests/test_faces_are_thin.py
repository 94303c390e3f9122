"""The command line is a face: it parses options, calls one use case (docgen/usecases) and prints the result.
No rule, decision, default or file name is decided in it — so it imports no stage of the library, only the
use cases, the staff-text types and the formatters that render a result for a terminal."""

from __future__ import annotations

import ast
from pathlib import Path

import docgen.cli

CLI = Path(docgen.cli.__file__).parent

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


def _imports(path: Path) -> list[tuple[str, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("docgen"):
            found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names if alias.name.startswith("docgen")]
    return found


def test_the_command_line_uses_only_the_use_cases_and_renderers():
    files = sorted(CLI.glob("*.py"))
    assert len(files) >= 10
    stray = [
        f"{path.name}: {module}.{name}"
        for path in files
        for module, name in _imports(path)
        if not module.startswith(ALLOWED) and (module, name) not in TYPES_ONLY
    ]
    assert stray == []


def test_every_use_case_takes_the_run_context_first():
    import inspect

    import docgen.usecases.assess
    import docgen.usecases.batch
    import docgen.usecases.board
    import docgen.usecases.case_folder
    import docgen.usecases.checklist
    import docgen.usecases.converter
    import docgen.usecases.intake
    import docgen.usecases.packet
    import docgen.usecases.profile
    import docgen.usecases.templates
    from docgen.usecases.context import RunContext

    modules = [
        docgen.usecases.assess,
        docgen.usecases.batch,
        docgen.usecases.board,
        docgen.usecases.case_folder,
        docgen.usecases.checklist,
        docgen.usecases.converter,
        docgen.usecases.intake,
        docgen.usecases.packet,
        docgen.usecases.profile,
        docgen.usecases.templates,
    ]
    actions = [
        fn
        for module in modules
        for name, fn in vars(module).items()
        if inspect.isfunction(fn) and fn.__module__ == module.__name__ and hasattr(fn, "__wrapped__")
    ]
    assert len(actions) >= 18
    for fn in actions:
        first = next(iter(inspect.signature(fn.__wrapped__).parameters.values()))
        assert first.name == "ctx" and first.annotation in ("RunContext", RunContext), fn.__qualname__
