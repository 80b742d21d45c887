"""Where the report comes from: publisher, publication date, reference period, statistical status, contact and the
"Source:" lines, read from the `report.toml` the survey team edits; and the free-text terms the summary counts."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from practitioner_survey.errors import SurveyError

NAME = "report.toml"
#: Settings every report needs; a missing one is an error naming the file.
REQUIRED = ("publisher", "title", "source", "reference_source", "statistical_status", "contact")
#: Settings of one year's report, printed as below until report.toml gives them (under [year.YYYY]).
YEARLY = {"reference_period": "the {year} survey's returns (not yet set in report.toml)",
          "publication_date": "not yet published (no date in report.toml)"}  # fmt: skip


@dataclass(frozen=True)
class Provenance:
    """What the report says about itself (see report.toml)."""

    publisher: str
    title: str
    source: str
    reference_source: str
    statistical_status: str
    contact: str
    reference_period: str
    publication_date: str
    terms: tuple[tuple[str, str], ...] = ()  # (term, regular expression) counted in the free text


def found_file(path: Path) -> bool:
    """Whether `path` is a file this user can see: a folder this user may not look into (the current one, run as
    another user) holds nothing that could be meant, so the next place is tried instead of failing."""
    try:
        return path.is_file()
    except PermissionError:
        return False


def config_path() -> Path:
    """$SURVEY_REPORT_TOML, ./report.toml, or the report.toml beside the package (a clone's)."""
    for candidate in (os.environ.get("SURVEY_REPORT_TOML"), Path.cwd() / NAME):
        if candidate and found_file(Path(candidate)):
            return Path(candidate)
    here = Path(__file__).resolve().parents[2] / NAME
    if found_file(here):
        return here
    raise SurveyError(f"{NAME} not found: set SURVEY_REPORT_TOML to the report's settings file")


def load_provenance(year: int, path: Path | None = None) -> Provenance:
    """The settings of `year`'s report: the file's top-level values, with its [year.YYYY] values over them."""
    path = path or config_path()
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SurveyError(f"cannot read {path.name}: {exc}") from exc
    merged = {k: v for k, v in data.items() if not isinstance(v, dict)}
    merged |= data.get("year", {}).get(str(year), {})
    missing = [key for key in REQUIRED if not str(merged.get(key, "")).strip()]
    if missing:
        raise SurveyError(f"{path.name} gives no {', '.join(missing)} for {year}: add them (under [year.{year}] "
                          "for what changes each year)")  # fmt: skip
    terms = []
    for term, pattern in data.get("terms", {}).items():
        try:
            re.compile(str(pattern))
        except re.error as exc:
            raise SurveyError(f"{path.name}: the pattern of term {term!r} is not a regular expression: {exc}") from exc
        terms.append((str(term), str(pattern)))
    merged = YEARLY | {k: v for k, v in merged.items() if str(v).strip()}
    values = {key: str(merged[key]).replace("{year}", str(year)) for key in (*REQUIRED, *YEARLY)}
    return Provenance(**values, terms=tuple(terms))
