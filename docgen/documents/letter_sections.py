"""Sections 2 (work and income) and 4 (public duties: 住民税, 公的年金, 公的医療保険, 届出) of the 理由書.

Only what the profile records: the collection method of each year's 住民税, the schemes and months of
pension and health insurance. Payment on time is stated where it follows from the record (給与からの特別徴収,
厚生年金・健康保険 deducted from salary) or where `paid_on_time` was written; otherwise (普通徴収, 国民年金,
国民健康保険, premiums a business owner remits) the office confirms it from the receipts: a placeholder.
"""

from __future__ import annotations

from collections.abc import Sequence

from docgen.dates import consecutive_runs
from docgen.documents.letters import (
    Fact,
    Facts,
    Sentence,
    Subject,
    calendar_year_label,
    month_label,
    placeholder,
    wareki_ym,
)
from docgen.profile.model import ApplicationDetails, Enrolment, Profile
from docgen.wareki import fiscal_year_label, wareki_date

STUDENTS = ("学生", "生徒", "児童")
# Premiums the person pays (not deducted from salary): payment on time is a fact only if recorded.
SELF_PAID = ("国民年金", "国民健康保険")


def work(s: Subject) -> None:
    s.add("heading", Sentence("２　生活の状況" if s.minor else "２　仕事と収入"))
    if s.member is None and not s.minor:
        _main_work(s)
    else:
        _family_work(s)
    d = s.details
    if d.income:
        whose = "申請人の" if s.minor else "私の"
        s.add("text", Sentence(f"{whose}年収は次のとおりです。", (s.d("income[0].year", d.income[0].year),)))
        for i, inc in sorted(enumerate(d.income), key=lambda x: x[1].year):
            s.add(
                "item",
                Sentence(
                    f"{calendar_year_label(inc.year)}分　{inc.amount:,}円",
                    (s.d(f"income[{i}].year", inc.year), s.d(f"income[{i}].amount", inc.amount)),
                ),
            )
        note = s.explained_by("low_income")
        if note:
            s.add("text", note)
    elif not s.minor and s.member is None:
        s.add("text", Sentence(placeholder("直近の年収を記入")))


def _main_work(s: Subject) -> None:
    a = s.profile.applicant
    current = _current_job(s.profile)
    if current is not None:
        s.add("text", current)
    elif s.profile.supporter is not None:
        sup = s.profile.supporter
        s.add(
            "text",
            Sentence(
                f"私の生計は、{sup.relationship}である{sup.name}の収入により維持しております。",
                (Fact("supporter.relationship", sup.relationship), Fact("supporter.name", sup.name)),
            ),
        )
    else:
        s.add("text", Sentence(placeholder("現在の職業と勤務先を記入")))
    if len(a.employment) > 1:
        s.add("text", Sentence("これまでの勤務先は次のとおりです。"))
        for i, j in sorted(enumerate(a.employment), key=lambda x: x[1].start):
            jp = f"applicant.employment[{i}]"
            facts: Facts = (Fact(f"{jp}.start", j.start), Fact(f"{jp}.employer", j.employer))
            end = "現在"
            if j.end:
                facts += (Fact(f"{jp}.end", j.end),)
                end = wareki_ym(j.end)
            position = ""
            if j.position:
                facts += (Fact(f"{jp}.position", j.position),)
                position = f"（{j.position}）"
            s.add("item", Sentence(f"{wareki_ym(j.start)}〜{end}　{j.employer}{position}", facts))
        note = s.explained_by("employer_change")
        if note:
            s.add("text", note)


def _family_work(s: Subject) -> None:
    """A co-applicant (or a minor main applicant): school or work, and who supports the household."""
    m, who, subj = s.member, s.who, s.subj
    if m is not None and m.workplace:
        occupation = s.details.occupation
        where = (Fact(f"{who.path}.workplace", m.workplace), s.d("occupation", occupation))
        verb = "通学しております" if occupation in STUDENTS else "勤務しております"
        s.add("text", Sentence(f"{subj}は、現在、{m.workplace}に{verb}。", where))
    elif m is not None:
        occupation = s.details.occupation
        s.add("text", Sentence(f"{subj}の職業は、{occupation}です。", (s.d("occupation", occupation),)))
    main = next((r for r in s.relatives if r.member is None), None)
    supported = _supported_by_main(s)
    if main is not None and supported is None:
        s.add("text", Sentence(placeholder("世帯の生計を主に維持している人とその収入を記入")))
    elif main is not None and supported is not None:  # the main applicant supports the household (申請書17)
        a = s.profile.applicant
        if s.rep is main:
            s.add(
                "text",
                Sentence(
                    f"申請人の生計は、{main.relation}である私の収入により維持しております。",
                    main.relation_facts + supported,
                ),
            )
            whom = "私"
        else:
            who_main = f"{main.relation}{s.main.name()}"
            s.add(
                "text",
                Sentence(
                    f"{'申請人の' if s.minor else '世帯の'}生計は、主として{who_main}の収入により維持しております。",
                    main.relation_facts + s.main.name_facts() + supported,
                ),
            )
            whom = main.relation
        if a.employer is not None:
            e = a.employer
            facts: Facts = (Fact("applicant.employer.name", e.name),)
            position = ""
            if e.position:
                facts += (Fact("applicant.employer.position", e.position),)
                position = f"{e.position}として"
            s.add("text", Sentence(f"{whom}は、{e.name}に{position}勤務しております。", facts))
    elif s.profile.supporter is not None:  # a minor main applicant supported by a parent
        sup = s.profile.supporter
        s.add(
            "text",
            Sentence(
                f"{subj}の生計は、{sup.relationship}である{sup.name}の収入により維持しております。",
                (Fact("supporter.relationship", sup.relationship), Fact("supporter.name", sup.name)),
            ),
        )


def _supported_by_main(s: Subject) -> Facts | None:
    """The facts that the main applicant earns the household's living, or None when the profile does not show it:
    their latest recorded income, above the co-applicant's own for that year (or a minor, or 家族滞在)."""
    a = s.profile.applicant
    if not a.income:
        return None
    k, latest = max(enumerate(a.income), key=lambda x: x[1].year)
    facts: Facts = (
        Fact(f"applicant.income[{k}].year", latest.year),
        Fact(f"applicant.income[{k}].amount", latest.amount),
    )
    own = [(i, inc) for i, inc in enumerate(s.details.income) if inc.year == latest.year]
    if own:
        i, inc = own[0]
        if inc.amount >= latest.amount:
            return None
        return facts + (s.d(f"income[{i}].year", inc.year), s.d(f"income[{i}].amount", inc.amount))
    if s.minor:
        return facts
    if s.details.status == "家族滞在":  # the status itself: 扶養を受ける配偶者又は子
        return facts + (s.d("status", s.details.status),)
    return None


def duties(s: Subject) -> None:
    s.add("heading", Sentence("４　公的義務の履行"))
    d = s.details
    whose = "申請人の" if s.minor else ""
    s.add("text", *_resident_tax(s, d))
    for what, entries, field in (
        ("公的年金", d.pension, "pension"),
        ("公的医療保険", d.health_insurance, "health_insurance"),
    ):
        if entries:
            s.add("text", *_enrolments(s, what, field, entries))
        elif not (s.minor and field == "pension"):  # 国民年金 starts at 20
            s.add("text", Sentence(placeholder(f"{whose}{what}の加入状況を記入")))
    s.add("text", Sentence(placeholder("住居地・所属機関等の入管法上の届出の履行状況を確認して記入")))


def _resident_tax(s: Subject, d: ApplicationDetails) -> list[Sentence]:
    taxed = [i for i, inc in enumerate(d.income) if inc.amount > 0 and inc.resident_tax]  # 非課税: nothing to pay
    if not taxed:
        return [] if s.minor else [Sentence(placeholder("住民税の課税・納付状況を記入"))]
    out: list[Sentence] = []
    groups: dict[str, list[int]] = {}
    for i in sorted(taxed, key=lambda k: d.income[k].year):
        groups.setdefault(d.income[i].resident_tax or "", []).append(i)
    parts, facts = [], []
    for how, idx in groups.items():
        years = [d.income[i].year + 1 for i in idx]  # 住民税 of income year Y is the 年度 Y+1
        label = _fy_range(years)
        method = "給与からの特別徴収" if how == "特別徴収" else "普通徴収"
        parts.append((min(years), f"{label}の住民税は{method}により"))
        for i in idx:
            facts += [s.d(f"income[{i}].year", d.income[i].year), s.d(f"income[{i}].resident_tax", how)]
    text = "、".join(p for _, p in sorted(parts)) + "納付しております。"
    out.append(Sentence(text, tuple(facts)))
    unverified: list[int] = []  # 普通徴収 years whose payment on time is not recorded
    for i in sorted(taxed, key=lambda k: d.income[k].year):
        inc = d.income[i]
        label = fiscal_year_label(inc.year + 1)
        yf = s.d(f"income[{i}].year", inc.year)
        if "paid_on_time" in inc.model_fields_set:
            pf = s.d(f"income[{i}].paid_on_time", inc.paid_on_time)
            if not inc.paid_on_time:
                out.append(Sentence(f"{label}の住民税は、納期限に遅れて納付しました。", (yf, pf)))
                out.append(s.explained_by("late_payment") or Sentence(placeholder("遅れた経緯と現在の納付状況を記入")))
            elif inc.resident_tax == "普通徴収":
                out.append(Sentence(f"{label}の住民税は、各納期限内に納付しております。", (yf, pf)))
        elif inc.resident_tax == "普通徴収":
            unverified.append(inc.year + 1)
    if unverified:
        out.append(
            Sentence(
                placeholder(
                    f"{_fy_range(unverified)}の住民税（普通徴収）を各納期限内に納付したか領収証書等で確認して記入"
                )
            )
        )
    return _dedupe(out)


def _enrolments(s: Subject, what: str, field: str, entries: Sequence[Enrolment]) -> list[Sentence]:
    parts, facts = [], []
    for i, e in enumerate(entries):
        ep = f"{field}[{i}]"
        facts += [s.d(f"{ep}.kind", e.kind), s.d(f"{ep}.start", e.start)]
        if e.end:
            facts.append(s.d(f"{ep}.end", e.end))
            parts.append(f"{month_label(e.start)}から{month_label(e.end)}まで{e.kind}")
        else:
            parts.append(f"{month_label(e.start)}から{e.kind}")
    now = "加入しております" if any(e.end is None for e in entries) else "加入しておりました"
    out = [Sentence(f"{what}は、{'に、'.join(parts)}に{now}。", tuple(facts))]
    owner = s.member is None and s.profile.applicant.social_insurance_employer
    for i, e in enumerate(entries):
        ep = f"{field}[{i}]"
        when = f"{month_label(e.start)}から{month_label(e.end) + 'まで' if e.end else ''}"
        base = (s.d(f"{ep}.kind", e.kind), s.d(f"{ep}.start", e.start)) + ((s.d(f"{ep}.end", e.end),) if e.end else ())
        if "paid_on_time" in e.model_fields_set:
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


def _current_job(profile: Profile) -> Sentence | None:
    """'現在は、…に…から…として勤務しております。' from the employer (or the open job in the history)."""
    a = profile.applicant
    if a.employer is not None:
        e, base = a.employer, "applicant.employer"
        name, since, position = e.name, e.since, e.position
    else:
        open_jobs = [(i, j) for i, j in enumerate(a.employment) if j.end is None]
        if not open_jobs:
            return None
        i, j = max(open_jobs, key=lambda x: x[1].start)
        base = f"applicant.employment[{i}]"
        name, since, position = j.employer, j.start, j.position
    facts: Facts = (Fact(f"{base}.name" if a.employer else f"{base}.employer", name),)
    own = [
        (k, j) for k, j in enumerate(a.employment) if j.self_employed and j.employer == name
    ]  # one's own company: 経営
    text = f"現在は、{name}{'を' if own else 'に'}"
    if since:
        facts += (Fact(f"{base}.since" if a.employer else f"{base}.start", since),)
        text += f"{wareki_date(since)}から"
    if position:
        facts += (Fact(f"{base}.position", position),)
        text += f"{position}として"
    if own:
        facts += (Fact(f"applicant.employment[{own[0][0]}].self_employed", True),)
    return Sentence(text + ("経営しております。" if own else "勤務しております。"), facts)


def _dedupe(sentences: list[Sentence]) -> list[Sentence]:
    seen: set[str] = set()
    out = []
    for s in sentences:
        if s.text in seen:
            continue
        seen.add(s.text)
        out.append(s)
    return out
