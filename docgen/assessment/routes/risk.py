"""Rules of thumb about time abroad as a risk on a route the law decides: a level and the day it falls away."""

from __future__ import annotations

from datetime import date

from docgen.assessment.continuity import Event, RiskLevel
from docgen.assessment.results import Reason, Risk
from docgen.dates import add_years


def assess_risk(risks: list[Event], on: date, years: int) -> Risk:
    """The level of the risks still open on `on`, and the day the last of them falls away: if a trip or a heavy
    year were taken as breaking continuity, the count would restart and the route need `years` again."""
    open_events: list[tuple[Event, date | None]] = []
    for e in risks:
        clears = add_years(e.restart, years) if e.restart else None
        if clears is None or clears > on:
            open_events.append((e, clears))
    reasons = [Reason(e.ja, e.en) for e in risks]
    if not open_events:
        reasons.append(
            Reason(f"いずれも{years}年以上前のため、数え直しても要件を満たします", f"all are over {years} years ago")
        )
        return Risk(RiskLevel.LOW, reasons, None)
    level = max((e.level or RiskLevel.LOW for e, _ in open_events), key=lambda lv: lv.rank)
    dates = [d for _, d in open_events]
    clears_on = None if any(d is None for d in dates) else max(d for d in dates if d is not None)
    if clears_on:
        reasons.append(
            Reason(
                f"継続性を否定された場合でも{clears_on}には要件を満たします(その日以降はこのリスクがなくなります)",
                f"even if continuity were denied, the route would be met on {clears_on}",
            )
        )
    reasons.append(
        Reason(
            "出国日数の目安は実務上のもので、法令上の要件ではありません(要確認)",
            "the absence figures are practitioners' rules of thumb, not law (to be checked)",
        )
    )
    return Risk(level, reasons, clears_on)
