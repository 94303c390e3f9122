"""Who earns and who is a dependant (被扶養者): the one place the checklist decides whose work, tax, pension and
asset documents an item asks for (reference §1.a 「扶養者」, §1.d, §11.8, §11.9).

A dependant — a minor, or an adult with no income of their own who is supported (a co-applicant by the main
applicant, a main applicant by the profile's 扶養者) — is never asked for their own 職業・住民税・国税・所得・資産
documents, whatever rows their record has: the supporter's are asked instead. Only an item that says so
(`concerns: [..., dependant]`, e.g. each person's health-insurance card) names the dependant too. An adult
dependant still brings an approved 免除 of their own 国民年金 premiums; premiums they paid themselves are flagged
for the office (`pays_own_pension`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from docgen.dates import completed_years
from docgen.profile.model import MINOR_AGE, ApplicationDetails, FamilyMember, IncomeYear, PensionEnrolment, Profile

EXEMPTIONS = ("免除", "猶予", "学生納付特例")  # approved: no premium due, an approval notice instead (§11.8)


def earns(details: ApplicationDetails) -> bool:
    """Whether the profile gives the person income of their own (a year with an amount above 0) or a job they
    still hold; a person with neither (no income rows, or only 非課税 years of 0 yen) does not earn."""
    return any(inc.amount > 0 for inc in details.income) or any(job.end is None for job in details.employment)


def is_minor_on(birth_date: date, on: date) -> bool:
    """未成年 on the application date (民法4条: under 18)."""
    return completed_years(birth_date, on) < MINOR_AGE


def is_dependant(details: ApplicationDetails, birth_date: date, on: date, *, supported: bool) -> bool:
    """A minor always; an adult who is `supported` (has a 扶養者) and earns nothing of their own.

    An adult child who earns is not a dependant: their own 住民税 and 国税 certificates are theirs to bring."""
    return is_minor_on(birth_date, on) or (supported and not earns(details))


def _overlaps(e: PensionEnrolment, window: tuple[str, str]) -> bool:
    first, last = window
    return e.start <= last and (e.end is None or e.end >= first)


def exempt_periods(pension: Sequence[PensionEnrolment], window: tuple[str, str]) -> list[PensionEnrolment]:
    """The approved 免除・猶予・学生納付特例 periods within the window."""
    return [e for e in pension if e.exemption in EXEMPTIONS and _overlaps(e, window)]


def pays_own_pension(pension: Sequence[PensionEnrolment], window: tuple[str, str]) -> bool:
    """Whether the person paid 国民年金 premiums themselves within the window (receipts are theirs to bring)."""
    return any(e.kind == "国民年金" and e.exemption is None and _overlaps(e, window) for e in pension)


@dataclass(frozen=True)
class SupporterFacts:
    """The 扶養者 of one application, as the checklist names them: the profile's supporter for the main applicant,
    the main applicant for a co-applicant. `known` is False when the profile gives nobody (a child filing alone
    without a `supporter:` block): the items are still asked, for a supporter the office must name."""

    name: str
    incomes: tuple[IncomeYear, ...] = ()
    pension: tuple[PensionEnrolment, ...] = ()
    social_insurance_employer: bool = False
    known: bool = True


def dependant_in(profile: Profile, member: FamilyMember | None = None) -> bool:
    """Whether an applicant of the case (`member` None: the main applicant) is a dependant, as the checklist
    decides it: for letters and forms that must say the same (no payment sentence for a dependant)."""
    on = profile.application_date
    if member is None:
        a = profile.applicant
        return is_dependant(a, a.birth_date, on, supported=profile.supporter is not None)
    if member.application is None:  # a member who does not file: a minor, or without income of their own
        return is_minor_on(member.birth_date, on) or not any(inc.amount > 0 for inc in member.income)
    return is_dependant(member.application, member.birth_date, on, supported=True)
