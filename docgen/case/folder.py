"""A case folder under the office's cases folder: where a case's files live, every name carrying the case id.

cases/2026-101-wang/
    2026-101-wang-profile.yaml         the profile (docgen case new writes a skeleton; intake import fills it)
    2026-101-wang-intake-zh.xlsx       the client questionnaire (docgen intake new)
    2026-101-wang-handout-zh.pdf       what to bring and where it goes, in the client's language
    evidence/07 住民税の課税証明書 [resident_tax_certificates]/   one folder per item the client brings: its
                                       number in the category's checklist (case new), then in the case's
                                       提出書類一覧表 (case sync, docgen/case/sync.py); docgen finds it by the [id]
    2026-101-wang-packet/              the packet (docgen packet)

Which file is the profile (`choose_profile`): '<folder name>-profile.yaml' (what `case new` writes); else the one
'*-profile.yaml'/'.yml' (a renamed folder); else the one YAML file that looks like a profile (a top-level
'case_id:', as every `profile init --out NAME.yaml` skeleton has); else the one YAML file there is. Several
candidates and no rule to prefer one: none is chosen, and the candidates are named so staff keep one. Never
candidates: files whose names start with '.' (macOS '._name.yaml' copies, editor locks) and the copies
`intake import --merge` keeps ('<name>.before-merge-YYYYMMDD-HHMMSS.yaml').
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MARKER = ".docgen-case-new"  # in a case folder while `case new` is making it (docgen/case/new.py)
ITEM_FOLDER_RE = re.compile(r"\[([a-z0-9_]+)\]\s*$")  # "07 住民税の課税証明書 [resident_tax_certificates]"


def item_id_of_folder(name: str) -> str | None:
    """The item id a case's evidence folder is named for (the bracketed id at the end), if any."""
    m = ITEM_FOLDER_RE.search(name)
    return m.group(1) if m else None


def item_folder_name(number: int, title: str, item_id: str) -> str:
    """'07 住民税の課税証明書 [resident_tax_certificates]': the number and title for people, the id for docgen."""
    safe = re.sub(r'[\\/:*?"<>|\n\r\t]', "・", title).strip()
    return f"{number:02d} {safe[:60]} [{item_id}]"


PROFILE_SUFFIXES = (".yaml", ".yml")
LOOKS_LIKE_PROFILE = re.compile(rb"^case_id[ \t]*:", re.MULTILINE)  # a top-level key every profile has
SNIFF_BYTES = 65_536  # case_id is near the top of every profile docgen writes
KEPT_BEFORE_MERGE = re.compile(r"\.before-merge-\d{8}-\d{6}(-\d+)?\.ya?ml$", re.IGNORECASE)  # docgen.cli.intake


@dataclass(frozen=True)
class CaseFolder:
    root: Path
    case_id: str
    profile_name: str | None = None  # the profile's file name when it is not '<case id>-profile.yaml'

    @classmethod
    def under(cls, cases_dir: Path, case_id: str) -> CaseFolder:
        return cls(Path(cases_dir) / case_id, case_id)

    @property
    def profile(self) -> Path:
        return self.root / (self.profile_name or f"{self.case_id}-profile.yaml")

    @property
    def evidence(self) -> Path:
        return self.root / "evidence"

    @property
    def packet(self) -> Path:
        return self.root / f"{self.case_id}-packet"

    def handout(self, lang: str, suffix: str = "pdf") -> Path:
        return self.root / f"{self.case_id}-handout-{lang}.{suffix}"

    def intake(self, lang: str) -> Path:
        return self.root / f"{self.case_id}-intake-{lang}.xlsx"


def existing_case_folder(cases_dir: Path, case_id: str) -> CaseFolder | None:
    """The folder of case `case_id` under `cases_dir` when it exists (with or without its profile yet)."""
    folder = CaseFolder.under(cases_dir, case_id)
    return folder if folder.root.is_dir() else None


@dataclass(frozen=True)
class ProfileChoice:
    """Which file of a case folder is its profile. `profile` None: there is none, or `candidates` are several
    that could each be it; with a profile, `candidates` are the other files that look like one (not read)."""

    profile: str | None
    candidates: tuple[str, ...] = ()


def _looks_like_profile(path: Path) -> bool:
    """A top-level 'case_id:' near the top; a file that cannot be read might be one (the loader will say why)."""
    try:
        with path.open("rb") as f:
            return LOOKS_LIKE_PROFILE.search(f.read(SNIFF_BYTES)) is not None
    except OSError:
        return True


def choose_profile(root: Path) -> ProfileChoice:
    """The profile of the case folder `root` by the rules of the module docstring; raises OSError when the folder
    cannot be listed."""
    names = sorted(
        p.name
        for p in root.iterdir()
        if not p.name.startswith(".")
        and p.suffix.lower() in PROFILE_SUFFIXES
        and not KEPT_BEFORE_MERGE.search(p.name)
        and p.is_file()
    )

    def chosen(name: str) -> ProfileChoice:
        return ProfileChoice(name, tuple(n for n in names if n != name and _looks_like_profile(root / n)))

    if f"{root.name}-profile.yaml" in names:
        return chosen(f"{root.name}-profile.yaml")
    named = [n for n in names if Path(n).stem.lower().endswith("-profile")]
    if len(named) == 1:
        return chosen(named[0])
    pool = [n for n in names if _looks_like_profile(root / n)] or names
    return chosen(pool[0]) if len(pool) == 1 else ProfileChoice(None, tuple(pool))


def folders_under(cases_dir: Path) -> list[Path]:
    """Every folder under the cases folder, by name, except those whose names start with '.' (hidden: the way to
    keep a folder off the board); raises OSError when the cases folder cannot be listed."""
    return sorted(p for p in Path(cases_dir).iterdir() if not p.name.startswith(".") and _maybe_folder(p))


def _maybe_folder(path: Path) -> bool:
    """A folder, or an entry that cannot even be looked at (listed, so that it is seen)."""
    try:
        return path.is_dir()
    except OSError:
        return True


def case_folder_at(root: Path, profile_name: str) -> CaseFolder:
    """The case folder `root` (its name the case id) with its profile `profile_name`."""
    return CaseFolder(root, root.name, None if profile_name == f"{root.name}-profile.yaml" else profile_name)


def find_case_folders(cases_dir: Path) -> list[CaseFolder]:
    """Every case folder under `cases_dir` with one profile (`choose_profile`); folders without one, or that cannot
    be read, are left to the board, which lists them as such."""
    if not Path(cases_dir).is_dir():
        return []
    found = []
    for root in folders_under(cases_dir):
        try:
            choice = choose_profile(root)
        except OSError:
            continue
        if choice.profile is not None:
            found.append(case_folder_at(root, choice.profile))
    return found
