"""A company's roster in one run: screened (`docgen batch screen`: which employees can file for 永住, by which
route and from when — one screening workbook for the company and the office, from the decisions the assessment
computes), and the packets of the cases asked for made side by side (`docgen batch packets`).

The roster is read, each row screened and written as it comes (docgen/batch/parallel.py: on every core for a
long roster, a few rows in flight): no row's case or assessment is kept once its line is written, so memory
stays flat whatever the roster's length (bench/screening.py measures 500 rows). The packets are made by the
packet use case itself (`make_packet`: the same folders, the same guarantees), one per worker process at a
time, on one warm LibreOffice pool for the batch (docgen/batch/packets.py; bench/batch_packets.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.assessment.decision import DecisionStatus
from docgen.batch import BUCKET_WORDS, Bucket, ScreenedRow, ScreeningWorkbook, open_roster
from docgen.batch.packets import (
    BatchConverter,
    ConverterUse,
    PacketOrder,
    PacketOutcome,
    build_all,
    failed,
    stopped_reason,
)
from docgen.batch.parallel import cores, screen_all
from docgen.batch.report import BatchCase, Outcome, write_report
from docgen.batch.screen import QUESTIONNAIRE_SUFFIXES
from docgen.errors import DocgenError
from docgen.packet.safe_write import private_file
from docgen.pdf.converter import Converter
from docgen.text import NextStep, Step, Text
from docgen.usecases.context import RunContext, use_case
from docgen.usecases.converter import converter_folder
from docgen.wareki import seireki_date

if TYPE_CHECKING:  # the packet machinery loads when packets are made, not for a screening
    from docgen.usecases.packet import PacketMade

SUFFIX = "-screening.xlsx"
REPORT_SUFFIX = "-packets.xlsx"


@dataclass(frozen=True)
class Screening:
    """A screened roster: every row (what the workbook shows, without the assessments), the counts per group
    and the workbook written."""

    roster: Path
    workbook: Path
    rows: list[ScreenedRow]
    counts: dict[Bucket, int] = field(default_factory=dict)

    @property
    def problems(self) -> list[ScreenedRow]:
        return [r for r in self.rows if r.bucket is Bucket.PROBLEM]

    def count_words(self) -> list[tuple[Text, int]]:
        """Each group's words and count, in the summary's order."""
        return [(BUCKET_WORDS[b], self.counts.get(b, 0)) for b in Bucket]


def screening_path(ctx: RunContext, roster: Path) -> Path:
    """Where the workbook goes by default: '<roster's name>-screening.xlsx' in the office's output folder."""
    return ctx.settings.output_dir / f"{Path(roster).stem}{SUFFIX}"


def _xlsx(target: Path, what: Text) -> Path:
    if target.suffix.lower() != ".xlsx":
        raise DocgenError(
            Text(
                f"{target}: {what.ja}は Excel のファイルです。…xlsx の名前にしてください",
                f"{target}: the {what.en} is an Excel file; name it …xlsx",
            )
        )
    return target


@use_case
def screen_roster(ctx: RunContext, roster: Path, out: Path | None = None, workers: int | None = None) -> Screening:
    """Screen every employee of the roster on their planned date (the roster's, else the profile's) and write the
    owner-only screening workbook (`out`, else the office's output folder); a row that cannot be screened is
    a row with its problem, and the others go on. A long roster is screened on `workers` processes (default:
    the CPUs other work leaves free), in roster order."""
    roster = Path(roster)
    target = _xlsx(Path(out) if out is not None else screening_path(ctx, roster), Text("結果", "screening"))
    opened = open_roster(roster)
    rows: list[ScreenedRow] = []
    try:
        with private_file(target, inputs=[roster]) as part:  # checked before the first row is screened
            book = ScreeningWorkbook(roster, ctx.now.date())
            try:
                screened = screen_all(opened.entries(), ctx.settings, ctx.rules, ctx.now, ctx.lang, workers)
                with closing(screened):  # stopped early: the workers stop too
                    for row in screened:
                        book.add(row)
                        rows.append(row)
                book.save(part)
            except BaseException:
                book.discard()
                raise
    finally:
        opened.close()
    return Screening(roster, target, rows, {b: book.counts[b] for b in Bucket})


# ---------------------------------------------------------------------------------------------- packets


@dataclass(frozen=True)
class BatchProgress:
    """Where a packets run is: its stage in staff words, packets done of those to make, and the case just done."""

    stage: Text
    done: int = 0
    total: int = 0
    last: BatchCase | None = None


@dataclass(frozen=True)
class PacketBatch:
    """A packets run: the screening (its workbook written), every roster row's outcome in roster order, the
    batch report written, and how the PDFs were converted (None: Word files only, or nothing to make)."""

    screening: Screening
    cases: list[BatchCase]
    report: Path
    converter: ConverterUse | None = None

    def of(self, outcome: Outcome) -> list[BatchCase]:
        return [c for c in self.cases if c.outcome is outcome]

    @property
    def counts(self) -> Counter[Outcome]:
        return Counter(c.outcome for c in self.cases)


def report_path(ctx: RunContext, roster: Path) -> Path:
    """Where the batch report goes by default: '<roster's name>-packets.xlsx' in the office's output folder."""
    return ctx.settings.output_dir / f"{Path(roster).stem}{REPORT_SUFFIX}"


def _not_ready(row: ScreenedRow) -> Text:
    """Why a row is not among the default cases: the decision, and from when it could file."""
    word = BUCKET_WORDS[row.bucket]
    if row.earliest_date is not None:
        day = seireki_date(row.earliest_date)
        return Text(f"{word.ja}（{day}から）", f"{word.en} (from {row.earliest_date:%Y-%m-%d})")
    return word


def _cannot_build(row: ScreenedRow, seen: dict[Path, int], draft: bool) -> tuple[Text, tuple[NextStep, ...]] | None:
    """Why an asked row's packet is not even started (the row's problem, a blocked decision, …) and what can be
    done about it, or None."""
    if row.problems or row.profile is None:
        joined = "\n".join(row.problems)
        return Text(joined, joined), ()
    if row.profile.suffix.lower() in QUESTIONNAIRE_SUFFIXES:
        return (
            Text(
                f"{row.profile.name}: 質問票からは一式を作れません。"
                "質問票をプロフィールに取り込み、名簿のプロフィール欄をそのファイルにしてください",
                f"{row.profile.name}: a packet is made from a profile, not a questionnaire; import the questionnaire"
                " into a profile and name that file in the roster",
            ),
            (),
        )
    if row.planned_date != row.profile_date:
        return (
            Text(
                f"名簿の申請予定日がプロフィールの申請予定日と異なります（一式はプロフィールの日付で作られます）。"
                f"{row.profile.name} の申請予定日を名簿に合わせるか、名簿の申請予定日を空欄にしてください",
                f"the roster's planned date is not the profile's (a packet is made on the profile's date); set"
                f" {row.profile.name}'s planned date to the roster's, or leave the roster's date empty",
            ),
            (),
        )
    if row.decision is DecisionStatus.BLOCKED and not draft:  # the packet would refuse it: said as the row says
        why = _not_ready(row)
        return (
            Text(
                f"申請予定日には申請できないため、作成していません（{'、'.join(row.blockers) or why.ja}）。"
                "下書きとしてなら作れます",
                f"cannot file on the planned date ({why.en}), so nothing was built; it can be built as a draft",
            ),
            (NextStep(Step.DRAFT),),
        )
    same = seen.setdefault(row.profile.resolve(), row.row)
    if same != row.row:
        return (
            Text(
                f"名簿の行 {same} と同じプロフィールです（一式は行 {same} の分を作ります）",
                f"the same profile as roster row {same} (its packet is made for row {same})",
            ),
            (),
        )
    return None


def _orders(
    rows: list[ScreenedRow], cases: Collection[str] | None, draft: bool, pdf: bool
) -> tuple[list[PacketOrder], dict[int, BatchCase]]:
    """The packets to make, in roster order, and the rows settled without one (failed or not asked)."""
    if cases is not None:
        known = {r.case_id for r in rows}
        unknown = [c for c in dict.fromkeys(cases) if c not in known]
        if unknown:
            listed = ", ".join(unknown)
            raise DocgenError(
                Text(
                    f"名簿にない案件番号です: {listed}（名簿の案件番号の列で確かめてください）",
                    f"not in the roster: {listed} (check the roster's case id column)",
                )
            )
    orders: list[PacketOrder] = []
    settled: dict[int, BatchCase] = {}
    seen: dict[Path, int] = {}
    for row in rows:
        asked = row.case_id in cases if cases is not None else row.bucket in (Bucket.NOW, Bucket.PROBLEM)
        if not asked:
            settled[row.row] = BatchCase(row, reason=_not_ready(row), asked=False)
        elif (why := _cannot_build(row, seen, draft)) is not None:
            settled[row.row] = BatchCase(row, reason=why[0], steps=why[1])
        else:
            assert row.profile is not None
            orders.append(PacketOrder(row.row, row.case_id, row.profile, draft, pdf))
    return orders, settled


def _warnings(made: PacketMade) -> tuple[Text, ...]:
    """What staff should look at in a packet, as counts (the packet's missing.txt has the details)."""
    r = made.result
    out: list[Text] = []
    if r.decision is not None and r.decision.status is not DecisionStatus.READY:  # points to weigh, facts missing
        ja, en = r.decision.line_pair()
        out.append(Text(f"判断: {ja}", f"decision: {en}"))
    if r.draft:
        out.append(Text("下書きの印つき（提出用ではありません）", "stamped draft (not the filing copy)"))
    client = len([i for i in r.missing if i.rule.prepared_by == "client"])
    office = len([i for i in r.missing if i.rule.prepared_by == "office"])
    counts = (
        (client, "依頼者から未着の書類", "件", "item(s) still missing from the client"),
        (office, "事務所で用意する書類", "件", "item(s) for the office to prepare"),
        (sum(p.count for p in r.placeholders), "記入が必要な箇所（［ ］）", "箇所", "place(s) to write in (［ ］)"),
        (len(r.notes), "確認事項", "件", "note(s) to check"),
        (len(r.rejected), "除外したファイル", "件", "file(s) left out"),
        (len(r.unmatched), "どの書類にも当てはまらないファイル", "件", "file(s) matched to no item"),
        (len(r.kept_edits), "事務所で編集した書類（そのまま使用）", "件", "staff-edited document(s) kept"),
    )
    out += [Text(f"{ja}: {n}{unit}", f"{n} {en}") for n, ja, unit, en in counts if n]
    if out:
        out.append(Text(f"詳細: {r.report.name}", f"details: {r.report.name}"))
    return tuple(out)


def build_ordered_packet(ctx: RunContext, order: PacketOrder, converter: Converter) -> PacketOutcome:
    """One packet of a batch, made by the packet use case as `docgen packet` makes it (in a worker process);
    its failure becomes the outcome, in staff words."""
    from docgen.usecases.packet import make_packet

    try:
        made = make_packet(ctx, order.profile, draft=order.draft, pdf=order.pdf, converter=converter)
    except DocgenError as exc:
        return failed(order, exc.text, exc.steps)
    except Exception as exc:  # this case only: the others go on
        return failed(order, stopped_reason(exc))
    r = made.result
    return PacketOutcome(order, r.folder, r.bundle, r.report, r.pages, r.draft, _warnings(made))


@use_case
def make_packets(
    ctx: RunContext,
    roster: Path,
    *,
    cases: Collection[str] | None = None,
    draft: bool = False,
    pdf: bool = True,
    workbook: Path | None = None,
    report: Path | None = None,
    workers: int | None = None,
    progress: Callable[[BatchProgress], None] = lambda now: None,
) -> PacketBatch:
    """Screen the roster (its workbook written as `screen_roster` writes it), then make the packets of the cases
    asked for — `cases` by case id, else every row that can file on its planned date — each where
    `docgen packet` puts it, `workers` at a time (default: one per core) on one warm LibreOffice pool (the
    office's running converter, else one started for the batch and stopped at the end). A blocked case asked
    for is built as a draft only with `draft`; `pdf=False` makes the Word files only. A case that fails is
    named with its reason and the others go on; the owner-only batch report (`report`, else the office's
    output folder) lists every roster row's outcome."""
    roster = Path(roster)
    target = _xlsx(Path(report) if report is not None else report_path(ctx, roster), Text("一式の作成結果", "report"))
    sheet = Path(workbook) if workbook is not None else screening_path(ctx, roster)
    if sheet.resolve() == target.resolve():
        raise DocgenError(
            Text(
                f"{target}: 判定結果と一式の作成結果は別のファイルです。別の名前にしてください",
                f"{target}: the screening and the report are two files; give them different names",
            )
        )
    with private_file(target, inputs=[roster]) as part:  # checked before anything is screened or built
        progress(BatchProgress(Text("名簿の判定", "screening the roster")))
        screening = screen_roster(ctx, roster, sheet)
        orders, settled = _orders(screening.rows, cases, draft, pdf)
        rows = {r.row: r for r in screening.rows}
        making = Text("一式の作成", "making the packets")
        with BatchConverter(converter_folder(ctx.settings), cores(), ctx.settings.pdf_seconds_per_document) as pool:
            if pdf and orders:
                pool.start()
            progress(BatchProgress(making, 0, len(orders)))
            built = build_all(orders, ctx, build_ordered_packet, workers or cores(), pool if pool.running else None)
            with closing(built):  # stopped early: the workers stop too
                for done, outcome in enumerate(built, start=1):
                    case = settled[outcome.order.row] = BatchCase(rows[outcome.order.row], outcome)
                    progress(BatchProgress(making, done, len(orders), case))
        cases_in_order = [settled[r.row] for r in screening.rows]
        write_report(part, roster, ctx.now.date(), cases_in_order, pool.use)
    return PacketBatch(screening, cases_in_order, target, pool.use)
