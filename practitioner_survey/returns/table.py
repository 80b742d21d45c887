"""A return's sheets as tables of text: the shapes every reader shares, and matching a header row to columns.

`SourceFile` is one original file, `Log` collects problems and repair notes, `RawSheet` is a sheet or CSV as read (rows
of text) and `Table` the same matched to canonical columns by `match_header`, each kept row with its number as a
spreadsheet shows it. The readers are returns/csvfile.py and returns/workbook.py; returns/sheets.py finds the files.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from practitioner_survey.errors import Problem
from practitioner_survey.returns import schema

#: The tables of a return, in the order problems about them are listed.
SHEETS = (schema.SERVICES, schema.STAFFING)
#: Excel's limit on the characters in one cell; a longer cell means a damaged file (e.g. a quote never closed).
MAX_CELL_CHARS = 32_767
#: How far down a sheet its header row is looked for, below title or group-heading rows.
HEADER_SEARCH_ROWS = 5
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DIGIT = re.compile(r"\d")
#: Columns read only to be checked (a `year` column must agree with the year imported): they never make a row.
CHECK_ONLY = ("year",)
_ALIASES = {"survey_year": "year", "return_year": "year"}
#: Invisible characters, and spaces that are not spaces, that a copy from a web page or a document leaves in an
#: id or a keyword (never changed in free text or names): removed, or made plain spaces.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_ODD_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u2002\u2003\u3000"), " ")
_KEPT_AS_WRITTEN = (*schema.FREE_TEXT_QUESTIONS, "service_name", "source_note")
#: Words a header may add to a column's own ('No. of volunteers', 'Outreach workers (FTE)').
_FILLER_WORDS = {"no", "number", "num", "nr", "of", "the", "a", "in", "per", "workers", "worker", "staff", "total",
                 "count"}  # fmt: skip
_WORD_ALIASES = {"advisers": "", "advisors": "", "adviser": "", "advisor": "", "highrisk": "high risk",
                 "full": "fte", "equivalent": "", "time": "", "wte": "fte", "whole": ""}  # fmt: skip
#: Words that say a header counts people, not FTE ('Number of Idvas' is the Idva headcount).
_COUNT_WORDS = {"no", "number", "num", "nr", "count", "people", "persons", "headcount"}


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
    unknown_headers: list[str]  # headers matching no canonical column, as written (stripped)
    rows: list[tuple[int, dict[str, str]]]  # (row number, header row = 1; canonical column -> cell text)
    duplicates: list[str] = field(default_factory=list)  # canonical columns whose header appears more than once
    decimal_comma: bool = False  # a semicolon-separated CSV (a European Excel's), where '1,5' is one and a half
    header_row: int = 1  # the header's row number as the spreadsheet shows it
    repeated: list[int] = field(default_factory=list)  # rows below the header that repeat it (skipped)
    unread: set[tuple[int, str]] = field(default_factory=set)  # (row, column) of cells already found unreadable


@dataclass
class Log:
    """Problems and repair notes collected while reading one return."""

    problems: list[Problem] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)

    def add(self, code: str, message: str, file: str, sheet: str = "") -> None:
        """An error about a whole file or sheet."""
        self.problems.append(Problem("error", code, message, file, sheet))


def formula_without_value(file: str, sheet: str, row: int, column: str) -> Problem:
    """The error for a cell holding a formula saved without its value (returns/archive.py tells which: not the
    empty text that LibreOffice saves for `=IF(A2="","",...)`, which is a blank cell)."""
    message = (
        f"{column} holds a formula with no calculated value (the file was saved by a program that does not "
        "calculate formulas): open it in Excel and save it again"
    )
    return Problem("error", "formula-without-value", message, file, sheet, row, column)


def normalise(name: object) -> str:
    """'Service ID', 'service-id', ' SERVICE_id ' -> 'service_id' (headers, sheet names, keywords)."""
    return re.sub(r"[\s_\-]+", "_", str(name or "").strip().lower()).strip("_")


@dataclass
class RawSheet:
    """One sheet or CSV as read: its rows of text, and what reading it found."""

    file: str
    rows: list[list[str]]
    decimal_comma: bool = False
    uncalculated: list[tuple[int, int]] = field(default_factory=list)  # (row, column) indexes from 0
    delimited: bool = False  # a CSV, where a row longer than its header means a separator inside a cell
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # merged cells: first row, col, last row, col


def match_header(
    file: str, sheet: str, rows: Iterable[Sequence[str]], columns: Sequence[str], log: Log | None = None
) -> Table:
    """Map the header row onto canonical columns; keep each row with a value in a known column.

    The header is the first row naming a known column; when the first row names none (a title, or group
    headings over merged cells), the first of the next rows naming two or more is taken, noted on `log`. A row
    further down that names two known columns repeats the header (sheets or exports pasted one below another): it
    is skipped and listed on `Table.repeated`. Control characters are removed from cells, and invisible characters
    from ids and keywords (each noted on `log`, naming the cell); a cell longer than Excel allows is an error there.
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
        written = _CONTROL.sub("", str(cell or "")).strip()
        key = _column_key(written)
        if key in columns:
            if key in header and key not in duplicates:
                duplicates.append(key)
            header.setdefault(key, position)
        elif key:
            unknown.append(written)
    makes_a_row = [(col, i) for col, i in header.items() if col not in CHECK_ONLY]
    kept, repeated = [], []
    repeats = _repeats(grid[at + 1 :], columns)
    for number, cells in enumerate(grid[at + 1 :], start=at + 2):
        if number - at - 2 in repeats:
            repeated.append(number)
            continue
        values = {col: (cells[i] if i < len(cells) else "") for col, i in header.items()}
        if any(cells[i].strip() for _, i in makes_a_row if i < len(cells)):
            kept.append((number, _clean_row(file, sheet, number, values, log)))
    return Table(file, sheet, header, unknown, kept, duplicates, header_row=at + 1, repeated=repeated)


def _column_key(written: str) -> str:
    key = normalise(written.translate(_INVISIBLE).translate(_ODD_SPACES))
    return _ALIASES.get(key, key)


def _known(row: Sequence[str], columns: Sequence[str]) -> int:
    return len({_column_key(str(c or "")) for c in row} & set(columns))


def _repeats(rows: list[list[str]], columns: Sequence[str]) -> set[int]:
    """The indexes of `rows` naming two or more of `columns` (a header repeated lower down). The grid is looked at a
    column at a time, each distinct text matched once (a table repeats its figures, areas and answers thousands of
    times; and when no column's name holds a digit, a figure or an id is no heading): only a row holding a text that
    names a column is matched as a whole."""
    wanted, digits = set(columns), any(_DIGIT.search(c) for c in columns)
    candidates: set[int] = set()
    for cells in itertools.zip_longest(*rows, fillvalue=""):
        named = {t for t in set(cells) if t and (digits or not _DIGIT.search(str(t))) and _column_key(str(t)) in wanted}
        if named:
            candidates.update(i for i, text in enumerate(cells) if text in named)
    return {i for i in candidates if _known(rows[i], columns) >= 2}


def _header_row(grid: list[list[str]], columns: Sequence[str]) -> int:
    """Index of the header row: 0 unless the first row names no known column and a row below it names two."""
    columns = [c for c in columns if c not in CHECK_ONLY]  # a title row may say 'Year'
    if not grid or _known(grid[0], columns):
        return 0
    return next((i for i, row in enumerate(grid[1:HEADER_SEARCH_ROWS], start=1) if _known(row, columns) >= 2), 0)


def _words(name: str) -> frozenset[str]:
    """The words of a header or column that say what it holds, singular: 'No. of volunteers' -> {'volunteer'}."""
    words = re.findall(r"[a-z0-9]+", name.lower().replace("high-risk", "highrisk"))
    words = " ".join(_WORD_ALIASES.get(w, w) for w in words).split()
    singular = (w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words if len(w) > 1)
    return frozenset(w for w in singular if w not in _FILLER_WORDS)


def lookalike(written: str, columns: Iterable[str]) -> str:
    """The column among `columns` that a header matching none of them was most likely meant to be, or ''.

    A header holding every word of a column ('High-risk Idva FTE', 'Outreach workers (FTE)', 'No. of
    volunteers') is that column (the one with most words, if several); so is one naming only what a figure
    counts ('ISVAs', 'Children's workers': FTE, or the headcount when it says 'number of'), or part of one column's
    name only ('Comments', 'Locations'); else the nearest by spelling.
    """
    words = _words(written)
    columns = list(columns)
    holding = [c for c in columns if _words(c) and _words(c) <= words]
    if holding:
        return max(holding, key=lambda c: len(_words(c)))
    counts = bool(set(re.findall(r"[a-z]+", written.lower())) & _COUNT_WORDS)
    naming = [c for c in columns if words and _words(c) - {"fte", "headcount"} == words]
    if naming:
        return next((c for c in naming if ("headcount" in c) == counts), naming[0])
    part_of = [c for c in columns if words and words < _words(c)]  # 'Comments' is other_comments, if only it
    if len(part_of) == 1:
        return part_of[0]
    near = difflib.get_close_matches(normalise(written), columns, n=1, cutoff=0.75)
    return near[0] if near else ""


def _clean_row(file: str, sheet: str, number: int, values: dict[str, str], log: Log) -> dict[str, str]:
    """Remove control characters, and invisible ones from ids and keywords (noted, naming the cell, never its
    text); a too-long cell is an error."""
    texts = values.values()
    if max(map(len, texts), default=0) <= MAX_CELL_CHARS:
        joined = "".join(texts)
        if joined.isascii() and not _CONTROL.search(joined):
            return values  # the common row: nothing to clean
    where = f"{file}, {sheet} row {number}" if sheet else f"{file}, row {number}"
    for column, text in values.items():
        if len(text) > MAX_CELL_CHARS:
            message = (
                f"{column} holds {len(text):,} characters, more than Excel allows in a cell: is a quote never "
                "closed, or the file damaged?"
            )
            log.problems.append(Problem("error", "cell-too-long", message, file, sheet, number, column))
        controls = len(_CONTROL.findall(text))
        if controls:
            values[column] = text = _CONTROL.sub("", text)
            log.repairs.append(f"{where}, column {column}: removed {controls} control character(s)")
        if column not in _KEPT_AS_WRITTEN and not text.isascii():
            plain = text.translate(_INVISIBLE).translate(_ODD_SPACES)
            if plain != text:
                values[column] = plain
                what = "invisible characters or non-breaking spaces"
                log.repairs.append(f"{where}, column {column}: removed {what} (as a copy from a web page leaves)")
    return values
