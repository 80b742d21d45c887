"""An online survey tool's export, read through its mapping file, as the same validated tables as a two-sheet return.

One row per respondent becomes a services row and one staffing row per filled-in block (police force area) of it;
multi-choice answers (joined in one cell, or one column per option) become the returns format's values. The tables
then go through every check of the normal import (returns/records.py), and each problem is told in the export's
own terms: its row as the spreadsheet shows it, and its column's letters and heading.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from practitioner_survey._exports import lazy_module
from practitioner_survey.errors import Problem, ReturnsError
from practitioner_survey.returns import schema
from practitioner_survey.returns.cells import quoted
from practitioner_survey.returns.exportsheet import (
    ExportColumn,
    ExportSheet,
    Field,
    Resolved,
    export_columns,
    read_export_sheet,
    resolve,
)
from practitioner_survey.returns.mapping import MULTI, ExportMapping, heading_key, load_mapping
from practitioner_survey.returns.records import StaffRow, check_services, parse_services, parse_staffing
from practitioner_survey.returns.table import MAX_CELL_CHARS, Log, SourceFile, Table, formula_without_value
from practitioner_survey.returns.validate import Returns

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

#: A column per option is ticked when its cell holds anything but these (SurveyMonkey writes the option's text,
#: Qualtrics 1, some tools 0 for an option not chosen).
UNTICKED = ("", "0", "false", "no")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLOCK_SHEET = "staffing block "
_NOTE = re.compile(r"^(?P<file>.*?), staffing block (?P<block>\d+) row (?P<row>\d+)(?:, column (?P<column>\w+))?:")


@dataclass
class _Where:
    """Each field's column label in the export, per table, for telling problems in the export's terms."""

    services: dict[str, str] = field(default_factory=dict)
    blocks: list[dict[str, str]] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)  # label -> position, for ordering problems

    def label(self, sheet: str, column: str) -> str:
        if sheet.startswith(_BLOCK_SHEET) and column != "service_id":
            return self.blocks[int(sheet.removeprefix(_BLOCK_SHEET)) - 1].get(column, column)
        return self.services.get(column, column)


def read_export(path: Path, mapping_path: Path) -> Returns:
    """Read a survey tool's export (.xlsx or .csv) through its mapping file and validate it as a return.

    The export and the mapping are the return's original files. Raises ReturnsError listing every problem: the
    mapping's by line and key, the export's by row and heading.
    """
    mapping = load_mapping(Path(mapping_path))
    path, log = Path(path), Log()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReturnsError(
            [Problem("error", "unreadable-file", f"cannot be read ({exc.strerror})", path.name)]
        ) from None
    sheet = read_export_sheet(path.name, data, mapping, log)
    if sheet is None:
        raise ReturnsError(log.problems)
    if len(sheet.rows) < mapping.heading_row - 1 + mapping.header_rows:
        raise ReturnsError([Problem("error", "no-services", "has no heading rows: is it the export?", path.name)])
    headings = sheet.rows[mapping.heading_row - 1 :]
    resolved, problems = resolve(mapping, export_columns(headings, mapping.header_rows))
    if problems:
        raise ReturnsError(problems, f"{mapping.name} does not fit {path.name}: {len(problems)} problem(s)")
    files = [SourceFile(path.name, data), SourceFile(mapping.name, mapping.data)]
    return _validate(sheet, mapping, resolved, files, log)


def _validate(
    sheet: ExportSheet, mapping: ExportMapping, resolved: Resolved, files: list[SourceFile], log: Log
) -> Returns:
    where = _labels(resolved, mapping)
    services_table, block_tables = _tables(sheet, mapping.data_row, resolved, where, log)
    records, services = parse_services(services_table, log)
    if not records:
        log.add("no-services", f"{sheet.file} has its headings but no respondents below them", sheet.file)
    staffing: list[StaffRow] = []
    blocks_of: dict[tuple[str, str], list[tuple[int, StaffRow]]] = {}
    for number, table in enumerate(block_tables, start=1):
        for row in parse_staffing(table, services, log):
            staffing.append(row)
            blocks_of.setdefault((row.service_id, row.police_force_area), []).append((number, row))
    _check_blocks(blocks_of, where, sheet, log)
    staffing.sort(key=lambda r: r.row)  # stable: a respondent's blocks in order
    if block_tables:
        tables = {schema.SERVICES: services_table, schema.STAFFING: block_tables[0]}
        check_services(services, staffing, tables, log)
    problems = _in_export_terms(log.problems, sheet, where)
    if any(p.severity == "error" for p in problems):
        raise ReturnsError(problems)
    repairs = [_note_in_export_terms(note, where) for note in log.repairs]
    services_frame = pd.DataFrame(records, columns=list(schema.SERVICES_COLUMNS))
    services_frame["employs_practitioners"] = services_frame["employs_practitioners"].astype(bool)
    types = {**dict.fromkeys(schema.COUNT_COLUMNS, "int64"), **dict.fromkeys(schema.FTE_COLUMNS, "float64")}
    staffing_frame = pd.DataFrame([r.record() for r in staffing], columns=list(schema.STAFFING_COLUMNS))
    return Returns(services_frame, staffing_frame.astype(types), files, problems, repairs)


# --- reshaping ------------------------------------------------------------------------------------------


def _labels(resolved: Resolved, mapping: ExportMapping) -> _Where:
    where = _Where()
    for name, found in resolved.services.items():
        columns = [found.column] if found.column is not None else [c for c, _ in found.options]
        if not columns:
            where.services[name] = f"{found.spec.key} in {mapping.name}"
            continue
        where.services[name] = _span(columns, mapping.header_rows == 2 and found.column is None)
        where.positions[where.services[name]] = min(c.position for c in columns)
    for block in resolved.blocks:
        where.blocks.append({name: column.label for name, column in block.items()})
        where.positions.update({column.label: column.position for column in block.values()})
    return where


def _span(columns: list[ExportColumn], by_question: bool) -> str:
    """One column's label, or the letters of a field's option columns and their question."""
    if len(columns) == 1:
        return columns[0].label
    first, last = min(columns, key=lambda c: c.position), max(columns, key=lambda c: c.position)
    shown = first.question if by_question else f"{first.heading}, ..."
    return f'{first.letter}-{last.letter} "{shown}"'


def _tables(
    sheet: ExportSheet, data_row: int, resolved: Resolved, where: _Where, log: Log
) -> tuple[Table, list[Table]]:
    """The services table and one staffing table per block, each row numbered as the export's row."""
    services = Table(sheet.file, schema.SERVICES, dict.fromkeys(resolved.services, 0), [], [])
    blocks = [
        Table(sheet.file, f"{_BLOCK_SHEET}{n}", dict.fromkeys(["service_id", *block], 0), [], [])
        for n, block in enumerate(resolved.blocks, start=1)
    ]
    for table in (services, *blocks):
        table.decimal_comma = sheet.decimal_comma
    columns = {c.position: c for f in resolved.services.values() for c in _columns_of(f)}
    columns.update({c.position: c for block in resolved.blocks for c in block.values()})
    fields: dict[int, list[tuple[Table, str]]] = {}  # position -> the (table, field) it is read into
    for name, found in resolved.services.items():
        for c in _columns_of(found):
            fields.setdefault(c.position, []).append((services, name))
    for table, block in zip(blocks, resolved.blocks, strict=True):
        for name, c in block.items():
            fields.setdefault(c.position, []).append((table, name))
    uncalculated = {row for row, _ in sheet.uncalculated}
    for number, raw in enumerate(sheet.rows[data_row - 1 :], start=data_row):
        cells = {p: raw[p] if p < len(raw) else "" for p in columns}
        if number in uncalculated:
            _formulas(sheet, number, fields, log)
        for p, text in cells.items():
            if text and (len(text) > MAX_CELL_CHARS or _CONTROL.search(text)):
                cells[p] = _clean(sheet, number, columns[p], text, log)
        if not any(text.strip() for text in cells.values()):
            continue
        row = {name: _answer(f, cells, number, where, sheet, log) for name, f in resolved.services.items()}
        if any(cells[c.position].strip() for f in resolved.services.values() for c in _columns_of(f)):
            services.rows.append((number, row))
        for table, block in zip(blocks, resolved.blocks, strict=True):
            figures = {name: cells[column.position] for name, column in block.items()}
            if any(text.strip() for text in figures.values()):
                table.rows.append((number, {"service_id": row.get("service_id", ""), **figures}))
    return services, blocks


def _formulas(sheet: ExportSheet, number: int, fields: dict[int, list[tuple[Table, str]]], log: Log) -> None:
    """A formula saved without its value in a mapped cell of row `number` is an error, as in a return's workbook
    (the same rule: LibreOffice's empty text results are blanks), and its figure is not read again as a blank."""
    for position, found in fields.items():
        if (number, position) in sheet.uncalculated:
            for table, name in found:
                log.problems.append(formula_without_value(sheet.file, table.sheet, number, name))
                table.unread.add((number, name))


def _columns_of(found: Field) -> list[ExportColumn]:
    return [found.column] if found.column is not None else [c for c, _ in found.options]


def _clean(sheet: ExportSheet, number: int, column: ExportColumn, text: str, log: Log) -> str:
    """A cell without control characters (noted, naming the cell, never its text); a too-long cell is an error."""
    if len(text) > MAX_CELL_CHARS:
        message = f"holds {len(text):,} characters, more than Excel allows in a cell: is the file damaged?"
        log.problems.append(Problem("error", "cell-too-long", message, sheet.file, sheet.sheet, number, column.label))
    controls = len(_CONTROL.findall(text))
    if controls:
        log.repairs.append(
            f"{sheet.file}, row {number}, column {column.label}: removed {controls} control character(s)"
        )
        return _CONTROL.sub("", text)
    return text


def _answer(found: Field, cells: dict[int, str], number: int, where: _Where, sheet: ExportSheet, log: Log) -> str:
    """A services field's text as the returns format writes it (checked afterwards like any return's)."""
    spec = found.spec
    if spec.value is not None:
        return spec.value
    if found.column is not None:
        text = cells[found.column.position]
        if not spec.values:
            return text
        if spec.separator:
            parts = _split(text, spec.separator, set(spec.values))
            return "; ".join(spec.values.get(heading_key(p), p.strip()) for p in parts)
        return spec.values.get(heading_key(text), text) if text.strip() else text
    ticked = [t for c, t in found.options if heading_key(cells[c.position]) not in UNTICKED]
    chosen = list(dict.fromkeys(t for t in ticked if t))
    if spec.name in MULTI:
        return "; ".join(chosen)
    if len(chosen) > 1:
        label = where.services[spec.name]
        message = f"{spec.name} takes one answer, but {len(chosen)} are ticked ({', '.join(chosen)})"
        log.problems.append(Problem("error", "several-answers", message, sheet.file, sheet.sheet, number, label))
    return chosen[0] if chosen else ""


def _split(text: str, separator: str, known: set[str]) -> list[str]:
    """Answers joined in one cell; an answer that itself holds the separator is kept whole when the mapping knows
    it ('Health, A&E' with separator ', ')."""
    parts = [p for p in text.split(separator)]
    out: list[str] = []
    i = 0
    while i < len(parts):
        for j in range(len(parts), i, -1):  # the longest known answer starting here
            joined = separator.join(parts[i:j])
            if j == i + 1 or heading_key(joined) in known:
                out.append(joined)
                i = j
                break
    return [p for p in out if p.strip()]


# --- problems in the export's terms -------------------------------------------------------------------------


def _check_blocks(
    blocks_of: dict[tuple[str, str], list[tuple[int, StaffRow]]], where: _Where, sheet: ExportSheet, log: Log
) -> None:
    """One respondent naming one police force area in two blocks (across respondents, records.py says it)."""
    for (sid, pfa), found in blocks_of.items():
        for (first, row), (second, again) in itertools.pairwise(found):
            if first != second and row.row == again.row and sid:
                a, b = where.blocks[first - 1]["police_force_area"], where.blocks[second - 1]["police_force_area"]
                message = (
                    f"service {quoted(sid)} gives {pfa} in two blocks, {a} and {b}: one block per police force area"
                )
                log.problems.append(
                    Problem("error", "duplicate-staffing-row", message, sheet.file, f"{_BLOCK_SHEET}{second}",
                            again.row, "police_force_area", sid, pfa)
                )  # fmt: skip


def _in_export_terms(problems: list[Problem], sheet: ExportSheet, where: _Where) -> list[Problem]:
    """Each problem located by the export's sheet, row and column heading; the same problem once; in order."""
    out: dict[tuple[str, str, int | None, str, str], Problem] = {}
    for p in problems:
        if p.file == sheet.file and (p.sheet == schema.SERVICES or p.sheet.startswith(_BLOCK_SHEET)):
            column = where.label(p.sheet, p.column) if p.column else ""
            p = Problem(p.severity, p.code, p.message, p.file, sheet.sheet, p.row, column, p.service_id,
                        p.police_force_area)  # fmt: skip
        out.setdefault((p.severity, p.code, p.row, p.column, p.message), p)
    order = {"error": 0}
    return sorted(out.values(), key=lambda p: (order.get(p.severity, 1), p.row or 0, where.positions.get(p.column, -1)))


def _note_in_export_terms(note: str, where: _Where) -> str:
    """'x.xlsx, staffing block 2 row 7, column idva_fte: ...' -> 'x.xlsx, row 7, column AB "...": ...'."""
    match = _NOTE.match(note)
    if match is None:
        return note
    column = match["column"]
    label = where.label(f"{_BLOCK_SHEET}{match['block']}", column) if column else ""
    at = f"{match['file']}, row {match['row']}" + (f", column {label}" if label else "")
    return at + note[match.end() - 1 :]
