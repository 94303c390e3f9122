"""The typed walk's view of the context model: what attributes a type has, what a loop over it binds, whether
it can be empty, and "did you mean" suggestions. Markers: ANY (anything goes), LOOP (Jinja's loop), UNSAFE
(already reported)."""

from __future__ import annotations

import difflib
import types
from datetime import date
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from docgen.messages import say

ANY = "any"  # a value whose attributes cannot be checked
LOOP = "loop"
UNSAFE = "unsafe"  # already reported: do not report what follows it
LOOP_ATTRS = {
    "index",
    "index0",
    "revindex",
    "revindex0",
    "first",
    "last",
    "length",
    "cycle",
    "depth",
    "depth0",
    "previtem",
    "nextitem",
    "changed",
}
DATE_ATTRS = {"year": int, "month": int, "day": int, "weekday": ANY, "isoformat": ANY, "strftime": ANY}
SAME_TYPE_FILTERS = {
    "default",
    "d",
    "sort",
    "reverse",
    "unique",
    "list",
    "selectattr",
    "rejectattr",
    "select",
    "reject",
}
ITEM_FILTERS = {"first", "last", "random", "min", "max"}
BLOCKED_FILTERS: dict[str, tuple[str, str]] = {  # why, in Japanese and in English
    "attr": (
        "変数の一覧を通らずに、どの属性でも名前で読めてしまいます。代わりに {{ x.field }} と書いてください",
        "it reads any attribute by name, around the variable list; write {{ x.field }} instead",
    ),
    "format": (
        "docgen のフィルター（yen, wareki, seireki …）を使うか、変数の前後に文字を書いてください",
        "use the docgen filters (yen, wareki, seireki …) or write the text around the variable",
    ),
}
BLOCKED_METHODS = {"format", "format_map", "mro"}  # Python string formatting reaches objects' internals


def unwrap(tp: Any) -> Any:
    """Optional[X] -> X, Annotated[X, …] -> X, Literal[...] -> str."""
    origin = get_origin(tp)
    if origin is Annotated:
        return unwrap(get_args(tp)[0])
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return unwrap(args[0]) if len(args) == 1 else ANY
    if origin is Literal:
        return str
    return tp


def optional(tp: Any) -> bool:
    """X | None (also inside Annotated): a value that is empty (None) in some cases."""
    if get_origin(tp) is Annotated:
        return optional(get_args(tp)[0])
    return get_origin(tp) in (Union, types.UnionType) and type(None) in get_args(tp)


def is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def model_properties(model: type[BaseModel]) -> set[str]:
    """Public properties defined in the project's models (e.g. Trip.days), not pydantic's own."""
    return {
        name
        for cls in model.__mro__
        if cls.__module__.startswith("docgen")
        for name, value in vars(cls).items()
        if isinstance(value, property) and not name.startswith("_")
    }


def members_of(tp: Any) -> dict[str, Any] | None:
    """Attribute name -> type for a type, or None when anything goes."""
    tp = unwrap(tp)
    if tp is ANY or tp is UNSAFE:
        return None
    if tp is LOOP:
        return dict.fromkeys(LOOP_ATTRS, ANY)
    if is_model(tp):
        out: dict[str, Any] = {n: f.annotation for n, f in tp.model_fields.items()}
        out.update(dict.fromkeys(model_properties(tp), ANY))
        return out
    if get_origin(tp) is dict:
        return None
    if tp is date:
        return dict(DATE_ATTRS)
    if tp is str:
        return {n: ANY for n in dir(str) if not n.startswith("_")}
    return {}


def item_type(tp: Any) -> Any:
    """What a for loop over a value of this type binds."""
    tp = unwrap(tp)
    if get_origin(tp) in (list, tuple, set):
        args = get_args(tp)
        return args[0] if args else ANY
    if get_origin(tp) is dict:
        return str
    return ANY


def type_name(tp: Any) -> str:
    tp = unwrap(tp)
    if get_origin(tp) is list:
        inner = type_name(get_args(tp)[0])
        return say(f"{inner} のリスト", f"a list of {inner}")
    return getattr(tp, "__name__", str(tp))


def suggest(name: str, candidates: list[str]) -> str:
    """' Did you mean …?' (Japanese: '。もしかして: …'): candidates spelt like the name, or with a word (between _)
    spelt like it; empty when there are none."""

    def score(candidate: str) -> float:
        whole = difflib.SequenceMatcher(None, name.lower(), candidate.lower()).ratio()
        words = max(
            difflib.SequenceMatcher(None, w, c).ratio()
            for w in name.lower().split("_")
            for c in candidate.lower().split("_")
        )
        return max(whole, words)

    ranked = sorted((c for c in candidates if score(c) >= 0.6), key=lambda c: -score(c))[:5]
    if not ranked:
        return ""
    names = " / ".join(ranked)
    return say(f"。もしかして: {names}", f" Did you mean {names}? (もしかして)")
