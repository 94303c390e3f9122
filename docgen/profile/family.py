"""Family relations: 続柄 seen from any member, and a member filing together seen as an applicant of their own.

The main applicant becomes their supporter (扶養者) and a family member; the household stays the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from docgen.profile.model import (
    CHILDREN,
    MINOR_AGE,
    PARENTS,
    SPOUSES,
    Applicant,
    ApplicationDetails,
    FamilyMember,
    Person,
    Profile,
    Supporter,
)


def relation_from(person: FamilyMember | None, other: FamilyMember | None, main_sex: str) -> str:
    """続柄 of `other` seen from `person`; None stands for the main applicant."""
    if person is None:
        return other.relationship if other else "本人"
    if other is None:  # the main applicant, seen from a family member
        r = person.relationship
        if r in SPOUSES:
            return "夫" if main_sex == "男" else "妻"
        if r in CHILDREN:
            return "父" if main_sex == "男" else "母"
        if r in PARENTS:
            return "子"
        return "親族"
    a, b = person.relationship, other.relationship
    if a in SPOUSES and b in CHILDREN:
        return "子"
    if a in CHILDREN and b in SPOUSES:
        return "父" if other.sex == "男" else "母"
    if a in CHILDREN and b in CHILDREN:
        return "兄弟姉妹"
    return "親族"


GUARANTOR_SPOUSE = {"夫": "父", "妻": "母"}  # the main applicant's husband / wife, seen from their child


def guarantor_relationship(profile: Profile, member: FamilyMember | None) -> str:
    """身元保証人 and one applicant (§10.7): given per co-applicant, or derived from the relationship to the
    main applicant — the husband's employer is the wife's 夫の雇用主, the father's 知人 the child's 父の知人."""
    given = profile.guarantor.relationship
    if member is None:
        return given
    if member.application is not None and member.application.guarantor_relationship:
        return member.application.guarantor_relationship
    main = relation_from(member, None, profile.applicant.sex)
    if member.relationship in CHILDREN and given in GUARANTOR_SPOUSE:
        return GUARANTOR_SPOUSE[given]
    return f"{main}の{given}"


def as_own_profile(profile: Profile, member: FamilyMember) -> Profile:
    """The profile `member` would have if they filed alone, supported by the main applicant."""
    a, details = profile.applicant, member.application
    if details is None:
        raise ValueError("only a family member filing together has application details")
    person = {k: getattr(member, k) for k in Person.model_fields}
    own = {
        k: v
        for k, v in details.model_dump(by_alias=True).items()
        if k in ApplicationDetails.model_fields or k == "return"
    }
    phone = details.phone or (a.phone if member.living_together else "")  # the household's line
    applicant = Applicant.model_validate({**own, **person, "address": a.address, "phone": phone})
    main_as_family = FamilyMember(
        **{k: getattr(a, k) for k in Person.model_fields},
        relationship=relation_from(member, None, a.sex),
        living_together=member.living_together,
        workplace=a.employer.name if a.employer else "",
        card_number=a.residence_card_number,
        status=a.status,
        marriage_date=member.marriage_date if member.relationship in SPOUSES else None,
    )
    others = [
        m.model_copy(update={"relationship": relation_from(member, m, a.sex)})
        for m in profile.family
        if m is not member
    ]
    supporter = Supporter(
        name=a.display_name,
        relationship=main_as_family.relationship,
        occupation=a.occupation,
        employer=a.employer.name if a.employer else "",
        address=a.address,
        phone=a.phone,
        mobile=a.mobile,
        income=a.income,
        social_insurance_employer=a.social_insurance_employer,
    )
    return profile.model_copy(
        update={
            "category": details.category,
            "applicant": applicant,
            "family": [main_as_family, *others],
            "supporter": supporter,
        }
    )


def is_minor(person: Person, on: date) -> bool:
    """未成年 on the application date (民法4条: under 18)."""
    return person.age_on(on) < MINOR_AGE


@dataclass(frozen=True)
class LegalRepresentative:
    """法定代理人 of a minor applicant, as 申請書 item 20 and the 了解書 name them; empty text is not known."""

    name: str
    relationship: str  # 本人との関係: 父 / 母
    address: str
    phone: str
    mobile: str


def legal_representative(profile: Profile, member: FamilyMember | None) -> LegalRepresentative | None:
    """The parent who acts for a minor applicant (`member` None = the main applicant); None for an adult, or when
    the profile names no parent (the form then leaves item 20 for the office to fill).

    A child filing with a parent is represented by the main applicant; a child filing alone by the supporter
    (扶養者) when that is a parent, else by a parent in the family table."""
    a = profile.applicant
    person: Person = member or a
    if not is_minor(person, profile.application_date):
        return None
    if member is not None:
        if member.relationship not in CHILDREN:
            return None
        return LegalRepresentative(a.display_name, relation_from(member, None, a.sex), a.address, a.phone, a.mobile)
    s = profile.supporter
    if s is not None and s.relationship in PARENTS:
        return LegalRepresentative(s.name, s.relationship, s.address or a.address, s.phone, s.mobile)
    parent = next((m for m in profile.family if m.relationship in PARENTS), None)
    if parent is None:
        return None
    address = a.address if parent.living_together else ""
    return LegalRepresentative(parent.display_name, parent.relationship, address, "", "")
