"""Load a profile YAML into a `Profile`; every problem names the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

from docgen.errors import InputFileError, Problem
from docgen.profile.model import Profile
from docgen.profile.checks import consistency_problems
from docgen.validation import field_path, validate_document
from docgen.yamlfile import LoadedYaml, load_yaml


def parse_profile(doc: LoadedYaml) -> Profile:
    """Validate loaded YAML: field types first, then facts that involve several fields."""
    profile = validate_document(doc, Profile)
    problems = [Problem(doc.path, doc.line_of(loc), field_path(loc), msg) for loc, msg in consistency_problems(profile)]
    if problems:
        raise InputFileError(problems)
    return profile


def load_profile(path: Path) -> Profile:
    """Read and validate a profile file."""
    return parse_profile(load_yaml(Path(path)))
