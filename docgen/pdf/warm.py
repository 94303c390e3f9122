"""A pool of warm LibreOffice servers (docgen/pdf/office_server.py), one per core by default, that a batch, the
web app or `docgen converter start` keeps for its whole life instead of starting LibreOffice for every packet.

Each document is converted on its own by one server, with its own timeout; a server that crashed, timed out or
stopped answering is stopped (its whole process group) and started anew, and the document tried once more; a
server is also started anew after `recycle_after` documents (LibreOffice grows over a long day). When no server
can be started (no python3-uno, no unoserver, a LibreOffice that does not start) the documents are converted the
cold way, one LibreOffice call for them all (docgen/pdf/convert.py). Closing the pool (it is a context manager)
stops every process it started and removes its work folder.
"""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from docgen.pdf.convert import (
    DEFAULT_PER_DOCUMENT,
    REQUIRED_FONTS,
    WORD_ONLY,
    ConversionError,
    _pdf_ok,
    check_fonts,
    convert_to_pdf,
)
from docgen.pdf.disk import check_tmpdir, check_writable, writing
from docgen.pdf.office_server import (
    MARGIN_SECONDS,
    START_SECONDS,
    Attached,
    ConversionFailed,
    OfficeServer,
    ServerUnavailable,
    convert_one,
    start_server,
)
from docgen.private_folders import private_folder
from docgen.text import Text

RECYCLE_AFTER = 200  # documents a server converts before it is started anew
ATTEMPTS = 2  # each document: tried, then once more on a fresh server
TAKE_SECONDS = 0.2  # how often a document waiting for a free slot looks whether any slot can still run a server


@dataclass
class _Slot:
    """One place in the pool: its server (None until started, or after a failure) and why it cannot start."""

    name: str
    server: OfficeServer | Attached | None = None
    broken: Text | None = None  # set when a server could not be started here: the slot is not used again
    started: bool = False  # a server was started here before (the next one is a restart)


@dataclass
class _Outcome:
    """What became of one document."""

    pdf: Path | None = None
    cold: bool = False  # no server could take it: converted with the others the cold way
    failure: ConversionFailed | None = None


@dataclass
class PoolStatus:
    """How the pool stands: its servers' ports (those running), how many are running and why any could not."""

    ports: list[int] = field(default_factory=list)
    running: int = 0
    size: int = 0
    restarts: int = 0
    problems: list[Text] = field(default_factory=list)


class WarmConverter:
    """Word -> PDF on warm LibreOffice servers, `servers` of them (one per core by default); a `Converter`."""

    def __init__(
        self,
        servers: int | None = None,
        *,
        per_document: float = DEFAULT_PER_DOCUMENT,
        recycle_after: int = RECYCLE_AFTER,
        start_seconds: float = START_SECONDS,
        stop_after: int | None = None,
        attach: Sequence[int] = (),
    ) -> None:
        self.size = len(attach) if attach else max(1, servers or os.cpu_count() or 1)
        self.attach = list(attach)  # ports of servers another process runs: used, never started here
        self.per_document = per_document
        self.recycle_after = recycle_after
        self.start_seconds = start_seconds
        self.stop_after = stop_after  # servers that exit by themselves after this many documents (a shared pool)
        self.restarts = 0
        self.problems: list[Text] = []  # why servers could not start (for staff: the cold way was used)
        self._slots = [_Slot(f"s{n}") for n in range(self.size)]
        self._idle: queue.Queue[_Slot] = queue.Queue()
        self._lock = threading.Lock()
        self._work: Path | None = None
        self._workers: ThreadPoolExecutor | None = None

    # -- life -------------------------------------------------------------------------------------------------
    def __enter__(self) -> WarmConverter:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def start(self) -> WarmConverter:
        """Start every server, side by side; those that cannot start are named in `problems`."""
        if self._work is not None:
            return self
        self._work = Path(tempfile.mkdtemp(prefix="docgen-warm-"))  # made 700
        self._workers = ThreadPoolExecutor(self.size, thread_name_prefix="docgen-warm")
        for slot, port in zip(self._slots, self.attach, strict=False):
            slot.server = Attached(slot.name, port)
        list(self._workers.map(self._ensure, self._slots))
        for slot in self._slots:
            self._idle.put(slot)
        return self

    def close(self) -> None:
        """Stop every server and everything it started, and remove the work folder."""
        if self._workers is not None:
            self._workers.shutdown(wait=True)
            self._workers = None
        for slot in self._slots:
            self._drop(slot)
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
            self._work = None

    @property
    def warm(self) -> bool:
        """Whether any server runs or may still be started (else every conversion is cold)."""
        return self._work is not None and any(s.broken is None for s in self._slots)

    def status(self) -> PoolStatus:
        running = [s.server for s in self._slots if s.server is not None and s.server.alive()]
        return PoolStatus([s.port for s in running], len(running), self.size, self.restarts, list(self.problems))

    def servers(self) -> list[OfficeServer]:
        """The servers this pool started that run now (for a supervisor, and for tests that crash one)."""
        return [s.server for s in self._slots if isinstance(s.server, OfficeServer) and s.server.alive()]

    def keep(self) -> None:
        """Start anew each server that has exited (crashed, or stopped by itself after `stop_after` documents)."""
        for slot in self._slots:
            if slot.broken is None and (slot.server is None or not slot.server.alive()):
                self._drop(slot)
                self._ensure(slot)

    # -- converting ------------------------------------------------------------------------------------------
    def convert(
        self,
        docs: list[Path],
        outdir: Path,
        per_document: float | None = None,
        *,
        fonts: Sequence[str] = REQUIRED_FONTS,
    ) -> list[Path]:
        """Convert .docx files to PDFs in `outdir` (same stem, owner-only); returns the PDFs in input order.

        Each document goes to the next free server, with `per_document` seconds (the pool's by default) to be
        converted. A failure restarts the server and the document is tried once more; documents no server can
        take are converted the cold way. A document that failed twice is named in a ConversionError after the
        others are done."""
        if not docs:
            return []
        seconds = per_document or self.per_document
        if not self.warm:
            return convert_to_pdf(docs, outdir, seconds, fonts=fonts)
        check_fonts(fonts)
        check_tmpdir()
        with writing(outdir):
            private_folder(outdir)
        check_writable(outdir)
        assert self._workers is not None
        # the largest first, so that the servers finish together (a long letter last would keep one busy alone)
        order = sorted(range(len(docs)), key=lambda n: -_size(docs[n]))
        done = dict(zip(order, self._workers.map(lambda n: self._one(docs[n], outdir, seconds), order), strict=True))
        outcomes = [done[n] for n in range(len(docs))]
        cold = [d for d, o in zip(docs, outcomes, strict=True) if o.cold]
        if cold:
            for d, pdf in zip(cold, convert_to_pdf(cold, outdir, seconds, fonts=fonts), strict=True):
                outcomes[docs.index(d)].pdf = pdf
        failed = [(d, o.failure) for d, o in zip(docs, outcomes, strict=True) if o.failure is not None]
        if failed:
            check_writable(outdir)  # a disk that filled up is named, not the documents
            raise _failed_error([d for d, _ in failed], [f for _, f in failed if f is not None], len(docs))
        return [o.pdf for o in outcomes if o.pdf is not None]

    def _one(self, doc: Path, outdir: Path, seconds: float) -> _Outcome:
        """Convert one document on the next free server: tried twice, each time on a running server. A slot
        that cannot run a server (none starts there, or an attached server stopped answering) is left out, and
        the document goes to the next free slot; only when no slot can run one is it converted the cold way."""
        failure: ConversionFailed | None = None
        tries = 0
        while tries < ATTEMPTS:
            slot = self._take()
            if slot is None:
                return self._elsewhere(doc, outdir, seconds, failure)
            try:
                server = self._ensure(slot)
                if server is None:
                    continue  # this slot is broken now: the next free one takes the document
                try:
                    return _Outcome(pdf=self._on(server, doc, outdir, seconds))
                except ConversionFailed as exc:
                    if not (exc.refused and self.attach):  # another's server that has stopped never tried it
                        failure, tries = exc, tries + 1
                    self._drop(slot)  # crashed, hung or refused: never used again
            finally:
                if slot.broken is None:
                    self._idle.put(slot)
        return _Outcome(failure=failure)

    def _take(self) -> _Slot | None:
        """The next free slot that can run a server (waiting for one), or None when no slot can."""
        while any(s.broken is None for s in self._slots):
            try:
                slot = self._idle.get(timeout=TAKE_SECONDS)
            except queue.Empty:
                continue
            if slot.broken is None:
                return slot
        return None

    def _elsewhere(self, doc: Path, outdir: Path, seconds: float, failure: ConversionFailed | None) -> _Outcome:
        """A document whose slot cannot start a server: the cold way, unless a failure on it already counts."""
        if failure is not None and failure.timed_out:
            return _Outcome(failure=failure)
        return _Outcome(cold=True)

    def _on(self, server: OfficeServer | Attached, doc: Path, outdir: Path, seconds: float) -> Path:
        """`doc` converted by `server` into a part file, checked, made owner-only and put in place.

        Each attempt writes in a folder of its own, removed afterwards: a LibreOffice killed while writing leaves
        its lock file (`.~lock.<name>#`) and temporary file there, and a lock file left beside the part's name
        would make the next attempt on another server fail too."""
        target = outdir / f"{doc.stem}.pdf"
        with writing(outdir):
            attempt = Path(tempfile.mkdtemp(prefix=".docgen-part-", dir=outdir))  # made 700
        part = attempt / f"{doc.stem}.pdf"
        try:
            convert_one(server.port, doc.resolve(), part.resolve(), seconds + MARGIN_SECONDS)
            server.converted += 1
            if not _pdf_ok(part):
                raise ConversionFailed(
                    Text(
                        f"LibreOffice が {doc.name} から読める PDF を作りませんでした",
                        f"LibreOffice made no readable PDF of {doc.name}",
                    )
                )
            part.chmod(0o600)
            part.replace(target)
            return target
        finally:
            shutil.rmtree(attempt, ignore_errors=True)

    def _ensure(self, slot: _Slot) -> OfficeServer | Attached | None:
        """The slot's running server, started (anew after `recycle_after` documents or when it has exited);
        None when the slot is broken or a server cannot be started there."""
        if slot.broken is not None or self._work is None:
            return None
        server = slot.server
        if isinstance(server, Attached):
            return server
        if server is not None and server.alive() and server.converted < self.recycle_after:
            return server
        if self.attach:  # a running converter's server that failed: the cold way for the rest of this run
            slot.broken = Text(
                "常駐中の LibreOffice が応答しなくなりました", "the running LibreOffice converter stopped answering"
            )
            return None
        self._drop(slot)
        if slot.started:
            with self._lock:
                self.restarts += 1
        first, slot.started = not slot.started, True
        try:
            slot.server = start_server(
                self._work,
                slot.name,
                self.per_document,
                stop_after=self._stop_after(slot, first),
                start_seconds=self.start_seconds,
            )
        except ServerUnavailable as exc:
            slot.broken = exc.reason
            with self._lock:
                if exc.reason not in self.problems:
                    self.problems.append(exc.reason)
            return None
        return slot.server

    def _stop_after(self, slot: _Slot, first: bool) -> int | None:
        """How many documents the slot's server converts before it stops by itself: the first servers of the
        pool stop after 1/n, 2/n … of it, so that they are never all starting anew at once."""
        if self.stop_after is None or not first:
            return self.stop_after
        n = self._slots.index(slot) + 1
        return max(1, self.stop_after * n // self.size)

    @staticmethod
    def _drop(slot: _Slot) -> None:
        if slot.server is not None:
            server, slot.server = slot.server, None
            server.stop()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _failed_error(names: list[Path], failures: list[ConversionFailed], total: int) -> ConversionError:
    """The documents two servers could not convert, with the last reason."""
    listed = ", ".join(d.name for d in names)
    reason = failures[-1].reason if failures else Text("", "")
    done = total - len(names)
    return ConversionError(
        Text(
            f"LibreOffice で {listed} を PDF に変換できませんでした（2回試しました。{total}件中{done}件は変換済み）。"
            f"{reason.ja}。Word でファイルを開いて確認するか、Word のファイルだけを作ってください",
            f"LibreOffice could not convert {listed} to PDF (tried twice; {done} of {total} were converted)."
            f" {reason.en}. Open the Word file to check it, or make the Word files only.",
        ),
        steps=WORD_ONLY,
    )
