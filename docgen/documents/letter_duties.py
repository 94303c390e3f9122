"""Section 4 of the 理由書 (public duties: 住民税, 公的年金, 公的医療保険, 届出).

Only what the profile records: the collection method of each year's 住民税, the schemes and months of
pension and health insurance. Payment on time is stated where it follows from the record (給与からの特別徴収,
厚生年金・健康保険 deducted from salary) or where `paid_on_time` was written; otherwise (普通徴収, 国民年金,
国民健康保険, premiums a business owner remits) the office confirms it from the receipts: a placeholder.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from docgen.dates import consecutive_runs
from docgen.documents.letters import (
    Facts,
    Sentence,
    Subject,
    month_label,
    placeholder,
)
from docgen.profile.model import ApplicationDetails, Enrolment, IncomeYear, PensionEnrolment
from docgen.wareki import fiscal_year_label, wareki_date

# Premiums the person pays (not deducted from salary): payment on time is a fact only if recorded.
SELF_PAID = ("国民年金", "国民健康保険")


def duties(s: Subject) -> None:
    """住民税 per 年度 and 公的年金・公的医療保険 per period, as recorded, and the 入管法 notifications. A dependant
    (a minor, an adult supported without income: checklist/people.dependant_in) has no 住民税 of their own to
    state, and a minor no pension (国民年金 starts at 20): the supporter's are what count, as in the checklist."""
    s.add("heading", Sentence("４　公的義務の履行"))
    d = s.details
    whose = "申請人の" if s.minor else ""
    if not s.dependant:
        s.add("text", *_resident_tax(s, d))
    if d.pension and not s.minor:
        s.add("text", *_enrolments(s, "公的年金", "pension", d.pension))
    elif not s.minor:
        s.add("text", Sentence(placeholder("公的年金の加入状況を記入")))
    if d.health_insurance:
        s.add("text", *_enrolments(s, "公的医療保険", "health_insurance", d.health_insurance))
    else:
        s.add("text", Sentence(placeholder(f"{whose}公的医療保険の加入状況を記入")))
    s.add("text", *_notifications(s))


NOTIFICATIONS = "住居地・所属機関等の入管法上の届出"


def _notifications(s: Subject) -> list[Sentence]:
    """The 住居地・所属機関 notifications (入管法19条の7以下) as the office confirmed them (`notifications_on_time`)."""
    on_time = s.details.notifications_on_time
    if on_time is None:
        return [Sentence(placeholder(f"{NOTIFICATIONS}の履行状況を確認して記入"))]
    fact = (s.d("notifications_on_time", on_time),)
    if on_time:
        return [Sentence(f"{NOTIFICATIONS}は、いずれも期限内に行っております。", fact)]
    return [
        Sentence(f"{NOTIFICATIONS}のうち、期限に遅れて行ったものがあります。", fact),
        Sentence(placeholder("遅れた届出の種類と時期、遅れた事情及び現在の届出の状況を記入")),
    ]


# ---------------------------------------------------------------- 住民税, per 年度 as recorded

TaxState = tuple[str, int]  # (how, index for the one-year statements; -1 for grouped ones)


def _tax_state(inc: IncomeYear, i: int) -> TaxState | None:
    """What the letter can say of one income year's 住民税 (the 年度 that follows): 非課税 (nothing was due),
    paid late (recorded), 特別徴収, 普通徴収 paid on time (recorded) or to be confirmed, or 途中から普通徴収 (its own
    statement). None: no income and no collection fact (nothing to state)."""
    if inc.non_taxable:
        return ("非課税", -1)
    if inc.amount == 0:
        return None
    if inc.resident_tax == "途中から普通徴収":
        return ("途中から普通徴収", i)
    if "paid_on_time" in inc.model_fields_set and not inc.paid_on_time:
        return ("遅延", -1)
    if inc.resident_tax == "普通徴収":
        return ("普通徴収・期限内" if "paid_on_time" in inc.model_fields_set else "普通徴収・要確認", -1)
    return ("特別徴収", -1)


def _resident_tax(s: Subject, d: ApplicationDetails) -> list[Sentence]:
    groups: dict[TaxState, list[int]] = {}
    for i, inc in sorted(enumerate(d.income), key=lambda x: x[1].year):
        state = _tax_state(inc, i)
        if state is not None:
            groups.setdefault(state, []).append(i)
    out: list[Sentence] = []
    for (how, _), idx in sorted(groups.items(), key=lambda g: min(d.income[i].year for i in g[1])):
        label = _fy_range([d.income[i].year + 1 for i in idx])  # 住民税 of income year Y is the 年度 Y+1
        facts = tuple(f for i in idx for f in _tax_facts(s, d.income[i], i, how))
        if how == "非課税":  # no tax was due: nothing paid, nothing late
            out.append(Sentence(f"{label}の住民税は、非課税です。", facts))
        elif how == "特別徴収":
            out.append(Sentence(f"{label}の住民税は、給与からの特別徴収により納付しております。", facts))
        elif how == "普通徴収・期限内":
            out.append(Sentence(f"{label}の住民税は、普通徴収により各納期限内に納付しております。", facts))
        elif how == "普通徴収・要確認":
            confirm = f"{label}の住民税（普通徴収）を各納期限内に納付したか領収証書等で確認して記入"
            out.append(Sentence(placeholder(confirm)))
        elif how == "遅延":
            out.append(Sentence(f"{label}の住民税は、納期限に遅れて納付しました。", facts))
            out.append(s.explained_by("late_payment") or Sentence(placeholder("遅れた経緯と現在の納付状況を記入")))
        else:
            out += _changed_mid_year(s, idx[0], label, facts)
    if not out and not s.minor:
        out.append(Sentence(placeholder("住民税の課税・納付状況を記入")))
    return _dedupe(out)


def _tax_facts(s: Subject, inc: IncomeYear, i: int, how: str) -> Facts:
    facts: Facts = (s.d(f"income[{i}].year", inc.year),)
    if how == "非課税":
        return facts + (s.d(f"income[{i}].non_taxable", True),)
    facts += (s.d(f"income[{i}].amount", inc.amount), s.d(f"income[{i}].resident_tax", inc.resident_tax))
    if "paid_on_time" in inc.model_fields_set:
        facts += (s.d(f"income[{i}].paid_on_time", inc.paid_on_time),)
    return facts


def _changed_mid_year(s: Subject, i: int, label: str, facts: Facts) -> list[Sentence]:
    """途中から普通徴収: deducted from salary until the person left the job within the 年度, the rest paid by the
    person (普通徴収). The job left is named when one job of the record ended within that 年度 (June–May)."""
    inc = s.details.income[i]
    fy = inc.year + 1
    ended = [
        (k, j)
        for k, j in enumerate(s.details.employment)
        if j.end is not None and date(fy, 6, 1) <= j.end <= date(fy + 1, 5, 31)
    ]
    until = "年度の途中で退職するまで"
    if len(ended) == 1:
        k, job = ended[0]
        assert job.end is not None
        until = f"{wareki_date(job.end)}に{job.employer}を退職するまで"
        facts += (s.d(f"employment[{k}].end", job.end), s.d(f"employment[{k}].employer", job.employer))
    head = f"{label}の住民税は、{until}は給与から特別徴収され、退職後の残りの期間は普通徴収"
    if "paid_on_time" not in inc.model_fields_set:
        confirm = f"{label}の住民税（退職後の普通徴収の分）を各納期限内に納付したか領収証書等で確認して記入"
        return [Sentence(head + "となりました。", facts), Sentence(placeholder(confirm))]
    if inc.paid_on_time:
        return [Sentence(head + "により各納期限内に納付しております。", facts)]
    return [
        Sentence(head + "となり、その分を納期限に遅れて納付しました。", facts),
        s.explained_by("late_payment") or Sentence(placeholder("遅れた経緯と現在の納付状況を記入")),
    ]


# ---------------------------------------------------------------- 公的年金・公的医療保険, per period as recorded

EXEMPTED = {  # 国民年金 periods approved without payment (§11.8): never paid, never late
    "免除": "承認を受けて免除されております",
    "猶予": "承認を受けて猶予されております",
    "学生納付特例": "学生納付特例の承認を受けて猶予されております",
}
DEPENDENT_SPOUSE = "第3号被保険者"  # 配偶者の扶養: no premium of one's own


def _enrolments(s: Subject, what: str, field: str, entries: Sequence[Enrolment]) -> list[Sentence]:
    parts, facts = [], []
    for i, e in enumerate(entries):
        ep = f"{field}[{i}]"
        facts += [s.d(f"{ep}.kind", e.kind), s.d(f"{ep}.start", e.start)]
        span = f"{month_label(e.start)}から"
        if e.end:
            facts.append(s.d(f"{ep}.end", e.end))
            span += f"{month_label(e.end)}まで"
        part = f"{span}{e.kind}に"
        if _exemption(e) == DEPENDENT_SPOUSE:
            facts.append(s.d(f"{ep}.exemption", DEPENDENT_SPOUSE))
            part += "配偶者の扶養（第3号被保険者）として"
        parts.append(part)
    now = "加入しております" if any(e.end is None for e in entries) else "加入しておりました"
    out = [Sentence(f"{what}は、{'、'.join(parts)}{now}。", tuple(facts))]
    owner = s.member is None and s.profile.applicant.social_insurance_employer
    for i, e in enumerate(entries):
        ep = f"{field}[{i}]"
        when = f"{month_label(e.start)}から{month_label(e.end) + 'まで' if e.end else ''}"
        base = (s.d(f"{ep}.kind", e.kind), s.d(f"{ep}.start", e.start)) + ((s.d(f"{ep}.end", e.end),) if e.end else ())
        exemption = _exemption(e)
        if exemption == DEPENDENT_SPOUSE:
            continue  # no premium of one's own: nothing was paid, nothing was late
        if exemption is not None:
            said = EXEMPTED[exemption]
            out.append(Sentence(f"{when}の{e.kind}の保険料は、{said}。", base + (s.d(f"{ep}.exemption", exemption),)))
        elif "paid_on_time" in e.model_fields_set:
            pf = s.d(f"{ep}.paid_on_time", e.paid_on_time)
            if not e.paid_on_time:
                out.append(Sentence(f"{when}の{e.kind}の保険料は、納期限に遅れて納付しました。", base + (pf,)))
                out.append(s.explained_by("late_payment") or Sentence(placeholder("遅れた経緯と現在の納付状況を記入")))
            elif e.kind in SELF_PAID or owner:
                out.append(Sentence(f"{when}の{e.kind}の保険料は、納期限内に納付しております。", base + (pf,)))
        elif e.kind == "未加入":
            out.append(Sentence(placeholder(f"{when}に{what}に加入していなかった事情を記入")))
        elif e.kind in SELF_PAID:
            out.append(Sentence(placeholder(f"{when}の{e.kind}の保険料を納期限内に納付したか確認して記入")))
        elif owner and e.end is None:  # the business pays the employer's share and remits the premiums
            out.append(Sentence(placeholder(f"事業主として納付する{e.kind}の保険料を納期限内に納付したか確認して記入")))
    return _dedupe(out)


def _exemption(e: Enrolment) -> str | None:
    return e.exemption if isinstance(e, PensionEnrolment) else None


def _fy_range(years: list[int]) -> str:
    """住民税 年度 in 和暦: '令和4年度から令和8年度まで' for a run of years, else listed with 、."""
    runs = consecutive_runs(years)
    labels = [
        f"{fiscal_year_label(r[0])}から{fiscal_year_label(r[-1])}まで"
        if len(r) > 2
        else "及び".join(map(fiscal_year_label, r))
        for r in runs
    ]
    return "、".join(labels)


def _dedupe(sentences: list[Sentence]) -> list[Sentence]:
    seen: set[str] = set()
    out = []
    for s in sentences:
        if s.text in seen:
            continue
        seen.add(s.text)
        out.append(s)
    return out
