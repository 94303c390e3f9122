"""Run untrusted work (an office template) in a forked child with limits on memory, CPU time and wall-clock time.

In: a function and its arguments (the child is a fork, so they are not pickled; the result is), the name staff
know the work by (「テンプレート reason_letter.docx」) and `Limits`. Out: the function's return value, or the
exception it raised, raised again in the caller; a child that runs out of memory, CPU or time, or dies, becomes
a `WorkerStopped` in staff words naming the work.

The limits hold in any thread of the caller and change nothing in it: the child has its own address space
(RLIMIT_AS / RLIMIT_DATA, counted from what it starts with) and CPU budget (RLIMIT_CPU, which also ends a child
whose parent was killed), and the caller waits for it against a deadline and kills it (SIGKILL) when the deadline
passes, or when the memory the child has made its own passes the limit (the address space misses memory a
long-running caller freed but kept, which a child reuses without growing) — no alarm, no signal handler, no umask
or other process-wide setting. The result comes back through a pipe, its length first, and the caller watches the
child's exit too, so a pipe end that a child forked by another thread inherited cannot hold the caller up. The
child leaves only through os._exit: it never runs the caller's code, atexit handlers or buffered output.

A fork copies locks that other threads of the caller hold at that moment: the function run here must start from
fresh ones where it shares a cache with the caller (render.py does so for Jinja's), and the deadline ends a child
stuck on one anyway. Keep the function at module level and its arguments picklable, so that a fork server (a
clean single-threaded parent, as Python 3.14 uses) can replace the plain fork without changing callers.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import os
import pickle
import resource
import select
import signal
import struct
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from docgen.errors import DocgenError
from docgen.messages import say

T = TypeVar("T")

MEMORY_LIMIT = 1 << 30  # bytes a child may take beyond what it starts with (1 GiB)
CPU_SECONDS = 20
WALL_SECONDS = 30
MAX_RESULT = 256 << 20  # bytes of pickled result the caller accepts
_POLL_SECONDS = 0.05  # how often the caller looks whether the child has ended without a result
_HEADER = struct.Struct("!Q")

Reason = Literal["memory", "cpu", "time", "crashed"]


@dataclass(frozen=True)
class Limits:
    """What one child may use: memory beyond its start (bytes), CPU seconds, wall-clock seconds."""

    memory: int = MEMORY_LIMIT
    cpu_seconds: int = CPU_SECONDS
    wall_seconds: float = WALL_SECONDS


class WorkerStopped(DocgenError):
    """The child was stopped (memory, CPU, time) or died; the message names the work in staff words."""

    def __init__(self, message: str, reason: Reason):
        super().__init__(message)
        self.reason = reason


def _gib(n: int) -> str:
    return f"{n / (1 << 30):g} GiB" if n >= 1 << 30 else f"{n / (1 << 20):g} MiB"


def _stopped(what: str, reason: Reason, limits: Limits, detail: str = "") -> WorkerStopped:
    messages: dict[Reason, tuple[str, str]] = {
        "memory": (
            f"{what}: 必要なメモリが多すぎるため止めました（上限 {_gib(limits.memory)}）。",
            f"{what}: stopped: it needs too much memory (limit {_gib(limits.memory)}).",
        ),
        "cpu": (
            f"{what}: 計算に {limits.cpu_seconds}秒以上かかるため止めました。",
            f"{what}: stopped after {limits.cpu_seconds} s of computing.",
        ),
        "time": (
            f"{what}: {limits.wall_seconds:g}秒たっても終わらないため止めました。",
            f"{what}: stopped after {limits.wall_seconds:g} s.",
        ),
        "crashed": (
            f"{what}: 処理が途中で異常終了しました（{detail}）。",
            f"{what}: the work ended abnormally ({detail}).",
        ),
    }
    return WorkerStopped(say(*messages[reason]), reason)


# --- in the child ------------------------------------------------------------------------------------------------


def _sizes() -> tuple[int, int]:
    """(address space, data) of this process in bytes, from /proc/self/statm (0, 0 where there is none)."""
    try:
        with open("/proc/self/statm", "rb") as f:  # bytes: no codec to look up (import) in the child
            fields = f.read().split()
    except OSError:
        return 0, 0
    page = os.sysconf("SC_PAGE_SIZE")
    return int(fields[0]) * page, int(fields[5]) * page


def _lower(which: int, amount: int) -> None:
    """Set soft and hard limit to `amount`, never above a hard limit already there."""
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        amount = min(amount, hard)
    resource.setrlimit(which, (amount, amount))


def _apply(limits: Limits) -> None:
    space, data = _sizes()
    _lower(resource.RLIMIT_AS, space + limits.memory)
    _lower(resource.RLIMIT_DATA, data + limits.memory)
    soft = max(1, limits.cpu_seconds)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or hard > soft + 1:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))  # SIGXCPU, then SIGKILL a second later
    _lower(resource.RLIMIT_CORE, 0)  # a child that dies leaves no core file beside the case


_OUT_OF_MEMORY = pickle.dumps(("memory", None))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _default_signals() -> None:
    """The caller's Python signal handlers (the CLI's clean-up on SIGTERM …) are not the child's: a signal ends it."""
    for signum in signal.valid_signals():
        if callable(signal.getsignal(signum)):
            signal.signal(signum, signal.SIG_DFL)


def _child(
    fd: int, caller_fd: int, fn: Callable[..., Any], args: tuple[Any, ...], limits: Limits, mask: Iterable[int]
) -> None:
    """Run `fn` under the limits and send ("ok", value) / ("raised", exception) / ("memory", None) to `fd`.
    Starts with every signal held (run_limited), resets the caller's handlers, then restores `mask`."""
    try:
        data = _OUT_OF_MEMORY
        os.close(caller_fd)
        faulthandler.disable()  # a crash is reported by the caller, not with a dump of its stack on its stderr
        gc.freeze()  # the caller's objects are never collected here: a collection would copy every page they are on
        _default_signals()
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        try:
            _apply(limits)
            outcome: tuple[str, Any] = ("ok", fn(*args))
        except MemoryError:
            outcome = ("memory", None)
        except BaseException as exc:  # sent to the caller, which raises it
            outcome = ("raised", exc)
        try:
            data = pickle.dumps(outcome)
        except MemoryError:
            data = _OUT_OF_MEMORY
        except Exception as exc:  # an exception or value that cannot be pickled: its type is enough
            data = pickle.dumps(("failed", f"{type(outcome[1]).__name__}, {type(exc).__name__}"))
        _write_all(fd, _HEADER.pack(len(data)) + data)
    finally:
        os._exit(0)


# --- in the caller -----------------------------------------------------------------------------------------------


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _read_available(fd: int, buf: bytearray) -> None:
    while True:
        try:
            chunk = os.read(fd, 1 << 20)
        except BlockingIOError:
            return
        if not chunk:
            return
        buf += chunk


def _complete(buf: bytearray) -> bool:
    return len(buf) >= _HEADER.size and len(buf) >= _HEADER.size + _HEADER.unpack_from(buf)[0]


@dataclass
class _Ended:
    """How a child ended: what it sent, its wait status and resource usage (None when the caller's SIGCHLD is
    ignored and the system reaped it), and whether the caller stopped it ("time", "memory") or not (None)."""

    sent: bytearray
    status: int = 0
    usage: resource.struct_rusage | None = None
    stopped: Reason | None = None


def _reap(pid: int, flags: int) -> tuple[bool, int, resource.struct_rusage | None]:
    """(ended, status, usage) of the child; ended with no status when it was reaped already (SIGCHLD ignored)."""
    try:
        ended, status, usage = os.wait4(pid, flags)
    except ChildProcessError:
        return True, 0, None
    return ended != 0, status, usage


def _private_bytes(pid: int) -> int:
    """The memory the child has made its own: pages it wrote (copied from the caller's on first write) or
    allocated, swapped out or not. Its address space alone misses memory the caller had freed but kept (a long-
    running server's heap): a child reuses it without growing."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            lines = f.read().splitlines()
    except OSError:
        return 0
    return sum(int(line.split()[1]) * 1024 for line in lines if line.startswith((b"Private_Dirty:", b"Swap:")))


def _wait(pid: int, fd: int, limits: Limits) -> _Ended:
    """Read the child's result until it is complete or the child has ended; kill it at the deadline, or when the
    memory it has made its own passes the limit (looked at as often as the pipe is)."""
    sent = bytearray()
    deadline = time.monotonic() + limits.wall_seconds
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    while True:
        _read_available(fd, sent)
        if len(sent) >= _HEADER.size and _HEADER.unpack_from(sent)[0] > MAX_RESULT:
            _kill(pid)
            _, status, usage = _reap(pid, 0)
            return _Ended(bytearray(), status, usage, "memory")
        if _complete(sent):
            _, status, usage = _reap(pid, 0)  # the child leaves right after writing
            return _Ended(sent, status, usage)
        ended, status, usage = _reap(pid, os.WNOHANG)
        if ended:
            _read_available(fd, sent)
            return _Ended(sent, status, usage)
        remaining = deadline - time.monotonic()
        if remaining <= 0 or _private_bytes(pid) > limits.memory:
            _kill(pid)
            _, status, usage = _reap(pid, 0)
            return _Ended(sent, status, usage, "time" if remaining <= 0 else "memory")
        poller.poll(min(remaining, _POLL_SECONDS) * 1000)


def _failure(what: str, limits: Limits, ended: _Ended) -> WorkerStopped:
    """Why a child ended without a result."""
    if ended.stopped:
        return _stopped(what, ended.stopped, limits)
    status, usage = ended.status, ended.usage
    if usage is None:
        return _stopped(what, "crashed", limits, "?")
    grew = usage.ru_maxrss * 1024  # kilobytes on Linux
    killed_by = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    if killed_by == signal.SIGXCPU or (
        killed_by == signal.SIGKILL and usage.ru_utime + usage.ru_stime >= limits.cpu_seconds - 0.5
    ):
        return _stopped(what, "cpu", limits)  # SIGXCPU at the soft limit, SIGKILL at the hard one
    if grew >= limits.memory // 2:
        return _stopped(what, "memory", limits)
    if killed_by is not None:  # SIGSEGV, SIGABRT …
        return _stopped(what, "crashed", limits, signal.Signals(killed_by).name)
    return _stopped(what, "crashed", limits, f"exit {os.waitstatus_to_exitcode(status)}")


def run_limited(fn: Callable[..., T], *args: Any, what: str, limits: Limits | None = None) -> T:
    """`fn(*args)` in a forked child under `limits`; its value, or its exception raised again here.
    `what` names the work in messages (「テンプレート X」). Raises WorkerStopped when the child runs out of
    memory, CPU or time, or dies. Safe from any thread: nothing in this process is changed."""
    limits = limits or Limits()
    read_fd, write_fd = os.pipe()
    # Signals are held while forking: the caller's handlers (the CLI turns SIGTERM into an exception) must never
    # run in the child before it has reset them, or the exception would carry the child on through the caller's
    # code (a second build writing the packet). The child resets them, then lets its own signals in.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        os.close(read_fd)
        os.close(write_fd)
        raise
    if pid == 0:  # the child: never returns
        _child(write_fd, read_fd, fn, args, limits, held)
    signal.pthread_sigmask(signal.SIG_SETMASK, held)
    os.close(write_fd)
    ended = None
    try:
        os.set_blocking(read_fd, False)
        ended = _wait(pid, read_fd, limits)
    finally:
        os.close(read_fd)
        if ended is None:  # interrupted (KeyboardInterrupt …): leave no child behind
            _kill(pid)
            _reap(pid, 0)
    if not _complete(ended.sent):
        raise _failure(what, limits, ended)
    try:
        kind, value = pickle.loads(bytes(ended.sent[_HEADER.size :]))
    except Exception as exc:  # an exception type that cannot be rebuilt from its arguments
        raise _stopped(what, "crashed", limits, type(exc).__name__) from None
    if kind == "ok":
        return value
    if kind == "raised":
        raise value
    if kind == "memory":
        raise _stopped(what, "memory", limits)
    raise _stopped(what, "crashed", limits, str(value))
