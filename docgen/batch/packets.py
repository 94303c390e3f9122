"""Packets for many cases of a roster in one run: built side by side in worker processes, one per core, all
converting on one warm LibreOffice pool for the batch.

The pool is the office's running converter when there is one (`docgen converter start`), else one the batch
starts (a server per core, in the background while the workers fill their first documents) and stops at the
end; while the batch runs, a keeper thread starts anew any of its servers that exited (a crashed LibreOffice, or
one that stopped itself after its share of documents) and publishes the servers that run
(docgen/pdf/service.py). Each worker builds one packet at a time with the caller's `build` function (the packet
use case, unchanged) and converts on the servers published when it converts; a document whose server stopped
answering goes to another server of the pool. Only as many packets are handed out as there are workers, so
memory stays flat whatever the roster's length, and each outcome comes back as soon as its packet is done. A
worker that died (killed, out of memory) takes its packets with it: they are tried once more in a new worker,
then named as failed; the other packets go on.
"""

from __future__ import annotations

import dataclasses
import itertools
import multiprocessing
import shutil
import tempfile
import threading
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, TypeVar

from docgen.pdf import service
from docgen.pdf.converter import COLD, Converter
from docgen.pdf.warm import RECYCLE_AFTER, WarmConverter
from docgen.text import NextStep, Text

C = TypeVar("C")  # what every packet of the run shares (the run context), sent once to each worker

KEEP_SECONDS = 0.5  # how often the keeper looks at the batch's servers
PACKETS_PER_WORKER = 25  # a worker process is replaced after this many packets (whatever it may have grown to)
TRIES = 2  # a packet whose worker died is tried once more in a new one


@dataclass(frozen=True)
class PacketOrder:
    """One packet asked for: the roster's row and case id, the profile, and whether a blocked case is built as a
    draft."""

    row: int
    case_id: str
    profile: Path
    draft: bool = False
    pdf: bool = True


@dataclass(frozen=True)
class PacketOutcome:
    """What became of one packet: where it is and what staff should look at, or why it was not made (in staff
    words, never a value of the profile) and the steps that deal with it."""

    order: PacketOrder
    folder: Path | None = None
    bundle: Path | None = None
    report: Path | None = None  # the packet's missing.txt: what is still to collect, write in and check
    pages: int = 0
    draft: bool = False  # stamped 下書き
    warnings: tuple[Text, ...] = ()
    problem: Text | None = None
    steps: tuple[NextStep, ...] = ()
    warm: bool = False  # its PDFs were made on the warm pool

    @property
    def made(self) -> bool:
        return self.problem is None


Build = Callable[[C, PacketOrder, Converter], PacketOutcome]


def failed(order: PacketOrder, problem: Text, steps: tuple[NextStep, ...] = ()) -> PacketOutcome:
    return PacketOutcome(order, problem=problem, steps=steps)


def stopped_reason(exc: BaseException) -> Text:
    """Why a packet stopped on something that is not a docgen error, in staff words: the kind of failure only."""
    kind = type(exc).__name__
    if isinstance(exc, PermissionError):
        return Text("ファイルまたはフォルダーのアクセス権がありません", "a file or folder may not be accessed")
    if isinstance(exc, FileNotFoundError):
        return Text("作成中にファイルが移動または削除されました", "a file was moved or deleted during the build")
    if isinstance(exc, MemoryError):
        return Text("メモリーが足りませんでした", "the build ran out of memory")
    if isinstance(exc, OSError):
        said = exc.strerror or kind
        return Text(f"ディスクまたはネットワークの問題です（{said}）", f"a disk or network problem ({said})")
    return Text(
        f"一式の作成が途中で止まりました（{kind}）。もう一度作成し、同じ場合はプロフィールを確認してください",
        f"the build stopped half way ({kind}); make it again, and check the profile if it stops again",
    )


WORKER_DIED = Text(
    "一式を作成していたプロセスが終了しました（メモリー不足または強制終了）。2回試しました。この案件だけもう一度作成してください",
    "the process building this packet ended (out of memory, or killed); tried twice. Make this case's packet again",
)


# ---------------------------------------------------------------------------------------------- the converter


@dataclass
class ConverterUse:
    """How the batch converted: on the office's running converter or on a pool it started, how many servers,
    how many were started anew, and why any could not start (then PDFs were made the cold way)."""

    shared: bool = False
    servers: int = 0
    restarts: int = 0
    problems: list[Text] = field(default_factory=list)


class BatchConverter:
    """The warm pool of one batch (a context manager; `start` it when PDFs are to be made): the office's running
    converter (`office` is where it keeps its address), else `servers` LibreOffice servers started here (in the
    background: the workers fill their first documents meanwhile), kept running and stopped on leaving. Either
    way the servers that run are published in `folder`, where each worker's conversion finds them."""

    def __init__(self, office: Path, servers: int, per_document: float) -> None:
        self.office, self.size, self.per_document = office, servers, per_document
        self.folder: Path | None = None
        self.pool: WarmConverter | None = None
        self.use: ConverterUse | None = None  # set once started
        self._own: Path | None = None  # the folder made for the batch's own pool
        self._stop = threading.Event()
        self._keeper: threading.Thread | None = None

    def __enter__(self) -> BatchConverter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def start(self) -> BatchConverter:
        """Use the office's running converter, else start the batch's servers (side by side, in the background)."""
        if self.use is not None:
            return self
        state = service.running(self.office)
        if state is not None:
            self.folder, self.use = self.office, ConverterUse(shared=True, servers=len(state.ports))
            return self
        self._own = self.folder = Path(tempfile.mkdtemp(prefix="docgen-batch-"))  # made 700
        self.pool = WarmConverter(self.size, per_document=self.per_document, stop_after=RECYCLE_AFTER)
        self.use = ConverterUse(servers=self.size)
        service.publish(self.folder, None)  # being started: the workers wait for it
        self._keeper = threading.Thread(target=self._keep, name="docgen-batch-converter", daemon=True)
        self._keeper.start()
        return self

    def _keep(self) -> None:
        """Start the servers, publish them, and start anew any that exited, until the batch ends."""
        pool, folder, use = self.pool, self.folder, self.use
        assert pool is not None and folder is not None and use is not None
        pool.start()
        last = service.publish(folder, pool)
        use.servers, use.problems = pool.status().running, list(pool.problems)
        while pool.warm and not self._stop.wait(KEEP_SECONDS):
            pool.keep()
            if pool.status().ports != list(last.ports):
                last = service.publish(folder, pool)
            use.restarts = pool.restarts

    @property
    def running(self) -> bool:
        return self.use is not None

    def close(self) -> None:
        """Stop the servers this batch started (never the office's) and the keeper."""
        self._stop.set()
        if self._keeper is not None:
            self._keeper.join()
            self._keeper = None
        if self.pool is not None:
            if self.use is not None:
                self.use.restarts = self.pool.restarts
            self.pool.close()
            self.pool = None
        if self._own is not None:
            shutil.rmtree(self._own, ignore_errors=True)
            self._own = None


# ---------------------------------------------------------------------------------------------- the workers

# A worker process's run: set once by `_start` in that process (never in the caller's).
_RUN: tuple[Any, Callable[..., PacketOutcome]] | None = None


def _start(shared: object, build: Callable[..., PacketOutcome]) -> None:
    global _RUN
    _RUN = (shared, build)


def _build(order: PacketOrder, folder: Path | None, per_document: float) -> PacketOutcome:
    """One packet, in a worker: converted on the servers published in `folder` when it converts, else the cold
    way."""
    if _RUN is None:
        raise RuntimeError("the worker was not started with the run")
    shared, build = _RUN
    if folder is None or not order.pdf:
        return build(shared, order, COLD)
    converter = service.PublishedConverter(folder, per_document)
    outcome = build(shared, order, converter)
    return dataclasses.replace(outcome, warm=converter.warm)


class _Workers(Generic[C]):
    """The worker processes of a batch, made anew when one died."""

    def __init__(self, count: int, shared: C, build: Build[C]) -> None:
        self.count, self.shared, self.build = count, shared, build
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.count,
            multiprocessing.get_context("spawn"),  # clean workers, whatever threads this process runs
            initializer=_start,
            initargs=(self.shared, self.build),
            max_tasks_per_child=PACKETS_PER_WORKER,
        )

    def renew(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self._new()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def build_all(
    orders: Iterable[PacketOrder],
    shared: C,
    build: Build[C],
    workers: int,
    converter: BatchConverter | None = None,
) -> Generator[PacketOutcome, None, None]:
    """Every order's outcome, as each packet is done (not in the orders' order), built by `build(shared, order,
    converter)` in `workers` processes (`build` a module-level function, `shared` picklable), converting on
    `converter`'s servers (None: the cold way)."""
    todo = iter(orders)
    first = list(itertools.islice(todo, workers))
    if not first:
        return
    team = _Workers(len(first), shared, build)
    running: dict[Future[PacketOutcome], tuple[PacketOrder, int]] = {}

    def hand_out(order: PacketOrder, tried: int) -> None:
        folder, seconds = (converter.folder, converter.per_document) if converter is not None else (None, 0.0)
        future = team.pool.submit(_build, order, folder, seconds)
        running[future] = (order, tried)

    def top_up() -> None:
        while len(running) < team.count and (order := next(todo, None)) is not None:
            hand_out(order, 0)

    def ended(future: Future[PacketOutcome], lost: list[tuple[PacketOrder, int]]) -> PacketOutcome | None:
        order, tried = running.pop(future)
        try:
            return future.result()
        except BrokenProcessPool:
            lost.append((order, tried + 1))
            return None
        except Exception as exc:  # a failure the build did not turn into an outcome: this case only
            return failed(order, stopped_reason(exc))

    try:
        for order in first:
            hand_out(order, 0)
        while running:
            lost: list[tuple[PacketOrder, int]] = []
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                if (outcome := ended(future, lost)) is not None:
                    yield outcome
            if lost:  # a worker died and the pool with it: the packets in flight end too (or have finished)
                for future in list(running):
                    wait([future])
                    if (outcome := ended(future, lost)) is not None:
                        yield outcome
                team.renew()
                for order, tried in lost:
                    if tried >= TRIES:
                        yield failed(order, WORKER_DIED)
                    else:
                        hand_out(order, tried)
            top_up()
    finally:  # also when the caller stops early: what was not started is dropped
        team.close()
