"""パケット作成 in the browser uses the office's warm LibreOffice converter when one is running (`docgen converter
start`), as `docgen packet` does, and says so in the result."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from docgen.pdf.office_server import uno_python
from docgen.usecases.converter import converter_status, start_converter, stop_converter
from tests.conftest import needs_libreoffice
from tests.test_web_auth import FAMILY, log_in, make_office
from tests.test_web_jobs import start_build, wait_until_ended

pytestmark = [
    needs_libreoffice(),
    pytest.mark.skipif(uno_python() is None, reason="python3-uno is not installed (scripts/setup.sh installs it)"),
]


def test_a_build_converts_on_the_running_warm_converter(tmp_path: Path):
    office = make_office(tmp_path / "office")
    started = start_converter(office.ctx, 1)
    try:
        assert started.running, started.problems
        with office.app_client() as client:
            log_in(client)
            job_page = start_build(client, word_only=False).headers["location"]
            done = wait_until_ended(client, job_page, 600)
            client.app.state.packet_jobs.stop()  # type: ignore[attr-defined]
        assert done["state"] == "done", done.get("message")
        assert done["summary"]["warm"] is True and done["summary"]["bundle"] is True
        assert "常駐 LibreOffice" in done["html"]
        bundle = office.cases / FAMILY / f"{FAMILY}-packet" / f"{FAMILY}-packet.pdf"
        assert len(PdfReader(str(bundle)).pages) == done["summary"]["pages"] > 3
    finally:
        stop_converter(office.ctx)
    assert not converter_status(office.ctx).running
