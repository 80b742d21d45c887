"""The README and responses/README.md against the code: quick start, CI script, commands, columns, codes."""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from practitioner_survey.cli import app
from practitioner_survey.counting import tables
from practitioner_survey.returns import schema
from practitioner_survey.returns.validate import WARNING_CODES, Returns
from practitioner_survey.store.core import Store

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
RESPONSES_README = ROOT / "responses" / "README.md"
CI_SCRIPT = ROOT / ".ci" / "run"
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def section(text: str, heading: str) -> str:
    """The body of a '## heading' section, up to the next heading of the same level."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"README has no '## {heading}' section"
    return match.group(1)


def quick_start_commands() -> list[str]:
    blocks = FENCE.findall(section(README.read_text(encoding="utf-8"), "Quick start"))
    assert blocks, "the Quick start section has no code block"
    return [line.strip() for line in blocks[0].splitlines() if line.strip() and not line.strip().startswith("#")]


def code_in(text: str) -> list[str]:
    """Every line of code in a Markdown text: fenced blocks and `inline` spans."""
    fenced = [line for block in FENCE.findall(text) for line in block.splitlines()]
    prose = FENCE.sub("", text)
    return fenced + re.findall(r"`([^`\n]+)`", prose)


def survey_invocations(text: str) -> set[tuple[str, ...]]:
    """(command,) or (group, subcommand) for each `survey ...` written in the text's code."""
    found: set[tuple[str, ...]] = set()
    for code in code_in(text):
        for match in re.finditer(r"(?<![\w.-])survey\s+(.*)", code):
            try:
                tokens = shlex.split(match.group(1), comments=True)
            except ValueError:
                tokens = match.group(1).split()
            while tokens and tokens[0].startswith("-"):  # options before the command: --db FILE, --help
                tokens = tokens[2:] if tokens[0] == "--db" else tokens[1:]
            words = []
            for token in tokens[:2]:
                if not re.fullmatch(r"[a-z][a-z-]*", token):
                    break
                words.append(token)
            if words:
                found.add(tuple(words))
    return found


@cache
def help_commands(*command: str) -> frozenset[str] | None:
    """The command names `survey [COMMAND] --help` lists, or None when it lists none (not a group)."""
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, f"survey {' '.join(command)} --help failed:\n{result.output}"
    lines = result.output.splitlines()
    start = next((i for i, line in enumerate(lines) if re.search(r"\bCommands\b", line)), None)
    if start is None:
        return None
    names: set[str] = set()
    for line in lines[start + 1 :]:
        if line.startswith("╰") or (not line.strip() and names):
            break
        if match := re.match(r"^[│|]?\s{1,2}([a-z][a-z0-9-]*)(?:\s|$)", line):
            names.add(match.group(1))
    return frozenset(names)


# -- quick start and CI ---------------------------------------------------------------------------------------


def test_quick_start_is_exactly_two_one_line_commands_build_then_test() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2, commands
    build, test = commands
    assert build.startswith("python -m pip install -e . && ") and build.endswith("survey build 2017")
    assert test.startswith("python -m pip install -e '.[test]' && ") and test.endswith("python -m pytest")


def test_ci_script_runs_the_readme_test_command_verbatim() -> None:
    test_command = next(c for c in quick_start_commands() if "pytest" in c)
    script = CI_SCRIPT.read_text(encoding="utf-8")
    lines = [line.strip() for line in script.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert test_command in lines
    assert "set -euo pipefail" in lines
    assert script.startswith("#!/usr/bin/env bash\n")


@pytest.mark.skipif(os.name == "nt", reason="no executable bit on Windows")
def test_ci_script_is_executable() -> None:
    assert os.access(CI_SCRIPT, os.X_OK)


# -- commands -------------------------------------------------------------------------------------------------


def readme_invocations() -> list[tuple[str, ...]]:
    found = survey_invocations(README.read_text(encoding="utf-8"))
    found |= survey_invocations(RESPONSES_README.read_text(encoding="utf-8"))
    return sorted(found)


def test_the_readme_names_the_commands_it_documents() -> None:
    named = {words[0] for words in readme_invocations()}
    assert {"import", "rollover", "revise", "reference", "status", "load", "tables", "build"} <= named


def test_the_readme_names_every_command_survey_help_lists() -> None:
    named = {words[0] for words in readme_invocations()}
    assert help_commands() - named == set()


@pytest.mark.parametrize("words", readme_invocations(), ids=" ".join)
def test_every_survey_command_named_in_the_readmes_is_in_survey_help(words: tuple[str, ...]) -> None:
    commands = help_commands()
    assert commands, "survey --help lists no commands"
    assert words[0] in commands, f"README names `survey {words[0]}`, which survey --help does not list"
    subcommands = help_commands(words[0])
    if subcommands is not None and len(words) > 1:
        assert words[1] in subcommands, f"README names `survey {' '.join(words)}`, not in its --help"


# -- what the READMEs document --------------------------------------------------------------------------------


@pytest.mark.parametrize("column", [*schema.SERVICES_COLUMNS, *schema.STAFFING_COLUMNS])
def test_responses_readme_documents_every_returns_column(column: str) -> None:
    assert f"| `{column}` |" in RESPONSES_README.read_text(encoding="utf-8")


@pytest.mark.parametrize("value", [*schema.IDVA_LOCATIONS, *schema.RESPONSE_MODES, *schema.IDVA_CASES])
def test_responses_readme_lists_every_allowed_value(value: str) -> None:
    assert f"`{value}`" in RESPONSES_README.read_text(encoding="utf-8")


def test_responses_readme_says_the_data_are_synthetic() -> None:
    text = RESPONSES_README.read_text(encoding="utf-8")
    assert "synthetic" in text.lower() and "python -m practitioner_survey.synthetic" in text


@pytest.mark.parametrize("code", WARNING_CODES)
def test_readme_lists_every_warning_code(code: str) -> None:
    assert f"`{code}`" in section(README.read_text(encoding="utf-8"), "Checks: errors and warnings")


def test_readme_lists_every_file_survey_tables_writes(store: Store, make_returns: Callable[..., Returns]) -> None:
    store.import_returns(2017, make_returns([("S1", "Cumbria", {"idva_fte": 2, "idva_headcount": 2})]), {})
    files = [f"{name}.csv" for name in tables.tables_for(store, 2017)] + ["tables.xlsx"]
    documented = section(README.read_text(encoding="utf-8"), "The tables")
    assert [name for name in files if f"`{name}`" not in documented] == []
