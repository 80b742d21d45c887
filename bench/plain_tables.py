"""The plain alternative to `survey tables`, for bench/run.py's `tables: pandas baseline`.

What one would write without the tool: read the workbook with pandas, join staffing to regions, sum FTE by region.
Run as a script in a fresh process; it imports pandas and the package's reference data only (no spaCy, scipy or
scikit-learn, which the other benchmark helpers bring and which would make the baseline look slow), and fails if
any of those got imported all the same.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from practitioner_survey.reference import police_force_areas

#: what a plain pandas count has no need for: finding one of them imported means the comparison is unfair
NOT_NEEDED = ("spacy", "scipy", "sklearn", "matplotlib", "weasyprint")


def pandas_tables(returns: Path) -> pd.DataFrame:
    """Read the workbook, join staffing to regions, sum FTE and count services by region."""
    sheets = pd.read_excel(returns, sheet_name=None)
    staffing = sheets["staffing"].merge(police_force_areas(), on="police_force_area", how="left")
    fte = [c for c in staffing.columns if c.endswith("_fte") or c.endswith("_high_risk")]
    by_region = staffing.groupby("region")[fte].sum()
    by_region["services"] = staffing.groupby("region")["service_id"].nunique()
    return by_region


def main(argv: list[str]) -> int:
    by_region = pandas_tables(Path(argv[0]))
    loaded = sorted({name.split(".")[0] for name in sys.modules} & set(NOT_NEEDED))
    if loaded or by_region.empty:
        sys.stderr.write(f"unfair or empty baseline: imported {loaded}, {len(by_region)} regions\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
