"""Screen a company's roster (`docgen batch screen`): which employees can file for 永住, by which route and from
when — one screening workbook for the company and the office, from the decisions the assessment computes.

The roster is read, each row screened and written as it comes (docgen/batch/parallel.py: on every core for a
long roster, a few rows in flight): no row's case or assessment is kept once its line is written, so memory
stays flat whatever the roster's length (bench/screening.py measures 500 rows).
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from docgen.batch import BUCKET_WORDS, Bucket, ScreenedRow, ScreeningWorkbook, open_roster
from docgen.batch.parallel import screen_all
from docgen.errors import DocgenError
from docgen.packet.safe_write import private_file
from docgen.text import Text
from docgen.usecases.context import RunContext, use_case

SUFFIX = "-screening.xlsx"


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


@use_case
def screen_roster(ctx: RunContext, roster: Path, out: Path | None = None, workers: int | None = None) -> Screening:
    """Screen every employee of the roster on their planned date (the roster's, else the profile's) and write the
    owner-only screening workbook (`out`, else the office's output folder); a row that cannot be screened is
    a row with its problem, and the others go on. A long roster is screened on `workers` processes (default:
    the CPUs other work leaves free), in roster order."""
    roster = Path(roster)
    target = Path(out) if out is not None else screening_path(ctx, roster)
    if target.suffix.lower() != ".xlsx":
        raise DocgenError(
            Text(
                f"{target}: 結果は Excel のファイルです。…xlsx の名前にしてください",
                f"{target}: the screening is an Excel file; name it …xlsx",
            )
        )
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
