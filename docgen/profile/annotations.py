"""Reading the profile model's annotations: the type inside `X | None`, the model a field holds, a field by its
YAML name (an alias such as 'return' included). Shared by the skeleton, the questionnaire and the web's forms."""

from __future__ import annotations

import types
import typing
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

_UNIONS = (typing.Union, types.UnionType)


def optional_inner(annotation: Any) -> tuple[Any, bool]:
    """(the type inside, whether None is allowed) for `X | None`; a union of several types is left as it is."""
    if get_origin(annotation) in _UNIONS:
        args = [a for a in get_args(annotation) if a is not type(None)]
        return (args[0] if len(args) == 1 else annotation), len(args) < len(get_args(annotation))
    return annotation, False


def model_class(annotation: Any) -> type[BaseModel] | None:
    """The model an annotation names, or None for a plain value."""
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def field_info(model: type[BaseModel], key: str) -> FieldInfo | None:
    """The field of `model` written `key` in YAML (its name or its alias), or None."""
    return next((info for name, info in model.model_fields.items() if key in (name, info.alias)), None)
