"""Shared fixtures: the repository's folders and small helpers to write test inputs."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

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
