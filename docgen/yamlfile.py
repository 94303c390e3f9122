"""Read YAML while remembering the line of every key, so errors can point at it."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError

from docgen.errors import InputFileError, Problem

Location = tuple[str | int, ...]


class LoadedYaml:
    """Plain data plus a map from field path to line number (1-based)."""

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


def _plain(node: Any, loc: Location, lines: dict[Location, int]) -> Any:
    if isinstance(node, CommentedMap):
        out = {}
        for key, value in node.items():
            child = loc + (str(key),)
            with contextlib.suppress(KeyError, TypeError):
                lines[child] = node.lc.key(key)[0] + 1
            out[str(key)] = _plain(value, child, lines)
        return out
    if isinstance(node, CommentedSeq):
        out_list = []
        for i, value in enumerate(node):
            child = loc + (i,)
            with contextlib.suppress(KeyError, TypeError):
                lines[child] = node.lc.item(i)[0] + 1
            out_list.append(_plain(value, child, lines))
        return out_list
    return node


def load_yaml(path: Path) -> LoadedYaml:
    """Load a YAML file; syntax errors and duplicate keys become located problems."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputFileError([Problem(path, None, "", "file not found")]) from None
    except UnicodeDecodeError:
        raise InputFileError(
            [Problem(path, None, "", "the file is not UTF-8 text; save it as UTF-8 in your editor")]
        ) from None
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
            [Problem(path, line, key, "this key appears twice in the same block; keep only one")]
        ) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputFileError([Problem(path, line, "", f"YAML syntax error: {exc.problem or exc.context}")]) from None
    lines: dict[Location, int] = {(): 1}
    return LoadedYaml(path, _plain(node, (), lines), lines)
