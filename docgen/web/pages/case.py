"""The case page (案件ページ): the decision and why, the checklist with each item's status and count, the
assessment's dates, the packet's documents and their state, the files of the case folder (downloads audited),
and the case's audit log for admins. A case or file outside the cases folder is 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from docgen.assessment.decision import DECISION_WORDS
from docgen.board.output import packet_text
from docgen.text import Text
from docgen.usecases.audit import audit_log, record_action
from docgen.usecases.case_page import NotInCases, case_file, case_page
from docgen.web.render import TEMPLATES, page

ITEM_STATUS = {
    "missing": Text("不足", "missing"),
    "partial": Text("一部", "partly"),
    "complete": Text("揃っている", "complete"),
    "unknown": Text("未確認（パケット未作成）", "not checked yet (no packet)"),
}
DOCUMENT_STATE = {
    "generated": Text("docgen が作成", "generated"),
    "edited": Text("事務所で編集", "edited by staff"),
    "missing": Text("ファイルがありません", "file missing"),
}
PREPARED_BY = {"client": Text("依頼者", "client"), "office": Text("事務所", "office")}
ACTION_WORDS = {
    "view_board": Text("一覧を表示", "viewed the board"),
    "view_case": Text("案件を表示", "viewed the case"),
    "download": Text("ダウンロード", "downloaded"),
    "upload": Text("アップロード", "uploaded"),
    "new_case": Text("案件を作成", "started the case"),
    "build": Text("パケット作成", "built the packet"),
    "build_done": Text("パケット作成完了", "packet built"),
    "build_accepted": Text("提出用を承認して作成", "filing copy built with an acceptance"),
    "build_refused": Text("パケット作成できず", "packet build refused"),
    "build_failed": Text("パケット作成失敗", "packet build failed"),
    "regenerate": Text("書類を作り直し", "regenerated a document"),
    "preview": Text("プレビュー", "previewed a document"),
    "template_install": Text("テンプレートを入替", "installed a template"),
    "checklist_install": Text("チェックリストを入替", "installed a checklist file"),
    "change": Text("変更", "changed"),
}


@dataclass(frozen=True)
class Reason:
    """A blocker, risk or point to check as the page lists it: once, with everyone it concerns."""

    text: Text
    until: date | None
    sources: tuple[Any, ...]
    applicants: tuple[str, ...]


def reasons(entries: list[Any]) -> list[Reason]:
    """The decision's entries of one kind, each said once (the case decision repeats one per applicant)."""
    grouped: dict[tuple[str, str], Reason] = {}
    for e in entries:
        key = (e.id, e.ja)
        who = (e.applicant,) if getattr(e, "applicant", None) else ()
        if key in grouped:
            seen = grouped[key]
            grouped[key] = Reason(seen.text, seen.until, seen.sources, tuple(dict.fromkeys(seen.applicants + who)))
        else:
            grouped[key] = Reason(Text(e.ja, e.en), getattr(e, "until", None), getattr(e, "sources", ()), who)
    return list(grouped.values())


def case(request: Request) -> Response:
    ctx = request.state.ctx
    case_id = request.path_params["case_id"]
    try:
        shown = case_page(ctx, case_id)
    except NotInCases:
        raise HTTPException(404) from None
    record_action(ctx, "view_case", case_id)
    user = request.state.user
    return page(
        request,
        "case.html",
        {
            "case": shown,
            "row": shown.row,
            "decision": shown.decision,
            "decision_words": {str(k.value): v for k, v in DECISION_WORDS.items()},
            "item_status": ITEM_STATUS,
            "document_state": DOCUMENT_STATE,
            "prepared_by": PREPARED_BY,
            "action_words": ACTION_WORDS,
            "packet_text": packet_text,
            "reasons": reasons,
            "category_name": _category_name(ctx, shown.row.category),
            "audit": audit_log(ctx, case_id=case_id, limit=100) if user.admin else None,
            "panels": case_panels(),
        },
    )


def _category_name(ctx: Any, category: str | None) -> str:
    found = ctx.rules.book.categories.get(category) if category else None
    return found.name.get(ctx.lang, found.name["ja"]) if found else (category or "")


def case_panels() -> list[str]:
    """The extra sections of the case page: every template in templates/case_panels/, by name (a page group
    adds its own there — an upload zone, a build button — without editing case.html)."""
    return sorted(f"case_panels/{p.name}" for p in (TEMPLATES / "case_panels").glob("*.html"))


def download(request: Request) -> Response:
    """A file of the case folder, as an attachment (its Japanese name kept); the download is audited."""
    ctx = request.state.ctx
    case_id, relative = request.path_params["case_id"], request.path_params["path"]
    try:
        path = case_file(ctx, case_id, relative)
    except NotInCases:
        raise HTTPException(404) from None
    record_action(ctx, "download", case_id, relative)
    return FileResponse(path, filename=path.name, content_disposition_type="attachment")


ROUTES = [
    Route("/cases/{case_id}", case, methods=["GET"], name="case"),
    Route("/cases/{case_id}/files/{path:path}", download, methods=["GET"], name="case_file"),
]
