"""Benchmark: the web app's case board (GET /) over an office of 200 case folders, as a logged-in staff member
sees it — through the app in this process, and over HTTP from a running `docgen serve`. Target: under 1 s.

Run: .venv/bin/python bench/web_board.py [--repeat N] [--cases N]
Prints a table and writes bench/results/web_board.json. The office is made as bench/board.py makes it (the
examples in turn, every 4th case with a real packet's manifest), with a docgen.toml and one account.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import httpx2 as httpx  # noqa: E402
from board import EXAMPLES, make_office  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402
from timing import report, timed  # noqa: E402

from docgen.case import build_case  # noqa: E402
from docgen.packet.build import build_packet  # noqa: E402
from docgen.usecases.accounts import add_account  # noqa: E402
from docgen.usecases.context import RunContext  # noqa: E402
from docgen.web.app import create_app  # noqa: E402

NAME, PASSWORD = "bench", "bench-password-2026"


def log_in(client: httpx.Client | TestClient) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
    reply = client.post("/login", data={"name": NAME, "password": PASSWORD, "csrf_token": token})
    assert reply.status_code in (200, 303), reply.status_code


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cases", type=int, default=200)
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        office = Path(tmp) / "office"
        office.mkdir()
        (office / "docgen.toml").write_text('[paths]\ncases = "cases"\noutput = "output"\n', encoding="utf-8")
        ctx = RunContext.load(now=datetime.now().astimezone(), near=office, user="bench")
        packet = build_packet(
            build_case(EXAMPLES[0], ctx.settings, ctx.rules, now=ctx.now), out=office / "p", pdf=False
        )
        make_office(ctx.settings.cases_dir, args.cases, packet.folder)
        add_account(ctx, NAME, PASSWORD, "staff")
        n = args.cases

        with TestClient(create_app(ctx, clock=lambda: datetime.now().astimezone())) as client:
            log_in(client)
            assert client.get("/").text.count('<td><a href="') == n
            results[f"GET / in process, {n} cases"] = timed(lambda: client.get("/"), args.repeat)
            results[f"GET /?category=gijinkoku in process, {n} cases"] = timed(
                lambda: client.get("/", params={"category": "gijinkoku"}), args.repeat
            )
            family = next(p.name for p in sorted(ctx.settings.cases_dir.iterdir()) if (p / f"{p.name}-packet").is_dir())
            assert client.get(f"/cases/{family}").status_code == 200
            results["GET /cases/<id> in process (a case with a packet)"] = timed(
                lambda: client.get(f"/cases/{family}"), args.repeat
            )

        port = free_port()
        env = {k: v for k, v in os.environ.items() if k != "DOCGEN_SETTINGS"}
        server = subprocess.Popen(
            [sys.executable, "-m", "docgen", "serve", "--port", str(port)],
            cwd=office,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    httpx.get(base + "/login", timeout=2)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            with httpx.Client(base_url=base, timeout=30) as http:
                log_in(http)
                first = time.perf_counter()
                page = http.get("/")
                results[f"GET / over HTTP, {n} cases, first request"] = {
                    "median_s": time.perf_counter() - first,
                    "min_s": time.perf_counter() - first,
                    "runs": 1,
                }
                assert page.status_code == 200 and page.text.count('<td><a href="') == n
                results[f"GET / over HTTP (docgen serve), {n} cases"] = timed(lambda: http.get("/"), args.repeat)
        finally:
            server.terminate()
            server.wait(timeout=10)
    report(results, f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs", "web_board")


if __name__ == "__main__":
    main()
