"""素行 — traffic (reference §10.13, §11.3): the number of 反則金 (青切符) in the lookback gives a risk level and the
day it falls away, from rule-of-thumb data in eligibility.yaml; never a verdict. A 罰金 is a criminal penalty
(conduct.py): listed here for the count of violations, never as a rule of thumb."""

from __future__ import annotations

from docgen.assessment.continuity import RiskLevel
from docgen.assessment.results import Check, CheckStatus, Reason
from docgen.assessment.situation import Situation
from docgen.dates import add_years, years_before
from docgen.messages import say
from docgen.rules.dated import in_force

LEVEL_WORDS = {RiskLevel.LOW: "低", RiskLevel.MEDIUM: "中", RiskLevel.HIGH: "高"}


def traffic_check(case: Situation) -> Check:
    """素行 (traffic): a risk level from the number of 反則金, never a verdict (§10.13)."""
    v = in_force(
        case.eligibility.traffic.versions,
        case.on,
        say("交通違反の目安（eligibility.yaml）", "the traffic rule (eligibility.yaml)"),
    )
    since = years_before(case.on, v.lookback_years)
    recent = sorted((t for t in case.applicant.traffic if since < t.date <= case.on), key=lambda t: t.date)
    fines = [t for t in recent if t.kind == "罰金"]
    notices = [t for t in recent if t.kind == "反則金"]
    title = {"ja": "素行(交通違反)", "en": "Conduct (traffic violations)"}
    src = case.eligibility.src(v.sources)
    if not recent:
        reason = Reason(
            f"直近{v.lookback_years}年の交通違反の記録はありません", f"no traffic violation in {v.lookback_years} years"
        )
        return Check("traffic", title, CheckStatus.OK, [reason], src, v.review, official=False)
    levels = [RiskLevel(n.level) for n in v.notice_levels if len(notices) >= n.from_]
    if not levels:  # only fines: they are criminal penalties (conduct.py), not a count
        reason = Reason(
            f"直近{v.lookback_years}年の反則金はありません(罰金{len(fines)}件は刑罰として「素行(罰金刑・拘禁刑等)」で判断)",
            f"no fixed penalty in {v.lookback_years} years ({len(fines)} fine(s): judged as criminal penalties)",
        )
        return Check("traffic", title, CheckStatus.OK, [reason], src, v.review, official=False)
    level = max(levels, key=lambda lv: lv.rank)
    clears_on = add_years(notices[-1].date, v.lookback_years)
    reasons = [
        Reason(
            f"直近{v.lookback_years}年({since}より後)の交通違反: 反則金{len(notices)}件、罰金{len(fines)}件"
            f" — リスク{LEVEL_WORDS[level]}",
            f"traffic violations in {v.lookback_years} years: {len(notices)} fixed penalties, {len(fines)} fines"
            f" — {level.value} risk",
        ),
        *(
            Reason(f"{t.date} {t.kind} {t.description}".rstrip(), f"{t.date} {t.kind} {t.description}".rstrip())
            for t in recent
        ),
        Reason(
            f"{clears_on}以降は反則金がすべて{v.lookback_years}年より前になります",
            f"from {clears_on} all fixed penalties are older than {v.lookback_years} years",
        ),
    ]
    if fines:
        reasons.append(
            Reason(
                "罰金(赤切符・略式命令)は刑罰です: 「素行(罰金刑・拘禁刑等)」を参照",
                "a fine (red ticket, summary order) is a criminal penalty: see the conduct check",
            )
        )
    reasons.append(Reason("件数の目安は実務上のもので公式の基準はありません", "the counts are rules of thumb"))
    return Check(
        "traffic",
        title,
        CheckStatus.RISK,
        reasons,
        src,
        v.review,
        official=False,
        level=level,
        until=clears_on,
        data={
            "level": level.value,
            "notices": len(notices),
            "fines": len(fines),
            "since": since.isoformat(),
            "clears_on": clears_on.isoformat(),
        },
    )
