"""Accounts in the browser: each staff member changes their own pages' language and password (the current one
first; then every session of theirs ends), and administrators add, disable and reset accounts — which a staff
account may not (403), whatever it sends. Every change is in the audit log."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from docgen.usecases.audit import audit_log
from tests.test_web_auth import ADMIN, ADMIN_PASSWORD, STAFF, STAFF_PASSWORD, Office, csrf_of, log_in, make_office


@pytest.fixture
def office(tmp_path: Path) -> Office:
    return make_office(tmp_path / "office")


def post(client: TestClient, path: str, **fields: str):
    return client.post(path, data={"csrf_token": csrf_of(client), **fields}, follow_redirects=False)


def test_a_staff_member_changes_the_language_of_their_pages(office: Office):
    with office.app_client() as c:
        log_in(c, STAFF, STAFF_PASSWORD)
        assert "My account" in c.get("/account").text
        assert post(c, "/account/language", lang="ja").status_code == 303
        assert '<html lang="ja">' in c.get("/").text and "案件一覧" in c.get("/").text
        refused = post(c, "/account/language", lang="fr")
        assert refused.status_code == 400 and "言語 &#39;fr&#39; は使えません" in refused.text
    assert (STAFF, "change", "lang") in [(e.user, e.action, e.document) for e in audit_log(office.ctx)]


def test_changing_ones_password_needs_the_current_one_and_ends_the_sessions(office: Office):
    new = "shin-nen-akemashite"
    with office.app_client() as other, office.app_client() as c:
        log_in(other, STAFF, STAFF_PASSWORD)
        log_in(c, STAFF, STAFF_PASSWORD)
        wrong = post(c, "/account/password", current="not-my-password", new=new, again=new)
        assert wrong.status_code == 400 and "the current password is wrong" in wrong.text
        differ = post(c, "/account/password", current=STAFF_PASSWORD, new=new, again=new + "x")
        assert differ.status_code == 400 and "the two passwords differ" in differ.text
        done = post(c, "/account/password", current=STAFF_PASSWORD, new=new, again=new)
        assert done.status_code == 303 and done.headers["location"] == "/login"
        assert other.get("/", follow_redirects=False).status_code == 401  # the other browser's session ended too
        assert log_in(c, STAFF, STAFF_PASSWORD).status_code == 401
        assert log_in(c, STAFF, new).status_code == 303


def test_an_administrator_manages_the_accounts(office: Office):
    with office.app_client() as admin:
        log_in(admin)
        listed = admin.get("/admin/users").text
        assert ADMIN in listed and STAFF in listed
        added = post(
            admin,
            "/admin/users",
            name="kato",
            role="staff",
            lang="ja",
            password="mochi-tsuki-2026",
            again="mochi-tsuki-2026",
        )
        assert added.status_code == 200 and "アカウントを追加しました: kato" in added.text  # the admin reads Japanese
        taken = post(
            admin,
            "/admin/users",
            name="kato",
            role="staff",
            lang="ja",
            password="mochi-tsuki-2026",
            again="mochi-tsuki-2026",
        )
        assert taken.status_code == 400 and "すでにあります" in taken.text
        with office.app_client() as kato:
            assert log_in(kato, "kato", "mochi-tsuki-2026").status_code == 303
            assert post(admin, "/admin/users/kato/password", password="kagami-biraki-26").status_code == 200
            assert kato.get("/", follow_redirects=False).status_code == 401
            assert log_in(kato, "kato", "kagami-biraki-26").status_code == 303
            assert post(admin, "/admin/users/kato/disable").status_code == 200
            assert kato.get("/", follow_redirects=False).status_code == 401
            assert log_in(kato, "kato", "kagami-biraki-26").status_code == 401
        own = post(admin, f"/admin/users/{ADMIN}/disable")
        assert own.status_code == 400 and "自分のアカウントは無効にできません" in own.text
    actions = [(e.user, e.action, e.document) for e in audit_log(office.ctx)]
    assert {(ADMIN, "user_add", "kato"), (ADMIN, "user_passwd", "kato"), (ADMIN, "user_disable", "kato")} <= set(
        actions
    )


def test_a_staff_account_cannot_manage_accounts(office: Office):
    with office.app_client() as c:
        log_in(c, STAFF, STAFF_PASSWORD)
        assert c.get("/admin/users").status_code == 403
        assert "/admin/users" not in c.get("/").text  # not offered in the menu either
        for path, fields in (
            (
                "/admin/users",
                {"name": "mallory", "role": "admin", "lang": "en", "password": "x" * 12, "again": "x" * 12},
            ),
            (f"/admin/users/{ADMIN}/disable", {}),
            (f"/admin/users/{ADMIN}/password", {"password": "taken-over-1234"}),
        ):
            assert post(c, path, **fields).status_code == 403, path
    with office.app_client() as admin:
        assert log_in(admin, ADMIN, ADMIN_PASSWORD).status_code == 303  # still the admin's password
        assert "mallory" not in admin.get("/admin/users").text


def test_account_pages_show_no_password(office: Office):
    with office.app_client() as admin:
        log_in(admin)
        page = admin.get("/admin/users").text
        assert ADMIN_PASSWORD not in page and STAFF_PASSWORD not in page and "argon2" not in page
        assert not re.search(r'type="password"[^>]*value="[^"]', page)
