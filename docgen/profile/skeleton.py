"""`docgen profile init CATEGORY`: a commented profile skeleton, generated from the model."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from docgen.profile.annotations import optional_inner
from docgen.profile.model import Profile

# Sections that only some categories need.
_ONLY_FOR = {
    "hsp": {"hsp_70", "hsp_80", "hsp_points_70", "hsp_points_80"},
    "business": {"keiei_kanri"},
    "supporter": {"kazoku_taizai"},
}
_SKIP = {"application"}  # a co-applicant's own details: see the header and examples/gijinkoku-family.yaml


def _placeholder(annotation: Any, field: Any) -> str:
    """The field's own default where it has one (so keeping it never states something false); an optional field
    without one is left empty."""
    if not field.is_required() and field.default is None:
        return ""
    if not field.is_required() and field.default is not None and not callable(field.default_factory):
        default = field.default
        if isinstance(default, bool):
            return "true" if default else "false"
        return '""' if default == "" else str(default)
    if get_origin(annotation) is Literal:
        return str(get_args(annotation)[0])
    return ""


def _choices(annotation: Any) -> str:
    if get_origin(annotation) is Literal:
        return " / ".join(str(a) for a in get_args(annotation))
    if annotation is date:
        return "YYYY-MM-DD"
    return ""


def _lines(model: type[BaseModel], indent: int, category: str, top: bool = False) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for name, field in model.model_fields.items():
        key = field.alias or name
        if (key in _ONLY_FOR and category not in _ONLY_FOR[key]) or key in _SKIP:
            continue
        annotation, optional = optional_inner(field.annotation)
        need = "optional" if (optional or not field.is_required()) else "required"
        hint = " — ".join(x for x in (field.description or "", _choices(annotation), need) if x)
        origin = get_origin(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            out.append(f"{pad}{key}:  # {hint}")
            out += _lines(annotation, indent + 2, category)
        elif origin is list:
            (inner,) = get_args(annotation)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                out.append(f"{pad}{key}:  # {hint}; one entry per line starting with '- '")
                sub = _lines(inner, indent + 4, category)
                if sub:
                    sub[0] = f"{pad}  - " + sub[0].lstrip()
                out += sub
            else:
                out.append(f"{pad}{key}: []  # {hint}")
        else:
            value = category if (top and key == "category") else _placeholder(annotation, field)
            out.append(f"{pad}{key}: {value}  # {hint}".replace(":   #", ":  #"))
        if top:
            out.append("")
    return out


def skeleton(
    category: str, *, case_id: str = "", application_date: date | None = None, client_language: str = ""
) -> str:
    """A YAML profile with every field, its meaning and whether it is required (`case_id` and
    `application_date` filled in when given)."""
    head = [
        f"# 永住許可申請 profile ({category}). Fill in every 'required' field; dates as YYYY-MM-DD.",
        "# Names in roman letters exactly as in the passport. Delete optional lines you do not need.",
        "# A family member filing together gets 'filing_together: true' and an 'application:' block",
        "# (category, birth_place, home_town, occupation, passport, residence_card_number, status,",
        "#  period_of_stay, stay_expiry …): see examples/gijinkoku-family.yaml.",
        "",
    ]
    lines = _lines(Profile, 0, category, top=True)
    known = {
        "case_id": case_id,
        "application_date": application_date.isoformat() if application_date else "",
        "client_language": client_language,
    }
    for i, line in enumerate(lines):
        key = line.split(":", 1)[0]
        if known.get(key):
            lines[i] = line.replace(f"{key}:  #", f"{key}: {known[key]}  #", 1)
    return "\n".join(head + lines).rstrip() + "\n"
