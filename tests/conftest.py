"""Shared fixtures: the repository's folders and small helpers to write test inputs."""

from __future__ import annotations

import os
import shutil
import socket
import textwrap
from pathlib import Path

import pytest
from docx import Document

# Most tests pin the wording of a message in English (`docgen --lang en`); the Japanese default is tested on its
# own in tests/test_messages_ja.py. Subprocesses inherit the setting.
os.environ["DOCGEN_LANG"] = "en"

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture
def write(tmp_path: Path):
    """write('name.yaml', text) -> path, with the text dedented."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def example_copy(tmp_path: Path):
    """A copy of an example profile that a test may edit."""

    def _copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copyfile(EXAMPLES / name, target)
        return target

    return _copy


def needs_libreoffice() -> pytest.MarkDecorator:
    return pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (CI installs it)")


# ---------------------------------------------------------------- the library, as the CLI calls it

from datetime import UTC, date, datetime  # noqa: E402

from docgen.assessment import Assessment, assess_applicant  # noqa: E402
from docgen.assessment.situation import situation  # noqa: E402
from docgen.case import Case, Settings, build_case, load_rules  # noqa: E402
from docgen.profile.model import Profile  # noqa: E402

RULES = load_rules(Settings())  # the built-in rules, read once for the whole suite
TABLE = RULES.assessment.points
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def assess(
    profile: Profile, on: date | None = None, *, today: date | None = None, processing_days: int | None = None
) -> Assessment:
    """One applicant assessed with the built-in rules, as `docgen assess` does (`processing_days`: the office's
    docgen.toml setting)."""
    on, today = on or profile.application_date, today or NOW.date()
    return assess_applicant(
        situation(
            profile,
            RULES.book,
            RULES.assessment,
            RULES.release_day,
            on=on,
            today=today,
            processing_days=processing_days,
        )
    )


def case_of(path: Path, settings: Settings | None = None, *, on: date | None = None) -> Case:
    """The case `docgen` builds for a profile file (built-in rules unless settings name office folders)."""
    settings = settings or Settings()
    rules = RULES if settings.checklist_dir is None else load_rules(settings)
    return build_case(path, settings, rules, now=NOW, on=on)


def office_reason_letter(tmp_path: Path, extra: str) -> Settings:
    """Settings whose office folder holds the built-in 理由書 with one paragraph added by staff."""
    office = tmp_path / "office"
    office.mkdir()
    doc = Document(str(ROOT / "templates" / "reason_letter.docx"))
    doc.add_paragraph(extra)
    doc.save(str(office / "reason_letter.docx"))
    return Settings(template_dir=office, output_dir=tmp_path)


@pytest.fixture(scope="module")
def server(office):
    """The module's `office` served over HTTP for a browser (tests/browser.py)."""
    from tests.browser import serve

    with serve(office) as address:
        yield address


@pytest.fixture(scope="module")
def page(server):
    """One window of Debian's Chromium for the module's story (tests/browser.py)."""
    from tests.browser import chromium, window

    with chromium() as browser, window(browser) as tab:
        yield tab


def free_port() -> int:
    """A port of 127.0.0.1 nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
