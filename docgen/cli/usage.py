"""Mistakes in how a command is typed (a missing argument, an unknown option, a value not in the list), in
Japanese. The command-line library's own messages are English only (shown as they are with `--lang en`); its
exceptions are recognised by their shape (typer bundles click privately), and anything unrecognised keeps the
library's text behind a Japanese lead-in."""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

# click's texts, matched by their wording since its exception classes are typer's private copy:
# "No such command 'packte'. Did you mean 'packet'?" (typer adds the suggestions), and
# "Got unexpected extra argument(s) (b c)" (older click: "extra argument (b)" / "extra arguments (b c)").
NO_SUCH_COMMAND_RE = re.compile(
    r"^No such command (?P<q>['\"])(?P<name>.*)(?P=q)\.(?: Did you mean (?P<matches>.+)\?)?$", re.DOTALL
)
EXTRA_ARGUMENTS_RE = re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)$", re.DOTALL)


def _param_name(exc: Any) -> str:
    """'--date' for an option, 'case_id' for an argument."""
    param = getattr(exc, "param", None)
    if param is None:
        hint = getattr(exc, "param_hint", None)
        return str(hint) if hint else ""
    options = [o for o in getattr(param, "opts", []) if o.startswith("-")]
    return " / ".join(options) if options else str(getattr(param, "name", "") or "")


def usage_message(exc: Exception) -> str:
    """The mistake in Japanese."""
    text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    kind, name = type(exc).__name__, _param_name(exc)
    if kind == "MissingParameter" and name:
        return f"{name} が指定されていません"
    if kind == "NoSuchOption":
        options = sorted(getattr(exc, "possibilities", None) or [])
        return f"{getattr(exc, 'option_name', '')} というオプションはありません" + (
            f"（もしかして: {', '.join(options)}）" if options else ""
        )
    if kind == "BadParameter" and name:
        described = getattr(getattr(exc, "param", None), "type_descriptor", None)
        choices = getattr(described, "annotation", None)  # an option with a fixed list of values is an Enum
        if isinstance(choices, type) and issubclass(choices, Enum):
            listed = " / ".join(str(c.value) for c in choices)
            return f"{name} の値が正しくありません。次のいずれかを指定してください: {listed}"
        return f"{name} の値が正しくありません（{getattr(exc, 'message', text)}）"
    unknown = NO_SUCH_COMMAND_RE.match(text)
    if unknown:
        matches = [a or b for a, b in re.findall(r"'([^']*)'|\"([^\"]*)\"", unknown.group("matches") or "")]
        return f"{unknown.group('name')} というコマンドはありません" + (
            f"（もしかして: {', '.join(matches)}）" if matches else ""
        )
    extra = EXTRA_ARGUMENTS_RE.match(text)
    if extra:
        return (
            f'余分な引数があります: {extra.group("args")}（空白を含むファイル名やフォルダー名は "…" で囲んでください）'
        )
    return f"コマンドの書き方が違います（{text}）"


def show_usage_error(exc: Exception, echo: Any) -> None:
    """The command's usage line, where to find help, and the mistake; `echo(text)` writes to stderr."""
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        echo(f"{ctx.get_usage()}\n詳しくは '{ctx.command_path} --help' で確認できます。\n")
    echo(f"エラー: {usage_message(exc)}")
