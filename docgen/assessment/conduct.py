"""素行 — criminal penalties: a 罰金 or heavier, traffic included (略式命令, 赤切符), is a 刑. The requirement fails
until the sentence lapses, 5 years after the fine was paid (刑法34条の2), and the 申請書 item 13 must say 有.
反則金 (青切符) is not a 刑: it is counted as a risk in traffic.py.

Reference: permanent-residence.md §4.2 (3)イ, §11.1, §11.3.
"""

from __future__ import annotations

from docgen.assessment.penalties import fines
from docgen.assessment.results import Check, CheckStatus, Reason
from docgen.assessment.situation import Situation

TITLE = {"ja": "素行(罰金刑・拘禁刑等)", "en": "Conduct (fines, imprisonment)"}


def criminal_check(case: Situation) -> Check:
    """NG while a fine's sentence has not lapsed; unknown while a payment date or a declared record's facts are
    missing; a review point when item 13 of the form must say 有 but the profile says 無."""
    rule, record = case.eligibility.criminal_penalty, case.applicant.criminal_record
    src = case.eligibility.src(rule.sources)
    all_fines = fines(case)
    pending = sorted(
        (f for f in all_fines if f.lapses_on is not None and f.lapses_on > case.on),
        key=lambda f: f.lapses_on or case.on,
        reverse=True,  # the one that lapses last first: it sets the date
    )
    unknown = [f for f in all_fines if f.lapses_on is None]
    data: dict[str, object] = {
        "has_record": record.has_record,
        "fines": [f.to_json() for f in all_fines],
        "form_item_13": "有" if record.has_record or all_fines else "無",
    }
    reasons: list[Reason] = []
    for f in pending:
        t = f.violation
        reasons.append(
            Reason(
                f"罰金刑({t.date}の違反、{t.paid_on}納付): 刑の消滅は{f.lapses_on}(納付から{rule.lapse_years}年)",
                f"a fine (offence {t.date}, paid {t.paid_on}): the sentence lapses on {f.lapses_on}"
                f" ({rule.lapse_years} years after payment)",
            )
        )
    for f in unknown:
        reasons.append(
            Reason(
                f"{f.violation.date}の罰金の納付日(traffic[].paid_on)が未入力です。刑の消滅は納付から{rule.lapse_years}年"
                "のため、納付日がないと申請できる日が分かりません",
                f"the fine of {f.violation.date} has no payment date (traffic[].paid_on); the sentence lapses"
                f" {rule.lapse_years} years after payment, so the date cannot be computed",
            )
        )
    if all_fines and not record.has_record:
        reasons.append(
            Reason(
                "罰金は刑罰です(交通違反を含む)。申請書13「犯罪を理由とする処分を受けたことの有無」は「有」とし、"
                "内容を記載します(criminal_record)",
                "a fine is a criminal penalty (traffic included): form item 13 must be 有 with the details"
                " (criminal_record)",
            )
        )
    if pending:
        latest = max(f.lapses_on for f in pending if f.lapses_on is not None)
        check = Check("criminal_record", TITLE, CheckStatus.NG, reasons, src, data=data)
        check.until = None if unknown else latest
        if unknown:
            check.waiting = Reason("罰金の納付日が分かった後に計算します", "once the fine's payment date is known")
        return check
    if unknown:
        return Check("criminal_record", TITLE, CheckStatus.UNKNOWN, reasons, src, data=data)
    if record.has_record:
        declared = Reason(
            f"処分歴あり: {record.details}" if record.details else "処分歴あり(内容未記入)",
            f"record: {record.details}" if record.details else "a record is declared (no details)",
        )
        if all_fines:  # the declared record may be these fines, whose sentences have lapsed
            lapsed = "、".join(f"{f.lapses_on}" for f in all_fines)
            return Check(
                "criminal_record",
                TITLE,
                CheckStatus.REVIEW,
                [
                    Reason(
                        f"罰金刑は刑が消滅しています({lapsed})。申請書13の処分歴がこの罰金だけか確認してください",
                        f"the fines' sentences have lapsed ({lapsed}); check that the declared record is only these",
                    ),
                    declared,
                ],
                src,
                data=data,
            )
        return Check(
            "criminal_record",
            TITLE,
            CheckStatus.UNKNOWN,
            [
                Reason(
                    "処分歴があります。刑の種類と刑の執行を終えた日(罰金は納付日)が分からないため判断できません。"
                    f"罰金なら納付から{rule.lapse_years}年で刑が消滅します(刑法34条の2)。交通の罰金は traffic[] に"
                    "kind: 罰金 と paid_on で記録してください",
                    "a record is declared; without the penalty and the day it was served (a fine: the day it was paid)"
                    f" the decision cannot be made. A fine lapses {rule.lapse_years} years after payment; record a"
                    " traffic fine under traffic[] with kind 罰金 and paid_on",
                ),
                declared,
            ],
            src,
            data=data,
        )
    if all_fines:
        lapsed = "、".join(f"{f.lapses_on}" for f in all_fines)
        return Check(
            "criminal_record",
            TITLE,
            CheckStatus.REVIEW,
            [Reason(f"罰金刑は刑が消滅しています({lapsed})", f"the fines' sentences have lapsed ({lapsed})"), *reasons],
            src,
            data=data,
        )
    return Check(
        "criminal_record",
        TITLE,
        CheckStatus.OK,
        [Reason("犯罪を理由とする処分歴なし(申請書13)", "no criminal record declared (form item 13)")],
        src,
        data=data,
    )
