"""`docgen serve` (the web app), `docgen users add|list|disable|passwd` (its staff accounts) and `docgen audit`
(its audit log as CSV or JSON)."""

from __future__ import annotations

import csv
import io
import json
import signal
import sys
from pathlib import Path

import typer

from docgen.board.output import spreadsheet_safe
from docgen.cli.args import context, now, parse_date
from docgen.errors import DocgenError
from docgen.messages import say
from docgen.text import Text

users_app = typer.Typer(
    help="Web アプリのアカウント: 追加 (add)・一覧 (list)・無効化 (disable)・パスワード変更 (passwd).",
    no_args_is_help=True,
)


def serve(
    port: int = typer.Option(8765, "--port", min=1, max=65535, help="待ち受けるポート / port"),
    host: str = typer.Option("127.0.0.1", "--host", help="待ち受けるアドレス (既定: このパソコンだけ) / address"),
    tls_cert: Path | None = typer.Option(None, "--tls-cert", help="TLS 証明書 (PEM) / TLS certificate"),
    tls_key: Path | None = typer.Option(None, "--tls-key", help="TLS 秘密鍵 (PEM) / TLS private key"),
    trust_lan: bool = typer.Option(
        False, "--trust-lan", help="TLS なしで事務所のネットワークに公開する (記録されます) / serve the LAN without TLS"
    ),
) -> None:
    """案件一覧・案件ページをブラウザーで (既定 http://127.0.0.1:8765) / the web app."""
    from docgen.usecases.accounts import NoAccount, OpenNetwork, check_serving

    if (tls_cert is None) != (tls_key is None):
        raise DocgenError(
            Text(
                "--tls-cert と --tls-key は両方指定してください",
                "give both --tls-cert and --tls-key",
            )
        )
    for option, file in (("--tls-cert", tls_cert), ("--tls-key", tls_key)):
        if file is not None and not file.is_file():
            raise DocgenError(Text(f"{option}: ファイルがありません: {file}", f"{option}: file not found: {file}"))
    ctx = context()
    try:
        serving = check_serving(ctx, host, tls=tls_cert is not None, trust_lan=trust_lan)
    except NoAccount as exc:
        raise DocgenError(
            exc.text + Text("（docgen users add 名前 --role admin）", " (docgen users add NAME --role admin)")
        ) from None
    except OpenNetwork as exc:
        raise DocgenError(
            exc.text
            + Text("（--tls-cert と --tls-key、または --trust-lan）", " (--tls-cert and --tls-key, or --trust-lan)")
        ) from None
    scheme = "https" if serving.tls else "http"
    where = f"[{host}]" if ":" in host else host
    typer.echo(say(f"docgen の Web アプリ: {scheme}://{where}:{port}/", f"docgen web app: {scheme}://{where}:{port}/"))
    if serving.trusted_lan:
        typer.echo(
            say(
                f"注意: TLS なしで {host} に公開しています"
                "（事務所のネットワークを信頼するとして監査ログに記録しました）",
                f"note: serving {host} without TLS (the trusted office network was recorded in the audit log)",
            ),
            err=True,
        )
    typer.echo(say("終了するには Ctrl-C を押してください", "press Ctrl-C to stop"), err=True)
    import uvicorn

    for signum in (signal.SIGINT, signal.SIGTERM):  # the server finishes its requests, then the command ends quietly
        signal.signal(signum, _stopped)

    from docgen.web.app import create_app
    from docgen.web.jobs import start_packet_jobs

    app = create_app(ctx, clock=now, secure=serving.tls)
    jobs = start_packet_jobs(app)  # builds queued before a restart run at once
    try:
        uvicorn.run(
            app,
            host=host,
            port=port,
            ssl_certfile=str(tls_cert) if tls_cert else None,
            ssl_keyfile=str(tls_key) if tls_key else None,
            access_log=False,  # URLs name cases; what staff do is in the audit log
            log_level="warning",
            server_header=False,
        )
    finally:
        jobs.stop()  # a running build finishes; a queued one waits for the next start


def _stopped(signum: int, frame: object) -> None:
    typer.echo(say("Web アプリを停止しました", "the web app has stopped"), err=True)
    raise typer.Exit(0)


def _password(from_stdin: bool) -> str:
    """The new password: one line of standard input, or typed twice at the terminal (not shown)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(
        typer.prompt(
            say("パスワード", "password"),
            hide_input=True,
            confirmation_prompt=say("パスワード（確認）", "password (again)"),
        )
    )


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="ログイン名 / login name"),
    role: str = typer.Option("staff", "--role", help="admin または staff"),
    lang: str = typer.Option("ja", "--lang", help="画面の言語 ja または en / the pages' language"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="パスワードを標準入力から読む"),
) -> None:
    """アカウントを追加する / add an account."""
    from docgen.usecases.accounts import add_account

    user = add_account(context(), name, _password(password_stdin), role, lang)
    typer.echo(
        say(f"アカウントを追加しました: {user.name}（{user.role}）", f"account added: {user.name} ({user.role})")
    )


@users_app.command("list")
def users_list() -> None:
    """アカウントの一覧 / list the accounts."""
    from docgen.usecases.accounts import list_accounts

    for user in list_accounts(context()):
        state = say("無効", "disabled") if user.disabled else say("有効", "active")
        typer.echo(f"{user.name}\t{user.role}\t{user.lang}\t{state}\t{user.created_at}")


@users_app.command("disable")
def users_disable(name: str = typer.Argument(..., help="ログイン名 / login name")) -> None:
    """アカウントを無効にする（ログイン中のセッションも終わります） / disable an account."""
    from docgen.usecases.accounts import disable_account

    user = disable_account(context(), name)
    typer.echo(say(f"アカウントを無効にしました: {user.name}", f"account disabled: {user.name}"))


@users_app.command("passwd")
def users_passwd(
    name: str = typer.Argument(..., help="ログイン名 / login name"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="パスワードを標準入力から読む"),
) -> None:
    """パスワードを変更する（そのアカウントのセッションは終わります） / change a password."""
    from docgen.usecases.accounts import change_password

    user = change_password(context(), name, _password(password_stdin))
    typer.echo(say(f"パスワードを変更しました: {user.name}", f"password changed: {user.name}"))


AUDIT_FORMATS = ("csv", "json")
AUDIT_HEADERS = ("id", "日時", "アカウント", "操作", "案件ID", "文書")


def audit_command(
    fmt: str = typer.Option("csv", "--format", help="csv または json"),
    case: str | None = typer.Option(None, "--case", help="この案件だけ / one case only"),
    since: str | None = typer.Option(None, "--since", help="この日から (YYYY-MM-DD) / from this day"),
    output: Path | None = typer.Option(None, "--output", "-o", help="書き出すファイル (既定: 画面) / file to write"),
) -> None:
    """監査ログ（誰が・いつ・何を）を CSV か JSON で書き出す / export the audit log."""
    from datetime import datetime, time

    from docgen.usecases.audit import audit_log

    if fmt not in AUDIT_FORMATS:
        raise DocgenError(
            Text(
                f"--format は {', '.join(AUDIT_FORMATS)} のいずれかです（'{fmt}' が指定されました）",
                f"--format must be one of: {', '.join(AUDIT_FORMATS)} (got '{fmt}')",
            )
        )
    ctx = context()
    day = parse_date(since, "--since")
    start = datetime.combine(day, time(), tzinfo=ctx.now.tzinfo) if day else None
    entries = audit_log(ctx, case, start)
    if fmt == "json":
        text = json.dumps([e.to_json() for e in entries], ensure_ascii=False, indent=2) + "\n"
    else:
        out = io.StringIO()
        w = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow(AUDIT_HEADERS)
        for e in entries:
            w.writerow(spreadsheet_safe(str(cell)) for cell in (e.id, e.at, e.user, e.action, e.case_id, e.document))
        text = out.getvalue()
    if output is None:
        typer.echo(text, nl=False)
        return
    from docgen.usecases.audit import write_export

    write_export(ctx, output, text)
    typer.echo(
        say(f"監査ログ: {output}（{len(entries)}件）", f"audit log: {output} ({len(entries)} entries)"), err=True
    )
