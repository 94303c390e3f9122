"""What a browser sends for a form of a page: its text boxes, chosen options, text areas and ticked boxes (an
unticked box sends nothing), read from the page's HTML."""

from __future__ import annotations

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, action: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.fields = action, action is None, {}
        self.select: str | None = None
        self.first: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = self.action is None or a.get("action", "").endswith(self.action)
        if not self.inside:
            return
        if tag == "input" and "name" in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields[a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self.select, self.first = a.get("name"), None
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            if self.first is None:
                self.first = value
                self.fields.setdefault(self.select, value)
            if "selected" in a:
                self.fields[self.select] = value
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.fields[self.textarea or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.inside and self.action is not None:
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.fields[self.textarea] += data.removeprefix("\n") if not self.fields[self.textarea] else data


def form_fields(html: str, action: str | None = None) -> dict[str, str]:
    """The fields a browser sends for the form whose action ends with `action` (else every form on the page)."""
    parser = _Form(action)
    parser.feed(html)
    return parser.fields
