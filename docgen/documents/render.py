"""Render Word templates safely: a sandboxed Jinja environment, undefined names are errors,
values are XML-escaped, and a small set of filters for Japanese documents."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from pydantic import BaseModel

from docgen.documents.context import DocumentContext
from docgen.errors import DocgenError
from docgen.limits import time_limit
from docgen.messages import say
from docgen.wareki import fiscal_year_label, seireki_date, wareki_date


class TemplateRenderError(DocgenError):
    """A template could not be rendered; the message names the template and the cause."""


def _wareki(d: date | None) -> str:
    """{{ d|wareki }} -> 令和8年11月30日 (empty when there is no date)."""
    return wareki_date(d) if d else ""


def _seireki(d: date | None) -> str:
    """{{ d|seireki }} -> 2026年11月30日 (the PR form uses 西暦)."""
    return seireki_date(d) if d else ""


def _ym(d: date | None) -> str:
    """{{ d|ym }} -> 2026年11月."""
    return f"{d.year}年{d.month}月" if d else ""


def _yen(n: int | None) -> str:
    """{{ n|yen }} -> 4,500,000円."""
    return f"{n:,}円" if n is not None else ""


def _manen(n: int | None) -> str:
    """{{ n|manen }} -> 450万円 (rounded down to 万円)."""
    return f"{n // 10000:,}万円" if n is not None else ""


def _zenkaku(s: Any) -> str:
    """{{ s|zenkaku }}: ASCII letters, digits and symbols to full width."""
    text = "" if s is None else str(s)
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in text)


def _nendo(y: int | None) -> str:
    """{{ 2026|nendo }} -> 令和8年度."""
    return fiscal_year_label(y) if y else ""


def _choice(selected: Any, *options: str) -> str:
    """{{ applicant.sex|choice('男', '女') }} -> ■男　□女 (the form's "circle one")."""
    return "\u3000".join(("■" if str(selected) == o else "□") + o for o in options)


def _yesno(value: Any, yes: str = "有", no: str = "無") -> str:
    """{{ flag|yesno }} -> ■有　□無 / □有　■無."""
    return _choice(yes if value else no, yes, no)


FILTERS: dict[str, Any] = {
    "wareki": _wareki,
    "seireki": _seireki,
    "ym": _ym,
    "yen": _yen,
    "manen": _manen,
    "zenkaku": _zenkaku,
    "nendo": _nendo,
    "choice": _choice,
    "yesno": _yesno,
}


MAX_RANGE = 1_000  # a form has a few dozen rows; a loop over more is a mistake
MAX_TEXT = 1_000_000  # characters one expression may build ('x' * n, a list repeated)
MAX_POWER = 64  # exponent of **
RENDER_SECONDS = 20  # one template; real ones take well under a second


class LimitedSandbox(SandboxedEnvironment):
    """The sandbox, with limits on what a template may build: loop ranges, repeated text, powers."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_POWER:
            raise SecurityError(f"a power above {MAX_POWER} is not allowed in templates")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(n, int) and len(seq) * n > MAX_TEXT:
                    raise SecurityError(f"text or lists longer than {MAX_TEXT:,} are not allowed in templates")
        return super().call_binop(context, operator, left, right)


def _range(*args: int) -> range:
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise SecurityError(f"range() over more than {MAX_RANGE:,} numbers is not allowed in templates")
    return r


def environment() -> SandboxedEnvironment:
    """The only Jinja environment templates run in."""
    env = LimitedSandbox(undefined=jinja2.StrictUndefined, autoescape=True)
    env.filters.update(FILTERS)
    env.filters.pop("attr", None)  # reads attributes by name, around the typed variable list
    env.filters.pop("format", None)
    env.globals["range"] = _range
    return env


_UNDEFINED_RE = re.compile(r"'([^']+)' (?:is undefined|has no attribute '([^']+)')")


def _explain(exc: Exception, name: str) -> str:
    """What went wrong in staff words (the library's own words only in English)."""
    check = say(
        " 変数の一覧（docgen templates export）で綴りを確認してください。",
        " Check the spelling against the variable list (docgen templates export).",
    )
    if isinstance(exc, SecurityError):
        return say(
            f"テンプレート {name}: 使えない書き方です（{exc}）。一覧にある変数だけを使ってください。",
            f"template {name}: blocked by the sandbox: {exc}. Templates may only use the documented variables.",
        )
    if isinstance(exc, jinja2.UndefinedError):
        m = _UNDEFINED_RE.search(str(exc))
        if m and m.group(2):
            return (
                say(
                    f"テンプレート {name}: {m.group(1)} に '{m.group(2)}' という項目はありません。",
                    f"template {name}: unknown variable '{m.group(2)}' (not a field of {m.group(1)}).",
                )
                + check
            )
        if m:
            return (
                say(
                    f"テンプレート {name}: '{m.group(1)}' という変数はありません。",
                    f"template {name}: undefined variable '{m.group(1)}'.",
                )
                + check
            )
        return say(f"テンプレート {name}: 使えない変数があります。", f"template {name}: {exc}") + check
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return say(
            f"テンプレート {name}: タグの書き方に誤りがあります。docgen templates check で場所を確認してください。",
            f"template {name}: Jinja syntax error: {exc.message}. Run 'docgen templates check' to see where.",
        )
    return say(
        f"テンプレート {name}: 記入できません（{type(exc).__name__}）。docgen templates check で確認してください。",
        f"template {name}: {type(exc).__name__}: {exc}",
    )


def template_context(ctx: BaseModel) -> dict[str, Any]:
    """Top-level names as objects (attribute access stays typed and sandboxed)."""
    return {name: getattr(ctx, name) for name in type(ctx).model_fields}


def render_docx(template: Path, ctx: DocumentContext | BaseModel, out: Path) -> Path:
    """Fill `template` with `ctx` and save it as `out`."""
    template = Path(template)
    try:
        doc = DocxTemplate(str(template))
        stopped = f"template {template.name}: stopped after {RENDER_SECONDS} s (a loop that does not end?)"
        with time_limit(RENDER_SECONDS, lambda: TemplateRenderError(stopped)):
            doc.render(template_context(ctx), jinja_env=environment(), autoescape=True)
        doc.save(str(out))
    except (jinja2.TemplateError, SecurityError) as exc:
        raise TemplateRenderError(_explain(exc, template.name)) from None
    except (OverflowError, MemoryError, RecursionError, TypeError, ArithmeticError) as exc:
        raise TemplateRenderError(f"template {template.name}: cannot be filled ({type(exc).__name__})") from None
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, PackageNotFoundError) as exc:  # a broken .docx
        raise TemplateRenderError(
            f"template {template.name}: cannot be read as a Word document ({type(exc).__name__}); open it in Word"
            " and save it again as .docx, or remove it from the office folder to use the built-in one"
        ) from None
    return out
