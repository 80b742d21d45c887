"""Returns saved by LibreOffice Calc, as a service without Excel sends them: the bundled 2017 return and a return
filled in from `survey template`, each opened and saved again by LibreOffice (headless), import to the same store
rows and tables as the files they came from."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from practitioner_survey.cli import app

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "responses" / "2017"
runner = CliRunner()


def resave(path: Path, out: Path, tmp_path: Path) -> Path:
    """`path` opened and saved again as .xlsx by LibreOffice Calc, in `out`."""
    soffice = shutil.which("soffice")
    assert soffice is not None, (
        "LibreOffice Calc is missing: `bash scripts/setup --test` installs libreoffice-calc-nogui"
    )
    profile = (tmp_path / "lo-profile").as_uri()  # its own profile: runs never share (or lock) the user's
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--calc", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(path)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    saved = out / f"{path.stem}.xlsx"
    assert done.returncode == 0 and saved.exists(), done.stderr[-500:]
    assert saved.read_bytes() != path.read_bytes()  # really written again, by LibreOffice
    return saved


def imported_tables(workbook: Path, folder: Path, accept: Path | None = None) -> dict[str, str]:
    """Import `workbook` as 2017 into a new store in `folder` and return `survey tables`' CSV files by name."""
    db = folder / "survey.db"
    args = ["--db", str(db), "import", str(workbook), "--year", "2017"]
    result = runner.invoke(app, [*args, "--accept-warnings", str(accept)] if accept else args)
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["--db", str(db), "tables", "2017", "--out", str(folder / "tables")])
    assert result.exit_code == 0, result.output
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((folder / "tables").glob("*.csv"))}


def test_the_bundled_return_saved_by_libreoffice_gives_the_same_tables(tmp_path: Path) -> None:
    saved = resave(BUNDLED / "returns-2017.xlsx", tmp_path / "saved", tmp_path)
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    accept = BUNDLED / "acknowledged-warnings.csv"
    original = imported_tables(BUNDLED / "returns-2017.xlsx", tmp_path / "a", accept)
    assert original and imported_tables(saved, tmp_path / "b", accept) == original


def test_a_return_filled_in_from_the_template_and_saved_by_libreoffice_imports_as_it_was(tmp_path: Path) -> None:
    result = runner.invoke(app, ["template", "2017", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    template = load_workbook(tmp_path / "return-template-2017.xlsx")
    source = load_workbook(BUNDLED / "returns-2017.xlsx", data_only=True)
    chosen: set[str] = set()
    for name in ("services", "staffing"):  # the bundled return's first 30 services, copied in by heading
        have = [c.value for c in source[name][1]]
        sheet = template[name]
        headings = [c.value for c in sheet[1]]
        rows = [r for r in source[name].iter_rows(min_row=2, values_only=True) if r[have.index("service_id")]]
        if name == "services":
            rows = rows[:30]
            chosen = {str(r[have.index("service_id")]) for r in rows}
        rows = [r for r in rows if str(r[have.index("service_id")]) in chosen]
        for at, row in enumerate(rows, start=2):
            for column, heading in enumerate(headings, start=1):
                if heading in have:
                    sheet.cell(at, column, row[have.index(heading)])
    filled = tmp_path / "filled-2017.xlsx"
    template.save(filled)
    saved = resave(filled, tmp_path / "saved", tmp_path)
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    accept = BUNDLED / "acknowledged-warnings.csv"
    assert imported_tables(saved, tmp_path / "b", accept) == imported_tables(filled, tmp_path / "a", accept)
