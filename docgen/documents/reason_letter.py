"""The 理由書, sentence by sentence, from the profile's facts (issue 9.9).

Every sentence states only what a profile fact (or the assessment derived from it) supports and carries
those facts (letters.Sentence); what the office must add is a ［…］ placeholder with a short instruction.
A value the profile has only by default is not a fact: a trip's exit method left at 不明, `paid_on_time`
not written for 普通徴収 or 国民年金, a family list not given. The trips are those recorded; over which period
they are all the trips is what the office confirmed from the 出入国記録 (`trips_confirmed_since`), and the
letter never counts them. The office's own text (`statement`, the company's `activities`) is printed as written.

An applicant under 18 on the application date (成年, 民法4条) gets one letter written by the parent as
法定代理人: it speaks of the child in the third person (申請人) and is signed by the parent.
Sections 2 (work, income) and 4 (public duties) are in letter_sections.py.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from docgen.dates import completed_years
from docgen.documents.context import Explanations
from docgen.documents.letter_duties import duties
from docgen.documents.letter_sections import work
from docgen.documents.letters import Fact, Facts, Letter, Relative, Sentence, Subject, paragraphs, placeholder
from docgen.profile.model import SPOUSES, FamilyMember, Profile, ResidencePeriod, Trip
from docgen.wareki import wareki_date

SIGN = "署名 ＿＿＿＿＿＿＿＿＿＿＿＿"
REGIONS = ("台湾", "香港", "マカオ", "パレスチナ")  # 国籍・地域: a region is written 〜籍, not 〜国籍


def nationality(value: str) -> str:
    """'ベトナム国籍', '台湾籍'."""
    return f"{value}籍" if value.strip() in REGIONS else f"{value}国籍"


def header(s: Subject) -> list[Sentence]:
    p, who = s.who.person, s.who
    name = f"氏名　{p.display_name}" + (f"（{p.roman_name}）" if p.name_kanji else "")
    name_facts = who.name_facts() + (
        (Fact(f"{who.path}.family_name", p.family_name), Fact(f"{who.path}.given_name", p.given_name))
        if p.name_kanji
        else ()
    )
    return [
        Sentence(f"国籍・地域　{p.nationality}", (Fact(f"{who.path}.nationality", p.nationality),)),
        Sentence(name, name_facts),
        Sentence(f"生年月日　{wareki_date(p.birth_date)}", (Fact(f"{who.path}.birth_date", p.birth_date),)),
    ]


def opening(s: Subject) -> None:
    p, who = s.who.person, s.who
    others = [r for r in s.relatives if r.filing_together]
    if s.minor:
        born = (Fact(f"{who.path}.birth_date", p.birth_date),)
        if s.rep is not None:
            s.add(
                "text",
                Sentence(
                    f"私は、申請人{p.display_name}（{wareki_date(p.birth_date)}生）の{s.rep.relation}{s.rep.name}です。",
                    who.name_facts() + born + s.rep.facts,
                ),
            )
        else:
            s.add(
                "text",
                Sentence(
                    f"私は、申請人{p.display_name}（{wareki_date(p.birth_date)}生）の法定代理人"
                    + placeholder("法定代理人の氏名と申請人との続柄を記入")
                    + "です。",
                    who.name_facts() + born,
                ),
            )
        s.add(
            "text",
            Sentence(
                "申請人は未成年のため、法定代理人として、申請人の永住許可申請の理由を以下のとおり申し述べます。",
                s.age_facts,
            ),
        )
        if others:
            names = "及び".join(("私" if _is_rep(s, r) else f"{r.relation}{r.who.name()}") for r in others)
            facts = tuple(f for r in others for f in (*r.relation_facts, *r.who.name_facts(), *s.filing_fact(r)))
            s.add("text", Sentence(f"今回、{names}も、申請人と同時に永住許可を申請いたします。", facts))
        return
    s.add(
        "text",
        Sentence(
            f"私は、{nationality(p.nationality)}の{p.display_name}と申します。",
            (Fact(f"{who.path}.nationality", p.nationality), *who.name_facts()),
        ),
    )
    together = "及び".join(f"{r.relation}{r.who.name()}" for r in others)
    facts = tuple(f for r in others for f in (*r.relation_facts, *r.who.name_facts(), *s.filing_fact(r)))
    if s.member is not None:
        s.add(
            "text",
            Sentence(
                f"このたび、{together}とともに永住許可を申請いたしますので、その理由を以下のとおり申し述べます。",
                facts,
            ),
        )
        return
    s.add("text", Sentence("このたび永住許可を申請するにあたり、その理由を以下のとおり申し述べます。"))
    if others:
        s.lines[-1].sentences.append(Sentence(f"なお、{together}も、私と同時に永住許可を申請いたします。", facts))


def residence(s: Subject) -> None:
    s.add("heading", Sentence("１　日本での在留歴"))
    d, subj = s.details, s.subj
    history = sorted(enumerate(d.residence_history), key=lambda x: x[1].start)

    def path(i: int, field: str) -> Fact:
        return s.d(f"residence_history[{i}].{field}", getattr(d.residence_history[i], field))

    if history and _contiguous([r for _, r in history], s.on):  # 'since … until now' needs no gap in between
        first = history[0][1]
        n = completed_years(first.start, s.on)
        facts = (s.date_fact(), *(path(i, "start") for i, _ in history))
        facts += tuple(path(i, "end") for i, r in history if r.end is not None)
        since = wareki_date(first.start)
        s.add(
            "text",
            Sentence(
                f"{subj}は、{since}から現在まで、約{n}年間日本に在留しております。"
                if n >= 1
                else f"{subj}は、{since}から日本に在留しております。",
                facts,
            ),
        )
    # the status on an item line of its own: a status name is never cut by a line wrap inside a long sentence
    s.add("text", Sentence(f"{'申請人の' if s.minor else ''}現在の在留資格は、次のとおりです。"))
    s.add("item", Sentence(f"在留資格　{d.status}", (s.d("status", d.status),)))
    s.add(
        "item",
        Sentence(
            f"在留期間　{d.period_of_stay}（{wareki_date(d.stay_expiry)}まで）",
            (s.d("period_of_stay", d.period_of_stay), s.d("stay_expiry", d.stay_expiry)),
        ),
    )
    if not history:
        s.add("text", Sentence(placeholder("これまでの在留資格と期間を記入")))
    elif len(history) > 1 or not _contiguous([r for _, r in history], s.on):
        s.add("text", Sentence("これまでの在留資格は次のとおりです。"))
        for i, r in history:
            end = wareki_date(r.end) if r.end else "現在"
            facts = (path(i, "start"), path(i, "status")) + ((path(i, "end"),) if r.end else ())
            s.add("item", Sentence(f"{wareki_date(r.start)}〜{end}　{r.status}", facts))
        if not _contiguous([r for _, r in history], s.on):
            s.add("text", Sentence(placeholder("在留歴の空白期間について事情を記入")))
    trips(s)


def trips(s: Subject) -> None:
    """The recorded trips, each on an item line with how the person left on a line of its own (a break, so
    「みなし再入国許可により出国」 is never cut by a wrap). Over which period they are all the trips is what the
    office confirmed from the 出入国記録 (`trips_confirmed_since`); without it, a placeholder says so."""
    d = s.details
    since = d.trips_confirmed_since
    ordered = sorted(enumerate(d.trips), key=lambda x: x[1].departure)
    if since is None:
        if not ordered:
            s.add("text", Sentence(placeholder("出国の有無と期間を出入国記録で確認して記入")))
            return
        s.add(
            "text",
            Sentence(
                placeholder("出入国記録で確認した期間を記入（例：平成28年4月以降）") + "の出国は、次のとおりです。"
            ),
        )
        for i, t in ordered:
            s.add("item", *_trip(s, i, t))
    else:
        confirmed = (s.d("trips_confirmed_since", since),)
        # a trip still abroad on that day came back within the period the records confirm
        after = [(i, t) for i, t in ordered if t.return_date is None or t.return_date >= since]
        listed = {i for i, _ in after}
        before = [(i, t) for i, t in ordered if i not in listed]
        if after:
            s.add("text", Sentence(f"{wareki_date(since)}以降の出国は、次のとおりです。", confirmed))
            for i, t in after:
                s.add("item", *_trip(s, i, t))
        else:
            s.add("text", Sentence(f"{wareki_date(since)}以降、出国はありません。", confirmed))
        if before:
            s.add("text", Sentence("それより前には、次の出国がありました。", confirmed))
            for i, t in before:
                s.add("item", *_trip(s, i, t))
    note = s.explained_by("long_absence")
    if note:
        s.add("text", note)


BREAK = "\n\u3000\u3000"  # a line break inside an item, indented under the item's text (templates: 「　・」)


def _trip(s: Subject, i: int, t: Trip) -> tuple[Sentence, Sentence]:
    """One trip: its dates, days, destination and purpose; then, after a line break, how the person left."""
    tp = f"trips[{i}]"
    facts: Facts = (s.d(f"{tp}.departure", t.departure),)
    text = wareki_date(t.departure) + "〜"
    if t.return_date is not None:
        facts += (s.d(f"{tp}.return", t.return_date),)
        text += f"{wareki_date(t.return_date)}（{(t.return_date - t.departure).days}日間）"
    else:
        text += "（出国中）"
    if t.destination:
        facts += (s.d(f"{tp}.destination", t.destination),)
        text += f"　{t.destination}"
    if t.purpose:
        facts += (s.d(f"{tp}.purpose", t.purpose),)
        text += f"（{t.purpose}）" if t.destination else f"　{t.purpose}"
    recorded = "exit" in t.model_fields_set
    if recorded and t.exit == "みなし再入国":
        how = Sentence(BREAK + "みなし再入国許可により出国", (s.d(f"{tp}.exit", t.exit),))
    elif recorded and t.exit == "再入国許可":
        exit_facts: Facts = (s.d(f"{tp}.exit", t.exit),)
        until = ""
        if t.reentry_permit_until:
            exit_facts += (s.d(f"{tp}.reentry_permit_until", t.reentry_permit_until),)
            until = f"（{wareki_date(t.reentry_permit_until)}まで有効）"
        how = Sentence(BREAK + "再入国許可を受けて出国" + until, exit_facts)
    else:
        how = Sentence(BREAK + placeholder("出国の方法（再入国許可・みなし再入国許可）を記入"))
    return Sentence(text, facts), how


def family(s: Subject) -> None:
    s.add("heading", Sentence("３　家族"))
    if not s.relatives:  # the 申請書 prints （在日親族及び同居者なし） for the same empty family table
        s.add("text", Sentence("日本に在住する親族及び同居者はおりません。", (Fact("family", []),)))
        return
    s.add("text", Sentence("日本に在住する家族等は次のとおりです。"))
    for r in s.relatives:
        p = r.who.person
        notes = [f"{wareki_date(p.birth_date)}生", nationality(p.nationality), "同居" if r.living_together else "別居"]
        facts = (
            r.relation_facts
            + r.who.name_facts()
            + (Fact(f"{r.who.path}.birth_date", p.birth_date), Fact(f"{r.who.path}.nationality", p.nationality))
            + r.living_facts
        )
        if _is_rep(s, r):
            notes.append("法定代理人")
        if r.filing_together:
            notes.append("今回同時に申請")
            facts += s.filing_fact(r)
        text = f"{r.relation}　{p.display_name}（{'、'.join(notes)}）"
        s.add("item", Sentence(text, facts))
    if s.minor:
        return
    for r in s.relatives:  # the marriage date is recorded on the spouse's entry
        entry = r.member if r.member is not None else s.member
        if r.relation in SPOUSES and entry is not None and entry.marriage_date:
            path = r.who.path if r.member is not None else s.who.path
            s.add(
                "text",
                Sentence(
                    f"{r.relation}とは{wareki_date(entry.marriage_date)}に婚姻しました。",
                    r.relation_facts + (Fact(f"{path}.marriage_date", entry.marriage_date),),
                ),
            )


def reason(s: Subject) -> None:
    s.add("heading", Sentence("５　永住許可を希望する理由"))
    r = s.details.reason.strip().rstrip("。").strip()
    facts = (s.d("reason", s.details.reason),)
    lead = "申請人について永住許可を申請するのは" if s.minor else "私が永住許可を希望するのは"
    if r.endswith(("ため", "から")):
        s.add("text", Sentence(f"{lead}、{r}です。", facts))
    elif r:
        s.add("text", Sentence(f"永住許可を申請する理由は、「{r}」です。", facts))
    statement = s.details.statement
    if statement.strip():  # the office's own text, heard from the applicant: paragraphs as written
        fact = (s.d("statement", statement),)
        for paragraph in paragraphs(statement):
            s.add("text", Sentence(paragraph, fact))
    else:
        what = "申請人の日本での生活の様子" if s.minor else "日本での生活"
        s.add("text", Sentence(placeholder(f"{what}と永住を希望する理由を具体的に記入")))
    if s.minor:
        s.add(
            "text",
            Sentence("今後も家族とともに日本の法令を遵守し、申請人を責任をもって養育してまいります。"),
            Sentence("以上の理由により、申請人に永住許可をいただきたく、よろしくお願い申し上げます。"),
        )
    else:
        s.add(
            "text",
            Sentence("今後も日本の法令を遵守し、社会の一員として誠実に生活してまいります。"),
            Sentence("以上の理由により、永住許可をいただきたく、よろしくお願い申し上げます。"),
        )


def signatures(s: Subject) -> list[Sentence]:
    """The applicant signs; a minor's letter is signed by the 法定代理人 (「法定代理人　父　氏名」), or left to
    the office to name when the profile names no parent."""
    who = s.who
    if not s.minor:
        return [Sentence(f"申請人　{who.name()}　　{SIGN}", who.name_facts())]
    out = [Sentence(f"申請人　{who.name()}", who.name_facts())]
    if s.rep is not None:
        out.append(Sentence(f"法定代理人　{s.rep.relation}　{s.rep.name}　　{SIGN}", s.rep.facts))
    else:
        out.append(Sentence(f"法定代理人　{placeholder('法定代理人の氏名')}　　{SIGN}"))
    return out


def _is_rep(s: Subject, r: Relative) -> bool:
    """`r` is the 法定代理人 writing the letter."""
    return s.rep is not None and s.rep.relative is r


def _contiguous(history: list[ResidencePeriod], on: date) -> bool:
    """Each period starts by the day after the one before ends, and the last runs to now."""
    for before, after in itertools.pairwise(history):
        if before.end is None or after.start > before.end + timedelta(days=1):
            return False
    return history[-1].end is None or history[-1].end >= on


def reason_letter(profile: Profile, member: FamilyMember | None, explanations: Explanations | None = None) -> Letter:
    """The 理由書 of the main applicant (`member` None) or of a family member filing together.
    `explanations`: the main applicant's 説明書 data, so the letter can refer to them."""
    s = Subject(profile, member, explanations)
    opening(s)
    residence(s)
    work(s)
    family(s)
    duties(s)
    reason(s)
    return Letter(header(s), s.lines, signatures(s), by_representative=s.minor)
