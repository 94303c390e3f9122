"""パケット作成 as a background job, on huey (a maintained task queue): the web app puts a build on the queue and
a worker runs it (docgen.usecases.packet_jobs.build_case_packet, so exactly what `docgen packet` does), writing
the job's progress where every page can read it: the stage reached, then the result's summary, or the reason it
was refused (the filing copy's checks), or that docgen failed (its log named, never its message).

Where the queue lives (chosen when the app first needs it, `open_jobs`):
- by default SqliteHuey in the office's data folder (docgen-data/jobs.sqlite3, owner-only, beside the accounts
  database): nothing to install or run, and the worker is a thread of `docgen serve` itself;
- with DOCGEN_QUEUE=redis://host:6379/0, RedisHuey: builds then run on the machines that run
  `huey_consumer docgen.web.jobs_worker.queue -k thread -w 2` (docgen/web/jobs_worker.py; from the office folder,
  which they reach at the same path), and `docgen serve` runs none itself unless DOCGEN_QUEUE_WORKERS says so.

One build per case at a time: a case's lock is a key set only when empty (`put_if_empty`, atomic in both
storages); the job releases it when it ends. A running job beats every HEARTBEAT seconds (wherever its worker
runs); one silent for STALE seconds had its worker die (the server stopped mid-build): it is shown as
interrupted and its lock released.

A job's record holds what its page shows (the same as the packet's own report: item titles, the decision's line,
the notes for staff), in the queue's storage — owner-only in the office's data folder by default; a case keeps
the record of its last build only."""

from __future__ import annotations

import dataclasses
import os
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from huey import Huey, SqliteHuey
from huey.consumer import Worker
from starlette.applications import Starlette

from docgen.errors import DocgenError
from docgen.text import Text
from docgen.usecases.audit import record_action
from docgen.usecases.context import RunContext
from docgen.usecases.error_log import write_error_log
from docgen.usecases.packet_jobs import BuildOptions, PacketSummary, build_case_packet, jobs_file, packet_summary

QUEUE_ENV, WORKERS_ENV = "DOCGEN_QUEUE", "DOCGEN_QUEUE_WORKERS"
TASK = "docgen.build_packet"
QUEUED, RUNNING, DONE, REFUSED, FAILED, INTERRUPTED = "queued", "running", "done", "refused", "failed", "interrupted"
ENDED = frozenset({DONE, REFUSED, FAILED, INTERRUPTED})
HEARTBEAT = 10.0  # seconds between a running job's signs of life
STALE = 120.0  # seconds without one before its worker is taken for dead
_OPENING = threading.Lock()


@dataclasses.dataclass
class Job:
    """One build: what was asked, by whom and when, how far it got, and how it ended."""

    id: str
    case_id: str
    user: str
    lang: str
    options: BuildOptions
    submitted: str  # the request's time (ISO), as the app's clock gave it
    state: str = QUEUED
    stages: list[tuple[str, float]] = dataclasses.field(default_factory=list)  # (stage, seconds since start)
    seconds: float = 0.0  # how long the build took
    message: Text | None = None  # refused: the reason (staff words); failed: the kind and the log
    steps: tuple[str, ...] = ()  # refused: what deals with it ('accept': the filing copy with a reason)
    summary: PacketSummary | None = None
    runner: str = ""  # the queue that runs it (a token per worker process)
    beat: float = 0.0  # when it last reported (time.time() of the worker)

    @property
    def ended(self) -> bool:
        return self.state in ENDED


class BuildRunning(DocgenError):
    """A second build of a case while one is queued or running."""

    def __init__(self, job: Job) -> None:
        super().__init__(
            Text(
                f"この案件のパケットは作成中です（{job.user} さんが開始）。終わってからもう一度作成してください",
                f"this case's packet is being built (started by {job.user}); build again when it has finished",
            )
        )
        self.job = job


def _key(kind: str, name: str) -> str:
    return f"docgen:{kind}:{name}"


class PacketJobs:
    """The office's packet jobs on one huey queue, and this process's workers of it (`workers` threads)."""

    def __init__(
        self,
        huey: Huey,
        base: RunContext,
        workers: int,
        office: Path,
        clock: Callable[[], datetime],
        load: Callable[[Job], RunContext] | None = None,
    ) -> None:
        """`load` gives the office's context for a job (default: `base`, the app's, read once); `clock` the time
        (the face that starts the jobs reads it); the build task is registered on `huey` under one name, so that
        any worker of the queue runs it."""
        self.huey, self.base, self.workers, self.office, self.clock = huey, base, workers, office, clock
        self.load = load or (lambda job: base)
        self.runner = secrets.token_hex(8)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.task = huey.task(name=TASK)(self._run_here)

    # ------------------------------------------------------------------ asking for builds and reading them

    def submit(self, ctx: RunContext, case_id: str, options: BuildOptions) -> Job:
        """Queue a build of `case_id` for the context's user; BuildRunning when the case has one already. The
        record is written before the case's lock is taken, so that whoever finds the lock finds its job."""
        job = Job(secrets.token_urlsafe(12), case_id, ctx.user, ctx.lang, options, ctx.now.isoformat())
        lock = _key("case", case_id)
        self._save(job)
        try:
            for _ in range(2):
                if self.huey.put_if_empty(lock, job.id):
                    break
                held = self.huey.get(lock, peek=True)
                holder = self.get(held) if isinstance(held, str) else None
                if holder is not None and not holder.ended:
                    raise BuildRunning(holder)
                if self.huey.get(lock, peek=True) == held:  # its holder ended without letting go: free
                    self.huey.delete(lock)
            else:
                raise BuildRunning(self.latest(case_id) or job)
        except BuildRunning:
            self.huey.delete(_key("job", job.id))
            raise
        previous = self.latest(case_id)
        if previous is not None and previous.ended:
            self.huey.delete(_key("job", previous.id))
        self.huey.put(_key("last", case_id), job.id)
        self.task(job.id, case_id, str(self.office))
        return job

    def get(self, job_id: str) -> Job | None:
        """The job as it is now (a job whose worker died is marked interrupted here)."""
        job = self.huey.get(_key("job", job_id), peek=True) if job_id else None
        if not isinstance(job, Job):
            return None
        if job.state == RUNNING and self._dead(job):
            job.state = INTERRUPTED
            job.message = Text(
                "作成の途中でサーバーが停止しました。もう一度作成してください",
                "the server stopped during the build; build again",
            )
            self._save(job)
            self._release(job)
        return job

    def latest(self, case_id: str) -> Job | None:
        """The case's last job (running or ended), whoever started it."""
        job_id = self.huey.get(_key("last", case_id), peek=True)
        return self.get(job_id) if isinstance(job_id, str) else None

    def _dead(self, job: Job) -> bool:
        return time.time() - job.beat > STALE

    def _save(self, job: Job) -> None:
        self.huey.put(_key("job", job.id), job)

    def _release(self, job: Job) -> None:
        lock = _key("case", job.case_id)
        if self.huey.get(lock, peek=True) == job.id:
            self.huey.delete(lock)

    # ------------------------------------------------------------------ running them

    def _run_here(self, job_id: str, case_id: str, office: str) -> None:
        """The task, as any worker of the queue runs it."""
        run_job(self, job_id, self.load)

    def start(self) -> None:
        """Start this process's workers (huey's own worker loop, in threads: no signal handlers taken)."""
        if self._threads or self.workers <= 0:
            return
        for n in range(self.workers):
            worker = Worker(self.huey, self._stop, default_delay=0.1, max_delay=1.0, backoff=1.15)
            thread = threading.Thread(target=self._loop, args=(worker,), name=f"docgen-jobs-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _loop(self, worker: Worker) -> None:
        worker.initialize()
        while not self._stop.is_set():
            worker.loop()

    def stop(self, timeout: float = 30) -> None:
        """Stop the workers after the builds they are running."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []


def run_job(jobs: PacketJobs, job_id: str, base: Callable[[Job], RunContext]) -> None:
    """Run one queued build, writing its progress and end to its record (any worker, here or remote)."""
    job = jobs.get(job_id)
    if job is None or job.state != QUEUED:
        return
    started = time.monotonic()
    writing, ended = threading.Lock(), threading.Event()

    def save() -> None:
        with writing:
            job.beat = time.time()
            jobs._save(job)

    def stage(label: str) -> None:
        with writing:
            job.stages.append((label, round(time.monotonic() - started, 1)))
        save()

    def heartbeat() -> None:
        while not ended.wait(HEARTBEAT):
            save()

    job.state, job.runner = RUNNING, jobs.runner
    save()
    threading.Thread(target=heartbeat, name=f"docgen-job-{job.id}", daemon=True).start()

    ran: RunContext | None = None
    try:
        ctx = dataclasses.replace(base(job), now=datetime.fromisoformat(job.submitted), lang=job.lang, user=job.user)
        ran = ctx
        made = build_case_packet(ctx, job.case_id, job.options, progress=stage)
        job.summary = packet_summary(ctx, made)
        job.state = DONE
    except DocgenError as exc:
        job.state, job.message = REFUSED, exc.text
        job.steps = tuple(str(s.step) for s in exc.steps)
    except Exception as exc:  # docgen's fault: its kind and an owner-only log, never its message
        when = jobs.clock()
        log = write_error_log(exc, "docgen serve packet job", when, jobs.base.settings.output_dir)
        kind = type(exc).__name__
        job.state = FAILED
        job.message = Text(
            f"予期しないエラーで作成できませんでした ({kind})。"
            + (f"詳細は {log}（個人情報は含みません）" if log else ""),
            f"the build failed with an unexpected error ({kind}). "
            + (f"Details in {log} (no personal data)" if log else ""),
        )
    finally:
        ended.set()
        job.seconds = round(time.monotonic() - started, 1)
        try:
            _audit_end(jobs, job, ran or jobs.base)  # in the log before the end is seen
        finally:
            save()
            jobs._release(job)


def _audit_end(jobs: PacketJobs, job: Job, ran: RunContext) -> None:
    """The build's end in the audit log, at the time it ended: made, made with an acceptance, refused, failed
    (the document column says whether the filing copy was asked for; never a value)."""
    code = {DONE: "build_done", REFUSED: "build_refused", FAILED: "build_failed"}.get(job.state)
    if code == "build_done" and job.options.accept_reason:
        code = "build_accepted"
    if code is None:
        return
    ctx = dataclasses.replace(ran, now=jobs.clock(), lang=job.lang, user=job.user)  # the office the job ran in
    record_action(ctx, code, job.case_id, "final" if job.options.final else "")


def open_jobs(
    base: RunContext,
    clock: Callable[[], datetime],
    environ: Mapping[str, str] = os.environ,
    load: Callable[[Job], RunContext] | None = None,
) -> PacketJobs:
    """The office's queue as configured (see the module docstring) with the task registered; `load` gives a job's
    office context (default: `base`)."""
    url = environ.get(QUEUE_ENV, "").strip()
    office = base.settings.source.parent if base.settings.source is not None else base.settings.cases_dir
    if url:
        huey: Huey = _redis(url)
        default_workers = 0
    else:
        huey = SqliteHuey(name="docgen", filename=str(jobs_file(base)), results=False)
        default_workers = 1
    workers = environ.get(WORKERS_ENV, "").strip()
    return PacketJobs(huey, base, int(workers) if workers.isdigit() else default_workers, office, clock, load)


def _redis(url: str) -> Huey:
    """RedisHuey at `url`; a missing redis package said in staff words."""
    from huey import RedisHuey
    from huey.exceptions import ConfigurationError

    try:
        return RedisHuey(name="docgen", url=url, results=False)
    except (ImportError, ConfigurationError):
        raise DocgenError(
            Text(
                f"{QUEUE_ENV} に Redis が指定されていますが、Python の redis パッケージがありません",
                f"{QUEUE_ENV} names a Redis server but the Python package redis is not installed",
            )
        ) from None


def jobs_of(app: Starlette) -> PacketJobs:
    """The app's packet jobs, opened (and its workers started) the first time a page needs them."""
    with _OPENING:
        jobs: PacketJobs | None = getattr(app.state, "packet_jobs", None)
        if jobs is None:
            config = app.state.config
            jobs = open_jobs(config.base, config.clock, load=lambda job: config.office.current())
            app.state.packet_jobs = jobs
            jobs.start()
    return jobs


def start_packet_jobs(app: Starlette) -> PacketJobs:
    """For `docgen serve` at start: builds queued before a restart run at once, without waiting for a page."""
    return jobs_of(app)


def job_json(job: Job, lang: str) -> dict[str, Any]:
    """A job as the page's script reads it (server-sent events and polling)."""
    summary = dataclasses.asdict(job.summary) if job.summary is not None else None
    return {
        "id": job.id,
        "case_id": job.case_id,
        "user": job.user,
        "state": job.state,
        "ended": job.ended,
        "stages": [{"label": label, "seconds": seconds} for label, seconds in job.stages],
        "seconds": job.seconds,
        "message": job.message.render(lang) if job.message is not None else None,
        "steps": list(job.steps),
        "summary": summary,
        "final": job.options.final,
        "draft": job.options.draft,
    }


__all__ = ["BuildRunning", "Job", "PacketJobs", "job_json", "jobs_of", "open_jobs", "run_job", "start_packet_jobs"]
