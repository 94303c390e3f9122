"""Build a template's context (`DocumentContext`) for one applicant: views of the applicant, everyone
filing, the family table from that applicant's point of view, the guarantor and the filing agent."""

from __future__ import annotations

from datetime import date
from typing import Any

from docgen.dates import completed_years
from docgen.documents.context import ApplicantView, CaseInfo, DocumentContext, FamilyRow, RepresentativeView
from docgen.documents.letters import letter_text
from docgen.documents.reason_letter import reason_letter
from docgen.profile.family import guarantor_relationship, is_minor, legal_representative, relation_from
from docgen.profile.model import SPOUSES, CriminalRecord, FamilyMember, Person, Profile, TrafficViolation


def _view(profile: Profile, member: FamilyMember | None) -> ApplicantView:
    a = profile.applicant
    person = member or a
    details = member.application if member is not None else a
    assert details is not None
    on = profile.application_date
    history = sorted(details.residence_history, key=lambda r: r.start)
    first = history[0].start if history else None
    married = any(
        row.relationship in SPOUSES for row in _family_rows(profile, member)
    )  # 配偶者の有無, from this person's view
    return ApplicantView(
        is_main=member is None,
        relationship_to_main="本人" if member is None else member.relationship,
        family_name=person.family_name,
        given_name=person.given_name,
        roman_name=person.roman_name,
        name_kanji=person.name_kanji,
        display_name=person.display_name,
        nationality=person.nationality,
        birth_date=person.birth_date,
        age=person.age_on(on),
        sex=person.sex,
        birth_place=details.birth_place,
        home_town=details.home_town,
        occupation=details.occupation,
        address=a.address,
        phone=details.phone or (a.phone if member is not None and member.living_together else ""),
        mobile=details.mobile,
        passport=details.passport,
        residence_card_number=details.residence_card_number,
        status=details.status,
        period_of_stay=details.period_of_stay,
        stay_expiry=details.stay_expiry,
        criminal_record=criminal_record(details.criminal_record, details.traffic),
        other_identities=details.other_identities,
        reason=details.reason or "［永住許可を申請する理由を簡潔に記入（詳しくは理由書）］",  # 申請書14, never blank
        married=married,
        residence_history=history,
        first_entry=first,
        years_in_japan=completed_years(first, on) if first else 0,
        trips=sorted(details.trips, key=lambda t: t.departure),
        trips_confirmed_since=details.trips_confirmed_since,
        income=sorted(details.income, key=lambda i: i.year),
        pension=details.pension,
        health_insurance=details.health_insurance,
        employment=sorted(details.employment, key=lambda j: j.start),
        employer=a.employer if member is None else None,
        age_16_or_over=person.age_on(on) >= 16,
        minor=is_minor(person, on),
        legal_representative=_representative(profile, member),
        guarantor_relationship=guarantor_relationship(profile, member),
    )


def _representative(profile: Profile, member: FamilyMember | None) -> RepresentativeView | None:
    rep = legal_representative(profile, member)
    return None if rep is None else RepresentativeView(**vars(rep))


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"  # the 申請書 is 西暦


def criminal_record(record: CriminalRecord, traffic: list[TrafficViolation]) -> CriminalRecord:
    """申請書13: a 罰金 (traffic included: 略式命令, 赤切符) is a criminal penalty, so the answer is 有 with its
    details from the recorded fines (reference §11.3); what staff wrote is kept when they wrote details."""
    fines = [t for t in traffic if t.kind == "罰金"]
    if not fines or record.details:
        return record if record.details or not fines else record.model_copy(update={"has_record": True})
    details = "、".join(
        f"{_day(t.date)} {t.description or '交通違反'}により罰金"
        + (f"（{_day(t.paid_on)}納付）" if t.paid_on else "（納付日：［ ］）")
        for t in fines
    )
    return CriminalRecord(has_record=True, details=details)


def _row(
    person: Person, relationship: str, living_together: bool, workplace: str, card: str, filing: bool
) -> FamilyRow:
    return FamilyRow(
        relationship=relationship,
        name=person.display_name,
        roman_name=person.roman_name,
        birth_date=person.birth_date,
        nationality=person.nationality,
        living_together=living_together,
        workplace=workplace,
        card_number=card,
        filing_together=filing,
    )


def _family_rows(profile: Profile, member: FamilyMember | None) -> list[FamilyRow]:
    """The family table of `member`'s form (the main applicant's when None): everyone else in the household."""
    a = profile.applicant
    rows = []
    if member is not None:  # the main applicant appears in a co-applicant's table
        workplace = a.employer.name if a.employer else ""
        rows.append(
            _row(
                a, relation_from(member, None, a.sex), member.living_together, workplace, a.residence_card_number, True
            )
        )
    for m in profile.family:
        if m is not member:
            card = m.application.residence_card_number if m.application else m.card_number
            rows.append(
                _row(m, relation_from(member, m, a.sex), m.living_together, m.workplace, card, m.filing_together)
            )
    return rows


def build_context(
    profile: Profile,
    member: FamilyMember | None = None,
    *,
    today: date,
    category_name: str = "",
    route_name: str = "",
    **extra: Any,
) -> DocumentContext:
    """The context for one applicant's documents (`member` None = the main applicant)."""
    members: list[FamilyMember | None] = [None, *profile.co_applicants]
    applicants = [_view(profile, m) for m in members]
    main = applicants[0]
    this = next(view for m, view in zip(members, applicants, strict=True) if m is member)
    category = member.application.category if member is not None and member.application else profile.category
    return DocumentContext(
        case=CaseInfo(
            case_id=profile.case_id,
            category=category,
            category_name=category_name,
            route_name=route_name,
            application_date=profile.application_date,
        ),
        applicant=this,
        main_applicant=main,
        applicants=applicants,
        family=_family_rows(profile, member),
        supporter=profile.supporter,
        guarantor=profile.guarantor,
        agent=profile.filing_agent,
        today=today,
        **{"letter": letter_text(reason_letter(profile, member, extra.get("explanations"))), **extra},
    )
