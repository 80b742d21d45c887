"""An online survey tool's export read as rows of text, its headings, and the mapping's headings found among them.

The export is an .xlsx sheet (the mapping's `sheet`, else the first) or a CSV file. Its first one or two rows are
headings: with two, the first row holds each question over its columns (a blank cell continues the question to its
left, as a merged cell shows it) and the second each column's option. A heading the mapping names but the export
lacks is an error naming the mapping's line and key, with a did-you-mean among the export's headings.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from practitioner_survey.errors import Problem, did_you_mean
from practitioner_survey.returns.archive import EXPORT_LIMITS
from practitioner_survey.returns.csvfile import read_csv_sheet
from practitioner_survey.returns.mapping import BlockSpec, ColumnRef, ExportMapping, FieldMap, block_specs, heading_key
from practitioner_survey.returns.table import Log
from practitioner_survey.returns.workbook import not_a_workbook, read_sheets

#: More blocks than this, found one after another, mean a pattern that matches too much.
MAX_BLOCKS = 100


@dataclass(frozen=True)
class ExportColumn:
    """One column of the export: where it is and its headings as written."""

    position: int  # from 0
    question: str
    option: str  # '' in an export with one header row

    @property
    def letter(self) -> str:
        """The column's letters as a spreadsheet shows them: 0 -> 'A', 27 -> 'AB'."""
        n, letters = self.position + 1, ""
        while n:
            n, rest = divmod(n - 1, 26)
            letters = chr(65 + rest) + letters
        return letters

    @property
    def heading(self) -> str:
        return f"{self.question} / {self.option}" if self.option else self.question

    @property
    def label(self) -> str:
        """How a message names the column: its letters and its heading."""
        return f'{self.letter} "{self.heading}"'


@dataclass(frozen=True)
class ExportSheet:
    """The export's rows of text (headings included) and where they came from."""

    file: str
    sheet: str  # the workbook's sheet title; '' for a CSV
    rows: list[list[str]]
    decimal_comma: bool = False
    uncalculated: frozenset[tuple[int, int]] = frozenset()  # (row as the spreadsheet numbers it, position from 0)


@dataclass(frozen=True)
class Field:
    """A services field with its mapping's headings found in the export."""

    spec: FieldMap
    column: ExportColumn | None = None
    options: tuple[tuple[ExportColumn, str], ...] = ()


@dataclass(frozen=True)
class Resolved:
    """The mapping applied to one export's headings: each services field's columns and each staffing block's."""

    services: dict[str, Field]
    blocks: list[dict[str, ExportColumn]]


def read_export_sheet(name: str, data: bytes, mapping: ExportMapping, log: Log) -> ExportSheet | None:
    """The export's rows of text; None, with the problem on `log`, when it cannot be read.

    A workbook is read as a return's is (`returns.workbook.read_sheets`: the same guards against a file that would
    unpack to gigabytes or cells far out, and the same finding of formulas saved without a value), held to an
    export's limits; only the columns under a heading are read."""
    if name.lower().endswith((".csv", ".txt", ".tsv")):
        raw = read_csv_sheet(name, data, log)
        return ExportSheet(name, "", raw.rows, raw.decimal_comma) if raw is not None else None
    problem = not_a_workbook(name, data)
    if problem:
        log.add("not-an-excel-file", problem.replace("name it services.csv or staffing.csv", "name it .csv"), name)
        return None

    def choose(found: list[tuple[str, str]]) -> dict[str, str]:
        titles = [title for title, _ in found]
        title = mapping.sheet or titles[0]
        if title not in titles:
            message = f"{name} has no sheet {title!r} (the mapping's sheet); its sheets: {', '.join(map(repr, titles))}"
            log.add("missing-sheet", message, name)
            return {}
        return {title: title}

    last_heading = mapping.heading_row + mapping.header_rows - 1
    sheets = read_sheets(name, data, log, choose, EXPORT_LIMITS, headings=last_heading)
    if not sheets:
        return None
    ((title, raw),) = sheets.items()
    uncalculated = frozenset((row + 1, column) for row, column in raw.uncalculated)
    return ExportSheet(name, title, raw.rows, uncalculated=uncalculated)


def export_columns(rows: Sequence[Sequence[str]], header_rows: int) -> list[ExportColumn]:
    """The export's columns from its heading rows (a blank question continues the one to its left)."""
    first = list(rows[0]) if rows else []
    second = list(rows[1]) if header_rows == 2 and len(rows) > 1 else []
    width = max(len(first), len(second))
    columns, question = [], ""
    for position in range(width):
        top = (first[position] if position < len(first) else "").strip()
        option = (second[position] if position < len(second) else "").strip()
        if top or not option:
            question = top
        if question or option:
            columns.append(ExportColumn(position, question, option))
    return columns


class _Finder:
    """Finds the mapping's headings among the export's columns, each problem named by the mapping's line and key."""

    def __init__(self, mapping: ExportMapping, columns: list[ExportColumn]) -> None:
        self.mapping, self.columns = mapping, columns
        self.problems: list[Problem] = []
        self.by_question: dict[str, list[ExportColumn]] = {}
        for column in columns:
            self.by_question.setdefault(heading_key(column.question), []).append(column)

    def error(self, ref: ColumnRef, code: str, message: str) -> None:
        text = f"line {ref.line}, {ref.key}: {message}"
        self.problems.append(Problem("error", code, text, self.mapping.name))

    def find(self, ref: ColumnRef, report: bool = True) -> ExportColumn | None:
        """The column `ref` names, or None (an error unless `report` is False)."""
        word = "question" if self.mapping.header_rows == 2 else "heading"
        under = self.by_question.get(heading_key(ref.question), [])
        if not under:
            if report:
                near = _near(ref.question, [c.question for c in self.columns])
                self.error(ref, "unknown-heading", f"the export has no {word} {ref.question!r}{did_you_mean(near)}")
            return None
        if ref.option is None:
            if len(under) == 1:
                return under[0]
            if report and self.mapping.header_rows == 1:
                letters = ", ".join(c.letter for c in under)
                message = f"{len(under)} columns are headed {ref.question!r} ({letters}): rename all but one"
                self.error(ref, "ambiguous-heading", message)
            elif report:
                options = ", ".join(repr(c.option) for c in under[:6]) + (", ..." if len(under) > 6 else "")
                message = f"{word} {ref.question!r} has {len(under)} columns ({options}): say which with option"
                self.error(ref, "ambiguous-heading", message)
            return None
        matches = [c for c in under if heading_key(c.option) == heading_key(ref.option)]
        if len(matches) == 1:
            return matches[0]
        if report and matches:
            letters = " and ".join(c.letter for c in matches)
            self.error(ref, "ambiguous-heading", f"option {ref.option!r} heads two columns, {letters}")
        elif report:
            near = _near(ref.option, [c.option for c in under])
            message = f"question {ref.question!r} has no option {ref.option!r}{did_you_mean(near)}"
            self.error(ref, "unknown-heading", message)
        return None

    def field(self, spec: FieldMap) -> Field:
        column = self.find(spec.column) if spec.column is not None else None
        options = tuple((c, target) for ref, target in spec.options if (c := self.find(ref)) is not None)
        return Field(spec, column, options)

    def block(self, spec: BlockSpec, report: bool = True) -> dict[str, ExportColumn] | None:
        found = {name: self.find(ref, report) for name, ref in spec.columns.items()}
        columns = {name: c for name, c in found.items() if c is not None}
        return columns if len(columns) == len(found) else None


def _near(text: str, candidates: list[str]) -> list[str]:
    """The (quoted) headings nearest `text`, for a did-you-mean."""
    by_key = {heading_key(c): c for c in candidates if c}
    return [repr(by_key[k]) for k in difflib.get_close_matches(heading_key(text), list(by_key), n=2, cutoff=0.6)]


def resolve(mapping: ExportMapping, columns: list[ExportColumn]) -> tuple[Resolved, list[Problem]]:
    """Each services field's and staffing block's columns; problems name the mapping's line and key."""
    finder = _Finder(mapping, columns)
    services = {name: finder.field(spec) for name, spec in mapping.services.items()}
    blocks: list[dict[str, ExportColumn]] = []
    if mapping.repeat is None:
        specs = list(mapping.blocks)
    else:
        specs = [block_specs(mapping, n) for n in range(1, (mapping.repeat or MAX_BLOCKS) + 1)]
    for number, spec in enumerate(specs, start=1):
        # counting blocks from the export: a block is there when its police force area column is
        if mapping.repeat == 0 and number > 1 and finder.find(spec.columns["police_force_area"], False) is None:
            break
        block = finder.block(spec)
        if block is None and mapping.repeat == 0:
            break  # the pattern's headings are wrong: said once, for block 1 (or the first block that differs)
        if block is not None:
            blocks.append(block)
    seen: dict[int, str] = {}
    for key, column in _used(services, blocks):
        if column.position in seen and seen[column.position] != key:
            message = f"column {column.label} is also mapped by {seen[column.position]}: map each column once"
            finder.problems.append(Problem("error", "bad-mapping", f"{key}: {message}", mapping.name))
        seen.setdefault(column.position, key)
    return Resolved(services, blocks), finder.problems


def _used(services: dict[str, Field], blocks: list[dict[str, ExportColumn]]) -> list[tuple[str, ExportColumn]]:
    used = []
    for field in services.values():
        if field.column is not None:
            used.append((field.spec.key, field.column))
        used += [(field.spec.key, column) for column, _ in field.options]
    for number, block in enumerate(blocks, start=1):
        used += [(f"staffing {name} (block {number})", column) for name, column in block.items()]
    return used
