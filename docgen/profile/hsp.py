"""Profile facts behind the 高度専門職 points (reference: permanent-residence.md §5).

Everything is dated so the score can be computed as of any day (the application
date and the 3-year / 1-year reference date).
"""

from __future__ import annotations

from datetime import date
from datetime import date as date_type
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PointsField = Literal["イ", "ロ", "ハ"]  # 高度学術研究 / 高度専門・技術 / 高度経営・管理
DegreeLevel = Literal["博士", "修士", "専門職学位", "経営管理専門職学位", "学士"]
ResearchKind = Literal["特許", "外国政府補助金研究", "論文", "その他研究実績"]
Position = Literal["代表取締役", "取締役"]
JapaneseLevel = Literal["N1", "日本語専攻", "N2"]
Bonus = Literal[
    "イノベーション促進支援",  # 契約機関がイノベーション促進支援措置を受けている (+10)
    "イノベーション中小企業",  # 上記かつ中小企業 (+10 more)
    "試験研究費3%超中小企業",  # +5
    "外国資格・表彰",  # +5
    "成長分野先端事業",  # +10
    "告示大学卒業",  # +10
    "告示研修修了",  # +5
    "1億円以上投資",  # ハ only, +5
    "投資運用業等",  # ロ・ハ, since 2021-07, +10
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Degree(_Strict):
    level: DegreeLevel
    field_of_study: str = ""
    school: str = ""
    awarded: date = Field(description="学位授与日")
    japanese_university: bool = Field(False, description="日本の大学・大学院で取得")


class Experience(_Strict):
    """実務経験 counted for the points field (研究・教育 / 業務 / 経営・管理)."""

    start: date
    end: date | None = None
    description: str = ""


class Salary(_Strict):
    """年収 (報酬) in force from a date."""

    start: date
    amount: int = Field(ge=0)


class Achievement(_Strict):
    """研究実績. One entry may stand for several papers or grants (`count`); a criterion such as
    「論文3本以上」 is met on the date the entries of that kind reach the number in the points table."""

    kind: ResearchKind
    obtained: date = Field(description="the date of this achievement (e.g. publication, grant, patent)")
    count: int = Field(1, ge=1, description="how many papers / grants / patents this entry stands for")
    description: str = ""


class Qualification(_Strict):
    name: str
    obtained: date


class DatedBonus(_Strict):
    bonus: Bonus
    start: date
    end: date | None = None


class PointsNotice(_Strict):
    """One 高度専門職ポイント計算結果通知書 (at the grant, a change or a renewal): its date and score."""

    date: date_type = Field(description="通知書の日付 (the date the score was recognised)")
    points: int = Field(ge=0, description="通知書の点数")


class HspFacts(_Strict):
    """What the applicant can prove for the points table."""

    field: PointsField = Field(description="イ 高度学術研究 / ロ 高度専門・技術 / ハ 高度経営・管理")
    holder_since: date | None = Field(
        None, description="高度専門職 (or 特定活動(高度人材)) として在留を始めた日; non-holders leave empty"
    )
    points_history: list[PointsNotice] = Field(
        default_factory=list,
        description="holders: every ポイント計算結果通知書 (date, score); the route needs the score held 1 / 3 years",
    )
    notice_copy: bool = Field(False, description="高度専門職ポイント計算結果通知書の写しがある")
    degrees: list[Degree] = Field(default_factory=list)
    experience: list[Experience] = Field(default_factory=list)
    salary: list[Salary] = Field(default_factory=list)
    research: list[Achievement] = Field(default_factory=list)
    qualifications: list[Qualification] = Field(default_factory=list)
    position: Position | None = None
    position_since: date | None = None
    japanese: JapaneseLevel | None = None
    japanese_since: date | None = None
    bonuses: list[DatedBonus] = Field(default_factory=list)
    stated_points_now: int | None = Field(None, description="points the office computed for the application date")
    stated_points_reference: int | None = Field(None, description="points the office computed for the reference date")
