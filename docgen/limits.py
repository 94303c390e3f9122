"""A time limit for reading a client's scan in the main thread (docgen/pdf/evidence.py). Office templates are
rendered under docgen/worker.py's limits, which hold in any thread."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def time_limit(seconds: float, on_timeout: Callable[[], BaseException]) -> Iterator[None]:
    """Raise `on_timeout()` if the block runs longer than `seconds` (no limit outside the main thread)."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise on_timeout()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
