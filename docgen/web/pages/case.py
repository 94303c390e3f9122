"""The case page (案件ページ): the decision and why, the checklist with each item's status and count, the
assessment's dates, the packet's documents and their state, the files of the case folder (downloads audited),
and the case's audit log for admins. A case or file outside the cases folder is 404."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from docgen.assessment.decision import DECISION_WORDS
from docgen.board.output import packet_text
from docgen.text import Text
from docgen.usecases.audit import audit_log, record_action
from docgen.usecases.case_page import NotInCases, case_file, case_page
from docgen.web.render import page

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
    "build": Text("パケット作成", "built the packet"),
    "change": Text("変更", "changed"),
}


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
            "audit": audit_log(ctx, case_id=case_id, limit=100) if user.admin else None,
        },
    )


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
