"""`docgen batch packets` (issue 20, item 3b): a company's HR department sends its roster; the office screens it
and, in the same run, makes the packets of everyone who can file — side by side on every core, on one warm
LibreOffice pool — with a batch report. A broken profile is named with its reason, a blocked employee is left
for later, a packet that cannot be made is named while the others are finished, and a LibreOffice that crashes
mid-batch (killed here) is started anew without the batch noticing. The rosters and profiles are fictional.

One batch with PDFs is run for the module (LibreOffice is slow here); the other tests make Word files only."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from docgen.assessment.decision import DECISION_WORDS, DecisionStatus
from docgen.batch.report import FILLS as REPORT_FILLS
from docgen.batch.workbook import FILLS
from docgen.errors import DocgenError
from docgen.packet.build import default_folder
from docgen.pdf.office_server import uno_python
from docgen.pdf.warm import RECYCLE_AFTER
from docgen.text import Step
from docgen.usecases.batch import BatchProgress, Outcome, PacketBatch, make_packets
from docgen.usecases.context import RunContext
from tests.conftest import EXAMPLES, NOW

HEADER = ["案件番号", "氏名", "類型", "申請予定日", "プロフィール", "勤務先"]
EMPLOYER = "株式会社さくら精機"
FINE = "  traffic:\n    - {date: 2023-05-01, kind: 罰金, description: 速度超過 略式命令, paid_on: 2023-07-10}\n"
SILVA = "2026-108-silva"  # the teijusha example's case id: kept by the office in its case folder

ROWS = [
    # case id, name as the company knows the employee, category, planned date, profile, employer
    ["A001", "王 小明", None, None, "profiles/gijinkoku-single.yaml", EMPLOYER],
    ["A002", "グエン ヴァン アン", None, None, "profiles/gijinkoku-family.yaml", EMPLOYER],
    ["A003", "佐藤 花子", None, None, "profiles/fined.yaml", EMPLOYER],  # blocked: a fine paid in 2023
    ["A004", "誤記 太郎", None, None, "profiles/broken.yaml", "さくら研究所"],  # a birth date that is no date
    ["A005", "シルバ", None, None, f"cases/{SILVA}/{SILVA}-profile.yaml", "さくら研究所"],
    ["A006", "サントス", None, None, "profiles/spouse-of-japanese.yaml", EMPLOYER],  # its folder holds staff's file
]


def company_folder(root: Path) -> Path:
    """What the office keeps for the company: profiles, one case folder, the roster HR sent, its settings."""
    profiles = root / "profiles"
    profiles.mkdir(parents=True)
    for name in ("gijinkoku-single", "gijinkoku-family", "spouse-of-japanese"):
        shutil.copyfile(EXAMPLES / f"{name}.yaml", profiles / f"{name}.yaml")
    single = (EXAMPLES / "gijinkoku-single.yaml").read_text(encoding="utf-8")
    fined = single.replace("\n  residence_history:", "\n" + FINE.rstrip("\n") + "\n  residence_history:", 1)
    (profiles / "fined.yaml").write_text(fined.replace("2026-101-wang", "2026-201-fined"), encoding="utf-8")
    broken = single.replace("birth_date: 1990-04-12", "birth_date: 1990-13-45").replace("2026-101-wang", "2026-202-x")
    (profiles / "broken.yaml").write_text(broken, encoding="utf-8")
    case = root / "cases" / SILVA
    case.mkdir(parents=True)
    shutil.copyfile(EXAMPLES / "teijusha.yaml", case / f"{SILVA}-profile.yaml")
    (root / "docgen.toml").write_text('[paths]\noutput = "out"\n\n[pdf]\nseconds_per_document = 10\n', "utf-8")
    write_roster(root, ROWS)
    return root


def write_roster(folder: Path, rows: list[list[object]], name: str = "名簿.csv") -> Path:
    path = folder / name
    lines = [",".join(HEADER)] + [",".join("" if v is None else str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def context(folder: Path) -> RunContext:
    return RunContext.load(now=NOW, near=folder, lang="en")


def fingerprints(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


def descendants(root: int) -> dict[int, str]:
    """The processes under `root` that have not ended: pid -> command name."""
    parent, names = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm, rest = (entry / "stat").read_text().rsplit(")", 1)
        except OSError:
            continue
        fields = rest.split()
        if fields[0] in ("Z", "X"):
            continue
        parent[int(entry.name)], names[int(entry.name)] = int(fields[1]), comm.split("(", 1)[1]
    found: dict[int, str] = {}
    for pid, name in names.items():
        up = parent.get(pid)
        while up is not None and up not in (root, 0, 1):
            up = parent.get(up)
        if up == root:
            found[pid] = name
    return found


def _stop_after(pid: int) -> int:
    """The number of documents after which the unoserver `pid` stops by itself (0: not one)."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return 0
    return int(args[args.index(b"--stop-after") + 1]) if b"--stop-after" in args else 0


def outline(pdf: Path) -> dict[str, list[str]]:
    """Top-level bookmark titles with the titles of their children."""
    out: dict[str, list[str]] = {}
    last = ""
    for entry in PdfReader(str(pdf)).outline:
        if isinstance(entry, list):
            out[last] = [child.title for child in entry]
        else:
            last = entry.title
            out[last] = []
    return out


# ---------------------------------------------------------------- one batch with PDFs, a LibreOffice killed in it


class Run:
    """The module's batch: its result, what the progress showed, the LibreOffice killed and what was there before."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ctx = context(folder)
        self.spouse = default_folder(self.ctx.case(folder / "profiles" / "spouse-of-japanese.yaml"))
        self.spouse.mkdir(parents=True)
        (self.spouse / "staff-notes.txt").write_text("staff's own notes, not a packet\n", encoding="utf-8")
        self.before = fingerprints(folder)
        self.seen: list[BatchProgress] = []
        self.killed: int | None = None
        self.stop_after: list[int] = []  # after how many documents each server of the pool starts anew
        self.result: PacketBatch | None = None

    @staticmethod
    def pool_office() -> list[int]:
        """The pool's LibreOffice processes. A worker's packet asks `soffice --version` for its manifest, which
        runs a LibreOffice for a moment: a count of three is looked at again until that one has gone."""
        deadline = time.monotonic() + 10
        while True:
            office = sorted(pid for pid, name in descendants(os.getpid()).items() if name == "soffice.bin")
            if len(office) <= 2 or time.monotonic() > deadline:
                return office
            time.sleep(0.05)

    def progress(self, now: BatchProgress) -> None:
        """Shown as the batch goes; when the first packet is done, a LibreOffice of the pool is killed."""
        self.seen.append(now)
        if now.last is not None and now.last.outcome is Outcome.MADE and self.killed is None:
            office = self.pool_office()
            assert len(office) == 2, office  # the batch's pool: one LibreOffice per core
            servers = [pid for pid, name in descendants(os.getpid()).items() if name.startswith("python")]
            self.stop_after = sorted(_stop_after(pid) for pid in servers if _stop_after(pid))
            self.killed = office[0]
            os.kill(self.killed, signal.SIGKILL)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Run:
    if shutil.which("soffice") is None or uno_python() is None:
        pytest.skip("LibreOffice with python3-uno is needed (scripts/setup.sh installs it)")
    run = Run(company_folder(tmp_path_factory.mktemp("company")))
    run.result = make_packets(run.ctx, run.folder / "名簿.csv", workers=2, progress=run.progress)
    return run


def case(run: Run, case_id: str):
    assert run.result is not None
    return next(c for c in run.result.cases if c.row.case_id == case_id)


def test_the_screening_workbook_has_every_employee_coloured_by_the_decision(batch):
    result = batch.result
    assert result.screening.workbook == batch.folder / "out" / "名簿-screening.xlsx"
    ws = load_workbook(result.screening.workbook)["一覧"]
    rows = list(ws.iter_rows(min_row=2))
    assert [r[1].value for r in rows] == [row[0] for row in ROWS]
    assert [r[0].value for r in rows] == [2, 3, 4, 5, 6, 7]
    decisions = {r[1].value: r[6].value for r in rows}
    assert decisions["A003"] == "申請不可" and decisions["A004"] == "要修正"
    assert decisions["A001"] in (
        DECISION_WORDS[DecisionStatus.READY].ja,
        DECISION_WORDS[DecisionStatus.READY_WITH_RISKS].ja,
    )
    for row in rows:
        status = next((s for s, w in DECISION_WORDS.items() if w.ja == row[6].value), None)
        assert {c.fill.fgColor.rgb[-6:] for c in row} == {FILLS[status]}, row[1].value


def test_the_ready_cases_have_complete_packets_where_docgen_packet_puts_them(batch):
    for case_id, profile in (
        ("A001", "profiles/gijinkoku-single.yaml"),
        ("A002", "profiles/gijinkoku-family.yaml"),
        ("A005", f"cases/{SILVA}/{SILVA}-profile.yaml"),
    ):
        made = case(batch, case_id)
        assert made.outcome is Outcome.MADE, (case_id, made.why)
        packet = made.packet
        assert packet.folder == default_folder(batch.ctx.case(batch.folder / profile)), case_id
        assert packet.warm, case_id  # converted on the batch's pool
        reader = PdfReader(str(packet.bundle))
        assert len(reader.pages) == packet.pages > 3
        words = sorted((packet.folder / "docx").glob("*.docx"))
        pdfs = sorted((packet.folder / "pdf").glob("*.pdf"))
        assert [p.stem for p in pdfs] == [d.stem for d in words]  # every Word file converted
        assert sum(len(PdfReader(str(p)).pages) for p in pdfs) == packet.pages  # and all of it in the bundle
        marks = outline(packet.bundle)
        assert next(iter(marks)) == "提出書類一覧表" and any(t.endswith("理由書") for t in marks), case_id
        assert stat.S_IMODE(packet.bundle.stat().st_mode) == 0o600
    family = case(batch, "A002").packet
    assert outline(family.bundle)["1. 永住許可申請書"] == ["NGUYEN VAN AN", "TRAN THI BINH", "NGUYEN MINH"]
    assert case(batch, "A005").packet.folder == batch.folder / "cases" / SILVA / f"{SILVA}-packet"  # its case folder


def test_the_broken_profile_is_named_with_line_and_field_and_never_its_value(batch):
    broken = case(batch, "A004")
    assert broken.outcome is Outcome.FAILED and broken.packet is None
    assert str(broken.why).startswith("broken.yaml, line 11 [applicant.birth_date]:"), broken.why
    assert "1990-13-45" not in str(broken.why)


def test_a_packet_that_cannot_be_made_is_named_and_the_others_are_finished(batch):
    spouse = case(batch, "A006")
    assert spouse.outcome is Outcome.FAILED
    assert "holds files but is not a docgen packet" in str(spouse.why)
    assert (batch.spouse / "staff-notes.txt").read_text(encoding="utf-8") == "staff's own notes, not a packet\n"
    assert sorted(p.name for p in batch.spouse.iterdir()) == ["staff-notes.txt"]


def test_the_blocked_employee_is_left_for_later_with_the_day_it_can_file(batch):
    blocked = case(batch, "A003")
    assert blocked.outcome is Outcome.NOT_ASKED and blocked.packet is None
    assert str(blocked.why) == "can file from a later year (from 2028-07-10)"


def test_nothing_else_is_affected(batch):
    after = fingerprints(batch.folder)
    assert {k: v for k, v in after.items() if k in batch.before} == batch.before  # profiles, roster, staff's file
    made = {case(batch, c).packet.folder for c in ("A001", "A002", "A005")}
    new = {Path(k) for k in after if k not in batch.before}
    outside = [p for p in new if not any((batch.folder / p).is_relative_to(f) for f in made)]
    written = ["名簿-packets.xlsx", "名簿-screening.xlsx", ".docgen-written.json"]  # and docgen's record of them
    assert sorted(map(str, outside)) == sorted(f"out/{name}" for name in written)
    assert sorted(p.name for p in (batch.folder / "out").iterdir()) == sorted(
        [case(batch, "A001").packet.folder.name, case(batch, "A002").packet.folder.name, batch.spouse.name] + written
    )


def test_a_libreoffice_killed_mid_batch_is_started_anew_and_the_batch_finishes(batch):
    result = batch.result
    assert batch.killed is not None
    assert batch.killed not in descendants(os.getpid())
    assert result.converter is not None and not result.converter.shared
    assert result.converter.servers == 2 and result.converter.restarts == 1
    # the servers start anew by themselves after their share of documents, never both at once
    assert batch.stop_after == [RECYCLE_AFTER // 2, RECYCLE_AFTER], batch.stop_after
    assert result.counts == {Outcome.MADE: 3, Outcome.FAILED: 2, Outcome.NOT_ASKED: 1}
    # the batch's pool is stopped at the end: no LibreOffice of it is left
    assert not [n for n in descendants(os.getpid()).values() if n in ("soffice.bin", "oosplash")]


def test_the_progress_counts_the_packets_done_over_the_whole_batch(batch):
    done = [(p.done, p.total) for p in batch.seen if p.last is not None]
    assert done == [(1, 4), (2, 4), (3, 4), (4, 4)]  # A001, A002, A005, A006: the packets asked for
    assert {p.last.row.case_id for p in batch.seen if p.last is not None} == {"A001", "A002", "A005", "A006"}


def test_the_batch_report_lists_every_row_with_its_outcome(batch):
    result = batch.result
    assert result.report == batch.folder / "out" / "名簿-packets.xlsx"
    assert stat.S_IMODE(result.report.stat().st_mode) == 0o600
    wb = load_workbook(result.report)
    assert wb.sheetnames == ["集計", "一式"]
    rows = {r[1].value: r for r in wb["一式"].iter_rows(min_row=2)}
    assert list(rows) == [row[0] for row in ROWS]
    assert rows["A002"][5].value == "作成済み" and rows["A002"][7].value == str(case(batch, "A002").packet.bundle)
    assert rows["A002"][8].value == case(batch, "A002").packet.pages
    assert "details: " not in rows["A002"][9].value and "2026-102-nguyen-missing.txt" in rows["A002"][9].value
    assert rows["A004"][5].value == "作成できず" and rows["A004"][10].value.startswith("broken.yaml")
    assert rows["A003"][5].value == "作成の対象外" and "2028年7月10日" in rows["A003"][10].value
    assert {c.fill.fgColor.rgb[-6:] for c in rows["A006"]} == {REPORT_FILLS["failed"]}
    assert {c.fill.fgColor.rgb[-6:] for c in rows["A003"]} == {REPORT_FILLS["not_asked"]}
    text = "\n".join(str(c.value) for row in wb["一式"].iter_rows() for c in row if c.value is not None)
    assert "NGUYEN" not in text and "1990-13-45" not in text  # counts and file names, never a profile's value
    summary = {r[0]: r[1] for r in wb["集計"].iter_rows(values_only=True) if r and r[0]}
    assert summary["作成済み / made"] == 3 and summary["作成できず / not made"] == 2 and summary["合計 / Total"] == 6
    assert "再起動 1回" in summary["PDF 変換 / Converter"]


# ---------------------------------------------------------------- Word files only: which cases, and a worker lost


@pytest.fixture
def company(tmp_path: Path) -> Path:
    return company_folder(tmp_path)


def test_cases_asked_by_id_a_blocked_one_is_refused_unless_as_a_draft(company):
    ctx = context(company)
    done = make_packets(ctx, company / "名簿.csv", cases=["A003", "A001"], pdf=False)
    blocked = next(c for c in done.cases if c.row.case_id == "A003")
    assert blocked.outcome is Outcome.FAILED and blocked.packet is None
    assert str(blocked.why) == (
        "cannot file on the planned date (can file from a later year (from 2028-07-10)), so nothing was built;"
        " it can be built as a draft"
    )
    assert blocked.why.ja.startswith(
        "申請予定日には申請できないため、作成していません（罰金刑の刑の消滅前（2028年7月10日まで）"
    )
    assert "2023" not in blocked.why.ja + blocked.why.en  # the fine's own dates are the profile's: never repeated
    assert [s.step for s in blocked.next_steps] == [Step.DRAFT]
    assert {c.row.case_id: c.outcome for c in done.cases} == {
        "A001": Outcome.MADE,
        "A002": Outcome.NOT_ASKED,
        "A003": Outcome.FAILED,
        "A004": Outcome.NOT_ASKED,
        "A005": Outcome.NOT_ASKED,
        "A006": Outcome.NOT_ASKED,
    }
    drafted = make_packets(ctx, company / "名簿.csv", cases=["A003"], draft=True, pdf=False, report=company / "d.xlsx")
    made = next(c for c in drafted.cases if c.row.case_id == "A003")
    assert made.outcome is Outcome.MADE and made.packet.draft and made.packet.bundle is None
    with pytest.raises(DocgenError, match="not in the roster: Z999"):
        make_packets(ctx, company / "名簿.csv", cases=["A001", "Z999"], pdf=False)


def test_a_row_planned_on_another_day_than_its_profile_or_from_a_questionnaire_is_named(company):
    from docgen.intake import prefill_data, write_questionnaire
    from docgen.profile.load import load_profile_yaml

    write_questionnaire(
        company / "santos.xlsx", "ja", prefill_data(load_profile_yaml(EXAMPLES / "spouse-of-japanese.yaml"))
    )
    rows = [
        ["B001", "王", None, "2026-12-20", "profiles/gijinkoku-single.yaml", EMPLOYER],
        ["B002", "サントス", None, None, "santos.xlsx", EMPLOYER],
        ["B003", "王", None, None, "profiles/gijinkoku-single.yaml", EMPLOYER],
        ["B004", "王（重複）", None, None, "profiles/gijinkoku-single.yaml", EMPLOYER],
    ]
    done = make_packets(context(company), write_roster(company, rows, "other.csv"), pdf=False)
    why = {c.row.case_id: str(c.why) for c in done.cases}
    assert why["B001"].startswith("the roster's planned date is not the profile's"), why["B001"]
    assert why["B002"].startswith("santos.xlsx: a packet is made from a profile, not a questionnaire")
    assert why["B004"] == "the same profile as roster row 4 (its packet is made for row 4)"
    assert [c.row.case_id for c in done.of(Outcome.MADE)] == ["B003"]


def test_a_worker_killed_mid_batch_has_its_packet_made_again(company):
    """A worker process dies (out of memory, killed): the packets it held are made again in a new one."""
    killed: list[int] = []

    def kill_a_worker(now: BatchProgress) -> None:
        workers = [p.pid for p in multiprocessing.active_children() if p.pid is not None]
        if now.done == 1 and not killed and workers:
            killed.append(workers[0])
            os.kill(workers[0], signal.SIGKILL)

    rows = [
        [f"W{n}", "x", None, None, p, EMPLOYER]
        for n, p in enumerate(
            [
                "profiles/gijinkoku-single.yaml",
                "profiles/gijinkoku-family.yaml",
                "profiles/spouse-of-japanese.yaml",
                f"cases/{SILVA}/{SILVA}-profile.yaml",
            ]
        )
    ]
    done = make_packets(
        context(company), write_roster(company, rows, "w.csv"), pdf=False, workers=2, progress=kill_a_worker
    )
    assert killed
    assert [c.outcome for c in done.cases] == [Outcome.MADE] * 4, [str(c.why) for c in done.cases]
    assert all((c.packet.folder / "docx").is_dir() for c in done.cases)


def test_the_command_prints_each_case_and_the_report(company, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_SETTINGS"} | {"DOCGEN_LANG": "en"}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "docgen",
            "batch",
            "packets",
            "名簿.csv",
            "--no-pdf",
            "--case",
            "A001,A004",
            "--case",
            "A003",
        ],
        capture_output=True,
        text=True,
        cwd=company,
        env=env,
        timeout=300,
    )
    assert run.returncode == 1, run.stderr  # not every packet asked for was made
    out = run.stdout
    assert f"screened 6 employee(s) → {company / 'out' / '名簿-screening.xlsx'}" in out
    assert "  made A001 (draft): " in out or "  made A001: " in out
    assert "  not made A004: broken.yaml, line 11 [applicant.birth_date]:" in out
    assert "  not made A003: " in out and "    → to build a draft: --draft" in out
    assert f"packets: 1 made, 2 not made, 3 not asked → {company / 'out' / '名簿-packets.xlsx'}" in out
    assert "Traceback" not in run.stderr and "1990-13-45" not in out + run.stderr


def test_the_report_is_never_the_roster_nor_the_screening(company):
    ctx = context(company)
    with pytest.raises(DocgenError, match="two files; give them different names"):
        make_packets(ctx, company / "名簿.csv", report=company / "x.xlsx", workbook=company / "x.xlsx", pdf=False)
    with pytest.raises(DocgenError, match="the report is an Excel file"):
        make_packets(ctx, company / "名簿.csv", report=company / "x.csv", pdf=False)
    assert not (company / "out").exists()


def test_a_batch_converts_on_the_offices_running_converter_and_leaves_it_running(company):
    """`docgen converter start` keeps LibreOffice running for the office: a batch uses it instead of starting
    its own, and does not stop it."""
    if shutil.which("soffice") is None or uno_python() is None:
        pytest.skip("LibreOffice with python3-uno is needed (scripts/setup.sh installs it)")
    from docgen.usecases.converter import converter_status, start_converter, stop_converter

    ctx = context(company)
    started = start_converter(ctx, 1)
    try:
        assert started.running, started.problems
        done = make_packets(ctx, company / "名簿.csv", cases=["A005"])
        silva = next(c for c in done.cases if c.row.case_id == "A005")
        assert silva.outcome is Outcome.MADE and silva.packet.warm
        assert len(PdfReader(str(silva.packet.bundle)).pages) == silva.packet.pages > 3
        assert done.converter is not None and done.converter.shared and done.converter.servers == 1
        assert converter_status(ctx).running  # the office's converter goes on running
    finally:
        stop_converter(ctx)
    assert not converter_status(ctx).running
