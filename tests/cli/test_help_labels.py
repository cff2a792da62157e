"""Help pages use click's plain labels (CLIP, PATH, TEXT...), not {clip}, <bool>, <list[str]>."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from formcheck.cli import app
from formcheck.cli.plain_help import plain_label, plain_usage_name

COMMANDS = [
    ["analyze"], ["live"], ["batch"], ["history"], ["eval"], ["eval-suite"], ["synth"],
    ["exercises"], ["exercises", "show"],
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_has_no_typer_type_labels(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    page = result.output
    assert "Usage:" in page
    assert not re.search(r"<(bool|path|str|int|float|list\[)", page), page
    assert not re.search(r"\{[a-z_]+\}", page), page  # {clip} in the usage line


def test_analyze_help_reads_plainly() -> None:
    page = CliRunner().invoke(app, ["analyze", "--help"], env={"COLUMNS": "200"}).output
    assert "formcheck analyze [OPTIONS] CLIP" in page
    assert re.search(r"--json\s+PATH", page)
    assert re.search(r"--force\s+Overwrite", page)  # a flag: no <bool> between


def test_labels() -> None:
    assert plain_label("<path>") == "PATH"
    assert plain_label("<list[str]>") == "TEXT..."
    assert plain_label("<bool>") is None
    assert plain_label("<a|b>") == "[a|b]"
    assert plain_label("<int range>") == "INTEGER RANGE"
    assert plain_label("CUSTOM") == "CUSTOM"  # a metavar set by hand is kept
    assert plain_usage_name("{clip}") == "CLIP"
    assert plain_usage_name("{inputs}...") == "INPUTS..."
    assert plain_usage_name("[folder]") == "[FOLDER]"
