"""The web app (`docgen serve`), made by `create_app(ctx)`: no module-level state, so tests and the server each
make their own.

How the app is put together:
- Pages are found, not listed: every module of docgen/web/pages/ that has `ROUTES` (a list of Starlette routes)
  is included. A new page group is a new module there; nothing else changes.
- One guard (docgen.web.security.Guard) wraps every route: a request needs a logged-in staff member's session
  (except the public routes named in PUBLIC: the login page, static files, the token-protected calendar), and a
  state-changing request (POST, PUT, PATCH, DELETE) needs the session's CSRF token. It also sets the security
  headers (CSP default-src 'self', X-Frame-Options DENY, no-store on every page).

How a page module is written (docgen/web/pages/<group>.py):

    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from docgen.usecases.board import case_board
    from docgen.web.render import page

    def board(request: Request) -> Response:        # a plain def: run in a worker thread (use cases block)
        ctx = request.state.ctx                     # RunContext of this request: time, staff language, user
        user = request.state.user                   # docgen.accounts.User (name, role, lang); .admin
        return page(request, "board.html", {"board": case_board(ctx)})

    ROUTES = [Route("/", board, name="board")]

- Call use cases only (docgen/usecases), never a stage: no rule, decision, default or file name in a page
  (tests/test_faces_are_thin.py). Staff text stays `Text` until the template renders it (`{{ text(value) }}`).
- Templates live in docgen/web/templates/ and extend base.html; every <form method="post"> carries
  `<input type="hidden" name="csrf_token" value="{{ csrf }}">`; fetch() sends the header X-CSRF-Token (base.html
  puts the token in <meta name="csrf-token">; static/app.js has `docgenFetch`).
- A case is reached only through the use cases of docgen.usecases.case_page (`case_root(ctx, case_id)`,
  `case_file(ctx, case_id, relative)`): an id or path that leaves the cases folder, or a symlink out of it,
  raises NotInCases, which a page turns into `HTTPException(404)`.
- The case page (pages/case.py) includes every template in templates/case_panels/ (by name) after the packet's
  documents, with the page's values (`case`: docgen.usecases.case_page.CasePage, `row`, `csrf`, `t`, `text`,
  `day`, `user`): a page group adds its section there (an upload zone, a build button) without editing
  case.html. A panel's script is a file in static/ (the CSP allows no inline script).
- Audit what staff see and do with `docgen.usecases.audit.record_action(ctx, "view_case", case_id, name)`.
- Raise DocgenError for what staff must fix: the error page shows its message in their language (status 400);
  `HTTPException(404)` for what does not exist.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from pathlib import Path

from anyio import to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

import docgen.web.pages
from docgen.errors import DocgenError
from docgen.usecases.accounts import IDLE
from docgen.usecases.context import RunContext
from docgen.web.render import make_templates, page
from docgen.web.security import Guard, WebConfig

STATIC = Path(__file__).parent / "static"
PUBLIC = ("login", "login_submit", "static", "calendar_feed")  # the routes reachable without a session


def page_routes() -> list[BaseRoute]:
    """Every `ROUTES` of the modules in docgen/web/pages/, module by module in name order."""
    routes: list[BaseRoute] = []
    for info in sorted(pkgutil.iter_modules(docgen.web.pages.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"docgen.web.pages.{info.name}")
        routes += getattr(module, "ROUTES", [])
    return routes


def create_app(
    ctx: RunContext,
    *,
    clock: Callable[[], datetime],
    secure: bool = False,
    idle: timedelta = IDLE,
) -> Starlette:
    """The web app over the office of `ctx` (its settings and rules, read once): `clock` gives the time of each
    request (the face that starts the app reads the clock, as the command line does), `secure` when served over
    TLS (cookies marked Secure), `idle` the session timeout."""
    config = WebConfig(ctx, clock, idle, secure)
    routes = [*page_routes(), Mount("/static", StaticFiles(directory=STATIC), name="static")]
    names = [getattr(route, "name", None) for route in routes]
    public = [route for route, name in zip(routes, names, strict=True) if name in PUBLIC]
    app = Starlette(
        lifespan=_lifespan,
        routes=routes,
        middleware=[Middleware(Guard, config=config, public=public)],
        exception_handlers={DocgenError: _staff_error, HTTPException: _http_error},
    )
    app.state.config = config
    app.state.templates = make_templates()
    return app


@contextlib.asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    """When the server stops: the packet jobs' workers finish the builds they are running, then end."""
    yield
    jobs = getattr(app.state, "packet_jobs", None)
    if jobs is not None:
        await to_thread.run_sync(jobs.stop)


async def _staff_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DocgenError)
    return page(request, "error.html", {"status": 400, "message": exc.text}, status_code=400)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return page(request, "error.html", {"status": exc.status_code, "message": None}, status_code=exc.status_code)


__all__ = ["PUBLIC", "create_app", "page_routes"]
