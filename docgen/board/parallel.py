"""The board's folders read on the idle cores: this process reads its share while forked copies read theirs.

A folder takes about 2.5 ms (its profile read, validated and assessed), so 200 folders are half a second of one
core. A forked copy starts in milliseconds holding the settings, rules and time already loaded (a spawned worker
would take most of a second to import docgen, longer than the board itself). Measured on this 2-CPU machine
(200 folders): 0.48 s alone, 0.33 s with one fork when the other CPU was idle, but 0.52 s when other work kept it
busy (a fork costs some 50 ms of CPU). So copies are forked only onto cores that are idle at that moment (the
kernel's count of running tasks), only in a process that runs no other thread (a forked copy of a thread holding
a lock would wait forever: the web app serves from threads and reads its boards here alone), and only for a long
board. A copy runs without the cyclic garbage collector, whose passes over the inherited objects would copy
every memory page they touch. A share whose copy failed is read here; the rows are the same either way.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.board.model import BoardRow
from docgen.case import Rules, Settings

if TYPE_CHECKING:
    from concurrent.futures import Future

MIN_SHARE = 50  # folders worth a fork (fewer are read faster here than the fork costs)

Reader = Callable[[Path, Settings, Rules, datetime], BoardRow]

# What a forked copy reads with: set by `_start` in that copy only, never in the process that forks.
_JOB: tuple[Reader, Settings, Rules, datetime] | None = None


def _start(read: Reader, settings: Settings, rules: Rules, now: datetime) -> None:
    global _JOB
    _JOB = (read, settings, rules, now)
    gc.disable()  # this copy only: a collection would touch (and so copy) every page it inherited


def _share(folders: list[Path]) -> list[BoardRow]:
    if _JOB is None:
        raise RuntimeError("the board's copy was started without its job")
    read, settings, rules, now = _JOB
    return [read(folder, settings, rules, now) for folder in folders]


def idle_cores() -> int:
    """Cores no task is running on now, besides this process's own (0 where the system does not say)."""
    try:
        cores = len(os.sched_getaffinity(0))
        with open("/proc/loadavg", encoding="ascii") as f:
            running = int(f.read().split()[3].split("/")[0])  # tasks running now, this one included
    except (OSError, AttributeError, ValueError, IndexError):
        return 0
    return max(0, cores - running)


def can_fork() -> bool:
    """Forking copies only the calling thread: safe when this process runs no other thread."""
    return hasattr(os, "fork") and threading.active_count() == 1


def forks_for(count: int) -> int:
    """How many copies to fork for `count` folders: one per idle core, each with a share worth its cost."""
    wanted = count // MIN_SHARE - 1
    if wanted < 1 or not can_fork():
        return 0
    return min(wanted, idle_cores())


def rows_of(
    folders: Sequence[Path],
    read: Reader,
    settings: Settings,
    rules: Rules,
    now: datetime,
    forks: int | None = None,
) -> list[BoardRow]:
    """`read(folder, settings, rules, now)` for every folder (in no particular order), shared with `forks` forked
    copies (None: as many as `forks_for` finds worth it now; never when this process runs other threads)."""
    forks = forks_for(len(folders)) if forks is None else min(forks, len(folders)) if can_fork() else 0
    if forks <= 0:
        return _here(folders, read, settings, rules, now)
    import multiprocessing  # loaded only to fork (some 50 ms a board read here alone does not spend)
    from concurrent.futures import ProcessPoolExecutor

    shares = [list(folders[i :: forks + 1]) for i in range(forks + 1)]
    context = multiprocessing.get_context("fork")  # the copies get the arguments in memory, never pickled
    pool = ProcessPoolExecutor(forks, context, initializer=_start, initargs=(read, settings, rules, now))
    try:
        futures: list[Future[list[BoardRow]] | None] = []
        for share in shares[1:]:
            try:
                futures.append(pool.submit(_share, share))
            except RuntimeError:  # no copy could be started: that share is read here
                futures.append(None)
        rows = _here(shares[0], read, settings, rules, now)
        for share, future in zip(shares[1:], futures, strict=True):
            try:
                rows += future.result() if future is not None else _here(share, read, settings, rules, now)
            except Exception:  # a copy died (killed, out of memory): its share is read here
                rows += _here(share, read, settings, rules, now)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return rows


def _here(folders: Sequence[Path], read: Reader, settings: Settings, rules: Rules, now: datetime) -> list[BoardRow]:
    return [read(folder, settings, rules, now) for folder in folders]
