"""The routes of the spouse (3 years of marriage + 1 year in Japan) and the child (1 year in Japan) of a
Japanese national or permanent resident — also for family members filing with the main applicant (§10.1)."""

from __future__ import annotations

from datetime import date

from docgen.assessment.results import Reason, RouteResult, RouteStatus
from docgen.assessment.routes.verdict import by_date, no_stay, route_result, stay_reasons
from docgen.assessment.situation import Situation
from docgen.dates import add_years
from docgen.profile.model import PARENTS, SPOUSES, FamilyMember, normalise_status
from docgen.rules.eligibility import ChildRoute, SpouseRoute


def _relatives(case: Situation, relationships: tuple[str, ...]) -> list[FamilyMember]:
    return [m for m in case.profile.family if m.relationship in relationships]


def _not_resident_status(m: FamilyMember) -> str | None:
    """The member's status when it shows they are not 永住者/特別永住者 (they file with a status of their own)."""
    recorded = m.application.status if m.application is not None else m.status
    if m.nationality == "日本" or not recorded:
        return None
    status = normalise_status(recorded)
    return None if status.startswith(("永住者", "特別永住者")) and not status.startswith("永住者の配偶者") else recorded


def _not_applicable_to(
    r: SpouseRoute | ChildRoute, case: Situation, relatives: list[FamilyMember], who: tuple[str, str]
) -> RouteResult | None:
    """None when the route applies: the profile's own category, a Japanese relative, or filing with the main
    applicant (§10.1). Otherwise why not: relatives who are not Japanese or permanent residents, relatives whose
    status is unknown, or none at all. `who` names the relative (ja, en)."""
    if (
        case.profile.category == r.kind
        or case.family_route == r.kind
        or any(m.nationality == "日本" for m in relatives)
    ):
        return None
    ja, en = who
    statuses = [_not_resident_status(m) for m in relatives]
    if relatives and all(statuses):
        shown = "、".join(f"{m.display_name}「{st}」" for m, st in zip(relatives, statuses, strict=True))
        why = Reason(
            f"{ja}({shown})は日本人・永住者ではありません",
            f"the {en} ({shown}) is not Japanese or a permanent resident",
        )
        return route_result(r, case, RouteStatus.NOT_APPLICABLE, None, [why])
    if relatives:
        why = Reason(
            f"{ja}が日本人・永住者・特別永住者かどうかプロフィールから分かりません",
            f"the profile does not say whether the {en} is Japanese or a permanent resident",
        )
        return route_result(r, case, RouteStatus.CANNOT_DECIDE, None, [why])
    return route_result(
        r, case, RouteStatus.NOT_APPLICABLE, None, [Reason(f"{ja}がいません", f"no {en} in the profile")]
    )


def _years_in_japan(r: SpouseRoute | ChildRoute, since: date) -> tuple[date, Reason]:
    reached = add_years(since, r.years_in_japan)
    return reached, Reason(
        f"日本での継続在留{r.years_in_japan}年の到達日: {reached}", f"{r.years_in_japan} year(s) in Japan on {reached}"
    )


def spouse(r: SpouseRoute, case: Situation) -> RouteResult:
    spouses = _relatives(case, SPOUSES)
    if (not_applicable := _not_applicable_to(r, case, spouses, ("配偶者", "spouse"))) is not None:
        return not_applicable
    c, on = case.cont, case.on
    reasons = stay_reasons(c)
    if c.stay_since is None:
        return no_stay(r, case, reasons)
    one_year, reason = _years_in_japan(r, c.stay_since)
    reasons.append(reason)
    married = [m.marriage_date for m in spouses if m.marriage_date is not None]
    if not married:
        reasons.append(
            Reason(
                f"婚姻期間{r.marriage_years}年(実体を伴う婚姻生活)は、プロフィールに婚姻日("
                "family[].marriage_date)がないため判断できません",
                f"{r.marriage_years} years of real marriage cannot be decided: the profile has no marriage date ("
                "family[].marriage_date)",
            )
        )
        if one_year > on:
            return route_result(r, case, RouteStatus.NOT_MET, None, reasons)
        return route_result(r, case, RouteStatus.CANNOT_DECIDE, None, reasons)
    marriage_years = add_years(married[0], r.marriage_years)
    reasons.append(
        Reason(
            f"婚姻期間{r.marriage_years}年の到達日: {marriage_years}(婚姻の実体があることが前提)",
            f"{r.marriage_years} years of marriage on {marriage_years} (the marriage must be real and ongoing)",
        )
    )
    earliest = max(one_year, marriage_years, on)
    return route_result(r, case, by_date(earliest, on), earliest, reasons)


def child(r: ChildRoute, case: Situation) -> RouteResult:
    parents = _relatives(case, PARENTS)
    if (not_applicable := _not_applicable_to(r, case, parents, ("親", "parent"))) is not None:
        return not_applicable
    c, on = case.cont, case.on
    reasons = stay_reasons(c) + [
        Reason(
            "実子又は特別養子に限ります(普通養子は対象外)",
            "only a natural or specially adopted child (not an ordinary adoption)",
        )
    ]
    if c.stay_since is None:
        return no_stay(r, case, reasons)
    reached, reason = _years_in_japan(r, c.stay_since)
    earliest = max(reached, on)
    return route_result(r, case, by_date(earliest, on), earliest, [*reasons, reason])
