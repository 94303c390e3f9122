"""Section 2 of the 理由書 (work and income): the current job or company, the work history, who supports the
household, the yearly income — only what the profile records. Section 4 (public duties) is letter_duties.py."""

from __future__ import annotations

from docgen.documents.letters import (
    Fact,
    Facts,
    Sentence,
    Subject,
    calendar_year_label,
    paragraphs,
    placeholder,
    wareki_ym,
)
from docgen.profile.model import Profile
from docgen.wareki import wareki_date

STUDENTS = ("学生", "生徒", "児童")


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
