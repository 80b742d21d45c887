"""The README and responses/README.md against the code: quick start, CI script, commands, columns, codes."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
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
SETUP_SCRIPT = ROOT / "scripts" / "setup"
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
    assert build == "bash scripts/setup && survey build 2017"
    assert test == "bash scripts/setup --test && python -m pytest"


def test_ci_script_runs_the_readme_test_command_verbatim() -> None:
    test_command = quick_start_commands()[1]
    script = CI_SCRIPT.read_text(encoding="utf-8")
    lines = [line.strip() for line in script.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert lines[-1] == test_command  # the last command, so CI's exit code is pytest's
    assert "set -euo pipefail" in lines
    assert script.startswith("#!/usr/bin/env bash\n")


def test_the_setup_script_installs_the_package_last() -> None:
    lines = [line.strip() for line in SETUP_SCRIPT.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert lines[0] == "#!/usr/bin/env bash" and "set -euo pipefail" in lines
    assert lines[-1] == 'python -m pip install -e "$extras"'


def _listed(name: str) -> set[str]:
    found = re.search(rf"^{name}=\(([^)]*)\)", SETUP_SCRIPT.read_text(encoding="utf-8"), re.MULTILINE)
    assert found, f"scripts/setup has no {name}=(...) list"
    return set(found.group(1).split())


def test_the_setup_script_installs_every_debian_package_the_pdf_error_names() -> None:
    from practitioner_survey.report.pdf import INSTALL_HINT

    named = set(re.search(r"apt-get install ([^`]*)`", INSTALL_HINT).group(1).split())  # type: ignore[union-attr]
    assert named == _listed("runtime_packages")
    assert _listed("test_packages") == {"chromium", "postgresql", "libreoffice-calc-nogui"}
    assert "poppler-utils" not in _listed("runtime_packages")  # pypdfium2, a wheel, draws the PDF pages


def fake_machine(folder: Path, *, installed: bool, sudo: bool = False, pytest_exit: int = 0) -> dict[str, str]:
    """A PATH of stand-ins noting their calls: dpkg-query (every package installed, or none), apt-get, an `id` of a
    non-root user, a sudo that may (or may not) run without a password, and a `python` whose pytest exits
    `pytest_exit`."""
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    note = f'echo "$(basename "$0") $*" >> {folder}/calls'
    stand_ins = {
        "dpkg-query": f"printf 'install ok installed'; exit {0 if installed else 1}",
        "apt-get": f"{note}; exit 0",
        "id": "echo 1000",
        "sudo": f'{note}; if [ "$1" = -n ]; then exit {0 if sudo else 1}; fi; exec "$@"',
        "python": f'{note}; if [ "$2" = pytest ]; then exit {pytest_exit}; fi; exit 0',
    }
    for name, body in stand_ins.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    for name in ("bash", "basename", "grep", "dirname", "env", "sh"):
        found = shutil.which(name)
        assert found, name
        (bin_dir / name).symlink_to(found)
    return {"PATH": str(bin_dir), "HOME": str(folder)}


def run_setup(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    """`bash scripts/setup ARGUMENTS` with no input, as CI runs it."""
    return subprocess.run([env["PATH"] + "/bash", str(SETUP_SCRIPT), *arguments], env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip


def calls(folder: Path) -> list[str]:
    return (folder / "calls").read_text(encoding="utf-8").splitlines()


BUILD_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-dejavu-extra"


@pytest.mark.skipif(os.name == "nt", reason="a bash script")
def test_the_test_setup_without_root_or_sudo_names_the_missing_packages_in_one_line(tmp_path: Path) -> None:
    done = run_setup(fake_machine(tmp_path, installed=False), "--test")
    assert done.returncode == 1 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert (
        "sudo apt-get install libpango-1.0-0 " in done.stderr
        and "chromium postgresql libreoffice-calc-nogui" in done.stderr
    )
    assert "bash scripts/setup --test" in done.stderr
    assert calls(tmp_path) == ["sudo -n true"]  # asked whether sudo may run without a password; no apt-get or pip


@pytest.mark.skipif(os.name == "nt", reason="a bash script")
def test_the_test_setup_installs_through_sudo_then_the_test_extras(tmp_path: Path) -> None:
    done = run_setup(fake_machine(tmp_path, installed=False, sudo=True), "--test")
    assert done.returncode == 0, done.stderr
    made = calls(tmp_path)
    assert made[0] == "sudo -n true" and made[1].startswith("sudo env DEBIAN_FRONTEND=noninteractive apt-get update")
    assert made[3] == ("sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "
                       f"{BUILD_PACKAGES} chromium postgresql libreoffice-calc-nogui")  # fmt: skip
    assert made[4].startswith("apt-get install") and made[4].endswith("chromium postgresql libreoffice-calc-nogui")
    assert made[5:] == ["python -m pip install -e .[test]"]


@pytest.mark.skipif(os.name == "nt", reason="a bash script")
def test_the_readme_test_command_exits_with_pytest_s_code(tmp_path: Path) -> None:
    env = fake_machine(tmp_path, installed=True, pytest_exit=3)
    command = [env["PATH"] + "/bash", "-c", quick_start_commands()[1]]
    done = subprocess.run(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert calls(tmp_path) == ["python -m pip install -e .[test]", "python -m pytest"]


@pytest.mark.skipif(os.name == "nt", reason="a bash script")
def test_the_setup_script_without_root_or_sudo_names_the_missing_packages_in_one_line(tmp_path: Path) -> None:
    done = run_setup(fake_machine(tmp_path, installed=False))
    assert done.returncode == 1 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "sudo apt-get install libpango-1.0-0 " in done.stderr and "bash scripts/setup" in done.stderr
    assert "chromium" not in done.stderr  # only what the build needs
    assert calls(tmp_path) == ["sudo -n true"]


@pytest.mark.skipif(os.name == "nt", reason="a bash script")
def test_the_setup_script_installs_the_build_packages_through_sudo_then_the_package(tmp_path: Path) -> None:
    done = run_setup(fake_machine(tmp_path, installed=False, sudo=True))
    assert done.returncode == 0, done.stderr
    made = calls(tmp_path)
    assert made[0] == "sudo -n true" and made[3].endswith(f"--no-install-recommends {BUILD_PACKAGES}")
    assert made[5:] == ["python -m pip install -e ."]


@pytest.mark.skipif(os.name == "nt", reason="a bash script")
def test_the_setup_script_installs_nothing_when_every_package_is_there(tmp_path: Path) -> None:
    done = run_setup(fake_machine(tmp_path, installed=True), "--test")
    assert done.returncode == 0, done.stderr
    assert calls(tmp_path) == ["python -m pip install -e .[test]"]


@pytest.mark.skipif(os.name == "nt", reason="a bash script")
def test_the_setup_script_refuses_an_unknown_argument(tmp_path: Path) -> None:
    done = run_setup(fake_machine(tmp_path, installed=True), "--tests")
    assert done.returncode == 2 and "usage: bash scripts/setup [--test]" in done.stderr
    assert not (tmp_path / "calls").exists()


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
