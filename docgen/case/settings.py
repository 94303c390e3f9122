"""Office settings (`docgen.toml`): the office, its template and checklist folders, defaults.

Found in the working folder, else in the folder of the case's profile or the nearest folder above it (so a
case of the office's cases folder finds the office's settings from anywhere), or given with DOCGEN_SETTINGS.
Every field is optional.

    [office]                     # filled in as 取次者 when a profile has no filing_agent
    name = "山田 花子"            # 行政書士
    office = "山田行政書士事務所"
    registration_number = "第12345678号"
    address = "東京都千代田区神田一丁目1番1号"
    phone = "03-3333-4444"

    [paths]
    templates = "office/templates"    # a .docx here replaces the built-in one of the same name
    checklists = "office/checklists"  # office additions and changes to the checklists
    output = "output"
    cases = "cases"                   # one folder per case (docgen case new, docgen cases)

    [rules]
    release_day = "06-10"             # 新年度の住民税証明書の発行開始日 (MM-DD)
    processing_days = 300             # 審査期間の見込み (日); 既定は公表平均 (eligibility.yaml decision)

    [pdf]
    seconds_per_document = 10         # LibreOffice が次のPDFを書くまで待つ秒数 (最初は起動を含め4倍; 最大50秒)
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from docgen.dates import day_of_every_year
from docgen.errors import InputFileError, Problem
from docgen.messages import say
from docgen.pdf.convert import DEFAULT_PER_DOCUMENT, HANG_SECONDS
from docgen.profile.model import FilingAgent
from docgen.resources import CHECKLISTS, TEMPLATES
from docgen.rules.book import RuleBook
from docgen.rules.loader import load_rulebook
from docgen.text import Text
from docgen.validation import field_path, human_message

BUILTIN_TEMPLATES = TEMPLATES
SETTINGS_NAME = "docgen.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PathsSection(_Strict):
    templates: str | None = None
    checklists: str | None = None
    output: str | None = None
    cases: str | None = None


class RulesSection(_Strict):
    release_day: str = Field("06-01", pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
    processing_days: int | None = Field(None, ge=1, le=1000)


class PdfSection(_Strict):
    seconds_per_document: float = Field(DEFAULT_PER_DOCUMENT, gt=0, le=HANG_SECONDS)


class SettingsFile(_Strict):
    office: FilingAgent | None = None
    pdf: PdfSection = Field(default_factory=PdfSection)
    paths: PathsSection = Field(default_factory=PathsSection)
    rules: RulesSection = Field(default_factory=RulesSection)


@dataclass
class Settings:
    """Resolved settings; paths are absolute."""

    office: FilingAgent | None = None
    template_dir: Path | None = None
    checklist_dir: Path | None = None
    output_dir: Path = field(default_factory=lambda: Path("output").resolve())
    cases_dir: Path = field(default_factory=lambda: Path("cases").resolve())  # one folder per case
    release_day: tuple[int, int] = (6, 1)
    processing_days: int | None = None  # None: the sourced default in eligibility.yaml
    pdf_seconds_per_document: float = DEFAULT_PER_DOCUMENT  # how long LibreOffice may write no new PDF
    source: Path | None = None

    @property
    def checklist_dirs(self) -> tuple[Path, ...]:
        return (self.checklist_dir,) if self.checklist_dir else ()

    def rulebook(self, extra: tuple[Path, ...] | None = None) -> RuleBook:
        """Load the built-in rules with the office folder (or `extra` folders) layered on top."""
        return load_rulebook(CHECKLISTS, *(extra if extra is not None else self.checklist_dirs))

    def template(self, name: str) -> tuple[Path, str]:
        """The file used for a template name, and where it comes from ('office' or 'built-in')."""
        if self.template_dir is not None and (self.template_dir / f"{name}.docx").exists():
            return self.template_dir / f"{name}.docx", "office"
        return BUILTIN_TEMPLATES / f"{name}.docx", "built-in"

    def template_names(self) -> list[str]:
        names = {p.stem for p in BUILTIN_TEMPLATES.glob("*.docx")}
        if self.template_dir is not None:
            names |= {p.stem for p in self.template_dir.glob("*.docx")}
        return sorted(names)


def find_settings(near: Path | None = None) -> Path | None:
    """The docgen.toml a run uses: DOCGEN_SETTINGS, the working folder's, else the nearest one at or above
    `near` (a profile's folder); None when there is none."""
    if os.environ.get("DOCGEN_SETTINGS"):
        return Path(os.environ["DOCGEN_SETTINGS"])
    if (Path.cwd() / SETTINGS_NAME).is_file():
        return Path.cwd() / SETTINGS_NAME
    if near is not None:
        start = Path(near).resolve()
        for folder in (start, *start.parents) if start.is_dir() else start.parents:
            if (folder / SETTINGS_NAME).is_file():
                return folder / SETTINGS_NAME
    return None


def load_settings(path: Path | None = None, *, near: Path | None = None) -> Settings:
    """Read docgen.toml (given, or found by `find_settings`); defaults otherwise."""
    path = path or find_settings(near) or Path.cwd() / SETTINGS_NAME
    if not path.exists():
        if os.environ.get("DOCGEN_SETTINGS"):
            raise InputFileError([Problem(path, None, "", "settings file not found (DOCGEN_SETTINGS)")])
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError([Problem(path, getattr(exc, "lineno", None), "", f"TOML syntax error: {exc}")]) from None
    except RecursionError:  # `a = [[[[…` nested past what the parser can follow
        raise InputFileError(
            [Problem(path, None, "", say("入れ子が深すぎて読めません", "nested too deeply to be read"))]
        ) from None
    try:
        parsed = SettingsFile.model_validate(data)
    except ValidationError as exc:
        raise InputFileError(
            [Problem(path, None, field_path(tuple(e["loc"])), human_message(SettingsFile, e)) for e in exc.errors()]
        ) from None
    base = path.resolve().parent

    def resolve(value: str | None) -> Path | None:
        return (base / value).resolve() if value else None

    release_day = day_of_every_year(parsed.rules.release_day)
    if release_day is None:
        raise InputFileError(
            [
                Problem(
                    path,
                    None,
                    "rules.release_day",
                    Text(
                        f"'{parsed.rules.release_day}' は毎年ある日付ではありません（MM-DD、2月29日は使えません）",
                        f"'{parsed.rules.release_day}' is not a day of every year (MM-DD; not 29 February)",
                    ),
                )
            ]
        )
    settings = Settings(
        office=parsed.office,
        template_dir=resolve(parsed.paths.templates),
        checklist_dir=resolve(parsed.paths.checklists),
        output_dir=resolve(parsed.paths.output) or (base / "output"),
        cases_dir=resolve(parsed.paths.cases) or (base / "cases"),
        release_day=release_day,
        processing_days=parsed.rules.processing_days,
        pdf_seconds_per_document=parsed.pdf.seconds_per_document,
        source=path.resolve(),
    )
    for label, folder in (("paths.templates", settings.template_dir), ("paths.checklists", settings.checklist_dir)):
        if folder is not None and not folder.is_dir():
            raise InputFileError([Problem(path, None, label, f"the folder {folder} does not exist")])
    return settings


__all__ = ["BUILTIN_TEMPLATES", "Settings", "find_settings", "load_settings"]
