"""Checks across several profile fields: impossible dates and facts that contradict each other.

Each problem is (field location, message) so the loader can name the line.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

from docgen.messages import say
from docgen.profile.model import SPOUSES, ApplicationDetails, Profile

Loc = tuple[Any, ...]


def problem(loc: Loc, ja: str, en: str) -> tuple[Loc, str]:
    """A problem at `loc`, in the staff's language."""
    return loc, say(ja, en)


EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)  # sane bounds for birth and application dates


def _details_problems(d: ApplicationDetails, base: Loc, app_date: date, birth: date) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []
    for i, j in enumerate(d.employment):
        if j.end is not None and j.end < j.start:
            out.append(
                problem(
                    base + ("employment", i, "end"), "終了日が開始日より前です", "the end date is before the start date"
                )
            )
    if d.passport.expiry < app_date:
        out.append(
            problem(
                base + ("passport", "expiry"),
                f"旅券の有効期限が申請予定日（{app_date}）より前です。先に旅券を更新してください",
                f"the passport has expired before the application date {app_date}; renew it first",
            )
        )
    if d.stay_expiry < app_date:
        out.append(
            problem(
                base + ("stay_expiry",),
                f"在留期限が申請予定日（{app_date}）より前です。在留期限が切れた状態では申請できません",
                f"the period of stay ends before the application date {app_date}; an expired status cannot apply",
            )
        )
    for i, t in enumerate(d.trips):
        if t.departure < birth:
            out.append(
                problem(
                    base + ("trips", i, "departure"),
                    "出国日が生年月日より前です",
                    "the departure date is before the date of birth",
                )
            )
        if t.return_date is not None and t.return_date < t.departure:
            out.append(
                problem(
                    base + ("trips", i, "return"),
                    "帰国日が出国日より前です",
                    "the return date is before the departure date",
                )
            )
        if t.reentry_permit_until is not None and t.exit != "再入国許可":
            out.append(
                problem(
                    base + ("trips", i, "reentry_permit_until"),
                    "再入国許可の有効期限は exit: 再入国許可 の出国にだけ書きます",
                    "a permit's validity belongs to a trip with exit: 再入国許可",
                )
            )
        if t.reentry_permit_until is not None and t.reentry_permit_until < t.departure:
            out.append(
                problem(
                    base + ("trips", i, "reentry_permit_until"),
                    "再入国許可の有効期限が出国日より前です",
                    "the re-entry permit ends before the departure",
                )
            )
        if t.departure > app_date:
            out.append(
                problem(
                    base + ("trips", i, "departure"),
                    "申請予定日より後の出国は書けません",
                    "a trip after the application date cannot be in the history",
                )
            )
    ordered = sorted(range(len(d.trips)), key=lambda i: d.trips[i].departure)
    for a, b in pairwise(ordered):
        ta, tb = d.trips[a], d.trips[b]
        if ta.return_date is None or ta.return_date > tb.departure:
            out.append(
                problem(
                    base + ("trips", b, "departure"),
                    f"trips[{a}] の出国から帰国する前に、この出国が始まっています",
                    f"this trip starts before trips[{a}] has ended",
                )
            )
    for i, r in enumerate(d.residence_history):
        if r.start < birth:
            out.append(
                problem(
                    base + ("residence_history", i, "start"),
                    "在留資格の開始日が生年月日より前です",
                    "the status starts before the date of birth",
                )
            )
        if r.end is not None and r.end < r.start:
            out.append(
                problem(
                    base + ("residence_history", i, "end"),
                    "終了日が開始日より前です",
                    "the end date is before the start date",
                )
            )
        if r.start > app_date:
            out.append(
                problem(
                    base + ("residence_history", i, "start"),
                    "申請予定日より後に始まる在留資格は書けません",
                    "a status that starts after the application date cannot be in the history",
                )
            )
    hist = sorted(range(len(d.residence_history)), key=lambda i: d.residence_history[i].start)
    for a, b in pairwise(hist):
        ra, rb = d.residence_history[a], d.residence_history[b]
        if ra.end is None or ra.end >= rb.start:
            out.append(
                problem(
                    base + ("residence_history", b, "start"),
                    f"前の在留資格「{ra.status}」（{ra.start}から）が終わる前に始まっています",
                    f"this status starts before the status '{ra.status}' (from {ra.start}) has ended",
                )
            )
    if d.residence_history:
        current = d.residence_history[hist[-1]]
        if current.end is not None and current.end < app_date:
            out.append(
                problem(
                    base + ("residence_history", hist[-1], "end"),
                    "最新の在留資格が申請予定日より前に終わっています。現在の在留資格は end を空欄にしてください",
                    "the latest status ends before the application date; leave 'end' empty for the current status",
                )
            )
        if current.status != d.status:
            out.append(
                problem(
                    base + ("status",),
                    f"現在の在留資格が、在留歴の最新の在留資格（residence_history[{hist[-1]}].status）と違います",
                    "the current status differs from the latest residence history entry"
                    f" (residence_history[{hist[-1]}].status)",
                )
            )
    years = [inc.year for inc in d.income]
    first_year = min((r.start.year for r in d.residence_history), default=birth.year)
    for i, inc in enumerate(d.income):
        if inc.year < first_year:
            out.append(
                problem(
                    base + ("income", i, "year"),
                    f"{first_year}年以降の年を書いてください（在留歴より前の年です）",
                    f"the year must be {first_year} or later (the residence history)",
                )
            )
        if inc.year >= app_date.year + (1 if app_date.month == 12 else 0):
            out.append(
                problem(
                    base + ("income", i, "year"),
                    f"{inc.year}年の収入は申請予定日にはまだ確定していません",
                    f"income of {inc.year} is not known on the application date",
                )
            )
        if years.count(inc.year) > 1 and years.index(inc.year) != i:
            out.append(
                problem(
                    base + ("income", i, "year"),
                    f"{inc.year}年が2回書かれています",
                    f"the year {inc.year} is listed twice",
                )
            )
    for key in ("pension", "health_insurance"):
        for i, e in enumerate(getattr(d, key)):
            if e.end is not None and e.end < e.start:
                out.append(
                    problem(
                        base + (key, i, "end"), "終了月が開始月より前です", "the end month is before the start month"
                    )
                )
    for i, v in enumerate(d.traffic):
        if v.date > app_date or v.date < birth:
            out.append(
                problem(
                    base + ("traffic", i, "date"),
                    "違反日は生年月日より後、申請予定日より前の日付にしてください",
                    "a violation date must be after birth and before the application",
                )
            )
    if d.criminal_record.has_record and not d.criminal_record.details:
        out.append(
            problem(
                base + ("criminal_record", "details"),
                "処分歴がある場合は内容（日付・処分・内容）を書いてください",
                "a criminal record needs its details (date, sentence, offence)",
            )
        )
    return out


def consistency_problems(profile: Profile) -> list[tuple[Loc, str]]:
    """Everything that cannot be true at once, with the field to fix (docgen.case checks the category)."""
    out: list[tuple[Loc, str]] = []
    app_date = profile.application_date
    a = profile.applicant
    if not EARLIEST <= app_date <= LATEST:
        out.append(
            problem(
                ("application_date",),
                f"申請予定日は{EARLIEST}から{LATEST}の間の日付にしてください",
                f"the application date must be between {EARLIEST} and {LATEST}",
            )
        )
    for loc, person in [(("applicant",), a), *((("family", i), m) for i, m in enumerate(profile.family))]:
        if person.birth_date < EARLIEST:
            out.append(
                problem(
                    loc + ("birth_date",),
                    f"生年月日は{EARLIEST}以降の日付にしてください",
                    f"the date of birth must be {EARLIEST} or later",
                )
            )
    if a.birth_date >= app_date:
        out.append(
            problem(
                ("applicant", "birth_date"),
                "生年月日が申請予定日より後です",
                "the date of birth must be before the application date",
            )
        )
    out += _details_problems(a, ("applicant",), app_date, a.birth_date)
    for i, m in enumerate(profile.family):
        base: Loc = ("family", i)
        if m.birth_date >= app_date:
            out.append(
                problem(
                    base + ("birth_date",),
                    "生年月日が申請予定日より後です",
                    "the date of birth must be before the application date",
                )
            )
        if m.marriage_date is not None:
            if m.relationship not in SPOUSES:
                out.append(
                    problem(
                        base + ("marriage_date",),
                        "婚姻日は配偶者（続柄 妻 又は 夫）にだけ書きます",
                        "a marriage date belongs to the spouse (relationship 妻 or 夫)",
                    )
                )
            elif m.marriage_date > app_date:
                out.append(
                    problem(
                        base + ("marriage_date",),
                        "婚姻日が申請予定日より後です",
                        "the marriage date is after the application date",
                    )
                )
        if m.filing_together and m.application is None:
            out.append(
                problem(
                    base + ("application",),
                    "同時に申請する家族には application のまとまり（旅券・在留カード・在留資格など）が必要です",
                    "a family member filing together needs an 'application' block (passport, residence card, status …)",
                )
            )
        if not m.filing_together and m.application is not None:
            out.append(
                problem(
                    base + ("filing_together",),
                    "application のまとまりがありますが、filing_together が false です",
                    "this member has an 'application' block but filing_together is false",
                )
            )
        if m.application is not None and m.income:
            out.append(
                problem(
                    base + ("income",),
                    "同時に申請する家族の収入は application.income に書きます",
                    "the income of a member filing together goes under application.income",
                )
            )
        for k, inc in enumerate(m.income):
            if inc.year >= app_date.year + (1 if app_date.month == 12 else 0):
                out.append(
                    problem(
                        base + ("income", k, "year"),
                        f"{inc.year}年の収入は申請予定日にはまだ確定していません",
                        f"income of {inc.year} is not known on the application date",
                    )
                )
        if m.application is not None:
            out += _details_problems(m.application, base + ("application",), app_date, m.birth_date)
    spouses = [i for i, m in enumerate(profile.family) if m.relationship in SPOUSES]
    if len(spouses) > 1:
        out.append(
            problem(
                ("family", spouses[1], "relationship"),
                "配偶者が2人以上書かれています",
                "more than one spouse is listed",
            )
        )
    if profile.guarantor.status != "日本人" and profile.guarantor.nationality == "日本":
        out.append(
            problem(
                ("guarantor", "nationality"),
                f"在留資格が{profile.guarantor.status}の保証人の国籍は日本にはなりません。国籍を書いてください",
                f"a guarantor with status {profile.guarantor.status} cannot have 日本 nationality; write the"
                " nationality",
            )
        )
    return out
