"""A log of an unexpected error for the office to send to the developers: where in the code and what kind of
error, never the message or a value (they may hold personal data); owner-only."""

from __future__ import annotations

import os
import platform
import tempfile
import traceback
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from docgen.errors import DocgenError
from docgen.private_folders import private_folder


def error_log_folder() -> Path:
    """The output folder of the office settings (the working folder's output/ when they cannot be read)."""
    from docgen.case.settings import load_settings

    try:
        return load_settings().output_dir
    except DocgenError:
        return Path.cwd() / "output"


def write_error_log(exc: BaseException, command: str, when: datetime, folder: Path | None = None) -> Path | None:
    """An owner-only log of an unexpected error: where in the code it happened and the error's type — never its
    message or any value, which may hold personal data. In `folder` (the office's output folder by default),
    else the temporary folder; None when neither can be written."""
    stamp = when.strftime("%Y%m%d-%H%M%S")
    frames = "".join(f"  {f.filename}:{f.lineno} in {f.name}\n" for f in traceback.extract_tb(exc.__traceback__))
    text = (
        f"docgen {version('docgen')} / Python {platform.python_version()} / {platform.platform()}\n"
        f"command: {command}\n"
        f"error: {type(exc).__module__}.{type(exc).__qualname__} (message omitted: it may hold personal data)\n"
        f"where:\n{frames}"
    )
    for where in (folder or error_log_folder(), Path(tempfile.gettempdir())):
        try:
            private_folder(where)
            path = where / f"docgen-error-{stamp}-{os.getpid()}.log"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            return path
        except OSError:
            continue
    return None
