"""Check a profile, write a skeleton for a category, print the profile's JSON Schema."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import DocgenError
from docgen.messages import say
from docgen.profile.characters import unusual_character_notices
from docgen.profile.model import Profile
from docgen.profile.skeleton import skeleton
from docgen.rules.category_names import category_id
from docgen.text import NextStep, Step, Text
from docgen.usecases.context import RunContext, use_case


@dataclass(frozen=True)
class ProfileChecked:
    """A profile that passed every check (the model, the office's rules), with the character warnings."""

    profile: Profile
    people: int  # the applicants filing: the main one and the family members filing together
    notices: list[str]


@use_case
def check_profile(ctx: RunContext, path: Path) -> ProfileChecked:
    """Validate a profile; every problem is an InputFileError naming its line and field."""
    p = ctx.case(path).profile
    return ProfileChecked(p, 1 + len(p.co_applicants), unusual_character_notices(p))


@use_case
def profile_skeleton(ctx: RunContext, category: str, where: str = "") -> str:
    """The commented skeleton of a profile for a category (typed as its id, Japanese name or status; `where`
    names the field it was typed in)."""
    return skeleton(category_id(ctx.rules.book, category, where or say("類型", "category")))


@use_case
def write_profile_skeleton(ctx: RunContext, category: str, out: Path, where: str = "") -> Path:
    """Write the skeleton to a new owner-only file; an existing file is never overwritten."""
    text = profile_skeleton(ctx, category, where)
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise DocgenError(
            Text(
                f"{out} は既にあります。別のファイル名を指定してください（何も上書きしていません）",
                f"{out} already exists; choose another file name (nothing was overwritten)",
            ),
            steps=(NextStep(Step.NAME_OUTPUT),),
        ) from None
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    return out


def profile_schema() -> str:
    """The profile's JSON Schema (for editor autocompletion)."""
    return json.dumps(Profile.model_json_schema(by_alias=True), ensure_ascii=False, indent=2) + "\n"
