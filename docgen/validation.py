"""Validate loaded YAML against a pydantic model; errors become file:line [field] words."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from docgen.errors import InputFileError, Problem
from docgen.messages import say
from docgen.yamlfile import LoadedYaml

M = TypeVar("M", bound=BaseModel)


FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


def looks_like_field_name(key: object) -> bool:
    """A key staff may see in a message: lower-case words, no long digit runs. A key such as 'EA1234567' is a
    passport number typed in the wrong place and is never echoed."""
    text = str(key)
    return bool(FIELD_NAME.fullmatch(text)) and not re.search(r"\d{5}", text)


def field_path(loc: tuple[Any, ...]) -> str:
    """('applicant', 'trips', 0, 'return') -> 'applicant.trips[0].return'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    stack = [annotation]
    while stack:
        a = stack.pop()
        if isinstance(a, type) and issubclass(a, BaseModel):
            found.append(a)
        stack.extend(getattr(a, "__args__", ()) or ())
    return found


def _model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model that owns the last part of `loc`, to suggest a close field name."""
    model: type[BaseModel] | None = root
    for part in loc[:-1]:
        if isinstance(part, int) or model is None:
            continue
        field = next((f for n, f in model.model_fields.items() if part in (n, f.alias)), None)
        if field is None:
            return None
        models = _models_in(field.annotation)
        model = models[0] if models else None
    return model


PATTERN_HINTS = {
    "case_id": (
        "半角英数字と '-'、'_'、'.' だけで書いてください（フォルダー名になります）",
        "use only letters, digits, '-', '_' and '.' (it becomes a folder name)",
    ),
    "release_day": (
        "MM-DD（各2桁）で書いてください（例: 06-10）",
        "write the day as MM-DD with two digits each, e.g. 06-10",
    ),
}


def human_message(root: type[BaseModel], err: Mapping[str, Any]) -> str:
    """Pydantic's error in words staff understand; never echoes the (possibly personal) value."""
    kind, loc = err["type"], tuple(err["loc"])
    if kind == "missing":
        return say("必須の項目ですが、書かれていません", "this field is required but is missing")
    if "input" in err and err["input"] is None and kind != "extra_forbidden":
        return say("空欄です。記入してください", "this field is empty; fill it in")
    if kind == "extra_forbidden":
        model = _model_at(root, loc)
        names = [f.alias or n for n, f in model.model_fields.items()] if model else []
        if str(loc[-1]).isdigit():
            return say(
                "数字だけの不明な項目名です。{…} の中ではカンマが項目の区切りになるため、"
                "金額はカンマなしで書いてください（例: 4200000）",
                "unknown field made of digits: inside {…} a comma separates fields, "
                "so write amounts without commas (e.g. 4200000)",
            )
        if not looks_like_field_name(loc[-1]):
            return say(
                "不明な項目です（値のように見えるため表示しません）。インデントと、値がすべて「項目名:」の後にあるかを"
                "確認してください",
                "unknown field (not shown: it looks like a value, not a field name); check the indentation and"
                " that every value follows a 'name:'",
            )
        close = difflib.get_close_matches(str(loc[-1]), names, n=1)
        hint = say(f"。'{close[0]}' の誤りではありませんか", f"; did you mean '{close[0]}'?") if close else ""
        return say(f"不明な項目 '{loc[-1]}'{hint}", f"unknown field '{loc[-1]}'{hint}")
    if kind.startswith(("date", "datetime")):
        return say(
            "日付として読めません。YYYY-MM-DD で書いてください（例: 2026-11-30）",
            "not a valid date; write it as YYYY-MM-DD, e.g. 2026-11-30",
        )
    if kind == "literal_error":
        return say(
            f"次のいずれかを書いてください: {err['ctx']['expected']}", f"must be one of: {err['ctx']['expected']}"
        )
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return say(
            "半角の整数で、カンマなしで書いてください（例: 4500000、2025）",
            "must be a whole number without commas (e.g. 4500000 or 2025)",
        )
    if kind in ("bool_parsing", "bool_type"):
        return say("true か false で書いてください", "must be true or false")
    if kind == "string_too_short":
        return say("空にできません", "must not be empty")
    if kind == "string_too_long":
        most = err.get("ctx", {}).get("max_length")
        return say(f"長すぎます（{most}文字まで）", f"is too long: at most {most} characters")
    if kind == "string_pattern_mismatch":
        field = str(loc[-1]) if loc else ""
        pattern = PATTERN_HINTS.get(field)
        if pattern:
            return say(*pattern)
        return say("形式が違います。記入例を確認してください", "does not have the expected form; see the examples")
    if kind in ("greater_than_equal", "greater_than"):
        if err.get("ctx", {}).get("ge") == 0:
            return say("マイナスにはできません", "must not be negative")
        return str(err["msg"])
    if kind == "list_type":
        return say(
            "一覧で書いてください（1件ごとに「- 」で始まる行）",
            "must be a list (each entry on its own line starting with '- ')",
        )
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return say(
            "1つの値ではなく、「項目名: 値」の行のまとまりで書いてください",
            "must be a block of fields (key: value lines), not a single value",
        )
    if kind == "string_type":
        if isinstance(err.get("input"), (int, float)):
            return say(
                '文字として書いてください。先頭の0が消えないよう引用符で囲みます（例: "09012345678"）',
                'must be text: put it in quotes (e.g. "09012345678") so that numbers keep their leading zeros',
            )
        return say("文字で書いてください", "must be text")
    if kind == "value_error":
        return str(err.get("ctx", {}).get("error", err["msg"]))
    return str(err["msg"])


def _shown_path(err: Mapping[str, Any]) -> str:
    """The field path for a message; an unknown key that looks like a value is shown as '?'."""
    loc = tuple(err["loc"])
    if err["type"] == "extra_forbidden" and loc and not looks_like_field_name(loc[-1]):
        loc = (*loc[:-1], "?")
    return field_path(loc)


def validate_document(doc: LoadedYaml, model: type[M]) -> M:
    """Validate `doc.data` as `model`; raise `InputFileError` listing every problem."""
    if not isinstance(doc.data, dict):
        raise InputFileError(
            [
                Problem(
                    doc.path,
                    1,
                    "",
                    say(
                        "「項目名: 値」の行のまとまりで書いてください",
                        "the file must be a block of fields (key: value lines)",
                    ),
                )
            ]
        )
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems = [
            Problem(doc.path, doc.line_of(tuple(e["loc"])), _shown_path(e), human_message(model, e))
            for e in exc.errors()
        ]
        raise InputFileError(problems) from None
