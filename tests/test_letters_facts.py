"""Letters say what the profile and the decision support, per 年度 and per period (issue 18): a 非課税 year pays
nothing, an approved 国民年金 免除 or a 第3号 spouse is never "paid" nor late, a 年度 that changed to 普通徴収 after
leaving a job says so; a child's letters are signed by her parent as 法定代理人 and claim no work, tax or pension
for her; an owner's 説明書 speaks of founding and running his company; the family the 申請書 prints is not asked
again. The Word files are rendered from the built-in templates and read back with python-docx."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from docgen.assessment import assess_case
from docgen.checklist import case_checklist
from docgen.documents.explanations import explanations
from docgen.documents.generate import contexts
from docgen.documents.letters import Letter
from docgen.documents.reason_letter import reason_letter
from docgen.documents.render import render_docx
from docgen.yamlfile import load_yaml
from tests.conftest import EXAMPLES, ROOT, RULES, case_of
from tests.test_letters import check_sentence, yaml_edit

TEMPLATES = ROOT / "templates"
SIGN = "署名 ＿＿＿＿＿＿＿＿＿＿＿＿"
PAYMENT_CLAIM = re.compile(r"納付しております|納付しました|特別徴収|納期限内")
LATE = re.compile(r"遅れ|遅延")


# ---------------------------------------------------------------- helpers


def word_text(docx: Path) -> list[str]:
    """The paragraphs of a Word file, table cells included, as python-docx reads them."""
    doc = Document(str(docx))
    cells = [p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return [p.text for p in doc.paragraphs if p.text] + [c for c in cells if c]


def rendered(profile: Path, template: str, person: str, out: Path) -> list[str]:
    """`template` filled for `person` (display name) as the packet fills it, read back from the .docx."""
    case = case_of(profile)
    ctx = contexts(case, assess_case(case))[person]
    return word_text(render_docx(TEMPLATES / f"{template}.docx", ctx, out / f"{template}-{len(person)}.docx"))


def letters(profile: Path) -> dict[str, Letter]:
    """Each applicant's 理由書 with its facts; every sentence is checked against the profile file as written."""
    case = case_of(profile)
    assessment = assess_case(case)
    findings = {f.kind.value for f in assessment.main.findings}
    raw = load_yaml(profile).data
    p = case.profile
    out = {}
    for m in [None, *p.co_applicants]:
        letter = reason_letter(p, m, explanations(assessment.main) if m is None else None)
        for s in letter.sentences():
            check_sentence(s.text, s.facts, raw, findings if m is None else set())
        out[m.display_name if m else p.applicant.display_name] = letter
    return out


def said(letter: Letter) -> list[str]:
    return [s.text for s in letter.sentences()]


def duties_of(letter: Letter) -> list[str]:
    """The sentences of section ４ (public duties)."""
    lines = list(letter.lines)
    start = next(i for i, line in enumerate(lines) if line.text == "４　公的義務の履行")
    end = next(i for i, line in enumerate(lines) if line.text.startswith("５　"))
    return [s.text for line in lines[start + 1 : end] for s in line.sentences]


# ---------------------------------------------------------------- 住民税 per 年度


def _non_taxable_wife(data) -> None:
    wife = data["family"][0]["application"]
    wife["income"] = [
        {"year": 2021, "amount": 300000, "non_taxable": True},
        {"year": 2022, "amount": 1100000, "resident_tax": "普通徴収"},
        {"year": 2023, "amount": 900000, "non_taxable": True},
        {"year": 2024, "amount": 950000, "non_taxable": True, "resident_tax": "特別徴収"},  # 非課税 wins
        {"year": 2025, "amount": 880000, "non_taxable": True, "paid_on_time": False},  # nothing was due
    ]
    wife["pension"] = [{"kind": "国民年金", "start": "2016-09", "exemption": "第3号被保険者", "paid_on_time": False}]
    wife["health_insurance"] = [{"kind": "健康保険", "start": "2016-09"}]


def test_the_non_taxable_wifes_reason_letter_claims_no_payment(example_copy, tmp_path):
    profile = yaml_edit(example_copy("gijinkoku-family.yaml"), _non_taxable_wife)
    duties = duties_of(letters(profile)["TRAN THI BINH"])
    assert duties[0] == "令和4年度、令和6年度から令和8年度までの住民税は、非課税です。"
    # the one 普通徴収 year whose payment the profile does not record is the office's to confirm
    assert "［令和5年度の住民税（普通徴収）を各納期限内に納付したか領収証書等で確認して記入］" in duties
    claims = [s for s in duties if PAYMENT_CLAIM.search(s) and not s.startswith("［")]
    assert claims == []
    assert not any(LATE.search(s) for s in duties)
    # the Word file the packet files says the same
    text = "\n".join(rendered(profile, "reason_letter", "TRAN THI BINH", tmp_path))
    assert "令和4年度、令和6年度から令和8年度までの住民税は、非課税です。" in text
    assert "特別徴収" not in text and "納期限に遅れて" not in text


def test_a_third_category_spouse_has_no_payment_sentence_and_nothing_late(example_copy, tmp_path):
    profile = yaml_edit(example_copy("gijinkoku-family.yaml"), _non_taxable_wife)
    duties = duties_of(letters(profile)["TRAN THI BINH"])
    pension = [s for s in duties if "年金" in s]
    assert pension == ["公的年金は、平成28年9月から国民年金に配偶者の扶養（第3号被保険者）として加入しております。"]
    text = "\n".join(rendered(profile, "reason_letter", "TRAN THI BINH", tmp_path))
    assert "国民年金の保険料" not in text and "遅れ" not in text


def test_approved_pension_exemptions_are_stated_as_approved_never_paid_or_late(example_copy, tmp_path):
    def edit(data):
        data["applicant"]["pension"] = [
            {"kind": "国民年金", "start": "2012-04", "end": "2013-03", "exemption": "学生納付特例"},
            {"kind": "国民年金", "start": "2013-04", "end": "2013-09", "exemption": "免除", "paid_on_time": False},
            {"kind": "国民年金", "start": "2013-10", "end": "2014-03", "exemption": "猶予"},
            {"kind": "厚生年金", "start": "2014-04"},
        ]

    profile = yaml_edit(example_copy("gijinkoku-single.yaml"), edit)
    case = case_of(profile)
    assert "late_payment" not in {f.kind.value for f in assess_case(case).main.findings}
    duties = duties_of(letters(profile)["王 小明"])
    assert (
        "平成24年4月から平成25年3月までの国民年金の保険料は、学生納付特例の承認を受けて猶予されております。" in duties
    )
    assert "平成25年4月から平成25年9月までの国民年金の保険料は、承認を受けて免除されております。" in duties
    assert "平成25年10月から平成26年3月までの国民年金の保険料は、承認を受けて猶予されております。" in duties
    pension = [s for s in duties if "国民年金" in s]
    assert not any(LATE.search(s) or "納期限内に納付" in s or "確認して記入" in s for s in pension)
    text = "\n".join(rendered(profile, "reason_letter", "王 小明", tmp_path))
    assert "承認を受けて免除されております" in text and "納付遅延" not in text


@pytest.mark.parametrize(
    ("paid_on_time", "expected"),
    [
        (
            None,
            [
                "令和6年度の住民税は、令和6年9月30日に株式会社アオバを退職するまでは給与から特別徴収され、"
                "退職後の残りの期間は普通徴収となりました。",
                "［令和6年度の住民税（退職後の普通徴収の分）を各納期限内に納付したか領収証書等で確認して記入］",
            ],
        ),
        (
            True,
            [
                "令和6年度の住民税は、令和6年9月30日に株式会社アオバを退職するまでは給与から特別徴収され、"
                "退職後の残りの期間は普通徴収により各納期限内に納付しております。"
            ],
        ),
    ],
)
def test_a_year_that_changed_to_ordinary_collection_after_leaving_a_job_says_so(example_copy, paid_on_time, expected):
    def edit(data):
        a = data["applicant"]
        a["employment"] = [
            {"employer": "株式会社アオバ", "start": date(2016, 4, 1), "end": date(2024, 9, 30)},
            {"employer": "株式会社サクラソフト", "start": date(2024, 10, 1), "position": "システムエンジニア"},
        ]
        a["employer"]["since"] = date(2024, 10, 1)
        year = next(row for row in a["income"] if row["year"] == 2023)
        year["resident_tax"] = "途中から普通徴収"
        year.pop("paid_on_time", None)
        if paid_on_time is not None:
            year["paid_on_time"] = paid_on_time

    duties = duties_of(letters(yaml_edit(example_copy("gijinkoku-single.yaml"), edit))["王 小明"])
    mid = [s for s in duties if "令和6年度" in s]
    assert mid == expected
    assert not any(LATE.search(s) for s in duties)


# ---------------------------------------------------------------- a child filing alone

CHILD = """\
# A 2-year-old filing alone, supported by her father (永住者); fictional.
case_id: 2026-120-li
category: child
application_date: 2026-12-15
applicant:
  family_name: LI
  given_name: MEI
  name_kanji: 李 美
  nationality: 中国
  birth_date: 2024-03-05
  sex: 女
  birth_place: 東京都新宿区
  home_town: 中国上海市
  occupation: 未就学児
  address: 東京都新宿区西新宿二丁目8番1号
  passport: {number: E12345678, expiry: 2029-03-01}
  residence_card_number: AB12345678CD
  status: 永住者の配偶者等
  period_of_stay: 1年
  stay_expiry: 2027-05-10
  reason: 両親とともに日本で生活を続けるため。
  residence_history:
    - {status: 永住者の配偶者等, start: 2024-05-10}
  income:  # a row typed by mistake for the child: the letter states no tax of hers
    - {year: 2025, amount: 0, resident_tax: 特別徴収}
  pension:
    - {kind: 国民年金, start: 2024-05}
  health_insurance:
    - {kind: 健康保険, start: 2024-05}
family:
  - {relationship: 父, family_name: LI, given_name: WEI, name_kanji: 李 偉, nationality: 中国,
     birth_date: 1988-07-01, sex: 男, living_together: true, workplace: 株式会社しんじゅく商事, status: 永住者}
  - {relationship: 母, family_name: ZHANG, given_name: LING, name_kanji: 張 玲, nationality: 中国,
     birth_date: 1990-10-10, sex: 女, living_together: true, status: 永住者の配偶者等}
supporter:
  name: 李 偉
  relationship: 父
  occupation: 会社員
  employer: 株式会社しんじゅく商事
  income:
    - {year: 2025, amount: 5200000, resident_tax: 特別徴収}
guarantor:
  name: 佐藤 一郎
  address: 東京都中野区中央一丁目1番1号
  nationality: 日本
  status: 日本人
  relationship: 父の雇用主
"""


def test_a_child_filing_alone_has_her_parent_as_legal_representative(write, tmp_path):
    profile = write("li.yaml", CHILD)
    letter = letters(profile)["李 美"]
    body = said(letter)
    assert letter.by_representative
    assert "私は、申請人李 美（令和6年3月5日生）の父李 偉です。" in body
    assert "申請人の生計は、父である私の収入により維持しております。" in body
    assert "私の勤務先は、株式会社しんじゅく商事です。" in body
    assert "父　李 偉（昭和63年7月1日生、中国国籍、同居、法定代理人）" in body
    assert body[-2:] == ["申請人　李 美", f"法定代理人　父　李 偉　　{SIGN}"]
    # no work, tax, income or pension of a 2-year-old's own
    for claim in ("勤務しております", "住民税", "年金", "年収", "職業は"):
        assert not any(claim in s for s in body[:-2] if "私" not in s), claim
    # the 理由書 and the 説明書 templates print the signature line as built
    paragraphs = rendered(profile, "reason_letter", "李 美", tmp_path)
    assert paragraphs[-1] == f"法定代理人　父　李 偉　　{SIGN}"


def test_a_minor_with_no_known_parent_leaves_the_name_to_the_office(write):
    text = CHILD.replace(
        "supporter:\n  name: 李 偉\n  relationship: 父", "supporter:\n  name: 李 偉\n  relationship: 叔父"
    )
    text = text.replace("relationship: 父,", "relationship: 叔父,").replace("relationship: 母,", "relationship: 叔母,")
    letter = letters(write("li.yaml", text))["李 美"]
    assert said(letter)[-1] == f"法定代理人　［法定代理人の氏名］　　{SIGN}"
    assert "［法定代理人の氏名と申請人との続柄を記入］" in "".join(said(letter))


# ---------------------------------------------------------------- a 経営・管理 owner


def _founded_in_2022(data) -> None:
    """Kim left his employer in March 2022 and founded his company in October: a gap of six months."""
    a = data["applicant"]
    a["employment"] = [
        {"employer": "株式会社なにわ物産", "start": date(2012, 4, 1), "end": date(2022, 3, 31), "position": "貿易担当"},
        {
            "employer": "株式会社KIMトレーディング",
            "start": date(2022, 10, 1),
            "position": "代表取締役",
            "self_employed": True,
        },
    ]
    a["employer"]["since"] = date(2022, 10, 1)


def test_the_owners_employer_change_letter_speaks_of_founding_never_of_joining(example_copy, tmp_path):
    profile = yaml_edit(example_copy("keiei-kanri-owner.yaml"), _founded_in_2022)
    text = rendered(profile, "explanation_employer_change", "金 民洙", tmp_path)
    whole = "\n".join(text)
    assert "説　明　書（転職について）" in text
    assert "　私は、次のとおり勤務先の変更及び会社の設立がありましたので、その経緯を説明いたします。" in text
    assert "　令和4年10月1日に株式会社KIMトレーディングを設立し、現在まで代表取締役として経営しております。" in text
    # the table's columns fit an employee and a founder alike
    assert text[text.index("勤務先") : text.index("勤務先") + 4] == ["勤務先", "就職・設立", "退職", "役職"]
    # the gap of six months before the company: a sentence asking why, for the office (§11.6)
    gap = next(p for p in text if p.startswith("　令和4年3月31日に退職してから"))
    assert gap == (
        "　令和4年3月31日に退職してから令和4年10月1日に会社を設立するまでの間は、"
        "［離職期間中の状況と次の仕事を始めるまで期間が空いた理由（求職活動等）を記入］。"
    )
    assert "入社" not in whole
    assert "　［勤務先を変え、会社を設立した理由と事業の内容を具体的に記入］" in text


def test_the_owners_reason_letter_speaks_of_founding_and_running_the_company(example_copy):
    profile = yaml_edit(example_copy("keiei-kanri-owner.yaml"), _founded_in_2022)
    body = said(letters(profile)["金 民洙"])
    assert "私は、令和4年10月1日に株式会社KIMトレーディングを設立し、現在まで代表取締役として経営しております。" in body
    assert (
        "株式会社KIMトレーディングの資本金の額は30,000,000円で、日本人・永住者等の常勤職員を2名雇用しております。"
        in body
    )
    assert "［会社の事業内容と経営の状況（主な取引先・売上等）を記入］" in body
    assert "転職と会社設立の経緯については、別紙説明書（転職について）のとおりです。" in body
    assert not any("KIMトレーディングに" in s and "勤務" in s for s in body)


def test_an_employees_letter_keeps_joining(example_copy, tmp_path):
    def edit(data):
        a = data["applicant"]
        a["employment"] = [
            {"employer": "株式会社アオバ", "start": date(2018, 4, 1), "end": date(2022, 3, 31)},
            {"employer": "株式会社サクラソフト", "start": date(2022, 4, 1), "position": "システムエンジニア"},
        ]
        a["employer"]["since"] = date(2022, 4, 1)

    text = rendered(
        yaml_edit(example_copy("gijinkoku-single.yaml"), edit), "explanation_employer_change", "王 小明", tmp_path
    )
    assert text[text.index("勤務先") : text.index("勤務先") + 4] == ["勤務先", "入社", "退職", "役職"]
    assert "　いずれの転職も、前の勤務先の退職日の翌日までに次の勤務先に入社しており、離職期間はありません。" in text
    assert "　現在は、株式会社サクラソフトにシステムエンジニアとして勤務しております。" in text
    assert not any("設立" in p for p in text)


# ---------------------------------------------------------------- what the forms already know


def test_a_single_applicant_with_no_family_has_no_family_placeholder(tmp_path):
    profile = EXAMPLES / "keiei-kanri-owner.yaml"
    assert "family" not in load_yaml(profile).data  # the file gives no family table
    letter = "\n".join(rendered(profile, "reason_letter", "金 民洙", tmp_path))
    form = "\n".join(rendered(profile, "application_form", "金 民洙", tmp_path))
    assert "（在日親族及び同居者なし）" in form
    assert "日本に在住する親族及び同居者はおりません。" in letter
    assert "［日本に在住する家族・同居者の有無を記入］" not in letter


def test_each_explanation_letter_has_the_title_of_its_item_in_the_index(tmp_path):
    titles = {k: item.title.ja for k, item in RULES.book.items.items() if k.startswith("explanation_")}
    assert len(titles) == 4
    for name, title in titles.items():
        head = word_text(TEMPLATES / f"{name}.docx")[2]
        assert head.replace("\u3000", "") == title, name


def test_a_co_applicants_job_comes_from_her_own_work_history(example_copy):
    def edit(data):
        wife = data["family"][0]
        wife.pop("workplace", None)
        wife["application"]["employment"] = [
            {"employer": "株式会社ハマベーカリー", "start": date(2021, 10, 1), "position": "パート（販売）"}
        ]

    body = said(letters(yaml_edit(example_copy("gijinkoku-family.yaml"), edit))["TRAN THI BINH"])
    assert "私は、令和3年10月1日から株式会社ハマベーカリーにパート（販売）として勤務しております。" in body


# ---------------------------------------------------------------- the office's facts (profile: application details)

WANG = "王 小明"
NO_PERIOD = "［出入国記録で確認した期間を記入（例：平成28年4月以降）］の出国は、次のとおりです。"
NO_TRIPS = "［出国の有無と期間を出入国記録で確認して記入］"


def _office_facts(**facts):
    """An edit setting (a value) or removing (None) the office's facts of the main applicant."""

    def edit(data):
        for key, value in facts.items():
            if value is None:
                data["applicant"].pop(key, None)
            else:
                data["applicant"][key] = value

    return edit


def test_the_period_the_records_confirm_heads_the_trips_and_earlier_trips_stay_listed(example_copy):
    def edit(data):
        _office_facts(trips_confirmed_since=date(2020, 1, 1))(data)
        data["applicant"]["trips"].insert(0, {"departure": date(2019, 5, 1), "return": date(2019, 5, 6)})

    lines = [line.text for line in letters(yaml_edit(example_copy("gijinkoku-single.yaml"), edit))[WANG].lines]
    start = lines.index("令和2年1月1日以降の出国は、次のとおりです。")
    assert lines[start + 1].startswith("令和5年1月20日〜令和5年2月5日（16日間）　中国（帰省）")
    assert lines[start + 2].startswith("令和7年8月10日〜令和7年8月20日（10日間）　中国（帰省）")
    assert lines[start + 3 : start + 5] == [
        "それより前には、次の出国がありました。",
        "令和元年5月1日〜令和元年5月6日（5日間）\n　　［出国の方法（再入国許可・みなし再入国許可）を記入］",
    ]
    assert NO_PERIOD not in lines and NO_TRIPS not in lines


def test_no_trips_since_the_confirmed_date_is_said_and_an_earlier_one_still_listed(example_copy):
    def none_at_all(data):
        _office_facts(trips_confirmed_since=date(2016, 4, 1))(data)
        data["applicant"]["trips"] = []

    lines = [line.text for line in letters(yaml_edit(example_copy("gijinkoku-single.yaml"), none_at_all))[WANG].lines]
    assert "平成28年4月1日以降、出国はありません。" in lines
    assert NO_TRIPS not in lines and "それより前には、次の出国がありました。" not in lines

    def only_before(data):
        _office_facts(trips_confirmed_since=date(2026, 1, 1))(data)

    lines = [line.text for line in letters(yaml_edit(example_copy("gijinkoku-single.yaml"), only_before))[WANG].lines]
    start = lines.index("令和8年1月1日以降、出国はありません。")
    assert lines[start + 1] == "それより前には、次の出国がありました。"
    assert lines[start + 2].startswith("令和5年1月20日〜")


def test_without_the_confirmed_period_the_placeholders_stay(example_copy):
    def trips_unconfirmed(data):
        _office_facts(trips_confirmed_since=None)(data)

    lines = [
        line.text for line in letters(yaml_edit(example_copy("gijinkoku-single.yaml"), trips_unconfirmed))[WANG].lines
    ]
    assert NO_PERIOD in lines

    def no_trips(data):
        _office_facts(trips_confirmed_since=None)(data)
        data["applicant"]["trips"] = []

    lines = [line.text for line in letters(yaml_edit(example_copy("gijinkoku-single.yaml"), no_trips))[WANG].lines]
    assert NO_TRIPS in lines and not any("出国はありません" in t for t in lines)


@pytest.mark.parametrize(
    ("on_time", "expected"),
    [
        (True, ["住居地・所属機関等の入管法上の届出は、いずれも期限内に行っております。"]),
        (
            False,
            [
                "住居地・所属機関等の入管法上の届出のうち、期限に遅れて行ったものがあります。",
                "［遅れた届出の種類と時期、遅れた事情及び現在の届出の状況を記入］",
            ],
        ),
        (None, ["［住居地・所属機関等の入管法上の届出の履行状況を確認して記入］"]),
    ],
)
def test_the_notifications_are_stated_as_the_office_confirmed_them(example_copy, on_time, expected):
    profile = yaml_edit(example_copy("gijinkoku-single.yaml"), _office_facts(notifications_on_time=on_time))
    duties = duties_of(letters(profile)[WANG])
    assert [s for s in duties if "届出" in s] == expected


STATEMENT = """\
　来日後、東京の大学で情報工学を学び、
卒業後はシステムエンジニアとして勤務してまいりました。

日本での生活は12年になり、今後も日本で働き続けたいと考えております。
"""


def test_the_offices_statement_replaces_the_placeholder_paragraph_by_paragraph(example_copy, tmp_path):
    profile = yaml_edit(example_copy("gijinkoku-single.yaml"), _office_facts(statement=STATEMENT))
    letter = letters(profile)[WANG]  # every sentence checked against the file: the statement is a fact
    lines = [line.text for line in letter.lines]
    first = "来日後、東京の大学で情報工学を学び、卒業後はシステムエンジニアとして勤務してまいりました。"
    second = "日本での生活は12年になり、今後も日本で働き続けたいと考えております。"
    start = lines.index(first)
    assert lines[start + 1] == second
    assert lines[start + 2].startswith("今後も日本の法令を遵守し")
    assert "［日本での生活と永住を希望する理由を具体的に記入］" not in lines
    paragraphs = rendered(profile, "reason_letter", WANG, tmp_path)
    assert f"　{first}" in paragraphs and f"　{second}" in paragraphs
    assert not any("［日本での生活" in p for p in paragraphs)


def test_the_owners_company_activities_replace_the_placeholder(example_copy):
    activities = "主に韓国からの食品輸入と国内の飲食店への卸売を行っております。\n\n令和7年度の売上高は約2億円です。"

    def edit(data):
        data["applicant"]["business"]["activities"] = activities

    body = said(letters(yaml_edit(example_copy("keiei-kanri-owner.yaml"), edit))["金 民洙"])
    capital = next(i for i, s in enumerate(body) if s.startswith("株式会社KIMトレーディングの資本金の額は"))
    assert body[capital + 1 : capital + 3] == [
        "主に韓国からの食品輸入と国内の飲食店への卸売を行っております。",
        "令和7年度の売上高は約2億円です。",
    ]
    assert "［会社の事業内容と経営の状況（主な取引先・売上等）を記入］" not in body


# ---------------------------------------------------------------- the letters decide dependants as the checklist does

OWN_TAX_ITEMS = ("resident_tax_certificates", "resident_tax_payment_proof", "national_tax_certificate", "income_proof")


def test_a_teenager_with_a_part_time_job_and_a_wife_without_income_state_no_tax_as_the_checklist_asks_none(
    example_copy,
):
    """A 16-year-old with a part-time job's income row and a wife with no income of her own: the checklist asks
    neither for their own tax documents (their supporter's stand in), and their letters state no income or 住民税."""

    def edit(data):
        wife, son = data["family"][0], data["family"][1]
        wife.pop("workplace", None)
        wife["application"].pop("income", None)
        wife["application"].pop("employment", None)
        son["birth_date"] = date(2010, 5, 1)
        son["application"]["income"] = [{"year": 2025, "amount": 300000, "resident_tax": "特別徴収"}]
        son["application"]["pension"] = [{"kind": "厚生年金", "start": "2025-04"}]

    profile = yaml_edit(example_copy("gijinkoku-family.yaml"), edit)
    case = case_of(profile)
    checklist = case_checklist(case, assess_case(case))
    by_name = letters(profile)
    for name in ("TRAN THI BINH", "NGUYEN MINH"):
        asked = [i.id for i in checklist.items if i.id in OWN_TAX_ITEMS and any(p.name == name for p in i.people)]
        assert asked == [], name
        body = said(by_name[name])
        assert not any("住民税" in s or "年収" in s for s in body), name
    assert not any("年金" in s for s in said(by_name["NGUYEN MINH"]))  # a minor: no pension of his own either
    # the wife's 第3号 period is still hers to state (an adult's pension record counts)
    assert any(s.startswith("公的年金は、") for s in duties_of(by_name["TRAN THI BINH"]))
    # and the husband, who earns, states his
    assert any("住民税は、給与からの特別徴収により納付しております" in s for s in said(by_name["NGUYEN VAN AN"]))


def test_the_long_absence_letter_keeps_the_permits_expiry_date_whole_on_a_line_of_its_own(example_copy, tmp_path):
    def edit(data):
        data["applicant"]["trips"].append(
            {
                "departure": date(2024, 1, 10),
                "return": date(2024, 5, 20),
                "destination": "中国",
                "purpose": "母の看病",
                "exit": "再入国許可",
                "reentry_permit_until": date(2025, 1, 9),
            }
        )

    cells = rendered(yaml_edit(example_copy("gijinkoku-single.yaml"), edit), "explanation_long_absence", WANG, tmp_path)
    # the table's cell: the method, then after a line break the date (a wrap never falls inside it)
    assert "再入国許可（有効期限\n令和7年1月9日）" in cells
    assert "令和6年1月10日" in cells and "令和6年5月20日" in cells
