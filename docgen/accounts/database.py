"""Where the office's accounts database lives and how it is opened: `docgen-data/accounts.sqlite3` beside the
office's docgen.toml (beside the cases folder when there is no docgen.toml), owner-only, migrated on opening."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from docgen.accounts.migrations import migrate
from docgen.case.settings import Settings
from docgen.private_folders import private_folder

DATA_FOLDER = "docgen-data"
DATABASE_NAME = "accounts.sqlite3"


def database_path(settings: Settings) -> Path:
    """The office's accounts database: in the data folder beside docgen.toml (or beside the cases folder)."""
    base = settings.source.resolve().parent if settings.source is not None else settings.cases_dir.parent
    return base / DATA_FOLDER / DATABASE_NAME


@contextmanager
def open_database(path: Path, now: datetime) -> Iterator[sqlite3.Connection]:
    """The database at `path`, made owner-only if new, with every migration applied; closed after the block.
    Each change the block makes is committed at once (autocommit) unless the block opens a transaction."""
    private_folder(path.parent)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    path.chmod(0o600)
    conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        migrate(conn, now)
        yield conn
    finally:
        conn.close()
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if extra.exists():
            extra.chmod(0o600)
