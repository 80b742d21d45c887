"""A synthetic year's returns at any size, for benchmarks: `returns.xlsx` with sheets services and staffing.

    python bench/synthetic_returns.py --services 10000 --seed 1 --out DIR

The values are random but plausible and pass validation with no errors and no warnings: real police force
area names, about 1.3 staffing rows per service, about a quarter of services employing no practitioners (each
with one all-zero staffing row), Idva FTE no more than headcount, high-risk FTE no more than Idva FTE, valid
idva_cases and idva_locations, and blank free text.

The workbook is written directly as Office Open XML the way Excel saves it (text in a shared-strings table,
numbers as plain values, empty cells left out) rather than through openpyxl, which writes inline strings.
The same seed gives the same bytes: zip entries carry a fixed date and there is no creation time.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

if importlib.util.find_spec("practitioner_survey") is None:  # run from a checkout without `pip install -e`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from practitioner_survey.reference import police_force_areas
from practitioner_survey.returns import schema

Row = list[object]  # cells of one row; None is an empty cell

_EMPLOYS_NONE = 0.25  # share of services that employ no practitioners
_EXTRA_AREAS = 0.4  # mean extra areas per employing service: 0.75 * 1.4 + 0.25 * 1 ≈ 1.3 rows per service
_MAX_AREAS = 6
_HAS_IDVAS = 0.6  # share of an employing service's staffing rows with Idvas
_OTHER_TYPES = [c for c in schema.FTE_COLUMNS if c not in ("idva_fte", "idva_fte_high_risk")]
_OTHER_SHARE = 0.3  # chance each other practitioner type is present on a staffing row


def _tenths(values: np.ndarray) -> np.ndarray:
    """Round down to a tenth, as FTE is written (never above the value, so bounds hold)."""
    return np.floor(values * 10 + 1e-9) / 10


def synthetic_tables(n_services: int, seed: int) -> tuple[list[Row], list[Row]]:
    """(services rows, staffing rows), each starting with its header row; the same for the same seed."""
    rng = np.random.default_rng(seed)
    areas = police_force_areas()["police_force_area"].tolist()
    employs = rng.random(n_services) >= _EMPLOYS_NONE
    n_areas = np.where(employs, 1 + np.minimum(rng.poisson(_EXTRA_AREAS, n_services), _MAX_AREAS - 1), 1)
    picks = rng.random((n_services, len(areas))).argsort(axis=1)[:, :_MAX_AREAS]  # distinct areas per service
    modes = rng.choice(schema.RESPONSE_MODES, n_services, p=[0.7, 0.15, 0.1, 0.05])

    # one draw per possible staffing row, vectorised; rows of services employing no one are zero
    owner = np.repeat(np.arange(n_services), n_areas)
    rows = len(owner)
    paid = employs[owner]
    idvas = paid & (rng.random(rows) < _HAS_IDVAS)
    headcount = np.where(idvas, 1 + rng.poisson(1.5, rows), 0)
    idva_fte = np.where(idvas, np.maximum(_tenths(headcount * rng.uniform(0.4, 1.0, rows)), 0.1), 0.0)
    high_risk = _tenths(idva_fte * rng.uniform(0.0, 1.0, rows))
    others = np.where(
        paid[:, None] & (rng.random((rows, len(_OTHER_TYPES))) < _OTHER_SHARE),
        np.maximum(_tenths(rng.gamma(1.5, 1.2, (rows, len(_OTHER_TYPES)))), 0.1),
        0.0,
    )
    nobody = paid & ~idvas & (others.sum(axis=1) == 0)
    others[nobody, 0] = 1.0  # an employing service's row has someone on it
    volunteers = np.where(paid, rng.poisson(1.0, rows), 0)
    n_locations = rng.integers(1, 4, n_services)
    location_picks = rng.random((n_services, len(schema.IDVA_LOCATIONS))).argsort(axis=1)
    cases = rng.choice(schema.IDVA_CASES, n_services)

    staffing: list[Row] = [list(schema.STAFFING_COLUMNS)]
    position = 0
    has_idvas = np.zeros(n_services, dtype=bool)
    np.logical_or.at(has_idvas, owner, idvas)
    for s in range(n_services):
        sid = f"S{s + 1:06d}"
        for k in range(int(n_areas[s])):
            r = position + k
            fte = dict(zip(_OTHER_TYPES, others[r].tolist(), strict=True))
            fte |= {"idva_fte": float(idva_fte[r]), "idva_fte_high_risk": float(high_risk[r])}
            values = {
                "service_id": sid,
                "police_force_area": areas[picks[s, k]],
                "idva_headcount": int(headcount[r]),
                "volunteers": int(volunteers[r]),
                **fte,
            }
            staffing.append([values[c] for c in schema.STAFFING_COLUMNS])
        position += int(n_areas[s])

    services: list[Row] = [list(schema.SERVICES_COLUMNS)]
    for s in range(n_services):
        with_idvas = bool(has_idvas[s])
        chosen = sorted(location_picks[s, : n_locations[s]]) if with_idvas else []
        values = {
            "service_id": f"S{s + 1:06d}",
            "service_name": f"{areas[picks[s, 0]]} Domestic Abuse Service {s + 1}",
            "employs_practitioners": "yes" if employs[s] else "no",
            "response_mode": str(modes[s]),
            "idva_cases": str(cases[s]) if with_idvas else None,
            "idva_locations": "; ".join(schema.IDVA_LOCATIONS[i] for i in chosen) or None,
        }
        services.append([values.get(c) for c in schema.SERVICES_COLUMNS])  # source note, free text blank
    return services, staffing


# --- writing an .xlsx as Excel does ---------------------------------------------------------------------

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _sheet_xml(rows: list[Row], strings: dict[str, int]) -> str:
    width = max(len(r) for r in rows)
    letters = [_column(i) for i in range(width)]
    parts = [
        f"{_HEAD}<worksheet {_NS} {_REL_NS}>",
        f'<dimension ref="A1:{letters[-1]}{len(rows)}"/>',
        '<sheetViews><sheetView workbookViewId="0"/></sheetViews>',
        '<sheetFormatPr defaultRowHeight="15"/><sheetData>',
    ]
    for number, row in enumerate(rows, start=1):
        cells: list[str] = []
        for letter, value in zip(letters, row, strict=False):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                index = strings.setdefault(value, len(strings))
                cells.append(f'<c r="{letter}{number}" t="s"><v>{index}</v></c>')
            elif isinstance(value, int | float):
                text = repr(value) if isinstance(value, float) and not value.is_integer() else str(int(value))
                cells.append(f'<c r="{letter}{number}"><v>{text}</v></c>')
        parts.append(f'<row r="{number}" spans="1:{width}">{"".join(cells)}</row>')
    parts.append('</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    parts.append("</worksheet>")
    return "".join(parts)


def write_xlsx(path: Path, sheets: dict[str, list[Row]]) -> Path:
    """An .xlsx of the given sheets (rows of str, int, float or None) with a shared-strings table."""
    strings: dict[str, int] = {}
    uses = sum(1 for rows in sheets.values() for row in rows for v in row if isinstance(v, str) and v)
    sheet_xml = [_sheet_xml(rows, strings) for rows in sheets.values()]
    names = list(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    parts = {
        "[Content_Types].xml": (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}"
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'{_HEAD}<Relationships xmlns="{_PKG_RELS}">'
            f'<Relationship Id="rId1" Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f"{_HEAD}<workbook {_NS} {_REL_NS}><bookViews><workbookView/></bookViews><sheets>"
            + "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_HEAD}<Relationships xmlns="{_PKG_RELS}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(names) + 1)
            )
            + f'<Relationship Id="rId{len(names) + 1}" Type="{_DOC_RELS}/styles" Target="styles.xml"/>'
            + f'<Relationship Id="rId{len(names) + 2}" Type="{_DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            + "</Relationships>"
        ),
        "xl/styles.xml": (
            f"{_HEAD}<styleSheet {_NS}>"
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        ),
        "xl/sharedStrings.xml": (
            f'{_HEAD}<sst {_NS} count="{uses}" uniqueCount="{len(strings)}">'
            + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
            + "</sst>"
        ),
        **{f"xl/worksheets/sheet{i}.xml": xml for i, xml in enumerate(sheet_xml, 1)},
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"), compresslevel=6)
    return path


def make_returns(n_services: int, seed: int, out_dir: Path) -> Path:
    """Write `out_dir/returns.xlsx` for a synthetic year of `n_services` services; its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    services, staffing = synthetic_tables(n_services, seed)
    return write_xlsx(out_dir / "returns.xlsx", {schema.SERVICES: services, schema.STAFFING: staffing})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=1000, help="number of services (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write returns.xlsx into")
    args = parser.parse_args(argv)
    path = make_returns(args.services, args.seed, args.out)
    print(f"{path} ({path.stat().st_size:,} bytes, {args.services:,} services, seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
