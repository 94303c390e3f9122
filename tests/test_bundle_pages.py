"""The page numbers printed in the 提出書類一覧表: each item's documents start right after the index and
after the item before, so staff and the ISA counter can find every document by the page range shown."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen.pdf.bundle import format_range, page_ranges


def test_after_a_one_page_index_the_first_item_starts_on_page_2():
    # 申請書 (4 pages), 写真 (1), 理由書 (2)
    assert page_ranges(1, [4, 1, 2]) == [(2, 5), (6, 6), (7, 8)]


def test_a_two_page_index_pushes_every_item_back_by_one_page():
    assert page_ranges(2, [4, 1, 2]) == [(3, 6), (7, 7), (8, 9)]


def test_an_item_without_documents_has_no_range_and_takes_no_page():
    # 住民税の納付資料 not brought yet (0 pages) between two items that were
    ranges = page_ranges(1, [3, 0, 2])
    assert ranges == [(2, 4), None, (5, 6)]
    assert [format_range(r) for r in ranges] == ["2-4", "—", "5-6"]


def test_empty_items_at_the_start_and_the_end():
    assert page_ranges(1, [0, 2, 0]) == [None, (2, 3), None]
    assert page_ranges(3, []) == []


def test_a_one_page_item_is_shown_as_a_single_page_number():
    assert format_range((7, 7)) == "7"
    assert format_range((7, 8)) == "7-8"
    assert format_range(None) == "—"
    assert [format_range(r) for r in page_ranges(1, [1, 1, 1])] == ["2", "3", "4"]


def test_impossible_page_counts_are_refused():
    with pytest.raises(ValueError):
        page_ranges(0, [1])
    with pytest.raises(ValueError):
        page_ranges(1, [2, -1])


@given(
    index_pages=st.integers(min_value=1, max_value=20),
    sections=st.lists(st.integers(min_value=0, max_value=40), max_size=40),
)
def test_ranges_are_contiguous_follow_the_index_and_end_on_the_last_page(index_pages, sections):
    ranges = page_ranges(index_pages, sections)
    assert len(ranges) == len(sections)
    # an item has a range exactly when it has pages, and the range is as long as the item
    for pages, r in zip(sections, ranges, strict=True):
        if pages == 0:
            assert r is None and format_range(r) == "—"
        else:
            assert r is not None and r[1] - r[0] + 1 == pages
            assert format_range(r) == (str(r[0]) if pages == 1 else f"{r[0]}-{r[1]}")
    present = [r for r in ranges if r is not None]
    if not present:
        return
    # the first document starts on the page after the index
    assert present[0][0] == index_pages + 1
    # no gap and no overlap between consecutive items
    for before, after in pairwise(present):
        assert after[0] == before[1] + 1
    # the last document ends on the bundle's last page
    assert present[-1][1] == index_pages + sum(sections)
