"""Regenerate the bundled synthetic returns: python -m practitioner_survey.synthetic [--out responses]."""

from __future__ import annotations

import argparse
from pathlib import Path

from practitioner_survey.synthetic.online_export import write_export
from practitioner_survey.synthetic.write import write_reference, write_year
from practitioner_survey.synthetic.year2016 import build_2016
from practitioner_survey.synthetic.year2017 import build_2017

PACKAGE_REFERENCE = Path(__file__).resolve().parent.parent / "reference"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("responses"), help="folder holding one folder per year")
    parser.add_argument("--reference-out", type=Path, default=PACKAGE_REFERENCE, help="where reference CSVs go")
    parser.add_argument("--seed", type=int, default=2017)
    args = parser.parse_args(argv)
    year2017 = build_2017(seed=args.seed)
    year2016 = build_2016(year2017, seed=args.seed - 1)
    for year, requires in ((year2016, []), (year2017, [2016])):
        folder = write_year(year, args.out, requires)
        reference = write_reference(year, args.reference_out)
        print(f"wrote {folder} and {reference}")
    export, mapping = write_export(args.out / "2017" / "returns-2017.xlsx", args.out / "samples")
    print(f"wrote {export} and {mapping}")


if __name__ == "__main__":
    main()
