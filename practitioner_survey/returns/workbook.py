"""Reading an .xlsx workbook's services and staffing sheets as rows of text.

It says what a file that is not a workbook is instead (a password-protected or old .xls workbook, a PDF, an image,
a zip, CSV text, an OpenDocument spreadsheet), picks the sheets by name (forgivingly; a visible sheet before a
hidden one) and finds the cells holding a formula saved without its value. An .xlsm's macros are never run.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING

from practitioner_survey._exports import lazy_module
from practitioner_survey.returns.table import SHEETS, Log, RawSheet, normalise

if TYPE_CHECKING:
    import openpyxl
else:
    openpyxl = lazy_module("openpyxl")  # imported on first use, when a workbook is read

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
    return ""


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(data) - 4  # cut mid-character by the sample
    return True


def read_workbook(name: str, data: bytes, log: Log) -> dict[str, RawSheet]:
    """The services and staffing sheets of an .xlsx as rows of text (sheet names matched forgivingly)."""
    problem = not_a_workbook(name, data)
    if problem:
        log.add("not-an-excel-file", problem, name)
        return {}
    sheets: dict[str, RawSheet] = {}
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
                sheets[key] = RawSheet(name, [[v if type(v) is str else cell_text(v) for v in row] for row in rows])
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
    data: bytes, titles: dict[str, str], blanks: dict[str, set[tuple[int, int]]], sheets: dict[str, RawSheet]
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
