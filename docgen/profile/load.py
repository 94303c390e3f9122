"""Load a profile YAML into a `Profile`; every problem names the file, the line and the field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from docgen.errors import InputFileError, Problem
from docgen.messages import say
from docgen.profile.checks import Loc, consistency_problems
from docgen.profile.model import Profile
from docgen.validation import field_path, validate_document
from docgen.yamlfile import LoadedYaml, load_plain_fast, load_yaml

Checks = Callable[[Profile], list[tuple[Loc, str]]]

# A profile has at least one of these at the top (`profile init` and `case new` write both, empty or not): a file
# with neither is some other file given by mistake (/etc/passwd, a checklist, docgen.toml), refused as a whole
# before anything is written beside it, instead of a list of every field missing.
PROFILE_MARKS = ("case_id", "applicant")


def require_profile_shape(doc: LoadedYaml) -> None:
    """Refuse a file that is not shaped like a docgen profile: not a block of 'name: value' lines, or one
    without case_id and applicant at the top. The message names the file, never what it holds."""
    data = doc.data
    if data is None or data == "":
        why = say("空のファイルです", "the file is empty")
    elif not isinstance(data, dict):
        why = say("「項目名: 値」の行のまとまりではありません", "it is not a block of 'name: value' lines")
    elif not any(mark in data for mark in PROFILE_MARKS):
        why = say("最上位に case_id も applicant もありません", "it has neither case_id nor applicant at the top")
    else:
        return
    raise InputFileError(
        [
            Problem(
                doc.path,
                None,
                "",
                say(
                    f"docgen のプロフィールではありません（{why}）。docgen profile init か docgen case new で作った"
                    "プロフィールの YAML を指定してください",
                    f"this is not a docgen profile ({why}); give a profile YAML made by docgen profile init or"
                    " docgen case new",
                ),
            )
        ]
    )


def load_profile_yaml(path: Path) -> LoadedYaml:
    """A profile file read with its lines but not validated (a skeleton being filled in is fine); a file that is
    not a profile at all is refused."""
    doc = load_yaml(Path(path))
    require_profile_shape(doc)
    return doc


def parse_profile(doc: LoadedYaml, more_checks: Checks | None = None) -> Profile:
    """Validate loaded YAML: field types first, then facts that involve several fields, then `more_checks`
    (the case adds the checks against the rules), all reported together. A file that is not a profile at all
    is refused as a whole."""
    require_profile_shape(doc)
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
