"""Render Word templates safely: a sandboxed Jinja environment, undefined names are errors,
values are XML-escaped, and a small set of filters for Japanese documents.

An office template is untrusted code. The sandbox (docgen/documents/sandbox.py) refuses what reaches Python
internals and sizes above its limits, and every template is filled in a worker process (docgen/worker.py) limited to
RENDER_MEMORY bytes and RENDER_SECONDS seconds, so whatever gets past the sandbox stops there, from any thread."""

from __future__ import annotations

import io
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
from docgen.documents.sandbox import BOUNDED, LimitedSandbox, TooLarge, limited_range
from docgen.errors import DocgenError
from docgen.messages import say
from docgen.text import Text
from docgen.wareki import fiscal_year_label, seireki_date, wareki_date
from docgen.worker import MEMORY_LIMIT, Limits, WorkerStopped, run_limited


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


def _tel(number: Any) -> str:
    """{{ applicant.phone|tel }}: a telephone number that never breaks at a line end (045-123-4567 keeps its hyphens
    as U+2011, which LibreOffice and Word print as '-' and never break at; the PDF text still reads the number)."""
    return "" if number is None else str(number).replace("-", "\u2011")


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
    "tel": _tel,
}


RENDER_SECONDS = 20  # CPU and wall-clock seconds for one template; real ones take well under a second
RENDER_MEMORY = MEMORY_LIMIT  # bytes one template may take while it is filled


def environment() -> SandboxedEnvironment:
    """The only Jinja environment templates run in."""
    env = LimitedSandbox(undefined=jinja2.StrictUndefined, autoescape=True)
    env.filters.update(FILTERS)
    env.filters.update(BOUNDED)
    env.filters.pop("attr", None)  # reads attributes by name, around the typed variable list
    env.filters.pop("format", None)
    env.globals["range"] = limited_range
    env.globals.pop("lipsum", None)  # lipsum(n): n paragraphs of filler text
    return env


_UNDEFINED_RE = re.compile(r"'([^']+)' (?:is undefined|has no attribute '([^']+)')")
_NO_FILTER_RE = re.compile(r"No filter named '([^']+)'")


def _explain(exc: Exception, name: str) -> str:
    """What went wrong in staff words (the library's own words only in English)."""
    check = say(
        " 変数の一覧（docgen templates export）で綴りを確認してください。",
        " Check the spelling against the variable list (docgen templates export).",
    )
    if isinstance(exc, TooLarge):
        return say(
            f"テンプレート {name}: 大きすぎる指定があります（{exc}）。幅・回数・長さは数字で小さく書いてください。",
            f"template {name}: too large: {exc}. Write widths, counts and lengths as small numbers.",
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
    unknown = _NO_FILTER_RE.search(str(exc)) if isinstance(exc, jinja2.TemplateAssertionError) else None
    if unknown:
        return say(
            f"テンプレート {name}: フィルター '|{unknown.group(1)}' は使えません（ないか、禁止されています）。"
            "docgen templates check で場所を確認してください。",
            f"template {name}: the filter '|{unknown.group(1)}' is unknown or not allowed in templates. Run"
            " 'docgen templates check' to see where.",
        )
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


def _fresh_caches() -> None:
    """In the worker: Jinja's shared lexer cache with a new lock. The worker is a fork, and another thread of the
    caller (a `templates check`) may have held the old lock at that moment; it would never be released here."""
    jinja2.lexer._lexer_cache = jinja2.utils.LRUCache(50)  # type: ignore[assignment]


def _fill(template: Path, ctx: BaseModel) -> bytes:
    """Fill `template` with `ctx` and return the .docx (runs in the worker; errors in staff words).
    MemoryError is left to the worker, which says the template needs too much memory."""
    _fresh_caches()
    doc = DocxTemplate(str(template))
    try:
        doc.init_docx()
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, PackageNotFoundError) as exc:  # a broken .docx
        raise TemplateRenderError(
            Text(
                f"テンプレート {template.name}: Word 文書として読めません（{type(exc).__name__}）。Word で開いて .docx"
                "として保存し直すか、事務所のフォルダーから外して組み込みのテンプレートを使ってください。",
                f"template {template.name}: cannot be read as a Word document ({type(exc).__name__}); open it in"
                " Word and save it again as .docx, or remove it from the office folder to use the built-in one",
            )
        ) from None
    out = io.BytesIO()
    try:
        doc.render(template_context(ctx), jinja_env=environment(), autoescape=True)
        doc.save(out)
    except (jinja2.TemplateError, SecurityError) as exc:
        raise TemplateRenderError(_explain(exc, template.name)) from None
    except MemoryError:
        raise
    except Exception as exc:  # what the template's own code raised: family[9], int('x'), a division by 0 …
        raise TemplateRenderError(
            Text(
                f"テンプレート {template.name}: 記入できません（{type(exc).__name__}）。"
                "docgen templates check で確認してください。",
                f"template {template.name}: cannot be filled ({type(exc).__name__})",
            )
        ) from None
    return out.getvalue()


def render_docx(template: Path, ctx: DocumentContext | BaseModel, out: Path) -> Path:
    """Fill `template` with `ctx` and save it as `out`. The template runs in a worker process limited to
    RENDER_MEMORY bytes and RENDER_SECONDS seconds (safe from any thread); `out` is written only when it worked."""
    template = Path(template)
    limits = Limits(memory=RENDER_MEMORY, cpu_seconds=RENDER_SECONDS, wall_seconds=RENDER_SECONDS)
    try:
        data = run_limited(
            _fill, template, ctx, what=say(f"テンプレート {template.name}", f"template {template.name}"), limits=limits
        )
    except WorkerStopped as exc:
        raise TemplateRenderError(
            str(exc)
            + say(
                "終わらない繰り返しや大きすぎる指定がないか、docgen templates check で確認してください。",
                " Look for a loop that does not end or a size that is too large with 'docgen templates check'.",
            )
        ) from None
    Path(out).write_bytes(data)
    return Path(out)
