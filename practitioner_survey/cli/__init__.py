"""The `survey` command line: thin commands over plain functions, one error path.

`app` (in `cli.base`) is the Typer application and the one place that turns a `SurveyError` into a red line and
exit code 1; each `*_cmd` module registers one family of commands on it when imported here. A command parses its
arguments, imports what it needs inside its body (so that `survey --help` starts fast), calls one plain function
and prints counts, never free text. The top wing: it may import every other.
"""

from practitioner_survey.cli import (
    admin_cmd,
    agreement_cmd,
    code_cmd,
    codebook_cmd,
    coding_cmd,
    export_cmd,
    returns_cmd,
    tables_cmd,
)
from practitioner_survey.cli.base import app

__all__ = [
    "admin_cmd",
    "agreement_cmd",
    "app",
    "code_cmd",
    "codebook_cmd",
    "coding_cmd",
    "export_cmd",
    "returns_cmd",
    "tables_cmd",
]
