"""Reading an .xlsx workbook's services and staffing sheets as rows of text; `read_sheets`, which reads the chosen
sheets of any workbook under the guards of returns/archive.py, is also how a survey tool's export is read.

It says what a file that is not a workbook is instead (a password-protected or old .xls workbook, a PDF, an image,
a zip, CSV text, an OpenDocument spreadsheet, a Strict Open XML workbook), refuses one that would unpack to more
than a return can hold or whose cells reach far beyond its tables (returns/archive.py), picks the sheets by name
(one rule, `_choose_sheets`) and finds the cells holding a formula saved without its value. An .xlsm's macros are
never run.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from typing import TYPE_CHECKING

from practitioner_survey._exports import lazy_module
from practitioner_survey.returns.archive import (
    MAX_ENTRIES,
    RETURN_LIMITS,
    Limits,
    archive_problem,
    scan_sheet,
    workbook_parts_problem,
)
from practitioner_survey.returns.table import SHEETS, Log, RawSheet, normalise

if TYPE_CHECKING:
    import openpyxl
else:
    openpyxl = lazy_module("openpyxl")  # imported on first use, when a workbook is read

#: Words that make a sheet's name a copy or a version of another's ('Copy of staffing', 'services_old').
_DECORATIONS = {"copy", "of", "old", "new", "final", "backup", "bak", "draft", "updated", "revised", "corrected",
                "latest", "version", "sheet", "table", "data", "fy"}  # fmt: skip
#: What a file that is not a workbook is, by its first bytes.
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF document"),
)


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


def not_a_workbook(name: str, data: bytes) -> str:
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
    if _is_strict(data):
        return (
            f"{name} is saved as a 'Strict Open XML Spreadsheet', which cannot be read: open it in Excel and save it "
            "as 'Excel Workbook (*.xlsx)'"
        )
    return ""


def _is_strict(data: bytes) -> bool:
    """Whether a workbook is in ISO 29500 Strict form (Excel's 'Strict Open XML Spreadsheet'), told by the
    namespace of its workbook part (read no further than its start)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("xl/workbook.xml") as part:
            start = part.read(65_536)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, RuntimeError, NotImplementedError):
        return False
    return b"purl.oclc.org/ooxml/spreadsheetml/main" in start


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(data) - 4  # cut mid-character by the sample
    return True


def read_workbook(name: str, data: bytes, log: Log) -> dict[str, RawSheet]:
    """The services and staffing sheets of an .xlsx as rows of text (sheet names matched by one rule, see
    `_choose_sheets`), each checked for its size before it is parsed."""
    problem = not_a_workbook(name, data)
    if problem:
        log.add("not-an-excel-file", problem, name)
        return {}
    sheets = read_sheets(name, data, log, lambda found: _choose_sheets(name, found, log))
    if sheets and name.lower().endswith(".xlsm"):
        log.repairs.append(f"{name}: a macro-enabled workbook; its cells were read, its macros ignored (never run)")
    return sheets


def read_sheets(
    name: str,
    data: bytes,
    log: Log,
    choose: Callable[[list[tuple[str, str]]], dict[str, str]],
    limits: Limits = RETURN_LIMITS,
    headings: int = 0,
) -> dict[str, RawSheet]:
    """{key: rows of text} of the sheets `choose` picks ({key: title} from the workbook's (title, state) list,
    saying on `log` what it cannot find); {} with the problem on `log` when the workbook cannot be read.

    Every workbook the project opens is read here: its declared sizes are checked before anything is unpacked,
    and each chosen sheet's XML is scanned (returns/archive.py, against `limits`) before openpyxl parses it, only
    as far as its cells reach; `headings` is passed to `scan_sheet` (an export's table is as wide as its headings).
    """
    sheets: dict[str, RawSheet] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            problem = archive_problem(archive, name, MAX_ENTRIES, limits.unpacked_bytes)
            if not problem and (parts := workbook_parts_problem(archive, limits)):
                problem = f"{name} {parts}"
            if problem:
                log.add("too-large", problem, name)
                return {}
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                chosen = choose([(s.title, s.sheet_state) for s in book.worksheets])
                for key, title in chosen.items():
                    sheet = book[title]
                    scan = scan_sheet(archive.read(sheet._worksheet_path), limits, headings)
                    if scan.problem:
                        log.add("too-large", f"sheet {title!r} {scan.problem}", name, key)
                        continue
                    rows = []
                    if scan.max_row:  # only as far as cells hold something: a stray format pads nothing
                        cells = sheet.iter_rows(max_row=scan.max_row, max_col=scan.max_column, values_only=True)
                        rows = [[v if type(v) is str else cell_text(v) for v in row] for row in cells]
                    uncalculated = [(r - 1, c - 1) for r, c in scan.uncalculated]
                    merged = [(r1 - 1, c1 - 1, r2 - 1, c2 - 1) for r1, c1, r2, c2 in scan.merged]
                    sheets[key] = RawSheet(name, rows, uncalculated=uncalculated, merged=merged)
            finally:
                book.close()
    except Exception as exc:  # zipfile, the XML parser or openpyxl: for a damaged file all mean the same
        message = f"{name} cannot be read as a workbook ({type(exc).__name__}): open it in Excel, save again"
        log.add("unreadable-file", message, name)
        return {}
    return sheets


def _sheet_kind(key: str, title: str) -> str:
    """'exact' when a sheet's title is the table's name ('Staffing', 'STAFFING_'), 'near' when it is the name with
    a copy's or a version's decoration ('staffing (2)', 'Services 2018', 'Copy of staff', 'staffing_old'), else ''
    ('Service notes' is another sheet)."""
    if normalise(title) == key:
        return "exact"
    words = re.findall(r"[a-z]+|\d+", title.lower())
    names = {key, key.rstrip("s") if key.endswith("s") else key[:5]}  # 'service', 'staff'
    rest = [w for w in words if w not in names]
    decorated = all(w.isdigit() or w in _DECORATIONS or re.fullmatch(r"v\d+", w) for w in rest)
    return "near" if len(rest) < len(words) and decorated else ""


def _choose_sheets(name: str, sheets: list[tuple[str, str]], log: Log) -> dict[str, str]:
    """{table: sheet title} by one rule: of the sheets that could be a table (its name, or a name holding it), the
    visible ones count, or the hidden ones if none is visible; one such sheet with the table's very name is read,
    and two or more are refused as ambiguous, listing them. A sheet only holding the name is refused, listing the
    sheets found (is 'Services 2018' this year's?)."""
    chosen: dict[str, str] = {}
    found = ", ".join(repr(t) + ("" if state == "visible" else " (hidden)") for t, state in sheets)
    for key in SHEETS:
        candidates = [(t, state, kind) for t, state in sheets if (kind := _sheet_kind(key, t))]
        pool = [c for c in candidates if c[1] == "visible"] or candidates
        if len(pool) > 1:
            titles = " and ".join(repr(t) for t, _, _ in pool)
            count = "two" if len(pool) == 2 else str(len(pool))
            message = f"{name} has {count} sheets that could be {key!r}: {titles}; keep one (or rename the others)"
            log.add("ambiguous-sheet", message, name, key)
        elif pool and pool[0][2] == "exact":
            chosen[key] = pool[0][0]
            if pool[0][1] != "visible":
                log.repairs.append(f"{name}: sheet {chosen[key]!r} is hidden in Excel; it was read all the same")
            for title, _, _ in candidates:
                if title != chosen[key]:
                    log.repairs.append(f"{name}: hidden sheet {title!r} ignored; visible sheet {chosen[key]!r} read")
        else:
            message = f"{name} has no sheet named {key!r} (its sheets: {found or 'none'}): name the {key} sheet {key}"
            log.add("missing-sheet", message, name, key)
    return chosen
