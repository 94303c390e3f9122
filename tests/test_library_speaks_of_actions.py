"""The library speaks of actions, not of command-line flags: a web user never sees `--regenerate` or `--no-pdf`.
Each face says how an action is taken (docgen/cli/steps.py on the command line)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import docgen

LIBRARY = Path(docgen.__file__).parent
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string nodes that are docstrings (developer text, not messages)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def _flags_in_messages(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            text = node.value
            # a program's argument ("--headless", "--format=%{file}") is one token; a message is prose
            if FLAG.search(text) and (" " in text or not text.isascii()):
                found.append(f"{path.relative_to(LIBRARY.parent)}:{node.lineno}: {text.strip()[:60]}")
    return found


def test_no_library_message_names_a_command_line_flag():
    library = [p for p in LIBRARY.rglob("*.py") if "cli" not in p.relative_to(LIBRARY).parts]
    assert len(library) > 100  # the whole library is looked at
    found = [hit for path in sorted(library) for hit in _flags_in_messages(path)]
    assert found == []


def test_the_command_line_says_how_to_take_every_step():
    from docgen.cli.steps import how
    from docgen.messages import messages_in
    from docgen.text import NextStep, Step

    details = (("category", "gijinkoku"), ("profile", "a b.yaml"), ("lang", "zh"), ("format", "pdf"))
    for step in Step:
        for lang in ("ja", "en"):
            with messages_in(lang):
                said = how(NextStep(step, "reason_letter_wang", details))
            assert "--" in said or "docgen " in said, (step, lang)  # a flag or a command, in the staff's language
    with messages_in("en"):
        assert (
            how(NextStep(Step.REGENERATE, "reason_letter_wang")) == "to make it again: --regenerate reason_letter_wang"
        )
        assert "--profile 'a b.yaml'" in how(NextStep(Step.MAKE_HANDOUT, "h.pdf", details))  # quoted for the shell
