"""Reading a CSV file of a return as rows of text: its encoding, its separator, and quotes never closed.

What cannot be read is a problem on the `Log` about the whole file; what is read unambiguously but not as written
(an encoding other than UTF-8, a byte-order mark, semicolons or tabs) is noted on its repairs.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from practitioner_survey.returns.table import Log, RawSheet

_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
#: Well-formed UTF-8 sequences of two or more bytes: in a file that is not UTF-8, they mean mixed encodings.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_DELIMITERS = {",": "", ";": "semicolon-separated (as a European Excel saves CSV)", "\t": "tab-separated"}


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


def read_csv_sheet(name: str, data: bytes, log: Log, sheet: str = "") -> RawSheet | None:
    """A CSV's rows of text; None, with the problem on `log`, when it cannot be read."""
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
    return RawSheet(name, rows, decimal_comma=delimiter == ";")
