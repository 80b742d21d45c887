"""Write the corpus of malformed returns in this folder: `python tests/bad_returns/make_corpus.py`.

Every file is made here from fixed values, so running it again gives the same bytes; the files are committed as
well, so the tests never depend on this script. Each case is one workbook or one folder holding services.csv and
staffing.csv, named `NN-what-is-wrong`; `tests/test_bad_input.py` says what importing each must do, and README.md
beside this script lists them. All content is synthetic.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

# openpyxl writes its XML with lxml when that is installed, and with the standard library's ElementTree otherwise,
# and the two place namespace declarations differently: the corpus is always made the standard library's way
# (this takes effect when the script is run, before anything has imported openpyxl).
os.environ["OPENPYXL_LXML"] = "False"

import openpyxl

from practitioner_survey.returns import schema

HERE = Path(__file__).resolve().parent
#: Planted in free-text answers: the tests check that no command ever prints it.
SECRET = "she told us her ex-partner followed her"
FIXED_TIME = dt.datetime(2017, 6, 1, 9, 0, 0)

SERVICES_HEADER = list(schema.SERVICES_COLUMNS)
STAFFING_HEADER = list(schema.STAFFING_COLUMNS)

Row = list[object]


def services(*changes: tuple[int, str, object], extra: Sequence[Row] = ()) -> list[Row]:
    """The two services of a clean return (header first); changes are (data row index, column, value)."""
    rows: list[Row] = [
        list(SERVICES_HEADER),
        ["S1", "Northshire Women’s Aid", "yes", "online", "", "both", "Police; Courts", f"Being believed. {SECRET}.",
         "Housing.", ""],
        ["S2", "Eastvale Refuge", "yes", "phone", "", "marac", "Specialist Domestic Abuse Service",
         "More refuge spaces.", f"Waiting lists; {SECRET}.", ""],
    ]  # fmt: skip
    rows += [list(r) for r in extra]
    return _change(rows, SERVICES_HEADER, changes)


def staffing(*changes: tuple[int, str, object], extra: Sequence[Row] = ()) -> list[Row]:
    """One staffing row per service (header first); changes are (data row index, column, value)."""
    rows: list[Row] = [
        list(STAFFING_HEADER),
        ["S1", "Thames Valley", 3, 2.5, 2, 1, 0, 0, 0, 0.5, 0, 0, 4],
        ["S2", "Cumbria", 2, 1.5, 1, 0, 2, 0, 0, 0, 0, 0, 0],
    ]
    rows += [list(r) for r in extra]
    return _change(rows, STAFFING_HEADER, changes)


def _change(rows: list[Row], header: list[str], changes: Sequence[tuple[int, str, object]]) -> list[Row]:
    for index, column, value in changes:
        rows[index + 1][header.index(column)] = value
    return rows


# --- writing workbooks and CSVs, byte for byte the same on every run ----------------------------------------


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps, so that a workbook's bytes do not depend on when it was made."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
    return out.getvalue()


def workbook_bytes(sheets: dict[str, list[Row]], prepare: Callable[[openpyxl.Workbook], None] | None = None) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    if prepare is not None:
        prepare(book)
    book.properties.creator = "make_corpus.py"
    book.properties.created = book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue())


def clean_workbook(prepare: Callable[[openpyxl.Workbook], None] | None = None, **tables: list[Row]) -> bytes:
    sheets = {"services": tables.get("services", services()), "staffing": tables.get("staffing", staffing())}
    return workbook_bytes(sheets, prepare)


def csv_text(rows: Sequence[Row], delimiter: str = ",") -> str:
    def cell(value: object) -> str:
        text = "" if value is None else str(value)
        if any(c in text for c in (delimiter, '"', "\n", "\r")):
            return '"' + text.replace('"', '""') + '"'
        return text

    return "".join(delimiter.join(cell(v) for v in row) + "\r\n" for row in rows)


def csv_pair(
    services_rows: Sequence[Row] | None = None,
    staffing_rows: Sequence[Row] | None = None,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> dict[str, bytes]:
    return {
        "services.csv": csv_text(services_rows or services(), delimiter).encode(encoding),
        "staffing.csv": csv_text(staffing_rows or staffing(), delimiter).encode(encoding),
    }


# --- OLE compound files (old .xls, and password-protected workbooks) ----------------------------------------

_END, _FREE, _FAT_SECTOR, _NONE = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def compound_file(streams: Sequence[tuple[str, bytes]]) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors) holding the given streams under its root.

    Streams under 4096 bytes go in the mini stream, as the format requires. Enough for files up to about 60 KB.
    """
    streams = sorted(streams, key=lambda s: (len(s[0]), s[0].upper()))  # the directory's sibling order
    mini, mini_fat, starts = bytearray(), [], {}
    for name, data in streams:
        if len(data) < 4096:
            count = -(-len(data) // 64)
            starts[name] = len(mini_fat) if count else _END
            mini_fat += [len(mini_fat) + i + 1 for i in range(count - 1)] + ([_END] if count else [])
            mini += data.ljust(count * 64, b"\0")
    fat, body = [_FAT_SECTOR], bytearray()

    def chain(data: bytes) -> int:
        if not data:
            return _END
        count, first = -(-len(data) // 512), len(fat)
        fat.extend([*range(first + 1, first + count), _END])
        body.extend(data.ljust(count * 512, b"\0"))
        return first

    directory_sectors = -(-(len(streams) + 1) // 4)
    directory_start = chain(b"\0" * 512 * directory_sectors)
    mini_fat_start = chain(struct.pack(f"<{len(mini_fat)}I", *mini_fat).ljust(512, b"\xff")) if mini_fat else _END
    mini_start = chain(bytes(mini))
    for name, data in streams:
        if len(data) >= 4096:
            starts[name] = chain(data)
    assert len(fat) <= 128, "too big for one FAT sector"

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = (name.encode("utf-16-le") + b"\0\0") if name else b""
        return struct.pack(
            "<64sHBBIII16sIQQIQ", raw.ljust(64, b"\0"), len(raw), kind, 1, _NONE, right, child, b"\0" * 16, 0, 0, 0,
            start, size,
        )  # fmt: skip

    entries = entry("Root Entry", 5, _NONE, 1 if streams else _NONE, mini_start, len(mini))
    for index, (name, data) in enumerate(streams, start=1):
        right = index + 1 if index < len(streams) else _NONE
        entries += entry(name, 2, right, _NONE, starts[name], len(data))
    unused = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, _NONE, _NONE, _NONE, b"\0" * 16, 0, 0, 0, 0, 0)
    entries = entries.ljust(512 * directory_sectors, b"\0")
    for offset in range(len(streams) + 1, 4 * directory_sectors):
        entries = entries[: offset * 128] + unused + entries[(offset + 1) * 128 :]
    body[:len(entries)] = entries  # fmt: skip
    fat_sector = struct.pack("<128I", *fat, *[_FREE] * (128 - len(fat)))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6,
        0, 1, directory_start, 0, 4096, mini_fat_start, 1 if mini_fat else 0, _END, 0,
    )  # fmt: skip
    header += struct.pack("<109I", 0, *[_FREE] * 108)
    return header + fat_sector + bytes(body)


def _pseudo_random(seed: str, size: int) -> bytes:
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:size])


def encrypted_workbook() -> bytes:
    """What Excel writes for File > Info > Protect Workbook > Encrypt with Password: an OLE compound file holding an
    agile EncryptionInfo stream (ECMA-376 part 2) and an EncryptedPackage stream. The encrypted bytes here are
    pseudo-random: no password opens this file, which is all a test needs."""

    def b64(seed: str, size: int) -> str:
        return base64.b64encode(_pseudo_random(seed, size)).decode()

    cipher = 'blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" '
    cipher += 'hashAlgorithm="SHA512"'
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        '<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" '
        'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
        f'<keyData saltSize="16" {cipher} saltValue="{b64("salt", 16)}"/>'
        f'<dataIntegrity encryptedHmacKey="{b64("hmac-key", 64)}" encryptedHmacValue="{b64("hmac", 64)}"/>'
        '<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
        f'<p:encryptedKey spinCount="100000" saltSize="16" {cipher} saltValue="{b64("key-salt", 16)}" '
        f'encryptedVerifierHashInput="{b64("input", 16)}" encryptedVerifierHashValue="{b64("value", 64)}" '
        f'encryptedKeyValue="{b64("key", 32)}"/></keyEncryptor></keyEncryptors></encryption>'
    )
    info = struct.pack("<HHI", 4, 4, 0x40) + xml.encode()
    plain = clean_workbook()
    package = struct.pack("<Q", len(plain)) + _pseudo_random("package", -(-len(plain) // 16) * 16)
    return compound_file([("EncryptionInfo", info), ("EncryptedPackage", package)])


def old_xls() -> bytes:
    """An Excel 97-2003 file's shape: a compound file whose Workbook stream starts with a BIFF8 BOF record."""
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x0DBB, 0x07CC, 0x000100C1, 0x00000006)
    return compound_file([("Workbook", bof + b"\x0a\x00\x00\x00")])


def macro_enabled() -> bytes:
    """A clean return saved as .xlsm: macro-enabled content type and a vbaProject.bin part."""
    data = clean_workbook()
    out = io.BytesIO()
    vba = compound_file([("PROJECT", b'ID="{00000000-0000-0000-0000-000000000000}"\r\nName="VBAProject"\r\n')])
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                          b"</Types>")  # fmt: skip
            if info.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/'
                    b'vbaProject" Target="vbaProject.bin"/></Relationships>',
                )
            target.writestr(info, content)
        target.writestr(zipfile.ZipInfo("xl/vbaProject.bin", date_time=(1980, 1, 1, 0, 0, 0)), vba)
    return out.getvalue()


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
        b"trailer <</Root 1 0 R>>\n%%EOF\n"
    )


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("returns/services.csv", date_time=(1980, 1, 1, 0, 0, 0))
        archive.writestr(info, csv_text(services()))
    return out.getvalue()


# --- the cases ----------------------------------------------------------------------------------------------


def _formulas(book: openpyxl.Workbook) -> None:
    sheet = book["staffing"]
    sheet["D2"] = "=C2-0.5"  # idva_fte as a formula, saved without a calculated value
    sheet["D3"] = "=C3-0.5"


def _hidden(book: openpyxl.Workbook) -> None:
    book["services"].sheet_state = "hidden"
    old = book.create_sheet("staffing 2016")
    for row in staffing((0, "idva_fte", 9)):
        old.append(row)
    old.sheet_state = "hidden"


def _merged_header(book: openpyxl.Workbook) -> None:
    sheet = book["staffing"]
    sheet.insert_rows(1)
    sheet["A1"], sheet["C1"], sheet["F1"] = "Service", "Independent domestic violence advisers", "Other staff (FTE)"
    sheet.merge_cells("A1:B1")
    sheet.merge_cells("C1:E1")
    sheet.merge_cells("F1:L1")


def _about_sheets(book: openpyxl.Workbook) -> None:
    about = book.create_sheet("About", 0)
    about.append(["Practitioner survey returns, collated by the survey team"])
    book.create_sheet("Pivot").append(["region", "services"])


def _blank_rows(book: openpyxl.Workbook) -> None:
    for sheet in (book["services"], book["staffing"]):
        sheet.insert_rows(2, 2)
        sheet.append([])
        sheet.append([None, None, None])


def _dates(book: openpyxl.Workbook) -> None:
    book["staffing"]["D2"] = dt.date(2017, 5, 1)  # '1.5' that Excel turned into 1 May


def _numbers_as_text(book: openpyxl.Workbook) -> None:
    for row in book["staffing"].iter_rows(min_row=2):
        for cell in row[2:]:
            cell.value = str(cell.value)
            cell.number_format = "@"


def _in_xml(data: bytes, edits: dict[str, Callable[[bytes], bytes]], extra: Sequence[tuple[str, bytes]] = ()) -> bytes:
    """A workbook with some of its parts rewritten (and extra parts added), as another program saves it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info, edits[info.filename](content) if info.filename in edits else content)
        for name, content in extra:
            target.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content)
    return out.getvalue()


def libreoffice_formulas() -> bytes:
    """What LibreOffice saves for a template whose idva_fte column is `=IF(A2="","",C2-0.5)` down the sheet:
    rows with a service hold the formula and its value, the unused rows below the formula and an empty text
    result (`t="str"` with an empty `<v>`), which is a blank cell. Written here as LibreOffice's XML, since the
    tests must not depend on LibreOffice being installed."""

    def sheet(xml: bytes) -> bytes:
        for row, value in ((2, b"2.5"), (3, b"1.5")):
            xml = xml.replace(
                b'<c r="D%d" t="n"><v>%s</v></c>' % (row, value),
                b'<c r="D%d" t="n"><f aca="false">IF(A%d="","",C%d-0.5)</f><v>%s</v></c>' % (row, row, row, value),
            )
        unused = b"".join(
            b'<row r="%d"><c r="D%d" t="str"><f aca="false">IF(A%d="","",C%d-0.5)</f><v></v></c></row>' % ((r,) * 4)
            for r in range(4, 24)
        )
        return xml.replace(b"</sheetData>", unused + b"</sheetData>")

    data = clean_workbook(staffing=staffing((0, "idva_fte", 2.5), (1, "idva_fte", 1.5)))
    return _in_xml(data, {"xl/worksheets/sheet2.xml": sheet})


def strict_open_xml() -> bytes:
    """A workbook saved as Excel's 'Strict Open XML Spreadsheet' (ISO 29500 Strict): the same parts, with the
    Strict namespaces."""
    transitional = (
        (b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
        (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
         b"http://purl.oclc.org/ooxml/officeDocument/relationships"),
    )  # fmt: skip

    def strict(xml: bytes) -> bytes:
        for old, new in transitional:
            xml = xml.replace(old, new)
        return xml.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)

    data = clean_workbook()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [n for n in archive.namelist() if n.startswith("xl/") and n.endswith((".xml", ".rels"))]
    return _in_xml(data, dict.fromkeys(parts, strict))


def inflating() -> bytes:
    """A workbook of about 130 KB whose services sheet unpacks to more than 130 MB (spaces, which XML allows
    between elements): refused from its declared sizes, before anything is unpacked."""
    padding = b" " * (130 * 1024 * 1024)
    pad: Callable[[bytes], bytes] = lambda xml: xml.replace(b"</worksheet>", padding + b"</worksheet>")  # noqa: E731
    return _in_xml(clean_workbook(), {"xl/worksheets/sheet1.xml": pad})


def _merged_id(book: openpyxl.Workbook) -> None:
    book["staffing"]["A4"] = None  # S1's id merged over its two areas' rows, as a tidy spreadsheet shows it
    book["staffing"].merge_cells("A3:A4")


def _far_right(book: openpyxl.Workbook) -> None:
    book["staffing"]["XFD2"] = "x"  # one stray cell in Excel's last column


def cases() -> dict[str, bytes | dict[str, bytes]]:
    """name -> the bytes of a workbook, or {file name: bytes} for a folder."""
    totals = ["Total", "", 5, 4, 3, 1, 2, 0, 0, 0.5, 0, 0, 4]
    long_text = ("The waiting list for refuge is long. " * 600).strip()
    control = services((0, "service_name", "Northshire\x07 Women's Aid\x00"),
                       (1, "other_comments", "Funding\x1b[31m cuts\x0b."))  # fmt: skip
    injection = services((0, "biggest_difference", '=HYPERLINK("http://example.invalid/x","click")'),
                         (1, "other_comments", "+cmd|' /C calc'!A0"), (1, "service_name", "@SUM(1+1)"))  # fmt: skip
    script = services((0, "biggest_difference", "<script>alert('x')</script> More Idvas."),
                      (1, "survivor_challenges", '<img src=x onerror="alert(1)"> Housing.'))  # fmt: skip
    mixed = (csv_text(services()[:2]).encode() + csv_text([services((1, "service_name", "Eastvale Refuge £"))[2]])
             .encode("cp1252"))  # fmt: skip
    european = csv_pair(
        services((0, "service_name", "Northshire Frauenhaus Ä")),
        [[str(v).replace(".", ",") if isinstance(v, float) else v for v in row] for row in staffing()],
        delimiter=";", encoding="cp1252",
    )  # fmt: skip
    utf16 = {name: b"\xff\xfe" + data.decode().replace(",", "\t").encode("utf-16-le")
             for name, data in csv_pair(services((0, "service_name", "Refuge and Outreach")),
                                        [[s.replace(",", "") if isinstance(s, str) else s for s in r]
                                         for r in staffing()]).items()}  # fmt: skip
    two_regions = staffing(extra=[["S1", "Gloucestershire", 1, 1, 0.5, 0, 0, 0, 0, 0, 0, 0, 0]])
    return {
        # files that are not a readable workbook
        "01-truncated.xlsx": clean_workbook()[:1500],
        "02-password-protected.xlsx": encrypted_workbook(),
        "03-pdf-renamed.xlsx": pdf(),
        "04-png-renamed.xlsx": png(),
        "05-zip-renamed.xlsx": plain_zip(),
        "06-empty.xlsx": b"",
        "07-old-format.xls": old_xls(),
        "08-csv-renamed.xlsx": csv_text(services()).encode(),
        "09-macro-enabled.xlsm": macro_enabled(),
        # CSV encodings and layouts
        "10-empty-csv": {"services.csv": b"", "staffing.csv": csv_text(staffing()).encode()},
        "11-mixed-encodings": {"services.csv": mixed, "staffing.csv": csv_text(staffing()).encode()},
        "12-utf8-bom": csv_pair(encoding="utf-8-sig"),
        "13-windows-1252": csv_pair(services((0, "service_name", "Northshire Women’s Aid £")), encoding="cp1252"),
        "14-utf16-unicode-text": utf16,
        "15-semicolons-decimal-commas": european,
        "16-tab-delimited": csv_pair(delimiter="\t"),
        "17-unclosed-quote": {
            "services.csv": csv_text(services()).replace(",More refuge", ',"More refuge').encode(),
            "staffing.csv": csv_text(staffing()).encode(),
        },
        "18-decimal-comma-in-comma-csv": csv_pair(staffing_rows=staffing((0, "idva_fte", "2,5"))),
        # layout of the sheets
        "19-merged-header-cells.xlsx": clean_workbook(_merged_header),
        "20-totals-row.xlsx": clean_workbook(staffing=staffing(extra=[totals])),
        "21-totals-row-wrong.xlsx": clean_workbook(
            staffing=staffing(extra=[["Total", "", 5, 4, 3, 2, 2, 0, 0, 0.5, 0, 0, 4]])
        ),
        "22-hidden-sheets.xlsx": clean_workbook(_hidden),
        "23-formulas-without-values.xlsx": clean_workbook(_formulas),
        "24-blank-rows.xlsx": clean_workbook(_blank_rows),
        "25-extra-sheets.xlsx": clean_workbook(_about_sheets),
        "26-duplicate-header-columns.xlsx": clean_workbook(
            staffing=[[*r, r[3]] for r in staffing()[:1]] + [[*r, 9] for r in staffing()[1:]]
        ),
        "27-missing-required-column.xlsx": clean_workbook(services=[r[:2] + r[3:] for r in services()]),
        "28-missing-sheet.xlsx": workbook_bytes({"services": services(), "Sheet1": staffing()}),
        "29-header-only.xlsx": clean_workbook(services=services()[:1], staffing=staffing()[:1]),
        # values
        "30-fte-with-unit.xlsx": clean_workbook(
            staffing=staffing((0, "idva_fte", "2.5 FTE"), (0, "children_fte", "0.5fte"))
        ),
        "31-thousands-separators.xlsx": clean_workbook(staffing=staffing((0, "volunteers", "1,234"))),
        "32-numbers-as-text.xlsx": clean_workbook(_numbers_as_text),
        "33-date-in-fte.xlsx": clean_workbook(_dates),
        "34-excel-error-value.xlsx": clean_workbook(staffing=staffing((1, "outreach_fte", "#REF!"))),
        "35-duplicate-services.xlsx": clean_workbook(services=services(extra=[services()[1]])),
        "36-unknown-police-force.xlsx": clean_workbook(staffing=staffing((1, "police_force_area", "Northshire"))),
        "37-service-spanning-regions.xlsx": clean_workbook(staffing=two_regions),
        "38-negative-fte.xlsx": clean_workbook(staffing=staffing((1, "outreach_fte", -1))),
        "39-fte-above-headcount.xlsx": clean_workbook(
            staffing=staffing((1, "idva_fte", 4), (1, "idva_fte_high_risk", 1))
        ),
        "40-huge-values.xlsx": clean_workbook(staffing=staffing((0, "idva_fte", 1e300), (1, "idva_headcount", 10**15))),
        "41-very-long-text.xlsx": clean_workbook(services=services((0, "other_comments", long_text))),
        "42-cell-longer-than-excel-allows": csv_pair(services((1, "other_comments", "x" * 40_000))),
        "43-control-characters": csv_pair(control),
        "44-formula-injection-text": csv_pair(injection),
        "45-script-tags": csv_pair(script),
        "46-returns-2016.xlsx": clean_workbook(),  # imported as 2017 by the tests
        "47-bad-words-and-blank-ids.xlsx": clean_workbook(
            services=services((0, "employs_practitioners", "maybe"), (1, "service_id", ""))
        ),
        "48-two-staffing-sheets.xlsx": workbook_bytes(
            {"services": services(), "staffing": staffing(), "Staffing_": staffing((0, "idva_fte", 9))}
        ),
        # issue 15: data lost, exit 0
        "49-unclosed-quote-no-final-newline": {
            "services.csv": csv_text(services()).replace(",Northshire", ',"Northshire').rstrip("\r\n").encode(),
            "staffing.csv": csv_text(staffing()).encode(),
        },
        # issue 15: wrong data accepted, exit 0
        "50-lookalike-optional-headers.xlsx": clean_workbook(
            staffing=[
                [
                    "service_id",
                    "police_force_area",
                    "idva_headcount",
                    "idva_fte",
                    "High-risk IDVA FTE",
                    "outreach_fte",
                    "Refuge worker FTE",
                    *STAFFING_HEADER[7:12],
                    "Volunteers (number)",
                ],
                *staffing()[1:],
            ]
        ),
        "51-thousands-point-in-decimal-comma-csv": csv_pair(
            services(),
            [
                [str(v).replace(".", ",") if isinstance(v, float) else v for v in row]
                for row in staffing((0, "volunteers", "4.000"))
            ],
            delimiter=";",
        ),
        "52-mac-roman": csv_pair(services((0, "service_name", "Northshire Women’s Aid – café")), encoding="mac_roman"),
        "53-year-column-disagrees.xlsx": clean_workbook(
            services=[[*row, "year" if i == 0 else 2016] for i, row in enumerate(services())]
        ),
        "54-employing-service-all-blank.xlsx": clean_workbook(
            staffing=staffing(*((1, c, None) for c in STAFFING_HEADER[2:]))
        ),
        "55-hours-typed-as-fte.xlsx": clean_workbook(staffing=staffing((0, "idva_fte", 37.5))),
        "56-copy-of-staffing-sheet.xlsx": workbook_bytes(
            {"services": services(), "staffing": staffing(), "staffing (2)": staffing((0, "idva_fte", 9))}
        ),
        "57-two-staffing-csvs": {
            **csv_pair(),
            "Staffing_.csv": csv_text(staffing((0, "idva_fte", 9))).encode(),
        },
        "58-invisible-characters-in-ids": csv_pair(
            services((1, "service_id", "S2\u200b")),
            staffing((0, "service_id", "S1\u00a0"), (1, "service_id", "\u2060S2")),
        ),
        # issue 15: valid returns refused
        "59-last-quoted-cell-ends-in-line-break": {
            "services.csv": csv_text(services((1, "other_comments", "Thank you.\n"))).rstrip("\r\n").encode(),
            "staffing.csv": csv_text(staffing()).encode(),
        },
        "60-libreoffice-empty-formulas.xlsx": libreoffice_formulas(),
        # issue 15: no guard against inflation
        "61-inflates-beyond-its-size.xlsx": inflating(),
        "62-cell-in-column-xfd.xlsx": clean_workbook(_far_right),
        # issue 15: unclear messages
        "63-strict-open-xml.xlsx": strict_open_xml(),
        "64-concatenated-exports": csv_pair(services()[:2] + services()[:1] + services()[2:]),
        "65-utf32": csv_pair(encoding="utf-32"),
        "66-macos-companion-files": {
            "returns.xlsx": clean_workbook(),
            "._returns.xlsx": b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + bytes(16),
        },
        "67-sheets-named-for-a-year.xlsx": workbook_bytes({"Services 2016": services(), "Staffing 2016": staffing()}),
        "68-rounding-leftovers.xlsx": clean_workbook(
            staffing=staffing((1, "ypva_fte", -2.7755575615628914e-17))  # 0.1 + 0.2 - 0.3, as a formula leaves
        ),
        # issue 15: free text printed
        "69-free-text-in-a-number-column": csv_pair(staffing_rows=staffing((0, "outreach_fte", SECRET))),
        "70-merged-service-id.xlsx": clean_workbook(
            _merged_id, staffing=staffing(extra=[["S2", "Lancashire", 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]])
        ),
    }


def write(folder: Path = HERE) -> list[str]:
    """Write every case into `folder`, replacing what was there; the names written."""
    for old in folder.iterdir():
        if old.name[:2].isdigit() and old.is_dir():
            shutil.rmtree(old)
        elif old.name[:2].isdigit():
            old.unlink()
    for name, content in cases().items():
        if isinstance(content, dict):
            (folder / name).mkdir()
            for file, data in content.items():
                (folder / name / file).write_bytes(data)
        else:
            (folder / name).write_bytes(content)
    return sorted(cases())


if __name__ == "__main__":
    # python make_corpus.py [FOLDER]: write the corpus here, or into FOLDER (the tests compare that with this one)
    print(f"wrote {len(write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE))} cases")
