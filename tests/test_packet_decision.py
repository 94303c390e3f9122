"""The packet obeys the decision (issue 17): its summary and reports start with it; a blocked case is built only
as a draft; `--final` is the "ready to file" gate — it refuses while the case is blocked, ［ ］ remain, an item
is incomplete or a scan was left out, and `--final --accept` records who accepted what and why."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from docgen.case import Settings
from docgen.errors import DocgenError
from docgen.packet.build import Acceptance, build_packet
from docgen.text import NextStep, Step
from tests.conftest import EXAMPLES, case_of, needs_libreoffice
from tests.test_decision import FINE
from tests.test_evidence_counts import scan
from tests.test_rebuild import fill_placeholders


def docgen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd)


def fined_profile(tmp_path: Path) -> Path:
    """The 技人国 example with a speeding fine (略式命令, 罰金 80,000円) paid 2023-07-10: blocked until 2028-07-10."""
    path = tmp_path / "fined.yaml"
    text = (EXAMPLES / "gijinkoku-single.yaml").read_text(encoding="utf-8")
    fine = (
        "  traffic:\n"
        "    - {date: 2023-05-01, kind: 罰金, description: 速度超過 略式命令 罰金8万円, paid_on: 2023-07-10}\n"
    )
    text = re.sub(r"(\napplicant:\n)", r"\1" + fine.replace("\\", "\\\\"), text, count=1)
    path.write_text(text, encoding="utf-8")
    assert case_of(path).profile.applicant.traffic[0].paid_on.isoformat() == FINE["paid_on"]
    return path


def test_a_blocked_case_is_not_built_unless_a_draft_is_asked_for(tmp_path):
    profile = fined_profile(tmp_path)
    out = tmp_path / "packet"
    refused = docgen("packet", str(profile), "--out", str(out), "--no-pdf", cwd=tmp_path)
    assert refused.returncode == 2 and "Cannot file before 2028-07-10: before the fine" in refused.stderr
    assert "--draft" in refused.stderr and not out.exists()  # said before any work

    built = docgen("packet", str(profile), "--out", str(out), "--no-pdf", "--draft", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    first = built.stdout.splitlines()[1]  # after the settings line: the decision, then the rest
    assert first.startswith("decision: Cannot file before 2028-07-10") and "(draft)" in built.stdout
    (missing,) = out.glob("*-missing.txt")
    assert missing.read_text(encoding="utf-8").splitlines()[1].startswith("判断: 申請できません（2028-07-10 以降）")
    (report,) = out.glob("*-assessment.txt")
    assert report.read_text(encoding="utf-8").startswith("Cannot file before 2028-07-10")  # the staff language
    (manifest,) = out.glob("*-manifest.json")
    data = json.loads(manifest.read_text(encoding="utf-8"))
    assert data["decision"]["status"] == "blocked" and data["decision"]["earliest_date"] == "2028-07-10"
    assert data["final"] == {"final": False, "accepted": None}

    for extra in ((), ("--draft",), ("--accept", "依頼者の希望")):
        final = docgen("packet", str(profile), "--out", str(out), "--no-pdf", "--final", *extra, cwd=tmp_path)
        refused = final.returncode == 2 and "cannot make the filing copy: Cannot file before 2028-07-10" in final.stderr
        assert refused, extra


@needs_libreoffice()
def test_a_blocked_draft_is_stamped_on_every_page(tmp_path):
    case = case_of(fined_profile(tmp_path), Settings(output_dir=tmp_path))
    result = build_packet(case, out=tmp_path / "packet", draft=True)
    assert result.draft and result.bundle is not None
    pages = PdfReader(str(result.bundle)).pages
    assert all("下書き" in page.extract_text() for page in pages)


def family_with_one_tax_certificate(tmp_path: Path) -> tuple[Path, Path]:
    profile = tmp_path / "family.yaml"
    profile.write_text((EXAMPLES / "gijinkoku-family.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    evidence = tmp_path / "evidence"
    scan(evidence / "resident_tax_certificates" / "NGUYEN VAN AN" / "2025.pdf")
    return profile, evidence


def test_final_lists_every_reason_then_records_who_accepted_what_and_why(tmp_path):
    profile, evidence = family_with_one_tax_certificate(tmp_path)
    checked = "  notifications_on_time: true              # 住居地・所属機関等の届出を期限内にしたことを確認済み\n"
    text = profile.read_text(encoding="utf-8")
    assert checked in text
    profile.write_text(text.replace(checked, ""), encoding="utf-8")  # the office has not checked the 届出 yet: ［ ］
    (evidence / "passport").mkdir()
    (evidence / "passport" / "broken.pdf").write_bytes(b"%PDF-1.4 not really")  # a scan left out
    out = tmp_path / "packet"
    case = case_of(profile, Settings(output_dir=tmp_path))
    draft = build_packet(case, out=out, evidence=evidence, pdf=False)
    tax = next(i for i in draft.missing if i.id == "resident_tax_certificates")
    assert tax.progress.count == "1/10"  # one 年度 of one person, of 5 年度 × the two earners
    data = json.loads(draft.manifest.read_text(encoding="utf-8"))
    counts = {c["item"]: c for c in data["missing"]["counts"]}
    assert (counts["resident_tax_certificates"]["have"], counts["resident_tax_certificates"]["need"]) == (1, 10)
    assert data["missing"]["excluded_scans"] == 1

    with pytest.raises(DocgenError) as refused:
        build_packet(case, out=out, evidence=evidence, pdf=False, final=True)
    reasons = str(refused.value)
    assert "placeholder" in reasons  # ［ ］ are refused before anything else is looked at
    for doc in draft.documents:
        fill_placeholders(doc, "記入済み")
    before = draft.manifest.read_bytes()
    with pytest.raises(DocgenError) as refused:
        build_packet(case, out=out, evidence=evidence, pdf=False, final=True)
    reasons = str(refused.value)
    assert "incomplete: 住民税" in reasons and "(1/10)" not in reasons and "（1/10）" in reasons
    assert "scan left out: broken.pdf" in reasons and "accept it with a reason" in reasons
    assert refused.value.steps == (NextStep(Step.ACCEPT),)  # the face says how: --accept, or a form
    assert draft.manifest.read_bytes() == before  # refused: nothing changed

    accepted = build_packet(
        case,
        out=out,
        evidence=evidence,
        pdf=False,
        final=True,
        accept=Acceptance("yamada", "住民税の証明書は申請後に追完する旨の上申書を添付"),
    )
    assert not accepted.draft
    record = json.loads(accepted.manifest.read_text(encoding="utf-8"))["final"]
    assert record["final"] is True and record["accepted"]["by"] == "yamada"
    assert record["accepted"]["reason"] == "住民税の証明書は申請後に追完する旨の上申書を添付"
    assert any("住民税" in w for w in record["accepted"]["what"]) and any(
        "broken.pdf" in w for w in record["accepted"]["what"]
    )


def test_accept_goes_with_final_and_a_reason(tmp_path):
    out = docgen("packet", str(EXAMPLES / "teijusha.yaml"), "--accept", "理由", "--no-pdf", cwd=tmp_path)
    assert out.returncode == 2 and "--accept goes with --final" in out.stderr


def test_a_fine_is_printed_as_a_criminal_record_with_its_details_on_the_application_form(tmp_path):
    from docx import Document

    case = case_of(fined_profile(tmp_path), Settings(output_dir=tmp_path))
    result = build_packet(case, out=tmp_path / "packet", pdf=False, draft=True)
    form = next(d for d in result.documents if "application_form" in d.name)
    doc = Document(str(form))
    text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "■有　□無（具体的内容: 2023年5月1日 速度超過 略式命令 罰金8万円により罰金（2023年7月10日納付））" in text
