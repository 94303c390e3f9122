"""Start a case folder (`docgen case new`) and, after intake, bring its evidence folders to the case
(`docgen case sync`)."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docgen.case.folder import CaseFolder, folders_under
from docgen.case.in_charge import record_staff, staff_in_charge
from docgen.case.new import CASE_ID_RE, handout_language, handout_language_note, new_case
from docgen.case.sync import SyncReport, sync_case_folder
from docgen.errors import DocgenError
from docgen.intake.profile_data import round_trip_yaml
from docgen.intake.values import BadValue, parse_date
from docgen.languages import LANGUAGES
from docgen.messages import say
from docgen.packet.safe_write import private_file
from docgen.rules.category_names import category_id
from docgen.text import Text
from docgen.usecases.context import RunContext, use_case


@dataclass(frozen=True)
class NewCase:
    """The case folder made: its profile skeleton, evidence folders and client handout."""

    folder: CaseFolder
    handout_name: str
    remade: str | None  # a half-made folder a stopped run left was made again: what happened
    language_note: str | None  # the handout is in English: there is none yet in the client's language


@dataclass(frozen=True)
class Client:
    """What the office knows of the client when the case starts: the name as in the passport (roman letters),
    the employer (a company client), the staff member in charge. Empty: not known yet."""

    family_name: str = ""
    given_name: str = ""
    employer: str = ""
    staff: str = ""


@use_case
def start_case(
    ctx: RunContext,
    case_id: str,
    category: str,
    planned: date,
    lang: str,
    *,
    pdf: bool = True,
    where: str = "",
    client: Client | None = None,
) -> NewCase:
    """Make the case folder under the office's cases folder, whole or not at all. `category` may be typed as an
    id, a Japanese name or a status (`where` names the field it was typed in). With `client`, the profile
    skeleton gets the client's name and employer, and the staff member in charge is recorded (case_staff)."""
    category = category_id(ctx.rules.book, category, where or say("類型", "category"))
    folder, remade = new_case(
        ctx.settings, ctx.rules.book, ctx.rules.release_day, case_id, category, planned, lang, handout_pdf=pdf
    )
    if client is not None:
        _fill_client(folder, client)
    handout = folder.handout(handout_language(lang), "pdf" if pdf else "docx").name
    return NewCase(folder, handout, remade, handout_language_note(lang))


def _fill_client(folder: CaseFolder, client: Client) -> None:
    """The client's name and employer in the new profile skeleton (its comments kept), the staff member in
    charge beside it (docgen.case.in_charge)."""
    values = {
        ("applicant", "family_name"): client.family_name.strip().upper(),
        ("applicant", "given_name"): client.given_name.strip().upper(),
        ("applicant", "employer", "name"): client.employer.strip(),
    }
    if any(values.values()):
        yaml = round_trip_yaml()
        doc = yaml.load(folder.profile.read_text(encoding="utf-8"))
        for (*parents, key), value in values.items():
            node = doc
            for step in parents:
                node = node[step]
            if value:
                node[key] = value
        out = io.StringIO()
        yaml.dump(doc, out)
        with private_file(folder.profile) as part:  # the skeleton docgen has just written
            part.write_text(out.getvalue(), encoding="utf-8")
    if client.staff.strip():
        record_staff(folder.root, client.staff.strip())


def case_staff(root: Path) -> str | None:
    """The staff member in charge of the case folder `root`, as recorded when it was started."""
    return staff_in_charge(root)


@dataclass(frozen=True)
class CaseChoices:
    """What the new-case page offers: a case id, the categories with their names, the client's languages."""

    suggested_id: str
    categories: list[tuple[str, Text]]
    languages: list[tuple[str, Text]]


def suggest_case_id(ctx: RunContext, family_name: str = "") -> str:
    """The next case id of the year, as offices number them: '2026-103' after 2026-101 and 2026-102 (the cases
    folder's names), with the client's family name in roman letters: '2026-103-wang'."""
    year = ctx.now.year
    taken = [0]
    try:
        for folder in folders_under(ctx.settings.cases_dir):
            m = re.match(rf"^{year}-(\d{{3,4}})(?:-|$)", folder.name)
            if m:
                taken.append(int(m.group(1)))
    except OSError:
        pass
    slug = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKC", family_name).lower()).strip("-")[:20]
    return f"{year}-{max(taken) + 1:03d}" + (f"-{slug}" if slug else "")


@use_case
def new_case_choices(ctx: RunContext) -> CaseChoices:
    """The choices of the new-case page: the next case id, every category (Japanese name and id), the languages."""
    book = ctx.rules.book.categories
    categories = [
        (cid, Text(f"{c.name.get('ja', cid)}（{cid}）", f"{c.name.get('en', c.name.get('ja', cid))} ({cid})"))
        for cid, c in book.items()
    ]
    languages = [(code, lang.name) for code, lang in LANGUAGES.items()]
    return CaseChoices(suggest_case_id(ctx), categories, languages)


class CaseFormProblems(DocgenError):
    """What is wrong in the new-case page, field by field (nothing was made)."""

    def __init__(self, fields: dict[str, str]):
        self.fields = fields
        super().__init__(
            Text("入力に問題があります。案件は作っていません", "some fields need correcting; no case was made")
        )


@use_case
def start_case_from_page(
    ctx: RunContext,
    *,
    case_id: str,
    category: str,
    planned: str,
    lang: str,
    client: Client,
    pdf: bool = True,
) -> NewCase:
    """`start_case` with the values as typed on a page: the planned date as the questionnaire reads dates
    (和暦, full-width), an empty case id the suggested one. Problems are raised together, by field."""
    problems: dict[str, str] = {}
    case_id = unicodedata.normalize("NFKC", case_id).strip() or suggest_case_id(ctx, client.family_name)
    if not CASE_ID_RE.match(case_id):
        problems["case_id"] = say(
            "半角英数字と '-'、'_'、'.' で60文字以内にしてください（フォルダー名になります）",
            "use up to 60 letters, digits, '-', '_' and '.' (it becomes a folder name)",
        )
    elif (ctx.settings.cases_dir / case_id).exists():
        problems["case_id"] = say(
            "この案件番号の案件フォルダーは既にあります", "a case folder with this id already exists"
        )
    day: date | None = None
    try:
        day = parse_date(planned)
        if day is None:
            problems["planned"] = say("申請予定日を入力してください", "give the planned filing date")
    except BadValue as exc:
        problems["planned"] = str(exc)
    if category not in ctx.rules.book.categories:
        problems["category"] = say("類型を一覧から選んでください", "choose a category from the list")
    if lang not in LANGUAGES:
        problems["lang"] = say("依頼者の言語を一覧から選んでください", "choose the client's language from the list")
    for name in ("family_name", "given_name"):
        typed = unicodedata.normalize("NFKC", getattr(client, name)).strip()
        if typed and not re.fullmatch(r"[A-Za-z][A-Za-z' .\-]*", typed):
            problems[name] = say(
                "旅券のとおりローマ字で書いてください", "write the name in roman letters exactly as in the passport"
            )
    if problems or day is None:
        raise CaseFormProblems(problems)
    normalised = Client(
        unicodedata.normalize("NFKC", client.family_name),
        unicodedata.normalize("NFKC", client.given_name),
        client.employer,
        client.staff,
    )
    return start_case(ctx, case_id, category, day, lang, pdf=pdf, client=normalised)


@use_case
def sync_case(ctx: RunContext, target: str) -> SyncReport:
    """Bring the case folder's evidence folders to the numbers of its 提出書類一覧表 (add, renumber, report)."""
    return sync_case_folder(target, ctx.settings, ctx.rules, ctx.now)
