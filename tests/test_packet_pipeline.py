"""`build_packet` reads as the pipeline: a short function calling named steps, each returning what the next one
needs; no step fills in an argument for its caller, and the result is built once and cannot change afterwards."""

from __future__ import annotations

import ast
import dataclasses
import json
from pathlib import Path

import pytest

import docgen.packet
from docgen.case import Settings
from docgen.errors import DocgenError
from docgen.packet.build import build_packet
from tests.conftest import EXAMPLES, case_of

PACKET = Path(docgen.packet.__file__).parent
PIPELINE = ["build.py", "prepare.py", "assemble.py", "notes.py", "record.py", "commit.py"]
MUTATORS = {"append", "extend", "update", "insert", "setdefault", "pop", "remove", "clear"}


def _function(module: str, name: str) -> ast.FunctionDef:
    tree = ast.parse((PACKET / module).read_text(encoding="utf-8"))
    return next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == name)


def _root(node: ast.expr) -> str | None:
    """The name an attribute or item chain starts from: `a` for `a.b[c].d`."""
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _targets(node: ast.AST) -> list[ast.expr]:
    """What an assignment writes to, with `a.x, b[k] = …` taken apart."""
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AugAssign | ast.AnnAssign):
        targets = [node.target]
    else:
        return []
    return [e for t in targets for e in (t.elts if isinstance(t, ast.Tuple | ast.List) else [t])]


def _mutations_of_parameters(function: ast.FunctionDef) -> list[str]:
    """Where `function` writes into one of its parameters: an attribute or item assigned, or a list or dict
    method that changes it in place."""
    params = {a.arg for a in function.args.args + function.args.kwonlyargs}
    found = []
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in MUTATORS
            and _root(node.func.value) in params
        ):
            found.append(f"{function.name}:{node.lineno}: {ast.unparse(node)}")
        for target in _targets(node):
            if isinstance(target, ast.Attribute | ast.Subscript) and _root(target) in params:
                found.append(f"{function.name}:{node.lineno}: {ast.unparse(target)} assigned")
    return found


def test_build_packet_is_a_short_list_of_named_steps():
    function = _function("build.py", "build_packet")
    body = function.body[1:]  # after the docstring
    lines = body[-1].end_lineno - body[0].lineno + 1  # type: ignore[operator]
    assert lines <= 20, f"build_packet's body is {lines} lines"
    called = {n.func.id for n in ast.walk(function) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    steps = ["assess", "stage", "collect", "gate_final", "assemble", "packet_notes", "stage_record", "commit"]
    assert set(steps) <= called, set(steps) - called
    assigned = [t for n in ast.walk(function) if isinstance(n, ast.Assign | ast.AugAssign) for t in ast.walk(n)]
    assert not [t for t in assigned if isinstance(t, ast.Attribute | ast.Subscript) and isinstance(t.ctx, ast.Store)]


def test_no_step_of_the_pipeline_writes_into_its_arguments_or_into_an_object_after_making_it():
    found = []
    for module in PIPELINE:
        tree = ast.parse((PACKET / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                found += [f"{module}: {hit}" for hit in _mutations_of_parameters(node)]
            # no field filled in later, on any object
            found += [
                f"{module}:{node.lineno}: {ast.unparse(t)}" for t in _targets(node) if isinstance(t, ast.Attribute)
            ]
    assert found == []


def test_a_word_only_packet_is_one_record_the_result_and_the_manifest_agree_on(tmp_path):
    result = build_packet(
        case_of(EXAMPLES / "teijusha.yaml", Settings(output_dir=tmp_path)), out=tmp_path / "p", pdf=False
    )
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    assert manifest["libreoffice"] == "not used (Word files only)"  # no command-line flag in the record
    assert sorted(d["docx"] for d in manifest["documents"] if d["docx"].startswith("docx/")) == sorted(
        f"docx/{p.name}" for p in result.documents
    )
    missing = [m["item"] for m in manifest["missing"]["client"] + manifest["missing"]["office"]]
    assert sorted(missing) == sorted(i.id for i in result.missing) and missing
    assert manifest["missing"]["placeholders"] == sum(p.count for p in result.placeholders)
    assert result.report.read_text(encoding="utf-8").count("  □ ") == len(result.missing)
    assert all(p.is_file() for p in result.documents + result.client_documents)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.notes = []  # type: ignore[misc]


def test_an_evidence_path_that_is_not_a_folder_is_named_in_words_not_by_a_flag(tmp_path):
    scan = tmp_path / "passport.pdf"
    scan.write_bytes(b"%PDF-1.4\n")
    case = case_of(EXAMPLES / "teijusha.yaml", Settings(output_dir=tmp_path))
    with pytest.raises(DocgenError) as info:
        build_packet(case, out=tmp_path / "p", evidence=scan, pdf=False)
    assert str(info.value) == f"the evidence folder {scan} is not a folder"
    assert info.value.text.ja == f"資料フォルダー {scan} はフォルダーではありません"
    assert not (tmp_path / "p").exists()  # refused before anything was made
