"""The CLI's error path for input it cannot read: one line naming the path, no traceback."""
import json

import pytest
from click.testing import CliRunner

from kgraph.cli import main


@pytest.mark.parametrize("args, names", [
    (["extract", "/no/such/path"], "/no/such/path: no such file or directory"),
    (["extract", "--format", "yaml", "/no/such/path"], "unknown input format 'yaml'"),
])
def test_unreadable_input_is_a_one_line_error(args, names):
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (1, 2)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kgraph: error: ") and names in lines[0]


def test_unknown_format_in_a_named_file_suggests_format(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("just words\n")
    result = CliRunner().invoke(main, ["extract", str(notes)])
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("use --format NAME (one of: daily-papers, jsonl, json, csv, tsv, "
                                          "arxiv-atom, openalex)")


def test_fast_extraction_from_the_command_line(tmp_path):
    src = tmp_path / "papers.jsonl"
    src.write_text('{"id": "p1", "title": "Tuning BERT", "abstract": "We fine-tune BERT on GLUE with PyTorch."}\n')
    out = tmp_path / "fast.jsonl"
    result = CliRunner().invoke(main, ["extract", str(src), "-o", str(out), "--fast", "-q", "--no-cache"])
    assert result.exit_code == 0, result.output
    names = {e["name"] for e in json.loads(out.read_text())["entities"]}
    assert {"BERT", "GLUE", "PyTorch"} <= names
