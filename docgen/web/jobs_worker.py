"""The packet-build worker for other machines (when DOCGEN_QUEUE names a Redis server; see docgen/web/jobs.py):

    cd /path/to/office
    DOCGEN_QUEUE=redis://queue-host:6379/0 huey_consumer docgen.web.jobs_worker.queue -k thread -w 2

Each job names the office folder it belongs to (its docgen.toml); the worker reads the office's settings and
rules from there for each job, so the folder must be reachable at the same path as on the server."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from huey import Huey

from docgen.errors import DocgenError
from docgen.text import Text
from docgen.usecases.context import RunContext
from docgen.web.jobs import QUEUE_ENV, Job, PacketJobs, _redis


def remote_queue(url: str, office: Path) -> Huey:
    """The queue with the build task registered, each job run with its own office's settings."""
    if not url:
        raise DocgenError(
            Text(
                f"{QUEUE_ENV} に Redis の URL（redis://ホスト:6379/0）を指定してください",
                f"set {QUEUE_ENV} to the Redis URL (redis://host:6379/0)",
            )
        )

    def load(job: Job) -> RunContext:
        return RunContext.load(now=datetime.fromisoformat(job.submitted), near=office, lang=job.lang, user=job.user)

    def clock() -> datetime:
        return datetime.now().astimezone()

    return PacketJobs(_redis(url), RunContext.load(now=clock(), near=office), 0, office, clock, load).huey


queue = remote_queue(os.environ.get(QUEUE_ENV, "").strip(), Path.cwd())
