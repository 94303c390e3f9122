"""Comparing a staff edit of a packet document with what docgen generated: the changes paragraph by paragraph
(difflib), how alike two documents are (to tell the document staff meant from another one of the packet), and
template tags left unfilled (a template sent instead of the filled document).

In: the paragraph texts of Word files (docgen.documents.placeholders.paragraph_texts). Out: plain data."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

CONTEXT = 1  # unchanged paragraphs shown around each change
SHINGLE = 3  # characters per piece when two documents' texts are compared
TEMPLATE_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")


@dataclass(frozen=True)
class ChangedLine:
    """One paragraph in a change: as it was (removed), as it is now (added), or unchanged around the change."""

    kind: Literal["same", "removed", "added"]
    text: str


def paragraph_changes(before: Sequence[str], after: Sequence[str]) -> list[list[ChangedLine]]:
    """The changes from `before` to `after`, paragraph by paragraph, each with CONTEXT unchanged paragraphs
    around it; empty when the texts are the same."""
    matcher = difflib.SequenceMatcher(None, list(before), list(after), autojunk=False)
    hunks = []
    for group in matcher.get_grouped_opcodes(CONTEXT):
        lines: list[ChangedLine] = []
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                lines += [ChangedLine("same", t) for t in before[i1:i2]]
                continue
            lines += [ChangedLine("removed", t) for t in before[i1:i2]]
            lines += [ChangedLine("added", t) for t in after[j1:j2]]
        hunks.append(lines)
    return hunks


def _shingles(paragraphs: Sequence[str]) -> set[str]:
    text = re.sub(r"\s+", "", "".join(paragraphs))
    return {text[i : i + SHINGLE] for i in range(max(len(text) - SHINGLE + 1, 0))}


def likeness(a: Sequence[str], b: Sequence[str]) -> float:
    """How alike two documents' texts are, 0 (nothing in common) to 1 (the same pieces of text): the share of
    three-character pieces they have in common (cheap for any length, and kind to edits anywhere)."""
    sa, sb = _shingles(a), _shingles(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def template_tags(paragraphs: Sequence[str]) -> list[str]:
    """Template tags ({{ … }}, {% … %}, {# … #}) left in a document's text, each once, in order."""
    return list(dict.fromkeys(tag for p in paragraphs for tag in TEMPLATE_TAG.findall(p)))
