"""The packet as the office will file it (issue 18, item 4 and the fee).

The 申請書 carries the official form's English where the reference gives it (§11.10): the header
"Part 1 (Permanent Residence) Ministry of Justice, Government of Japan", "To the Minister of Justice" and the
preamble. Lines the reference lacks are template text the office confirms once (`docgen templates check` warns
until it does), never a ［ ］ gap in a client's packet. The 身元保証書 leaves the 氏名（署名） cell for the
guarantor's hand. The fee note says the increase is planned with amount and date 要確認 (§11.11), no date as fact.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from docgen.checklist import Checklist
from docgen.checklist import build_checklist as build
from docgen.checklist.output import as_text
from tests.conftest import ROOT, RULES

CATEGORIES = sorted(p.stem for p in (ROOT / "checklists").glob("[!_]*.yaml"))


def build_checklist(category: str, on: date) -> Checklist:
    """The checklist `docgen checklist CATEGORY --date ON` prints (built-in rules)."""
    return build(RULES.book, category, on, RULES.release_day)


# ---------------------------------------------------------------- the fee (§11.11)

# a start date printed as fact: 2026年10月1日, 2026-10-01, 1 Oct 2026, 2026年10月1日起 …
A_START_DATE = re.compile(
    r"20\d\d年\d{1,2}月\d{1,2}日以降|20\d\d-\d\d-\d\d受付|\d{1,2} \w{3} 20\d\d|20\d\d年\d{1,2}月\d{1,2}日起"
)


@pytest.mark.parametrize("on", [date(2026, 11, 30), date(2027, 4, 1)])
def test_the_fee_increase_is_planned_with_amount_and_date_to_be_checked_never_a_date_as_fact(on):
    for category in CATEGORIES:
        fee = next(i for i in build_checklist(category, on).items if i.id == "revenue_stamp")
        ja, en, zh = fee.notes("ja"), fee.notes("en"), fee.notes("zh")
        assert "引上げ予定（額・施行日は政令で決定、要確認）" in ja, category
        assert "to be checked" in en and "cabinet order" in en, category
        assert "需确认" in zh and "政令" in zh, category
        for text in (ja, en, zh, fee.rule.review or "", *(s.title for s in fee.rule.sources)):
            assert not A_START_DATE.search(text), (category, text)
            assert "2026年10月" not in text and "2026-10-01" not in text and "Oct 2026" not in text, text
            assert "約20万円" not in text and "报道约" not in text  # a press figure is not the fee
        line = next(x for x in as_text(build_checklist(category, on)).splitlines() if "手数料納付書" in x)
        assert "要確認" in line and "2026年10月" not in line


def test_before_the_increase_the_fee_is_the_known_10000_yen():
    fee = next(i for i in build_checklist("gijinkoku", date(2026, 3, 15)).items if i.id == "revenue_stamp")
    assert "10,000円" in fee.title() and not fee.rule.needs_review
