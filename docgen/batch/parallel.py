"""Screen roster rows on the free cores, in roster order, holding only a few rows at a time.

A row takes about 6 ms from a profile YAML and about 25 ms from a returned questionnaire (bench/screening.py),
and a worker takes about 0.8 s of CPU to start. So the first `SERIAL_ROWS` rows are screened in this process
(a small roster never waits for workers); when the roster goes on, as many worker processes as there are free
CPUs (`free_cores`: on a machine other work keeps busy, extra processes only slow the run) (spawned: clean, whatever
threads the caller runs) screen the rest in chunks, each worker holding the run's settings, rules, time and
language from its start (the rules are sent once per worker, not read again). At most `AHEAD` chunks per worker
are in flight, so memory stays flat whatever the roster's length. A chunk whose worker died is screened here.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Generator, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime

from docgen.batch.roster import RosterEntry
from docgen.batch.screen import ScreenedRow, screen_entry
from docgen.case import Rules, Settings
from docgen.messages import messages_in

SERIAL_ROWS = 40  # rows screened here before workers are started (≈ the time workers take to start)
# (how many: `free_cores`, the CPUs that other work leaves free — workers on busy CPUs only slow the run)
CHUNK = 16  # rows sent to a worker at a time
AHEAD = 3  # chunks in flight per worker

# A worker process's run: set once by `_start` in that process (never in the caller's).
_RUN: tuple[Settings, Rules, datetime, str] | None = None


def cores() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def free_cores() -> int:
    """How many processes are worth running now: the CPUs this process may use less the load other work puts
    on them (the last minute's load average, this process's own share counted back); at least 1. On this
    2-CPU machine, with the other CPU busy, two workers screened 500 rows in 0.85–0.9× the time of one."""
    n = cores()
    try:
        others = os.getloadavg()[0] - 1  # this process has been screening: one of the running
    except OSError:  # no load average on this system
        return n
    return max(1, min(n, n - round(max(others, 0.0))))


def _start(settings: Settings, rules: Rules, now: datetime, lang: str) -> None:
    global _RUN
    _RUN = (settings, rules, now, lang)


def _screen_chunk(entries: list[RosterEntry]) -> list[ScreenedRow]:
    if _RUN is None:
        raise RuntimeError("the worker was not started with the run")
    settings, rules, now, lang = _RUN
    with messages_in(lang):
        return [screen_entry(e, settings, rules, now) for e in entries]


def screen_all(
    entries: Iterable[RosterEntry],
    settings: Settings,
    rules: Rules,
    now: datetime,
    lang: str,
    workers: int | None = None,
) -> Generator[ScreenedRow, None, None]:
    """Every entry's row, in the entries' order, screened on `workers` processes (1: all here; None: as many as
    are free when the roster turns out to be long, see `free_cores`)."""
    rest = iter(entries)
    for entry in itertools.islice(rest, SERIAL_ROWS):
        yield screen_entry(entry, settings, rules, now)
    chunks = iter(lambda: list(itertools.islice(rest, CHUNK)), [])
    first = next(chunks, None)
    if first is None:
        return
    if workers is None:
        workers = free_cores()
    if workers <= 1:
        for chunk in itertools.chain([first], chunks):
            yield from (screen_entry(e, settings, rules, now) for e in chunk)
        return
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, context, initializer=_start, initargs=(settings, rules, now, lang))
    try:
        window: deque[tuple[list[RosterEntry], Future[list[ScreenedRow]] | None]] = deque()

        def rows_of(chunk: list[RosterEntry], future: Future[list[ScreenedRow]] | None) -> list[ScreenedRow]:
            if future is not None:
                try:
                    return future.result()
                except Exception:  # a worker died (killed, out of memory) or failed: this chunk is done here
                    pass
            return [screen_entry(e, settings, rules, now) for e in chunk]

        for chunk in itertools.chain([first], chunks):
            try:
                future: Future[list[ScreenedRow]] | None = pool.submit(_screen_chunk, chunk)
            except BrokenProcessPool:
                future = None
            window.append((chunk, future))
            if len(window) >= AHEAD * workers:
                yield from rows_of(*window.popleft())
        while window:
            yield from rows_of(*window.popleft())
    finally:  # also when the caller stops early: what was not started is dropped
        pool.shutdown(wait=True, cancel_futures=True)
