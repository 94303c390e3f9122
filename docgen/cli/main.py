"""The `docgen` command: a thin layer over the library (see README for the staff workflow).

Each command builds what it needs once (settings, rules, the case) and hands it to the library.
"""

from __future__ import annotations

import errno
import os
import signal
import sys

import typer

from docgen.cli import assess, batch, cases, checklist, converter, intake, packet, profile, templates, web
from docgen.cli.args import Stages
from docgen.cli.case import case_app
from docgen.cli.steps import how as how_to
from docgen.cli.steps import with_steps
from docgen.cli.usage import show_usage_error
from docgen.errors import DocgenError, InputFileError
from docgen.messages import message_lang, say

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="永住許可申請: checklists and application packets for 行政書士 offices.",
)


@app.callback()
def _options(
    lang: str = typer.Option("", "--lang", help="messages: ja (default) or en (also DOCGEN_LANG or an English locale)"),
) -> None:
    """永住許可申請: checklists and application packets for 行政書士 offices."""
    if lang:
        os.environ["DOCGEN_LANG"] = lang


app.command()(checklist.categories)
app.command()(checklist.checklist)
app.command("assess")(assess.assess_command)
app.command("points")(assess.points_command)
app.command("packet")(packet.packet)
app.command("cases")(cases.cases_command)
app.add_typer(profile.profile_app, name="profile")
app.add_typer(case_app, name="case")
app.add_typer(checklist.checklists_app, name="checklists")
app.add_typer(templates.app, name="templates")
app.add_typer(intake.app, name="intake")
app.add_typer(batch.app, name="batch")
app.add_typer(converter.app, name="converter")
app.command("serve")(web.serve)
app.add_typer(web.users_app, name="users")
app.command("audit")(web.audit_command)


class Interrupted(BaseException):
    """SIGTERM or SIGHUP (a closed terminal, `timeout`, `kill`): unwinds like Ctrl-C, so clean-up runs."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


def _raise_interrupted(signum: int, frame: object) -> None:
    raise Interrupted(signum)


def os_error_message(exc: OSError) -> str:
    """A file-system error in staff words: which file, and what to do."""
    name = f" {exc.filename}" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return say(
            f"ディスクの空きがありません{name}。空きを作ってから、もう一度実行してください",
            f"the disk is full{name}; free some space and run again",
        )
    if isinstance(exc, PermissionError):
        return say(
            f"書き込み・読み込みの権限がありません:{name}。フォルダーの権限を確認してください",
            f"permission denied:{name}; check the folder's permissions",
        )
    if isinstance(exc, IsADirectoryError):
        return say(f"ファイルではなくフォルダーです:{name}", f"this is a folder, not a file:{name}")
    reason = exc.strerror or type(exc).__name__
    return say(f"ファイルを読み書きできません:{name}（{reason}）", f"cannot read or write the file:{name} ({reason})")


def _language_first(argv: list[str]) -> None:
    """`docgen --lang en …`: applied before the command line is read, so that a mistyped command is answered in
    that language too. Only the options before the command count (`intake new … --lang zh` is the client's)."""
    for i, arg in enumerate(argv):
        if arg.startswith("--lang="):
            os.environ["DOCGEN_LANG"] = arg.removeprefix("--lang=")
        elif arg == "--lang" and i + 1 < len(argv):
            os.environ["DOCGEN_LANG"] = argv[i + 1]
        elif not arg.startswith("-") and (i == 0 or argv[i - 1] != "--lang"):
            return


def main() -> None:
    """Entry point: expected errors become plain messages (exit 2), an interruption says what happened (exit 130),
    anything else a short message and an owner-only log without personal values (exit 1) — never a traceback."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_interrupted)
    _language_first(sys.argv[1:])
    stages = Stages()
    try:
        code = app(standalone_mode=False, obj=stages)
    except InputFileError as exc:
        typer.echo(
            say(f"エラー: {len(exc.problems)}件の問題があります:", f"error: {len(exc.problems)} problem(s) found:"),
            err=True,
        )
        for p in exc.problems:
            typer.echo(f"  {p}", err=True)
        for step in exc.steps:
            typer.echo(f"  → {how_to(step)}", err=True)
        sys.exit(2)
    except DocgenError as exc:
        typer.echo(say("エラー: ", "error: ") + with_steps(exc, exc.steps), err=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, Interrupted, typer.Abort) as exc:
        how = exc.args[0] if isinstance(exc, Interrupted) else "Ctrl-C"
        now, done = stages.now, stages.done
        typer.echo(
            say(
                (f"「{now}」の途中で" if now else "")
                + f"中断しました ({how})。"
                + (f"「{done}」までは終わっていましたが、" if done else "")
                + "前回までの出力と事務所で編集したファイルは残っています（一式の書き換えの途中だった場合は、次に同じ"
                "一式を作成するときに書き換えを完了します）",
                "interrupted"
                + (f" during '{now}'" if now else "")
                + f" ({how})"
                + (f"; '{done}' had finished" if done else "")
                + ". Earlier outputs and staff's edits are kept (if a packet was being put in place, the next build"
                " of that packet finishes it)",
            ),
            err=True,
        )
        sys.exit(130)
    except OSError as exc:
        message = os_error_message(exc)
        typer.echo(say(f"エラー: {message}", f"error: {message}"), err=True)
        sys.exit(2)
    except Exception as exc:
        exit_code = getattr(exc, "exit_code", None)
        if hasattr(exc, "show") and isinstance(exit_code, int):  # usage errors from click: shown as usage
            if message_lang() == "ja" and type(exc).__name__ != "NoArgsIsHelpError":
                show_usage_error(exc, lambda text: typer.echo(text, err=True))
            else:
                exc.show()
            sys.exit(exit_code)
        from datetime import datetime

        from docgen.usecases.error_log import write_error_log

        log = write_error_log(exc, f"docgen {' '.join(sys.argv[1:2])}", datetime.now())
        kind = type(exc).__name__
        typer.echo(
            say(
                f"エラー: 予期しないエラーが発生しました ({kind})。"
                + (f"詳細は {log}（個人情報は含みません）" if log else "ログを書けませんでした"),
                f"error: an unexpected error occurred ({kind}). "
                + (f"Details in {log} (no personal data)" if log else "The log could not be written"),
            ),
            err=True,
        )
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
