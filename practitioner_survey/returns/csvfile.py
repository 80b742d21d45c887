"""Reading a CSV file of a return as rows of text: its encoding, its separator, and quotes never closed.

What cannot be read is a problem on the `Log` about the whole file; what is read unambiguously but not as written
(an encoding other than UTF-8, a byte-order mark, semicolons or tabs) is noted on its repairs. No message ever
quotes the file's text: a decoding error is re-worded to name the line only.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from practitioner_survey.returns.table import Log, RawSheet

_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
#: Byte-order marks, longest first: UTF-32's little-endian mark begins with UTF-16's.
_UNICODE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                 (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip
#: Well-formed UTF-8 sequences of two or more bytes: in a file that is not UTF-8, they mean mixed encodings.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_DELIMITERS = {",": "", ";": "semicolon-separated (as a European Excel saves CSV)", "\t": "tab-separated"}
#: Characters that text in English (or a European language) plausibly holds outside ASCII, by kind.
_PUNCTUATION = set("’‘“”–—…•£€°½")
_LOWER_ACCENTED = set("éèêëáàâäåçíìîïóòôöøúùûüñœæß")
_ENCODING_NOTES = {
    "cp1252": "not UTF-8; read as Windows-1252 (the encoding Excel uses for CSV)",
    "mac_roman": "not UTF-8; read as Mac Roman (the encoding Excel for Mac uses for CSV): check its accents",
    "utf-16": "read as UTF-16 text (Excel's 'Unicode Text')",
    "utf-32": "read as UTF-32 text",
    "utf-8-sig": "read as UTF-8, skipping its byte-order mark",
}


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a text file as Excel or an editor saves it: UTF-8 with or without a BOM, UTF-16 or
    UTF-32 with a BOM (Excel's 'Unicode Text' is UTF-16), else Windows-1252 (what Excel's plain 'CSV' uses on
    Windows) or Mac Roman (on a Mac), whichever reads as more plausible text. Encoding is 'utf-8-sig' (BOM),
    'utf-8', 'utf-16', 'utf-32', 'cp1252' or 'mac_roman'.

    Raises UnicodeDecodeError when it is none of these: invalid bytes after a BOM, and text that mixes UTF-8 with
    another encoding (its reason says 'mixed encodings'; its start is the first byte that is not UTF-8).
    """
    for bom, encoding in _UNICODE_BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if data.startswith(_BOMS):
            raise
        if _UTF8_SEQUENCE.search(data):
            raise UnicodeDecodeError("utf-8", data, error.start, error.end, "mixed encodings") from None
        return _eight_bit(data, error)
    return text, "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"


def _eight_bit(data: bytes, error: UnicodeDecodeError) -> tuple[str, str]:
    """Windows-1252 or Mac Roman, whichever gives the more plausible text (Windows-1252 when they tie)."""
    try:
        windows = data.decode("cp1252")
    except UnicodeDecodeError:
        windows = ""  # bytes Windows-1252 leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d)
    mac = data.decode("mac_roman")  # defines all 256 bytes
    if windows and _plausibility(windows) >= _plausibility(mac):
        return windows, "cp1252"
    if _plausibility(mac) > 0:
        return mac, "mac_roman"
    if windows:
        return windows, "cp1252"
    raise error


def _plausibility(text: str) -> int:
    """How much the characters outside ASCII look like real text: typographic punctuation and lower-case accented
    letters count for it; an upper-case accented letter inside a word ('WomenÕs') and rarer symbols against."""
    score = 0
    for match in re.finditer(r"[^\x00-\x7f]", text):
        char, at = match.group(), match.start()
        before = text[at - 1] if at else " "
        if char in _PUNCTUATION:
            score += 2
        elif char in _LOWER_ACCENTED:
            score += 1
        elif char.isupper() and before.islower():
            score -= 2
        elif not char.isalpha():
            score -= 1
    return score


def _unmarked_unicode(data: bytes) -> str:
    """'utf-16-le', 'utf-16-be', 'utf-32-le' or 'utf-32-be' for text saved without its byte-order mark (told by
    where its NUL bytes fall), else ''."""
    sample = data[:4000]
    sample = sample[: len(sample) - len(sample) % 4]
    if not sample or sample.count(0) * 4 < len(sample):
        return ""
    zero = [sum(1 for b in sample[i::4] if b == 0) * 4 / len(sample) for i in range(4)]  # share of NULs per offset
    if min(zero[1:]) > 0.9 and zero[0] < 0.5:
        return "utf-32-le"
    if min(zero[:3]) > 0.9 and zero[3] < 0.5:
        return "utf-32-be"
    if zero[1] > 0.9 and zero[3] > 0.9:
        return "utf-16-le"
    if zero[0] > 0.9 and zero[2] > 0.9:
        return "utf-16-be"
    return ""


def read_csv_sheet(name: str, data: bytes, log: Log, sheet: str = "") -> RawSheet | None:
    """A CSV's rows of text; None, with the problem on `log`, when it cannot be read."""
    if not data.strip():
        log.add("empty-file", f"{name} is empty", name, sheet)
        return None
    text = _decoded(name, data, log, sheet)
    if text is None:
        return None
    first_line = re.split(r"[\r\n]", text, maxsplit=1)[0]  # lines may end in CR alone (Excel's 'CSV (Macintosh)')
    delimiter = max(_DELIMITERS, key=first_line.count)  # the commonest in the header (commas when none is)
    if _DELIMITERS[delimiter]:
        decimal = "; a comma in a number is its decimal point" if delimiter == ";" else ""
        log.repairs.append(f"{name}: read as {_DELIMITERS[delimiter]}{decimal}")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        # the end of the file inside a quoted cell, or a cell grown past the parser's limit by a quote never closed
        opened = _unclosed_quote_line(text, delimiter) if "end of data" in str(exc) or "field limit" in str(exc) else 0
        if opened:
            message = f"{name}: a quote opened on line {opened} is never closed, so the rest of the file is one cell"
            log.add("unclosed-quote", message, name, sheet)
            return None
        try:  # a stray quote inside a cell ('"Aid" Ltd'): read as a spreadsheet program reads it
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as again:
            log.add("unreadable-file", f"{name} cannot be read as CSV ({again})", name, sheet)
            return None
    return RawSheet(name, rows, decimal_comma=delimiter == ";", delimited=True)


def _decoded(name: str, data: bytes, log: Log, sheet: str) -> str | None:
    """The file's text with its encoding noted; None, with the problem on `log`, when it cannot be decoded."""
    unmarked = (
        "" if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else _unmarked_unicode(data)
    )
    if unmarked:
        try:
            text = data.decode(unmarked)
        except UnicodeDecodeError:
            message = f"{name} looks like {unmarked.upper()} text without its byte-order mark but is not valid: "
            log.add("unreadable-file", message + "save it as 'CSV UTF-8'", name, sheet)
            return None
        log.repairs.append(f"{name}: read as {unmarked.upper()} text (it has no byte-order mark)")
        return text
    try:
        text, encoding = decode_text(data)
    except UnicodeDecodeError as exc:  # its message would quote the text: name the line only
        line = data.count(b"\n", 0, exc.start) + 1
        if exc.reason == "mixed encodings":
            message = (
                f"{name} mixes UTF-8 with another encoding (the first byte that is not UTF-8 is on line {line}): "
                "save it again as 'CSV UTF-8'"
            )
        else:
            message = f"{name} is not UTF-8, UTF-16, UTF-32 or Windows-1252 text (line {line}); save it as 'CSV UTF-8'"
        log.add("unreadable-file", message, name, sheet)
        return None
    sample = text[:2000]
    if sample.count("\x00") * 4 >= len(sample):  # a stray NUL in a cell is removed later, like any control character
        log.add("unreadable-file", f"{name} holds NUL bytes, as text in an unknown encoding does: "
                "save it as 'CSV UTF-8'", name, sheet)  # fmt: skip
        return None
    if encoding in _ENCODING_NOTES:
        log.repairs.append(f"{name}: {_ENCODING_NOTES[encoding]}")
    return text.lstrip("\ufeff")


_QUOTED = re.compile(r'"(?:[^"]|"")*"')


def _unclosed_quote_line(text: str, delimiter: str) -> int:
    """The line on which the quote that never closes was opened (a quote opens a cell only at the cell's start),
    or 0 when every quote closes."""
    unquoted = re.compile(f"[^{re.escape(delimiter)}\r\n]*")
    at, end = 0, len(text)
    while at < end:
        if text[at] == '"':
            closed = _QUOTED.match(text, at)
            if closed is None:
                return text.count("\n", 0, at) + 1
            at = closed.end()
        at = unquoted.match(text, at).end() + 1  # type: ignore[union-attr]  # always matches, maybe empty
    return 0
