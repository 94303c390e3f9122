"""The questionnaire's texts, read from questions.yaml: questions keyed by field path, in five languages."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from docgen.languages import QUESTIONNAIRE_LANGUAGES

LANGS = QUESTIONNAIRE_LANGUAGES  # the registry of languages: docgen/languages.py
QUESTIONS_FILE = Path(__file__).with_name("questions.yaml")


@dataclass(frozen=True)
class Texts:
    ui: dict[str, dict[str, str]]
    questions: dict[str, dict[str, str]]
    choices: dict[str, dict[str, str]]
    instructions: list[dict[str, str]]
    lists: dict[str, list[str]]

    def question(self, key: str, lang: str) -> str:
        return self.questions[key][lang]

    def text(self, key: str, lang: str) -> str:
        return self.ui[key][lang]

    def choice(self, value: str, lang: str) -> str:
        """The label shown in a dropdown: the Japanese value, with the client's word beside it when different."""
        label = self.choices.get(value, {}).get(lang, value)
        return value if label == value else f"{value} / {label}"


def _check(data: Any) -> Texts:
    """Every entry in every language: a missing translation is a packaging bug, found at the first use."""
    for section in ("ui", "questions", "choices"):
        for key, entry in data[section].items():
            missing = [lang for lang in LANGS if not (isinstance(entry, dict) and entry.get(lang))]
            if missing:
                raise ValueError(f"{QUESTIONS_FILE.name}: {section}.{key} has no text for {', '.join(missing)}")
    return Texts(
        ui=data["ui"],
        questions=data["questions"],
        choices=data["choices"],
        instructions=list(data["instructions"]),
        lists={k: [str(v) for v in vs] for k, vs in data["lists"].items()},
    )


@cache
def texts() -> Texts:
    return _check(YAML(typ="safe").load(QUESTIONS_FILE.read_text(encoding="utf-8")))
