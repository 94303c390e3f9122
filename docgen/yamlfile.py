"""Read YAML while remembering the line of every key, so errors can point at it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver

from docgen.errors import InputFileError, Problem
from docgen.messages import message_lang, say

Location = tuple[str | int, ...]
T = TypeVar("T")


Reader = Callable[[Path], "LoadedYaml"]


class LoadedYaml:
    """Plain data plus a map from field path to line number (1-based); empty for a file read by the fast parser
    (see with_located_problems)."""

    def __init__(self, path: Path, data: Any, lines: dict[Location, int]):
        self.path = path
        self.data = data
        self.lines = lines

    def line_of(self, loc: Location) -> int | None:
        """Line of the field at `loc`, or of its nearest parent that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


MAX_BYTES = 2_000_000  # a profile or rule file is a few kilobytes; an office's largest well under this
MAX_NODES = 200_000  # values after aliases are expanded (a "billion laughs" file stops here)
MAX_DEPTH = 40  # blocks inside blocks; real files use fewer than 10


class _TooBig(Exception):
    def __init__(self, what: str):
        self.what = what


def _plain(node: Any, loc: Location, lines: dict[Location, int], budget: list[int] | None = None) -> Any:
    budget = budget if budget is not None else [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooBig(
            say(
                "「&」「*」の参照を展開すると値が多すぎます",
                "too many values once the '&' / '*' references are expanded",
            )
        )
    if len(loc) > MAX_DEPTH:
        raise _TooBig(
            say(f"入れ子が{MAX_DEPTH}段を超えています", f"blocks are nested more than {MAX_DEPTH} levels deep")
        )
    if isinstance(node, CommentedMap):
        out = {}
        for key, value in node.items():
            child = loc + (str(key),)
            with contextlib.suppress(KeyError, TypeError):
                lines[child] = node.lc.key(key)[0] + 1
            out[str(key)] = _plain(value, child, lines, budget)
        return out
    if isinstance(node, CommentedSeq):
        out_list = []
        for i, value in enumerate(node):
            child = loc + (i,)
            with contextlib.suppress(KeyError, TypeError):
                lines[child] = node.lc.item(i)[0] + 1
            out_list.append(_plain(value, child, lines, budget))
        return out_list
    return node


SYNTAX_HINTS = (  # what ruamel says -> what it usually means, in staff words
    ("expected <block end>", "インデント（行頭の空白）がずれています。同じまとまりの行は同じ位置から始めてください"),
    ("mapping values are not allowed", "インデントがずれているか、値の中に「: 」があります（値は引用符で囲みます）"),
    ("could not find expected ':'", "「項目名: 値」の「:」がありません"),
    ("found character '\\t'", "タブ文字は使えません。空白でインデントしてください"),
    ("found unexpected end of stream", "引用符やかっこが閉じられていません"),
    ("while scanning a quoted scalar", "引用符が閉じられていません"),
)


def yaml_syntax_message(exc: MarkedYAMLError) -> str:
    """A YAML syntax error in staff words (インデントがずれています …), the parser's words only in English."""
    said = f"{exc.problem or ''} {exc.context or ''}"
    if message_lang() == "en":
        return f"YAML syntax error: {exc.problem or exc.context}"
    for key, words in SYNTAX_HINTS:
        if key in said:
            return f"YAML の書き方の誤り: {words}"
    return "YAML の書き方の誤りです。この行とその前の行のインデント・「:」・引用符を確認してください"


def too_deep_line(text: str) -> int | None:
    """The line (1-based) where blocks open more than MAX_DEPTH levels deep, else None. Read from the parser's
    event stream, which is a loop (libyaml's, in C): any depth is safe here, while building the tree is recursive
    and a file of 60 000 '[' crashes the C parser outright. Run it before any parser builds anything. A syntax
    error stops the count: the load that follows names it."""
    depth = 0
    try:
        for event in YAML(typ="safe", pure=False).parse(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return int(event.start_mark.line) + 1 if event.start_mark else 1
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except (YAMLError, ValueError, TypeError):
        return None
    return None


def _too_deep(path: Path, line: int) -> InputFileError:
    return InputFileError(
        [
            Problem(
                path,
                line,
                "",
                say(
                    f"入れ子が{MAX_DEPTH}段を超えています（「[」「{{」「- 」やインデントが深すぎます）。"
                    "プロフィールのファイルか確認してください",
                    f"blocks are nested more than {MAX_DEPTH} levels deep ('[', '{{', '- ' or indentation);"
                    " check that this is a profile file",
                ),
            )
        ]
    )


def _within_budget(node: Any, depth: int, budget: list[int]) -> bool:
    """The same limits as the located load, on plain data (shared references count each time they appear)."""
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        return False
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    return all(_within_budget(child, depth + 1, budget) for child in children)


# Every block a YAML file opens takes one of these characters ('- ', 'key:', '? ', '[', '{'), so a file with
# few of them cannot be deep enough to crash the C parser (it does at some 30 000 levels; fine at 10 000).
OPENERS = "-:?[{"
SHALLOW = 2_000


def cannot_be_deep(text: str) -> bool:
    """True when `text` has too few block-opening characters to nest anywhere near the depth that crashes the C
    parser, so `too_deep_line`'s pass over it can be skipped (the tree built is still checked against
    MAX_DEPTH). Counting five characters is far cheaper than parsing; a profile of a few kilobytes always passes."""
    return sum(text.count(c) for c in OPENERS) <= SHALLOW


class _VersionOnce(VersionedResolver):
    """ruamel's resolver, asking for the YAML version and its table of implicit types once per file instead of
    twice for every value (a third of the fast read's time). The C parser never hands a '%YAML' directive to the
    resolver, so the version is ruamel's default for the whole file, the table the same, and so are the values."""

    _version: Any = None
    _table: Any = None

    @property
    def processing_version(self) -> Any:
        if self._version is None:
            self._version = super().processing_version
        return self._version

    @property
    def versioned_resolver(self) -> Any:
        if self._table is None:
            self._table = super().versioned_resolver
        return self._table


def _c_reader() -> YAML:
    reader = YAML(typ="safe", pure=False)
    reader.Resolver = _VersionOnce
    return reader


def load_plain_fast(path: Path) -> Any | None:
    """A valid file's data read by the C parser (about 6 times faster), or None when anything is unusual: the
    caller then reads it with `load_yaml`, whose errors name the line. Dates come back as dates."""
    try:
        raw = Path(path).read_bytes() if Path(path).stat().st_size <= MAX_BYTES else b"\0"
        if b"\0" in raw:
            return None
        text = raw.decode("utf-8-sig")
        if not cannot_be_deep(text) and too_deep_line(text) is not None:
            return None
        data = _c_reader().load(text)
        return data if _within_budget(data, 0, [MAX_NODES]) else None
    except (OSError, UnicodeDecodeError, YAMLError, RecursionError, ValueError, TypeError):
        return None


def load_yaml_fast(path: Path) -> LoadedYaml:
    """As `load_yaml`, read by the C parser (several times faster) and without lines: for `with_located_problems`.
    Anything unusual is read by `load_yaml` at once (its errors name the line)."""
    data = load_plain_fast(Path(path))
    if data is None:
        return load_yaml(path)
    return LoadedYaml(Path(path), _str_keys(data), {})


def with_located_problems(load: Callable[[Reader], T]) -> T:
    """Run `load` on files read by the fast parser; when it finds a problem, run it again on files read with
    their lines, so that every problem names its line. Files that are almost always valid (the rule files) are
    read fast, and read slowly only to explain a mistake."""
    try:
        return load(load_yaml_fast)
    except InputFileError:
        return load(load_yaml)


def _str_keys(node: Any) -> Any:
    """Keys as text, as `load_yaml` gives them (`70:` is the key '70')."""
    if isinstance(node, dict):
        return {str(k): _str_keys(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_str_keys(v) for v in node]
    return node


def load_yaml(path: Path) -> LoadedYaml:
    """Load a YAML file; syntax errors and duplicate keys become located problems."""
    path = Path(path)

    def fail(message: str, line: int | None = None) -> InputFileError:
        return InputFileError([Problem(path, line, "", message)])

    try:
        if path.is_dir():
            raise fail(
                say(
                    "ファイルではなくフォルダーです。.yaml ファイルのパスを指定してください",
                    "this is a folder, not a file; give the path of the .yaml file",
                )
            )
        if path.stat().st_size > MAX_BYTES:
            raise fail(
                say(
                    f"ファイルが{MAX_BYTES // 1_000_000}MBを超えています（通常ははるかに小さいファイルです）",
                    f"the file is larger than {MAX_BYTES // 1_000_000} MB; a profile or rule file is far smaller",
                )
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail(say("ファイルが見つかりません", "file not found")) from None
    except PermissionError:
        raise fail(say("ファイルを読む権限がありません", "the file cannot be read (no permission)")) from None
    if b"\0" in raw:
        nul_line = raw[: raw.index(b"\0")].count(b"\n") + 1
        raise fail(
            say(
                "NUL 文字が含まれています。テキストファイルでないか、壊れています",
                "the file contains a NUL character: it is not a text file, or it is damaged",
            ),
            nul_line,
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise fail(
            say(
                "UTF-8 のテキストではありません。エディターで UTF-8 として保存してください",
                "the file is not UTF-8 text; save it as UTF-8 in your editor",
            )
        ) from None
    deep = too_deep_line(text)
    if deep is not None:
        raise _too_deep(path, deep)
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    # keep dates as text: pydantic checks them and can then say which field is wrong
    yaml.constructor.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    try:
        node = yaml.load(text)
    except DuplicateKeyError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        key = str(exc.problem).split('"')[1] if '"' in str(exc.problem) else ""
        raise InputFileError(
            [
                Problem(
                    path,
                    line,
                    key,
                    say(
                        "同じまとまりの中に同じ項目が2回あります。1つだけにしてください",
                        "this key appears twice in the same block; keep only one",
                    ),
                )
            ]
        ) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputFileError([Problem(path, line, "", yaml_syntax_message(exc))]) from None
    except ReaderError as exc:
        line = text[: max(exc.position, 0)].count("\n") + 1
        raise fail(
            say(
                f"文字として読めない制御文字（コード {exc.character:#x}）が含まれています",
                f"the file contains a control character (code {exc.character:#x}) that is not text",
            ),
            line,
        ) from None
    except YAMLError as exc:
        raise fail(
            say(f"YAML の書き方の誤りです（{type(exc).__name__}）", f"YAML syntax error: {type(exc).__name__}")
        ) from None
    except RecursionError:
        raise fail(
            say(f"入れ子が{MAX_DEPTH}段を超えています", f"blocks are nested more than {MAX_DEPTH} levels deep")
        ) from None
    lines: dict[Location, int] = {(): 1}
    try:
        return LoadedYaml(path, _plain(node, (), lines), lines)
    except _TooBig as exc:
        raise fail(say(f"安全に読み込めません: {exc.what}", f"the file cannot be read safely: {exc.what}")) from None
    except RecursionError:
        raise fail(
            say(f"入れ子が{MAX_DEPTH}段を超えています", f"blocks are nested more than {MAX_DEPTH} levels deep")
        ) from None
