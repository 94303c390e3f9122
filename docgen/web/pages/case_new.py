"""A new case (新規案件): the form `docgen case new` takes on the command line — the case id (the next of the
year suggested), the client's name, the category by its Japanese name, the planned filing date (和暦 accepted),
the client's language, the staff member in charge, the employer of a company client — making the same case
folder (profile skeleton, evidence folders, the client's handout)."""

from __future__ import annotations

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from docgen.errors import DocgenError
from docgen.usecases.accounts import list_accounts
from docgen.usecases.audit import record_action
from docgen.usecases.case_folder import CaseFormProblems, Client, new_case_choices, start_case_from_page
from docgen.web.render import page

FIELDS = ("case_id", "family_name", "given_name", "category", "planned", "lang", "staff", "employer")


def _form(
    request: Request, typed: dict[str, str], problems: dict[str, str], error: object = None, status: int = 200
) -> Response:
    ctx = request.state.ctx
    choices = new_case_choices(ctx)
    staff = [u.name for u in list_accounts(ctx) if not u.disabled]
    values = {"staff": request.state.user.name, "lang": "ja", "pdf": "1", **typed}
    return page(
        request,
        "case_new.html",
        {"choices": choices, "staff": staff, "values": values, "problems": problems, "error": error},
        status_code=status,
    )


def new_case_form(request: Request) -> Response:
    return _form(request, {}, {})


async def new_case_submit(request: Request) -> Response:
    async with request.form() as form:
        typed = {name: str(form.get(name, "")) for name in FIELDS}
        pdf = form.get("pdf") == "1"
    typed["pdf"] = "1" if pdf else ""
    ctx = request.state.ctx
    client = Client(typed["family_name"], typed["given_name"], typed["employer"], typed["staff"])

    def start() -> str:
        made = start_case_from_page(
            ctx,
            case_id=typed["case_id"],
            category=typed["category"],
            planned=typed["planned"],
            lang=typed["lang"],
            client=client,
            pdf=pdf,
        )
        record_action(ctx, "new_case", made.folder.case_id, made.folder.profile.name)
        return made.folder.case_id

    try:
        case_id = await to_thread.run_sync(start)
    except CaseFormProblems as exc:
        problems = exc.fields
        return await to_thread.run_sync(lambda: _form(request, typed, problems, status=400))
    except DocgenError as exc:
        error = exc.text
        return await to_thread.run_sync(lambda: _form(request, typed, {}, error, status=400))
    return RedirectResponse(request.url_for("case", case_id=case_id), status_code=303)


ROUTES = [
    Route("/new-case", new_case_form, methods=["GET"], name="new_case"),
    Route("/new-case", new_case_submit, methods=["POST"], name="new_case_submit"),
]
