"""The files of a return -> tables of text cells, each row with its number as a spreadsheet shows it.

This module finds the files (a workbook, a CSV pair, or a folder holding either) and reads them, through
returns/workbook.py and returns/csvfile.py, into tables whose headers returns/table.py matches to canonical columns.
It checks no values: `returns.validate` does that. What cannot be read is reported on a `Log` as a problem about the
whole file (or, for a cell it cannot trust, that cell: a formula with no value, a CSV row longer than its header, a
figure merged over rows); what it reads unambiguously but not as written (an encoding, a separator, a header below a
title row, a control character, a service id merged over rows) is noted on the `Log`'s repairs, naming where.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from practitioner_survey.errors import Problem
from practitioner_survey.returns.csvfile import read_csv_sheet
from practitioner_survey.returns.table import (
    SHEETS,
    Log,
    RawSheet,
    SourceFile,
    Table,
    formula_without_value,
    match_header,
    normalise,
)
from practitioner_survey.returns.workbook import read_workbook

#: Workbook suffixes read (an .xlsm's macros are never run: only its cells are read).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: A return file larger than this is refused unread (ten thousand services take a few megabytes).
MAX_FILE_BYTES = 256 * 1024 * 1024


def read_return(
    path: Path, columns: Mapping[str, Sequence[str]], log: Log
) -> tuple[list[SourceFile], dict[str, Table]]:
    """The files of the return at `path` and its tables (of SHEETS, in that order) that could be read.

    `columns` gives each sheet's canonical columns. Whatever cannot be found or read is on `log`.
    """
    files: list[SourceFile] = []
    raw: dict[str, RawSheet] = {}
    book, csvs = _locate(Path(path), log)
    if book is not None and (data := _read_bytes(book, log)) is not None:
        files.append(SourceFile(book.name, data))
        raw = read_workbook(book.name, data, log)
    for sheet, csv_path in csvs.items():
        if (data := _read_bytes(csv_path, log, sheet)) is not None:
            files.append(SourceFile(csv_path.name, data))
            if (read := read_csv_sheet(csv_path.name, data, log, sheet)) is not None:
                raw[sheet] = read
    tables = {s: _table(s, raw[s], columns[s], log) for s in SHEETS if s in raw}
    return files, tables


def read_csv_table(path: Path, columns: Sequence[str], log: Log) -> Table | None:
    """A single CSV (no sheet name) as a table; None, with the problem on `log`, if it cannot be read."""
    data = _read_bytes(path, log)
    read = read_csv_sheet(path.name, data, log) if data is not None else None
    return _table("", read, columns, log) if read is not None else None


def _table(sheet: str, read: RawSheet, columns: Sequence[str], log: Log) -> Table:
    table = match_header(read.file, sheet, read.rows, columns, log)
    table.decimal_comma = read.decimal_comma
    if read.delimited:
        _check_widths(table, read, log)
    if read.merged:
        _unmerge(table, read, log)
    by_position = {position: column for column, position in table.header.items()}
    for row, position in read.uncalculated:
        if position in by_position and row + 1 > table.header_row:
            log.problems.append(formula_without_value(read.file, sheet, row + 1, by_position[position]))
            table.unread.add((row + 1, by_position[position]))
    return table


def _unmerge(table: Table, read: RawSheet, log: Log) -> None:
    """Cells merged down several data rows: a service id is read on each row (noted), as a service's id merged over
    its areas' rows means; any other merged column is an error, since a merged figure would count on its first
    row only."""
    by_position = {position: column for column, position in table.header.items()}
    rows = dict(table.rows)
    for first, left, last, right in read.merged:
        top, bottom = first + 1, last + 1  # as the spreadsheet numbers rows
        if bottom == top or top <= table.header_row:
            continue
        for column in (by_position[p] for p in range(left, right + 1) if p in by_position):
            if column != "service_id":
                message = (
                    f"{column} is one cell merged over rows {top} to {bottom}: unmerge it and give each row its own "
                    "value (merged, it counts on the first row only)"
                )
                log.problems.append(Problem("error", "merged-cells", message, read.file, table.sheet, top, column))
                continue
            value = rows.get(top, {}).get(column, "")
            for number in range(top + 1, bottom + 1):
                if number in rows and not rows[number].get(column, "").strip():
                    rows[number][column] = value
            where = f"{read.file}, {table.sheet} rows {top} to {bottom}, column {column}"
            log.repairs.append(f"{where}: one merged cell; its id was read on each row")


def _check_widths(table: Table, read: RawSheet, log: Log) -> None:
    """A CSV row with text beyond its header's last column had a separator inside a cell that was not quoted:
    every cell after it is in the wrong column, and the end of the row would be lost."""
    width = len(read.rows[table.header_row - 1]) if read.rows else 0
    long = [n for n, cells in enumerate(read.rows[table.header_row :], start=table.header_row + 1)
            if len(cells) > width and any(c.strip() for c in cells[width:])]  # fmt: skip
    if long:
        rows = ", ".join(map(str, long[:5])) + (f" and {len(long) - 5} more" if len(long) > 5 else "")
        message = (
            f"row(s) {rows} of {read.file} have more cells than its header (a comma or semicolon inside a cell "
            "that is not in quotes?): put such cells in double quotes, or save the file from a spreadsheet program"
        )
        log.problems.append(Problem("error", "extra-cells", message, read.file, table.sheet, long[0]))


# --- reading files -------------------------------------------------------------------------------------


def _read_bytes(path: Path, log: Log, sheet: str = "") -> bytes | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            message = f"{path.name} is {size:,} bytes, more than a return can be ({MAX_FILE_BYTES:,}): it was not read"
            log.add("too-large", message, path.name, sheet)
            return None
        return path.read_bytes()
    except OSError as exc:
        log.add("unreadable-file", f"{path.name} cannot be read ({exc.strerror})", path.name, sheet)
        return None


# --- finding files -------------------------------------------------------------------------------------


def _ignored(path: Path) -> bool:
    """Files no one saved as a return: macOS's '._' companions (resource forks copied to a non-Mac disk) and
    Office's '~$' lock files of an open workbook."""
    return path.name.startswith(("._", "~$"))


def _find_csvs(folder: Path, log: Log) -> dict[str, Path]:
    """{sheet: csv} of a folder; two files for one table ('staffing.csv' and 'Staffing.csv') are an error."""
    found: dict[str, list[Path]] = {}
    for p in sorted(folder.iterdir()):
        if p.is_file() and p.suffix.lower() == ".csv" and normalise(p.stem) in SHEETS and not _ignored(p):
            found.setdefault(normalise(p.stem), []).append(p)
    for sheet, paths in found.items():
        if len(paths) > 1:
            names = " and ".join(p.name for p in paths)
            log.add(
                "ambiguous-file",
                f"folder {folder.name} has {names}: which is the {sheet} table? keep one",
                paths[0].name,
                sheet,
            )
    return {sheet: paths[0] for sheet, paths in found.items() if len(paths) == 1}


def _locate(path: Path, log: Log) -> tuple[Path | None, dict[str, Path]]:
    """(workbook, {}) or (None, {sheet: csv}) for a workbook, either CSV of a pair, or a folder of either."""
    if not path.exists():
        log.add("missing-file", f"{path} does not exist", path.name)
        return None, {}
    problems = len(log.problems)
    if path.is_dir():
        books = sorted(p for p in path.iterdir() if p.suffix.lower() in WORKBOOK_SUFFIXES and not _ignored(p))
        csvs = _find_csvs(path, log)
        if len(log.problems) > problems:
            return None, {}
        if len(books) == 1 and not csvs:
            return books[0], {}
        if books or not csvs:
            found = ", ".join(p.name for p in [*books, *csvs.values()][:6]) or "no .xlsx or returns CSV"
            code = "ambiguous-folder" if books else "missing-file"
            message = f"folder {path.name} holds {found}; it needs one .xlsx, or services.csv and staffing.csv"
            log.add(code, message, path.name)
            return None, {}
    elif path.suffix.lower() == ".csv":
        if normalise(path.stem) not in SHEETS:
            message = f"cannot tell which table {path.name} holds: name it services.csv or staffing.csv"
            log.add("missing-file", message, path.name)
            return None, {}
        csvs = _find_csvs(path.parent, log) | {normalise(path.stem): path}
        if len(log.problems) > problems:
            return None, {}
    else:
        return path, {}
    for sheet in SHEETS:
        if sheet not in csvs:
            log.add("missing-file", f"no {sheet}.csv next to the other CSV", f"{sheet}.csv", sheet)
    return None, {s: csvs[s] for s in SHEETS if s in csvs}
