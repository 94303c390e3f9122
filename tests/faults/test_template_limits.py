"""Templates are sandboxed for resources too (issue 10.5): an office template cannot loop a billion times,
build gigabytes of text or run forever, and `templates check` refuses |attr, |format and .format."""

from __future__ import annotations

import time

import pytest

from docgen.documents import render
from docgen.documents.render import TemplateRenderError, render_docx
from docgen.documents.template_check import check_template
from tests.test_template_check import context, only, with_paragraphs  # noqa: F401  (context is a fixture)


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
    ],
)
def test_a_template_cannot_build_something_huge(tmp_path, context, tag):  # noqa: F811
    path = with_paragraphs(tmp_path, f"大きい {tag}")
    started = time.monotonic()
    with pytest.raises(TemplateRenderError, match="not allowed in templates"):
        render_docx(path, context, tmp_path / "out.docx")
    assert time.monotonic() - started < 10
    assert not (tmp_path / "out.docx").exists()


def test_a_template_that_runs_too_long_is_stopped(tmp_path, context, monkeypatch):  # noqa: F811
    monkeypatch.setattr(render, "RENDER_SECONDS", 1)
    loops = "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}{% endfor %}" * 1
    path = with_paragraphs(tmp_path, loops + "{% endfor %}{% endfor %}")
    started = time.monotonic()
    with pytest.raises(TemplateRenderError, match="stopped after 1 s"):
        render_docx(path, context, tmp_path / "out.docx")
    assert time.monotonic() - started < 5
