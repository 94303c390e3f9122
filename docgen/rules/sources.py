"""Sources behind every rule, with the reference's reliability tag (A–D), and when a person must check a rule."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from docgen.errors import DocgenError
from docgen.text import Text

Reliability = Literal["A", "B", "C", "D"]


class Strict(BaseModel):
    """Rule files: unknown keys are errors, text is trimmed, `from`/`until` accepted as aliases."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class SourceDef(Strict):
    title: str = Field(min_length=1)
    url: str = Field(min_length=1, pattern=r"^https?://")
    reliability: Reliability


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    url: str
    reliability: str

    def to_json(self) -> dict[str, str]:
        return {"title": self.title, "url": self.url, "reliability": self.reliability}


def resolve_sources(defined: Mapping[str, SourceDef], keys: Iterable[str]) -> tuple[Source, ...]:
    """The sources cited by `keys` (each must be defined)."""
    return tuple(Source(k, defined[k].title, defined[k].url, defined[k].reliability) for k in keys)


def sources_json(sources: Iterable[Source]) -> list[dict[str, str]]:
    return [s.to_json() for s in sources]


def needs_review(sources: tuple[Source, ...], review: str | None = None) -> bool:
    """A rule needs a person's check when it says so or rests only on [C]/[D] sources."""
    return bool(review) or (bool(sources) and all(s.reliability in ("C", "D") for s in sources))


def _cited(node: Any) -> list[str]:
    """Every source key cited anywhere in a rules model (its `sources:` lists)."""
    if isinstance(node, (list, tuple)):
        return [k for x in node for k in _cited(x)]
    if isinstance(node, dict):
        return [k for x in node.values() for k in _cited(x)]
    if not isinstance(node, BaseModel):
        return []
    out: list[str] = []
    for name in type(node).model_fields:
        value = getattr(node, name)
        out += value if name == "sources" and isinstance(value, list) else _cited(value)
    return out


def check_cited(rules: BaseModel, defined: Mapping[str, SourceDef], path: Path) -> None:
    """Every source a data file cites must be defined in its `sources:` block."""
    for key in _cited(rules):
        if key not in defined:
            raise DocgenError(
                Text(
                    f"{path}: 出典 '{key}' が定義されていません。sources: の下に書いてください",
                    f"{path}: unknown source '{key}'; define it under sources:",
                )
            )
