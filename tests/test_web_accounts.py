"""The office's accounts database and the commands around the web app: versioned migrations (from an empty
database and from an older one, each applied once, none left half done), the append-only audit log, `docgen
users` (the password typed twice at the terminal, or from standard input), `docgen audit` (CSV and JSON), and
`docgen serve`'s rules for where it may listen (another address needs accounts and TLS or --trust-lan, logged)."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from typer.testing import CliRunner

from docgen.accounts.database import open_database
from docgen.accounts.migrations import LATEST, MIGRATIONS, applied_versions, migrate
from docgen.accounts.users import verify_password
from docgen.usecases.accounts import accounts_file
from docgen.usecases.audit import audit_log
from tests.conftest import NOW, free_port
from tests.test_web_auth import ADMIN, ADMIN_PASSWORD, FAMILY, Office, log_in, make_office


def docgen(*args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_SETTINGS"}
    return subprocess.run(
        [sys.executable, "-m", "docgen", *args], input=stdin, capture_output=True, text=True, cwd=cwd, env=env
    )


# ---------------------------------------------------------------- migrations


def tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_new_database_gets_every_migration_once(tmp_path: Path):
    db = tmp_path / "data" / "accounts.sqlite3"
    with open_database(db, NOW) as conn:
        assert applied_versions(conn) == [v for v, _, _ in MIGRATIONS] == list(range(1, LATEST + 1))
        assert {"users", "sessions", "login_attempts", "audit", "calendar_tokens", "schema_versions"} <= tables(conn)
        stamps = [r[0] for r in conn.execute("SELECT applied_at FROM schema_versions")]
        assert stamps == [NOW.isoformat()] * LATEST
    with open_database(db, NOW) as conn:  # opened again: nothing to apply
        assert migrate(conn, NOW) == []
    assert db.stat().st_mode & 0o777 == 0o600 and db.parent.stat().st_mode & 0o777 == 0o700


def test_an_older_database_is_brought_up_to_date_with_its_accounts_kept(tmp_path: Path):
    db = tmp_path / "accounts.sqlite3"
    old = sqlite3.connect(db, isolation_level=None)
    assert migrate(old, NOW, upto=1) == [1]  # the database as the first release left it
    old.execute(
        "INSERT INTO users (name, role, password_hash, created_at) VALUES ('old', 'staff', 'x', ?)", (NOW.isoformat(),)
    )
    old.execute("INSERT INTO audit (at, user_name, action) VALUES (?, 'old', 'login')", (NOW.isoformat(),))
    assert "calendar_tokens" not in tables(old)
    old.close()
    with open_database(db, NOW) as conn:
        assert applied_versions(conn) == [1, 2]
        assert conn.execute("SELECT name, lang FROM users").fetchall() == [("old", "ja")]  # the new column's default
        assert conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 1
        assert "calendar_tokens" in tables(conn)


def test_a_migration_that_fails_leaves_no_half_state(tmp_path: Path):
    conn = sqlite3.connect(tmp_path / "a.sqlite3", isolation_level=None)
    broken = [
        *MIGRATIONS,
        (LATEST + 1, "two tables, the second misspelt", "CREATE TABLE jobs (id INTEGER);\nCREATE TABLEX oops (id);"),
    ]
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, NOW, broken)
    assert applied_versions(conn) == list(range(1, LATEST + 1))  # the versions before it are kept
    assert "jobs" not in tables(conn)  # the failed one is not applied in part


def test_the_audit_log_cannot_be_changed_or_deleted(office: Office):
    with open_database(accounts_file(office.ctx), NOW) as conn:
        assert conn.execute("SELECT count(*) FROM audit").fetchone()[0] >= 2  # the two accounts added
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit SET user_name = 'someone else'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM audit")


@pytest.fixture
def office(tmp_path: Path) -> Office:
    return make_office(tmp_path / "office")


# ---------------------------------------------------------------- docgen users


def test_users_add_list_disable_passwd_from_standard_input(tmp_path: Path):
    root = tmp_path / "office"
    root.mkdir()
    (root / "docgen.toml").write_text('[paths]\ncases = "cases"\n', encoding="utf-8")
    added = docgen("users", "add", "sato", "--role", "admin", "--password-stdin", cwd=root, stdin="kagami-mochi-2026\n")
    assert added.returncode == 0, added.stderr
    assert "account added: sato (admin)" in added.stdout
    assert "kagami-mochi-2026" not in added.stdout + added.stderr
    docgen("users", "add", "suzuki", "--password-stdin", cwd=root, stdin="hatsu-hinode-2026\n")
    listed = docgen("users", "list", cwd=root).stdout.splitlines()
    assert [line.split("\t")[:4] for line in listed] == [
        ["sato", "admin", "ja", "active"],
        ["suzuki", "staff", "ja", "active"],
    ]
    assert docgen("users", "passwd", "suzuki", "--password-stdin", cwd=root, stdin="toshi-koshi-soba\n").returncode == 0
    assert docgen("users", "disable", "suzuki", cwd=root).returncode == 0
    assert docgen("users", "list", cwd=root).stdout.splitlines()[1].split("\t")[3] == "disabled"
    db = root / "docgen-data" / "accounts.sqlite3"
    with open_database(db, NOW) as conn:
        assert verify_password(conn, "sato", "kagami-mochi-2026") is not None
        assert verify_password(conn, "suzuki", "toshi-koshi-soba") is None  # disabled
        hashes = [r[0] for r in conn.execute("SELECT password_hash FROM users")]
        assert all(h.startswith("$argon2id$") for h in hashes)
        actions = [r[0] for r in conn.execute("SELECT action FROM audit ORDER BY id")]
        assert actions == ["user_add", "user_add", "user_passwd", "user_disable"]


def test_users_refuse_what_cannot_be_used(tmp_path: Path):
    root = tmp_path / "office"
    root.mkdir()
    (root / "docgen.toml").write_text("", encoding="utf-8")
    short = docgen("users", "add", "sato", "--password-stdin", cwd=root, stdin="short\n")
    assert short.returncode == 2 and "the password is too short: use at least 10 characters" in short.stderr
    bad = docgen("users", "add", "../sato", "--password-stdin", cwd=root, stdin="long-enough-pw\n")
    assert bad.returncode == 2 and "login name '../sato' cannot be used" in bad.stderr
    role = docgen("users", "add", "sato", "--role", "root", "--password-stdin", cwd=root, stdin="long-enough-pw\n")
    assert role.returncode == 2 and "role 'root' cannot be used: one of admin / staff" in role.stderr
    docgen("users", "add", "sato", "--password-stdin", cwd=root, stdin="long-enough-pw\n")
    again = docgen("users", "add", "sato", "--password-stdin", cwd=root, stdin="long-enough-pw\n")
    assert again.returncode == 2 and "the login name 'sato' already exists" in again.stderr
    nobody = docgen("users", "disable", "tanaka", cwd=root)
    assert nobody.returncode == 2 and "there is no login name 'tanaka'" in nobody.stderr
    for run in (short, bad, role, again, nobody):
        assert "Traceback" not in run.stderr


def test_users_add_asks_for_the_password_twice_at_the_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from docgen.cli.main import app

    root = tmp_path / "office"
    root.mkdir()
    (root / "docgen.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(root)
    typed = "omisoka-2026-12\nomisoka-2026-1X\nomisoka-2026-12\nomisoka-2026-12\n"  # a mistyped confirmation first
    result = CliRunner().invoke(app, ["users", "add", "kato"], input=typed)
    assert result.exit_code == 0, result.output
    assert "omisoka" not in result.output  # not echoed
    assert result.output.count("password (again)") == 2
    with open_database(root / "docgen-data" / "accounts.sqlite3", NOW) as conn:
        assert verify_password(conn, "kato", "omisoka-2026-12") is not None


# ---------------------------------------------------------------- docgen audit


def test_audit_exports_csv_and_json(office: Office):
    with office.app_client() as c:
        log_in(c)
        c.get(f"/cases/{FAMILY}")
        c.get(f"/cases/{FAMILY}/files/{FAMILY}-profile.yaml")
    (office.cases / FAMILY / "=cmd.txt").write_text("x", encoding="utf-8")
    with office.app_client() as c:
        log_in(c)
        c.get(f"/cases/{FAMILY}/files/=cmd.txt")
    rows = list(csv.reader(io.StringIO(docgen("audit", cwd=office.root).stdout)))
    assert rows[0] == ["id", "日時", "アカウント", "操作", "案件ID", "文書"]
    body = [r[1:] for r in rows[1:]]
    assert [NOW.isoformat(timespec="seconds"), ADMIN, "view_case", FAMILY, ""] in body
    assert [NOW.isoformat(timespec="seconds"), ADMIN, "download", FAMILY, f"{FAMILY}-profile.yaml"] in body
    assert [NOW.isoformat(timespec="seconds"), ADMIN, "download", FAMILY, "'=cmd.txt"] in body  # never a formula
    only = json.loads(docgen("audit", "--format", "json", "--case", FAMILY, cwd=office.root).stdout)
    assert {e["action"] for e in only} == {"view_case", "download"} and all(e["case_id"] == FAMILY for e in only)
    assert json.loads(docgen("audit", "--format", "json", "--since", "2099-01-01", cwd=office.root).stdout) == []
    out = docgen("audit", "--output", "audit.csv", cwd=office.root)
    assert out.returncode == 0 and "audit log: audit.csv" in out.stderr
    assert (office.root / "audit.csv").stat().st_mode & 0o777 == 0o600
    text = (office.root / "audit.csv").read_text(encoding="utf-8")
    for value in ("NGUYEN", "VAN AN", "ベトナム", ADMIN_PASSWORD):  # who and what, never a personal value
        assert value not in text
    assert docgen("audit", "--format", "xml", cwd=office.root).returncode == 2


# ---------------------------------------------------------------- docgen serve


@pytest.fixture
def serving() -> Iterator[list[subprocess.Popen]]:
    started: list[subprocess.Popen] = []
    yield started
    for proc in started:
        proc.terminate()
        proc.wait(timeout=10)


def start(serving: list[subprocess.Popen], root: Path, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_SETTINGS"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "docgen", "serve", *args],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    serving.append(proc)
    return proc


def wait_for(url: str, **options: object) -> httpx.Response:
    for _ in range(150):
        try:
            return httpx.get(url, timeout=2, **options)  # type: ignore[arg-type]
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered at {url}")


def test_serve_refuses_without_an_account(tmp_path: Path):
    root = tmp_path / "office"
    root.mkdir()
    (root / "docgen.toml").write_text("", encoding="utf-8")
    run = docgen("serve", cwd=root)
    assert run.returncode == 2
    assert (
        "there is no account to log in with: add an administrator account first"
        " (docgen users add NAME --role admin)" in run.stderr
    )


def test_serve_refuses_another_address_without_tls_or_trust(office: Office):
    run = docgen("serve", "--host", "0.0.0.0", cwd=office.root)
    assert run.returncode == 2
    assert "listening on 0.0.0.0 lets other computers connect: give a TLS certificate and key" in run.stderr
    assert run.stderr.rstrip().endswith("(--tls-cert and --tls-key, or --trust-lan)")
    half = docgen("serve", "--host", "0.0.0.0", "--tls-cert", "cert.pem", cwd=office.root)
    assert half.returncode == 2 and "give both --tls-cert and --tls-key" in half.stderr
    gone = docgen("serve", "--host", "0.0.0.0", "--tls-cert", "c.pem", "--tls-key", "k.pem", cwd=office.root)
    assert gone.returncode == 2 and "--tls-cert: file not found: c.pem" in gone.stderr
    assert not any(e.action == "serve_trust_lan" for e in audit_log(office.ctx))


def test_serve_on_this_computer(office: Office, serving: list[subprocess.Popen]):
    port = free_port()
    start(serving, office.root, "--port", str(port))
    page = wait_for(f"http://127.0.0.1:{port}/login")
    assert page.status_code == 200 and "Log in" in page.text  # the language docgen was started in (DOCGEN_LANG=en)
    assert "server" not in page.headers
    assert wait_for(f"http://127.0.0.1:{port}/", follow_redirects=False).status_code == 401


def test_serve_the_office_network_when_trusted_is_logged(office: Office, serving: list[subprocess.Popen]):
    port = free_port()
    proc = start(serving, office.root, "--host", "0.0.0.0", "--port", str(port), "--trust-lan")
    assert wait_for(f"http://127.0.0.1:{port}/login").status_code == 200
    entries = [e for e in audit_log(office.ctx) if e.action == "serve_trust_lan"]
    assert len(entries) == 1 and entries[0].document == "0.0.0.0"
    proc.terminate()
    assert "serving 0.0.0.0 without TLS" in proc.communicate(timeout=10)[1]


def test_serve_the_office_network_over_tls(office: Office, serving: list[subprocess.Popen]):
    cert, key = office.root / "cert.pem", office.root / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    port = free_port()
    start(
        serving, office.root, "--host", "0.0.0.0", "--port", str(port), "--tls-cert", str(cert), "--tls-key", str(key)
    )
    page = wait_for(f"https://127.0.0.1:{port}/login", verify=False)
    assert page.status_code == 200
    assert "Secure" in page.headers["set-cookie"]  # the login form's cookie, only sent back over TLS
    assert not any(e.action == "serve_trust_lan" for e in audit_log(office.ctx))


def test_two_processes_opening_a_new_database_at_once_apply_each_migration_once(tmp_path: Path):
    """The web app and a `docgen users` command started together: each migration is applied by one of them."""
    db = tmp_path / "data" / "accounts.sqlite3"
    code = (
        "import sys; from docgen.accounts.database import open_database; from tests.conftest import NOW\n"
        f"with open_database(__import__('pathlib').Path({str(db)!r}), NOW) as conn: pass\n"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code], cwd=Path(__file__).parent.parent, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    for run in runs:
        assert run.wait(timeout=60) == 0, run.stderr.read() if run.stderr else ""
    with open_database(db, NOW) as conn:
        assert [r[0] for r in conn.execute("SELECT version FROM schema_versions")] == list(range(1, LATEST + 1))
