"""Repairing templates: what can be fixed without a person deciding.

In: a .docx path (and optionally where to save the result). Out: the repaired file and a list of
what was done — tags Word split over several runs joined into their first run, curly quotes in tags
straightened, full-width ASCII look-alikes in tags (outside quoted text) made half-width.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from docx import Document
from lxml import etree

from docgen.documents.template_check.parts import W, _para_text, _paragraphs, _shorten, _text_nodes, word_parts
from docgen.documents.template_check.word import _STRING_RE, TAG_RE, _fullwidth_outside_strings
from docgen.messages import say

_QUOTE_MAP = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def _clean_tag(tag: str) -> str:
    """Straight quotes; full-width ASCII look-alikes outside quoted strings to half width."""
    tag = tag.translate(_QUOTE_MAP)
    pieces, last = [], 0
    for m in _STRING_RE.finditer(tag):
        code = tag[last : m.start()]
        pieces.append(unicodedata.normalize("NFKC", code) if _fullwidth_outside_strings(code) else code)
        pieces.append(m.group(0))
        last = m.end()
    rest = tag[last:]
    pieces.append(unicodedata.normalize("NFKC", rest) if _fullwidth_outside_strings(rest) else rest)
    return "".join(pieces)


def _set_text(t: etree._Element, text: str) -> None:
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _fix_paragraph(p: etree._Element) -> list[str]:
    """Join each split tag into its first run and clean its characters; returns what was done."""
    done: list[str] = []
    for _ in range(200):  # one tag per pass; re-read the runs after each change
        texts = _text_nodes(p)
        full = "".join(t.text or "" for t in texts)
        starts, pos = [], 0
        for t in texts:
            starts.append(pos)
            pos += len(t.text or "")
        target = None
        for m in TAG_RE.finditer(full):
            first = max(i for i, s in enumerate(starts) if s <= m.start())
            last = max(i for i, s in enumerate(starts) if s < m.end())
            clean = _clean_tag(m.group(0))
            if first != last or clean != m.group(0):
                target = (m, first, last, clean)
                break
        if target is None:
            return done
        m, first, last, clean = target
        head = texts[first].text or ""
        tail = texts[last].text or ""
        if first == last:
            a = m.start() - starts[first]
            _set_text(texts[first], head[:a] + clean + head[a + len(m.group(0)) :])
            done.append(say(f"{m.group(0)!r} を {clean!r} に直しました", f"straightened {m.group(0)!r} → {clean!r}"))
            continue
        _set_text(texts[first], head[: m.start() - starts[first]] + clean)
        for t in texts[first + 1 : last]:
            _set_text(t, "")
        _set_text(texts[last], tail[m.end() - starts[last] :])
        pieces, changed = last - first + 1, clean != m.group(0)
        done.append(
            say(
                f"{pieces}個に分かれていた {m.group(0)!r} を1つにつなげました"
                + (f"（{clean!r} に直しました）" if changed else ""),
                f"joined {m.group(0)!r} ({pieces} pieces) into one run"
                + (f" and straightened it to {clean!r}" if changed else ""),
            )
        )
        for t in texts[first + 1 : last + 1]:
            run = t.getparent()
            if run is None:
                continue
            if not (t.text or ""):
                run.remove(t)
            holder = run.getparent()
            if holder is not None and run.tag == f"{W}r" and all(c.tag == f"{W}rPr" for c in run):
                holder.remove(run)
        for proof in list(p.iter(f"{W}proofErr")):
            parent = proof.getparent()
            if parent is not None:
                parent.remove(proof)
    return done


def fix_template(path: Path, out: Path | None = None) -> list[str]:
    """Repair split tags and curly/full-width characters inside tags; save to `out` (default: in place)."""
    path = Path(path)
    doc = Document(str(path))
    repaired = []
    for name, element in word_parts(doc):
        for p in list(_paragraphs(element)):
            text = _shorten(_para_text(p), 60)
            repaired += [
                say(f"{name}: {what}（「{text}」）", f"{name}: {what} in 「{text}」") for what in _fix_paragraph(p)
            ]
    doc.save(str(out or path))
    return repaired
