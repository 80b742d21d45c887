"""Run the `survey` command line noting each transaction boundary of the store, for the crash tests.

Each BEGIN, COMMIT or ROLLBACK the store executes appends one letter (B, C or R) to the file named by the
environment variable SURVEY_TRACE, written straight to the kernel so that it survives kill -9: a kill after a B
and before its C landed inside a transaction. Nothing else is written: no SQL, no data.
Usage: python tests/traced_survey.py --db FILE COMMAND ...
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any

MARKS = {"BEGIN": b"B", "COMMIT": b"C", "END": b"C", "ROLLBACK": b"R"}


def main() -> None:
    fd = os.open(os.environ["SURVEY_TRACE"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    connect = sqlite3.connect

    def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)

        def note(statement: str) -> None:
            mark = MARKS.get(statement.lstrip()[:8].split(" ", 1)[0].upper())
            if mark:
                os.write(fd, mark)

        conn.set_trace_callback(note)
        return conn

    sqlite3.connect = traced  # type: ignore[assignment]
    from practitioner_survey.cli import app

    app(prog_name="survey")


if __name__ == "__main__":
    main()
