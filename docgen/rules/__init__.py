"""Stage 2, rules: dated data in, the rules in force on a date out.

In: the built-in `checklists/` and office folders (checklist items per category), `docgen/data/`
(eligibility, continuity, points table). Out: a `RuleBook` (items and parameters in force on a date), the
assessment rules, the lookback periods resolved for an application date. One engine picks dated versions
(`dated.py`) for all of them; every rule cites its sources with a reliability tag.
"""

from docgen.rules.book import Category, ItemRule, Params, RuleBook
from docgen.rules.loader import load_rulebook
from docgen.rules.sources import Source, needs_review

__all__ = ["Category", "ItemRule", "Params", "RuleBook", "Source", "load_rulebook", "needs_review"]
