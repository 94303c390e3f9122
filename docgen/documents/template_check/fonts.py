"""Font checks: will the PDF machine render the fonts the template uses?

In: the template (its styles) and its parts. Out: findings through `add` — theme fonts and 游 fonts
(errors), fonts neither installed nor aliased by docgen/fonts/fonts.conf (warnings), or a warning
that fontconfig is missing. `font_resolves` answers the question for one font name.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from docxtpl import DocxTemplate
from lxml import etree

from docgen.documents.template_check.parts import W, _owner_paragraph, _para_text, _Part, _shorten
from docgen.messages import say
from docgen.resources import FONTS_CONF

_YU_RE = re.compile(r"游|^yu\s*(mincho|gothic)", re.IGNORECASE)
_SLOTS = ("ascii", "hAnsi", "eastAsia")  # complex-script (cs) fonts are never used for Japanese or English text
_BUILTIN_ALIASES = {
    "IPAexMincho": ["ＭＳ 明朝", "MS Mincho", "ＭＳ Ｐ明朝", "MS PMincho", "MS 明朝", "MS P明朝"],
    "IPAexGothic": ["ＭＳ ゴシック", "MS Gothic", "ＭＳ Ｐゴシック", "MS PGothic", "MS ゴシック", "MS Pゴシック"],
}


def _norm(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold().replace(" ", "")


@lru_cache(maxsize=1)
def _installed_families() -> frozenset[str]:
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=30).stdout
    return frozenset(_norm(f) for line in out.splitlines() for f in line.split(","))


def _aliases() -> dict[str, list[str]]:
    """Font name -> the families it is aliased to: from docgen/fonts/fonts.conf, else the built-in MS → IPAex list."""
    if FONTS_CONF.exists():
        out: dict[str, list[str]] = {}
        tree = etree.parse(str(FONTS_CONF))
        for alias in tree.iter("alias"):
            family = alias.findtext("family")
            targets = [
                f.text
                for tag in ("prefer", "accept", "default")
                for el in alias.findall(tag)
                for f in el.findall("family")
                if f.text
            ]
            if family:
                out.setdefault(_norm(family), []).extend(targets)
        return out
    return {_norm(n): [target] for target, names in _BUILTIN_ALIASES.items() for n in names}


@lru_cache(maxsize=256)
def font_resolves(name: str) -> bool:
    """Whether the PDF machine has this font, or an alias the project installs for it (fc-match / fc-list)."""
    targets = _aliases().get(_norm(name))
    if targets is not None:
        return any(_norm(t) in _installed_families() for t in targets)
    pattern = re.sub(r"([-:,\\])", r"\\\1", name)
    out = subprocess.run(["fc-match", "-f", "%{family}", pattern], capture_output=True, text=True, timeout=30).stdout
    return any(_norm(f) == _norm(name) for f in out.split(","))


def _used_styles(styles: etree._Element, parts: list[_Part]) -> list[etree._Element]:
    """Styles the document uses (directly, as defaults, or through basedOn / link)."""
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    wanted = {s.get(f"{W}styleId") for s in by_id.values() if s.get(f"{W}default") in ("1", "true")}
    for part in parts:
        for tag in ("pStyle", "rStyle", "tblStyle"):
            wanted |= {el.get(f"{W}val") for el in part.element.iter(f"{W}{tag}")}
    seen: list[etree._Element] = []
    todo: list[str] = [w for w in wanted if w is not None and w in by_id]
    done: set[str] = set()
    while todo:
        sid = todo.pop()
        if sid in done or sid not in by_id:
            continue
        done.add(sid)
        style = by_id[sid]
        seen.append(style)
        for tag in ("basedOn", "link"):
            el = style.find(f"{W}{tag}")
            ref = el.get(f"{W}val") if el is not None else None
            if ref is not None:
                todo.append(ref)
    return seen


def _font_findings(tpl: DocxTemplate, parts: list[_Part], add: Callable[..., None]) -> None:
    """Theme fonts and 游 fonts are errors; fonts the PDF machine lacks are warnings."""
    if not shutil.which("fc-match") or not shutil.which("fc-list"):
        add(
            "",
            "warning",
            "fonts_unchecked",
            say(
                "このパソコンに fontconfig（fc-match）がないため、フォントを確認していません",
                "fontconfig (fc-match) is not installed here, so fonts were not checked.",
            ),
        )
        return
    document_defaults = say("既定のフォント", "document defaults (既定のフォント)")
    styles = tpl.docx.styles.element
    places: list[tuple[str, str, etree._Element]] = []  # (where, its part if a style, w:rFonts)
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    default_style_fonts = [
        s.find(f"{W}rPr/{W}rFonts")
        for s in styles.iter(f"{W}style")
        if s.get(f"{W}type") == "paragraph" and s.get(f"{W}default") in ("1", "true")
    ]
    for style in _used_styles(styles, parts):
        name_el = style.find(f"{W}name")
        style_name = name_el.get(f"{W}val") if name_el is not None else style.get(f"{W}styleId")
        label = say(f"スタイル '{style_name}'", f"style '{style_name}' (スタイル)")
        places += [(label, "word/styles.xml", f) for f in style.iter(f"{W}rFonts")]
    for part in parts:
        for f in part.element.iter(f"{W}rFonts"):
            p = _owner_paragraph(f)
            places.append((_shorten(_para_text(p)) if p is not None else part.name, "", f))
    if defaults is not None:
        overridden = {
            slot
            for slot in _SLOTS
            for f in default_style_fonts
            if f is not None and f.get(f"{W}{slot}") and not f.get(f"{W}{slot}Theme")
        }
        themes = sorted(
            {
                defaults.get(f"{W}{slot}Theme")
                for slot in _SLOTS
                if defaults.get(f"{W}{slot}Theme") and slot not in overridden
            }
        )
        if themes:
            names = ", ".join(themes)
            add(
                "word/styles.xml",
                "error",
                "theme_font",
                say(
                    f"文書の既定のフォントがテーマのフォント（{names}）です（最近の Word では 游明朝 / 游ゴシック）。"
                    "テーマのフォントは使えません。フォントを明示してください（例: 日本語は ＭＳ 明朝 / IPAex明朝。"
                    "ホーム → フォント → 詳細設定 で選び、既定に設定）",
                    f"the document default font uses the theme font(s) {names} (テーマのフォント; 游明朝 / "
                    "游ゴシック in recent Word). Theme fonts are not allowed: set explicit fonts, "
                    "e.g. ＭＳ 明朝 / IPAex明朝 for 日本語 (ホーム → フォント → 詳細設定, then 既定に設定).",
                ),
                document_defaults,
            )
        places.append((document_defaults, "", defaults))
    reported: set[tuple[str, str]] = set()
    for where, style_part, el in places:
        for slot in _SLOTS:
            theme = el.get(f"{W}{slot}Theme")
            if theme and el is not defaults and ("theme", where) not in reported:
                reported.add(("theme", where))
                add(
                    style_part,
                    "error",
                    "theme_font",
                    say(
                        f"テーマのフォント {theme} を使っています。テーマのフォントは最近の Word では"
                        " 游明朝 / 游ゴシックに、PDF 作成機では別のフォントになるため使えません。"
                        "ＭＳ 明朝 や IPAex明朝 などのフォントを明示してください",
                        f"theme font {theme} (テーマのフォント) is used. Theme fonts are not allowed because they"
                        " become 游明朝/游ゴシック in recent Word and something else on the PDF machine: choose an"
                        " explicit font such as ＭＳ 明朝 or IPAex明朝.",
                    ),
                    where,
                )
            name = el.get(f"{W}{slot}")
            if not name or ("font", name) in reported:
                continue
            if _YU_RE.search(name):
                reported.add(("font", name))
                add(
                    "",
                    "error",
                    "yu_font",
                    say(
                        f"フォント '{name}'（游フォント）は PDF 作成機にインストールされておらず、Word では文書の"
                        "グリッドで行の高さが2倍になります。ＭＳ 明朝 / ＭＳ ゴシック（または IPAex明朝 / "
                        "IPAexゴシック）を使ってください",
                        f"the font '{name}' (游フォント) is not installed on the PDF machine, and Word doubles its"
                        " line height on a document grid. Use ＭＳ 明朝 / ＭＳ ゴシック (or IPAex明朝 /"
                        " IPAexゴシック).",
                    ),
                    where,
                )
            elif not font_resolves(name):
                reported.add(("font", name))
                add(
                    "",
                    "warning",
                    "font_not_installed",
                    say(
                        f"フォント '{name}' はこのパソコンにインストールされておらず、別名の設定もないため、PDF では"
                        "別のフォントになり、レイアウトがずれることがあります。ＭＳ 明朝 / ＭＳ ゴシック / IPAex の"
                        "フォントを使ってください",
                        f"the font '{name}' is not installed on this machine and has no alias, so the PDF uses"
                        " another font and the layout may shift. Use ＭＳ 明朝 / ＭＳ ゴシック / IPAex fonts.",
                    ),
                    where,
                )
