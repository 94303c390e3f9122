"""Letters that state only what is known (issue 9.9): every sentence of a 理由書 comes from a profile fact,
or is (or holds) a ［…］ placeholder for the office; the packet lists every placeholder left."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from docgen.assessment import assess_case
from docgen.case import Settings
from docgen.dates import completed_years
from docgen.documents.explanations import explanations
from docgen.documents.generate import contexts
from docgen.documents.letters import PLACEHOLDER_RE, Fact, Letter, calendar_year_label, month_label, wareki_ym
from docgen.documents.placeholders import Unfilled, paragraph_texts, placeholders_in
from docgen.documents.reason_letter import reason_letter
from docgen.documents.render import render_docx
from docgen.documents.views import build_context
from docgen.packet.build import build_packet
from docgen.wareki import fiscal_year_label, wareki_date
from docgen.yamlfile import load_yaml
from tests.conftest import EXAMPLES, ROOT, case_of, office_reason_letter

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
TEMPLATES = ROOT / "templates"

# Sentences that state no fact about the applicant: headings, the lead-ins of lists, the letter's formulas.
# A sentence without facts and without a placeholder must be one of these (a new one is reviewed here).
FORMULAS = {
    "１　日本での在留歴",
    "２　仕事と収入",
    "２　生活の状況",
    "３　家族",
    "４　公的義務の履行",
    "５　永住許可を希望する理由",
    "このたび永住許可を申請するにあたり、その理由を以下のとおり申し述べます。",
    "現在の在留資格は、次のとおりです。",
    "申請人の現在の在留資格は、次のとおりです。",
    "これまでの在留資格は次のとおりです。",
    "これまでの職歴は次のとおりです。",
    "日本に在住する家族等は次のとおりです。",
    "今後も日本の法令を遵守し、社会の一員として誠実に生活してまいります。",
    "以上の理由により、永住許可をいただきたく、よろしくお願い申し上げます。",
    "今後も家族とともに日本の法令を遵守し、申請人を責任をもって養育してまいります。",
    "以上の理由により、申請人に永住許可をいただきたく、よろしくお願い申し上げます。",
}
# Values the 申請書 prints even when the file leaves them out: no family table is （在日親族及び同居者なし）
# on the form, so the letter may say the same (issue 18: reuse what the forms already know).
PRINTED_DEFAULTS: dict[str, Any] = {"family": []}
CONCRETE = re.compile(r"[0-9０-９A-Za-zＡ-Ｚａ-ｚ]|元年")
YEAR_MONTH = re.compile(r"^\d{4}-\d{2}$")


# ---------------------------------------------------------------- helpers


def sentences(paragraph: str) -> list[str]:
    """A paragraph cut after each 。 (placeholders hold no 。); the list mark and indent dropped."""
    text = paragraph.strip("\u3000 ").removeprefix("・")
    return [s for s in re.findall(r"[^。]*。|[^。]+$", text) if s.strip()]


def raw_value(raw: dict[str, Any], path: str) -> Any:
    """The value at `path` (e.g. family[0].application.trips[1].exit) in the profile file as written.
    KeyError/IndexError when the file does not say it (a model default is not a fact)."""
    node: Any = raw
    for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        node = node[int(index)] if index else node[key]
    return node


def normal(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value).strip().upper()


def renderings(facts: tuple[Fact, ...]) -> list[str]:
    """How the letters print the facts' values (和暦), and the numbers derived from two of their dates."""
    out: set[str] = set()
    dates = []
    for f in facts:
        v = f.value
        if isinstance(v, bool):
            continue
        if isinstance(v, date):
            out |= {wareki_date(v), wareki_ym(v)}
            dates.append(v)
        elif isinstance(v, int):
            out |= {str(v), f"{v:,}"}
            if 1900 < v < 2100:  # an income year: its 年分 and the 住民税 年度 that follows
                out |= {calendar_year_label(v), fiscal_year_label(v + 1)}
        elif isinstance(v, str):
            out |= {v, v.strip().rstrip("。")}  # a reason quoted inside a sentence loses its 。
            # the office's own text (statement, activities) printed paragraph by paragraph, lines run together
            out |= {"".join(line.strip() for line in block.splitlines()) for block in re.split(r"\n\s*\n", v)}
            if YEAR_MONTH.match(v):
                out.add(month_label(v))
    for a, b in itertools.combinations(sorted(dates), 2):  # 約N年間 in Japan, N日間 abroad
        out |= {str(completed_years(a, b)), str((b - a).days)}
    return sorted(out, key=len, reverse=True)


def check_sentence(text: str, facts: tuple[Fact, ...], raw: dict[str, Any], findings: set[str]) -> None:
    """One sentence of a letter: its facts are written in the profile file (or found by the assessment),
    and every number, date or roman letter outside its placeholders is one of those facts."""
    for f in facts:
        if f.path.startswith("assessment:"):
            assert f.path.removeprefix("assessment:") in findings, (text, f)
            continue
        try:
            written = raw_value(raw, f.path)
        except (KeyError, IndexError):
            if f.path in PRINTED_DEFAULTS:
                assert f.value == PRINTED_DEFAULTS[f.path], (text, f)
                continue
            pytest.fail(f"{text!r} states {f.path}, which the profile does not give")
        assert normal(written) == normal(f.value), (text, f, written)
    rest = PLACEHOLDER_RE.sub("", text)
    if not facts and rest == text:
        assert text in FORMULAS, f"a sentence with no fact and no placeholder: {text!r}"
        return
    for shown in renderings(facts):
        rest = rest.replace(shown, "")
    assert not CONCRETE.search(rest), f"{text!r}: {rest!r} is not from its facts"


def yaml_edit(path: Path, edit) -> Path:
    """Edit a profile YAML file in place (round trip, comments kept)."""
    y = YAML()
    data = y.load(path.read_text(encoding="utf-8"))
    edit(data)
    out = StringIO()
    y.dump(data, out)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def letters_of(path: Path) -> dict[str, Letter]:
    """Each applicant's 理由書 (with its facts), by display name, as the packet builds them."""
    case = case_of(path)
    explained = explanations(assess_case(case).main)
    p = case.profile
    return {
        (m.display_name if m else p.applicant.display_name): reason_letter(p, m, explained if m is None else None)
        for m in [None, *p.co_applicants]
    }


def texts(letter: Letter) -> list[str]:
    return [s.text for s in letter.sentences()]


# ---------------------------------------------------------------- every example, every sentence


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_every_sentence_of_every_reason_letter_is_a_profile_fact_or_a_placeholder(example, tmp_path):
    case = case_of(example)
    assessment = assess_case(case)
    raw = load_yaml(example).data
    findings = {f.kind.value for f in assessment.main.findings}
    explained = explanations(assessment.main)
    p = case.profile
    members = {p.applicant.display_name: None, **{m.display_name: m for m in p.co_applicants}}
    for name, ctx in contexts(case, assessment).items():
        member = members[name]
        letter = reason_letter(p, member, explained if member is None else None)
        built = {s.text: s.facts for s in letter.sentences()}
        for text, facts in built.items():
            check_sentence(text, facts, raw, findings if member is None else set())
        docx = render_docx(TEMPLATES / "reason_letter.docx", ctx, tmp_path / f"{len(built)}-{name}.docx")
        paragraphs = paragraph_texts(docx)
        assert paragraphs[:3] == [wareki_date(p.application_date), "法務大臣　殿", "理　由　書"]
        # a line break inside an item (a trip, then how the person left) is no text in the Word paragraph
        items = {line.text.replace("\n", "") for line in letter.lines if line.kind == "item"}
        # the office's own text (the statement) is one paragraph of several sentences
        whole = {s.text for s in letter.sentences() if any(f.path.endswith(".statement") for f in s.facts)}
        for paragraph in paragraphs[3:]:  # the rest is the builder's sentences, laid out by the template
            if paragraph.removeprefix("\u3000・") in items or paragraph.removeprefix("\u3000") in whole:
                continue
            for text in sentences(paragraph):
                assert text in built, f"{name}: {text!r} is in the letter but not from the builder"


# ---------------------------------------------------------------- trips


def test_trips_state_the_recorded_exit_and_leave_the_rest_to_the_office(example_copy):
    def edit(data):
        trips = data["applicant"]["trips"]
        trips[0]["exit"] = "みなし再入国"
        trips[1]["exit"] = "再入国許可"
        trips[1]["reentry_permit_until"] = date(2027, 1, 1)
        trips.append({"departure": date(2026, 3, 1), "return": date(2026, 3, 8), "destination": "台湾", "exit": "不明"})
        data["applicant"].pop("trips_confirmed_since", None)  # the period the 出入国記録 confirm is not given

    path = yaml_edit(example_copy("gijinkoku-single.yaml"), edit)
    lines = [line.text for line in letters_of(path)["王 小明"].lines]
    items = [t for t in lines if t.startswith("令和") and "日〜" in t]
    # how the person left on a line of its own, under the trip (a break, never a wrap inside the words)
    assert items == [
        "令和5年1月20日〜令和5年2月5日（16日間）　中国（帰省）\n　　みなし再入国許可により出国",
        "令和7年8月10日〜令和7年8月20日（10日間）　中国（帰省）\n　　再入国許可を受けて出国（令和9年1月1日まで有効）",
        "令和8年3月1日〜令和8年3月8日（7日間）　台湾\n　　［出国の方法（再入国許可・みなし再入国許可）を記入］",
    ]
    # how many trips over which period is the office's to confirm: a placeholder, never a count
    assert "［出入国記録で確認した期間を記入（例：平成28年4月以降）］の出国は、次のとおりです。" in lines
    whole = "".join(lines)
    assert not re.search(r"出国は\d+回", whole) and "いずれも再入国許可" not in whole


def test_trips_without_an_exit_fact_never_claim_a_reentry_permit():
    lines = [line.text for line in letters_of(EXAMPLES / "keiei-kanri-owner.yaml")["金 民洙"].lines]
    trips = [t for t in lines if "（商談）" in t]
    assert len(trips) == 2 and all(t.endswith("［出国の方法（再入国許可・みなし再入国許可）を記入］") for t in trips)
    assert not any("再入国許可により" in t or "再入国許可を受けて" in t for t in lines)


def test_no_trips_recorded_is_a_placeholder_not_no_trips(example_copy):
    def edit(data):  # the office has not confirmed the trips from the 出入国記録
        data["applicant"].pop("trips_confirmed_since", None)

    path = yaml_edit(example_copy("spouse-of-japanese.yaml"), edit)
    lines = [line.text for line in letters_of(path)["SANTOS MARIA CLARA"].lines]
    assert "［出国の有無と期間を出入国記録で確認して記入］" in lines
    assert not any("出国はありません" in t for t in lines)


# ---------------------------------------------------------------- family filing together


def test_the_wifes_letter_names_her_husband_as_such():
    letter = letters_of(EXAMPLES / "gijinkoku-family.yaml")["TRAN THI BINH"]
    whole = "".join(texts(letter))
    assert "このたび、夫NGUYEN VAN AN及び子NGUYEN MINHとともに永住許可を申請いたします" in whole
    assert "世帯の生計は、主として夫NGUYEN VAN ANの収入により維持しております。" in whole
    assert "夫は、みなとテック株式会社に主任技術者として勤務しております。" in whole
    assert "夫とは平成27年11月8日に婚姻しました。" in whole
    assert "私は、現在、株式会社ハマベーカリー（パート）に勤務しております。" in whole
    assert "妻として" not in whole and "の収入により生計を営んでおります" not in whole
    assert not letter.by_representative


def test_who_supports_the_household_is_stated_only_when_the_income_shows_it(example_copy):
    def edit(data):  # the wife earns more than her husband in the latest year
        latest = max(data["family"][0]["application"]["income"], key=lambda row: row["year"])
        latest["amount"] = 8000000
        latest.pop("non_taxable", None)
        latest["resident_tax"] = "特別徴収"

    whole = "".join(texts(letters_of(yaml_edit(example_copy("gijinkoku-family.yaml"), edit))["TRAN THI BINH"]))
    assert "主として夫" not in whole
    assert "［世帯の生計を主に維持している人とその収入を記入］" in whole


def test_the_main_applicants_letter_says_who_files_with_him():
    whole = "".join(texts(letters_of(EXAMPLES / "gijinkoku-family.yaml")["NGUYEN VAN AN"]))
    assert "なお、妻TRAN THI BINH及び子NGUYEN MINHも、私と同時に永住許可を申請いたします。" in whole
    assert "妻とは平成27年11月8日に婚姻しました。" in whole


def test_a_minor_co_applicants_letter_is_written_by_the_parent_as_legal_representative():
    letter = letters_of(EXAMPLES / "gijinkoku-family.yaml")["NGUYEN MINH"]
    said = texts(letter)
    body = [s for line in letter.lines for s in (x.text for x in line.sentences)]
    assert letter.by_representative
    assert body[0] == "私は、申請人NGUYEN MINH（平成29年6月30日生）の父NGUYEN VAN ANです。"
    assert "申請人は未成年のため、法定代理人として、申請人の永住許可申請の理由を以下のとおり申し述べます。" in body
    assert "今回、私及び母TRAN THI BINHも、申請人と同時に永住許可を申請いたします。" in body
    assert "申請人について永住許可を申請するのは、両親とともに日本で生活を続けるためです。" in body
    assert "申請人の生計は、父である私の収入により維持しております。" in body
    # the child is spoken of in the third person: every 私 in the body is the parent
    assert not any(s.startswith("私は") for s in body[1:] if "勤務" not in s)
    assert said[-2:] == ["申請人　NGUYEN MINH", "法定代理人　父　NGUYEN VAN AN　　署名 ＿＿＿＿＿＿＿＿＿＿＿＿"]


@pytest.mark.parametrize(("days_after_18th_birthday", "minor"), [(0, False), (-1, True)])
def test_the_legal_representative_is_for_under_18_on_the_application_date(
    example_copy, days_after_18th_birthday, minor
):
    applied = date(2026, 12, 15)
    born = date(applied.year - 18, applied.month, applied.day) - timedelta(days=days_after_18th_birthday)

    def edit(data):
        data["family"][1]["birth_date"] = born

    letter = letters_of(yaml_edit(example_copy("gijinkoku-family.yaml"), edit))["NGUYEN MINH"]
    assert letter.by_representative is minor
    assert texts(letter)[-1].startswith("法定代理人　父　" if minor else "申請人　NGUYEN MINH　　署名")


def test_a_minor_without_a_parent_in_the_case_leaves_the_representative_to_the_office(example_copy):
    def edit(data):  # the child is the main applicant's younger brother, no parent in Japan
        data["family"][1]["relationship"] = "弟"

    letter = letters_of(yaml_edit(example_copy("gijinkoku-family.yaml"), edit))["NGUYEN MINH"]
    said = texts(letter)
    assert letter.by_representative
    assert "［法定代理人の氏名と申請人との続柄を記入］" in "".join(said)
    assert said[-1] == "法定代理人　［法定代理人の氏名］　　署名 ＿＿＿＿＿＿＿＿＿＿＿＿"


# ---------------------------------------------------------------- public duties: only what was recorded


def test_payment_on_time_is_stated_only_where_recorded(example_copy):
    def edit(data):
        income = data["applicant"]["income"]
        income[0]["resident_tax"] = "普通徴収"
        income[0]["paid_on_time"] = True
        income[1]["resident_tax"] = "普通徴収"  # paid_on_time not written
        income[2]["resident_tax"] = "普通徴収"
        income[2]["paid_on_time"] = False

    whole = "".join(texts(letters_of(yaml_edit(example_copy("gijinkoku-single.yaml"), edit))["王 小明"]))
    assert "令和4年度の住民税は、普通徴収により各納期限内に納付しております。" in whole
    assert "［令和5年度の住民税（普通徴収）を各納期限内に納付したか領収証書等で確認して記入］" in whole
    assert "令和6年度の住民税は、納期限に遅れて納付しました。" in whole
    assert "納付が遅れた経緯については、別紙説明書（納付遅延について）のとおりです。" in whole
    assert "国税" not in whole  # the profile records nothing about national taxes
    assert "［住居地・所属機関等の入管法上の届出の履行状況を確認して記入］" in whole


# ---------------------------------------------------------------- the placeholder list


def test_missing_txt_and_the_result_list_every_placeholder_by_document(example_copy, tmp_path):
    def edit(data):  # the office has not yet written the statements
        data["applicant"].pop("statement", None)
        data["family"][0]["application"].pop("statement", None)
        data["family"][1]["application"].pop("health_insurance", None)  # nor recorded the child's insurance

    profile = yaml_edit(example_copy("gijinkoku-family.yaml"), edit)
    result = build_packet(case_of(profile, Settings(output_dir=tmp_path)), out=tmp_path / "p", pdf=False)
    assert (
        Unfilled("理由書（NGUYEN VAN AN）", "［日本での生活と永住を希望する理由を具体的に記入］") in result.placeholders
    )
    assert Unfilled("理由書（NGUYEN MINH）", "［申請人の公的医療保険の加入状況を記入］") in result.placeholders
    # every placeholder in every Word file of the packet is listed, and nothing else
    found = {(result.names.key(d), t) for d in result.documents for t, _ in placeholders_in(d)}
    assert len(found) == len({(p.document, p.text) for p in result.placeholders}) > 0
    report = result.report.read_text(encoding="utf-8")
    places, documents = sum(p.count for p in result.placeholders), len({p.document for p in result.placeholders})
    assert f"書類に記入が必要な箇所（［ ］の部分、{documents}通に{places}箇所）:" in report
    for p in result.placeholders:
        assert f"  ・{p.line()}\n" in report
    assert "  ・理由書（TRAN THI BINH）: ［日本での生活と永住を希望する理由を具体的に記入］\n" in report


def test_a_placeholder_typed_into_an_office_template_is_listed(tmp_path):
    settings = office_reason_letter(tmp_path, "［事務所の定型文：担当者名を記入］")
    result = build_packet(case_of(EXAMPLES / "gijinkoku-family.yaml", settings), out=tmp_path / "p", pdf=False)
    assert {p.document for p in result.placeholders if p.text == "［事務所の定型文：担当者名を記入］"} == {
        "理由書（NGUYEN VAN AN）",
        "理由書（TRAN THI BINH）",
        "理由書（NGUYEN MINH）",
    }


def test_the_packet_summary_prints_the_placeholders(tmp_path):
    out = tmp_path / "packet"
    run = subprocess.run(
        [sys.executable, "-m", "docgen", "packet", str(EXAMPLES / "teijusha.yaml"), "--out", str(out), "--no-pdf"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert "to write in before filing (［ ］): " in run.stdout and "missing.txt" in run.stdout
    assert "  理由書（SILVA PEDRO）: ［日本での生活と永住を希望する理由を具体的に記入］\n" in run.stdout
    assert "  理由書（SILVA PEDRO）: ［出国の方法（再入国許可・みなし再入国許可）を記入］\n" in run.stdout


# ---------------------------------------------------------------- the 説明書


def test_explanation_letters_state_the_findings_and_leave_the_circumstances_to_the_office(example_copy, tmp_path):
    def edit(data):
        a = data["applicant"]
        a["trips"].append({"departure": date(2024, 1, 10), "return": date(2024, 5, 20), "destination": "中国"})
        a["income"][2]["resident_tax"] = "普通徴収"
        a["income"][2]["paid_on_time"] = False
        a["income"][3]["amount"] = 1800000
        a["employment"] = [
            {"employer": "株式会社アオバ", "start": date(2018, 4, 1), "end": date(2022, 3, 31), "position": "SE"},
            {"employer": "株式会社サクラソフト", "start": date(2022, 6, 1), "position": "システムエンジニア"},
        ]
        a["employer"]["since"] = date(2022, 6, 1)

    case = case_of(yaml_edit(example_copy("gijinkoku-single.yaml"), edit))
    assessment = assess_case(case)
    assert {f.kind.value for f in assessment.main.findings} == {
        "long_absence",
        "late_payment",
        "employer_change",
        "low_income",
    }
    ctx = contexts(case, assessment)["王 小明"]
    letters = {
        name: "\n".join(paragraph_texts(render_docx(TEMPLATES / f"{name}.docx", ctx, tmp_path / f"{name}.docx")))
        for name in (
            "explanation_long_absence",
            "explanation_late_payment",
            "explanation_employer_change",
            "explanation_low_income",
        )
    }
    absence = letters["explanation_long_absence"]
    assert "令和6年1月10日" in absence and "2024年" not in absence  # 和暦
    assert "［再入国許可・みなし再入国許可の別を記入］" in absence
    assert "出国の記録は次のとおりです（［出入国記録で確認した期間を記入（例：平成28年4月以降）］）。" in absence
    late = letters["explanation_late_payment"]
    assert "令和6年度（令和5年分）" in late and "［現在の納付状況（完納の有無と納付日）を記入］" in late
    change = letters["explanation_employer_change"]
    assert "令和4年3月31日に退職してから令和4年6月1日に次の勤務先に入社するまでの間は、［離職期間中の状況" in change
    assert "離職期間はありません" not in change
    assert "現在は、株式会社サクラソフトにシステムエンジニアとして勤務しております。" in change
    income = letters["explanation_low_income"]
    assert "令和6年分" in income and "1,800,000円" in income
    whole = "\n".join(letters.values())
    for unsupported in (
        "全ての出国",
        "生活の本拠は一貫して",
        "全額を納付済み",
        "口座振替（又は",
        "目安",
        "安定して勤務",
    ):
        assert unsupported not in whole, unsupported
    # once the office has checked the 出入国記録, the 説明書 says from when
    checked = case.profile.model_copy(
        update={"applicant": case.profile.applicant.model_copy(update={"trips_confirmed_since": date(2016, 4, 1)})}
    )
    ctx_checked = ctx.model_copy(update={"applicant": build_context(checked, today=date(2026, 12, 1)).applicant})
    absence = "\n".join(
        paragraph_texts(render_docx(TEMPLATES / "explanation_long_absence.docx", ctx_checked, tmp_path / "a.docx"))
    )
    assert "出国の記録は次のとおりです（平成28年4月1日以降は出入国記録で確認済み）。" in absence
    # the main applicant's 理由書 points at each 説明書
    said = "".join(texts(reason_letter(case.profile, None, explanations(assessment.main))))
    for title in ("長期出国について", "転職について", "収入について", "納付遅延について"):
        assert f"別紙説明書（{title}）のとおりです。" in said
