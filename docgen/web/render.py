"""Pages rendered from the package's Jinja2 templates (autoescaped) in the staff member's language: every page
gets the request, the user, the CSRF token and `t(ja, en)`; `Text` values render with the `|text` filter."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from docgen.text import Text
from docgen.usecases.case_page import staff_time

TEMPLATES = Path(__file__).parent / "templates"
WEEKDAYS = "月火水木金土日"


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)


def lang_of(request: Request) -> str:
    ctx = getattr(request.state, "ctx", None)
    return ctx.lang if ctx is not None else "ja"


def show_date(day: date | None, lang: str) -> str:
    """A day as staff read it on a page: '2026年11月30日（月）', or '2026-11-30 (Mon)' in English."""
    if day is None:
        return "—"
    if lang == "en":
        return f"{day.isoformat()} ({day.strftime('%a')})"
    return f"{day.year}年{day.month}月{day.day}日（{WEEKDAYS[day.weekday()]}）"


def page(request: Request, name: str, values: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    """The template `name` rendered for this request."""
    lang = lang_of(request)
    templates: Jinja2Templates = request.app.state.templates
    zone = request.app.state.config.clock().tzinfo  # the office's, as the request's time is
    context = {
        "user": getattr(request.state, "user", None),
        "csrf": getattr(request.state, "csrf", ""),
        "lang": lang,
        "t": lambda ja, en: en if lang == "en" else ja,
        "text": lambda value: value.render(lang) if isinstance(value, Text) else value,
        "day": lambda value: show_date(value, lang),
        "when": lambda stamp: staff_time(str(stamp), zone).render(lang) if stamp else "",
        **(values or {}),
    }
    return templates.TemplateResponse(request, name, context, status_code=status_code)
