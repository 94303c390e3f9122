"""Word-level checks: what Word (or the person editing in Word) did to the tags.

In: one part's XML (a paragraph, or the whole body / header / footer) and an `add` callback.
Out: findings through `add` — tags split over runs, curly quotes and full-width characters in tags,
unclosed tags, docxtpl special tags without their space, {%p %} / {%tr %} / {%tc %} sharing their
paragraph, row or cell, and Word features docxtpl does not understand (tracked changes, comments,
content controls). The tag patterns here are also what `fix` repairs.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from docgen.documents.context import DocumentContext
from docgen.documents.template_check.parts import W, _first_context, _shorten, _text_nodes
from docgen.messages import say

TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
OPEN_RE = re.compile(r"\{\{|\{%")
SMART_QUOTES = "“”‘’"
_STRING_RE = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”|‘[^’]*’|[“‘][^“”‘’]*[”’]")
_KEYWORDS = "if|elif|else|endif|for|endfor|set|endset|with|endwith|macro|endmacro|call|endcall|filter|endfilter"
MISSING_SPACE_RE = re.compile(r"\{%-?\s*(p|tr|tc|r)(" + _KEYWORDS + r")\b")
MISSING_SPACE_VAR_RE = re.compile(r"\{\{-?(p|r)([A-Za-z_]\w*)")
SPECIAL_RE = {y: re.compile(r"\{%-?" + y + r" ") for y in ("p", "tr", "tc")}


def _fullwidth_outside_strings(tag: str) -> list[str]:
    """Full-width ASCII look-alikes (typed with the Japanese IME) in a tag, outside quoted strings."""
    code = _STRING_RE.sub("''", tag)
    return sorted({c for c in code if 0xFF01 <= ord(c) <= 0xFF5E})


def _without_special_tags(text: str, kind: str) -> str:
    """The text with its {%p %} (or {%tr %}, {%tc %}) tags taken out: what such a tag would make disappear."""
    return TAG_RE.sub(lambda m: "" if SPECIAL_RE[kind].match(m.group(0)) else m.group(0), text).strip()


def _tag_findings(part: str, p: etree._Element, add: Callable[..., None]) -> None:
    """Split, curly-quoted, full-width and badly spaced tags in one paragraph."""
    texts = _text_nodes(p)
    full = "".join(t.text or "" for t in texts)
    if "{" not in full:
        return
    owner = []  # run of each character
    for t in texts:
        owner += [t.getparent()] * len(t.text or "")
    context = _shorten(full)
    for m in TAG_RE.finditer(full):
        tag = m.group(0)
        short = _shorten(tag, 60)
        runs = {id(r) for r in owner[m.start() : m.end()]}
        if len(runs) > 1:
            add(
                part,
                "warning",
                "split_tag",
                say(
                    f"タグ {short} が Word の内部で{len(runs)}個に分割されています（書式・校正・変更履歴など）。"
                    "docxtpl はたいていつなげますが、最初の部分の書式になり、Word がかっこの間に何かを入れると"
                    "壊れます。自動で修復できます（またはタグを消して一度に入力し直してください）",
                    f"the tag {short} is split over {len(runs)} runs (Word 内部で文字列が分割されています: "
                    "書式・校正・変更履歴など). docxtpl usually joins it, but it takes the formatting of the first"
                    " part and breaks if Word puts anything between the braces. It can be repaired automatically (or"
                    " delete the tag and type it again in one go).",
                ),
                context,
            )
        if any(q in tag for q in SMART_QUOTES):
            add(
                part,
                "warning",
                "smart_quotes",
                say(
                    f"{short} の中にスマート引用符 “ ” ‘ ’ があります。半角の ' か \" を使ってください"
                    "（Word: オートコレクト → 入力オートフォーマット → 「'記号付き'を'記号付き'に」をオフ）。"
                    "自動で修復できます",
                    f"curly quotes “ ” ‘ ’ inside {short} (スマート引用符). Use straight quotes ' or \" "
                    "(Word: オートコレクト → 入力オートフォーマット → 「'記号付き'を'記号付き'に」 off). "
                    "It can be repaired automatically.",
                ),
                context,
            )
        wide = _fullwidth_outside_strings(tag)
        if wide:
            add(
                part,
                "error",
                "fullwidth_in_tag",
                say(
                    f"{short} の中に全角文字 {' '.join(wide)} があります。タグは、引用符で囲んだ文字以外を半角で"
                    "入力します。自動で修復できます",
                    f"full-width characters {' '.join(wide)} inside {short} (全角文字). Tags must be typed "
                    "in half-width (半角) except inside quoted text. It can be repaired automatically.",
                ),
                context,
            )
    leftover = TAG_RE.sub("", full)
    if OPEN_RE.search(leftover):
        add(
            part,
            "error",
            "unclosed_tag",
            say(
                "ここで開いたタグ（{{ または {%）が同じ段落で閉じていません（段落をまたいでいます）。"
                "同じ段落に }} か %} を入力して閉じてください",
                "a tag opened here ({{ or {%) is not closed in the same paragraph "
                "(タグが閉じていない / 段落をまたいでいる). Close it with }} or %} on the same line.",
            ),
            context,
        )
    for m in MISSING_SPACE_RE.finditer(full):
        add(
            part,
            "error",
            "special_tag_missing_space",
            say(
                f"'{m.group(0)}' には空白が必要です（docxtpl の特殊タグの後には空白が必要）。"
                f"{{%{m.group(1)} {m.group(2)} … %}} と書いてください",
                f"'{m.group(0)}' needs a space: write {{%{m.group(1)} {m.group(2)} … %}} "
                "(docxtpl の特殊タグの後には空白が必要).",
            ),
            context,
        )
    for m in MISSING_SPACE_VAR_RE.finditer(full):
        if m.group(2) in DocumentContext.model_fields:
            add(
                part,
                "error",
                "special_tag_missing_space",
                say(
                    f"'{m.group(0)}' には空白が必要です（docxtpl の特殊タグの後には空白が必要）。意図に合わせて "
                    f"{{{{{m.group(1)} {m.group(2)} }}}} か {{{{ {m.group(1)}{m.group(2)} }}}} と書いてください",
                    f"'{m.group(0)}' needs a space: write {{{{{m.group(1)} {m.group(2)} }}}} "
                    f"or {{{{ {m.group(1)}{m.group(2)} }}}} as intended (docxtpl の特殊タグの後には空白が必要).",
                ),
                context,
            )
    p_tags = SPECIAL_RE["p"].findall(full)
    if p_tags:
        rest = _without_special_tags(full, "p")
        if len(p_tags) > 1:
            add(
                part,
                "error",
                "p_tag_with_text",
                say(
                    "1つの段落に {%p %} タグが2つあります。docxtpl は最初のものしか使いません。{%p %} は段落ごとに"
                    "1つにしてください",
                    "two {%p %} tags in one paragraph: docxtpl keeps only the first. Put each {%p %} in its own"
                    " paragraph (段落ごとに1つ).",
                ),
                context,
            )
        elif rest:
            add(
                part,
                "error",
                "p_tag_with_text",
                say(
                    f"{{%p %}} は段落全体を置き換えるため、同じ段落の文字（'{_shorten(rest, 40)}'）は消えます。"
                    "{%p %} タグは単独の段落に書いてください",
                    f"{{%p %}} replaces its whole paragraph, so the text beside it ('{_shorten(rest, 40)}') disappears."
                    " Put the {%p %} tag alone in its own paragraph (単独の段落に).",
                ),
                context,
            )


def _container_findings(part: str, element: etree._Element, add: Callable[..., None]) -> None:
    """{%tr %} / {%tc %} must be alone in their table row / cell."""
    for kind, tag_name, where_ja, where in (
        ("tr", "tr", "表の行", "table row (表の行)"),
        ("tc", "tc", "セル", "table cell (セル)"),
    ):
        for box in element.iter(f"{W}{tag_name}"):
            texts = [t.text or "" for t in box.iter(f"{W}t")]
            full = "".join(texts)
            if f"{kind} " not in full:
                continue
            tags = [m.group(0) for m in TAG_RE.finditer(full) if SPECIAL_RE[kind].match(m.group(0))]
            if not tags:
                continue
            rest = _without_special_tags(full, kind)
            if len(tags) > 1 or rest:
                shown = _shorten(rest, 40)
                what_ja = f"ほかの内容（'{shown}'）" if rest else "2つ目の {%" + kind + " %} タグ"
                what = f"other content ('{shown}')" if rest else "a second {%" + kind + " %} tag"
                add(
                    part,
                    "error",
                    f"{kind}_tag_with_content",
                    say(
                        f"{{%{kind} %}} は{where_ja}全体を置き換えますが、この{where_ja}には{what_ja}もあり、それは"
                        f"消えます。{{%{kind} %}} タグには専用の{where_ja}を使ってください"
                        "（表なら {%tr for … %} の行、データの行、{%tr endfor %} の行に分けます）",
                        f"{{%{kind} %}} replaces its whole {where}, and this one also holds {what}, which disappears. "
                        f"Give the {{%{kind} %}} tag a {where} of its own (for a table: one row {{%tr for … %}}, "
                        "one data row, one row {%tr endfor %}).",
                    ),
                    _shorten(full),
                )


_REVISIONS = (
    "ins",
    "del",
    "moveFrom",
    "moveTo",
    "rPrChange",
    "pPrChange",
    "tblPrChange",
    "trPrChange",
    "tcPrChange",
    "sectPrChange",
)


def _word_feature_findings(part: str, element: etree._Element, add: Callable[..., None]) -> None:
    """Tracked changes, comments and content controls: Word features docxtpl does not understand."""
    revisions = [el for name in _REVISIONS for el in element.iter(f"{W}{name}")]
    if revisions:
        add(
            part,
            "error",
            "tracked_changes",
            say(
                f"変更履歴が{len(revisions)}件あります。作成した書類に表示され、変更の中のタグは壊れることがあります。"
                "Word で 校閲 → 承諾 → すべての変更を反映 を選び、変更履歴の記録をオフにしてください",
                f"{len(revisions)} tracked change(s) (変更履歴). Generated documents would show them, and a tag"
                " inside a change can break. In Word: 校閲 → 承諾 → すべての変更を反映 (accept all), then turn"
                " 変更履歴の記録 off.",
            ),
            _first_context(revisions[0]),
        )
    refs = list(element.iter(f"{W}commentReference"))
    if refs:
        add(
            part,
            "warning",
            "comments",
            say(
                f"コメントが{len(refs)}件あり、作成するすべての書類にコピーされます。削除してください"
                "（校閲 → 削除 → ドキュメント内のすべてのコメントを削除）",
                f"{len(refs)} comment(s) (コメント) would be copied into every generated document. "
                "Delete them (校閲 → 削除 → ドキュメント内のすべてのコメントを削除).",
            ),
            _first_context(refs[0]),
        )
    sdts = list(element.iter(f"{W}sdt"))
    if sdts:
        bound = any(True for s in sdts for _ in s.iter(f"{W}dataBinding"))
        add(
            part,
            "warning",
            "content_control",
            say(
                f"コンテンツ コントロールが{len(sdts)}件あります"
                + (
                    "（文書のデータと連結されているため、ファイルを開くと Word が記入した値を上書きします）"
                    if bound
                    else ""
                )
                + "。中のタグは思いどおりに差し込まれないことがあります。コントロールを削除して普通の文字にしてください"
                "（開発 → コントロールを右クリック → コンテンツ コントロールの削除）",
                f"{len(sdts)} content control(s) (コンテンツ コントロール)"
                + (
                    " bound to document data: Word overwrites the filled-in values when the file is opened"
                    if bound
                    else ""
                )
                + ". Tags inside them may not render as expected; remove the controls and keep plain text "
                "(開発 → コントロールを右クリック → コンテンツ コントロールの削除).",
            ),
            _first_context(sdts[0]),
        )
