"""Which employer a case records, and whether it is the one staff asked for (`docgen cases --employer`).

A case's employer is its main applicant's current employer as the profile records it (`applicant.employer.name`,
else the jobs of `applicant.employment` without an end date): the company whose HR sent the roster (the batch's
勤務先 column) is the applicant's employer, and the family files with the applicant. Names are compared as staff
and HR write them, not letter for letter: width, case, spaces and punctuation are ignored and so is the legal form
before or after the name (株式会社, ㈱, 有限会社, Co., Ltd. …), and the name asked for may be a part of the recorded
one ("みなとテック" finds "みなとテック株式会社"). A profile with mistakes still names its employer when that
part of it can be read.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from docgen.profile.model import Profile
from docgen.yamlfile import load_plain_fast

# Legal forms written before or after the name (前株・後株), after NFKC and casefold (㈱ and （株） → (株)).
JA_FORMS = (
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
    "一般社団法人",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
    "社会福祉法人",
    "医療法人社団",
    "医療法人財団",
    "医療法人",
    "学校法人",
    "(株)",
    "(有)",
    "(同)",
    "(社)",
    "(財)",
    "(医)",
    "(学)",
)
# ... and the English ones, at the end only, as whole words ("Costco" keeps its "co").
EN_FORM = re.compile(
    r"[\s,.]*\b(?:co\.?\s*,?\s*ltd|company\s+limited|incorporated|corporation|corp|inc|limited|ltd|llc|k\.?\s*k|co)\.?$"
)
IGNORED = re.compile(r"[\s・,.\-_'\"&]+")  # spaces of any width and punctuation written either way


def employer_key(name: str) -> str:
    """The name as compared: NFKC, casefold, without its legal form, spaces or punctuation."""
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    while True:  # 'Minato Tech K.K. (株)': each form in turn
        bare = EN_FORM.sub("", text).strip()
        for form in JA_FORMS:
            bare = bare.removeprefix(form).removesuffix(form).strip()
        if bare == text:
            return IGNORED.sub("", text)
        text = bare


def profile_employers(profile: Profile) -> tuple[str, ...]:
    """The main applicant's current employer(s) as the profile records them (empty: none recorded)."""
    a = profile.applicant
    if a.employer is not None:
        return (a.employer.name,)
    return tuple(dict.fromkeys(job.employer for job in a.employment if job.end is None))


def file_employers(profile_file: Path) -> tuple[str, ...]:
    """The employer(s) a profile that could not be validated still records, read from the file as plain data
    (nothing when the file cannot be read or does not say)."""
    data = load_plain_fast(profile_file)
    applicant = data.get("applicant") if isinstance(data, dict) else None
    if not isinstance(applicant, dict):
        return ()
    employer = applicant.get("employer")
    if isinstance(employer, dict) and isinstance(employer.get("name"), str) and employer["name"].strip():
        return (employer["name"],)
    jobs: Any = applicant.get("employment")
    current = (
        job["employer"]
        for job in (jobs if isinstance(jobs, list) else [])
        if isinstance(job, dict) and isinstance(job.get("employer"), str) and job.get("end") is None
    )
    return tuple(dict.fromkeys(name for name in current if name.strip()))


def works_for(employers: tuple[str, ...], asked: str) -> bool:
    """Does one of the recorded employers match the employer asked for (see the module docstring)?"""
    key = employer_key(asked)
    return bool(key) and any(key in employer_key(name) for name in employers)
