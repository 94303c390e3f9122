"""`docgen intake new | import`: the client questionnaire (Excel) in the client's language, and back."""

from __future__ import annotations

import contextlib
import re
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from docgen.case import load_settings
from docgen.cli.args import settings_and_rules, settings_line
from docgen.errors import DocgenError
from docgen.hashing import bytes_sha256
from docgen.messages import say
from docgen.text import Text

app = typer.Typer(
    no_args_is_help=True,
    help="Client questionnaire (Excel, in the client's language beside the Japanese): write it, read it back.",
)

CASE_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")  # as Profile.case_id: it becomes a folder name


class IntakeLang(str, Enum):
    zh = "zh"
    zh_TW = "zh-TW"
    en = "en"
    vi = "vi"
    ja = "ja"


def _source(case: str, lang: str) -> tuple[Path | None, dict[str, Any], Path]:
    """(the profile to pre-fill from, its data, the default questionnaire path) for a profile file or case id."""
    from docgen.case.folder import CaseFolder
    from docgen.intake.profile_data import prefill_data
    from docgen.profile.load import load_profile_yaml

    given = Path(case)
    if given.suffix.lower() in (".yaml", ".yml") or given.exists():
        data = prefill_data(load_profile_yaml(given))  # not found, a folder, bad YAML, not a profile: messages
        case_id = str(data.get("case_id") or given.stem.removesuffix("-profile"))
        if not CASE_ID_RE.match(case_id):
            case_id = given.stem
        return given, data, CaseFolder(given.parent, case_id).intake(lang)
    if not CASE_ID_RE.match(case) or len(case) > 60:
        raise DocgenError(
            Text(
                f"'{case}' はプロフィールのファイルでも案件番号（英数字と - _ .）でもありません",
                f"'{case}' is neither a profile file nor a case id (letters, digits, '-', '_', '.')",
            )
        )
    settings, _ = settings_and_rules()
    folder = CaseFolder.under(settings.cases_dir, case)
    if folder.profile.is_file():
        return folder.profile, prefill_data(load_profile_yaml(folder.profile)), folder.intake(lang)
    if not folder.root.is_dir():
        raise DocgenError(
            Text(
                f"案件フォルダーがありません: {folder.root}（docgen case new で作るか、プロフィールの YAML を"
                "指定してください）",
                f"no case folder {folder.root} (make it with docgen case new, or give a profile YAML)",
            )
        )
    return None, {"case_id": case}, folder.intake(lang)


@app.command("new")
def intake_new(
    case: str = typer.Argument(..., help="the case's profile YAML, or a case id (its folder under \\[paths] cases)"),
    lang: IntakeLang = typer.Option(..., "--lang", help="the client's language (the Japanese is always beside it)"),
    out: Path | None = typer.Option(None, "--out", help="file to write (default: <case_id>-intake-<lang>.xlsx)"),
    category: str | None = typer.Option(
        None,
        "--category",
        help="category id or Japanese name when the profile has none (adds the HSP, business or supporter part)",
    ),
    spare_family: int | None = typer.Option(
        None, "--spare-family", min=0, max=20, help="empty family sheets to add (default 1, or 3 without a profile)"
    ),
) -> None:
    """Write the Excel questionnaire for a client, pre-filled from the profile (owner-only file)."""
    from docgen.intake.workbook import write_questionnaire
    from docgen.packet.safe_write import private_file

    profile, data, default_out = _source(case, lang.value)
    typer.echo(settings_line(load_settings(near=profile)), err=True)
    if category:
        from docgen.cli.args import where_option
        from docgen.rules.category_names import category_id

        _, rules = settings_and_rules()
        category = category_id(rules.book, category, where_option("--category"))  # an id, a Japanese name, a status
    target = out or default_out
    if target.suffix.lower() != ".xlsx":
        raise DocgenError(
            Text(
                f"{target}: 質問票は Excel のファイルです。…xlsx の名前にしてください",
                f"{target}: the questionnaire is an Excel file; name it …xlsx",
            )
        )
    with private_file(target, inputs=[profile] if profile else []) as part:
        write_questionnaire(part, lang.value, data, category=category, spare_family=spare_family)
    members = len([m for m in data.get("family") or [] if isinstance(m, dict)])
    typer.echo(
        say(
            f"質問票を作成しました: {target}（{lang.value}、家族 {members} 人"
            + (f"、{profile} の内容を記入済み）" if profile else "、空欄）"),
            f"questionnaire written: {target} ({lang.value}, {members} family member(s)"
            + (f", pre-filled from {profile})" if profile else ", blank)"),
        )
    )


def _read_back(path: Path, left: list[tuple[str | int, ...]]) -> Any:
    """The profile a written file holds; with fields left for the office, the file must fail on those fields
    alone, and hold the imported profile once they are filled as they were validated."""
    from docgen.errors import InputFileError
    from docgen.intake.office_fields import STAND_IN
    from docgen.profile.load import load_profile, load_profile_yaml
    from docgen.profile.model import Profile
    from docgen.validation import field_path

    if not left:
        return load_profile(path)
    try:
        load_profile(path)
    except InputFileError as exc:
        if {p.field for p in exc.problems} != {field_path(loc) for loc in left}:
            return None
    data = load_profile_yaml(path).data
    for loc in left:
        node = data
        for part in loc[:-1]:
            node = node[part]
        node[loc[-1]] = STAND_IN
    return Profile.model_validate(data)


def _before_merge(target: Path, when: datetime) -> Path:
    """Where the profile is kept before a merge replaces it: '<case_id>-profile.before-merge-YYYYMMDD-HHMMSS.yaml'
    beside it (a second merge in the same second gets '-2', '-3' …)."""
    stamp = f"{when:%Y%m%d-%H%M%S}"
    keep = target.with_name(f"{target.stem}.before-merge-{stamp}{target.suffix}")
    n = 1
    while keep.exists():
        n += 1
        keep = target.with_name(f"{target.stem}.before-merge-{stamp}-{n}{target.suffix}")
    return keep


@app.command("import")
def intake_import(
    file: Path = typer.Argument(..., help="the questionnaire the client returned (.xlsx)"),
    profile: Path | None = typer.Option(
        None,
        "--profile",
        help="the existing profile to compare with (default: the profile in the case folder of the workbook's"
        " case id, under \\[paths] cases)",
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="profile to write (default: --profile, else the case folder's profile, else <case_id>-profile.yaml"
        " beside the file)",
    ),
    merge: bool = typer.Option(
        False,
        "--merge",
        help="write the answers into the existing profile (after showing the differences; the previous version is"
        " kept beside it)",
    ),
) -> None:
    """Turn a returned questionnaire into the case's profile; an existing profile is changed only with --merge."""
    from docgen.case.checks import category_problems
    from docgen.case.folder import CaseFolder, existing_case_folder
    from docgen.intake.diff import differences
    from docgen.intake.profile_data import blank_fields, prefill_data, profile_yaml, updated_profile_yaml, without
    from docgen.intake.read import read_questionnaire
    from docgen.intake.to_profile import import_answers
    from docgen.packet.safe_write import private_file, replace_read_file
    from docgen.profile.load import load_profile_yaml

    answers = read_questionnaire(file)
    settings, rules = settings_and_rules(near=profile or out or file)
    typer.echo(settings_line(settings), err=True)
    target = out or profile
    if target is None:
        case_id = str(answers.data.get("case_id") or "")
        if not CASE_ID_RE.match(case_id) or len(case_id) > 60:
            raise DocgenError(
                Text(
                    f"{file}: 事務所用シートの案件番号が空欄か正しくないため、保存先が決まりません。"
                    "--out で指定してください",
                    f"{file}: the office sheet has no valid case id, so the profile's name is unknown; give --out",
                )
            )
        folder = existing_case_folder(settings.cases_dir, case_id)
        if folder is not None:
            target = folder.profile
            typer.echo(say(f"案件 {case_id} の案件フォルダー: {folder.root}", f"case {case_id}: folder {folder.root}"))
        else:
            target = CaseFolder(file.parent, case_id).profile
            if not target.exists():
                typer.echo(
                    say(
                        f"案件フォルダー {settings.cases_dir / case_id} がないため、プロフィールの保存先は質問票と"
                        f"同じフォルダーです: {target}",
                        f"no case folder {settings.cases_dir / case_id}: the profile's place is beside the"
                        f" questionnaire: {target}",
                    )
                )
    base_path = profile or (target if target.exists() else None)
    base = None
    base_bytes = b""
    if base_path is not None:
        with contextlib.suppress(OSError):  # load_yaml says why
            base_bytes = base_path.read_bytes()  # before parsing: a change after this is found when writing
        base = load_profile_yaml(base_path)
    imported = import_answers(
        answers, base, lambda p: category_problems(p, rules.book, rules.assessment.eligibility), rules.book
    )
    result = imported.profile
    left = [loc for loc, _ in imported.left]
    for _, note in imported.notes:
        typer.echo(say(f"確認: {note}", f"check: {note}"))
    for _, note in imported.left:
        typer.echo(say(f"事務所で記入: {note}", f"for the office: {note}"))

    if base is not None and base_path is not None:
        changes = differences(prefill_data(base), without(result.model_dump(mode="python", by_alias=True), left))
        if not changes and target.exists():
            typer.echo(
                say(
                    f"{base_path} との違いはありません。何も書き込んでいません",
                    f"no differences from {base_path}; nothing written",
                )
            )
            return
        typer.echo(say(f"{base_path} との違い {len(changes)} 件:", f"{len(changes)} difference(s) from {base_path}:"))
        for change in changes:
            typer.echo(f"  {change}")
        if target.exists() and not merge:
            typer.echo(
                say(
                    f"{target} は変更していません。この内容で書き込むには --merge を付けて実行してください"
                    "（空欄の回答は既存の値を残します。表は、1行でも記入があれば記入された行で一覧全体を"
                    "置き換えます。家族も、記入されたシートの方々で置き換えます）",
                    f"{target} was not changed; run again with --merge to write this (empty answers keep the"
                    " existing values; a table with any line filled in replaces the whole list with the lines"
                    " written, and the family sheets filled in replace the family)",
                )
            )
            return
    text = (
        updated_profile_yaml(base_bytes.decode("utf-8"), result)
        if base_path is not None
        else profile_yaml(result, f"永住許可申請 profile — docgen intake import ({file.name})")
    )
    if left:
        text = blank_fields(text, left, "事務所で記入 (docgen intake import)")

    def write(part: Path) -> None:
        part.write_text(text, encoding="utf-8")
        if _read_back(part, left) != result:  # the file must say exactly what was imported
            raise DocgenError(
                Text(
                    f"{target}: 書き出したプロフィールが読み込み結果と一致しないため、書き込みをやめました",
                    f"{target}: the profile written does not read back the same; nothing was written",
                )
            )

    same = base_path is not None and target.exists() and base_path.resolve() == target.resolve()
    if merge and same:  # the profile read is the base of the merge: staff's own edits are in it
        keep = _before_merge(target, datetime.now())
        with replace_read_file(target, bytes_sha256(base_bytes), keep, inputs=[file]) as part:
            write(part)
        typer.echo(say(f"プロフィールを書き込みました: {target}", f"profile written: {target}"))
        typer.echo(say(f"変更前のプロフィールを残しました: {keep}", f"the previous version was kept: {keep}"))
        return
    inputs = [file] + ([base_path] if base_path is not None and not same else [])
    with private_file(target, inputs=inputs) as part:
        write(part)
    typer.echo(say(f"プロフィールを書き込みました: {target}", f"profile written: {target}"))
