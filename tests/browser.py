"""What the browser tests share: Debian's Chromium driven by Playwright (it cannot download its own browser here),
the app served by uvicorn on a free port, and where screenshots go.

A module defines an `office` fixture; tests/conftest.py's `server` fixture serves it with `serve` and its `page`
fixture gives the module one window."""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.test_web_auth import Office

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEW = {"width": 1366, "height": 768}
# The browser tests always take their screenshots; they land in the staff guide's images only when asked
# (tools/screenshots.sh sets DOCGEN_SCREENSHOTS=docs/images), so a test run leaves the checkout as it found it.
IMAGES = Path(os.environ.get("DOCGEN_SCREENSHOTS") or tempfile.mkdtemp(prefix="docgen-screenshots-"))
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")


@contextmanager
def serve(office: Office) -> Iterator[str]:
    """The office's web app served by uvicorn on a free port of this machine, in a thread: its address."""
    import uvicorn

    from docgen.web.app import create_app

    app = create_app(office.ctx, clock=office.clock)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=free_port(), log_level="warning", access_log=False, lifespan="off"
    )
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not served.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert served.started
    yield f"http://127.0.0.1:{config.port}"
    jobs = getattr(app.state, "packet_jobs", None)
    if jobs is not None:
        jobs.stop()
    served.should_exit = True
    thread.join(30)


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium, headless."""
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


@contextmanager
def window(browser) -> Iterator[object]:
    """A new window (its own cookies) at the staff guide's size, in Japanese, keeping downloads."""
    context = browser.new_context(viewport=VIEW, locale="ja-JP", accept_downloads=True)
    yield context.new_page()
    context.close()
