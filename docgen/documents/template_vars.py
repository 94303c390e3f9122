"""The variable list staff read while editing templates, generated from `DocumentContext`.

`variables_markdown()` walks the context models (names, types, Field descriptions, a usage
example) and `docgen.documents.render.FILTERS` (their docstrings); `export_templates` copies the
built-in templates to a folder together with that list as README.md (in Japanese).
"""

from __future__ import annotations

import inspect
import re
import shutil
import types
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from docgen.documents import context as context_module
from docgen.documents.context import DocumentContext
from docgen.documents.render import FILTERS
from docgen.documents.template_check import model_properties
from docgen.errors import DocgenError
from docgen.profile import model as profile_module
from docgen.resources import TEMPLATES
from docgen.text import NextStep, Step, Text

BUILTIN_TEMPLATES = TEMPLATES

# Japanese notes for fields whose model gives no description (better: add Field(description=...) in context.py)
_NOTES = {
    "case": "案件の情報 (案件番号・類型・申請予定日)",
    "applicant": "この書類の申請人 (主たる申請人、又は同時に申請する家族)",
    "main_applicant": "主たる申請人",
    "family": "在日親族及び同居者 (この書類の申請人から見た続柄)",
    "supporter": "扶養者 (家族滞在など; いなければ空)",
    "guarantor": "身元保証人",
    "points_table": "この計算表の時点の表 (申請時点 又は 基準時点): rows, total, as_of …",
    "points_tables": "両方の時点の表 (申請時点・基準時点)",
    "points_field": "高度専門職の活動類型",
}
_MONEY_RE = re.compile(r"amount|_yen$|income$")
_EG_RE = re.compile(r",?\s*e\.g\.\s*(.+)$")


@dataclass(frozen=True)
class VarDoc:
    """One field: its name, type in words, description and a usage example."""

    name: str
    type_label: str
    description: str
    example: str


@dataclass(frozen=True)
class ModelDoc:
    """One model (a table in the README) and where templates reach it."""

    name: str
    summary: str
    paths: list[str]  # e.g. ["applicant", "main_applicant", "applicants の各要素"]
    fields: list[VarDoc]


def _split_optional(tp: Any) -> tuple[Any, bool]:
    origin = get_origin(tp)
    if origin is Annotated:
        return _split_optional(get_args(tp)[0])
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return (args[0] if len(args) == 1 else Any), True
    return tp, False


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _fallback_descriptions() -> dict[str, str]:
    """Descriptions by field name from every project model (a view field reuses the profile's wording)."""
    out: dict[str, str] = {}
    for module in (profile_module, context_module):
        for _, cls in inspect.getmembers(module, _is_model):
            for name, field in cls.model_fields.items():
                if field.description and name not in out:
                    out[name] = field.description
    return out


def _type_label(tp: Any) -> str:
    tp, optional = _split_optional(tp)
    origin = get_origin(tp)
    if origin is Literal:
        label = "「" + "」「".join(map(str, get_args(tp))) + "」のいずれか"
    elif origin is list:
        label = f"{_type_label(get_args(tp)[0])} のリスト"
    elif origin is dict:
        label = "見出しの辞書 (文字列)"
    elif _is_model(tp):
        label = tp.__name__
    else:
        label = {str: "文字列", int: "整数", bool: "真偽 (はい/いいえ)", date: "日付"}.get(tp, str(tp))
    return label + (" (空のことあり)" if optional else "")


def _example(path: str, tp: Any, description: str) -> str:
    tp, _ = _split_optional(tp)
    origin = get_origin(tp)
    leaf = path.rsplit(".", 1)[-1]
    if origin is list:
        inner, _ = _split_optional(get_args(tp)[0])
        if _is_model(inner):
            return f"`{{%tr for item in {path} %}}` … `{{{{ item.… }}}}` … `{{%tr endfor %}}` ({inner.__name__})"
        return f"`{{{{ {path}|join('、') }}}}`"
    if origin is dict:
        return f"`{{{{ {path}.title }}}}`"
    if _is_model(tp):
        return f"{tp.__name__} の表を参照"
    if tp is date:
        return f"`{{{{ {path}|wareki }}}}` → 令和8年11月30日 / `|seireki` → 2026年11月30日"
    if tp is bool:
        return f"`{{%p if {path} %}}` / `{{{{ {path}|yesno }}}}` → ■有　□無"
    if tp is int:
        return f"`{{{{ {path}|yen }}}}` → 4,500,000円" if _MONEY_RE.search(leaf) else f"`{{{{ {path} }}}}`"
    m = _EG_RE.search(description)
    return f"`{{{{ {path} }}}}` → {m.group(1)}" if m else f"`{{{{ {path} }}}}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def describe_context() -> list[ModelDoc]:
    """DocumentContext and every model reachable from it, each once, in the order met."""
    fallback = _fallback_descriptions()
    order: list[type[BaseModel]] = [DocumentContext]
    paths: dict[type[BaseModel], list[str]] = {DocumentContext: []}
    queue: list[tuple[type[BaseModel], str]] = [(DocumentContext, "")]
    while queue:
        model, prefix = queue.pop(0)
        for name, field in model.model_fields.items():
            tp, _ = _split_optional(field.annotation)
            is_list = get_origin(tp) is list
            inner = _split_optional(get_args(tp)[0])[0] if is_list else tp
            if not _is_model(inner):
                continue
            where = f"{prefix}{name}" + (" の各要素 (for ループの変数)" if is_list else "")
            if inner not in paths:
                paths[inner] = []
                order.append(inner)
                queue.append((inner, "item." if is_list else f"{prefix}{name}."))
            paths[inner].append(where)
    docs = []
    for model in order:
        base = paths[model][0].split(" ")[0] if paths[model] else ""
        base = "item" if paths[model] and "for ループ" in paths[model][0] else base
        fields = []
        for name, field in model.model_fields.items():
            description = field.description or fallback.get(name, "") or _NOTES.get(name, "")
            path = f"{base}.{name}" if base else name
            fields.append(
                VarDoc(name, _type_label(field.annotation), description, _example(path, field.annotation, description))
            )
        for name in sorted(model_properties(model)):
            path = f"{base}.{name}" if base else name
            fields.append(VarDoc(name, "計算値", "他の項目から計算される値", f"`{{{{ {path} }}}}`"))
        own_doc = model.__dict__.get("__doc__") or ""
        summary = own_doc.strip().split("\n")[0]
        docs.append(ModelDoc(model.__name__, summary, paths[model], fields))
    return docs


def filters_markdown() -> str:
    """The docgen filters, from their docstrings (which carry an example)."""
    lines = [
        "## フィルター (変換)",
        "",
        "`{{ 変数|フィルター }}` の形で使います。",
        "",
        "| フィルター | 使い方と例 |",
        "|---|---|",
    ]
    for name, fn in FILTERS.items():
        doc = (inspect.getdoc(fn) or "").splitlines()[0]
        doc = re.sub(r"(\{\{.*?\}\})", r"`\1`", doc).replace(" -> ", " → ")
        lines.append(f"| `{name}` | {_cell(doc)} |")
    lines += [
        "",
        "Jinja の標準フィルター (`default`, `length`, `join`, `upper`, `replace` など) も使えます。"
        "それ以外の名前は `docgen templates check` でエラーになります。",
        "",
    ]
    return "\n".join(lines)


def variables_markdown() -> str:
    """The README listing variables and filters (Japanese)."""
    out = [
        "# テンプレートで使える変数とフィルター",
        "",
        "このファイルは `docgen templates export` が自動で作ります（手で直さないでください）。",
        "テンプレート (.docx) を Word で直すときは、ここにある名前だけを使います。",
        "綴りを間違えると `docgen templates check` が「もしかして」と候補を出します。",
        "",
        "## 書き方の基本",
        "",
        "- 値を入れる: `{{ applicant.display_name }}`（タグは一度に入力するか、テキストのみ貼り付け）",
        "- 変換する: `{{ case.application_date|wareki }}` → 令和8年11月30日",
        "- 段落ごと出し分ける: `{%p if applicant.married %}` … `{%p endif %}`（それぞれ単独の段落に）",
        "- 表の行を繰り返す: `{%tr for item in family %}` の行、`{{ item.name }}` の行、`{%tr endfor %}` の行",
        "- 繰り返しの番号: `{{ loop.index }}`（1から）",
        "- 引用符は半角の ' または \"（“ ” や全角は不可）",
        "",
    ]
    for doc in describe_context():
        if doc.name == "DocumentContext":
            out += ["## トップレベルの変数", "", "どのテンプレートでも使える名前です。", ""]
        else:
            out += [f"## {doc.name}", ""]
            if doc.summary:
                out += [doc.summary, ""]
            out += [
                "使う場所: "
                + "、".join(f"`{p.split(' ')[0]}`" + (" " + p.split(" ", 1)[1] if " " in p else "") for p in doc.paths),
                "",
            ]
        out += ["| 名前 | 型 | 説明 | 使い方の例 |", "|---|---|---|---|"]
        for f in doc.fields:
            out.append(f"| `{f.name}` | {_cell(f.type_label)} | {_cell(f.description)} | {_cell(f.example)} |")
        out.append("")
    out.append(filters_markdown())
    return "\n".join(out)


def export_templates(dest: Path, source: Path = BUILTIN_TEMPLATES, *, force: bool = False) -> list[Path]:
    """Copy the templates in `source` to `dest` and write dest/README.md; returns the files written.

    Existing templates in `dest` (staff edits) are never replaced unless `force`.
    """
    dest = Path(dest)
    templates = [t for t in sorted(Path(source).glob("*.docx")) if not t.name.startswith("~$")]
    existing = [t.name for t in templates if (dest / t.name).exists()]
    if existing and not force:
        names = ", ".join(existing)
        raise DocgenError(
            Text(
                f"{dest} には既に {names} があります。何もコピーしていません。空のフォルダーに書き出すか、"
                "置き換えてください（事務所で編集した内容は失われます）",
                f"{dest} already holds {names}; nothing was copied. "
                "Export into an empty folder, or replace them (your edits would be lost).",
            ),
            steps=(NextStep(Step.REPLACE),),
        )
    dest.mkdir(parents=True, exist_ok=True)
    written = [Path(shutil.copy2(template, dest / template.name)) for template in templates]
    readme = dest / "README.md"
    readme.write_text(variables_markdown(), encoding="utf-8")
    written.append(readme)
    return written
