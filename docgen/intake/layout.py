"""What the questionnaire asks, sheet by sheet: every question is a field of the profile model.

A question knows its place in the profile (`path`, the YAML names), its label (a key in questions.yaml) and
its kind, taken from the model's type: dates, months (YYYY-MM), years, amounts, yes/no and the model's
Literal choices become dropdowns. The writer and the reader both walk these layouts, so a question is
written and read back the same way; tests/test_intake.py checks every profile field has a question.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from docgen.profile.annotations import optional_inner
from docgen.profile.hsp import HspFacts
from docgen.profile.model import (
    Applicant,
    ApplicationDetails,
    CoApplication,
    Enrolment,
    FamilyMember,
    FilingAgent,
    Guarantor,
    Profile,
    ResidencePeriod,
    Supporter,
)

Kind = Literal["text", "latin", "date", "month", "year", "int", "amount", "bool", "choice"]

LATIN = {"family_name", "given_name", "number", "residence_card_number", "card_number", "phone", "mobile"}
LATIN |= {"workplace_phone", "case_id", "category"}
AMOUNTS = {"amount", "capital_yen"}
# yes/no questions whose empty cell is safely いいえ: nothing on a form says 「無」 for them, and いいえ is the strict
# reading (住民税非課税 left empty: the year is taken as taxed, so its payment is still checked)
EMPTY_IS_NO = {"non_taxable"}


@dataclass(frozen=True)
class Question:
    path: tuple[str, ...]  # inside the sheet's part of the profile, YAML names: ("passport", "number")
    label: str  # key in questions.yaml
    kind: Kind
    choices: tuple[str, ...] = ()  # the Japanese values of a dropdown that allows nothing else
    suggest: str = ""  # a list in questions.yaml offered in a dropdown that accepts other values too
    required: bool = False
    default: Any = None  # the model's default when the answer is left out (None: required, or a list / block)
    block: tuple[str, ...] = ()  # the optional block the question belongs to (("hsp",), ("application",))

    @property
    def empty_means_no(self) -> bool:
        """A yes/no question the model would answer いいえ (false) when the cell is left empty: the import must
        not let an unanswered question become 「無」 on the form (EMPTY_IS_NO aside)."""
        return self.kind == "bool" and self.default is False and self.path[-1] not in EMPTY_IS_NO


@dataclass(frozen=True)
class Table:
    path: tuple[str, ...]  # the list: ("trips",), ("hsp", "degrees"), ("application", "income")
    label: str
    columns: tuple[Question, ...]  # paths inside one entry


@dataclass(frozen=True)
class Section:
    title: str  # a key of ui (section.*) or of questions (applicant.employer)
    questions: tuple[Question, ...]


Item = Section | Table


@dataclass(frozen=True)
class SheetLayout:
    role: Literal["applicant", "family", "guarantor", "office"]
    title: str  # ui key of the sheet name
    root: tuple[str, ...]  # where the answers go in the profile (a family sheet adds its index when read)
    items: tuple[Item, ...]


def _field(model: type[BaseModel], name: str) -> tuple[type[BaseModel], str, Any]:
    """(owning model, python field name, FieldInfo) of a YAML name (an alias such as 'return' included)."""
    for field_name, info in model.model_fields.items():
        if name in (field_name, info.alias):
            return model, field_name, info
    raise KeyError(f"{model.__name__} has no field {name}")


def _model_of(annotation: Any) -> type[BaseModel]:
    inner, _ = optional_inner(annotation)
    if get_origin(inner) is list:
        (inner,) = get_args(inner)
    assert isinstance(inner, type) and issubclass(inner, BaseModel)
    return inner


def question(model: type[BaseModel], dotted: str, label: str, prefix: tuple[str, ...] = ()) -> Question:
    """The question for `dotted` (a YAML path inside `model`), its kind read from the model's type."""
    *parents, name = dotted.split(".")
    owner = model
    block = prefix  # a prefix is an optional block (a co-applicant's `application`, `hsp`, `supporter`)
    for n, part in enumerate(parents, start=1):
        parent = _field(owner, part)[2]
        if optional_inner(parent.annotation)[1]:
            block = (*prefix, *parents[:n])
        owner = _model_of(parent.annotation)
    owner, _, info = _field(owner, name)
    annotation, optional = optional_inner(info.annotation)
    required = info.is_required() and not optional
    default = None if info.is_required() or info.default_factory is not None else info.default
    choices: tuple[str, ...] = ()
    suggest = ""
    kind: Kind
    if get_origin(annotation) is Literal:
        kind, choices = "choice", tuple(str(a) for a in get_args(annotation))
    elif annotation is bool:
        kind = "bool"
    elif annotation is date:
        kind = "date"
    elif annotation is int:
        kind = "year" if name == "year" else "amount" if name in AMOUNTS else "int"
    elif issubclass(owner, Enrolment) and name in ("start", "end"):
        kind = "month"
    else:
        kind = "latin" if name in LATIN else "text"
        if name == "status" and owner in (ApplicationDetails, Applicant, CoApplication, ResidencePeriod, FamilyMember):
            suggest = "statuses"
        elif name == "period_of_stay":
            suggest = "periods"
        elif name == "relationship" and owner is FamilyMember:
            suggest = "relationships"
    return Question((*prefix, *dotted.split(".")), label, kind, choices, suggest, required, default, block)


def table(model: type[BaseModel], name: str, label: str, prefix: tuple[str, ...] = (), columns: str = "") -> Table:
    """A list field as a table, one column per field of its entries (labels under `columns`, default `label`)."""
    entry = _model_of(_field(model, name)[2].annotation)
    cols = tuple(
        question(entry, info.alias or field_name, f"{columns or label}.{info.alias or field_name}")
        for field_name, info in entry.model_fields.items()
    )
    return Table((*prefix, name), label, cols)


PERSON = ("family_name", "given_name", "name_kanji", "nationality", "birth_date", "sex")
CONTACT = ("address", "phone", "mobile")
DETAILS = (
    "birth_place",
    "home_town",
    "occupation",
    "passport.number",
    "passport.expiry",
    "residence_card_number",
    "status",
    "period_of_stay",
    "stay_expiry",
    "criminal_record.has_record",
    "criminal_record.details",
    "reason",
)
DETAIL_TABLES = ("residence_history", "trips", "income", "pension", "health_insurance", "traffic", "other_identities")
EMPLOYER = ("name", "address", "phone", "since", "position")
OFFICE_FACTS = ("trips_confirmed_since", "notifications_on_time", "statement")  # the office checks or writes them
HSP = (
    "field",
    "holder_since",
    "notice_copy",
    "position",
    "position_since",
    "japanese",
    "japanese_since",
    "stated_points_now",
    "stated_points_reference",
)
HSP_TABLES = ("points_history", "degrees", "experience", "salary", "research", "qualifications", "bonuses")
FAMILY = ("relationship", "living_together", "workplace", "card_number", "status", "marriage_date", "filing_together")

# Sections only some categories need (as in `docgen profile init`); shown too when the profile has them.
HSP_CATEGORIES = {"hsp_70", "hsp_80", "hsp_points_70", "hsp_points_80"}
BUSINESS_CATEGORIES = {"keiei_kanri"}
SUPPORTER_CATEGORIES = {"kazoku_taizai", "child"}  # a child: the parent who supports them (法定代理人 if a minor)


def _details(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> tuple[Question, ...]:
    return tuple(question(model, f, f"applicant.{f}", prefix) for f in DETAILS)


def _detail_tables(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> tuple[Table, ...]:
    return tuple(table(model, t, f"applicant.{t}", prefix) for t in DETAIL_TABLES)


def applicant_sheet(*, hsp: bool, business: bool) -> SheetLayout:
    a = Applicant
    items: list[Item] = [
        Section("section.person", tuple(question(a, f, f"applicant.{f}") for f in PERSON + CONTACT)),
        Section(
            "section.application",
            _details(a) + (question(a, "social_insurance_employer", "applicant.social_insurance_employer"),),
        ),
        Section("applicant.employer", tuple(question(a, f"employer.{f}", f"applicant.employer.{f}") for f in EMPLOYER)),
        *_detail_tables(a)[:2],
        table(a, "employment", "applicant.employment"),
        *_detail_tables(a)[2:],
    ]
    items.append(Section("section.office_facts", tuple(question(a, f, f"applicant.{f}") for f in OFFICE_FACTS)))
    if hsp:
        items.append(Section("applicant.hsp", tuple(question(a, f"hsp.{f}", f"applicant.hsp.{f}") for f in HSP)))
        items += [table(HspFacts, t, f"applicant.hsp.{t}", ("hsp",)) for t in HSP_TABLES]
    if business:
        fields = [info.alias or n for n, info in _model_of(a.model_fields["business"].annotation).model_fields.items()]
        items.append(
            Section(
                "applicant.business", tuple(question(a, f"business.{f}", f"applicant.business.{f}") for f in fields)
            )
        )
    return SheetLayout("applicant", "sheet.applicant", ("applicant",), tuple(items))


def family_sheet() -> SheetLayout:
    m, app = FamilyMember, ("application",)
    items: list[Item] = [
        Section("section.person", tuple(question(m, f, f"applicant.{f}") for f in PERSON)),
        Section("section.family", tuple(question(m, f, f"family.{f}") for f in FAMILY)),
        table(m, "income", "family.income", columns="applicant.income"),
        Section(
            "section.co_application",
            (
                question(CoApplication, "category", "application.category", app),
                question(CoApplication, "guarantor_relationship", "application.guarantor_relationship", app),
                *(question(CoApplication, f, f"applicant.{f}", app) for f in ("phone", "mobile")),
                *_details(CoApplication, app),
                *(question(CoApplication, f, f"applicant.{f}", app) for f in OFFICE_FACTS),
            ),
        ),
        *_detail_tables(CoApplication, app)[:2],
        table(CoApplication, "employment", "applicant.employment", app),
        *_detail_tables(CoApplication, app)[2:],
    ]
    return SheetLayout("family", "sheet.family", ("family",), tuple(items))


def guarantor_sheet(*, supporter: bool) -> SheetLayout:
    g = tuple(info.alias or n for n, info in Guarantor.model_fields.items())
    items: list[Item] = [
        Section("section.guarantor", tuple(question(Profile, f"guarantor.{f}", f"guarantor.{f}") for f in g))
    ]
    if supporter:
        s = tuple(n for n, info in Supporter.model_fields.items() if n != "income")
        items.append(
            Section("section.supporter", tuple(question(Profile, f"supporter.{f}", f"supporter.{f}") for f in s))
        )
        items.append(table(Supporter, "income", "supporter.income", ("supporter",), columns="applicant.income"))
    return SheetLayout("guarantor", "sheet.guarantor", (), tuple(items))


def office_sheet() -> SheetLayout:
    agent = tuple(info.alias or n for n, info in FilingAgent.model_fields.items())
    return SheetLayout(
        "office",
        "sheet.office",
        (),
        (
            Section(
                "section.case",
                tuple(
                    question(Profile, f, f"case.{f}")
                    for f in ("case_id", "category", "application_date", "client_language")
                ),
            ),
            Section(
                "section.filing_agent",
                tuple(question(Profile, f"filing_agent.{f}", f"filing_agent.{f}") for f in agent),
            ),
        ),
    )


def questions_of(item: Item) -> tuple[Question, ...]:
    return item.questions if isinstance(item, Section) else item.columns
