"""What a 説明書 can explain: the kinds of finding the assessment makes (a module of its own, so that the
checklist's conditions can name them without loading the assessment)."""

from __future__ import annotations

from enum import StrEnum


class FindingKind(StrEnum):
    LONG_ABSENCE = "long_absence"
    LATE_PAYMENT = "late_payment"
    EMPLOYER_CHANGE = "employer_change"
    LOW_INCOME = "low_income"
