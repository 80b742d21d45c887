"""The report's tables as files, for `survey tables` and `survey build` alike: one CSV file per table, rounded as
the report prints it, and `tables.xlsx`, the workbook laid out as the Government Statistical Service asks
(`workbook`: cover, contents and notes sheets, earlier years beside this one)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from practitioner_survey.counting.tables import write_tables
from practitioner_survey.report import workbook
from practitioner_survey.report.build import Report, build_report
from practitioner_survey.report.kept import source_hash, version, write_whole
from practitioner_survey.store.core import Store

WORKBOOK = "tables.xlsx"


def year_tables(store: Store, year: int, out: Path) -> list[Path]:
    """Count `year`'s report and write its tables into `out` (`survey tables`); the files written."""
    return write_report_tables(build_report(store, year), out)


def write_report_tables(report: Report, out: Path, record: Path | None = None) -> list[Path]:
    """The report's tables as CSV files (`counting.tables.write_tables`) and `out`/tables.xlsx.

    With `record` (a file noting what the workbook was last written from), a workbook written by the same code and
    libraries from the same figures is left as it is: one written again would differ in its bytes only by chance.
    """
    written = write_tables(report.tables, out)
    book = out / WORKBOOK
    if record is None:
        return [*written, workbook.write_workbook(report, book)]
    parts = [version("gptables"), version("xlsxwriter"), source_hash(Path(workbook.__file__)), workbook.digest(report)]
    of = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    try:
        kept = json.loads(record.read_text(encoding="utf-8"))
        same = kept == {"of": of, "sha256": hashlib.sha256(book.read_bytes()).hexdigest()}
    except (OSError, ValueError):
        same = False
    if not same:
        workbook.write_workbook(report, book)
        mark = {"of": of, "sha256": hashlib.sha256(book.read_bytes()).hexdigest()}
        write_whole(record, json.dumps(mark).encode())
    return [*written, book]
