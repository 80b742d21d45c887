"""The mapping file (YAML) of an online survey tool's export: which heading is which field of the returns format,
how answers map to its fixed lists, and where the per-area staffing blocks are.

`load_mapping` reads and checks the file on its own (its keys, the fields it names, the values it maps answers to),
refusing it with every problem named by line and key; returns/exportsheet.py then finds its headings in the
export. The format is documented in responses/README.md ("Survey tool exports").
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from practitioner_survey.errors import Problem, ReturnsError, did_you_mean
from practitioner_survey.returns import schema
from practitioner_survey.returns.cells import canonical_locations
from practitioner_survey.returns.table import normalise
from practitioner_survey.returns.yamltext import Checker, TextMap, parse_yaml

#: Where the block number goes in a staffing block's headings.
PLACEHOLDER = "{n}"
#: Fields whose answers are one of a fixed list, and the fields that take several of them.
CHOICES: dict[str, tuple[str, ...]] = {
    "employs_practitioners": ("yes", "no"),
    "response_mode": schema.RESPONSE_MODES,
    "idva_cases": schema.IDVA_CASES,
    "idva_locations": schema.IDVA_LOCATIONS,
}
MULTI = ("idva_locations",)
#: Fields that may be one answer for every respondent (`value:`), e.g. response_mode: online.
CONSTANT_OK = ("employs_practitioners", "response_mode", "idva_cases", "idva_locations", "source_note")
STAFFING_FIELDS = tuple(c for c in schema.STAFFING_COLUMNS if c != "service_id")
_TOP_KEYS = ("header_rows", "heading_row", "first_data_row", "sheet", "description", "services", "staffing")
_FIELD_KEYS = ("question", "option", "values", "options", "separator", "value")
_STAFFING_KEYS = ("question", "columns", "blocks")
_BLOCK_KEYS = ("question", "columns")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def heading_key(text: str) -> str:
    """A heading or an answer as compared: case, runs of spaces, curly quotes and Unicode forms do not matter."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold().split())


@dataclass(frozen=True)
class ColumnRef:
    """A column of the export as the mapping names it: its question (row 1) and, in a two-row export, its option
    (row 2); option None means the question's only column."""

    question: str
    option: str | None
    key: str  # the mapping's key that names it, e.g. 'services.idva_locations.options'
    line: int


@dataclass(frozen=True)
class FieldMap:
    """How one services field is read: from a column, from one column per option, or one answer for everyone."""

    name: str
    key: str
    line: int
    column: ColumnRef | None = None
    options: tuple[tuple[ColumnRef, str], ...] = ()  # (column, the canonical value a ticked column stands for)
    values: Mapping[str, str] = field(default_factory=dict)  # heading_key(answer) -> canonical value
    separator: str = ""  # answers joined in one cell, split on this
    value: str | None = None  # the same answer for every respondent


@dataclass(frozen=True)
class BlockSpec:
    """The columns of one staffing block (or, with `repeat`, of every block, PLACEHOLDER standing for its number)."""

    columns: Mapping[str, ColumnRef]
    key: str
    line: int


@dataclass(frozen=True)
class ExportMapping:
    """A checked mapping file: its name and bytes (kept with the return), and what it says."""

    name: str
    data: bytes
    header_rows: int
    sheet: str  # '' for the workbook's first sheet
    services: Mapping[str, FieldMap]
    blocks: tuple[BlockSpec, ...]  # explicit blocks, or one pattern when repeat is set
    repeat: int | None = None  # pattern form: this many blocks; 0 = as many as the export has (from 1 up)
    heading_row: int = 1  # the (first) heading row as the spreadsheet numbers it
    first_data_row: int = 0  # the first respondent's row; 0 = just below the headings

    @property
    def data_row(self) -> int:
        """The first respondent's row as the spreadsheet numbers it."""
        return self.first_data_row or self.heading_row + self.header_rows


def load_mapping(path: Path) -> ExportMapping:
    """Read and check a mapping file; raises ReturnsError naming every problem by line and key."""
    path = Path(path)
    check = Checker(path.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReturnsError([Problem("error", "missing-file", f"cannot be read ({exc.strerror})", path.name)]) from None
    text = data.decode("utf-8-sig", errors="replace")
    try:
        document, bad_keys = parse_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        message = f"is not valid YAML: {getattr(exc, 'problem', None) or 'cannot be parsed'}"
        check.error(mark.line + 1 if mark is not None else 1, "", message, "mapping-not-yaml")
        raise ReturnsError(check.problems, f"{path.name}: mapping refused") from None
    if b"\xef\xbf\xbd" not in data and "\ufffd" in text:
        check.error(1, "", "is not UTF-8 text: save it as UTF-8", "mapping-not-yaml")
    for name, line in bad_keys:
        check.error(line, name, "appears twice in one mapping: keep one" if name else "a key must be text")
    top = check.mapping(document, 1, "", _TOP_KEYS)
    mapping = _build(check, path.name, data, top) if top is not None else None
    if check.problems or mapping is None:
        raise ReturnsError(check.problems, f"{path.name}: mapping refused ({len(check.problems)} problem(s))")
    return mapping


def _build(check: Checker, name: str, data: bytes, top: TextMap) -> ExportMapping | None:
    header_rows = str(top.get("header_rows", "1")).strip()
    if header_rows not in ("1", "2"):
        message = "must be 1 (a row of headings) or 2 (a row of questions, then a row of options)"
        check.error(top.lines.get("header_rows", top.line), "header_rows", message)
    rows = 2 if header_rows == "2" else 1
    heading_row = _row_number(check, top, "heading_row", 1)
    first_data_row = _row_number(check, top, "first_data_row", 0)
    if first_data_row and first_data_row < heading_row + rows:
        message = f"must be below the heading rows (row {heading_row + rows} or later)"
        check.error(top.lines["first_data_row"], "first_data_row", message)
    sheet = top.get("sheet", "")
    if not isinstance(sheet, str):
        check.error(top.lines["sheet"], "sheet", "must be the name of the export's sheet")
        sheet = ""
    for section in ("services", "staffing"):
        if section not in top:
            check.error(top.line, section, f"is missing: the mapping needs a {section} section")
    services = _services(check, top["services"], top.lines["services"], rows) if "services" in top else {}
    staffing = _staffing(check, top["staffing"], top.lines["staffing"], rows) if "staffing" in top else None
    if staffing is None:
        return None
    blocks, repeat = staffing
    return ExportMapping(name, data, rows, sheet.strip(), services, blocks, repeat, heading_row, first_data_row)


def _row_number(check: Checker, top: TextMap, key: str, default: int) -> int:
    if key not in top:
        return default
    text = top[key].strip() if isinstance(top[key], str) else ""
    if not text.isdigit() or not 1 <= int(text) <= 100:
        check.error(top.lines[key], key, "must be a row number as the spreadsheet shows it (1 to 100)")
        return default
    return int(text)


def _services(check: Checker, section: object, line: int, rows: int) -> dict[str, FieldMap]:
    fields = check.mapping(section, line, "services", schema.SERVICES_COLUMNS)
    if fields is None:
        return {}
    for required in schema.SERVICES_REQUIRED:
        if required not in fields:
            check.error(fields.line, "services", f"has no {required}: the returns format requires it")
    out = {}
    for name in schema.SERVICES_COLUMNS:
        if name in fields:
            found = _field(check, name, fields[name], fields.lines[name], rows)
            if found is not None:
                out[name] = found
    return out


def _field(check: Checker, name: str, spec: object, line: int, rows: int) -> FieldMap | None:
    key = f"services.{name}"
    if isinstance(spec, str):
        text = check.text(spec, line, key)
        return FieldMap(name, key, line, column=ColumnRef(text, None, key, line)) if text else None
    if not isinstance(spec, TextMap):
        check.error(line, key, f"must be a heading (text) or a mapping of {', '.join(_FIELD_KEYS)}")
        return None
    spec = check.mapping(spec, line, key, _FIELD_KEYS)
    if spec is None:
        return None
    lines, choices = spec.lines, CHOICES.get(name)
    if ("value" in spec) == ("question" in spec or "options" in spec):
        check.error(line, key, "needs one of question (a column), options (one column per option) or value")
        return None
    if choices is None and any(k in spec for k in ("values", "options", "separator")):
        check.error(line, key, "is text: map it to one column (question, and option in a two-row export)")
        return None
    if "separator" in spec and name not in MULTI:
        message = f"only a field of several answers ({', '.join(MULTI)}) is split"
        check.error(lines["separator"], f"{key}.separator", message)
    if "value" in spec:
        if name not in CONSTANT_OK:
            check.error(lines["value"], f"{key}.value", "must come from the export: give its question")
            return None
        written = spec["value"]
        value = _target(check, name, written, lines["value"], f"{key}.value") if choices else str(written).strip()
        return FieldMap(name, key, line, value=value)
    values = _values(check, name, spec["values"], lines["values"], f"{key}.values") if "values" in spec else {}
    question = check.text(spec["question"], lines["question"], f"{key}.question") if "question" in spec else None
    if "options" in spec:
        if "question" in spec and rows == 1:
            message = "an export with one header row has no questions over its columns: give each option's heading"
            check.error(lines["question"], f"{key}.question", message)
        if any(k in spec for k in ("option", "separator", "values")):
            check.error(line, key, "options (one column per option) takes no option, separator or values")
        options = _options(check, name, spec["options"], lines["options"], f"{key}.options", question)
        return FieldMap(name, key, line, options=options, values=values)
    option = spec.get("option")
    if option is not None and rows == 1:
        check.error(lines["option"], f"{key}.option", "an export with one header row has no options: leave it out")
        option = None
    elif option is not None:
        option = check.text(option, lines["option"], f"{key}.option")
    separator = spec.get("separator", "")
    if not isinstance(separator, str) or ("separator" in spec and not separator):
        check.error(lines["separator"], f"{key}.separator", "must be the text between answers, e.g. ', ' or ';'")
        separator = ""
    if question is None:
        return None
    return FieldMap(name, key, line, ColumnRef(question, option, key, line), values=values, separator=separator)


def _target(check: Checker, name: str, written: object, line: int, key: str) -> str:
    """The canonical value an answer maps to ('' leaves the field blank); an error when it is not in the list."""
    if not isinstance(written, str):
        check.error(line, key, "must be text")
        return ""
    if not written.strip():
        return ""
    if name == "idva_locations":
        found, unknown = canonical_locations(written)
        if unknown or ";" in found:
            message = unknown[0] if unknown else f"{written!r} is several locations: map an answer to one"
            check.error(line, key, message)
        return found
    allowed = CHOICES[name]
    word = normalise(written)
    if word not in allowed:
        near = difflib.get_close_matches(word, allowed, n=2, cutoff=0.5)
        check.error(line, key, f"{written!r} is not one of {', '.join(allowed)} (or blank){did_you_mean(near)}")
    return word


def _values(check: Checker, name: str, spec: object, line: int, key: str) -> dict[str, str]:
    """{heading_key(answer as the export writes it): canonical value}."""
    if not isinstance(spec, TextMap):
        check.error(line, key, "must map each answer, as the export writes it, to a value of the list")
        return {}
    out: dict[str, str] = {}
    for answer, written in spec.items():
        if heading_key(answer) in out:
            message = "is listed twice (answers are matched ignoring case and spaces): keep one"
            check.error(spec.lines[answer], f"{key}[{answer!r}]", message)
        out[heading_key(answer)] = _target(check, name, written, spec.lines[answer], f"{key}[{answer!r}]")
    return out


def _options(
    check: Checker, name: str, spec: object, line: int, key: str, question: str | None
) -> tuple[tuple[ColumnRef, str], ...]:
    if not isinstance(spec, TextMap) or not spec:
        check.error(line, key, "must map each option's column to the value it stands for")
        return ()
    out = []
    for option, written in spec.items():
        at = spec.lines[option]
        target = _target(check, name, written, at, f"{key}[{option!r}]")
        column = ColumnRef(question, option, key, at) if question else ColumnRef(option, None, key, at)
        out.append((column, target))
    return tuple(out)


def _staffing(check: Checker, section: object, line: int, rows: int) -> tuple[tuple[BlockSpec, ...], int | None] | None:
    spec = check.mapping(section, line, "staffing", _STAFFING_KEYS)
    if spec is None:
        return None
    blocks = spec.get("blocks")
    if isinstance(blocks, list):
        if "columns" in spec or "question" in spec:
            check.error(line, "staffing", "give either blocks as a list, or question/columns with a block count")
        specs = [
            _block(check, b, spec.lines["blocks"], f"staffing.blocks[{i + 1}]", rows) for i, b in enumerate(blocks)
        ]
        if not blocks:
            check.error(spec.lines["blocks"], "staffing.blocks", "lists no blocks")
        return tuple(b for b in specs if b is not None), None
    repeat = 0
    if blocks is not None:
        text = blocks.strip() if isinstance(blocks, str) else ""
        if not text.isdigit() or int(text) < 1:
            check.error(spec.lines["blocks"], "staffing.blocks", "must be how many blocks there are, or a list of them")
        repeat = int(text) if text.isdigit() else 0
    if "columns" not in spec:
        check.error(line, "staffing", "has no columns (or blocks): say which heading is which staffing figure")
        return None
    block = _block(check, spec, line, "staffing", rows)
    if block is None:
        return None
    texts = [*(c.question for c in block.columns.values()), *(c.option or "" for c in block.columns.values())]
    if not any(PLACEHOLDER in t for t in texts):
        message = f"the headings name no block number: write {PLACEHOLDER} where it goes, e.g. 'Area {PLACEHOLDER}'"
        check.error(line, "staffing", message)
    return (block,), repeat


def _block(check: Checker, spec: object, line: int, key: str, rows: int) -> BlockSpec | None:
    block = check.mapping(spec, line, key, _BLOCK_KEYS if key != "staffing" else _STAFFING_KEYS)
    if block is None:
        return None
    question = block.get("question")
    if question is not None:
        question = check.text(question, block.lines["question"], f"{key}.question")
        if rows == 1:
            message = "an export with one header row has no questions over its columns: give whole headings"
            check.error(block.lines["question"], f"{key}.question", message)
    columns = check.mapping(
        block.get("columns"), block.lines.get("columns", block.line), f"{key}.columns", STAFFING_FIELDS
    )
    if columns is None:
        return None
    if "police_force_area" not in columns:
        check.error(columns.line, f"{key}.columns", "has no police_force_area: each block names its area")
    refs = {}
    for name in STAFFING_FIELDS:
        if name not in columns:
            continue
        at, where = columns.lines[name], f"{key}.columns.{name}"
        item = columns[name]
        if isinstance(item, TextMap):
            item = check.mapping(item, at, where, ("question", "option"))
            q = check.text(item.get("question"), at, f"{where}.question") if item is not None else None
            o = item.get("option") if item is not None else None
            if q is not None:
                refs[name] = ColumnRef(q, o.strip() if isinstance(o, str) else None, where, at)
        elif (text := check.text(item, at, where)) is not None:
            refs[name] = ColumnRef(question, text, where, at) if question else ColumnRef(text, None, where, at)
    return BlockSpec(refs, key, block.line)


def block_specs(mapping: ExportMapping, number: int) -> BlockSpec:
    """Block `number` (from 1) of the pattern: PLACEHOLDER replaced by the number in every heading."""
    pattern = mapping.blocks[0]
    n = str(number)

    def fill(ref: ColumnRef) -> ColumnRef:
        option = ref.option.replace(PLACEHOLDER, n) if ref.option is not None else None
        return ColumnRef(ref.question.replace(PLACEHOLDER, n), option, ref.key, ref.line)

    columns = {name: fill(ref) for name, ref in pattern.columns.items()}
    return BlockSpec(columns, f"{pattern.key} (block {number})", pattern.line)
