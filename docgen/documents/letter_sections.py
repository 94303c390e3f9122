"""Sections 2 (work and income) and 4 (public duties: 住民税, 公的年金, 公的医療保険, 届出) of the 理由書.

Only what the profile records: the collection method of each year's 住民税, the schemes and months of
pension and health insurance. Payment on time is stated where it follows from the record (給与からの特別徴収,
厚生年金・健康保険 deducted from salary) or where `paid_on_time` was written; otherwise (普通徴収, 国民年金,
国民健康保険, premiums a business owner remits) the office confirms it from the receipts: a placeholder.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

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
from docgen.profile.model import ApplicationDetails, Enrolment, IncomeYear, PensionEnrolment, Profile
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
    if d.income and not s.dependant:  # a dependant's income is not theirs to state (the checklist asks none)
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
    elif not s.dependant and s.member is None:
        s.add("text", Sentence(placeholder("直近の年収を記入")))


def _main_work(s: Subject) -> None:
    a = s.profile.applicant
    current = _current_job(s.profile)
    if current is not None:
        s.add("text", current)
        _business(s)
    elif s.profile.supporter is not None:
        _supporter(s, "私")
    else:
        s.add("text", Sentence(placeholder("現在の職業と勤務先を記入")))
    if len(a.employment) > 1:
        s.add("text", Sentence("これまでの職歴は次のとおりです。"))  # employers and own businesses
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


def _business(s: Subject) -> None:
    """An owner's company (applicant.business, 経営・管理): its capital and qualifying full-time staff as recorded,
    and what the company does — the office's to write."""
    b = s.profile.applicant.business
    if b is None or b.company_name not in _own_companies(s.profile):
        return
    facts: Facts = (
        Fact("applicant.business.company_name", b.company_name),
        Fact("applicant.business.capital_yen", b.capital_yen),
    )
    text = f"{b.company_name}の資本金の額は{b.capital_yen:,}円"
    if "full_time_staff_qualifying" in b.model_fields_set:
        n = b.full_time_staff_qualifying
        facts += (Fact("applicant.business.full_time_staff_qualifying", n),)
        text += f"で、日本人・永住者等の常勤職員を{n}名雇用しております。" if n else "です。"
    else:
        text += "です。"
    s.add("text", Sentence(text, facts))
    if not b.activities.strip():
        s.add("text", Sentence(placeholder("会社の事業内容と経営の状況（主な取引先・売上等）を記入")))
        return
    fact = Fact("applicant.business.activities", b.activities)
    for paragraph in paragraphs(b.activities):
        s.add("text", Sentence(paragraph, (fact,)))


def _supporter(s: Subject, whose: str) -> None:
    """Who supports the subject (扶養者, 申請書17) and where they work; the supporter is 私 when they write the
    letter as a minor's 法定代理人."""
    sup = s.profile.supporter
    assert sup is not None
    facts: Facts = (Fact("supporter.relationship", sup.relationship), Fact("supporter.name", sup.name))
    writer = s.rep is not None and s.rep.is_supporter
    who = "私" if writer else sup.name
    s.add("text", Sentence(f"{whose}の生計は、{sup.relationship}である{who}の収入により維持しております。", facts))
    if sup.employer:
        holder = "私" if writer else sup.relationship
        s.add(
            "text",
            Sentence(
                f"{holder}の勤務先は、{sup.employer}です。",
                (Fact("supporter.employer", sup.employer),) + (() if writer else facts[:1]),
            ),
        )


def _family_work(s: Subject) -> None:
    """A co-applicant (or a minor main applicant): school or work, and who supports the household. A child under
    15 works nowhere (労働基準法56条): their school or nursery is one they attend."""
    m, who, subj = s.member, s.who, s.subj
    if m is not None and m.workplace:
        occupation = s.details.occupation
        where = (Fact(f"{who.path}.workplace", m.workplace), s.d("occupation", occupation))
        verb = "通学しております" if occupation in STUDENTS else "通っております" if s.young else "勤務しております"
        s.add("text", Sentence(f"{subj}は、現在、{m.workplace}に{verb}。", where))
    elif m is not None and not s.young and (job := _open_job(s)) is not None:
        s.add("text", job)
    elif m is not None and not s.young:
        occupation = s.details.occupation
        s.add("text", Sentence(f"{subj}の職業は、{occupation}です。", (s.d("occupation", occupation),)))
    main = next((r for r in s.relatives if r.member is None), None)
    supported = _supported_by_main(s)
    if main is not None and supported is None:
        s.add("text", Sentence(placeholder("世帯の生計を主に維持している人とその収入を記入")))
    elif main is not None and supported is not None:  # the main applicant supports the household (申請書17)
        a = s.profile.applicant
        if s.represented_by_main():
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
            own = e.name in _own_companies(s.profile)
            verb = f"{e.name}を{position}経営しております" if own else f"{e.name}に{position}勤務しております"
            s.add("text", Sentence(f"{whom}は、{verb}。", facts))
    elif s.profile.supporter is not None:  # a minor main applicant supported by a parent
        _supporter(s, f"{subj}")


def _open_job(s: Subject) -> Sentence | None:
    """A co-applicant's current job from their own work history (申請書16), when no workplace is given."""
    open_jobs = [(i, j) for i, j in enumerate(s.details.employment) if j.end is None and j.start <= s.on]
    if not open_jobs:
        return None
    i, j = max(open_jobs, key=lambda x: x[1].start)
    facts: Facts = (s.d(f"employment[{i}].employer", j.employer), s.d(f"employment[{i}].start", j.start))
    position = ""
    if j.position:
        facts += (s.d(f"employment[{i}].position", j.position),)
        position = f"{j.position}として"
    verb = "経営しております" if j.self_employed else "勤務しております"
    particle = "を" if j.self_employed else "に"
    if j.self_employed:
        facts += (s.d(f"employment[{i}].self_employed", True),)
    return Sentence(f"{s.subj}は、{wareki_date(j.start)}から{j.employer}{particle}{position}{verb}。", facts)


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


def paragraphs(text: str) -> list[str]:
    """The office's own text (a statement, a company's activities) as paragraphs: split on blank lines, each
    paragraph's lines joined (Japanese runs on without spaces) and its indent dropped (the template indents)."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        joined = "".join(line.strip() for line in block.splitlines())
        if joined:
            out.append(joined)
    return out


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


def _own_companies(profile: Profile) -> set[str]:
    """The applicant's own businesses: self-employed jobs of the work history and the 経営・管理 company."""
    a = profile.applicant
    return {j.employer for j in a.employment if j.self_employed} | ({a.business.company_name} if a.business else set())


def _current_job(profile: Profile) -> Sentence | None:
    """'現在は、…に…から…として勤務しております。' from the employer (or the open job in the history); of one's own
    company: '私は、…に…を設立し、現在まで…として経営しております。'."""
    a = profile.applicant
    if a.employer is not None:
        e, base = a.employer, "applicant.employer"
        name, since, position = e.name, e.since, e.position
        name_fact = Fact(f"{base}.name", name)
        since_fact = Fact(f"{base}.since", since)
    else:
        open_jobs = [(i, j) for i, j in enumerate(a.employment) if j.end is None]
        if not open_jobs:
            return _business_only(profile)
        i, j = max(open_jobs, key=lambda x: x[1].start)
        base = f"applicant.employment[{i}]"
        name, since, position = j.employer, j.start, j.position
        name_fact = Fact(f"{base}.employer", name)
        since_fact = Fact(f"{base}.start", since)
    facts: Facts = (name_fact,)
    as_position = ""
    if position:
        facts += (Fact(f"{base}.position", position),)
        as_position = f"{position}として"
    if name not in _own_companies(profile):
        text = f"現在は、{name}に"
        if since:
            facts += (since_fact,)
            text += f"{wareki_date(since)}から"
        return Sentence(text + f"{as_position}勤務しております。", facts)
    facts += _own_facts(profile, name)
    if since:  # the day the applicant's own company began is the day they founded it
        facts += (since_fact,)
        return Sentence(f"私は、{wareki_date(since)}に{name}を設立し、現在まで{as_position}経営しております。", facts)
    return Sentence(f"私は、{name}を設立し、現在{as_position}経営しております。", facts)


def _own_facts(profile: Profile, name: str) -> Facts:
    """Where the profile says the company is the applicant's own."""
    a = profile.applicant
    own = [k for k, j in enumerate(a.employment) if j.self_employed and j.employer == name]
    if own:
        return (Fact(f"applicant.employment[{own[0]}].self_employed", True),)
    return (Fact("applicant.business.company_name", name),)


def _business_only(profile: Profile) -> Sentence | None:
    """No employer and no open job, but the 経営・管理 company is recorded."""
    b = profile.applicant.business
    if b is None:
        return None
    return Sentence(
        f"私は、{b.company_name}を経営しております。", (Fact("applicant.business.company_name", b.company_name),)
    )


def _dedupe(sentences: list[Sentence]) -> list[Sentence]:
    seen: set[str] = set()
    out = []
    for s in sentences:
        if s.text in seen:
            continue
        seen.add(s.text)
        out.append(s)
    return out
