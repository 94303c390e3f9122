"""The applicant profile: one case (an applicant, or a family filing together).

Field names are English (they are template variables); values staff type are
Japanese where the forms are Japanese (在留資格, 続柄, 特別徴収/普通徴収).
Validation of single fields lives here; facts that involve several fields are
checked in `profile_checks.py` so the error can point at the right line.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from docgen.dates import completed_years
from docgen.languages import ClientLanguage
from docgen.messages import say
from docgen.profile.hsp import HspFacts

Sex = Literal["男", "女"]
TaxCollection = Literal["特別徴収", "普通徴収", "途中から普通徴収"]  # 途中から: 年度の途中で退職し普通徴収に切替
ORDINARY_COLLECTION = ("普通徴収", "途中から普通徴収")  # the client paid (part of) the 年度 themselves
MINOR_AGE = 18  # 民法4条 (2022-04-01 から18歳で成年)
PensionKind = Literal["厚生年金", "国民年金", "共済年金", "未加入"]
HealthInsuranceKind = Literal["健康保険", "国民健康保険", "共済組合", "未加入"]
GuarantorStatus = Literal["日本人", "永住者", "特別永住者"]
ExitKind = Literal["みなし再入国", "再入国許可", "不明"]
TrafficKind = Literal["反則金", "罰金"]
PensionExemption = Literal["免除", "猶予", "学生納付特例", "第3号被保険者"]  # 国民年金法90条, 90条の3, 附則, 7条1項3号

SPOUSES = ("妻", "夫", "配偶者")  # 続柄 that mean the applicant's spouse
PARENTS = ("父", "母")
CHILDREN = ("子", "長男", "長女", "次男", "次女", "三男", "三女")  # 続柄 that mean the applicant's child
RESIDENCE_CARD_RE = re.compile(r"^[A-Z]{2}\d{8}[A-Z]{2}$")
YEAR_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

Text = Annotated[str, Field(min_length=1)]
Day = date  # for fields named `date`


class Strict(BaseModel):
    """Unknown keys are errors; text is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False)


class Passport(Strict):
    number: Text = Field(description="旅券番号 (as printed in the passport)")
    expiry: date = Field(description="有効期限")


class CriminalRecord(Strict):
    """犯罪を理由とする処分を受けたことの有無 (日本国外におけるものを含む)."""

    has_record: bool = Field(False, description="有 = true, 無 = false")
    details: str = Field("", description="有の場合の具体的内容 (日付, 処分, 内容)")


class OtherIdentity(Strict):
    """上記と異なる国籍・地域、氏名、生年月日による出入国 (form item 15)."""

    nationality: Text
    name: Text
    birth_date: date


class TrafficViolation(Strict):
    """One traffic violation: 反則金 (青切符) or 罰金 (赤切符: 飲酒運転、大幅な速度超過 …)."""

    date: Day = Field(description="違反日")
    kind: TrafficKind = Field(description="反則金 (青切符) / 罰金 (赤切符)")
    description: str = Field("", description="内容, e.g. 一時不停止, 速度超過 (25km/h)")
    paid_on: Day | None = Field(None, description="罰金を納付した日 (罰金のみ; 刑の消滅は納付から5年: 刑法34条の2)")

    @model_validator(mode="after")
    def _paid_after_offence(self) -> TrafficViolation:
        if self.paid_on is not None and self.paid_on < self.date:
            raise ValueError(
                say(
                    "罰金の納付日 (paid_on) が違反日より前です",
                    "the fine's payment date (paid_on) is before the offence",
                )
            )
        return self


class ResidencePeriod(Strict):
    """One period on one 在留資格 (residence history)."""

    status: Text = Field(description="在留資格, e.g. 留学, 技術・人文知識・国際業務")
    start: date = Field(description="許可日 / 上陸日")
    end: date | None = Field(None, description="終了日; empty for the current status")
    period_of_stay: str = Field("", description="在留期間, e.g. 3年")


class Trip(Strict):
    """One trip abroad (出国 -> 再入国)."""

    departure: date
    return_date: date | None = Field(None, alias="return", description="帰国日; empty if abroad now")
    destination: str = ""
    purpose: str = ""
    exit: ExitKind = Field("不明", description="出国の方法: みなし再入国 (許可なし、1年以内) / 再入国許可 / 不明")
    reentry_permit_until: date | None = Field(None, description="再入国許可の有効期限 (再入国許可で出国した場合)")

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    @property
    def days(self) -> int | None:
        return (self.return_date - self.departure).days if self.return_date else None


class Job(Strict):
    """One employment (or business) in the work history."""

    employer: Text = Field(description="勤務先 / 事業所名")
    start: date
    end: date | None = None
    position: str = ""
    address: str = ""
    phone: str = ""
    self_employed: bool = Field(False, description="自営業・会社経営なら true")


class IncomeYear(Strict):
    """Income of one calendar year (年分) and how its 住民税 was collected."""

    year: int = Field(description="所得の年分 (calendar year); its 住民税 is the next 年度")
    amount: int = Field(ge=0, description="年収 (円)")
    resident_tax: TaxCollection | None = Field(
        None,
        description="住民税の徴収方法: 特別徴収 (給与天引き) / 普通徴収 / 途中から普通徴収 (年度途中の退職等で切替). "
        "非課税の年は空欄",
    )
    paid_on_time: bool = Field(True, description="納期限内に納付したか")
    municipality: str = Field("", description="その年の1月1日に住んでいた市区町村 (課税証明書の発行元)")
    non_taxable: bool = Field(False, description="住民税非課税 (課税される所得なし: 非課税証明書; 納付はない)")

    @model_validator(mode="after")
    def _collection_unless_non_taxable(self) -> IncomeYear:
        if self.resident_tax is None and not self.non_taxable:
            raise ValueError(
                say(
                    "住民税の徴収方法 (resident_tax) がありません。特別徴収・普通徴収・途中から普通徴収のいずれか、"
                    "非課税なら non_taxable: true としてください",
                    "the resident tax collection (resident_tax) is missing: 特別徴収, 普通徴収 or 途中から普通徴収, "
                    "or non_taxable: true for a non-taxable year",
                )
            )
        return self

    @property
    def paid_by_client(self) -> bool:
        """Whether the client paid (part of) this year's 住民税 themselves (so payment proof is asked)."""
        return not self.non_taxable and self.resident_tax in ORDINARY_COLLECTION


class Enrolment(Strict):
    """A period in one pension or health-insurance scheme (months as YYYY-MM)."""

    kind: str
    start: str = Field(description="YYYY-MM")
    end: str | None = Field(None, description="YYYY-MM; empty if still enrolled")
    paid_on_time: bool = True

    @field_validator("start", "end")
    @classmethod
    def _year_month(cls, v: str | None) -> str | None:
        if v is not None and not YEAR_MONTH_RE.match(str(v)):
            raise ValueError(say("年月は 2024-04 のように書いてください", "write the month as YYYY-MM, e.g. 2024-04"))
        return v


class PensionEnrolment(Enrolment):
    kind: PensionKind
    exemption: PensionExemption | None = Field(
        None,
        description="保険料を納めない理由: 免除・猶予・学生納付特例 (承認済み) / 第3号被保険者. 未納・遅延ではない",
    )


class HealthEnrolment(Enrolment):
    kind: HealthInsuranceKind


class Employer(Strict):
    """Current employer or own company (勤務先)."""

    name: Text
    address: str = ""
    phone: str = ""
    since: date | None = None
    position: str = ""


class BusinessFacts(Strict):
    """経営・管理: facts for the 2025-10-16 standards (capital, staff, Japanese, career, plan)."""

    company_name: Text
    capital_yen: int = Field(ge=0, description="資本金の額 / 出資の総額 (円)")
    full_time_staff_qualifying: int = Field(0, ge=0, description="常勤職員 (日本人・永住者・定住者等) の人数")
    japanese_b2: bool = Field(False, description="申請者又は常勤職員が日本語B2相当以上 (JLPT N2等)")
    management_degree_or_3_years: bool = Field(False, description="経営管理等の修士・博士又は経営経験3年以上")
    business_plan_checked_by_expert: bool = Field(
        False, description="事業計画書を中小企業診断士・公認会計士・税理士が確認"
    )
    representative: bool = True
    activities: str = Field("", description="事業内容と経営の状況 (主な取引先・売上等; 事務所が日本語で; 理由書に記載)")


class Person(Strict):
    """Identity fields shared by the applicant and family members."""

    family_name: Text = Field(description="姓 (roman letters as in the passport)")
    given_name: Text = Field(description="名 (roman letters as in the passport)")
    name_kanji: str = Field("", description="漢字氏名 (if any)")
    nationality: Text = Field(description="国籍・地域, e.g. 中国, ベトナム, 日本")
    birth_date: date
    sex: Sex

    @field_validator("family_name", "given_name")
    @classmethod
    def _roman(cls, v: str) -> str:
        if not re.fullmatch(r"[A-Za-z][A-Za-z' .\-]*", v):
            raise ValueError(
                say(
                    "旅券のとおりローマ字で書いてください",
                    "write the name in roman letters exactly as in the passport",
                )
            )
        return v.upper()

    @property
    def roman_name(self) -> str:
        return f"{self.family_name} {self.given_name}"

    @property
    def display_name(self) -> str:
        return self.name_kanji or self.roman_name

    def age_on(self, d: date) -> int:
        return completed_years(self.birth_date, d)


class ApplicationDetails(Strict):
    """What an applicant's own 申請書 needs beyond identity (also for co-applicants)."""

    birth_place: Text = Field(description="出生地")
    home_town: Text = Field(description="本国における居住地")
    occupation: Text = Field(description="職業, e.g. 会社員, 会社経営, 主婦, 学生")
    passport: Passport
    residence_card_number: Text = Field(description="在留カード番号 (2 letters, 8 digits, 2 letters)")
    status: Text = Field(description="現に有する在留資格")
    period_of_stay: Text = Field(description="在留期間, e.g. 3年, 5年")
    stay_expiry: date = Field(description="在留期間の満了日")
    criminal_record: CriminalRecord = Field(default_factory=CriminalRecord)
    other_identities: list[OtherIdentity] = Field(default_factory=list)
    traffic: list[TrafficViolation] = Field(
        default_factory=list, description="交通違反 (直近5年程度; 反則金・罰金). なければ空"
    )
    reason: str = Field("", description="永住許可を申請する理由 (申請書 item 14; short)")
    phone: str = Field("", description="電話番号 (なければ空欄)")
    mobile: str = Field("", description="携帯電話番号 (なければ空欄)")
    employment: list[Job] = Field(default_factory=list, description="職歴 (申請書 item 16; パート・アルバイトも)")
    trips_confirmed_since: date | None = Field(
        None,
        description="出入国記録 (開示請求の回答等) で出国歴を確かめた期間の始まり; 空欄なら未確認 (理由書に［ ］)",
    )
    notifications_on_time: bool | None = Field(
        None,
        description="住居地・所属機関等の入管法上の届出を期限内にしたか (事務所が確認; 空欄なら未確認)",
    )
    statement: str = Field(
        "",
        description="理由書の本文: 日本での生活と永住を希望する理由 (事務所が聞き取り日本語で; 空欄なら［ ］)",
    )
    residence_history: list[ResidencePeriod] = Field(default_factory=list)
    trips: list[Trip] = Field(default_factory=list)
    income: list[IncomeYear] = Field(default_factory=list)
    pension: list[PensionEnrolment] = Field(default_factory=list)
    health_insurance: list[HealthEnrolment] = Field(default_factory=list)

    @field_validator("residence_card_number")
    @classmethod
    def _card(cls, v: str) -> str:
        v = v.replace(" ", "").upper()
        if not RESIDENCE_CARD_RE.match(v):
            raise ValueError(
                say(
                    "在留カード番号は英字2文字・数字8桁・英字2文字です（例 AB12345678CD）",
                    "a residence card number is 2 letters, 8 digits and 2 letters (e.g. AB12345678CD)",
                )
            )
        return v


class Applicant(ApplicationDetails, Person):
    """The main applicant."""

    address: Text = Field(description="住居地")
    employer: Employer | None = Field(None, description="現在の勤務先 (or own company)")
    social_insurance_employer: bool = Field(False, description="社会保険適用事業所の事業主か")
    hsp: HspFacts | None = Field(None, description="高度専門職ポイントの根拠 (points routes)")
    business: BusinessFacts | None = Field(None, description="経営・管理の基準 (keiei_kanri)")


class MemberIncome(Strict):
    """Income of a household member who does not file (e.g. a Japanese husband), for the household figure."""

    year: int = Field(description="所得の年分 (calendar year)")
    amount: int = Field(ge=0, description="年収 (円)")


class CoApplication(ApplicationDetails):
    """A family member who files together with the applicant."""

    category: Text = Field(description="category id of this person's application, e.g. kazoku_taizai, child")
    guarantor_relationship: str = Field(
        "",
        description="身元保証人とこの申請人との関係 (空欄なら主たる申請人との関係から: 夫の雇用主, 父の雇用主 …)",
    )


class FamilyMember(Person):
    """在日親族及び同居者; a co-applicant carries an `application` block."""

    relationship: Text = Field(description="続柄 (申請人から見て): 妻, 夫, 子, 父, 母, 兄, 姉 …")
    living_together: bool = Field(description="同居の有無")
    workplace: str = Field("", description="勤務先・通学先")
    card_number: str = Field("", description="在留カード番号 / 特別永住者証明書番号 (日本人は空欄)")
    status: str = Field("", description="在留資格 (e.g. 永住者, 特別永住者, 家族滞在; 日本人は空欄)")
    marriage_date: date | None = Field(None, description="婚姻日 (配偶者のみ; 配偶者ルートの婚姻期間3年の判断に使用)")
    filing_together: bool = Field(False, description="申請人と同時に永住許可申請をするか")
    income: list[MemberIncome] = Field(
        default_factory=list,
        description="収入 (同時に申請しない世帯員のみ; 世帯収入の目安に使用). 同時申請者は application.income に",
    )
    application: CoApplication | None = None


class Supporter(Strict):
    """扶養者: the person who supports the applicant (e.g. the worker for a 家族滞在 applicant)."""

    name: Text
    relationship: Text = Field(description="申請人から見た続柄 (父, 母, 夫, 妻 …); 未成年の申請人なら法定代理人")
    occupation: str = ""
    employer: str = ""
    address: str = Field("", description="住所 (空欄なら申請人と同じ)")
    phone: str = ""
    mobile: str = ""
    income: list[IncomeYear] = Field(default_factory=list)
    social_insurance_employer: bool = False


class Guarantor(Strict):
    """身元保証人 (日本人, 永住者 or 特別永住者)."""

    name: Text
    address: Text
    phone: str = ""
    occupation: str = Field("", description="職業 (勤務先)")
    workplace_phone: str = ""
    nationality: Text = "日本"
    status: GuarantorStatus = Field(description="日本人 / 永住者 / 特別永住者")
    relationship: Text = Field(description="主たる申請人との関係, e.g. 配偶者, 雇用主, 知人")


class FilingAgent(Strict):
    """取次者 (the 行政書士 who files)."""

    name: Text = Field(description="行政書士の氏名")
    office: Text = Field(description="事務所名")
    registration_number: Text = Field(description="登録番号")
    address: Text
    phone: Text


class Profile(Strict):
    """One case."""

    case_id: Text = Field(
        description="short id for folder names, e.g. 2026-031-wang",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
        max_length=60,
    )
    category: Text = Field(description="category id (docgen categories)")
    application_date: date = Field(description="申請予定日")
    client_language: ClientLanguage | None = Field(
        default=None,
        description="the language the client reads (questionnaire, handout, 了解書 translation): ja, en, zh, zh-TW,"
        " ko, vi, tl, pt, es, ne, th or fr; default: from the applicant's nationality",
    )
    applicant: Applicant
    family: list[FamilyMember] = Field(default_factory=list)
    supporter: Supporter | None = None
    guarantor: Guarantor
    filing_agent: FilingAgent | None = None

    @property
    def co_applicants(self) -> list[FamilyMember]:
        return [m for m in self.family if m.filing_together]


def normalise_status(status: str) -> str:
    """Full-width brackets and digits to ASCII, spaces removed (特定活動（高度人材） == 特定活動(高度人材))."""
    return unicodedata.normalize("NFKC", status).replace(" ", "")
