"""The files of a return -> tables of text cells, each row with its number as a spreadsheet shows it.

This module finds the files (a workbook, a CSV pair, or a folder holding either), detects a CSV's encoding,
reads the services and staffing sheets as text, and matches their headers to canonical columns. It checks no
values: `returns` does that. What cannot be read is reported on a `Log` as a problem about the whole file.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from practitioner_survey import schema
from practitioner_survey.errors import Problem

#: The tables of a return, in the order problems about them are listed.
SHEETS = (schema.SERVICES, schema.STAFFING)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class SourceFile:
    """One original file of a return, kept byte for byte."""

    name: str  # file name as given (no directory)
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Table:
    """One sheet or CSV as text: where each canonical column is, and the non-empty rows by their number."""

    file: str
    sheet: str
    header: dict[str, int]  # canonical column -> position in the file's header row
    unknown_headers: list[str]  # headers matching no canonical column, normalised
    rows: list[tuple[int, dict[str, str]]]  # (row number, header row = 1; canonical column -> cell text)


@dataclass
class Log:
    """Problems and repair notes collected while reading one return."""

    problems: list[Problem] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)

    def add(self, code: str, message: str, file: str, sheet: str = "") -> None:
        """An error about a whole file or sheet."""
        self.problems.append(Problem("error", code, message, file, sheet))


def normalise(name: object) -> str:
    """'Service ID', 'service-id', ' SERVICE_id ' -> 'service_id' (headers, sheet names, keywords)."""
    return re.sub(r"[\s_\-]+", "_", str(name or "").strip().lower()).strip("_")


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a text file as Excel or an editor saves it: UTF-8 with or without a BOM, else
    Windows-1252 (what Excel's plain 'CSV' uses). Encoding is 'utf-8-sig' (BOM), 'utf-8' or 'cp1252'.

    Raises UnicodeDecodeError when it is neither, including UTF-16 and invalid UTF-8 after a UTF-8 BOM.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if data.startswith(_BOMS):
            raise
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            raise error from None
    return text, "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"


def cell_text(value: object) -> str:
    """An openpyxl value as the text it stands for: 3.0 -> '3', 0.1 -> '0.1', None -> '', True -> 'True'."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def match_header(file: str, sheet: str, rows: Iterable[Sequence[str]], columns: Sequence[str]) -> Table:
    """Map the header row onto canonical columns; keep each row with a value in a known column."""
    it = iter(rows)
    header: dict[str, int] = {}
    unknown: list[str] = []
    for position, cell in enumerate(next(it, [])):
        key = normalise(cell)
        if key in columns:
            header.setdefault(key, position)
        elif key:
            unknown.append(key)
    kept = []
    for number, cells in enumerate(it, start=2):
        values = {col: (cells[i] if i < len(cells) else "") for col, i in header.items()}
        if any(v.strip() for v in values.values()):
            kept.append((number, values))
    return Table(file, sheet, header, unknown, kept)


def read_return(
    path: Path, columns: Mapping[str, Sequence[str]], log: Log
) -> tuple[list[SourceFile], dict[str, Table]]:
    """The files of the return at `path` and its tables (of SHEETS, in that order) that could be read.

    `columns` gives each sheet's canonical columns. Whatever cannot be found or read is on `log`.
    """
    files: list[SourceFile] = []
    raw: dict[str, tuple[str, list[list[str]]]] = {}
    book, csvs = _locate(Path(path), log)
    if book is not None and (data := _read_bytes(book, log)) is not None:
        files.append(SourceFile(book.name, data))
        raw = {sheet: (book.name, rows) for sheet, rows in _read_workbook(book.name, data, log).items()}
    for sheet, csv_path in csvs.items():
        if (data := _read_bytes(csv_path, log, sheet)) is not None:
            files.append(SourceFile(csv_path.name, data))
            if (rows := _read_csv(csv_path.name, data, log)) is not None:
                raw[sheet] = (csv_path.name, rows)
    tables = {s: match_header(raw[s][0], s, raw[s][1], columns[s]) for s in SHEETS if s in raw}
    return files, tables


def read_csv_table(path: Path, columns: Sequence[str], log: Log) -> Table | None:
    """A single CSV (no sheet name) as a table; None, with the problem on `log`, if it cannot be read."""
    data = _read_bytes(path, log)
    rows = _read_csv(path.name, data, log) if data is not None else None
    return match_header(path.name, "", rows, columns) if rows is not None else None


# --- reading files -------------------------------------------------------------------------------------


def _read_bytes(path: Path, log: Log, sheet: str = "") -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as exc:
        log.add("unreadable-file", f"{path.name} cannot be read ({exc.strerror})", path.name, sheet)
        return None


def _read_csv(name: str, data: bytes, log: Log) -> list[list[str]] | None:
    try:
        text, encoding = decode_text(data)
    except UnicodeDecodeError:
        log.add("unreadable-file", f"{name} is not UTF-8 or Windows-1252 text; save it as 'CSV UTF-8'", name)
        return None
    if encoding == "cp1252":
        log.repairs.append(f"{name}: not UTF-8; read as Windows-1252 (the encoding Excel uses for CSV)")
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        log.add("unreadable-file", f"{name} cannot be read as CSV ({exc})", name)
        return None


def _read_workbook(name: str, data: bytes, log: Log) -> dict[str, list[list[str]]]:
    """The services and staffing sheets of an .xlsx as rows of text (sheet names matched forgivingly)."""
    if not data.startswith(b"PK\x03\x04"):
        old = data.startswith(b"\xd0\xcf\x11\xe0")
        hint = " (it looks like an old .xls file: save it as .xlsx)" if old else ""
        log.add("not-an-excel-file", f"{name} is not an Excel .xlsx workbook{hint}", name)
        return {}
    sheets: dict[str, list[list[str]]] = {}
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for sheet in book.worksheets:
                key = normalise(sheet.title)
                if key in SHEETS and key not in sheets:
                    sheet.reset_dimensions()  # some writers record a wrong size: read what is there
                    rows = sheet.iter_rows(values_only=True)
                    sheets[key] = [[v if type(v) is str else cell_text(v) for v in row] for row in rows]
        finally:
            book.close()
    except Exception as exc:  # zipfile, the XML parser or openpyxl: for a damaged file all mean the same
        message = f"{name} cannot be read as a workbook ({type(exc).__name__}): open it in Excel, save again"
        log.add("unreadable-file", message, name)
        return {}
    for sheet_name in SHEETS:
        if sheet_name not in sheets:
            log.add("missing-sheet", f"{name} has no sheet named {sheet_name!r}", name, sheet_name)
    return sheets


# --- finding files -------------------------------------------------------------------------------------


def _find_csvs(folder: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for p in sorted(folder.iterdir()):
        if p.is_file() and p.suffix.lower() == ".csv" and normalise(p.stem) in SHEETS:
            found.setdefault(normalise(p.stem), p)
    return found


def _locate(path: Path, log: Log) -> tuple[Path | None, dict[str, Path]]:
    """(workbook, {}) or (None, {sheet: csv}) for a workbook, either CSV of a pair, or a folder of either."""
    if not path.exists():
        log.add("missing-file", f"{path} does not exist", path.name)
        return None, {}
    if path.is_dir():
        books = sorted(p for p in path.iterdir() if p.suffix.lower() == ".xlsx" and p.name[:2] != "~$")
        csvs = _find_csvs(path)
        if len(books) == 1 and not csvs:
            return books[0], {}
        if books or not csvs:
            found = f"{len(books)} workbook(s) and {len(csvs)} returns CSV(s)"
            code = "ambiguous-folder" if books else "missing-file"
            log.add(code, f"folder {path.name} holds {found}; it needs one .xlsx or the two CSVs", path.name)
            return None, {}
    elif path.suffix.lower() == ".csv":
        if normalise(path.stem) not in SHEETS:
            message = f"cannot tell which table {path.name} holds: name it services.csv or staffing.csv"
            log.add("missing-file", message, path.name)
            return None, {}
        csvs = _find_csvs(path.parent) | {normalise(path.stem): path}
    else:
        return path, {}
    for sheet in SHEETS:
        if sheet not in csvs:
            log.add("missing-file", f"no {sheet}.csv next to the other CSV", f"{sheet}.csv", sheet)
    return None, {s: csvs[s] for s in SHEETS if s in csvs}
