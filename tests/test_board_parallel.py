"""A long board is read partly by forked copies of the process (docgen.board.parallel): the office sees the same
rows as when one process reads every folder, a copy that dies mid-way costs nothing but time (its folders are read
again here), and the web app, which serves from threads, never forks."""

from __future__ import annotations

import os
import re
import threading
from datetime import datetime
from pathlib import Path

import pytest

from docgen.board.build import folder_row
from docgen.board.model import BoardRow
from docgen.board.parallel import can_fork, rows_of
from docgen.case import Rules, Settings
from docgen.case.folder import folders_under
from tests.conftest import EXAMPLES, NOW, RULES

SETTINGS = Settings()


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """60 case folders from the examples in turn, one with a broken profile and one empty."""
    root = tmp_path_factory.mktemp("office") / "cases"
    examples = sorted(EXAMPLES.glob("*.yaml"))
    for n in range(60):
        case_id = f"2026-{n + 1:03d}-case"
        text = re.sub(
            r"^case_id: .*$", f"case_id: {case_id}", examples[n % len(examples)].read_text("utf-8"), flags=re.M
        )
        if n == 7:
            text = text.replace("\n  sex: ", "\n  sexx: ", 1)
        (root / case_id).mkdir(parents=True)
        (root / case_id / f"{case_id}-profile.yaml").write_text(text, encoding="utf-8")
    (root / "2026-999-empty").mkdir()
    return folders_under(root)


def by_case(rows: list[BoardRow]) -> dict[str, BoardRow]:
    return {r.case_id: r for r in rows}


PARENT = os.getpid()


@pytest.fixture
def forking() -> None:
    if not can_fork():
        pytest.skip("another test left a thread running in this process: the board would not fork")


def test_rows_read_by_forked_copies_are_the_rows_one_process_reads(cases, forking, tmp_path):
    def read(folder: Path, settings: Settings, rules: Rules, now: datetime) -> BoardRow:
        if os.getpid() != PARENT:
            (tmp_path / f"read-by-{os.getpid()}").touch()
        return folder_row(folder, settings, rules, now)

    alone = rows_of(cases, folder_row, SETTINGS, RULES, NOW, forks=0)
    shared = rows_of(cases, read, SETTINGS, RULES, NOW, forks=1)
    assert len(list(tmp_path.glob("read-by-*"))) == 1  # one copy read its share
    assert len(shared) == len(cases) == 61
    assert by_case(shared) == by_case(alone)
    assert sum(r.error is not None for r in shared) == 2  # the broken profile and the empty folder are lines too


def dies_in_a_copy(folder: Path, settings: Settings, rules: Rules, now: datetime) -> BoardRow:
    """Reads a folder, except that a forked copy is killed (as the kernel kills one out of memory) on its 5th."""
    if os.getpid() != PARENT and folder.name.startswith("2026-010"):
        os._exit(9)
    return folder_row(folder, settings, rules, now)


def test_a_copy_that_dies_costs_nothing_but_time(cases, forking):
    rows = rows_of(cases, dies_in_a_copy, SETTINGS, RULES, NOW, forks=1)
    assert by_case(rows) == by_case(rows_of(cases, folder_row, SETTINGS, RULES, NOW, forks=0))


def test_a_process_serving_from_threads_reads_its_board_alone(cases):
    seen: list[tuple[bool, int]] = []
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)  # the web app's threads
    server.start()
    try:

        def read(folder: Path, settings: Settings, rules: Rules, now: datetime) -> BoardRow:
            seen.append((can_fork(), os.getpid()))
            return folder_row(folder, settings, rules, now)

        rows = rows_of(cases, read, SETTINGS, RULES, NOW, forks=1)  # asked for a fork: refused
    finally:
        stop.set()
        server.join()
    assert len(rows) == len(cases)
    assert {pid for _, pid in seen} == {os.getpid()} and not any(fork for fork, _ in seen)
