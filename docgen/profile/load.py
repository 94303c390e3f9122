"""Load a profile YAML into a `Profile`; every problem names the file, the line and the field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from docgen.errors import InputFileError, Problem
from docgen.profile.checks import Loc, consistency_problems
from docgen.profile.model import Profile
from docgen.validation import field_path, validate_document
from docgen.yamlfile import LoadedYaml, load_plain_fast, load_yaml

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
    """Read and validate a profile file. A valid file is read by the fast C parser; anything else is read again
    with line numbers, so every problem names its line (the result for a valid file is the same)."""
    data = load_plain_fast(Path(path))
    if isinstance(data, dict):
        try:
            profile = Profile.model_validate(data)
        except ValidationError:
            pass
        else:
            if not consistency_problems(profile) and not (more_checks and more_checks(profile)):
                return profile
    return parse_profile(load_yaml(Path(path)), more_checks)
