"""Preview in the browser: before any packet is built, staff open the case's preview and see the 理由書 as the
current profile fills it, as page images (converted by LibreOffice once for this module). Nothing of the client's
is left on the server: the pages are made in a private temporary folder removed before the page is sent. The
preview is audited; a document the case does not make, or a case outside the cases folder, is not found."""

from __future__ import annotations

import base64
import io
import re
import tempfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from docgen.usecases.audit import audit_log
from tests.conftest import needs_libreoffice
from tests.test_web_auth import FAMILY, STAFF, STAFF_PASSWORD, Office, log_in, make_office

pytestmark = needs_libreoffice()


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Office:
    return make_office(tmp_path_factory.mktemp("preview") / "office")  # no packet built


@pytest.fixture(scope="module")
def client(office: Office):
    with office.app_client() as c:
        log_in(c, STAFF, STAFF_PASSWORD)
        yield c


@pytest.fixture(scope="module")
def shown(client: TestClient, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The 理由書's preview page (the one LibreOffice run), and the temporary folder the server used meanwhile."""
    temporary = tmp_path_factory.mktemp("server-tmp")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tempfile, "tempdir", str(temporary))
        page = client.get(f"/cases/{FAMILY}/preview/reason_letter")
    assert page.status_code == 200, page.text
    return page.text, temporary


def test_the_case_offers_each_document_to_preview_before_any_packet(client: TestClient):
    case_page = client.get(f"/cases/{FAMILY}").text
    assert f"/cases/{FAMILY}/preview" in case_page and f"/cases/{FAMILY}/documents" not in case_page  # no packet yet
    listed = client.get(f"/cases/{FAMILY}/preview").text
    titles = re.findall(r'<li><a href="[^"]*/preview/([a-z_]+)">([^<]+)</a></li>', listed)
    assert ("reason_letter", "理由書") in titles and ("application_form", "永住許可申請書") in titles
    assert len({template for template, _ in titles}) == len(titles)  # each document once, not once per person


def test_the_reason_letter_is_shown_as_page_images(shown: tuple[str, Path]):
    from PIL import Image

    html, _ = shown
    pages = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="理由書 (\d+)">', html)
    assert pages and [int(n) for _, n in pages] == list(range(1, len(pages) + 1))
    assert f"{len(pages)} pages" in html
    for data, _ in pages:
        image = Image.open(io.BytesIO(base64.b64decode(data)))
        assert image.format == "PNG"
        width, height = image.size
        assert 1.3 < height / width < 1.5  # an A4 page, upright
        assert image.convert("L").getextrema()[0] < 100  # something is printed on it


def test_nothing_is_left_on_the_server_and_the_preview_is_audited(shown: tuple[str, Path], office: Office):
    _, temporary = shown
    assert list(temporary.iterdir()) == []  # the preview's private temporary folder is gone
    assert not list(office.root.rglob("*preview*.png")) and not list(office.root.rglob("*preview*.pdf"))
    actions = [(e.user, e.action, e.document) for e in audit_log(office.ctx, case_id=FAMILY)]
    assert (STAFF, "preview", "reason_letter") in actions


def test_a_document_the_case_does_not_make_is_not_found(client: TestClient):
    for path in (
        f"/cases/{FAMILY}/preview/hsp_points",  # not a points case
        f"/cases/{FAMILY}/preview/no_such_template",
        f"/cases/{FAMILY}/preview/..%2F..%2Fdocgen",
        "/cases/2026-999-none/preview",
        "/cases/2026-999-none/preview/reason_letter",
    ):
        assert client.get(path).status_code == 404, path
