"""Load checklist rule folders into a `RuleBook`: the built-in `checklists/`, then office folders on top.

Every problem is collected (file, line, field) instead of stopping at the first: unknown fields, duplicate
keys, missing sources, overlapping or missing versions, unknown conditions, office patches that name
nothing. An empty rule book is an error, never "0 categories".
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError, InputFileError, Problem
from docgen.messages import say
from docgen.resources import CHECKLISTS
from docgen.rules.book import Category, RuleBook, merge_item
from docgen.rules.conditions import CONDITIONS
from docgen.rules.dated import Dated, version_problems
from docgen.rules.schema import (
    CategoryFile,
    CategoryItemRef,
    CategoryPatch,
    ItemDef,
    ItemFields,
    ItemPatch,
    OfficeItemsFile,
)
from docgen.rules.sources import Source, SourceDef
from docgen.text import Text
from docgen.validation import validate_document
from docgen.yamlfile import Reader, with_located_problems


def _apply_patch(cat: Category, patch: CategoryPatch, items: dict[str, ItemDef], doc: Any, path: Path) -> list[Problem]:
    """Add, change and switch off items of a built-in category (office layering)."""
    problems = []
    ids = [r.id for r in cat.items]
    for i, name in enumerate(patch.remove):
        if name not in ids:
            problems.append(
                Problem(
                    path,
                    doc.line_of(("remove", i)),
                    f"remove[{i}]",
                    say(f"'{name}' は {cat.id} の項目ではありません", f"'{name}' is not an item of {cat.id}"),
                )
            )
        else:
            cat.items[ids.index(name)] = cat.items[ids.index(name)].model_copy(update={"enabled": False})
    for i, change in enumerate(patch.change):
        if change.id not in ids:
            problems.append(
                Problem(
                    path,
                    doc.line_of(("change", i)),
                    f"change[{i}]",
                    say(
                        f"'{change.id}' は {cat.id} の項目ではありません。新しい項目は add: に書いてください",
                        f"'{change.id}' is not an item of {cat.id}; use add: for new items",
                    ),
                )
            )
            continue
        old = cat.items[ids.index(change.id)]
        updates = {k: getattr(change, k) for k in ItemFields.model_fields if getattr(change, k) is not None}
        cat.items[ids.index(change.id)] = old.model_copy(update=updates)
    for i, add in enumerate(patch.add):
        line = doc.line_of(("add", i))
        if add.id not in items:
            problems.append(
                Problem(
                    path,
                    line,
                    f"add[{i}]",
                    say(
                        f"項目 '{add.id}' が定義されていません（事務所の _items.yaml に書いてください）",
                        f"unknown item '{add.id}' (define it in the office _items.yaml)",
                    ),
                )
            )
            continue
        if add.id in [r.id for r in cat.items]:
            problems.append(
                Problem(
                    path,
                    line,
                    f"add[{i}]",
                    say(
                        f"'{add.id}' は既に {cat.id} の項目です。change: に書いてください",
                        f"'{add.id}' is already an item of {cat.id}; use change:",
                    ),
                )
            )
            continue
        ref = CategoryItemRef(
            id=add.id, **{k: getattr(add, k) for k in ItemFields.model_fields if getattr(add, k) is not None}
        )
        current = [r.id for r in cat.items]
        if add.after is not None and add.after not in current:
            problems.append(
                Problem(
                    path,
                    line,
                    f"add[{i}].after",
                    say(f"'{add.after}' は {cat.id} の項目ではありません", f"'{add.after}' is not an item of {cat.id}"),
                )
            )
            continue
        cat.items.insert(current.index(add.after) + 1 if add.after else len(current), ref)
    cat.file = path
    return problems


class _Loader:
    """Reads rule folders one after the other, collecting every problem instead of stopping at the first."""

    REQUIRED = ("title", "action", "required", "concerns", "lookback", "sources", "last_checked")

    def __init__(self, read: Reader) -> None:
        self.read = read  # the YAML reader: fast, or with lines to name a problem's line
        self.problems: list[Problem] = []
        self.sources: dict[str, Source] = {}
        self.items: dict[str, ItemDef] = {}
        self.item_lines: dict[str, tuple[Path, int | None]] = {}
        self.broken: set[str] = set()  # items that failed to load: references to them are not reported again
        self.categories: dict[str, Category] = {}
        self.files: list[Path] = []

    def collect(self, fn: Any, *args: Any, prefix: str = "") -> Any:
        """Run a loader; keep its problems (field paths under `prefix`) and return None on failure."""
        try:
            return fn(*args)
        except InputFileError as exc:
            self.problems.extend(
                Problem(p.file, p.line, f"{prefix}{p.field}" if p.field else prefix.rstrip("."), p.message)
                for p in exc.problems
            )
            return None

    def problem(self, path: Path, line: int | None, where: str, message: str) -> None:
        self.problems.append(Problem(path, line, where, message))

    def version_problems(self, versions: Sequence[Dated], path: Path, line: int | None, where: str) -> None:
        for message in version_problems(versions):
            self.problem(path, line, where, message)

    def check_source(self, key: str, path: Path, line: int | None, where: str) -> None:
        if key not in self.sources:
            self.problem(
                path,
                line,
                where,
                say(
                    f"出典 '{key}' が定義されていません（_sources.yaml に書いてください）",
                    f"unknown source '{key}' (define it in _sources.yaml)",
                ),
            )

    def load_sources(self, path: Path) -> None:
        doc = self.collect(self.read, path)
        if doc is None:
            return
        if not isinstance(doc.data, dict):
            self.problem(
                path,
                1,
                "",
                say(
                    "出典のまとまり（キー: {title, url, reliability}）で書いてください",
                    "must be a block of sources (key: {title, url, reliability})",
                ),
            )
            return
        for key, raw in doc.data.items():
            sub = type(doc)(doc.path, raw, {k[1:]: v for k, v in doc.lines.items() if k[:1] == (key,)})
            s = self.collect(validate_document, sub, SourceDef, prefix=f"{key}.")
            if s is not None:
                self.sources[key] = Source(key, s.title, s.url, s.reliability)

    def load_items(self, path: Path) -> None:
        doc = self.collect(self.read, path)
        raw = self.collect(validate_document, doc, OfficeItemsFile) if doc else None
        if raw is None:
            raise InputFileError(self.problems)  # item references cannot be checked without the items
        for item_id, body in raw.items.items():
            sub = type(doc)(doc.path, body, {k[2:]: v for k, v in doc.lines.items() if k[:2] == ("items", item_id)})
            self.item_lines[item_id] = (path, doc.line_of(("items", item_id)))
            if item_id in self.items:  # an office change to a built-in item, for all its versions
                patch = self.collect(validate_document, sub, ItemPatch, prefix=f"items.{item_id}.")
                if patch is not None:
                    changes = {k: getattr(patch, k) for k in ItemFields.model_fields if getattr(patch, k) is not None}
                    base = self.items[item_id]
                    versions = [v.model_copy(update=dict.fromkeys(changes)) for v in base.versions]
                    self.items[item_id] = base.model_copy(update={**changes, "versions": versions})
                continue
            item = self.collect(validate_document, sub, ItemDef, prefix=f"items.{item_id}.")
            if item is None:
                self.broken.add(item_id)
            else:
                self.items[item_id] = item

    def load_category(self, path: Path) -> None:
        doc = self.collect(self.read, path)
        if doc is None:
            return
        if path.stem in self.categories:  # an office change to a built-in category
            patch = self.collect(validate_document, doc, CategoryPatch)
            if patch is not None and patch.id != path.stem:
                self.problem(
                    path,
                    doc.line_of(("id",)),
                    "id",
                    say(
                        f"id '{patch.id}' はファイル名 '{path.stem}' と同じにしてください",
                        f"the id '{patch.id}' must match the file name '{path.stem}'",
                    ),
                )
            elif patch is not None:
                self.problems.extend(_apply_patch(self.categories[path.stem], patch, self.items, doc, path))
            return
        parsed = self.collect(validate_document, doc, CategoryFile)
        if parsed is None:
            return
        if parsed.id != path.stem:
            self.problem(
                path,
                doc.line_of(("id",)),
                "id",
                say(
                    f"id '{parsed.id}' はファイル名 '{path.stem}' と同じにしてください",
                    f"the id '{parsed.id}' must match the file name '{path.stem}'",
                ),
            )
        refs = [CategoryItemRef(id=r) if isinstance(r, str) else r for r in parsed.items]
        self.categories[parsed.id] = Category(
            parsed.id,
            parsed.name.model_dump(),
            parsed.route,
            parsed.route_name.model_dump(),
            parsed.statuses,
            parsed.checksheet,
            parsed.params,
            refs,
            path,
        )
        self.version_problems(parsed.params, path, doc.line_of(("params",)), "params")
        for i, params in enumerate(parsed.params):
            for s in params.sources:
                self.check_source(s, path, doc.line_of(("params", i, "sources")), f"params[{i}].sources")
        seen: set[str] = set()
        for i, ref in enumerate(refs):
            line, where = doc.line_of(("items", i)), f"items[{i}]"
            if ref.id in seen:
                self.problem(
                    path, line, where, say(f"項目 '{ref.id}' が2回書かれています", f"item '{ref.id}' is listed twice")
                )
            seen.add(ref.id)
            if ref.id not in self.items:
                if ref.id not in self.broken:
                    self.problem(
                        path,
                        line,
                        where,
                        say(
                            f"項目 '{ref.id}' が定義されていません（_items.yaml に書いてください）",
                            f"unknown item '{ref.id}' (define it in _items.yaml)",
                        ),
                    )
                continue
            if ref.condition and ref.condition not in CONDITIONS:
                self.problem(
                    path,
                    line,
                    f"{where}.condition",
                    say(
                        f"条件 '{ref.condition}' はありません。使える条件: {', '.join(CONDITIONS)}",
                        f"unknown condition '{ref.condition}'; known: {', '.join(CONDITIONS)}",
                    ),
                )
            for s in ref.sources or []:
                self.check_source(s, path, line, f"{where}.sources")
            for v in self.items[ref.id].versions:
                lookback = merge_item(self.items[ref.id], v, ref).get("lookback") or {}
                for key in ("years", "months"):
                    name = lookback.get(key)
                    if isinstance(name, str) and all(getattr(p, name, None) is None for p in parsed.params):
                        self.problem(
                            path,
                            line,
                            where,
                            say(
                                f"項目 '{ref.id}' にはパラメーター '{name}' が必要ですが、この類型の params: に"
                                "ありません",
                                f"item '{ref.id}' needs the parameter '{name}', which this category does not define"
                                " under params:",
                            ),
                        )

    def check_items(self) -> None:
        """Every item: versions without overlap or gap, required fields after merging, known sources and conditions."""
        for item_id, item in self.items.items():
            path, line = self.item_lines[item_id]
            self.version_problems(item.versions, path, line, f"items.{item_id}.versions")
            for v in item.versions:
                if not v.applies:
                    continue
                merged = merge_item(item, v, None)
                missing = [f for f in self.REQUIRED if merged.get(f) in (None, [], "")]
                if missing:
                    names = ", ".join(missing)
                    cite = "sources" in missing
                    self.problem(
                        path,
                        line,
                        f"items.{item_id}",
                        say(
                            f"{v.start} からの版に {names} がありません"
                            + ("（規則には必ず出典を書きます）" if cite else ""),
                            f"the version from {v.start} has no {names}"
                            + (" (every rule must cite its source)" if cite else ""),
                        ),
                    )
                for s in dict.fromkeys(merged.get("sources") or []):
                    self.check_source(s, path, line, f"items.{item_id}.sources")
                cond = merged.get("condition")
                if cond and cond not in CONDITIONS:
                    self.problem(
                        path,
                        line,
                        f"items.{item_id}.condition",
                        say(
                            f"条件 '{cond}' はありません。使える条件: {', '.join(CONDITIONS)}",
                            f"unknown condition '{cond}'; known: {', '.join(CONDITIONS)}",
                        ),
                    )

    def rulebook(self) -> RuleBook:
        self.check_items()
        if self.problems:
            unique = list(dict.fromkeys(self.problems))
            raise InputFileError(unique)
        if not self.categories:
            folders = ", ".join(sorted({str(p.parent) for p in self.files}))
            raise DocgenError(
                Text(
                    f"{folders or '（規則のファイルがありません）'} に書類一覧の類型が見つかりません。組み込みの規則が"
                    "ないか、フォルダーの指定が誤っています",
                    f"no checklist categories were found in {folders or '(no rule files found)'}; the built-in rules"
                    " are missing or the folder is wrong",
                )
            )
        return RuleBook(self.sources, self.items, self.categories, self.files)


def load_rulebook(*dirs: Path) -> RuleBook:
    """Load the built-in checklists, then each office folder on top (later folders win)."""
    return with_located_problems(lambda read: _load_rulebook(read, dirs))


def _load_rulebook(read: Reader, dirs: tuple[Path, ...]) -> RuleBook:
    loader = _Loader(read)
    for folder in map(Path, dirs or (CHECKLISTS,)):
        if not folder.is_dir():
            raise DocgenError(
                Text(
                    f"{folder}: 書類一覧のフォルダーが見つかりません", f"{folder}: the checklist folder does not exist"
                )
            )
        for name, load in (("_sources.yaml", loader.load_sources), ("_items.yaml", loader.load_items)):
            if (folder / name).exists():
                loader.files.append(folder / name)
                load(folder / name)
        for path in sorted(folder.glob("[!_]*.yaml")):
            loader.files.append(path)
            loader.load_category(path)
    return loader.rulebook()
