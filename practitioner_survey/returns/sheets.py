"""The files of a return -> tables of text cells, each row with its number as a spreadsheet shows it.

This module finds the files (a workbook, a CSV pair, or a folder holding either), detects a CSV's encoding,
reads the services and staffing sheets as text, and matches their headers to canonical columns. It checks no
values: `returns` does that. What cannot be read is reported on a `Log` as a problem about the whole file (or,
for a cell it cannot trust, that cell); what it reads unambiguously but not as written (an encoding, a separator,
a header below a title row, a control character) is noted on the `Log`'s repairs, naming where.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from practitioner_survey._exports import lazy_module
from practitioner_survey.errors import Problem
from practitioner_survey.returns import schema

if TYPE_CHECKING:
    import openpyxl
else:
    openpyxl = lazy_module("openpyxl")  # imported on first use, when a workbook is read

#: The tables of a return, in the order problems about them are listed.
SHEETS = (schema.SERVICES, schema.STAFFING)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
#: Workbook suffixes read (an .xlsm's macros are never run: only its cells are read).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: Excel's limit on the characters in one cell; a longer cell means a damaged file (e.g. a quote never closed).
MAX_CELL_CHARS = 32_767
#: How far down a sheet its header row is looked for, below title or group-heading rows.
HEADER_SEARCH_ROWS = 5
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Well-formed UTF-8 sequences of two or more bytes: in a file that is not UTF-8, they mean mixed encodings.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_DELIMITERS = {",": "", ";": "semicolon-separated (as a European Excel saves CSV)", "\t": "tab-separated"}
#: What a file that is not a workbook is, by its first bytes.
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF document"),
)


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
    duplicates: list[str] = field(default_factory=list)  # canonical columns whose header appears more than once
    decimal_comma: bool = False  # a semicolon-separated CSV (a European Excel's), where '1,5' is one and a half
    header_row: int = 1  # the header's row number as the spreadsheet shows it
    unread: set[tuple[int, str]] = field(default_factory=set)  # (row, column) of cells already found unreadable


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
    """(text, encoding) of a text file as Excel or an editor saves it: UTF-8 with or without a BOM, UTF-16 with a
    BOM (Excel's 'Unicode Text'), else Windows-1252 (what Excel's plain 'CSV' uses). Encoding is 'utf-8-sig'
    (BOM), 'utf-8', 'utf-16' or 'cp1252'.

    Raises UnicodeDecodeError when it is none of these: invalid bytes after a BOM, and text that mixes UTF-8 with
    another encoding (its reason says 'mixed encodings'; its start is the first byte that is not UTF-8).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if data.startswith(_BOMS):
            raise
        if _UTF8_SEQUENCE.search(data):
            raise UnicodeDecodeError("utf-8", data, error.start, error.end, "mixed encodings") from None
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
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def match_header(
    file: str, sheet: str, rows: Iterable[Sequence[str]], columns: Sequence[str], log: Log | None = None
) -> Table:
    """Map the header row onto canonical columns; keep each row with a value in a known column.

    The header is the first row naming a known column; when the first row names none (a title, or group
    headings over merged cells), the first of the next rows naming two or more is taken, noted on `log`.
    Control characters are removed from cells (noted on `log`, naming the cell); a cell longer than Excel allows
    is an error there.
    """
    log = log if log is not None else Log()
    grid = [list(r) for r in rows]
    at = _header_row(grid, columns)
    if at:
        log.repairs.append(f"{file}: {sheet or 'the table'}'s header is on row {at + 1}; the rows above it are ignored")
    header: dict[str, int] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for position, cell in enumerate(grid[at] if grid else []):
        key = normalise(_CONTROL.sub("", str(cell or "")))
        if key in columns:
            if key in header and key not in duplicates:
                duplicates.append(key)
            header.setdefault(key, position)
        elif key:
            unknown.append(key)
    kept = []
    for number, cells in enumerate(grid[at + 1 :], start=at + 2):
        values = {col: (cells[i] if i < len(cells) else "") for col, i in header.items()}
        if any(v.strip() for v in values.values()):
            kept.append((number, _clean_row(file, sheet, number, values, log)))
    return Table(file, sheet, header, unknown, kept, duplicates, header_row=at + 1)


def _header_row(grid: list[list[str]], columns: Sequence[str]) -> int:
    """Index of the header row: 0 unless the first row names no known column and a row below it names two."""

    def known(row: list[str]) -> int:
        return len({normalise(c) for c in row} & set(columns))

    if not grid or known(grid[0]):
        return 0
    return next((i for i, row in enumerate(grid[1:HEADER_SEARCH_ROWS], start=1) if known(row) >= 2), 0)


def _clean_row(file: str, sheet: str, number: int, values: dict[str, str], log: Log) -> dict[str, str]:
    """Remove control characters (noted, naming the cell, never its text); a too-long cell is an error."""
    for column, text in values.items():
        if len(text) > MAX_CELL_CHARS:
            message = (
                f"{column} holds {len(text):,} characters, more than Excel allows in a cell: is a quote never "
                "closed, or the file damaged?"
            )
            log.problems.append(Problem("error", "cell-too-long", message, file, sheet, number, column))
        controls = len(_CONTROL.findall(text))
        if controls:
            values[column] = _CONTROL.sub("", text)
            where = f"{file}, {sheet} row {number}" if sheet else f"{file}, row {number}"
            log.repairs.append(f"{where}, column {column}: removed {controls} control character(s)")
    return values


@dataclass
class _Sheet:
    """One sheet or CSV as read: its rows of text, and what reading it found."""

    file: str
    rows: list[list[str]]
    decimal_comma: bool = False
    uncalculated: list[tuple[int, int]] = field(default_factory=list)  # (row, column) indexes from 0


def read_return(
    path: Path, columns: Mapping[str, Sequence[str]], log: Log
) -> tuple[list[SourceFile], dict[str, Table]]:
    """The files of the return at `path` and its tables (of SHEETS, in that order) that could be read.

    `columns` gives each sheet's canonical columns. Whatever cannot be found or read is on `log`.
    """
    files: list[SourceFile] = []
    raw: dict[str, _Sheet] = {}
    book, csvs = _locate(Path(path), log)
    if book is not None and (data := _read_bytes(book, log)) is not None:
        files.append(SourceFile(book.name, data))
        raw = _read_workbook(book.name, data, log)
    for sheet, csv_path in csvs.items():
        if (data := _read_bytes(csv_path, log, sheet)) is not None:
            files.append(SourceFile(csv_path.name, data))
            if (read := _read_csv(csv_path.name, data, log, sheet)) is not None:
                raw[sheet] = read
    tables = {s: _table(s, raw[s], columns[s], log) for s in SHEETS if s in raw}
    return files, tables


def read_csv_table(path: Path, columns: Sequence[str], log: Log) -> Table | None:
    """A single CSV (no sheet name) as a table; None, with the problem on `log`, if it cannot be read."""
    data = _read_bytes(path, log)
    read = _read_csv(path.name, data, log) if data is not None else None
    return _table("", read, columns, log) if read is not None else None


def _table(sheet: str, read: _Sheet, columns: Sequence[str], log: Log) -> Table:
    table = match_header(read.file, sheet, read.rows, columns, log)
    table.decimal_comma = read.decimal_comma
    by_position = {position: column for column, position in table.header.items()}
    for row, position in read.uncalculated:
        if position in by_position and row + 1 > table.header_row:
            message = (
                f"{by_position[position]} holds a formula with no calculated value (the file was saved by a program "
                "that does not calculate formulas): open it in Excel and save it again"
            )
            log.problems.append(
                Problem("error", "formula-without-value", message, read.file, sheet, row + 1, by_position[position])
            )
            table.unread.add((row + 1, by_position[position]))
    return table


# --- reading files -------------------------------------------------------------------------------------


def _read_bytes(path: Path, log: Log, sheet: str = "") -> bytes | None:
    try:
        return path.read_bytes()
    except OSError as exc:
        log.add("unreadable-file", f"{path.name} cannot be read ({exc.strerror})", path.name, sheet)
        return None


def _read_csv(name: str, data: bytes, log: Log, sheet: str = "") -> _Sheet | None:
    if not data.strip():
        log.add("empty-file", f"{name} is empty", name, sheet)
        return None
    try:
        text, encoding = decode_text(data)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        if exc.reason == "mixed encodings":
            message = (
                f"{name} mixes UTF-8 with another encoding (the first byte that is not UTF-8 is on line {line}): "
                "save it again as 'CSV UTF-8'"
            )
        else:
            message = f"{name} is not UTF-8, UTF-16 or Windows-1252 text (line {line}); save it as 'CSV UTF-8'"
        log.add("unreadable-file", message, name, sheet)
        return None
    sample = text[:2000]
    if sample.count("\x00") * 4 >= len(sample):  # a stray NUL in a cell is removed later, like any control character
        log.add("unreadable-file", f"{name} holds NUL bytes, as UTF-16 text without its byte-order mark does: "
                "save it as 'CSV UTF-8'", name, sheet)  # fmt: skip
        return None
    notes = {
        "cp1252": "not UTF-8; read as Windows-1252 (the encoding Excel uses for CSV)",
        "utf-16": "read as UTF-16 text (Excel's 'Unicode Text')",
        "utf-8-sig": "read as UTF-8, skipping its byte-order mark",
    }
    if encoding in notes:
        log.repairs.append(f"{name}: {notes[encoding]}")
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = next((d for d in _DELIMITERS if d in first_line), ",")
    if _DELIMITERS[delimiter]:
        decimal = "; a comma in a number is its decimal point" if delimiter == ";" else ""
        log.repairs.append(f"{name}: read as {_DELIMITERS[delimiter]}{decimal}")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        log.add("unreadable-file", f"{name} cannot be read as CSV ({exc})", name, sheet)
        return None
    last = rows[-1][-1] if rows and rows[-1] else ""
    if last.endswith(("\n", "\r")):  # only a quoted cell holds a line break, and its closing quote ends the file
        opened = text.count("\n") - last.count("\n") + 1
        message = f"{name}: a quote opened on line {opened} is never closed, so the rest of the file is one cell"
        log.add("unclosed-quote", message, name, sheet)
        return None
    return _Sheet(name, rows, decimal_comma=delimiter == ";")


def _not_a_workbook(name: str, data: bytes) -> str:
    """Why `data` is not an .xlsx workbook, or '' when it may be one."""
    if not data:
        return f"{name} is empty (0 bytes)"
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE compound file: Excel 97-2003, or an encrypted workbook
        if "EncryptedPackage".encode("utf-16-le") in data:
            return (
                f"{name} is protected with a password, so it cannot be read: open it in Excel, remove the "
                "password (File > Info > Protect Workbook > Encrypt with Password) and save it"
            )
        return f"{name} is not an Excel .xlsx workbook (it looks like an old .xls file: save it as .xlsx)"
    what = next((kind for magic, kind in _MAGIC if data.startswith(magic)), "")
    if not what and not data.startswith(b"PK\x03\x04"):
        sample = data[:2048]
        text = not sample.translate(None, bytes(range(32, 127)) + b"\t\r\n") or _is_utf8(sample)
        what = "text (a CSV? name it services.csv or staffing.csv)" if text else "not a workbook"
    if what:
        return f"{name} is not an Excel .xlsx workbook: it is {what}"
    try:
        members = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return ""  # damaged: openpyxl's error says so
    if "xl/workbook.xml" not in members and "xl/workbook.bin" not in members:
        kind = "an OpenDocument spreadsheet: save it as .xlsx" if "mimetype" in members else "a zip archive"
        kind = "a Word document" if "word/document.xml" in members else kind
        return f"{name} is not an Excel .xlsx workbook: it is {kind}"
    if "xl/workbook.bin" in members:
        return f"{name} is an Excel binary workbook (.xlsb): save it as .xlsx"
    return ""


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(data) - 4  # cut mid-character by the sample
    return True


def _read_workbook(name: str, data: bytes, log: Log) -> dict[str, _Sheet]:
    """The services and staffing sheets of an .xlsx as rows of text (sheet names matched forgivingly)."""
    problem = _not_a_workbook(name, data)
    if problem:
        log.add("not-an-excel-file", problem, name)
        return {}
    sheets: dict[str, _Sheet] = {}
    blanks: dict[str, set[tuple[int, int]]] = {}  # cells with no value saved, looked at when there are formulas
    try:
        formulas = _has_formulas(data)
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            chosen = _choose_sheets(name, [(s.title, s.sheet_state) for s in book.worksheets], log)
            for key, title in chosen.items():
                sheet = book[title]
                sheet.reset_dimensions()  # some writers record a wrong size: read what is there
                rows = [list(row) for row in sheet.iter_rows(values_only=True)]
                if formulas:
                    blanks[key] = {(r, c) for r, row in enumerate(rows) for c, v in enumerate(row) if v is None}
                sheets[key] = _Sheet(name, [[v if type(v) is str else cell_text(v) for v in row] for row in rows])
        finally:
            book.close()
        if blanks:
            _find_uncalculated(data, {key: chosen[key] for key in blanks}, blanks, sheets)
    except Exception as exc:  # zipfile, the XML parser or openpyxl: for a damaged file all mean the same
        message = f"{name} cannot be read as a workbook ({type(exc).__name__}): open it in Excel, save again"
        log.add("unreadable-file", message, name)
        return {}
    if name.lower().endswith(".xlsm"):
        log.repairs.append(f"{name}: a macro-enabled workbook; its cells were read, its macros ignored (never run)")
    for sheet_name in SHEETS:
        if sheet_name not in sheets and not any(p.sheet == sheet_name for p in log.problems):
            log.add("missing-sheet", f"{name} has no sheet named {sheet_name!r}", name, sheet_name)
    return sheets


def _choose_sheets(name: str, sheets: list[tuple[str, str]], log: Log) -> dict[str, str]:
    """{table: sheet title}: a visible sheet before a hidden one; two visible sheets for one table are an error."""
    chosen: dict[str, str] = {}
    for key in SHEETS:
        matches = [(title, state) for title, state in sheets if normalise(title) == key]
        visible = [title for title, state in matches if state == "visible"]
        if len(visible) > 1:
            titles = " and ".join(repr(t) for t in visible)
            log.add("ambiguous-sheet", f"{name} has two sheets that could be {key!r}: {titles}; keep one", name, key)
        elif matches:
            chosen[key] = visible[0] if visible else matches[0][0]
            if not visible:
                log.repairs.append(f"{name}: sheet {chosen[key]!r} is hidden in Excel; it was read all the same")
            for title, _ in matches:
                if title != chosen[key]:
                    log.repairs.append(f"{name}: hidden sheet {title!r} ignored; visible sheet {chosen[key]!r} read")
    return chosen


def _has_formulas(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.namelist():
            if member.startswith("xl/worksheets/") and member.endswith(".xml"):
                xml = archive.read(member)
                if b"<f>" in xml or b"<f " in xml or b":f>" in xml or b":f " in xml:
                    return True
    return False


def _find_uncalculated(
    data: bytes, titles: dict[str, str], blanks: dict[str, set[tuple[int, int]]], sheets: dict[str, _Sheet]
) -> None:
    """Mark the cells holding a formula with no value saved (read as None, they would pass as blank)."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        for key, title in titles.items():
            sheet = book[title]
            sheet.reset_dimensions()
            for r, row in enumerate(sheet.iter_rows(values_only=True)):
                for c, value in enumerate(row):
                    formula = isinstance(value, str) and value.startswith("=")
                    formula |= value is not None and not isinstance(value, str | int | float | bool | dt.date | dt.time)
                    if formula and (r, c) in blanks[key]:
                        sheets[key].uncalculated.append((r, c))
    finally:
        book.close()


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
        books = sorted(p for p in path.iterdir() if p.suffix.lower() in WORKBOOK_SUFFIXES and p.name[:2] != "~$")
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
