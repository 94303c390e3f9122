"""What a Word template can use: the render context, as a typed model.

Templates see exactly the names of `DocumentContext` (top level) and the fields of
the models below. The template checker walks templates against this model, and the
staff guide's variable list is generated from it.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from docgen.checklist.output import ChecklistRow
from docgen.profile.model import (
    CriminalRecord,
    Employer,
    FilingAgent,
    Guarantor,
    HealthEnrolment,
    IncomeYear,
    Job,
    OtherIdentity,
    Passport,
    PensionEnrolment,
    ResidencePeriod,
    Supporter,
    Trip,
)


class _View(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CaseInfo(_View):
    case_id: str = Field(description="案件番号")
    category: str = Field(description="category id, e.g. gijinkoku")
    category_name: str = Field(description="在留資格・類型の名称, e.g. 技術・人文知識・国際業務")
    route_name: str = Field(description="許可の要件 (route), e.g. 原則10年在留…")
    application_date: date = Field(description="申請予定日")


class RepresentativeView(_View):
    """法定代理人 of a minor applicant (申請書20, 了解書); empty text is not known."""

    name: str
    relationship: str = Field(description="本人との関係: 父 / 母")
    address: str
    phone: str
    mobile: str


class ApplicantView(_View):
    """The person a document is for (the main applicant or a co-applicant)."""

    is_main: bool = Field(description="主たる申請人なら true")
    relationship_to_main: str = Field(description="主たる申請人から見た続柄 (本人なら 本人)")
    family_name: str
    given_name: str
    roman_name: str = Field(description="氏名 (ローマ字), e.g. WANG XIAOMING")
    name_kanji: str = Field(description="漢字氏名 (なければ空)")
    display_name: str = Field(description="漢字氏名があれば漢字、なければローマ字")
    nationality: str
    birth_date: date
    age: int = Field(description="申請日の年齢")
    sex: str = Field(description="男 / 女")
    birth_place: str
    home_town: str
    occupation: str
    address: str
    phone: str
    mobile: str
    passport: Passport
    residence_card_number: str
    status: str
    period_of_stay: str
    stay_expiry: date
    criminal_record: CriminalRecord
    other_identities: list[OtherIdentity]
    reason: str = Field(description="永住許可を申請する理由 (申請書14)")
    married: bool = Field(description="配偶者の有無")
    residence_history: list[ResidencePeriod]
    first_entry: date | None = Field(description="最初の在留開始日 (residence history)")
    years_in_japan: int = Field(description="最初の在留開始日から申請日までの満年数")
    trips: list[Trip]
    trips_confirmed_since: date | None = Field(description="出入国記録で出国歴を確かめた期間の始まり (事務所が確認)")
    income: list[IncomeYear]
    pension: list[PensionEnrolment]
    health_insurance: list[HealthEnrolment]
    employment: list[Job]
    guarantor_relationship: str = Field(description="身元保証人とこの申請人との関係 (夫の雇用主 …)")
    employer: Employer | None
    age_16_or_over: bool
    minor: bool = Field(description="申請日に18歳未満 (法定代理人が申請する)")
    legal_representative: RepresentativeView | None = Field(
        description="法定代理人 (未成年の申請人の親); 未成年でプロフィールに親がなければ None"
    )


class FamilyRow(_View):
    """One row of 在日親族及び同居者 (from the point of view of the document's applicant)."""

    relationship: str
    name: str = Field(description="氏名 (漢字があれば漢字)")
    roman_name: str
    birth_date: date
    nationality: str
    living_together: bool
    workplace: str
    card_number: str
    filing_together: bool


class IndexRow(_View):
    """One row of the 提出書類一覧表."""

    number: int
    item_id: str
    title: str
    period: str = Field(description="対象期間 (e.g. 令和4年度〜令和8年度)")
    people: str = Field(description="対象者")
    action: str = Field(description="提出 / 提示")
    status: str = Field(description="提出 / 一部（3/15） / 要確認（15/15） / 提示 / 未提出 / 該当なし / 許可時")
    pages: str = Field(description="バンドル内のページ (e.g. 5-7)")
    copies: str
    count: str = Field("", description="提出した数／必要な数 (e.g. 3/15: 人・年度ごとに数える書類)")
    missing: str = Field("", description="不足している人・年度 (e.g. NGUYEN VAN AN 令和4年度〜令和7年度)")


class PointsRow(_View):
    """One scoring item of a ポイント計算表, as of the table's date."""

    item: str = Field(description="項目, e.g. 学歴")
    basis: str = Field(description="該当する内容 (その時点の事実), e.g. 年収 8,600,000円 (…; 32歳)")
    points: int = Field(description="点数")


class PointsTableView(_View):
    """The 高度専門職ポイント計算表 of one date: 申請時点 (the application date) or 基準時点 (3 or 1 years before)."""

    label: Literal["申請時点", "基準時点"] = Field(description="申請時点 / 基準時点")
    offset: str = Field(description="基準時点なら申請日からの隔たり (e.g. 申請日の1年前); 申請時点なら空")
    as_of: date = Field(description="この表の時点の日付")
    rows: list[PointsRow] = Field(description="その時点で点数のつく項目")
    total: int = Field(description="合計点")
    threshold: int = Field(description="基準点 (70 / 80)")
    minimum_income: int | None = Field(description="最低年収 (1号ロ・ハは3,000,000円; 1号イは空)")
    income_minimum_met: bool = Field(description="最低年収を満たす (1号イは常に true)")
    met: bool = Field(description="基準点以上で、最低年収も満たす")


class TripRow(_View):
    departure: date
    return_date: date | None = Field(description="帰国日 (空なら出国中)")
    days: int | None = Field(description="出国日数")
    long: bool = Field(description="長期 (90日以上) の出国")
    destination: str
    purpose: str
    exit: str = Field("不明", description="出国の方法: みなし再入国 / 再入国許可 / 不明")
    reentry_permit_until: date | None = Field(None, description="再入国許可の有効期限")


class YearDays(_View):
    year: int
    days: int = Field(description="その年の出国日数の合計")
    label: str = Field("", description="和暦の年, e.g. 令和5年")


class LatePaymentRow(_View):
    kind: str = Field(description="住民税 / 年金 / 医療保険")
    person: str
    period: str = Field(description="対象 (e.g. 令和5年度, 2024-04〜2024-06)")
    detail: str = Field(description="徴収方法・制度 (e.g. 普通徴収, 国民年金)")


class JobRow(_View):
    employer: str
    start: date
    end: date | None
    position: str
    self_employed: bool = Field(False, description="自営業・会社経営")


class JobGap(_View):
    """A time without work between two jobs (退職日の翌日より後に次の入社)."""

    left: date = Field(description="退職日")
    joined: date = Field(description="次の入社日")


class IncomeRow(_View):
    year: int = Field(description="所得の年分")
    label: str = Field(description="e.g. 令和5年度(2022年分)")
    income: int
    benchmark: int = Field(description="実務上の目安額 (非公式)")
    dependants: int


class Explanations(_View):
    """Data for the 説明書 templates (from the eligibility findings)."""

    long_trips: list[TripRow] = Field(default_factory=list, description="90日以上の出国")
    trips: list[TripRow] = Field(default_factory=list, description="全ての出国")
    heavy_years: list[YearDays] = Field(default_factory=list, description="出国日数が目安を超える年")
    late_payments: list[LatePaymentRow] = Field(default_factory=list)
    jobs: list[JobRow] = Field(default_factory=list, description="対象期間の勤務先")
    job_gaps: list[JobGap] = Field(default_factory=list, description="勤務先の間の離職期間")
    low_income_years: list[IncomeRow] = Field(default_factory=list)


class LetterLine(_View):
    """One paragraph of a letter."""

    kind: Literal["heading", "text", "item"] = Field(description="heading (見出し) / text (本文) / item (箇条書き)")
    text: str


class LetterText(_View):
    """A letter's wording, built from the profile's facts (documents/reason_letter.py); ［…］ is for the office."""

    header: list[str] = Field(default_factory=list, description="表題の下の右寄せの行 (国籍・地域, 氏名, 生年月日)")
    lines: list[LetterLine] = Field(default_factory=list, description="本文の段落 (見出し・本文・箇条書き)")
    signatures: list[str] = Field(default_factory=list, description="署名欄 (未成年なら法定代理人)")
    by_representative: bool = Field(False, description="未成年の申請人について法定代理人が書く書面")


class DocumentContext(_View):
    """Top-level names available in every template."""

    case: CaseInfo
    applicant: ApplicantView
    main_applicant: ApplicantView
    applicants: list[ApplicantView] = Field(description="everyone filing in this case")
    family: list[FamilyRow]
    supporter: Supporter | None
    guarantor: Guarantor
    agent: FilingAgent | None = Field(description="取次者 (行政書士)")
    today: date = Field(description="作成日")
    index: list[IndexRow] = Field(default_factory=list, description="提出書類一覧表 rows")
    checklist: list[ChecklistRow] = Field(default_factory=list, description="checklist handout rows")
    labels: dict[str, str] = Field(
        default_factory=dict, description="headings in the chosen language (checklist handout)"
    )
    notices: list[str] = Field(default_factory=list, description="warnings to print (e.g. the new 住民税 年度)")
    points_table: PointsTableView | None = Field(
        None, description="この書類の時点のポイント計算表 (申請時点の書類は申請時点、基準時点の書類は基準時点)"
    )
    points_tables: list[PointsTableView] = Field(
        default_factory=list, description="ポイント計算表の全時点 (申請時点、基準時点の順)"
    )
    points_field: str = Field("", description="高度専門職の活動類型, e.g. 高度専門・技術分野（1号ロ）")
    explanations: Explanations = Field(
        default_factory=Explanations, description="説明書 data (long absences, late payments, job changes, income)"
    )
    letter: LetterText = Field(
        default_factory=LetterText,
        description="理由書の文面 (申請人ごと; プロフィールの事実から作成, ［…］は事務所が記入)",
    )


class ApplicantName(_View):
    display_name: str


class ChecklistCase(_View):
    category: str
    category_name: str
    application_date: date


class ChecklistContext(_View):
    """The client checklist handout (templates/checklist.docx): a subset of DocumentContext's names."""

    case: ChecklistCase
    applicants: list[ApplicantName]
    checklist: list[ChecklistRow]
    labels: dict[str, str]
    notices: list[str] = Field(default_factory=list, description="warnings to print (e.g. the new 住民税 年度)")
