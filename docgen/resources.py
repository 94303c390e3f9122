"""Where the built-in rules, templates, data and font settings live (read with importlib.resources).

In an installed wheel the repository's top-level `checklists/`, `templates/` and the preview example are
inside the package under `docgen/builtin/` (hatchling `force-include`, see pyproject.toml); in a source
checkout or an editable install they are the top-level folders staff edit.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_PACKAGE = Path(str(files("docgen")))


def _builtin(relative: str) -> Path:
    packaged = _PACKAGE / "builtin" / relative
    return packaged if packaged.exists() else _PACKAGE.parent / relative


CHECKLISTS = _builtin("checklists")
TEMPLATES = _builtin("templates")
PREVIEW_PROFILE = _builtin("examples/gijinkoku-single.yaml")
DATA = _PACKAGE / "data"
FONTS_CONF = _PACKAGE / "fonts" / "fonts.conf"
