"""Letters as sentences that carry their facts, and the ［…］ placeholders the office writes in.

A `Sentence` is its text and the facts it states: where in the profile file each was read (the YAML path,
e.g. ``applicant.trips[0].exit``) and the value found there, or ``assessment:<finding>`` for what the
assessment derived. A sentence no fact supports is a placeholder: ［short instruction］. The builders
(`reason_letter.py`) return a `Letter`; `letter_text` turns it into what templates see (`LetterText`).
Dates in letters are 和暦 (wareki.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from docgen.checklist.people import dependant_in
from docgen.documents.context import Explanations, LetterLine, LetterText
from docgen.profile.family import is_minor, legal_representative, relation_from
from docgen.profile.model import PARENTS, ApplicationDetails, FamilyMember, Person, Profile
from docgen.wareki import era_of

PLACEHOLDER_RE = re.compile(r"［[^［］]*］")

LineKind = Literal["heading", "text", "item"]


def placeholder(instruction: str) -> str:
    """［instruction］: what the office writes in (no 。 inside, so a sentence stays one sentence)."""
    if "。" in instruction or "［" in instruction or "］" in instruction:
        raise ValueError(f"a placeholder instruction holds no 。 or brackets: {instruction}")
    return f"［{instruction}］"


@dataclass(frozen=True)
class Fact:
    """One fact a sentence states: its path in the profile file (or ``assessment:<finding>``) and value."""

    path: str
    value: Any


@dataclass(frozen=True)
class Sentence:
    text: str
    facts: tuple[Fact, ...] = ()

    @property
    def placeholders(self) -> list[str]:
        return PLACEHOLDER_RE.findall(self.text)


@dataclass
class Line:
    """One paragraph: a heading, running text, or one item of a list."""

    kind: LineKind
    sentences: list[Sentence]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.sentences)


@dataclass
class Letter:
    header: list[Sentence] = field(default_factory=list)  # right-aligned lines: 国籍・地域, 氏名, 生年月日
    lines: list[Line] = field(default_factory=list)
    signatures: list[Sentence] = field(default_factory=list)
    by_representative: bool = False  # written by the 法定代理人 of a minor

    def sentences(self) -> list[Sentence]:
        return [*self.header, *(s for line in self.lines for s in line.sentences), *self.signatures]


def letter_text(letter: Letter) -> LetterText:
    """What a template sees: the text of each line (the facts stay with the builder)."""
    return LetterText(
        header=[s.text for s in letter.header],
        lines=[LetterLine(kind=line.kind, text=line.text) for line in letter.lines],
        signatures=[s.text for s in letter.signatures],
        by_representative=letter.by_representative,
    )


# ---------------------------------------------------------------- 和暦 for letters


def _year(era: str, n: int) -> str:
    return f"{era}{'元' if n == 1 else n}年"


def wareki_ym(d: date) -> str:
    """'平成28年4月' (2019-04 is 平成31年4月, 2019-05 令和元年5月)."""
    era, n = era_of(d)
    return f"{_year(era, n)}{d.month}月"


def month_label(ym: str) -> str:
    """'2016-04' (a profile month) -> '平成28年4月'."""
    year, month = ym.split("-")
    return wareki_ym(date(int(year), int(month), 1))


def calendar_year_label(year: int) -> str:
    """A calendar year (所得の年分) in 和暦, named by the era of its last day: 2019 -> 令和元年, 2021 -> 令和3年."""
    era, n = era_of(date(year, 12, 31))
    return _year(era, n)


# ---------------------------------------------------------------- who a letter is about

Facts = tuple[Fact, ...]
WORKING_AGE = 15  # 労働基準法56条: no one under 15 is employed, so a younger child's school or nursery is not work


@dataclass(frozen=True)
class Who:
    """A person of the case: the person and their path in the profile file ("applicant" / "family[1]")."""

    person: Person
    path: str

    def name(self) -> str:
        return self.person.display_name

    def name_facts(self) -> Facts:
        p = self.person
        if p.name_kanji:
            return (Fact(f"{self.path}.name_kanji", p.name_kanji),)
        return (Fact(f"{self.path}.family_name", p.family_name), Fact(f"{self.path}.given_name", p.given_name))


@dataclass(frozen=True)
class Relative:
    """Someone in the subject's family table: 続柄 from the subject's view, and the facts behind it."""

    who: Who
    relation: str
    relation_facts: Facts
    living_together: bool
    living_facts: Facts
    filing_together: bool
    member: FamilyMember | None  # None: the main applicant


# The 説明書 a letter can refer to (kind -> sentence), when the assessment found it for the main applicant.
EXPLAINED = {
    "long_absence": "出国の事情については、別紙説明書（長期出国について）のとおりです。",
    "employer_change": "転職の経緯については、別紙説明書（転職について）のとおりです。",
    "low_income": "収入の状況については、別紙説明書（収入について）のとおりです。",
    "late_payment": "納付が遅れた経緯については、別紙説明書（納付遅延について）のとおりです。",
}
# The same, when one of the jobs is the applicant's own business: the 説明書 tells of founding it as well.
EXPLAINED_FOUNDING = "転職と会社設立の経緯については、別紙説明書（転職について）のとおりです。"


@dataclass(frozen=True)
class Representative:
    """The 法定代理人 who writes a minor's letter (profile/family.legal_representative), the facts naming them,
    and their entry among the subject's relatives when they are in the family table."""

    name: str
    relation: str
    facts: Facts
    relative: Relative | None
    is_supporter: bool = False  # the profile's supporter (扶養者) is the 法定代理人


class Subject:
    """The applicant a letter is about (the main applicant, or a family member filing together), the letter's
    lines so far, and the facts every section reads. A minor's letter is written by `rep` (a parent)."""

    def __init__(self, profile: Profile, member: FamilyMember | None, explanations: Explanations | None):
        self.profile, self.member = profile, member
        self.explained = explanations if member is None else None  # the 説明書 are the main applicant's
        self.main = Who(profile.applicant, "applicant")
        self.who = self.main
        self.dpath = "applicant"
        self.details: ApplicationDetails = profile.applicant
        if member is not None:
            i = next(k for k, m in enumerate(profile.family) if m is member)
            if member.application is None:
                raise ValueError("only a family member filing together has a letter of their own")
            self.who = Who(member, f"family[{i}]")
            self.dpath, self.details = f"family[{i}].application", member.application
        self.on = profile.application_date
        self.minor = is_minor(self.who.person, self.on)
        self.young = self.who.person.age_on(self.on) < WORKING_AGE  # attends, never works at, their workplace
        # no income, 住民税 or 国税 of their own to state: decided as the checklist decides whom it asks for them
        self.dependant = dependant_in(profile, member)
        self.age_facts = (Fact(f"{self.who.path}.birth_date", self.who.person.birth_date), self.date_fact())
        self.relatives = self._relatives()
        self.rep = self._representative() if self.minor else None
        self.subj = "申請人" if self.minor else "私"
        self.lines: list[Line] = []

    def date_fact(self) -> Fact:
        return Fact("application_date", self.on)

    def d(self, field_path: str, value: object) -> Fact:
        """A fact of the subject's own application details (trips, income, residence history …)."""
        return Fact(f"{self.dpath}.{field_path}", value)

    def add(self, kind: LineKind, *sentences: Sentence) -> None:
        if sentences:
            self.lines.append(Line(kind, list(sentences)))

    def explained_by(self, kind: str) -> Sentence | None:
        """'… 別紙説明書（…）のとおりです' when the assessment found this for the main applicant."""
        e = self.explained
        if e is None:
            return None
        found = {
            "long_absence": bool(e.long_trips or e.heavy_years),
            "employer_change": bool(e.jobs),
            "low_income": bool(e.low_income_years),
            "late_payment": bool(e.late_payments),
        }[kind]
        if not found:
            return None
        text = EXPLAINED[kind]
        if kind == "employer_change" and any(j.self_employed for j in e.jobs):
            text = EXPLAINED_FOUNDING
        return Sentence(text, (Fact(f"assessment:{kind}", True),))

    def represented_by_main(self) -> bool:
        """The main applicant is the 法定代理人 who writes this (a child's) letter."""
        return self.rep is not None and self.rep.relative is not None and self.rep.relative.member is None

    def _representative(self) -> Representative | None:
        """The 法定代理人 as profile/family.legal_representative names them (the main applicant for a child filing
        with a parent; for a child filing alone the supporter when a parent, else a parent in the family table),
        with the facts of the entry the name was read from."""
        legal = legal_representative(self.profile, self.member)
        if legal is None:
            return None
        if self.member is not None:  # the main applicant, the child's parent
            main = next(r for r in self.relatives if r.member is None)
            return Representative(legal.name, main.relation, main.relation_facts + main.who.name_facts(), main)
        in_family = next(
            (r for r in self.relatives if r.relation in PARENTS and r.who.name() == legal.name),
            None,
        )
        sup = self.profile.supporter
        if sup is not None and sup.name == legal.name and sup.relationship == legal.relationship:
            facts: Facts = (Fact("supporter.relationship", sup.relationship), Fact("supporter.name", sup.name))
            return Representative(legal.name, legal.relationship, facts, in_family, is_supporter=True)
        if in_family is not None:
            return Representative(
                legal.name, in_family.relation, in_family.relation_facts + in_family.who.name_facts(), in_family
            )
        return None

    def _relatives(self) -> list[Relative]:
        p, a, m = self.profile, self.profile.applicant, self.member
        out: list[Relative] = []
        if m is not None:  # the main applicant, seen from the member
            mp = self.who.path
            out.append(
                Relative(
                    self.main,
                    relation_from(m, None, a.sex),
                    (Fact(f"{mp}.relationship", m.relationship), Fact("applicant.sex", a.sex)),
                    m.living_together,
                    (Fact(f"{mp}.living_together", m.living_together),),
                    True,
                    None,
                )
            )
        for i, other in enumerate(p.family):
            if other is m:
                continue
            op = f"family[{i}]"
            rel_facts: Facts = (Fact(f"{op}.relationship", other.relationship),)
            if m is not None:
                rel_facts += (Fact(f"{self.who.path}.relationship", m.relationship), Fact(f"{op}.sex", other.sex))
            out.append(
                Relative(
                    Who(other, op),
                    relation_from(m, other, a.sex),
                    rel_facts,
                    other.living_together,
                    (Fact(f"{op}.living_together", other.living_together),),
                    other.filing_together,
                    other,
                )
            )
        return out

    def filing_fact(self, r: Relative) -> Facts:
        """Where the profile records that `r` files together: their entry, or (the main applicant) the subject's."""
        return (Fact(f"{(r.who if r.member is not None else self.who).path}.filing_together", True),)


def paragraphs(text: str) -> list[str]:
    """The office's own text (a statement, a company's activities) as paragraphs: split on blank lines, each
    paragraph's lines joined (Japanese runs on without spaces) and its indent dropped (the template indents)."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        joined = "".join(line.strip() for line in block.splitlines())
        if joined:
            out.append(joined)
    return out
