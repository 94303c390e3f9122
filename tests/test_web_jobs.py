"""パケット作成 in the browser, through HTTP: the build runs as a background job on the office's huey queue
(SqliteHuey in its data folder, a worker thread of the app), its progress comes as server-sent events (and as
JSON for polling, also after a reload), a second build of the same case is refused while one is running, the
filing copy's checks refuse with their reasons and the acceptance is recorded with its reason, and the
packet's files download under Japanese names (RFC 5987 filename*). Word-only builds: the PDF path is the
end-to-end test's (tests/test_web_e2e.py)."""

from __future__ import annotations

import json
import re
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient

from docgen.usecases.audit import audit_log
from docgen.usecases.packet_jobs import BuildOptions, jobs_file
from docgen.web.jobs import INTERRUPTED, RUNNING, jobs_of
from tests.test_web_auth import FAMILY, Office, csrf_of, log_in, make_office


@pytest.fixture
def office(tmp_path: Path) -> Office:
    return make_office(tmp_path / "office")


@pytest.fixture
def client(office: Office) -> Iterator[TestClient]:
    with office.app_client() as c:
        log_in(c)
        yield c
        jobs = getattr(c.app.state, "packet_jobs", None)  # type: ignore[attr-defined]
        if jobs is not None:
            jobs.stop()


def start_build(
    client: TestClient, mode: str = "normal", reason: str = "", follow: bool = False, word_only: bool = True
):
    """パケット作成 pressed (Word files only unless `word_only` is False)."""
    data = {"mode": mode, "csrf_token": csrf_of(client)}
    if word_only:
        data["word_only"] = "1"
    if reason:
        data["reason"] = reason
    return client.post(f"/cases/{FAMILY}/packet/build", data=data, follow_redirects=follow)


def events(client: TestClient, job_page: str) -> list[dict]:
    """Every server-sent event of a job until it ends."""
    found = []
    with client.stream("GET", f"{job_page}/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if line.startswith("data: "):
                found.append(json.loads(line[len("data: ") :]))
    return found


def wait_until_ended(client: TestClient, job_page: str, seconds: float = 120) -> dict:
    """Polling the job's JSON, as the page's script does where events do not get through."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = client.get(f"{job_page}.json").json()
        if body["ended"]:
            return body
        time.sleep(0.3)
    raise AssertionError("the build did not end")


def test_a_build_runs_in_the_background_and_its_progress_comes_live(client: TestClient, office: Office):
    started = start_build(client)
    assert started.status_code == 303
    job_page = started.headers["location"]
    assert re.fullmatch(rf"http://127\.0\.0\.1/cases/{FAMILY}/jobs/[\w-]+", job_page)
    seen = events(client, job_page)
    assert seen[-1]["state"] == "done" and seen[-1]["ended"]
    stages = [s["label"] for s in seen[-1]["stages"]]
    assert stages == [
        "要件の確認と書類一覧",
        "Wordテンプレートへの記入",
        "依頼者の資料の取り込み",
        "報告書と記録の作成",
    ]
    assert len(seen) >= 2 and all(not e["ended"] for e in seen[:-1])  # it was followed while it ran
    assert "完了" in seen[-1]["html"] and "2026-101-family-04_理由書_nguyen_van_an.docx" in seen[-1]["html"]
    summary = seen[-1]["summary"]
    assert summary["documents"] == 12 and summary["bundle"] is False and summary["final"] is False
    assert summary["missing_client"]  # nothing was scanned yet: the client's items are listed
    # the plain page (no script) shows the same, and the queue lives owner-only in the office's data folder
    page = client.get(job_page)
    assert page.status_code == 200 and "完了" in page.text and 'http-equiv="refresh"' not in page.text
    assert jobs_file(office.ctx) == office.root / "docgen-data" / "jobs.sqlite3"
    assert stat.S_IMODE(jobs_file(office.ctx).stat().st_mode) == 0o600
    builds = [e for e in audit_log(office.ctx, case_id=FAMILY) if e.action.startswith("build")]
    assert [(e.user, e.action, e.document) for e in builds] == [("hanako", "build", ""), ("hanako", "build_done", "")]


def test_one_build_per_case_at_a_time(client: TestClient, office: Office, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DOCGEN_QUEUE_WORKERS", "0")  # nobody runs the queue yet: the first build stays queued
    first = start_build(client)
    assert first.status_code == 303
    second = start_build(client)
    assert second.status_code == 409 and "この案件のパケットは作成中です（hanako さんが開始）" in second.text
    by_script = client.post(
        f"/cases/{FAMILY}/packet/build",
        data={"mode": "normal", "word_only": "1"},
        headers={"X-CSRF-Token": csrf_of(client), "Accept": "application/json"},
    )
    assert by_script.status_code == 409 and by_script.json()["state"] == "queued"
    plain = client.get(first.headers["location"])  # without the script, the page reloads itself while it waits
    assert "順番待ち" in plain.text and '<noscript><meta http-equiv="refresh" content="3"></noscript>' in plain.text
    assert "2026年11月22日（日） 10:00" in plain.text
    # after a reload the page finds the build again
    latest = client.get(f"/cases/{FAMILY}/jobs/latest.json").json()
    assert latest["id"] in first.headers["location"] and latest["state"] == "queued"
    assert (
        client.get(f"/cases/{FAMILY}/jobs/latest", follow_redirects=False).headers["location"]
        == first.headers["location"]
    )
    jobs = jobs_of(client.app)  # type: ignore[arg-type]
    jobs.workers = 1
    jobs.start()
    assert wait_until_ended(client, first.headers["location"])["state"] == "done"
    again = start_build(client)
    assert again.status_code == 303  # once it has ended the next build is accepted
    assert client.get(first.headers["location"]).status_code == 404  # a case keeps its last build's record only


def test_builds_asked_for_at_the_same_moment_start_once(office: Office):
    from concurrent.futures import ThreadPoolExecutor

    from docgen.web.jobs import BuildRunning, open_jobs

    # nobody runs them: every one stays queued
    jobs = open_jobs(office.ctx, lambda: office.ctx.now, {"DOCGEN_QUEUE_WORKERS": "0"})

    def submit(_: int) -> str:
        try:
            return jobs.submit(office.ctx, FAMILY, BuildOptions(pdf=False)).id
        except BuildRunning as running:
            return f"refused while {running.job.id} runs"

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(submit, range(6)))
    started = [a for a in answers if not a.startswith("refused")]
    assert len(started) == 1
    assert answers.count(f"refused while {started[0]} runs") == 5


def test_a_build_whose_server_stopped_is_shown_interrupted_and_frees_the_case(client: TestClient, office: Office):
    jobs = jobs_of(client.app)  # type: ignore[arg-type]
    jobs.stop()  # this process's worker stops: the job below is left as a stopped server leaves it
    job = jobs.submit(office.ctx, FAMILY, BuildOptions(pdf=False))
    job.state, job.runner, job.beat = RUNNING, "a worker on another machine", time.time()
    jobs._save(job)
    alive = client.get(f"/cases/{FAMILY}/jobs/{job.id}.json").json()
    assert alive["state"] == RUNNING  # it beat a moment ago: someone is building
    job.beat = time.time() - 3 * 60  # silent for three minutes: its worker died
    jobs._save(job)
    shown = client.get(f"/cases/{FAMILY}/jobs/{job.id}.json").json()
    assert shown["state"] == INTERRUPTED and "サーバーが停止しました" in shown["message"]
    assert jobs.submit(office.ctx, FAMILY, BuildOptions(pdf=False)).state == "queued"  # the case is free again


def test_a_redis_queue_is_chosen_by_configuration(office: Office):
    """DOCGEN_QUEUE names a Redis server for workers on other machines; without the redis package that is said
    in staff words (the embedded SQLite queue needs nothing)."""
    from docgen.errors import DocgenError
    from docgen.web.jobs import open_jobs

    embedded = open_jobs(office.ctx, lambda: office.ctx.now, {})
    assert embedded.workers == 1 and type(embedded.huey).__name__ == "SqliteHuey"
    assert open_jobs(office.ctx, lambda: office.ctx.now, {"DOCGEN_QUEUE_WORKERS": "3"}).workers == 3
    try:
        import redis  # noqa: F401
    except ImportError:
        with pytest.raises(DocgenError, match="redis"):
            open_jobs(office.ctx, lambda: office.ctx.now, {"DOCGEN_QUEUE": "redis://127.0.0.1:6379/0"})
    else:
        remote = open_jobs(office.ctx, lambda: office.ctx.now, {"DOCGEN_QUEUE": "redis://127.0.0.1:6379/0"})
        assert remote.workers == 0 and type(remote.huey).__name__ == "RedisHuey"


def test_the_filing_copy_is_refused_with_its_reasons_then_accepted_with_one(client: TestClient, office: Office):
    refused = wait_until_ended(client, start_build(client, "final").headers["location"])
    assert refused["state"] == "refused"
    assert "提出用にできません" in refused["message"] and "書類が揃っていません" in refused["message"]
    assert "accept" in refused["steps"] and "理由を書いて承認" in refused["html"]
    reason = "住民票は申請日に持参（依頼者と確認済み）"
    accepted = wait_until_ended(client, start_build(client, "final", reason).headers["location"])
    assert accepted["state"] == "done", accepted.get("message")
    assert accepted["summary"]["final"] is True and accepted["summary"]["draft"] is False
    assert "hanako が承認" in accepted["html"] and reason in accepted["html"] and "提出用" in accepted["html"]
    assert re.search(r"hanako が承認（\d{4}年\d{1,2}月\d{1,2}日（.） \d{2}:\d{2}）", accepted["html"])  # no ISO time
    manifest = json.loads(
        (office.cases / FAMILY / f"{FAMILY}-packet" / f"{FAMILY}-manifest.json").read_text(encoding="utf-8")
    )
    assert manifest["final"]["accepted"]["by"] == "hanako" and manifest["final"]["accepted"]["reason"] == reason
    builds = [(e.action, e.document) for e in audit_log(office.ctx, case_id=FAMILY) if e.action.startswith("build")]
    assert builds == [  # asked for, and how each ended: the log tells the refused copy from the accepted one
        ("build", "final"),
        ("build_refused", "final"),
        ("build", "final"),
        ("build_accepted", "final"),
    ]


def test_the_packet_files_download_under_japanese_names(client: TestClient, office: Office):
    wait_until_ended(client, start_build(client).headers["location"])
    page = client.get(f"/cases/{FAMILY}/packet")
    assert page.status_code == 200
    links = dict(
        re.findall(
            r'<a class="file-link" href="http://127.0.0.1(/cases/[^"]+/packet/files/[^"]+)" download="([^"]+)"',
            page.text,
        )
    )
    names = set(links.values())
    listed = re.findall(r'<a class="file-link" href="[^"]+" download="([^"]+)"', page.text)
    assert len(listed) == len(set(listed))  # each file once (a client's copy is not a 書類 too)
    assert "2026-101-family-了解書（訳en・依頼者用）_nguyen_van_an.docx" in listed  # the client's copies, once each
    assert {
        "2026-101-family-04_理由書_nguyen_van_an.docx",
        "2026-101-family-01_永住許可申請書_nguyen_van_an.docx",
        "2026-101-family-07_身元保証書_nguyen_van_an.docx",
        "2026-101-family-不足書類と記入箇所.txt",
    } <= names
    href = next(h for h, n in links.items() if n == "2026-101-family-04_理由書_nguyen_van_an.docx")
    got = client.get(href)
    assert got.status_code == 200 and got.content[:2] == b"PK"
    disposition = got.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('2026-101-family-04_理由書_nguyen_van_an.docx')}" in disposition
    downloads = [e.document for e in audit_log(office.ctx, case_id=FAMILY) if e.action == "download"]
    assert downloads == [f"{FAMILY}-packet/docx/{FAMILY}-04_reason_letter_nguyen_van_an.docx"]
    # only the packet's files, and only this case's
    for path in (f"{FAMILY}-profile.yaml", "../../docgen.toml", f"{FAMILY}-packet/../{FAMILY}-profile.yaml"):
        assert client.get(f"/cases/{FAMILY}/packet/files/{path}").status_code == 404
    assert client.get("/cases/2026-999-none/packet").status_code == 404
    assert client.get(f"/cases/{FAMILY}/jobs/not-a-job").status_code == 404
