"""The web app's guard, through HTTP: every route needs a logged-in staff member (found by walking the app's
router, so a page added later without the guard fails here), every state-changing request needs the session's
CSRF token, logins are rate limited, sessions end when idle, and every response carries the security headers.

Also the office every web test uses: a docgen.toml, a cases folder with an example case, an admin account."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import anyio
import pytest
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from docgen.usecases.accounts import IDLE, add_account
from docgen.usecases.audit import audit_log
from docgen.usecases.context import RunContext
from docgen.web.app import PUBLIC, create_app
from docgen.web.form_token import multipart_token
from tests.conftest import EXAMPLES, NOW

ADMIN, ADMIN_PASSWORD = "hanako", "sakura-no-hana-2026"
STAFF, STAFF_PASSWORD = "taro", "fuji-san-no-ue-de"
FAMILY = "2026-101-family"


@dataclass
class Clock:
    """The time the app reads for each request; a test moves it forward."""

    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Office:
    root: Path
    ctx: RunContext
    clock: Clock = field(default_factory=Clock)

    @property
    def cases(self) -> Path:
        return self.root / "cases"

    def app_client(self, secure: bool = False) -> TestClient:
        """A browser of this office's web app (over TLS when `secure`: its cookies are then Secure)."""
        app = create_app(self.ctx, clock=self.clock, secure=secure)
        return TestClient(app, base_url="https://127.0.0.1" if secure else "http://127.0.0.1")


def add_example_case(cases: Path, example: str, case_id: str, text: str | None = None) -> Path:
    """cases/<id>/<id>-profile.yaml from an example profile with its case id."""
    body = text if text is not None else (EXAMPLES / example).read_text(encoding="utf-8")
    body = re.sub(r"^case_id: .*$", f"case_id: {case_id}", body, flags=re.M)
    profile = cases / case_id / f"{case_id}-profile.yaml"
    profile.parent.mkdir(parents=True, exist_ok=True)
    profile.write_text(body, encoding="utf-8")
    return profile


def make_office(root: Path) -> Office:
    """An office folder: docgen.toml, cases/ with the family example, an admin and a staff account."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "docgen.toml").write_text('[paths]\ncases = "cases"\noutput = "output"\n', encoding="utf-8")
    add_example_case(root / "cases", "gijinkoku-family.yaml", FAMILY)
    ctx = RunContext.load(now=NOW, near=root / "cases", lang="ja", user="setup")
    assert ctx.settings.source == root / "docgen.toml"
    add_account(ctx, ADMIN, ADMIN_PASSWORD, "admin")
    add_account(ctx, STAFF, STAFF_PASSWORD, "staff", "en")
    return Office(root, ctx)


@pytest.fixture
def office(tmp_path: Path) -> Office:
    return make_office(tmp_path / "office")


def login_token(client: TestClient) -> str:
    page = client.get("/login")
    assert page.status_code == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]


def log_in(client: TestClient, name: str = ADMIN, password: str = ADMIN_PASSWORD, follow: bool = False):
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": login_token(client), "next": "/"},
        follow_redirects=follow,
    )


def csrf_of(client: TestClient) -> str:
    """The session's CSRF token, as a page gives it to forms and scripts."""
    page = client.get("/")
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]


@pytest.fixture
def client(office: Office) -> Iterator[TestClient]:
    """A browser logged in as the admin."""
    with office.app_client() as c:
        assert log_in(c).status_code == 303
        yield c


def every_route(app) -> list[tuple[str, str, str]]:
    """(name, method, an example path) of every route of the app, found by walking its router."""
    found = []
    for route in app.routes:
        if isinstance(route, Mount):
            found.append((route.name, "GET", route.path + "/style.css"))
            continue
        assert isinstance(route, Route), route
        path = re.sub(r"\{[^}:]+(:path)?\}", "x", route.path)
        for method in sorted(route.methods or {"GET"}):
            if method != "HEAD":
                found.append((route.name, method, path))
    return found


def test_every_route_needs_a_logged_in_staff_member(office: Office):
    app = create_app(office.ctx, clock=office.clock)
    routes = every_route(app)
    assert {"board", "case", "case_file", "logout", "login", "calendar_feed"} <= {name for name, _, _ in routes}
    with TestClient(app) as anonymous:
        for name, method, path in routes:
            if name in PUBLIC:
                continue
            page = anonymous.request(method, path, headers={"accept": "text/html"}, follow_redirects=False)
            assert page.status_code in (303, 401), (name, method, path, page.status_code)
            if page.status_code == 303:
                assert page.headers["location"].startswith("/login?next="), name
    # the public ones: the login page, static files, and the calendar (whose address holds its own token)
    assert set(PUBLIC) == {"login", "login_submit", "static", "calendar_feed"}
    with TestClient(app) as anonymous:
        assert anonymous.get("/calendar/not-a-token.ics").status_code == 404
        assert anonymous.get("/static/style.css").status_code == 200


def test_a_page_added_later_is_guarded_without_doing_anything(office: Office, monkeypatch: pytest.MonkeyPatch):
    """A new module in docgen/web/pages/ with ROUTES is found by the app and guarded by it."""
    import types

    from starlette.responses import PlainTextResponse

    import docgen.web.app as web_app

    later = types.ModuleType("later")
    later.ROUTES = [Route("/later", lambda request: PlainTextResponse("secret"), name="later")]  # type: ignore[attr-defined]
    found = web_app.page_routes()
    monkeypatch.setattr(web_app, "page_routes", lambda: [*found, *later.ROUTES])
    app = create_app(office.ctx, clock=office.clock)
    with TestClient(app) as anonymous:
        assert anonymous.get("/later").status_code == 401
    with TestClient(app) as staff:
        log_in(staff)
        assert staff.get("/later").text == "secret"


def test_page_modules_are_found_not_listed():
    from docgen.web.app import page_routes

    names = {getattr(r, "name", "") for r in page_routes()}
    assert {"login", "login_submit", "logout", "board", "case", "case_file"} <= names


def test_every_state_changing_request_needs_the_csrf_token(client: TestClient, office: Office):
    app = client.app
    token = csrf_of(client)
    posts = [(name, method, path) for name, method, path in every_route(app) if method not in ("GET", "HEAD")]
    assert {"logout", "login_submit", "new_calendar"} <= {name for name, _, _ in posts}
    for name, method, path in posts:
        without = client.request(method, path, data={"csrf_token": "forged"}, follow_redirects=False)
        assert without.status_code == 403, (name, path)
        header_forged = client.request(method, path, headers={"X-CSRF-Token": "forged"}, follow_redirects=False)
        assert header_forged.status_code == 403, (name, path)
    # the same requests with the token are served (the calendar address is made; logging out works)
    made = client.post("/calendar/new", headers={"X-CSRF-Token": token})
    assert made.status_code == 200 and "/calendar/" in made.text
    out = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 401  # the session is gone


def test_a_plain_upload_with_a_forged_token_is_refused_having_read_only_its_start(client: TestClient):
    """A form sent without JavaScript carries its token before its file: a forged one is refused as soon as it is
    read, so the guard never reads, let alone holds, the 300 MB that follow."""
    boundary = "docgen-test"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\nforged\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    chunks = [head] + [b"%" * (1 << 20)] * 300
    read, answered = 0, []

    async def receive() -> dict:
        nonlocal read
        if read == len(chunks):
            return {"type": "http.disconnect"}
        read += 1
        return {"type": "http.request", "body": chunks[read - 1], "more_body": read < len(chunks)}

    async def send(message: dict) -> None:
        answered.append(message)

    cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": f"/cases/{FAMILY}/evidence",
        "raw_path": f"/cases/{FAMILY}/evidence".encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", f"multipart/form-data; boundary={boundary}".encode()),
            (b"cookie", cookies.encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    anyio.run(client.app, scope, receive, send)
    assert answered[0]["type"] == "http.response.start" and answered[0]["status"] == 403
    assert read == 1  # the first chunk only: the token, then the file's first line


def test_a_plain_forms_token_is_found_whatever_pieces_its_body_arrives_in():
    """A server hands a body on in pieces of any size, down to a byte: the token is read all the same, and what
    was read goes on in front of the rest."""
    boundary = "docgen-test"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\nabc123\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\n\r\nDATA\r\n'
        f"--{boundary}--\r\n"
    ).encode()
    for size in (1, 2, 7, len(body)):
        pieces = [body[i : i + size] for i in range(0, len(body), size)]

        async def read_all(pieces: list[bytes]) -> tuple[str | None, bytes]:
            sent = iter(pieces)

            async def receive() -> dict:
                piece = next(sent, b"")
                return {"type": "http.request", "body": piece, "more_body": bool(piece)}

            again, token = await multipart_token(receive, boundary)
            got = b""
            while True:
                message = await again()
                got += message["body"]
                if not message["more_body"]:
                    return token, got

        assert anyio.run(read_all, pieces) == ("abc123", body), size


def test_the_login_form_token_must_match_its_cookie(office: Office):
    with office.app_client() as c:
        c.get("/login")
        forged = c.post("/login", data={"name": ADMIN, "password": ADMIN_PASSWORD, "csrf_token": "x"})
        assert forged.status_code == 403
    with office.app_client() as c:  # a token from the page but no cookie (another site's form)
        token = login_token(c)
        c.cookies.clear()
        forged = c.post("/login", data={"name": ADMIN, "password": ADMIN_PASSWORD, "csrf_token": token})
        assert forged.status_code == 403


def test_logging_in_sets_a_server_side_session_cookie(office: Office):
    with office.app_client() as c:
        wrong = log_in(c, password="not the password")
        assert wrong.status_code == 401
        assert "Wrong login name or password".lower() in wrong.text.lower() or "パスワードが違います" in wrong.text
        ok = log_in(c)
        assert ok.status_code == 303 and ok.headers["location"] == "/"
        cookie = ok.headers["set-cookie"]
        assert "docgen_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert "Secure" not in cookie
        assert c.get("/").status_code == 200
    with office.app_client(secure=True) as c:
        assert "Secure" in log_in(c).headers["set-cookie"]


def test_the_page_after_login_stays_in_this_app(office: Office):
    with office.app_client() as c:
        page = c.post(
            "/login",
            data={"name": ADMIN, "password": ADMIN_PASSWORD, "csrf_token": login_token(c), "next": "//evil.example/"},
            follow_redirects=False,
        )
        assert page.headers["location"] == "/"


def test_repeated_failed_logins_are_refused_for_a_while(office: Office):
    with office.app_client() as c:
        for _ in range(5):
            assert log_in(c, password="guess-guess-guess").status_code == 401
        locked = log_in(c)  # the right password, but the name is locked out
        assert locked.status_code == 401
        assert "too many failed logins" in locked.text or "ログインの失敗が続いた" in locked.text
        office.clock.advance(minutes=16)
        assert log_in(c).status_code == 303
    entries = [(e.user, e.action) for e in audit_log(office.ctx)]
    assert entries.count((ADMIN, "login_failed")) == 6
    assert (ADMIN, "login") in entries


def test_a_session_left_idle_ends(office: Office):
    with office.app_client() as c:
        log_in(c)
        office.clock.advance(minutes=IDLE.total_seconds() / 60 - 1)
        assert c.get("/").status_code == 200  # used: the idle time starts again
        office.clock.advance(minutes=IDLE.total_seconds() / 60 - 1)
        assert c.get("/").status_code == 200
        office.clock.advance(minutes=IDLE.total_seconds() / 60 + 1)
        gone = c.get("/", headers={"accept": "text/html"}, follow_redirects=False)
        assert gone.status_code == 303 and gone.headers["location"] == "/login?next=%2F"


def test_a_disabled_account_loses_its_session(office: Office, client: TestClient):
    from docgen.usecases.accounts import disable_account

    assert client.get("/").status_code == 200
    disable_account(office.ctx, ADMIN)
    assert client.get("/", follow_redirects=False).status_code == 401
    assert log_in(client).status_code == 401


def test_every_response_carries_the_security_headers(client: TestClient):
    for path in ("/", "/login", f"/cases/{FAMILY}", "/static/style.css", "/cases/nope"):
        page = client.get(path)
        assert page.headers["content-security-policy"].startswith("default-src 'self'"), path
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["x-content-type-options"] == "nosniff"
    assert client.get(f"/cases/{FAMILY}").headers["cache-control"] == "no-store"
    assert client.get("/").headers["cache-control"] == "no-store"


def test_pages_load_nothing_from_outside(client: TestClient):
    for path in ("/", f"/cases/{FAMILY}"):
        html = client.get(path).text
        assert not re.search(r'(src="|<link[^>]*href=")(https?:)?//', html), path


def test_the_staff_members_language_is_the_pages(office: Office):
    with office.app_client() as c:
        log_in(c, STAFF, STAFF_PASSWORD)
        board = c.get("/")
        assert '<html lang="en">' in board.text and "Cases" in board.text
    with office.app_client() as c:
        log_in(c)
        assert '<html lang="ja">' in c.get("/").text and "案件一覧" in c.get("/").text


def test_the_office_database_is_owner_only(office: Office, client: TestClient):
    from docgen.usecases.accounts import accounts_file

    db = accounts_file(office.ctx)
    assert db == office.root / "docgen-data" / "accounts.sqlite3"
    assert db.stat().st_mode & 0o777 == 0o600
    assert db.parent.stat().st_mode & 0o777 == 0o700
    for stored in db.parent.iterdir():
        assert ADMIN_PASSWORD.encode() not in stored.read_bytes()


def test_the_office_can_be_copied_elsewhere(tmp_path: Path):
    """Everything is relative to the office's docgen.toml: a copied office serves its own accounts."""
    first = make_office(tmp_path / "a")
    shutil.copytree(first.root, tmp_path / "b")
    ctx = RunContext.load(now=NOW, near=tmp_path / "b" / "cases")
    with TestClient(create_app(ctx, clock=first.clock)) as c:
        assert log_in(c).status_code == 303


def test_a_password_typed_as_the_login_name_is_never_written_down(office: Office):
    from docgen.usecases.accounts import accounts_file

    with office.app_client() as c:
        assert log_in(c, name=ADMIN_PASSWORD, password="whatever-whatever").status_code == 401
    assert (("", "login_failed")) in [(e.user, e.action) for e in audit_log(office.ctx)]
    for stored in accounts_file(office.ctx).parent.iterdir():  # the database and any journal beside it
        assert ADMIN_PASSWORD.encode() not in stored.read_bytes()


def test_a_fault_in_a_page_is_a_short_page_and_a_private_log(office: Office, monkeypatch: pytest.MonkeyPatch):
    """A bug (with a personal value in its message) gives the staff member its kind and where the log is; the log
    is owner-only and holds neither the message nor the value; nothing reaches the server's console."""
    import docgen.web.app as web_app

    secret = "EA1234567"

    def broken(request):
        raise RuntimeError(f"passport {secret} broke something")

    found = web_app.page_routes()
    monkeypatch.setattr(web_app, "page_routes", lambda: [*found, Route("/broken", broken, name="broken")])
    with TestClient(create_app(office.ctx, clock=office.clock), raise_server_exceptions=True) as c:
        log_in(c)
        page = c.get("/broken")
    assert page.status_code == 500
    assert secret not in page.text and "Traceback" not in page.text
    assert "予期しないエラーが発生しました (RuntimeError)" in page.text and "個人情報は含みません" in page.text
    logs = list((office.root / "output").glob("docgen-error-*.log"))
    assert len(logs) == 1 and logs[0].stat().st_mode & 0o777 == 0o600
    text = logs[0].read_text(encoding="utf-8")
    assert "docgen serve GET /broken" in text and "RuntimeError" in text and secret not in text


def test_no_template_relies_on_what_the_content_security_policy_blocks():
    """default-src 'self': no inline style, inline script or event handler attribute in any page's template."""
    from docgen.web.render import TEMPLATES

    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) >= 8
    for template in templates:
        html = template.read_text(encoding="utf-8")
        assert not re.search(r"\sstyle=|<style|\son[a-z]+=|<script(?![^>]*\bsrc=)", html), template.name


def test_a_websocket_added_later_needs_a_session_too(office: Office, monkeypatch: pytest.MonkeyPatch):
    from starlette.routing import WebSocketRoute
    from starlette.testclient import WebSocketDenialResponse
    from starlette.websockets import WebSocket, WebSocketDisconnect

    import docgen.web.app as web_app

    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text(f"hello {websocket.state.user.name}")
        await websocket.close()

    found = web_app.page_routes()
    monkeypatch.setattr(web_app, "page_routes", lambda: [*found, WebSocketRoute("/ws", echo, name="ws")])
    app = create_app(office.ctx, clock=office.clock)
    refused = pytest.raises((WebSocketDisconnect, WebSocketDenialResponse))
    with TestClient(app) as anonymous, refused, anonymous.websocket_connect("/ws") as ws:
        ws.receive_text()
    with TestClient(app) as staff:
        log_in(staff)
        with staff.websocket_connect("/ws") as ws:
            assert ws.receive_text() == f"hello {ADMIN}"
