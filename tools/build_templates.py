"""Build the built-in Word templates in templates/ (run: python tools/build_templates.py).

The .docx files are what staff open and edit in Word; this script is how developers
author the first version. Each Jinja tag is written in a single run so Word never
splits it, and {%p %} / {%tr %} tags sit alone in their paragraph / row.
Dates: 西暦 on the ISA forms (申請書, 身元保証書, 了解書), 和暦 on the office's letters.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docx_builder import (
    GOTHIC,
    cell_text,
    grid_table,
    new_document,
    page_break,
    para,
    repeat_header,
    row_height,
    shade,
)

OUT = Path(__file__).resolve().parent.parent / "templates"


def _label_value_rows(doc, rows: list[tuple[str, str]], widths=(48, 126)):
    t = grid_table(doc, len(rows), list(widths))
    for r, (label, value) in zip(t.rows, rows):
        cell_text(r.cells[0], label, size=8.5)
        shade(r.cells[0])
        cell_text(r.cells[1], value, size=9.5)
        row_height(r, 7.5)
    return t


def application_form() -> None:
    doc = new_document(size=9.5)
    para(doc, "その1（永住）　　　　　　　　　　　　　　　　　　　　日本国政府法務省", size=8, align="right")
    para(doc, "永 住 許 可 申 請 書", bold=True, size=16, align="center", font=GOTHIC)
    para(doc, "APPLICATION FOR PERMISSION FOR PERMANENT RESIDENCE", size=8, align="center")
    head = grid_table(doc, 1, [134, 40])
    cell_text(head.rows[0].cells[0], "法務大臣　殿\nTo the Minister of Justice", size=9.5)
    cell_text(
        head.rows[0].cells[1],
        "{% if applicant.age_16_or_over %}写　真\nPhoto\n縦40mm×横30mm\n(申請前3か月以内撮影){% else %}写真不要\n(16歳未満){% endif %}",
        size=8,
        align="center",
    )
    row_height(head.rows[0], 42)
    para(
        doc,
        "出入国管理及び難民認定法第22条第1項（第22条の2第4項（第22条の3において準用する場合を含む。）において準用する場合を含む。）の規定に基づき、次のとおり永住許可を申請します。",
        size=8.5,
        space_after=3,
    )
    _label_value_rows(
        doc,
        [
            ("1 国籍・地域\nNationality/Region", "{{ applicant.nationality }}"),
            (
                "2 生年月日\nDate of birth",
                "{{ applicant.birth_date.year }} 年 {{ applicant.birth_date.month }} 月 {{ applicant.birth_date.day }} 日",
            ),
            (
                "3 氏名\nName",
                "Family name: {{ applicant.family_name }}　　Given name: {{ applicant.given_name }}\n{% if applicant.name_kanji %}漢字氏名: {{ applicant.name_kanji }}{% endif %}",
            ),
            ("4 性別\nSex", "{{ applicant.sex|choice('男', '女') }}"),
            ("5 出生地\nPlace of birth", "{{ applicant.birth_place }}"),
            ("6 配偶者の有無\nMarital status", "{{ applicant.married|yesno }}"),
            ("7 職業\nOccupation", "{{ applicant.occupation }}"),
            ("8 本国における居住地\nHome town/city", "{{ applicant.home_town }}"),
            (
                "9 住居地\nAddress in Japan",
                "{{ applicant.address }}\n電話番号: {{ applicant.phone or 'なし' }}　　携帯電話番号: {{ applicant.mobile or 'なし' }}",
            ),
            (
                "10 旅券\nPassport",
                "(1) 番号 {{ applicant.passport.number }}　　(2) 有効期限 {{ applicant.passport.expiry.year }} 年 {{ applicant.passport.expiry.month }} 月 {{ applicant.passport.expiry.day }} 日",
            ),
            (
                "11 現に有する在留資格\nStatus of residence",
                "{{ applicant.status }}\n在留期間: {{ applicant.period_of_stay }}　　在留期間の満了日: {{ applicant.stay_expiry.year }} 年 {{ applicant.stay_expiry.month }} 月 {{ applicant.stay_expiry.day }} 日",
            ),
            ("12 在留カード番号\nResidence card number", "{{ applicant.residence_card_number }}"),
            (
                "13 犯罪を理由とする処分を受けたことの有無（日本国外におけるものを含む。）\nCriminal record",
                "{{ applicant.criminal_record.has_record|yesno }}{% if applicant.criminal_record.has_record %}（具体的内容: {{ applicant.criminal_record.details }}）{% endif %}",
            ),
            ("14 永住許可を申請する理由\nReason for applying", "{{ applicant.reason }}"),
            (
                "15 上記と異なる国籍・地域、氏名、生年月日による出入国の有無",
                "{{ (applicant.other_identities|length > 0)|yesno }}{% for o in applicant.other_identities %}\n当時の国籍・地域: {{ o.nationality }}　氏名: {{ o.name }}　生年月日: {{ o.birth_date|seireki }}{% endfor %}",
            ),
        ],
    )
    page_break(doc)
    # ---------------------------------------------------------------- その2
    para(doc, "その2（永住）", size=8, align="right")
    para(doc, "16 経歴　Personal history（在留歴）", bold=True, size=9.5, font=GOTHIC)
    hist = grid_table(doc, 3, [40, 40, 94])
    for c, t in zip(hist.rows[0].cells, ("開始（年月日）", "終了（年月日）", "在留資格・在留期間")):
        cell_text(c, t, size=8.5, align="center")
        shade(c)
    cell_text(hist.rows[1].cells[0], "{%tr for r in applicant.residence_history %}", size=8)
    cell_text(hist.rows[2].cells[0], "{{ r.start|seireki }}", size=9)
    cell_text(hist.rows[2].cells[1], "{{ r.end|seireki if r.end else '現在' }}", size=9)
    cell_text(
        hist.rows[2].cells[2], "{{ r.status }}{% if r.period_of_stay %}（{{ r.period_of_stay }}）{% endif %}", size=9
    )
    end = hist.add_row()
    cell_text(end.cells[0], "{%tr endfor %}", size=8)
    para(doc, "職歴", bold=True, size=9.5, font=GOTHIC)
    jobs = grid_table(doc, 3, [40, 40, 94])
    for c, t in zip(jobs.rows[0].cells, ("入社（年月）", "退社（年月）", "勤務先・役職")):
        cell_text(c, t, size=8.5, align="center")
        shade(c)
    cell_text(jobs.rows[1].cells[0], "{%tr for j in applicant.employment %}", size=8)
    cell_text(jobs.rows[2].cells[0], "{{ j.start|ym }}", size=9)
    cell_text(jobs.rows[2].cells[1], "{{ j.end|ym if j.end else '現在' }}", size=9)
    cell_text(jobs.rows[2].cells[2], "{{ j.employer }}{% if j.position %}（{{ j.position }}）{% endif %}", size=9)
    end = jobs.add_row()
    cell_text(end.cells[0], "{%tr endfor %}", size=8)
    para(doc, "")
    _label_value_rows(
        doc,
        [
            (
                "17 主たる生計維持者\n(1) 申請人・申請人以外",
                "{% if applicant.is_main and not supporter %}■申請人　□申請人以外{% elif supporter %}□申請人　■申請人以外（続柄: {{ supporter.relationship }}　氏名: {{ supporter.name }}）{% else %}□申請人　■申請人以外（続柄: {{ family[0].relationship }}　氏名: {{ main_applicant.display_name }}）{% endif %}",
            ),
            (
                "(2) 勤務先等\n名称・所在地・電話番号",
                "{% if supporter %}{{ supporter.employer }}{% elif main_applicant.employer %}{{ main_applicant.employer.name }}　{{ main_applicant.employer.address }}　{{ main_applicant.employer.phone }}{% endif %}",
            ),
            (
                "(3) 年収",
                "{% if supporter and supporter.income %}{{ supporter.income[-1].amount|yen }}（{{ supporter.income[-1].year }}年分）{% elif main_applicant.income %}{{ main_applicant.income[-1].amount|yen }}（{{ main_applicant.income[-1].year }}年分）{% endif %}",
            ),
        ],
    )
    para(doc, "18 在日親族（父・母・配偶者・子・兄弟姉妹など）及び同居者", bold=True, size=9.5, font=GOTHIC)
    fam = grid_table(doc, 3, [12, 34, 28, 18, 12, 38, 32], size=8)
    for c, t in zip(
        fam.rows[0].cells, ("続柄", "氏名", "生年月日", "国籍・地域", "同居", "勤務先・通学先", "在留カード番号")
    ):
        cell_text(c, t, size=8, align="center")
        shade(c)
    cell_text(fam.rows[1].cells[0], "{%tr for m in family %}", size=8)
    for c, t in zip(
        fam.rows[2].cells,
        (
            "{{ m.relationship }}",
            "{{ m.name }}",
            "{{ m.birth_date|seireki }}",
            "{{ m.nationality }}",
            "{{ 'はい' if m.living_together else 'いいえ' }}",
            "{{ m.workplace }}",
            "{{ m.card_number }}",
        ),
    ):
        cell_text(c, t, size=8)
    end = fam.add_row()
    cell_text(end.cells[0], "{%tr endfor %}", size=8)
    para(doc, "{% if not family %}（在日親族及び同居者なし）{% endif %}", size=8.5)
    para(doc, "19 在日身元保証人", bold=True, size=9.5, font=GOTHIC)
    _label_value_rows(
        doc,
        [
            ("(1) 氏名", "{{ guarantor.name }}"),
            ("(2) 住所・電話番号", "{{ guarantor.address }}　{{ guarantor.phone }}"),
            ("(3) 職業（勤務先）・電話番号", "{{ guarantor.occupation }}　{{ guarantor.workplace_phone }}"),
            ("(4) 申請人との関係", "{{ applicant.guarantor_relationship }}"),
        ],
    )
    para(doc, "20 代理人（法定代理人による申請の場合に記入）", bold=True, size=9.5, font=GOTHIC)
    _label_value_rows(
        doc,
        [
            (
                "(1) 氏名",
                "{% if applicant.age < 18 and not applicant.is_main %}{{ main_applicant.display_name }}{% endif %}",
            ),
            (
                "(2) 本人との関係",
                "{% if applicant.age < 18 and not applicant.is_main %}{{ family[0].relationship }}{% endif %}",
            ),
            (
                "(3) 住所・電話番号",
                "{% if applicant.age < 18 and not applicant.is_main %}{{ main_applicant.address }}　{{ main_applicant.mobile or main_applicant.phone }}{% endif %}",
            ),
        ],
    )
    para(
        doc,
        "以上の記載内容は事実と相違ありません。　I hereby declare that the statement given above is true and correct.",
        size=8.5,
    )
    para(
        doc,
        "申請人（代理人）の署名／申請書作成年月日　{{ case.application_date.year }} 年 {{ case.application_date.month }} 月 {{ case.application_date.day }} 日　署名 ＿＿＿＿＿＿＿＿＿＿＿＿",
        size=9,
    )
    para(
        doc,
        "注意：申請書作成後申請までに記載内容に変更が生じた場合、申請人（代理人）が変更箇所を訂正し、署名すること。",
        size=7.5,
        space_after=3,
    )
    _label_value_rows(
        doc,
        [
            (
                "※ 取次者 (1) 氏名",
                "{% if agent %}{{ agent.name }}（行政書士　登録番号 {{ agent.registration_number }}）{% endif %}",
            ),
            ("(2) 住所", "{% if agent %}{{ agent.address }}{% endif %}"),
            ("(3) 所属機関等・電話番号", "{% if agent %}{{ agent.office }}　{{ agent.phone }}{% endif %}"),
        ],
    )
    doc.save(OUT / "application_form.docx")


def reason_letter() -> None:
    doc = new_document(size=10.5)
    para(doc, "{{ case.application_date|wareki }}", align="right")
    para(doc, "法務大臣　殿", space_after=6)
    para(doc, "理　由　書", bold=True, size=16, align="center", font=GOTHIC, space_after=8)
    para(doc, "国籍・地域　{{ applicant.nationality }}", align="right")
    para(
        doc,
        "氏名　{{ applicant.display_name }}{% if applicant.name_kanji %}（{{ applicant.roman_name }}）{% endif %}",
        align="right",
    )
    para(doc, "生年月日　{{ applicant.birth_date|wareki }}", align="right", space_after=8)
    para(
        doc,
        "　私は、{{ applicant.nationality }}国籍の{{ applicant.display_name }}と申します。このたび永住許可を申請するにあたり、その理由を以下のとおり申し述べます。",
        align="justify",
        space_after=6,
    )
    para(doc, "１　日本での在留歴", bold=True, font=GOTHIC)
    para(
        doc,
        "　私は{% if applicant.first_entry %}{{ applicant.first_entry|wareki }}から約{{ applicant.years_in_japan }}年間、日本に在留しております。{% endif %}現在の在留資格は「{{ applicant.status }}」（在留期間{{ applicant.period_of_stay }}、満了日{{ applicant.stay_expiry|wareki }}）です。これまでの在留資格は次のとおりです。",
        align="justify",
    )
    para(doc, "{%p for r in applicant.residence_history %}")
    para(doc, "　・{{ r.start|wareki }}〜{{ r.end|wareki if r.end else '現在' }}　{{ r.status }}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p if applicant.trips %}")
    para(
        doc,
        "　この間の出国は{{ applicant.trips|length }}回で、{{ 'いずれも' if applicant.trips|length > 1 else '' }}再入国許可（みなし再入国許可を含む。）を受けての出国であり、生活の本拠は一貫して日本にあります。",
        align="justify",
    )
    para(doc, "{%p endif %}")
    para(doc, "", space_after=4)
    para(doc, "２　仕事と収入", bold=True, font=GOTHIC)
    para(doc, "{%p if applicant.employer %}")
    para(
        doc,
        "　現在は{{ applicant.employer.name }}に{% if applicant.employer.since %}{{ applicant.employer.since|wareki }}から{% endif %}{% if applicant.employer.position %}{{ applicant.employer.position }}として{% endif %}勤務しており、安定した収入を得ております。",
        align="justify",
    )
    para(doc, "{%p elif not applicant.is_main %}")
    para(
        doc,
        "　私は{{ applicant.relationship_to_main }}として、{{ main_applicant.display_name }}の収入により生計を営んでおります。",
        align="justify",
    )
    para(doc, "{%p endif %}")
    para(doc, "{%p if applicant.income %}")
    para(doc, "　直近の年収は次のとおりです。")
    para(doc, "{%p endif %}")
    para(doc, "{%p for i in applicant.income %}")
    para(doc, "　・{{ i.year }}年分　{{ i.amount|yen }}")
    para(doc, "{%p endfor %}")
    para(doc, "", space_after=4)
    para(doc, "３　家族", bold=True, font=GOTHIC)
    para(doc, "{%p if family %}")
    para(doc, "　日本では次の家族と暮らしております。")
    para(doc, "{%p for m in family %}")
    para(
        doc,
        "　・{{ m.relationship }}　{{ m.name }}（{{ m.birth_date|wareki }}生、{{ m.nationality }}）{% if m.filing_together %}　今回同時に永住許可を申請します。{% endif %}",
    )
    para(doc, "{%p endfor %}")
    para(doc, "{%p else %}")
    para(doc, "　日本では単身で生活しております。")
    para(doc, "{%p endif %}")
    para(doc, "", space_after=4)
    para(doc, "４　公的義務の履行", bold=True, font=GOTHIC)
    para(doc, "{%p if not applicant.is_main and not applicant.income %}")
    para(
        doc,
        "　私は{{ main_applicant.display_name }}の扶養を受けており、世帯の住民税、国税、公的年金及び公的医療保険の保険料は扶養者が納付しております。また、出入国管理及び難民認定法に定める届出等の義務も適正に履行しております。",
        align="justify",
        space_after=4,
    )
    para(doc, "{%p else %}")
    para(
        doc,
        "　住民税、国税、公的年金及び公的医療保険の保険料については、{% if applicant.income|selectattr('paid_on_time', 'false')|list or applicant.pension|selectattr('paid_on_time', 'false')|list or applicant.health_insurance|selectattr('paid_on_time', 'false')|list %}一部納期限に遅れて納付した時期がありますが、現在は全て納付済みであり、その経緯は別紙説明書のとおりです。今後は納期限を厳守いたします。{% else %}いずれも納期限内に納付しております。{% endif %}また、出入国管理及び難民認定法に定める届出等の義務も適正に履行しております。",
        align="justify",
        space_after=4,
    )
    para(doc, "{%p endif %}")
    para(doc, "５　永住許可を希望する理由", bold=True, font=GOTHIC)
    para(doc, "　{{ applicant.reason }}", align="justify")
    para(
        doc,
        "　今後も日本の法令を遵守し、社会の一員として誠実に生活してまいります。以上の理由により、永住許可をいただきたく、よろしくお願い申し上げます。",
        align="justify",
        space_after=14,
    )
    para(doc, "申請人　{{ applicant.display_name }}　　署名 ＿＿＿＿＿＿＿＿＿＿＿＿", align="right")
    para(doc, "{%p if applicant.age < 18 %}")
    para(
        doc,
        "法定代理人　{{ main_applicant.display_name }}（{{ family[0].relationship }}）　　署名 ＿＿＿＿＿＿＿＿＿＿＿＿",
        align="right",
    )
    para(doc, "{%p endif %}")
    doc.save(OUT / "reason_letter.docx")


def guarantor_letter() -> None:
    doc = new_document(size=11)
    para(doc, "身 元 保 証 書", bold=True, size=16, align="center", font=GOTHIC)
    para(doc, "（永住許可申請用）", align="center", space_after=10)
    para(
        doc,
        "{{ case.application_date.year }} 年 {{ case.application_date.month }} 月 {{ case.application_date.day }} 日",
        align="right",
    )
    para(doc, "法務大臣　殿", space_after=10)
    t = grid_table(doc, 2, [50, 124], size=None)
    for r, (label, value) in zip(
        t.rows,
        (
            ("国籍・地域", "{{ applicant.nationality }}"),
            (
                "氏　名",
                "{{ applicant.display_name }}{% if applicant.name_kanji %}（{{ applicant.roman_name }}）{% endif %}",
            ),
        ),
    ):
        cell_text(r.cells[0], label)
        shade(r.cells[0])
        cell_text(r.cells[1], value)
        row_height(r, 10)
    para(doc, "", space_after=6)
    para(
        doc,
        "　私は、上記の者の永住許可申請に当たり、本人が本邦に在留中、本邦の法令を遵守し、公的義務を適正に履行するため、必要な支援を行うことを保証いたします。",
        align="justify",
        space_after=12,
    )
    para(doc, "身元保証人", bold=True, font=GOTHIC)
    t = grid_table(doc, 6, [50, 124], size=None)
    rows = [
        ("氏名（署名）", "{{ guarantor.name }}　　署名 ＿＿＿＿＿＿＿＿＿＿＿＿"),
        ("住所", "{{ guarantor.address }}"),
        ("電話番号", "{{ guarantor.phone }}"),
        ("職業（勤務先）・電話番号", "{{ guarantor.occupation }}　{{ guarantor.workplace_phone }}"),
        ("国籍・地域（在留資格）", "{{ guarantor.nationality }}（{{ guarantor.status }}）"),
        ("被保証人との関係", "{{ applicant.guarantor_relationship }}"),
    ]
    for r, (label, value) in zip(t.rows, rows):
        cell_text(r.cells[0], label)
        shade(r.cells[0])
        cell_text(r.cells[1], value)
        row_height(r, 11)
    para(doc, "", space_after=6)
    para(
        doc,
        "※ 署名は身元保証人本人が自筆で行ってください（押印は不要です）。身元保証人の運転免許証の写し等を添付してください。",
        size=9,
    )
    doc.save(OUT / "guarantor_letter.docx")


def acknowledgement() -> None:
    doc = new_document(size=11)
    t = grid_table(doc, 1, [40, 60], size=None)
    cell_text(t.rows[0].cells[0], "申請番号", size=9)
    shade(t.rows[0].cells[0])
    cell_text(t.rows[0].cells[1], "", size=9)
    para(doc, "", space_after=6)
    para(doc, "了　解　書", bold=True, size=16, align="center", font=GOTHIC, space_after=10)
    para(
        doc,
        "　私は、永住許可申請を行うに当たり、申請後、許可又は不許可の処分を受けるまでの間に、次の事項に変更が生じた場合には、速やかに地方出入国在留管理官署に届け出ることについて了解しました。",
        align="justify",
        space_after=6,
    )
    for line in (
        "(1) 就労状況（退職、転職等）",
        "(2) 家族状況（離婚、別居、同居人の変更、死亡等）",
        "(3) 税金・公的年金保険料・公的医療保険料の納付状況（滞納等）",
        "(4) 生活保護等の公的扶助の受給",
        "(5) 刑罰法令違反による刑の確定",
    ):
        para(doc, "　" + line)
    para(doc, "", space_after=6)
    para(
        doc,
        "　また、上記の届出をせずに永住許可を受けた場合には、その許可が取り消されることがあることについても了解しました。",
        align="justify",
        space_after=14,
    )
    para(
        doc,
        "{{ case.application_date.year }} 年 {{ case.application_date.month }} 月 {{ case.application_date.day }} 日",
        align="right",
        space_after=8,
    )
    para(doc, "申請人　国籍・地域　{{ applicant.nationality }}")
    para(
        doc,
        "　　　　氏名　{{ applicant.display_name }}{% if applicant.name_kanji %}（{{ applicant.roman_name }}）{% endif %}",
    )
    para(doc, "　　　　署名 ＿＿＿＿＿＿＿＿＿＿＿＿＿＿", space_after=8)
    para(doc, "{%p if applicant.age < 18 %}")
    para(doc, "法定代理人　氏名　{{ main_applicant.display_name }}　　署名 ＿＿＿＿＿＿＿＿＿＿＿＿")
    para(doc, "{%p endif %}")
    para(doc, "※ 申請番号欄は記入しないでください。申請人ごとに1通作成します。", size=9)
    doc.save(OUT / "acknowledgement.docx")


def index() -> None:
    doc = new_document(size=9.5)
    para(doc, "提 出 書 類 一 覧 表", bold=True, size=15, align="center", font=GOTHIC)
    para(doc, "（永住許可申請　{{ case.category_name }}）", align="center", space_after=4)
    para(
        doc,
        "申請人: {% for a in applicants %}{{ a.display_name }}{% if not loop.last %}、{% endif %}{% endfor %}　　申請予定日: {{ case.application_date|seireki }}",
        size=9,
    )
    para(
        doc,
        "{% if agent %}取次者: {{ agent.office }}　{{ agent.name }}（登録番号 {{ agent.registration_number }}）{% endif %}",
        size=9,
        space_after=4,
    )
    t = grid_table(doc, 3, [10, 52, 32, 38, 10, 18, 14], size=8)
    for c, h in zip(t.rows[0].cells, ("No.", "書類名", "対象期間", "対象者", "区分", "状況", "頁")):
        cell_text(c, h, size=8, align="center")
        shade(c)
    repeat_header(t.rows[0])
    cell_text(t.rows[1].cells[0], "{%tr for r in index %}", size=8)
    for c, v in zip(
        t.rows[2].cells,
        (
            "{{ r.number }}",
            "{{ r.title }}",
            "{{ r.period }}",
            "{{ r.people }}",
            "{{ r.action }}",
            "{{ r.status }}",
            "{{ r.pages }}",
        ),
    ):
        cell_text(c, v, size=8)
    end = t.add_row()
    cell_text(end.cells[0], "{%tr endfor %}", size=8)
    para(doc, "", space_after=3)
    para(
        doc,
        "区分: 提出＝写し又は原本を提出、提示＝窓口で原本を提示。状況: 未提出の書類は別途提出します。頁は本書類一式の通し番号です。",
        size=8,
    )
    doc.save(OUT / "index.docx")


def checklist() -> None:
    doc = new_document(size=9.5)
    para(doc, "{{ labels.title }}", bold=True, size=14, align="center", font=GOTHIC)
    para(
        doc,
        "{{ labels.category }}: {{ case.category_name }}　　{{ labels.date }}: {{ labels.date_value }}",
        align="center",
        size=9,
    )
    para(
        doc,
        "{% if applicants %}{{ labels.applicant }}: {% for a in applicants %}{{ a.display_name }}{% if not loop.last %}、{% endif %}{% endfor %}{% endif %}",
        align="center",
        size=9,
        space_after=4,
    )
    t = grid_table(doc, 3, [7, 9, 50, 32, 27, 49], size=8)
    for c, h in zip(
        t.rows[0].cells,
        ("✓", "No.", "{{ labels.document }}", "{{ labels.period }}", "{{ labels.people }}", "{{ labels.notes }}"),
    ):
        cell_text(c, h, size=8, align="center")
        shade(c)
    repeat_header(t.rows[0])
    cell_text(t.rows[1].cells[0], "{%tr for r in checklist %}", size=8)
    for c, v in zip(
        t.rows[2].cells,
        (
            "□",
            "{{ r.number }}",
            "{{ r.title }}{% if r.review %} ※{% endif %}\n{{ r.copies }}　{{ r.action }}　{{ r.required }}",
            "{{ r.period }}",
            "{{ r.people }}",
            "{{ r.notes }}",
        ),
    ):
        cell_text(c, v, size=7.5)
    end = t.add_row()
    cell_text(end.cells[0], "{%tr endfor %}", size=8)
    para(doc, "", space_after=3)
    para(doc, "{%p for w in notices %}")
    para(doc, "！ {{ w }}", size=8.5, bold=True)
    para(doc, "{%p endfor %}")
    para(doc, "{{ labels.footer }}", size=7.5)
    doc.save(OUT / "checklist.docx")


def hsp_points() -> None:
    doc = new_document(size=9.5)
    para(doc, "高度専門職ポイント計算表（{{ points_field }}）", bold=True, size=14, align="center", font=GOTHIC)
    para(
        doc,
        "申請人: {{ applicant.display_name }}{% if applicant.name_kanji %}（{{ applicant.roman_name }}）{% endif %}",
        size=9.5,
    )
    para(
        doc,
        "申請時点: {{ case.application_date|seireki }}　　基準時点: {{ points_reference_date|seireki }}",
        size=9.5,
        space_after=4,
    )
    t = grid_table(doc, 3, [40, 84, 25, 25], size=8.5)
    for c, h in zip(t.rows[0].cells, ("項目", "該当する内容", "申請時点", "基準時点")):
        cell_text(c, h, size=8.5, align="center")
        shade(c)
    cell_text(t.rows[1].cells[0], "{%tr for p in points %}", size=8)
    for c, v in zip(
        t.rows[2].cells,
        (
            "{{ p.item }}",
            "{{ p.criterion }}",
            "{{ p.points_now }}",
            "{{ p.points_reference if p.points_reference is not none else '―' }}",
        ),
    ):
        cell_text(c, v, size=8.5)
    end = t.add_row()
    cell_text(end.cells[0], "{%tr endfor %}", size=8)
    total = t.add_row()
    cell_text(total.cells[0], "合計", size=9)
    cell_text(total.cells[2], "{{ points_total_now }}", size=9)
    cell_text(total.cells[3], "{{ points_total_reference if points_total_reference is not none else '―' }}", size=9)
    para(doc, "", space_after=3)
    para(
        doc, "各項目の疎明資料を添付します。合計点が基準点以上であることを確認できる資料を提出すれば足ります。", size=8
    )
    doc.save(OUT / "hsp_points.docx")


def _letter_head(doc, title: str) -> None:
    para(doc, "{{ case.application_date|wareki }}", align="right")
    para(doc, "法務大臣　殿", space_after=6)
    para(doc, title, bold=True, size=15, align="center", font=GOTHIC, space_after=8)
    para(doc, "国籍・地域　{{ applicant.nationality }}", align="right")
    para(
        doc,
        "氏名　{{ applicant.display_name }}{% if applicant.name_kanji %}（{{ applicant.roman_name }}）{% endif %}",
        align="right",
        space_after=8,
    )


def _letter_foot(doc) -> None:
    para(doc, "　以上のとおり説明いたします。", align="justify", space_after=14)
    para(doc, "申請人　{{ applicant.display_name }}　　署名 ＿＿＿＿＿＿＿＿＿＿＿＿", align="right")


def _table(doc, headers: tuple[str, ...], cells: tuple[str, ...], loop: str, widths: list[float]) -> None:
    t = grid_table(doc, 3, widths, size=9)
    for c, h in zip(t.rows[0].cells, headers):
        cell_text(c, h, size=9, align="center")
        shade(c)
    cell_text(t.rows[1].cells[0], "{%tr for " + loop + " %}", size=8)
    for c, v in zip(t.rows[2].cells, cells):
        cell_text(c, v, size=9)
    end = t.add_row()
    cell_text(end.cells[0], "{%tr endfor %}", size=8)
    para(doc, "", space_after=4)


def explanation_letters() -> None:
    doc = new_document(size=10.5)
    _letter_head(doc, "説　明　書（長期出国について）")
    para(
        doc,
        "　私は、日本に生活の本拠を置いて在留しておりますが、次のとおり長期間日本を離れた期間がありますので、その事情を説明いたします。",
        align="justify",
        space_after=4,
    )
    _table(
        doc,
        ("出国日", "帰国日", "日数", "渡航先", "目的"),
        (
            "{{ t.departure|seireki }}",
            "{{ t.return_date|seireki if t.return_date else '出国中' }}",
            "{{ t.days if t.days is not none else '' }}日",
            "{{ t.destination }}",
            "{{ t.purpose }}",
        ),
        "t in explanations.long_trips",
        [34, 34, 16, 36, 54],
    )
    para(doc, "{%p if explanations.heavy_years %}")
    para(
        doc,
        "　また、次の年は出国日数の合計が多くなっております。{% for y in explanations.heavy_years %}{{ y.year }}年（{{ y.days }}日）{% if not loop.last %}、{% endif %}{% endfor %}",
    )
    para(doc, "{%p endif %}")
    para(doc, "　［出国の事情：家族の看病、業務命令による出張等、具体的な理由を記載してください。］", align="justify")
    para(
        doc,
        "　出国中も日本の住居を維持し、住民登録、納税及び社会保険の加入を継続しており、生活の本拠は一貫して日本にありました。今後は長期の出国を控え、日本での生活を継続いたします。",
        align="justify",
        space_after=6,
    )
    para(doc, "全ての出国の一覧", bold=True, font=GOTHIC)
    _table(
        doc,
        ("出国日", "帰国日", "日数", "渡航先", "目的"),
        (
            "{{ t.departure|seireki }}",
            "{{ t.return_date|seireki if t.return_date else '出国中' }}",
            "{{ t.days if t.days is not none else '' }}日",
            "{{ t.destination }}",
            "{{ t.purpose }}",
        ),
        "t in explanations.trips",
        [34, 34, 16, 36, 54],
    )
    _letter_foot(doc)
    doc.save(OUT / "explanation_long_absence.docx")

    doc = new_document(size=10.5)
    _letter_head(doc, "説　明　書（納付の遅れについて）")
    para(
        doc,
        "　次のとおり、納期限までに納付できなかったものがありますので、その経緯を説明いたします。",
        align="justify",
        space_after=4,
    )
    _table(
        doc,
        ("種類", "対象者", "対象", "区分"),
        ("{{ r.kind }}", "{{ r.person }}", "{{ r.period }}", "{{ r.detail }}"),
        "r in explanations.late_payments",
        [30, 44, 60, 40],
    )
    para(
        doc,
        "　［遅れた理由：納付書の見落とし、転居に伴う通知の不達等、具体的な経緯を記載してください。］",
        align="justify",
    )
    para(
        doc,
        "　上記はいずれも既に全額を納付済みです。現在は口座振替（又は給与からの特別徴収）に切り替え、今後は納期限を厳守いたします。",
        align="justify",
        space_after=6,
    )
    _letter_foot(doc)
    doc.save(OUT / "explanation_late_payment.docx")

    doc = new_document(size=10.5)
    _letter_head(doc, "説　明　書（転職について）")
    para(doc, "　対象期間中に勤務先が変わっておりますので、その経緯を説明いたします。", align="justify", space_after=4)
    _table(
        doc,
        ("勤務先", "入社", "退社", "役職"),
        ("{{ j.employer }}", "{{ j.start|seireki }}", "{{ j.end|seireki if j.end else '現在' }}", "{{ j.position }}"),
        "j in explanations.jobs",
        [64, 36, 36, 38],
    )
    para(doc, "　［転職の理由：キャリアアップ、事業所の閉鎖等、具体的な理由を記載してください。］", align="justify")
    para(
        doc,
        "　転職の前後を通じて在留資格に該当する活動を継続しており、現在の勤務先では{% if main_applicant.employer %}{{ main_applicant.employer.position or '従業員' }}として{% endif %}安定して勤務しております。",
        align="justify",
        space_after=6,
    )
    _letter_foot(doc)
    doc.save(OUT / "explanation_employer_change.docx")

    doc = new_document(size=10.5)
    _letter_head(doc, "説　明　書（収入について）")
    para(
        doc,
        "　次の年は、年収が一般に目安とされる額を下回っておりますので、その事情と現在の生計の状況を説明いたします。",
        align="justify",
        space_after=4,
    )
    _table(
        doc,
        ("年度（年分）", "年収", "扶養人数", "目安額"),
        ("{{ y.label }}", "{{ y.income|yen }}", "{{ y.dependants }}人", "{{ y.benchmark|yen }}"),
        "y in explanations.low_income_years",
        [56, 40, 30, 48],
    )
    para(
        doc,
        "　［収入が減少した理由：育児休業、病気療養、転職直後等、具体的な事情を記載してください。］",
        align="justify",
    )
    para(
        doc,
        "　現在は{% if main_applicant.income %}{{ main_applicant.income[-1].year }}年分の年収が{{ main_applicant.income[-1].amount|yen }}となっており、{% endif %}預貯金等の資産もあり、公共の負担となることなく安定した生活を営んでおります。",
        align="justify",
        space_after=6,
    )
    _letter_foot(doc)
    doc.save(OUT / "explanation_low_income.docx")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for build in (
        application_form,
        reason_letter,
        guarantor_letter,
        acknowledgement,
        index,
        checklist,
        hsp_points,
        explanation_letters,
    ):
        build()
        print("built", build.__name__)


if __name__ == "__main__":
    main()
