"""A client's PDF scan made inert and checked before it joins the bundle handed to the immigration office.

`sanitise` copies only what a page shows into a new PDF: form fields and annotations that have an appearance
are flattened into the page first (a filled-in form keeps its values), then everything that can act is gone —
JavaScript, launch, link, submit and media actions, actions run on opening or on any event (/OpenAction, /AA),
embedded and attached files, AcroForm and XFA forms. It says, in staff words, which of the hostile kinds it
found, and refuses a page it cannot make sense of (a /Rotate that is not a multiple of 90, a broken /MediaBox or
/CropBox, /Contents that are not streams, /Resources that are not a dictionary) by page number.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal

import pikepdf

from docgen.messages import say

MAX_PAGE_SIZE = 14_400  # the largest page side PDF allows (200 inches), in points


class Unfit(Exception):
    """A page the bundle cannot take; the message says which page and why, in staff words."""


# the kinds of active content a note names, in the order it names them
_KINDS: dict[str, tuple[str, str]] = {
    "javascript": ("JavaScript", "JavaScript"),
    "launch": ("外部プログラムの起動（/Launch）", "program launch (/Launch)"),
    "link": ("ウェブや他のファイルへのリンク（/URI など）", "links to the web or other files (/URI …)"),
    "submit": ("フォームの送信・読み込み（/SubmitForm など）", "form submission or import (/SubmitForm …)"),
    "media": ("動画・音声などの再生", "media playback"),
    "auto": (
        "開いたときや操作したときの自動実行（/OpenAction・/AA）",
        "actions run on opening or on events (/OpenAction, /AA)",
    ),
    "embedded": ("埋め込み・添付ファイル", "embedded or attached files"),
    "xfa": ("XFA フォーム", "an XFA form"),
}
_ACTION_KINDS: dict[str, str] = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/URI": "link",
    "/GoToR": "link",
    "/GoToE": "link",
    "/Thread": "link",
    "/SubmitForm": "submit",
    "/ImportData": "submit",
    "/ResetForm": "submit",
    "/Rendition": "media",
    "/Movie": "media",
    "/Sound": "media",
    "/RichMediaExecute": "media",
    "/GoTo3DView": "media",
}
_MEDIA_ANNOTATIONS = {"/Movie", "/Sound", "/Screen", "/RichMedia", "/3D"}
# what a page keeps: how it looks, nothing that acts (annotations were flattened into /Contents first)
_PAGE_KEYS = {"/Type", "/Parent", "/MediaBox", "/CropBox", "/Rotate", "/Resources", "/Contents", "/Group"}
# keys that hold actions, scripts, files or forms, wherever they are found in what a page refers to
_ACTIVE_KEYS = {
    "/A",
    "/AA",
    "/JS",
    "/JavaScript",
    "/OpenAction",
    "/URI",
    "/Launch",
    "/Win",
    "/Mac",
    "/Unix",
    "/EmbeddedFiles",
    "/EF",
    "/FS",
    "/RF",
    "/XFA",
    "/AcroForm",
    "/Names",
    "/Annots",
}
_RESOURCE_DICTS = ("/Font", "/XObject", "/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/Properties")


def _dictionaries(root: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """Every dictionary and stream reachable from `root`, each indirect object once."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if not isinstance(obj, pikepdf.Object):
            continue  # numbers and booleans come back as Python values
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Array):
            stack.extend(obj)
        elif isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            yield obj
            stack.extend(value for _, value in obj.items())


def _name(obj: pikepdf.Object, key: str) -> str:
    value = obj.get(key)
    return str(value) if isinstance(value, pikepdf.Name) else ""


def _kinds_in(obj: pikepdf.Object) -> set[str]:
    """The hostile kinds one dictionary carries."""
    found = set()
    action = _name(obj, "/S")
    if action in _ACTION_KINDS:
        found.add(_ACTION_KINDS[action])
    if "/JS" in obj:
        found.add("javascript")
    if "/AA" in obj:
        found.add("auto")
    if "/EF" in obj or _name(obj, "/Type") == "/EmbeddedFile" or _name(obj, "/Subtype") == "/FileAttachment":
        found.add("embedded")
    if _name(obj, "/Subtype") in _MEDIA_ANNOTATIONS:
        found.add("media")
    if "/XFA" in obj:
        found.add("xfa")
    return found


def _findings(pdf: pikepdf.Pdf) -> list[str]:
    """The hostile kinds anywhere in the document, as _KINDS keys in their order."""
    found: set[str] = set()
    root = pdf.Root
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        if "/JavaScript" in names:
            found.add("javascript")
        if "/EmbeddedFiles" in names:
            found.add("embedded")
    opening = root.get("/OpenAction")
    if isinstance(opening, pikepdf.Dictionary) and _name(opening, "/S") not in ("", "/GoTo"):
        found.add("auto")  # opening at a page (a destination or /GoTo) is only a view setting
    for obj in _dictionaries(root):
        found |= _kinds_in(obj)
    return [kind for kind in _KINDS if kind in found]


def removed_note(kinds: list[str]) -> str:
    """The staff note for a sanitised scan: what was taken out."""
    ja = "、".join(_KINDS[k][0] for k in kinds)
    en = ", ".join(_KINDS[k][1] for k in kinds)
    return say(
        f"{ja}が含まれていたため、取り除いてから綴じました（見た目は変わりません）",
        f"it carried {en}; these were removed before it was bound (what the pages show is unchanged)",
    )


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _box(value: object, n: int, key: str, what_ja: str, what_en: str) -> list[float]:
    """A page box as [left, bottom, right, top], or Unfit."""
    numbers = [_number(v) for v in value] if isinstance(value, pikepdf.Array) and len(value) == 4 else []
    if len(numbers) == 4 and None not in numbers:
        x0, y0, x1, y1 = (v for v in numbers if v is not None)
        left, right, bottom, top = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
        if 1 <= right - left <= MAX_PAGE_SIZE and 1 <= top - bottom <= MAX_PAGE_SIZE:
            return [left, bottom, right, top]
    raise Unfit(say(f"{n}ページ目の{what_ja}（{key}）が正しくありません", f"page {n} has an invalid {what_en} ({key})"))


def _check_page(page: pikepdf.Object, n: int) -> None:
    """Refuse what the bundle cannot take; write back the box and rotation in their plain form."""
    media = _box(page.get("/MediaBox"), n, "/MediaBox", "大きさ", "size")
    page.MediaBox = pikepdf.Array(media)
    if "/CropBox" in page:
        crop = _box(page.CropBox, n, "/CropBox", "表示範囲", "visible area")
        inside = [max(crop[0], media[0]), max(crop[1], media[1]), min(crop[2], media[2]), min(crop[3], media[3])]
        if inside[2] - inside[0] < 1 or inside[3] - inside[1] < 1:
            raise Unfit(
                say(
                    f"{n}ページ目の表示範囲（/CropBox）がページの外にあります",
                    f"page {n} shows an area outside the page (/CropBox)",
                )
            )
        page.CropBox = pikepdf.Array(inside)
    rotate = _number(page.get("/Rotate", 0))
    if rotate is None or rotate % 90:
        raise Unfit(
            say(f"{n}ページ目の向き（/Rotate）が正しくありません", f"page {n} has an invalid rotation (/Rotate)")
        )
    if rotate % 360:
        page.Rotate = int(rotate) % 360
    elif "/Rotate" in page:
        del page["/Rotate"]
    contents = page.get("/Contents")
    parts = list(contents) if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []
    if not all(isinstance(part, pikepdf.Stream) for part in parts):
        raise Unfit(
            say(
                f"{n}ページ目の内容（/Contents）が正しい形式ではありません",
                f"page {n} has contents (/Contents) that are not streams",
            )
        )
    resources = page.get("/Resources")
    if resources is None:
        page.Resources = pikepdf.Dictionary()
    elif not isinstance(resources, pikepdf.Dictionary) or not all(
        isinstance(resources[key], pikepdf.Dictionary) for key in _RESOURCE_DICTS if key in resources
    ):
        raise Unfit(
            say(
                f"{n}ページ目のフォント・画像の一覧（/Resources）が正しい形式ではありません",
                f"page {n} has a font and image list (/Resources) in the wrong form",
            )
        )
    if "/Group" in page and not isinstance(page.Group, pikepdf.Dictionary):
        del page["/Group"]


def _scrub(pdf: pikepdf.Pdf) -> None:
    """Take every active key out of what the pages refer to, and empty any action or file specification."""
    for obj in list(_dictionaries(pdf.Root)):
        if _name(obj, "/S") in _ACTION_KINDS or _name(obj, "/Type") in ("/Action", "/Filespec"):
            for key in list(obj.keys()):
                if not (isinstance(obj, pikepdf.Stream) and key == "/Length"):
                    del obj[key]
            continue
        for key in _ACTIVE_KEYS & set(obj.keys()):
            del obj[key]
        if isinstance(obj, pikepdf.Stream) and "/F" in obj:  # stream data kept in another file
            for key in ("/F", "/FFilter", "/FDecodeParms"):
                if key in obj:
                    del obj[key]


def sanitise(src: pikepdf.Pdf) -> tuple[pikepdf.Pdf, list[str]]:
    """A new PDF with `src`'s pages as they look and nothing that acts, and the hostile kinds that were
    removed (keys of _KINDS; empty for an ordinary scan). Raises Unfit for a page the bundle cannot take."""
    kinds = _findings(src)
    if any("/Annots" in page.obj for page in src.pages):
        if "/AcroForm" in src.Root:
            src.generate_appearance_streams()  # a filled-in form keeps its values as they look
        src.flatten_annotations("all")
    clean = pikepdf.new()
    clean.pages.extend(src.pages)  # inherited size, rotation and resources come along on each page
    for n, page in enumerate(clean.pages, 1):
        for key in set(page.obj.keys()) - _PAGE_KEYS:
            del page.obj[key]
        _check_page(page.obj, n)
    _scrub(clean)
    return clean, kinds


__all__ = ["MAX_PAGE_SIZE", "Unfit", "removed_note", "sanitise"]
