"""Owner-only outputs without touching the umask (issue 19): the umask is process-wide, and a server shares its
process between requests, so docgen sets the mode of every folder and file it writes itself. Staff run docgen
under the usual umask 022 here: nothing it writes is readable by anyone else."""

from __future__ import annotations

import ast
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import docgen
from tests.conftest import EXAMPLES


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "docgen", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        preexec_fn=lambda: os.umask(0o022),  # the usual umask of a login: files 644, folders 755
    )


def test_no_library_module_changes_the_umask():
    calls = [
        f"{path.name}:{node.lineno}"
        for path in Path(docgen.__file__).parent.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "umask"
    ]
    assert calls == []


def test_everything_written_in_an_office_day_is_the_owners_only_under_umask_022(tmp_path: Path):
    made = run(
        "case", "new", "2026-161-tran", "--category", "gijinkoku", "--date", "2026-12-15", "--no-pdf", cwd=tmp_path
    )
    assert made.returncode == 0, made.stderr
    folder = tmp_path / "cases" / "2026-161-tran"
    shutil.copyfile(EXAMPLES / "gijinkoku-single.yaml", folder / "2026-161-tran-profile.yaml")
    text = (folder / "2026-161-tran-profile.yaml").read_text(encoding="utf-8")
    case_id = next(line for line in text.splitlines() if line.startswith("case_id:"))
    (folder / "2026-161-tran-profile.yaml").write_text(text.replace(case_id, "case_id: 2026-161-tran"), "utf-8")
    steps = [
        ("packet", str(folder / "2026-161-tran-profile.yaml"), "--no-pdf"),
        ("checklist", "gijinkoku", "--date", "2026-12-15", "--format", "docx", "--out", "lists/new/list.docx"),
        ("intake", "new", "2026-161-tran", "--lang", "vi"),
        ("cases", "--ics", "calendar/office.ics"),
    ]
    for step in steps:
        done = run(*step, cwd=tmp_path)
        assert done.returncode == 0, (step, done.stderr)
    written = [p for p in tmp_path.rglob("*") if p.name != "2026-161-tran-profile.yaml"]
    assert any(p.suffix == ".docx" for p in written) and any(p.suffix == ".xlsx" for p in written)
    readable = [str(p.relative_to(tmp_path)) for p in written if stat.S_IMODE(p.stat().st_mode) & 0o077]
    assert readable == []
