"""Build the built-in Word templates in templates/ (run: python tools/build_templates.py).

The .docx files are what staff open and edit in Word; this script is how developers
author the first version. Each Jinja tag is written in a single run so Word never
splits it, and {%p %} / {%tr %} tags sit alone in their paragraph / row.
Dates: 西暦 on the ISA forms (申請書, 身元保証書, 了解書), 和暦 on the office's letters.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docx_builder import (
    GOTHIC,
    cell_text,
    grid_table,
    new_document,
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


# The official 申請書's English, as the reference gives it (§11.10, from the form's transcript): the header of
# その1, the address and the preamble.
ENGLISH_HEADER = "Part 1 (Permanent Residence) Ministry of Justice, Government of Japan"
ENGLISH_ADDRESS = "To the Minister of Justice"
ENGLISH_PREAMBLE = (
    "Pursuant to the provisions of Paragraph 1 of Article 22 (including the cases where the same shall apply"
    " mutatis mutandis under Paragraph 4 of Article 22-2 and including the cases where the same shall apply"
    " mutatis mutandis under Article 22-3) of the Immigration Control and Refugee Recognition Act, I hereby apply"
    " for Permanent Resident."
)


def to_confirm(what: str) -> str:
    """English the reference lacks (その2, the closing declaration) is the office's to copy once from the current
    form: a {# 要確認: … #} note beside the spot. Jinja drops it, so no packet carries a gap; `docgen templates
    check` warns until the office has copied the text and deleted the note (docs/staff-guide.md). The note is a
    Jinja tag: no full-width ASCII look-alikes in it (（ ） ： would be reported as typed with the IME)."""
    return (
        "{# 要確認: 公式様式の英文を確認してください。" + what + "。現行の様式から転記し、この注記を削除してください #}"
    )


def _form_grid(doc, rows: list[tuple[str, ...]], widths=(34, 53, 34, 53)):
    """The 申請書's items: (label, value) spans the width; (label, value, label, value) puts two items on one
    line, as the official form does (1・2, 4・5, 6・7)."""
    t = grid_table(doc, len(rows), list(widths))
    for r, cells in zip(t.rows, rows):
        if len(cells) == 2:
            pairs = [(r.cells[0], cells[0]), (r.cells[1].merge(r.cells[3]), cells[1])]
        else:
            pairs = [(r.cells[k], cells[k]) for k in range(4)]
        for k, (cell, text) in enumerate(pairs):
            if k % 2 == 0:
                cell_text(cell, text, size=8)
                shade(cell)
            else:
                cell_text(cell, text, size=9.5)
        row_height(r, 7)
    return t


def _cant_split(row) -> None:
    """Keep a row on one page (a long history runs onto the next page row by row, under its heading)."""
    row._tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))


def application_form() -> None:
    doc = new_document(size=9.5)
    para(doc, "その1（永住）　　　　　　　　　　　　　　　　　　　　日本国政府法務省", size=8, align="right")
    para(doc, ENGLISH_HEADER, size=7, align="right")
    para(doc, "永 住 許 可 申 請 書", bold=True, size=16, align="center", font=GOTHIC)
    para(doc, "APPLICATION FOR PERMISSION FOR PERMANENT RESIDENCE", size=8, align="center")
    head = grid_table(doc, 1, [134, 40])  # the preamble beside the photo, as on the official form
    left = head.rows[0].cells[0]
    cell_text(left, "法務大臣　殿\n" + ENGLISH_ADDRESS, size=9.5)
    para(left, "", size=6)
    para(
        left,
        "出入国管理及び難民認定法第22条第1項（第22条の2第4項（第22条の3において準用する場合を含む。）において準用する場合を含む。）の規定に基づき、次のとおり永住許可を申請します。",
        size=8.5,
    )
    para(left, ENGLISH_PREAMBLE, size=7)  # the preamble's English on the official form (§11.10)
    cell_text(
        head.rows[0].cells[1],
        "{% if applicant.age_16_or_over %}写　真\nPhoto\n縦40mm×横30mm\n(申請前3か月以内撮影){% else %}写真不要\n(16歳未満){% endif %}",
        size=8,
        align="center",
    )
    row_height(head.rows[0], 42)
    para(doc, "", size=4)
    _form_grid(
        doc,
        [
            (
                "1 国籍・地域\nNationality/Region",
                "{{ applicant.nationality }}",
                "2 生年月日\nDate of birth",
                "{{ applicant.birth_date.year }} 年 {{ applicant.birth_date.month }} 月 {{ applicant.birth_date.day }} 日",
            ),
            (
                "3 氏名\nName",
                "Family name: {{ applicant.family_name }}　　Given name: {{ applicant.given_name }}\n{% if applicant.name_kanji %}漢字氏名: {{ applicant.name_kanji }}{% endif %}",
            ),
            (
                "4 性別\nSex",
                "{{ applicant.sex|choice('男', '女') }}",
                "5 出生地\nPlace of birth",
                "{{ applicant.birth_place }}",
            ),
            (
                "6 配偶者の有無\nMarital status",
                "{{ applicant.married|yesno }}",
                "7 職業\nOccupation",
                "{{ applicant.occupation }}",
            ),
            ("8 本国における居住地\nHome town/city", "{{ applicant.home_town }}"),
            (
                "9 住居地\nAddress in Japan",
                "{{ applicant.address }}\n電話番号: {{ applicant.phone|tel or 'なし' }}　　携帯電話番号: {{ applicant.mobile|tel or 'なし' }}",
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
                "13 犯罪を理由とする処分を受けたことの有無（日本国外におけるものを含む。）\nCriminal record (in Japan / overseas)",
                # 有（具体的内容 …）・無 as on the form: the details' space stays, blank when 無
                "{{ applicant.criminal_record.has_record|yesno }}（具体的内容: {% if applicant.criminal_record.has_record %}{{ applicant.criminal_record.details }}{% else %}　　　　　　　　　　{% endif %}）\nYes (Detail: ) / No",
            ),
            ("14 永住許可を申請する理由\nReason for applying for Permanent Resident", "{{ applicant.reason }}"),
            (
                # reference §3.1: 有・無; if 有: 当時の国籍・地域, 氏名, 生年月日 (each identity on its own line)
                "15 上記と異なる国籍・地域、氏名、生年月日による出入国の有無\nPast entry into/departure from Japan with"
                " nationality/region, name and date of birth different from above-mentioned",
                "{{ (applicant.other_identities|length > 0)|yesno }}\n（有の場合）{% for o in applicant.other_identities %}\n当時の国籍・地域: {{ o.nationality }}　氏名: {{ o.name }}　生年月日: {{ o.birth_date|seireki }}{% else %}当時の国籍・地域:　　　　氏名:　　　　　　生年月日:{% endfor %}",
            ),
        ],
    )
    # 16 経歴 sits on その1 (reference §3.1, visabu.jp TOC). Its official sub-columns were not seen (§9.6):
    # the 在留歴 and the 職歴 the profile holds, each row with its period.
    para(doc, "", size=3)  # two tables touching are one table to Word and LibreOffice: no repeated heading
    hist = grid_table(doc, 8, [14, 32, 32, 96])
    title = hist.rows[0].cells[0].merge(hist.rows[0].cells[3])
    cell_text(title, "16 経歴　Personal history", size=8.5)
    shade(title)
    for c, t in zip(hist.rows[1].cells, ("区分", "開始", "終了", "在留資格（在留期間）／勤務先（役職）")):
        cell_text(c, t, size=8, align="center")
        shade(c)
    repeat_header(hist.rows[0])  # a long history runs onto the next page with its heading
    repeat_header(hist.rows[1])
    cell_text(hist.rows[2].cells[0], "{%tr for r in applicant.residence_history %}", size=8)
    for c, t in zip(
        hist.rows[3].cells,
        (
            "在留",
            "{{ r.start|seireki }}",
            "{{ r.end|seireki if r.end else '現在' }}",
            "{{ r.status }}{% if r.period_of_stay %}（{{ r.period_of_stay }}）{% endif %}",
        ),
    ):
        cell_text(c, t, size=8.5)
    _cant_split(hist.rows[3])
    cell_text(hist.rows[4].cells[0], "{%tr endfor %}", size=8)
    cell_text(hist.rows[5].cells[0], "{%tr for j in applicant.employment %}", size=8)
    for c, t in zip(
        hist.rows[6].cells,
        (
            "職歴",
            "{{ j.start|ym }}",
            "{{ j.end|ym if j.end else '現在' }}",
            "{{ j.employer }}{% if j.position %}（{{ j.position }}）{% endif %}",
        ),
    ):
        cell_text(c, t, size=8.5)
    _cant_split(hist.rows[6])
    cell_text(hist.rows[7].cells[0], "{%tr endfor %}", size=8)
    # ---------------------------------------------------------------- その2
    # (a break before its first line, not a break paragraph: a full その1 must not push その2 a page further)
    heading = "その2（永住）" + to_confirm("その2の見出しと17〜20の項目名の英文は参照資料にありません")
    para(doc, heading, size=8, align="right").paragraph_format.page_break_before = True
    _label_value_rows(
        doc,
        [
            (
                "17 主たる生計維持者\n(1) 申請人・申請人以外",
                "{% if applicant.is_main and not supporter %}■申請人　□申請人以外{% elif supporter %}□申請人　■申請人以外（続柄: {{ supporter.relationship }}　氏名: {{ supporter.name }}）{% else %}□申請人　■申請人以外（続柄: {{ family[0].relationship }}　氏名: {{ main_applicant.display_name }}）{% endif %}",
            ),
            (
                "(2) 勤務先等\n名称・所在地・電話番号",
                "{% if supporter %}{{ supporter.employer }}{% elif main_applicant.employer %}{{ main_applicant.employer.name }}　{{ main_applicant.employer.address }}\n{{ main_applicant.employer.phone|tel }}{% endif %}",
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
            ("(2) 住所・電話番号", "{{ guarantor.address }}\n{{ guarantor.phone|tel }}"),
            ("(3) 職業（勤務先）・電話番号", "{{ guarantor.occupation }}　{{ guarantor.workplace_phone|tel }}"),
            ("(4) 申請人との関係", "{{ applicant.guarantor_relationship }}"),
        ],
    )
    para(doc, "20 代理人（法定代理人による申請の場合に記入）", bold=True, size=9.5, font=GOTHIC)
    para(doc, "{%p set rep = applicant.legal_representative %}")
    _label_value_rows(
        doc,
        [
            ("(1) 氏名", "{% if applicant.minor %}{{ rep.name if rep else '［法定代理人の氏名］' }}{% endif %}"),
            (
                "(2) 本人との関係",
                "{% if applicant.minor %}{{ rep.relationship if rep else '［本人との関係］' }}{% endif %}",
            ),
            (
                "(3) 住所・電話番号",
                "{% if applicant.minor %}{% if rep %}{{ rep.address or '［住所］' }}\n"
                "{{ (rep.mobile or rep.phone)|tel or '［電話番号］' }}{% else %}［住所・電話番号］{% endif %}{% endif %}",
            ),
        ],
    )
    para(
        doc,
        "以上の記載内容は事実と相違ありません。"
        + to_confirm("結びの一文・署名欄・注意書き・取次者欄の英文は参照資料にありません"),
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
            ("(3) 所属機関等・電話番号", "{% if agent %}{{ agent.office }}\n{{ agent.phone|tel }}{% endif %}"),
        ],
    )
    doc.save(OUT / "application_form.docx")


def reason_letter() -> None:
    """The 理由書: the wording comes from docgen/documents/reason_letter.py (every sentence from a profile fact;
    ［…］ is for the office); the template lays it out: headings, running text, list items, signatures."""
    doc = new_document(size=10.5)
    para(doc, "{{ case.application_date|wareki }}", align="right")
    para(doc, "法務大臣　殿", space_after=6)
    para(doc, "理　由　書", bold=True, size=16, align="center", font=GOTHIC, space_after=8)
    para(doc, "{%p for h in letter.header %}")
    para(doc, "{{ h }}", align="right")
    para(doc, "{%p endfor %}")
    para(doc, "", space_after=4)
    para(doc, "{%p for l in letter.lines %}")
    para(doc, "{%p if l.kind == 'heading' %}")
    heading = para(doc, "{{ l.text }}", bold=True, font=GOTHIC, keep=True)
    heading.paragraph_format.space_before = Pt(8)
    para(doc, "{%p elif l.kind == 'item' %}")
    para(doc, "　・{{ l.text }}")
    para(doc, "{%p else %}")
    para(doc, "　{{ l.text }}", align="justify")
    para(doc, "{%p endif %}")
    para(doc, "{%p endfor %}")
    para(doc, "", space_after=14)
    para(doc, "{%p for s in letter.signatures %}")
    para(doc, "{{ s }}", align="right", space_after=4)
    para(doc, "{%p endfor %}")
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
        ("氏名（署名）", ""),  # left for the guarantor's own hand (reference §3.2: 自筆署名)
        ("住所", "{{ guarantor.address }}"),
        ("電話番号", "{{ guarantor.phone|tel }}"),
        ("職業（勤務先）・電話番号", "{{ guarantor.occupation }}　{{ guarantor.workplace_phone|tel }}"),
        ("国籍・地域（在留資格）", "{{ guarantor.nationality }}（{{ guarantor.status }}）"),
        ("被保証人との関係", "{{ applicant.guarantor_relationship }}"),
    ]
    for r, (label, value) in zip(t.rows, rows):
        cell_text(r.cells[0], label)
        shade(r.cells[0])
        cell_text(r.cells[1], value)
        row_height(r, 16 if label == "氏名（署名）" else 11)  # room for a hand signature
    para(doc, "", space_after=6)
    para(
        doc,
        "※ 署名は身元保証人本人が自筆で行ってください（押印は不要です）。身元保証人の運転免許証の写し等を添付してください。",
        size=9,
    )
    doc.save(OUT / "guarantor_letter.docx")


# The 了解書's text (reference §3.3) with the reference translations handed to the client (§10.14: ISA
# publishes the form in 12 languages, the Japanese text is what is signed, a translation given to the client
# must say it is not the official form). (Japanese, English, simplified Chinese); translations of this text.
ACKNOWLEDGEMENT_INTRO = (
    "私は、永住許可申請を行うに当たり、申請後、許可又は不許可の処分を受けるまでの間に、次の事項に変更が生じた場合には、速やかに地方出入国在留管理官署に届け出ることについて了解しました。",
    "In applying for permission for permanent residence, I understand that if any of the following changes after"
    " I file the application and before I receive the decision to grant or refuse it, I am to report the change"
    " promptly to the regional immigration services bureau (地方出入国在留管理官署).",
    "本人在申请永住许可时，已了解：自提出申请后至收到许可或不许可的处分为止，如下列事项发生变化，"
    "应迅速向地方出入国在留管理官署申报。",
)
ACKNOWLEDGEMENT_ITEMS = (
    (
        "(1) 就労状況（退職、転職等）",
        "(1) Employment (leaving a job, changing jobs, etc.)",
        "(1) 就业状况（离职、换工作等）",
    ),
    (
        "(2) 家族状況（離婚、別居、同居人の変更、死亡等）",
        "(2) Family situation (divorce, separation, a change in the people living with me, death, etc.)",
        "(2) 家庭状况（离婚、分居、同住人员的变化、死亡等）",
    ),
    (
        "(3) 税金・公的年金保険料・公的医療保険料の納付状況（滞納等）",
        "(3) Payment of taxes, public pension premiums and public medical insurance premiums (arrears, etc.)",
        "(3) 税金、公共年金保险费、公共医疗保险费的缴纳状况（滞纳等）",
    ),
    (
        "(4) 生活保護等の公的扶助の受給",
        "(4) Receiving public assistance such as welfare benefits (生活保護)",
        "(4) 领取生活保护等公共扶助",
    ),
    (
        "(5) 刑罰法令違反による刑の確定",
        "(5) A sentence becoming final for a violation of criminal laws",
        "(5) 因违反刑罚法令而被判处的刑罚已确定",
    ),
)
ACKNOWLEDGEMENT_REVOCATION = (
    "また、上記の届出をせずに永住許可を受けた場合には、その許可が取り消されることがあることについても了解しました。",
    "I also understand that if I am granted permanent residence without making such a report, the permission"
    " may be revoked.",
    "本人亦已了解：如未进行上述申报而获得永住许可，该许可有可能被撤销。",
)


def acknowledgement() -> None:
    doc = new_document(size=11)
    t = grid_table(doc, 1, [40, 60], size=None)
    cell_text(t.rows[0].cells[0], "申請番号", size=9)
    shade(t.rows[0].cells[0])
    cell_text(t.rows[0].cells[1], "", size=9)
    para(doc, "", space_after=6)
    para(doc, "了　解　書", bold=True, size=16, align="center", font=GOTHIC, space_after=10)
    para(doc, "　" + ACKNOWLEDGEMENT_INTRO[0], align="justify", space_after=6)
    for line in ACKNOWLEDGEMENT_ITEMS:
        para(doc, "　" + line[0])
    para(doc, "", space_after=6)
    para(doc, "　" + ACKNOWLEDGEMENT_REVOCATION[0], align="justify", space_after=14)
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
    para(doc, "{%p if applicant.minor %}")
    para(
        doc,
        "法定代理人　氏名　{{ applicant.legal_representative.name if applicant.legal_representative"
        " else '［法定代理人の氏名］' }}"
        "{% if applicant.legal_representative %}（{{ applicant.legal_representative.relationship }}）{% endif %}"
        "　　署名 ＿＿＿＿＿＿＿＿＿＿＿＿",
    )
    para(doc, "{%p endif %}")
    para(doc, "※ 申請番号欄は記入しないでください。申請人ごとに1通作成します。", size=9)
    doc.save(OUT / "acknowledgement.docx")


SIMSUN, YAHEI = "SimSun", "Microsoft YaHei"  # docgen/fonts/fonts.conf: Noto Serif / Sans CJK SC


def _in_language(paragraphs, lang: str, font: str | None) -> None:
    """Mark runs as Chinese or English text and, for Chinese, set them in a Chinese font (a Japanese font
    lacks 许, 请 … and has the Japanese forms of the shared characters)."""
    for p in paragraphs:
        for run in p.runs:
            rpr = run._element.get_or_add_rPr()
            if font:
                fonts = rpr.get_or_add_rFonts()
                for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
                    fonts.set(qn(f"w:{slot}"), font)
            tag = OxmlElement("w:lang")
            tag.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-US")
            tag.set(qn("w:eastAsia"), "zh-CN" if lang == "zh" else "ja-JP")
            rpr.append(tag)


def acknowledgement_translations() -> None:
    """The 了解書 in the client's language, for the client only (not submitted): acknowledgement_translation_en /
    _zh. Headed as a reference translation in Japanese and in the client's language; the Japanese text it
    translates stands beside it, so the client sees what he signs."""
    for lang, k, serif, sans, texts in (
        (
            "en",
            1,
            None,
            None,
            {
                "notice": "Reference translation — not the official form",
                "title": "了解書 (Letter of acknowledgement)",
                "applicant": "申請人 / Applicant",
                "about": "This translation is only to help you understand the 了解書. The document you sign is the"
                " Japanese 了解書. This translation is not submitted to the Immigration Services Agency.",
                "column": "English (reference translation)",
            },
        ),
        (
            "zh",
            2,
            SIMSUN,
            YAHEI,
            {
                "notice": "参考译文 — 并非正式表格",
                "title": "了解书（参考译文）",
                "applicant": "申请人",
                "about": "本译文仅供您理解了解书的内容。您需要签名的是日文版了解书。本译文不提交给出入国在留管理厅。",
                "column": "中文（参考译文）",
            },
        ),
    ):
        doc = new_document(size=10)
        para(doc, "参考訳 — 正式な様式ではありません", bold=True, size=13, align="center", font=GOTHIC)
        _in_language(
            [para(doc, texts["notice"], bold=True, size=13, align="center", font=sans, space_after=8)], lang, sans
        )
        _in_language(
            [para(doc, texts["title"], bold=True, size=12, align="center", font=serif, space_after=6)], lang, serif
        )
        _in_language(
            [
                para(
                    doc,
                    texts["applicant"]
                    + "：{{ applicant.roman_name }}{% if applicant.name_kanji %}（{{ applicant.name_kanji }}）{% endif %}",
                    space_after=6,
                )
            ],
            lang,
            serif,
        )
        box = grid_table(doc, 1, [174], size=None)
        cell = box.rows[0].cells[0]
        cell_text(
            cell,
            "この訳は、了解書の内容を理解していただくための参考訳です。署名していただくのは日本語の了解書です。"
            "この訳は出入国在留管理庁には提出しません。",
            size=9,
        )
        _in_language([para(cell, texts["about"], size=9)], lang, serif)
        para(doc, "", space_after=4)
        rows = (ACKNOWLEDGEMENT_INTRO, *ACKNOWLEDGEMENT_ITEMS, ACKNOWLEDGEMENT_REVOCATION)
        t = grid_table(doc, len(rows) + 1, [87, 87], size=None)
        cell_text(t.rows[0].cells[0], "日本語（署名する了解書の文面）", size=9, align="center")
        cell_text(t.rows[0].cells[1], texts["column"], size=9, align="center")
        _in_language(t.rows[0].cells[1].paragraphs, lang, sans)
        for c in t.rows[0].cells:
            shade(c)
        for r, text in zip(t.rows[1:], rows):
            cell_text(r.cells[0], text[0], size=9.5)
            cell_text(r.cells[1], text[k], size=9.5)
            _in_language(r.cells[1].paragraphs, lang, serif)
            for c in r.cells:
                c.paragraphs[0].paragraph_format.space_after = Pt(3)
        doc.save(OUT / f"acknowledgement_translation_{lang}.docx")


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
        "区分: 提出＝写し又は原本を提出、提示＝窓口で原本を提示。状況: 未提出の書類は別途提出します。"
        "一部（3/15）＝必要な15通（対象者ごと・年度ごと）のうち3通を提出、不足分は下記のとおり別途提出します。"
        "頁は本書類一式の通し番号です。",
        size=8,
    )
    para(doc, "{%p for r in index %}", size=8)
    para(doc, "{%p if r.missing %}", size=8)
    para(doc, "{{ r.number }}. {{ r.title }}（{{ r.count }}）　不足: {{ r.missing }}", size=8)
    para(doc, "{%p endif %}", size=8)
    para(doc, "{%p endfor %}", size=8)
    doc.save(OUT / "index.docx")


def _checklist_table(doc, rows: str, box: str) -> None:
    """The handout's table of `rows` (a Jinja loop head: which rows of `checklist` it lists), `box` to tick."""
    t = grid_table(doc, 3, [7, 9, 50, 32, 27, 49], size=8)
    for c, h in zip(
        t.rows[0].cells,
        ("✓", "No.", "{{ labels.document }}", "{{ labels.period }}", "{{ labels.people }}", "{{ labels.notes }}"),
    ):
        cell_text(c, h, size=8, align="center")
        shade(c)
    repeat_header(t.rows[0])
    cell_text(t.rows[1].cells[0], "{%tr for r in " + rows + " %}", size=8)
    for c, v in zip(
        t.rows[2].cells,
        (
            box,
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


def checklist() -> None:
    """The client handout: what the client brings, then apart under 「事務所が作成」 (labels.office, in the client's
    language) what the office prepares; an office row's action is labels.office (docgen/packet/handout.py)."""
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
    para(doc, "{{ labels.bring }}", bold=True, size=11, font=GOTHIC, space_after=2)
    _checklist_table(doc, "checklist if r.action != labels.office", "□")
    para(doc, "", space_after=3)
    para(doc, "{%p if checklist|selectattr('action', 'equalto', labels.office)|list %}")
    para(doc, "{{ labels.office }}", bold=True, size=11, font=GOTHIC, space_after=2)
    para(doc, "{{ labels.office_note }}", size=8.5, space_after=2)
    _checklist_table(doc, "checklist if r.action == labels.office", "")
    para(doc, "", space_after=3)
    para(doc, "{%p endif %}")
    para(doc, "{%p for w in notices %}")
    para(doc, "！ {{ w }}", size=8.5, bold=True)
    para(doc, "{%p endfor %}")
    para(doc, "{{ labels.footer }}", size=7.5)
    doc.save(OUT / "checklist.docx")


def hsp_points() -> None:
    """One sheet per date (申請時点 / 基準時点): the document's own `points_table`, its date in 西暦 (ISA forms)."""
    doc = new_document(size=9.5)
    para(
        doc,
        "高度専門職ポイント計算表{% if points_field %}（{{ points_field }}）{% endif %}",
        bold=True,
        size=14,
        align="center",
        font=GOTHIC,
    )
    para(doc, "{%p if points_table %}")
    para(
        doc,
        "{{ points_table.label }}: {{ points_table.as_of|seireki }}"
        "{% if points_table.offset %}（{{ points_table.offset }}）{% endif %}",
        bold=True,
        size=11,
        align="center",
        font=GOTHIC,
        space_after=4,
    )
    para(
        doc,
        "申請人: {{ applicant.display_name }}{% if applicant.name_kanji %}（{{ applicant.roman_name }}）{% endif %}"
        "　　申請予定日: {{ case.application_date|seireki }}",
        size=9.5,
        space_after=4,
    )
    t = grid_table(doc, 3, [64, 94, 16], size=8.5)
    for c, h in zip(t.rows[0].cells, ("項目", "該当する内容（{{ points_table.label }}の事実）", "点数")):
        cell_text(c, h, size=8.5, align="center")
        shade(c)
    repeat_header(t.rows[0])
    cell_text(t.rows[1].cells[0], "{%tr for p in points_table.rows %}", size=8)
    cell_text(t.rows[2].cells[0], "{{ p.item }}", size=8.5)
    cell_text(t.rows[2].cells[1], "{{ p.basis }}", size=8.5)
    cell_text(t.rows[2].cells[2], "{{ p.points }}", size=8.5, align="right")
    end = t.add_row()
    cell_text(end.cells[0], "{%tr endfor %}", size=8)
    total = t.add_row()
    cell_text(total.cells[0], "合計", bold=True, size=9)
    cell_text(total.cells[2], "{{ points_table.total }}", bold=True, size=9, align="right")
    para(doc, "", space_after=3)
    para(
        doc,
        "基準点: {{ points_table.threshold }}点以上　"
        "{% if points_table.total >= points_table.threshold %}満たしています{% else %}満たしていません{% endif %}",
        size=9.5,
    )
    para(doc, "{%p if points_table.minimum_income is not none %}")
    para(
        doc,
        "最低年収: {{ points_table.minimum_income|yen }}以上　"
        "{% if points_table.income_minimum_met %}満たしています{% else %}満たしていません{% endif %}",
        size=9.5,
    )
    para(doc, "{%p endif %}")
    para(doc, "", space_after=3)
    para(
        doc, "各項目の疎明資料を添付します。合計点が基準点以上であることを確認できる資料を提出すれば足ります。", size=8
    )
    para(doc, "{%p else %}")
    para(doc, "［この案件はポイントによる申請ではないため、計算表はありません］", size=9.5)
    para(doc, "{%p endif %}")
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
    """The closing and the signatures (a minor's 法定代理人 signs too), as on the 理由書."""
    para(doc, "　以上のとおり説明いたします。", align="justify", space_after=14)
    para(doc, "{%p for s in letter.signatures %}")
    para(doc, "{{ s }}", align="right", space_after=4)
    para(doc, "{%p endfor %}")


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


# How the person left, only as recorded on the trip (exit); otherwise a placeholder for the office.
_EXIT = (
    "{% if t.exit == 'みなし再入国' %}みなし再入国許可{% elif t.exit == '再入国許可' %}再入国許可"
    "{% if t.reentry_permit_until %}（有効期限{{ '\\n' }}{{ t.reentry_permit_until|wareki }}）{% endif %}"
    "{% else %}［再入国許可・みなし再入国許可の別を記入］{% endif %}"
)
_TRIP_HEADERS = ("出国日", "帰国日", "日数", "渡航先（目的）", "出国の方法")
_TRIP_CELLS = (
    "{{ t.departure|wareki }}",
    "{{ t.return_date|wareki if t.return_date else '出国中' }}",
    "{{ t.days if t.days is not none else '' }}日",
    "{{ t.destination }}{% if t.purpose %}（{{ t.purpose }}）{% endif %}",
    _EXIT,
)
# A date column holds 「平成30年11月14日」 whole (LibreOffice spaces digits from kanji); 174 mm in all.
_TRIP_WIDTHS = [37, 37, 14, 42, 44]


def explanation_letters() -> None:
    """The four 説明書 (main applicant, when the assessment finds what to explain). Only facts from the findings;
    what the office must add is a ［…］ placeholder. Dates in 和暦."""
    doc = new_document(size=10.5)
    _letter_head(doc, "説　明　書（長期出国について）")
    para(doc, "{%p if explanations.long_trips %}")
    para(
        doc,
        "　私は、次のとおり長期間日本を離れたことがありますので、その事情を説明いたします。",
        align="justify",
        space_after=4,
    )
    _table(doc, _TRIP_HEADERS, _TRIP_CELLS, "t in explanations.long_trips", _TRIP_WIDTHS)
    para(doc, "{%p else %}")
    para(
        doc,
        "　私は、1年間の出国日数の合計が多い年がありますので、その事情を説明いたします。",
        align="justify",
        space_after=4,
    )
    para(doc, "{%p endif %}")
    para(doc, "{%p if explanations.heavy_years %}")
    para(
        doc,
        "　{% if explanations.long_trips %}また、{% endif %}{% for y in explanations.heavy_years %}{{ y.label }}（{{ y.days }}日）{% if not loop.last %}、{% endif %}{% endfor %}は、1年間の出国日数の合計が多くなっております。",
        align="justify",
    )
    para(doc, "{%p endif %}")
    para(doc, "　［出国の事情（家族の看病、業務命令による出張等）を具体的に記入］", align="justify")
    para(doc, "　［出国中の日本の住居・住民登録・納税・社会保険の状況を記入］", align="justify", space_after=6)
    para(doc, "出国の一覧", bold=True, font=GOTHIC)
    para(
        doc,
        "　出国の記録は次のとおりです（{% if applicant.trips_confirmed_since %}"
        "{{ applicant.trips_confirmed_since|wareki }}以降は出入国記録で確認済み"
        "{% else %}［出入国記録で確認した期間を記入（例：平成28年4月以降）］{% endif %}）。",
        align="justify",
        space_after=4,
    )
    _table(doc, _TRIP_HEADERS, _TRIP_CELLS, "t in explanations.trips", _TRIP_WIDTHS)
    _letter_foot(doc)
    doc.save(OUT / "explanation_long_absence.docx")

    doc = new_document(size=10.5)
    _letter_head(doc, "説　明　書（納付遅延について）")
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
        [26, 44, 64, 40],
    )
    para(doc, "　［遅れた理由（納付書の見落とし、転居に伴う通知の不達等）を具体的に記入］", align="justify")
    para(doc, "　［現在の納付状況（完納の有無と納付日）を記入］", align="justify")
    para(doc, "　［再発を防ぐための措置（口座振替への切替え等）を記入］", align="justify")
    para(doc, "　今後は納期限を厳守いたします。", align="justify", space_after=6)
    _letter_foot(doc)
    doc.save(OUT / "explanation_late_payment.docx")

    doc = new_document(size=10.5)
    _letter_head(doc, "説　明　書（転職について）")
    owner = "explanations.jobs|selectattr('self_employed')|list"  # one of the jobs is the applicant's own company
    next_own = "explanations.jobs|selectattr('start', 'equalto', g.joined)|selectattr('self_employed')|list"
    para(
        doc,
        f"　私は、次のとおり{{% if {owner} %}}勤務先の変更及び会社の設立がありましたので"
        "{% else %}勤務先が変わっておりますので{% endif %}、その経緯を説明いたします。",
        align="justify",
        space_after=4,
    )
    _table(
        doc,
        ("勤務先", f"{{% if {owner} %}}就職・設立{{% else %}}入社{{% endif %}}", "退職", "役職"),
        ("{{ j.employer }}", "{{ j.start|wareki }}", "{{ j.end|wareki if j.end else '現在' }}", "{{ j.position }}"),
        "j in explanations.jobs",
        [64, 36, 36, 38],
    )
    para(
        doc,
        f"　{{% if {owner} %}}［勤務先を変え、会社を設立した理由と事業の内容を具体的に記入］"
        "{% else %}［転職の理由（キャリアアップ、事業所の閉鎖等）を具体的に記入］{% endif %}",
        align="justify",
    )
    para(doc, "{%p if explanations.job_gaps %}")
    para(doc, "{%p for g in explanations.job_gaps %}")
    para(
        doc,
        "　{{ g.left|wareki }}に退職してから{{ g.joined|wareki }}に"
        f"{{% if {next_own} %}}会社を設立{{% else %}}次の勤務先に入社{{% endif %}}"
        "するまでの間は、［離職期間中の状況と次の仕事を始めるまで期間が空いた理由（求職活動等）を記入］。",
        align="justify",
    )
    para(doc, "{%p endfor %}")
    para(doc, "{%p else %}")
    para(
        doc,
        f"　{{% if {owner} %}}いずれも、前の勤務先の退職日の翌日までに次の勤務先に入社し又は会社を設立しており"
        "{% else %}いずれの転職も、前の勤務先の退職日の翌日までに次の勤務先に入社しており{% endif %}、離職期間はありません。",
        align="justify",
    )
    para(doc, "{%p endif %}")
    para(
        doc,
        "　{% for j in explanations.jobs if not j.end %}{% if j.self_employed %}"
        "{{ j.start|wareki }}に{{ j.employer }}を設立し、現在まで{% if j.position %}{{ j.position }}として{% endif %}"
        "経営しております。{% else %}現在は、{{ j.employer }}に{% if j.position %}{{ j.position }}として{% endif %}"
        "勤務しております。{% endif %}{% endfor %}",
        align="justify",
        space_after=6,
    )
    _letter_foot(doc)
    doc.save(OUT / "explanation_employer_change.docx")

    doc = new_document(size=10.5)
    _letter_head(doc, "説　明　書（収入について）")
    para(
        doc,
        "　次の年は世帯の年収が少なかったため、その事情と現在の生計の状況を説明いたします。",
        align="justify",
        space_after=4,
    )
    _table(
        doc,
        ("年分", "世帯の年収", "扶養人数"),
        ("{{ y.label }}", "{{ y.income|yen }}", "{{ y.dependants }}人"),
        "y in explanations.low_income_years",
        [58, 58, 58],
    )
    para(doc, "　［収入が少なかった理由（育児休業、病気療養、転職直後等）を具体的に記入］", align="justify")
    para(
        doc,
        "　［現在の収入や預貯金等の資産など、生計が安定していることを示す事情を記入］",
        align="justify",
        space_after=6,
    )
    _letter_foot(doc)
    doc.save(OUT / "explanation_low_income.docx")


def main(names: list[str]) -> None:
    """Build every template, or only those named (`python tools/build_templates.py application_form index`)."""
    OUT.mkdir(exist_ok=True)
    for build in (
        application_form,
        reason_letter,
        guarantor_letter,
        acknowledgement,
        acknowledgement_translations,
        index,
        checklist,
        hsp_points,
        explanation_letters,
    ):
        if not names or build.__name__ in names:
            build()
            print("built", build.__name__)


if __name__ == "__main__":
    main(sys.argv[1:])
