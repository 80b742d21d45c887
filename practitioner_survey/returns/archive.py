"""Opening zip archives safely, and scanning a workbook's sheet before a parser builds its cells.

A workbook is a zip of XML parts, and a small file can unpack to gigabytes (a zip bomb), or hold a few cells far
out to the right or the bottom that a parser pads into millions. `archive_problem` checks an archive's declared
sizes and number of entries before anything is unpacked (Python's zipfile never unpacks more than an entry
declares, so the declared sizes bound the work); `scan_sheet` reads one sheet's XML as bytes, bounded, and finds
where its cells really reach and which formulas were saved without a value. Every workbook the project opens goes
through `returns.workbook.read_sheets`, which applies them: a return, and a survey tool's export, each held to its
`Limits`; exchange/qdpx_import.py checks a REFI-QDA project (a zip too) with `archive_problem`.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

#: A return's workbook holds a few dozen parts and, for ten thousand services, about 8 MB of XML (more with
#: long answers).
MAX_ENTRIES = 1_000
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
#: A return's tables have 10 and 13 columns; a cell beyond this column (ALL) is not part of them.
MAX_COLUMNS = 1_000
#: Rows x columns a sheet's cells may span once padded into a grid (10,000 services span about 200,000).
MAX_CELLS = 1_000_000
#: Texts in a workbook's shared-strings table, which a parser reads whole before any sheet (10,000 services
#: hold about 40,000), and cell formats in its styles (Excel itself allows 64,000).
MAX_SHARED_STRINGS = 200_000
MAX_CELL_FORMATS = 65_000

#: Every workbook the project opens is held to one set of limits: a return's (`RETURN_LIMITS`), or a survey tool's
#: export's (`EXPORT_LIMITS`), which is one sheet as wide as its questions and options, one row per respondent.
MAX_EXPORT_UNPACKED_BYTES = 256 * 1024 * 1024  # 10,000 respondents to 100 columns unpack to about 30 MB
MAX_EXPORT_CELLS = 5_000_000  # 20,000 respondents to 250 columns
MAX_EXPORT_SHARED_STRINGS = 1_000_000
MAX_EXPORT_COLUMNS = 16_384  # Excel's own limit: the export's cells, not its width, bound the work


@dataclass(frozen=True)
class Limits:
    """How much one kind of workbook may hold before it is refused unread."""

    unpacked_bytes: int
    cells: int
    shared_strings: int
    columns: int


RETURN_LIMITS = Limits(MAX_UNPACKED_BYTES, MAX_CELLS, MAX_SHARED_STRINGS, MAX_COLUMNS)
EXPORT_LIMITS = Limits(MAX_EXPORT_UNPACKED_BYTES, MAX_EXPORT_CELLS, MAX_EXPORT_SHARED_STRINGS, MAX_EXPORT_COLUMNS)

#: One match per row tag and per cell (its reference, and what lies between <c> and </c>; an empty cell is
#: `<c .../>`): one regex pass over the sheet, a second small one only for a cell holding a formula.
_ITEM = re.compile(
    rb"<(?:\w+:)?(?:(row)\b(?:[^>]*?\br=\"(\d+)\")?[^>]*>"
    rb"|c\b(?:[^>]*?\br=\"([A-Z]{1,3})(\d+)\")?[^>]*?(?:/>|>(.{0,262144}?)</(?:\w+:)?c>))",
    re.DOTALL,
)
#: A cell with content in a sheet as spreadsheet programs write one: its reference first, then a child element.
_PLAIN_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?(?<!/)>\s*<(?!/)')
_ODD_REFERENCE = re.compile(rb'<c r="(?![A-Z]{1,3}\d+")')
_PLAIN_CELLS = 300_000  # more cell tags than this are scanned step by step, which stops at the first too many
_TYPE = re.compile(rb'\bt="(\w+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_VALUE = re.compile(rb"<(?:\w+:)?v>\s*[^<\s]")
_EMPTY_VALUE = re.compile(rb"<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</")
_MERGED = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')


def archive_problem(archive: zipfile.ZipFile, name: str, max_entries: int, max_unpacked: int) -> str:
    """Why `archive` is refused unread (too many entries, or unpacking to more than `max_unpacked` bytes in all),
    or '' when its declared sizes are within bounds."""
    entries = archive.infolist()
    if len(entries) > max_entries:
        return f"{name} holds {len(entries):,} files, more than {max_entries:,}: a damaged file? It was not read"
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > max_unpacked:
        return (
            f"{name} would unpack to {unpacked:,} bytes, more than the {max_unpacked:,} it may (a damaged file, or a "
            "zip bomb?): it was not read"
        )
    return ""


def workbook_parts_problem(archive: zipfile.ZipFile, limits: Limits = RETURN_LIMITS) -> str:
    """Why a workbook's shared strings or styles would cost a parser far more than a return needs, or ''.

    Both parts are read whole when a workbook is opened, and a few hundred kilobytes of them can hold millions of
    tiny entries: counted here, in their bytes, before the parser sees them."""
    for entry in archive.infolist():
        part = entry.filename.lower()
        if part.endswith("sharedstrings.xml"):
            count, limit, what = archive.read(entry).count(b"<si"), limits.shared_strings, "texts"
        elif part.endswith("styles.xml"):
            count, limit, what = archive.read(entry).count(b"<xf"), MAX_CELL_FORMATS, "cell formats"
        else:
            continue
        if count > limit:
            return f"holds {count:,} {what}, more than a return needs ({limit:,}): a damaged file? It was not read"
    return ""


def column_number(letters: bytes) -> int:
    """b'A' -> 1, b'M' -> 13, b'XFD' -> 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def column_letters(number: int) -> str:
    """1 -> 'A', 16384 -> 'XFD'."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class SheetScan:
    """Where a sheet's cells with content reach, and its formulas saved with no value, as (row, column) from 1.

    `problem` says why the sheet is refused unread ('' when it can be read)."""

    max_row: int = 0
    max_column: int = 0
    uncalculated: list[tuple[int, int]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (first row, column, last row, column)
    problem: str = ""


def scan_sheet(xml: bytes, limits: Limits = RETURN_LIMITS, headings: int = 0) -> SheetScan:
    """Scan a worksheet part's XML for its cells with content (a value, an inline string or a formula).

    A formula whose cached value is missing, or empty while its type is not text, was saved by a program that does
    not calculate (an empty text result, as `=IF(A2="","",...)` saves, is a blank cell). Refuses a sheet declaring a
    DTD, a cell beyond `limits.columns`, and cells spanning more than `limits.cells`. With `headings` (an export's
    last heading row), the table is as wide as its heading rows: cells to the right of them are not read.
    """
    scan = SheetScan()
    if b"<!DOCTYPE" in xml[:4096] or b"<!ENTITY" in xml:
        scan.problem = "declares a DTD or entities, which no spreadsheet program writes: it was not read"
        return scan
    plain = _scan_plain(xml, limits, headings)
    if plain is not None:
        return plain
    row = column = cells = 0
    width, narrowed = limits.columns, False
    for item in _ITEM.finditer(xml):
        is_row, number, letters, cell_row, inner = item.groups()
        if is_row:
            row, column = (int(number) if number else row + 1), 0
            if headings and row > headings and not narrowed:
                width, narrowed = scan.max_column, True  # below the headings: only the columns under one are read
            continue
        if letters is not None:
            column, row = column_number(letters), int(cell_row)
        else:
            column += 1
        if not inner or not inner.strip():
            continue  # <c r="B2" s="1"/>: a formatted cell with nothing in it
        if column > width:
            if narrowed:
                continue
            scan.problem = (
                f"has a cell in column {column_letters(column)} (row {row:,}), far beyond a return's table: delete "
                "the columns to the right of the table"
            )
            return scan
        cells += 1
        scan.max_row, scan.max_column = max(scan.max_row, row), max(scan.max_column, column)
        if cells > limits.cells or scan.max_row * scan.max_column > limits.cells:
            scan.problem = (
                f"has cells out to row {scan.max_row:,} and column {column_letters(scan.max_column)}, more than a "
                "return or a survey export holds: delete the rows and columns beyond the table"
            )
            return scan
        if b"f" in inner and _FORMULA.search(inner) and not _VALUE.search(inner):
            kind_of = _TYPE.search(xml, item.start(), item.start(5))
            text = kind_of is not None and kind_of.group(1) in (b"str", b"inlineStr")
            if not (text and _EMPTY_VALUE.search(inner)):
                scan.uncalculated.append((row, column))
    scan.merged = _merged(xml)
    return scan


def _merged(xml: bytes) -> list[tuple[int, int, int, int]]:
    if b"mergeCell" not in xml:
        return []
    return [(int(r1), column_number(c1), int(r2), column_number(c2)) for c1, r1, c2, r2 in _MERGED.findall(xml)]


def _scan_plain(xml: bytes, limits: Limits, headings: int) -> SheetScan | None:
    """`scan_sheet`'s result for a sheet as Excel, LibreOffice and openpyxl write one without formulas (each cell
    tag `<c r="B7" ...>`, no namespace prefix, at most _PLAIN_CELLS cells), from one regex over its cells with
    content instead of a step per cell; None for any other sheet, which the step-by-step scan reads."""
    tags = xml.count(b'<c r="')
    plain = tags <= _PLAIN_CELLS and tags == xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b"<c/>")
    if not plain or b"<f" in xml or b":c " in xml or b":c>" in xml or _ODD_REFERENCE.search(xml):
        return None
    scan = SheetScan()
    found = _PLAIN_CELL.findall(xml)
    numbers = {letters: column_number(letters) for letters in {letters for letters, _ in found}}
    if headings:  # an export's: only the columns under a heading are read
        width = max((numbers[letters] for letters, row in found if int(row) <= headings), default=0)
        if any(number > width for number in numbers.values()):
            found = [(letters, row) for letters, row in found if numbers[letters] <= width]
            numbers = {letters: number for letters, number in numbers.items() if number <= width}
    elif any(number > limits.columns for number in numbers.values()):
        letters, row = next((letters, row) for letters, row in found if numbers[letters] > limits.columns)
        scan.problem = (
            f"has a cell in column {letters.decode()} (row {int(row):,}), far beyond a return's table: delete "
            "the columns to the right of the table"
        )
        return scan
    if found:
        scan.max_row, scan.max_column = max(map(int, {row for _, row in found})), max(numbers.values())
    if len(found) > limits.cells or scan.max_row * scan.max_column > limits.cells:
        scan.problem = (
            f"has cells out to row {scan.max_row:,} and column {column_letters(scan.max_column)}, more than a "
            "return or a survey export holds: delete the rows and columns beyond the table"
        )
        return scan
    scan.merged = _merged(xml)
    return scan
