"""The CSRF token of a form sent without JavaScript, read from the start of its body only.

Scripts send the token in a header; a plain form sends it as its `csrf_token` field. docgen's forms put that field
first and a browser sends fields in the order of the page, so a multipart upload is read only until the field is
whole — never past a file, never past FIRST_BYTES — and a forged token is refused before the upload (up to hundreds
of megabytes) is read. What was read is handed on in front of the rest of the body, which is never held here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.types import Message, Receive

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

FIRST_BYTES = 1 << 20  # of a multipart body: the fields before its first file, the token among them
MAX_URLENCODED = 16 << 20  # a form of text fields, read whole to find its token
FIELD = b"csrf_token"
MAX_TOKEN = 1024


class _TokenSeeker:
    """The fields of a multipart body as it streams in, until the token's field is whole or a file begins."""

    def __init__(self, boundary: str) -> None:
        self.token: str | None = None
        self.looking = True
        self._name, self._value = b"", bytearray()
        self._header, self._header_value = bytearray(), bytearray()  # a header comes in pieces as the body does
        self._disposition = b""
        callbacks: MultipartCallbacks = {
            "on_part_begin": self._begin,
            "on_header_field": self._header_name,
            "on_header_value": self._header_text,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._data,
            "on_part_end": self._end,
        }
        self._parser = MultipartParser(boundary, callbacks)

    def feed(self, chunk: bytes) -> None:
        try:
            self._parser.write(chunk)
        except Exception:  # a malformed body carries no token
            self.looking = False

    def _begin(self) -> None:
        self._name, self._disposition = b"", b""
        self._value.clear()

    def _header_name(self, data: bytes, start: int, end: int) -> None:
        self._header += data[start:end]

    def _header_text(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        if bytes(self._header).strip().lower() == b"content-disposition":
            self._disposition = bytes(self._header_value)
        self._header.clear()
        self._header_value.clear()

    def _headers_finished(self) -> None:
        _, params = parse_options_header(self._disposition)
        if b"filename" in params:
            self.looking = False  # a file before the token: refused, nothing more is read
        self._name = params.get(b"name", b"")

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self._name == FIELD and len(self._value) <= MAX_TOKEN:
            self._value += data[start:end]

    def _end(self) -> None:
        if self._name == FIELD and self.looking:
            self.token = self._value.decode("utf-8", "replace")
            self.looking = False


async def multipart_token(receive: Receive, boundary: str) -> tuple[Receive, str | None]:
    """The token of a multipart form and the receive channel to hand on (what was read, then the rest)."""
    seeker = _TokenSeeker(boundary)
    read, more = bytearray(), True
    while more and seeker.looking and len(read) <= FIRST_BYTES:
        message = await receive()
        if message["type"] == "http.disconnect":
            return receive, None
        chunk = message.get("body", b"")
        read += chunk
        more = message.get("more_body", False)
        seeker.feed(chunk)
    return replay(bytes(read), more, receive), seeker.token


async def whole_body(receive: Receive) -> tuple[Receive, bytes | None]:
    """An urlencoded form's body, read whole (None past MAX_URLENCODED or when the client went away), and the
    receive channel to hand on."""
    body, more = bytearray(), True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return receive, None
        body += message.get("body", b"")
        more = message.get("more_body", False)
        if len(body) > MAX_URLENCODED:
            return receive, None
    return replay(bytes(body), False, receive), bytes(body)


def replay(read: bytes, more: bool, receive: Receive) -> Receive:
    """A receive channel giving what was read first, then what the client still sends."""
    given = False

    async def receive_again() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": read, "more_body": more}

    return receive_again
