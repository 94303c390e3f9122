"""The conditions a checklist item may name (`condition:`), with what each means.

The rule files are checked against these names when they are loaded; the checklist stage decides each
condition from a profile (docgen/checklist/conditions.py implements exactly these names). A condition no
profile can decide (`on_grant`: whether the permission is granted) stays "conditional" even with a profile.
"""

from __future__ import annotations

CONDITIONS: dict[str, str] = {
    "age_16_or_over": "申請人が申請日に16歳以上",
    "ordinary_collection": "対象年度に住民税が普通徴収の年がある",
    "social_insurance_employer": "申請人(又は扶養者)が社会保険適用事業所の事業主",
    "hsp_notice_available": "高度専門職ポイント計算結果通知書の写しがある",
    "no_hsp_notice": "ポイント計算結果通知書がない(基準時点の計算表が必要)",
    "filed_by_agent": "申請人以外の者(取次者)が申請を提出する",
    "spouse_type_status": "現に有する在留資格が日本人の配偶者等・永住者の配偶者等・定住者",
    "on_grant": "永住許可された場合(許可時に納付; 申請時には決まらない)",
    "pension_exemption": "対象期間に国民年金保険料の免除・納付猶予・学生納付特例(承認済み)の期間がある",
    "runs_business": "申請人が経営・管理の審査の対象となる事業(会社)を経営している",
    "business_employees": "申請人の事業に従業員がいる(労働保険の適用事業)",
    "business_capital": "経営・管理の基準で資本金の額等が審査される",
    "business_staff": "経営・管理の基準で常勤職員が審査される",
    "business_japanese": "経営・管理の基準で日本語能力(B2相当)が審査される",
    "business_career": "経営・管理の基準で経歴(学位又は経営経験3年以上)が審査される",
    "business_plan": "経営・管理の基準で専門家が確認した事業計画書が審査される",
    "finding_long_absence": "90日以上の出国又は年間の出国日数が目安を超える年がある",
    "finding_late_payment": "対象期間に住民税・年金・医療保険の納付遅延がある",
    "finding_employer_change": "対象期間に勤務先の変更がある",
    "finding_low_income": "対象期間に収入が実務上の目安を下回る年がある",
}
