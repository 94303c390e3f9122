"""The fast YAML read (the C parser, the YAML version asked once per file) gives every file the values ruamel's
own C reader gives: the examples, the rule files, and a file of every kind of value YAML guesses a type for."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from docgen.resources import CHECKLISTS
from docgen.yamlfile import load_plain_fast
from tests.conftest import EXAMPLES, ROOT

EVERY_KIND = """\
yes_is_text: yes
octal: 0o17
leading_zero: 017
underscores: 1_000
infinite: .inf
tilde: ~
null_word: null
empty:
day: 2020-03-24
moment: 2020-03-24T10:00:00Z
hexadecimal: 0x1F
exponent: 1e3
true_word: True
quoted: '2020-03-24'
flow: [1, 2.5, -3, {a: b}]
tagged: !!str 12
70: key as a number
"""


def ruamel_reads(path: Path) -> object:
    return YAML(typ="safe", pure=False).load(path.read_text(encoding="utf-8-sig"))


@pytest.mark.parametrize(
    "path",
    [*sorted(EXAMPLES.glob("*.yaml")), *sorted(CHECKLISTS.rglob("*.yaml")), *sorted((ROOT / "docgen").rglob("*.yaml"))],
    ids=lambda p: p.name,
)
def test_every_shipped_file_reads_as_ruamel_reads_it(path: Path):
    assert load_plain_fast(path) == ruamel_reads(path)


def test_every_kind_of_value_reads_as_ruamel_reads_it(tmp_path: Path):
    path = tmp_path / "kinds.yaml"
    path.write_text(EVERY_KIND, encoding="utf-8")
    data = load_plain_fast(path)
    assert data == ruamel_reads(path)
    assert data["yes_is_text"] == "yes" and data["octal"] == 15 and data["tilde"] is None  # YAML 1.2, as before
