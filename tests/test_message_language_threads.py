"""Two staff members, one process (issue 19): the web app will serve a Japanese and an English speaker at once.
Each request chooses its language (`messages_in`), and the library's messages follow the request, not the
environment: two packet builds in two threads, each with an office's hostile 理由書, are each stopped by the
template's memory limit in the worker, and each is told so in its own language."""

from __future__ import annotations

import threading
from pathlib import Path

from docgen.case import Settings
from docgen.errors import DocgenError
from docgen.messages import messages_in, say
from docgen.packet.build import build_packet
from tests.conftest import EXAMPLES, case_of
from tests.faults.test_template_limits import PILE, letter_with


def test_each_thread_speaks_its_own_language_while_the_other_speaks_another() -> None:
    both_inside = threading.Barrier(2)
    heard: dict[str, str] = {}

    def staff(lang: str) -> None:
        with messages_in(lang):
            both_inside.wait(timeout=10)  # both choices are live at once
            heard[lang] = say("日本語", "English")

    threads = [threading.Thread(target=staff, args=(lang,)) for lang in ("ja", "en")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert heard == {"ja": "日本語", "en": "English"}
    assert say("日本語", "English") == "English"  # the tests' process default (DOCGEN_LANG=en) is untouched


def test_two_packets_in_two_languages_are_each_stopped_by_the_template_limit_in_their_own_words(tmp_path: Path):
    office = tmp_path / "office"
    letter_with(office / "reason_letter.docx", PILE)  # every step within the sandbox's limits: only memory stops it
    settings = Settings(template_dir=office, output_dir=tmp_path)
    both_inside = threading.Barrier(2)
    stopped: dict[str, str] = {}

    def build(lang: str) -> None:
        with messages_in(lang):
            case = case_of(EXAMPLES / "gijinkoku-single.yaml", settings)
            both_inside.wait(timeout=30)
            try:
                build_packet(case, out=tmp_path / f"packet-{lang}", pdf=False)
            except DocgenError as exc:
                stopped[lang] = str(exc)

    threads = [threading.Thread(target=build, args=(lang,)) for lang in ("ja", "en")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert "必要なメモリが多すぎるため止めました（上限 1 GiB）" in stopped["ja"], stopped
    assert "needs too much memory (limit 1 GiB)" in stopped["en"], stopped
    assert "memory" not in stopped["ja"] and "メモリ" not in stopped["en"]


def test_a_use_case_speaks_the_language_of_its_run_context_and_its_errors_follow_the_reader(tmp_path: Path) -> None:
    """Two run contexts, one Japanese and one English, ask for the checklist of a category that does not exist at
    the same time: each is answered in its own language; an error made of a Text pair is rendered by whoever
    reads it."""
    from datetime import datetime

    from docgen.text import Text
    from docgen.usecases.checklist import checklist_for
    from docgen.usecases.context import RunContext

    now = datetime(2026, 12, 1).astimezone()
    both = threading.Barrier(2)
    heard: dict[str, str] = {}

    def staff(lang: str) -> None:
        ctx = RunContext.load(now=now, near=tmp_path, lang=lang)
        both.wait(timeout=10)
        try:
            checklist_for(ctx, "存在しない類型")
        except DocgenError as exc:
            heard[lang] = str(exc)

    threads = [threading.Thread(target=staff, args=(lang,)) for lang in ("ja", "en")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert heard["ja"].startswith("類型: この類型はありません") and heard["en"].startswith("category: unknown category")

    error = DocgenError(Text("提出用にできません", "not ready to file"))
    with messages_in("ja"):
        assert str(error) == "提出用にできません"
    with messages_in("en"):
        assert str(error) == "not ready to file"
