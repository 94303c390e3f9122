"""Load a profile YAML into a `Profile`; every problem names the file, the line and the field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docgen.errors import InputFileError, Problem
from docgen.profile.checks import Loc, consistency_problems
from docgen.profile.model import Profile
from docgen.validation import field_path, validate_document
from docgen.yamlfile import LoadedYaml, load_yaml

Checks = Callable[[Profile], list[tuple[Loc, str]]]


def parse_profile(doc: LoadedYaml, more_checks: Checks | None = None) -> Profile:
    """Validate loaded YAML: field types first, then facts that involve several fields, then `more_checks`
    (the case adds the checks against the rules), all reported together."""
    profile = validate_document(doc, Profile)
    found = consistency_problems(profile) + (more_checks(profile) if more_checks else [])
    problems = [Problem(doc.path, doc.line_of(loc), field_path(loc), msg) for loc, msg in found]
    if problems:
        raise InputFileError(problems)
    return profile


def load_profile(path: Path, more_checks: Checks | None = None) -> Profile:
    """Read and validate a profile file."""
    return parse_profile(load_yaml(Path(path)), more_checks)
