"""The worker that runs untrusted work (an office template) in a child process: what comes back, and how each
limit stops a child — memory, CPU, wall-clock time, a crash — from any thread, with nothing left running and
nothing changed in the caller."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from docgen.documents.render import TemplateRenderError
from docgen.errors import DocgenError
from docgen.messages import messages_in
from docgen.text import NextStep, Step, Text
from docgen.worker import Limits, WorkerStopped, run_limited

MiB = 1 << 20


def children() -> set[int]:
    """The processes whose parent is this one (a worker left behind would be one).

    Python's own resource tracker is not counted: once any test has used a spawned process pool (the batch
    screening does), it stays for the whole session by design."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and b"multiprocessing.resource_tracker" not in command:
            found.add(int(stat.parent.name))
    return found


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def add(a: int, b: int) -> int:
    return a + b


def refuse(name: str) -> None:
    raise TemplateRenderError(f"template {name}: refused")


def hog(size: int) -> int:
    chunks = [bytearray(64 * MiB) for _ in range(size // (64 * MiB))]
    return len(chunks)


def spin() -> None:
    while True:
        pass


def sleep_writing_pid(pid_file: Path) -> None:
    pid_file.write_text(str(os.getpid()))
    time.sleep(60)


def leave_a_grandchild() -> int:
    """Returns at once, but a grandchild keeps the child's end of the result pipe open for 5 s."""
    pid = os.fork()
    if pid == 0:
        time.sleep(5)
        os._exit(0)
    return pid


def test_the_value_comes_back_and_an_error_is_raised_again_in_the_caller():
    assert run_limited(add, 2, 3, what="sum") == 5
    with pytest.raises(TemplateRenderError, match=r"template x\.docx: refused"):
        run_limited(refuse, "x.docx", what="template x.docx")
    assert children() == set()


def test_a_child_that_takes_too_much_memory_is_stopped_in_japanese_and_the_caller_keeps_its_memory(monkeypatch):
    monkeypatch.setenv("DOCGEN_LANG", "ja")
    before = peak_rss()
    started = time.monotonic()
    with pytest.raises(WorkerStopped) as stopped:
        run_limited(hog, 4 << 30, what="テンプレート 理由書.docx", limits=Limits(memory=256 * MiB))
    assert stopped.value.reason == "memory"
    assert str(stopped.value) == "テンプレート 理由書.docx: 必要なメモリが多すぎるため止めました（上限 256 MiB）。"
    assert time.monotonic() - started < 10
    assert peak_rss() - before < 64 * MiB  # the 4 GiB were asked for in the child only
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 < 2 << 30
    assert children() == set()


# A long-running caller (docgen serve) that freed a lot of memory but kept it: a child reuses it without its
# address space growing, so only the memory it makes its own shows what it takes.
KEPT_FREE_MEMORY = """
import sys
from docgen.worker import Limits, WorkerStopped, run_limited

def hog(total):
    return len([bytes(1000) for _ in range(total // 1000)])

freed = [bytes(1000) for _ in range(300 << 10)]
last = bytes(1000)  # keeps the heap's top in use: the 300 MB freed below it stay in the process
del freed
try:
    run_limited(hog, 200 << 20, what="template x.docx", limits=Limits(memory=64 << 20))
except WorkerStopped as stopped:
    sys.exit(stopped.reason)
"""


def test_a_child_of_a_process_that_kept_freed_memory_is_still_held_to_its_memory_limit():
    ended = subprocess.run([sys.executable, "-c", KEPT_FREE_MEMORY], capture_output=True, text=True, timeout=120)
    assert ended.stderr.strip() == "memory", ended


def test_a_child_that_computes_too_long_is_stopped_by_its_cpu_limit():
    started = time.monotonic()
    with pytest.raises(WorkerStopped, match="stopped after 1 s of computing") as stopped:
        run_limited(spin, what="template loop.docx", limits=Limits(cpu_seconds=1, wall_seconds=30))
    assert stopped.value.reason == "cpu" and time.monotonic() - started < 10
    assert children() == set()


def test_a_child_that_does_not_finish_is_killed_at_the_deadline(tmp_path):
    pid_file = tmp_path / "pid"
    started = time.monotonic()
    with pytest.raises(WorkerStopped, match=r"template slow\.docx: stopped after 1 s") as stopped:
        run_limited(sleep_writing_pid, pid_file, what="template slow.docx", limits=Limits(wall_seconds=1))
    assert stopped.value.reason == "time" and time.monotonic() - started < 5
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)
    assert children() == set()


def test_a_child_that_crashes_is_named_with_its_signal():
    with pytest.raises(WorkerStopped, match=r"template broken.docx: the work ended abnormally \(SIGABRT\)") as stopped:
        run_limited(os.abort, what="template broken.docx")
    assert stopped.value.reason == "crashed"
    assert children() == set()


class TwoPartError(Exception):
    def __init__(self, what: str, why: str):
        super().__init__(f"{what}: {why}")


def raise_two_part() -> None:
    raise TwoPartError("x", "y")


def signal_myself() -> str:
    os.kill(os.getpid(), signal.SIGUSR1)
    return "the caller's handler ran in the child"


def test_the_child_does_not_run_the_callers_signal_handlers(tmp_path):
    """The CLI unwinds on SIGTERM to clean up its folders; a child must not run that clean-up too."""
    ran = tmp_path / "handler-ran"
    previous = signal.signal(signal.SIGUSR1, lambda signum, frame: ran.touch())
    try:
        with pytest.raises(WorkerStopped, match=r"ended abnormally \(SIGUSR1\)"):
            run_limited(signal_myself, what="x")
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert not ran.exists()


def test_an_error_that_cannot_be_rebuilt_in_the_caller_is_named_by_its_type():
    with pytest.raises(WorkerStopped, match=r"template t.docx: the work ended abnormally \(TypeError\)"):
        run_limited(raise_two_part, what="template t.docx")


def test_a_result_comes_back_even_when_another_process_holds_the_pipe_open():
    """A child forked at the same moment by another thread inherits the pipe; the caller must not wait for it."""
    started = time.monotonic()
    grandchild = run_limited(leave_a_grandchild, what="x")
    try:
        assert time.monotonic() - started < 2
    finally:
        os.kill(grandchild, signal.SIGKILL)


def test_a_caller_that_ignores_sigchld_still_gets_values_and_limits():
    """Some servers set SIGCHLD to SIG_IGN: the system then reaps children itself."""
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert run_limited(add, 20, 22, what="sum") == 42
        with pytest.raises(WorkerStopped, match="needs too much memory"):
            run_limited(hog, 1 << 30, what="template big.docx", limits=Limits(memory=128 * MiB))
        with pytest.raises(WorkerStopped, match="stopped after 1 s"):
            run_limited(time.sleep, 30, what="template slow.docx", limits=Limits(wall_seconds=1))
    finally:
        signal.signal(signal.SIGCHLD, previous)
    assert children() == set()


def test_limits_hold_in_any_thread_and_change_nothing_in_the_caller():
    threads_before = set(threading.enumerate())  # earlier tests' servers may still be winding down
    handlers = {s: signal.getsignal(s) for s in (signal.SIGALRM, signal.SIGXCPU, signal.SIGCHLD)}
    umask = os.umask(0o077)
    os.umask(umask)
    tight = Limits(memory=256 * MiB, cpu_seconds=2, wall_seconds=20)
    jobs = [(hog, (1 << 30,)), (spin, ()), (add, (1, 2)), (add, (3, 4))] * 2

    def run(job: tuple) -> object:
        fn, args = job
        try:
            return run_limited(fn, *args, what=fn.__name__, limits=tight)
        except WorkerStopped as exc:
            return exc.reason

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(run, jobs))
    assert results == ["memory", "cpu", 3, 7] * 2  # "cpu", not "time": each child had its own CPU budget
    assert set(threading.enumerate()) <= threads_before and children() == set()
    assert {s: signal.getsignal(s) for s in handlers} == handlers
    assert os.umask(umask) == umask


def refuse_in_both_languages(key: str) -> None:
    raise DocgenError(
        Text("壊れた書類です。作り直してください", "a damaged document; make it again"),
        steps=(NextStep(Step.REGENERATE, key),),
    )


def test_an_error_from_the_worker_keeps_its_pair_and_its_steps_for_the_reader():
    """The worker made the error in one language; the reader (a web request in the other) still reads it in
    theirs, with the step that deals with it."""
    with pytest.raises(DocgenError) as raised:
        run_limited(refuse_in_both_languages, "reason_letter_wang", what="template")
    assert raised.value.text == Text("壊れた書類です。作り直してください", "a damaged document; make it again")
    assert raised.value.steps == (NextStep(Step.REGENERATE, "reason_letter_wang"),)
    with messages_in("ja"):
        assert str(raised.value) == "壊れた書類です。作り直してください"
