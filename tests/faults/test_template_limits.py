"""An office template is untrusted code (issues 10.5 and 16).

A template someone sends the office, or a careless edit, asks for gigabytes: `{{ ''|center(10**9) }}` reached
5–6 GB before a time limit stopped it, and `templates check` called it OK. Now `templates check` flags every
width, count and length above the limits, the sandbox refuses them when the document is made, and whatever gets
past both (text piled up in a loop) is stopped by the memory limit of the worker process the template runs in —
with a Japanese message naming the template, within seconds, the office's own process untouched and no process
left behind. The limits hold in any thread (a web server is coming): no alarm signal, no main-thread rule.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import jinja2.lexer
import pytest
from docx import Document

from docgen.documents import render
from docgen.documents.render import RENDER_MEMORY, RENDER_SECONDS, TemplateRenderError, render_docx
from docgen.documents.template_check import check_template
from tests.conftest import EXAMPLES, ROOT
from tests.test_template_check import context, only, paragraph_texts, with_paragraphs  # noqa: F401  (fixture)
from tests.test_worker import children, peak_rss

JA = {"DOCGEN_LANG": "ja"}
MiB = 1 << 20

# (the tag staff find in the 理由書, what `templates check` says, what the packet says when it stops)
PAYLOADS = {
    "center": (
        "{{ applicant.family_name|center(10**9) }}",
        "「applicant.family_name|center」の幅が 1,000,000,000 です。上限は 1,000 で、このままでは書類を作成できません",
        "|center の幅 1,000,000,000 は大きすぎます（上限 1,000）",
    ),
    "indent": (
        "{{ applicant.address|indent(10**9) }}",
        "「applicant.address|indent」の幅が 1,000,000,000 です",
        "|indent の幅 1,000,000,000 は大きすぎます",
    ),
    "wordwrap": (
        "{{ applicant.reason|wordwrap(10, true, '＊' * 5000) }}",
        "「applicant.reason|wordwrap」の改行に使う文字の長さが 5,000 です。上限は 1,000",
        "|wordwrap の改行に使う文字の長さ 5,000 は大きすぎます",
    ),
    "batch": (
        "{% for row in family|batch(10**9, '') %}{{ row|length }}{% endfor %}",
        "「family|batch」の1組の数が 1,000,000,000 です",
        "|batch の1組の数 1,000,000,000 は大きすぎます",
    ),
    "slice": (
        "{{ family|slice(10**9)|list|length }}",
        "「family|slice」の分ける数が 1,000,000,000 です",
        "|slice の分ける数 1,000,000,000 は大きすぎます",
    ),
    "truncate": (
        "{{ applicant.reason|truncate(10**9) }}",
        "「applicant.reason|truncate」の長さが 1,000,000,000 です。上限は 1,000,000",
        "|truncate の長さ 1,000,000,000 は大きすぎます",
    ),
    "percent": (
        "{{ '%999999999s' % applicant.family_name }}",
        "「'%999999999s' % ..」の'%' の書式の幅が 999,999,999 です",
        "'%' の書式の幅 999,999,999 は使えません",
    ),
    "format": (
        "{{ '%999999999s'|format(applicant.family_name) }}",
        "「'%999999999s'|format」の'%' の書式の幅が 999,999,999 です",
        "フィルター '|format' は使えません",
    ),
    "repeat": (
        "{{ '＊' * 3000000000 }}",
        "「'＊' * 3000000000」の繰り返した長さが 3,000,000,000 です。上限は 1,000,000",
        "* の結果が 3,000,000,000 文字になります（上限 1,000,000）",
    ),
    "range": (
        "{{ range(10**9)|join('、') }}",
        "「range(..)」の数の個数が 1,000,000,000 です。上限は 1,000",
        "range() で 1,000,000,000 個の数は作れません",
    ),
    "join": (
        "{{ range(1000)|join('、' * 1000000) }}",
        "「range(..)|join」の区切りの長さが 1,000,000 です。上限は 1,000",
        "|join の区切りの長さ 1,000,000 は大きすぎます",
    ),
    "ljust": (
        "{{ applicant.family_name.ljust(10**9) }}",
        "「applicant.family_name.ljust()」の幅が 1,000,000,000 です",
        ".ljust の幅 1,000,000,000 は大きすぎます",
    ),
    "power": (
        "{{ 10 ** 100000000 }}",
        "「10 ** 100000000」の指数が 100,000,000 です。上限は 64",
        "64 を超える累乗（**）は使えません",
    ),
}
# Text piled up in a loop: every step is within the limits, so neither `templates check` nor the sandbox can see
# it coming; 1,000 texts of 2 million characters ask for about 2 GB.
PILE = (
    "{% set pile = [] %}{% for i in range(1000) %}"
    "{% set _ = pile.append(('あ' * 1000000) ~ ('い' * 1000000) ~ i) %}{% endfor %}{{ pile|length }}"
)


def letter_with(path: Path, tag: str) -> Path:
    """The built-in 理由書 with `tag` added in a paragraph of its own, as someone typed it in Word."""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = Document(str(ROOT / "templates" / "reason_letter.docx"))
    doc.add_paragraph(f"追記 {tag}")
    doc.save(str(path))
    return path


def office_with(tmp_path: Path, tag: str) -> Path:
    """An office's working folder: docgen.toml naming office/templates, whose 理由書 has `tag`, and a client's
    profile. Returns the template."""
    (tmp_path / "docgen.toml").parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "docgen.toml").write_text('[paths]\ntemplates = "office/templates"\n', encoding="utf-8")
    shutil.copyfile(EXAMPLES / "gijinkoku-single.yaml", tmp_path / "case.yaml")
    return letter_with(tmp_path / "office" / "templates" / "reason_letter.docx", tag)


def by_file(output: str) -> dict[str, list[str]]:
    """The lines `templates check` prints under each template's name."""
    blocks: dict[str, list[str]] = {}
    current: list[str] = []
    for line in output.splitlines():
        if line.endswith(".docx:") and not line.startswith(" "):
            current = blocks.setdefault(line.removesuffix(":"), [])
        else:
            current.append(line)
    return blocks


def docgen_measured(*args: str, cwd: Path) -> tuple[int, str, int]:
    """Run docgen in Japanese: its exit code, its output (stdout and stderr), and the peak memory (bytes) of
    docgen and every process it waited for — its template workers."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "docgen", *args],
        cwd=cwd,
        env={**os.environ, **JA},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, output, usage.ru_maxrss * 1024


def left_running(folder: Path) -> list[str]:
    """Processes still running whose command line names `folder` (a worker forked by docgen carries its argv)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(folder) in text:
            found.append(f"{cmdline.parent.name}: {text}")
    return found


# --- what staff see: the check, then the packet ----------------------------------------------------------------


def test_templates_check_flags_every_payload_naming_the_place(tmp_path):
    """Templates sent to the office, one payload each, checked before anyone uses them."""
    for key, (tag, _, _) in PAYLOADS.items():
        letter_with(tmp_path / "received" / f"{key}.docx", tag)
    check = subprocess.run(
        [sys.executable, "-m", "docgen", "templates", "check", "received"],
        cwd=tmp_path,
        env={**os.environ, **JA},
        capture_output=True,
        text=True,
    )
    assert check.returncode == 1, check.stdout
    blocks = by_file(check.stdout)
    for key, (tag, finding, _) in PAYLOADS.items():
        lines = blocks[f"{key}.docx"]
        flagged = [line for line in lines if "ERROR [unbounded] (本文, word/document.xml)" in line]
        assert len(flagged) == 1 and finding in flagged[0], (key, lines)
        assert f"「追記 {tag}」" in "\n".join(lines)  # the paragraph, as staff find it in Word
    assert f"テンプレート {len(PAYLOADS)}件: エラー" in check.stdout


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_the_packet_stops_on_each_payload_in_japanese_at_once_and_small(tmp_path, payload):
    tag, _, stop = payload
    office_with(tmp_path, tag)
    started = time.monotonic()
    code, output, peak = docgen_measured("packet", "case.yaml", "--no-pdf", "--out", str(tmp_path / "p"), cwd=tmp_path)
    assert code != 0 and "Traceback" not in output
    assert f"テンプレート reason_letter.docx: 大きすぎる指定があります（{stop}" in output or (
        f"テンプレート reason_letter.docx: {stop}" in output
    ), output
    assert time.monotonic() - started < RENDER_SECONDS  # refused at once, not stopped by the clock
    assert peak < 512 * MiB, f"docgen and its worker took {peak / MiB:.0f} MiB"
    assert left_running(tmp_path) == []


def test_text_piled_up_in_a_loop_is_stopped_by_the_memory_limit_within_seconds(tmp_path):
    office_with(tmp_path / "plain", "{{ applicant.family_name }}")
    code, output, plain_peak = docgen_measured("packet", "case.yaml", "--no-pdf", "--out", "p", cwd=tmp_path / "plain")
    assert code == 0, output

    template = office_with(tmp_path / "pile", PILE)
    assert not [f for f in check_template(template) if f.severity == "error"]  # the check cannot see this one
    started = time.monotonic()
    code, output, peak = docgen_measured(
        "packet", "case.yaml", "--no-pdf", "--out", str(tmp_path / "pile" / "p"), cwd=tmp_path / "pile"
    )
    assert code != 0 and "Traceback" not in output
    assert "テンプレート reason_letter.docx: 必要なメモリが多すぎるため止めました（上限 1 GiB）" in output, output
    assert "docgen templates check で確認してください" in output
    assert time.monotonic() - started < RENDER_SECONDS  # the memory limit stopped it, not the clock
    # The limit is on address space the worker adds to docgen's; some that docgen had reserved may become resident.
    slack = 128 * MiB
    assert peak < plain_peak + RENDER_MEMORY + slack, f"{peak / MiB:.0f} MiB, a plain packet {plain_peak / MiB:.0f} MiB"
    assert left_running(tmp_path) == []


@pytest.mark.parametrize("group", [False, True], ids=["docgen", "its process group"])
def test_a_packet_terminated_while_a_template_is_filled_leaves_no_worker(tmp_path, group):
    """`kill` (or `timeout`) while a slow template is being filled: docgen stops its worker and exits."""
    # about five seconds of filling here (the worker freezes docgen's objects, so no collection slows it down)
    loops = "{% for a in range(6) %}{% for b in range(1000) %}{% for c in range(1000) %}"
    office_with(tmp_path, loops + "{{ c }}{% endfor %}{% endfor %}{% endfor %}")
    proc = subprocess.Popen(
        [sys.executable, "-m", "docgen", "packet", "case.yaml", "--no-pdf", "--out", str(tmp_path / "p")],
        cwd=tmp_path,
        env={**os.environ, **JA},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while len(left_running(tmp_path)) < 2 and time.monotonic() < deadline:  # docgen and its worker
            time.sleep(0.05)
        time.sleep(1)  # the other documents take a few hundredths of a second each: this is the slow one
        assert len(left_running(tmp_path)) == 2, left_running(tmp_path)
        if group:
            os.killpg(proc.pid, signal.SIGTERM)
        else:
            proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=10)
    finally:  # whatever failed above, nothing of this run is left for the tests after it
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode != 0 and "Traceback" not in stderr
    assert left_running(tmp_path) == []


# --- the limits in the library, from any thread -----------------------------------------------------------------


def test_a_hostile_template_in_one_thread_does_not_disturb_a_packet_rendering_in_another(tmp_path, context):  # noqa: F811
    hostile = office_with(tmp_path, PILE)
    letter = ROOT / "templates" / "reason_letter.docx"
    before = peak_rss()
    stopped: list[BaseException] = []
    made: list[Path] = []

    def attack() -> None:
        try:
            render_docx(hostile, context, tmp_path / "hostile.docx")
        except TemplateRenderError as exc:
            stopped.append(exc)

    def work() -> None:
        for n in range(8):
            made.append(render_docx(letter, context, tmp_path / f"letter-{n}.docx"))

    threads = [threading.Thread(target=attack), threading.Thread(target=work)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert len(stopped) == 1 and "needs too much memory (limit 1 GiB)" in str(stopped[0])
    assert not (tmp_path / "hostile.docx").exists()
    assert len(made) == 8
    for path in made:
        assert context.applicant.display_name in "".join(paragraph_texts(path)["word/document.xml"])
    assert peak_rss() - before < 200 * MiB  # the gigabyte was asked for in the worker only
    assert children() == set()


def test_a_render_forked_while_another_thread_holds_jinjas_cache_lock_still_finishes(tmp_path, context, monkeypatch):  # noqa: F811
    """The worker is a fork: a lock another thread holds at that moment (a `templates check` reading Jinja's
    shared lexer cache) stays held in the child for good. The worker starts with its own."""
    monkeypatch.setattr(render, "RENDER_SECONDS", 5)
    held = jinja2.lexer._lexer_cache._wlock  # type: ignore[attr-defined]
    with held:
        out = render_docx(ROOT / "templates" / "reason_letter.docx", context, tmp_path / "letter.docx")
    assert context.applicant.display_name in "".join(paragraph_texts(out)["word/document.xml"])


def test_a_template_that_runs_too_long_is_stopped_in_any_thread(tmp_path, context, monkeypatch):  # noqa: F811
    monkeypatch.setattr(render, "RENDER_SECONDS", 1)
    loops = "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
    path = with_paragraphs(tmp_path, loops + "{% endfor %}{% endfor %}{% endfor %}")
    errors: list[BaseException] = []

    def run() -> None:
        try:
            render_docx(path, context, tmp_path / "out.docx")
        except TemplateRenderError as exc:
            errors.append(exc)

    started = time.monotonic()
    thread = threading.Thread(target=run)  # the old alarm signal worked in the main thread only
    thread.start()
    thread.join(timeout=30)
    assert len(errors) == 1 and "template 申請書.docx: stopped after 1 s" in str(errors[0])
    assert time.monotonic() - started < 5
    assert children() == set()


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("{{ applicant|attr('__class__') }}", "unsafe_filter"),
        ("{{ '{0.__class__}'|format(applicant) }}", "unsafe_filter"),
        ("{{ '{0.__class__}'.format(applicant) }}", "unsafe_attribute"),
    ],
)
def test_check_refuses_ways_around_the_variable_list(tmp_path, context, tag, code):  # noqa: F811
    path = with_paragraphs(tmp_path, f"危険 {tag}")
    assert only(check_template(path), code).severity == "error"
    with pytest.raises(TemplateRenderError):
        render_docx(path, context, tmp_path / "out.docx")


@pytest.mark.parametrize(
    "tag",
    [
        "{% for i in range(10**9) %}x{% endfor %}",
        "{{ 'x' * 3000000000 }}",
        "{{ [1, 2] * 3000000000 }}",
        "{{ 10 ** 100000000 }}",
        "{{ ''|center(10**9) }}",
        "{{ ''.zfill(10**9) }}",
        "{{ ('x' * 1000000)|replace('x', 'yy') }}",
        "{{ ('\\t' * 1000000).expandtabs(1000) }}",
        "{{ '{:>999999999}'.format('x') }}",
    ],
)
def test_a_template_cannot_build_something_huge(tmp_path, context, tag):  # noqa: F811
    path = with_paragraphs(tmp_path, f"大きい {tag}")
    started = time.monotonic()
    with pytest.raises(TemplateRenderError, match="not allowed in templates"):
        render_docx(path, context, tmp_path / "out.docx")
    assert time.monotonic() - started < 10
    assert not (tmp_path / "out.docx").exists()
