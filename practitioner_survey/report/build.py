"""Every figure of the annual report, computed from the store into plain dataclasses; templates only lay them out."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

import pandas as pd

from practitioner_survey.coding.quote_guard import HeldQuote, screen, year_anonymiser
from practitioner_survey.counting.figures import round_half_up
from practitioner_survey.counting.tables import FreeText, read_free_text, tables_for
from practitioner_survey.reference.texts import PractitionerType, practitioner_types
from practitioner_survey.report.comparisons import Notes, caveats_of
from practitioner_survey.report.glance import KeyFigure, findings, headlines, key_figures, term_counts
from practitioner_survey.report.glance import change as change  # re-exported: rises and falls worded from the sign
from practitioner_survey.report.idva import idva_tables, idva_text
from practitioner_survey.report.method import AgreementRow, agreement_note, agreement_rows, method
from practitioner_survey.report.printed import FIGURES, Figure, Table, frame_table, number
from practitioner_survey.report.provenance import Provenance, load_provenance
from practitioner_survey.report.questions import QuestionSection, question_section
from practitioner_survey.report.tilemap import Tile, tiles
from practitioner_survey.report.years import (
    coverage_table,
    earlier_data,
    earlier_years,
    fte_by_type_table,
    glance_table,
    headline_facts,
    previous_coverage,
)
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS
from practitioner_survey.store.core import Store

TOTAL = "Total"
#: Tables counted partly from the reference data (Marac cases, population), whose source names it too.
FROM_REFERENCE = ("headline", "idva_coverage_by_region", "coverage_by_police_force_area", "marac_cases_by_pfa",
                  "practitioner_density_by_pfa")  # fmt: skip


@dataclass
class Report:
    """The whole report; charts are filled in by `charts` and `wordclouds` after the figures are counted."""

    year: int
    previous_year: int | None
    earlier_years: list[int]
    data_as_of: str
    provenance: Provenance
    headlines: list[str]
    key_figures: list[KeyFigure]
    findings: list[str]
    glance: Table
    method: dict[str, object]
    agreement: list[AgreementRow]
    agreement_note: str
    idva_text: dict[str, str]
    coverage_by_region: Table
    coverage_changes: list[str]
    coverage_by_pfa: Table
    tiles: list[Tile]
    size_services: Table
    size_fte: Table
    locations: Table
    location_settings: Table
    ons_marac: Table | None
    definitions: list[PractitionerType]
    fte_by_region: Table
    fte_by_type: Table
    services_by_type: Table
    density_by_pfa: Table
    volunteers: Table
    questions: list[QuestionSection]
    not_direct: Table
    revisions: Table
    notes: list[tuple[int, str]]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # the CSV/Excel tables, as `survey tables`
    held_quotes: list[HeldQuote] = field(default_factory=list)  # confirmed quotes left out (by id, never text)
    figures: dict[str, Figure] = field(default_factory=dict)


def build_report(
    store: Store, year: int, free_text: FreeText | None = None, provenance: Provenance | None = None
) -> Report:
    """Count every figure of `year`'s report (and the earlier years beside it when the store holds them).

    `free_text` is the year's free text if the caller has read it (`read_free_text`); it is read once either way.
    `provenance` is the report's settings (`report.toml` by default)."""
    provenance = provenance or load_provenance(year)
    free_text = free_text if free_text is not None else read_free_text(store, year)
    tables = tables_for(store, year, free_text)
    terms = term_counts(free_text, provenance.terms) if free_text is not None and provenance.terms else None
    if terms is not None:
        tables["comment_terms"] = terms.assign(pct=terms["pct"].map(lambda v: int(round_half_up(v))))
    earlier = earlier_years(store, year)
    previous = earlier[0] if earlier else None
    facts = dict(zip(tables["headline"]["name"], tables["headline"]["value"], strict=True))
    data = earlier_data(store, earlier)
    befores = headline_facts(data)
    coverages = {y: previous_coverage(d) for y, d in data.items()}
    coverage = tables["idva_coverage_by_region"]
    held = [] if free_text is None else held_back(store, year, free_text.year_log)
    withheld = {h.comment_id for h in held}

    notes = Notes()
    services_n = f"{number(facts['services_responding_with_practitioners'])} services"
    agreement = agreement_rows(free_text)
    idva = idva_tables(tables, facts)
    report = Report(
        year=year,
        previous_year=previous,
        earlier_years=earlier,
        data_as_of=data_as_of(store, year, free_text),
        provenance=provenance,
        headlines=headlines(facts, befores, year, notes),
        key_figures=key_figures(facts, befores, year, notes),
        findings=findings(tables, terms),
        glance=glance_table(facts, befores, year, notes),
        method=method(store, year, facts, tables),
        agreement=agreement,
        agreement_note=agreement_note(free_text, agreement),
        idva_text=idva_text(facts, previous),
        coverage_by_region=coverage_table(coverage, coverages, year, notes),
        coverage_changes=coverage_changes(
            coverage, previous, coverages, notes.marks(caveats_of("coverage_pct", year, earlier[:1]))
        ),
        tiles=tiles(tables["coverage_by_police_force_area"]),
        definitions=list(practitioner_types()),
        fte_by_region=frame_table(
            "practitioner_fte_by_region",
            tables["practitioner_fte_by_region"],
            "Domestic abuse practitioners by type and region",
            "FTE",
            services_n,
            note="Services working in several regions count once in each region and once in the total.",
        ),
        fte_by_type=fte_by_type_table(tables["fte_by_type"], data, services_n, year, notes),
        services_by_type=frame_table(
            "services_by_type_by_region",
            tables["services_by_type_by_region"],
            "Services employing each type of practitioner",
            "number of services; last row % of all services",
            services_n,
            note="A service working in several regions counts in each, so a column's total can be less than its sum.",
        ),
        density_by_pfa=frame_table(
            "practitioner_density_by_pfa",
            tables["practitioner_density_by_pfa"].drop(columns=["outreach_fte", "cyp_fte"]),
            "Outreach and children's and young people's workers per 100,000 adult women",
            "FTE per 100,000 adult women; the FTE are in the downloadable table",
            f"{len(tables['practitioner_density_by_pfa']) - 1} police force areas",
            places={"outreach_per_100k_women": 1, "cyp_per_100k_women": 1},
        ),
        volunteers=frame_table(
            "volunteers_by_region",
            tables["volunteers_by_region"],
            "Volunteers by region",
            "people; services",
            services_n,
        ),
        questions=[]
        if free_text is None
        else [question_section(free_text, q, tables, withheld) for q in FREE_TEXT_QUESTIONS],
        not_direct=frame_table(
            "not_direct_responses",
            tables["not_direct_responses"],
            "Services which did not respond directly",
            "FTE Idvas",
            f"{len(tables['not_direct_responses'])} services",
            places={"fte_idvas": 1, "fte_idvas_high_risk": 1},
        ),
        revisions=frame_table(
            "revisions",
            tables["revisions"]
            .drop(columns=["service_id"])
            .assign(field=lambda f: f["field"].map(lambda k: FIGURES.get(str(k), str(k)))),
            "Figures revised after the survey",
            "FTE or people, as the figure",
            f"{len(tables['revisions'])} revisions",
            places={"old_value": 2, "new_value": 2},
        ),
        notes=[],
        tables=tables,
        held_quotes=held,
        **{f.name: getattr(idva, f.name) for f in fields(idva)},
    )
    return sourced(replace(report, notes=notes.listed()))


def sourced(report: Report) -> Report:
    """The report with a "Source:" line on every table: the survey, and the reference data where a table uses it
    (the ONS table names the ONS)."""
    p = report.provenance

    def source(table: Table) -> Table:
        if table.source:
            return table
        if table.id == "ons_marac_national":
            return replace(table, source="Office for National Statistics, re-publishing SafeLives' Marac data")
        text = f"{p.source}; {p.reference_source}" if table.id in FROM_REFERENCE else p.source
        return replace(table, source=text)

    changes: dict[str, object] = {f.name: source(getattr(report, f.name)) for f in fields(report)
                                  if isinstance(getattr(report, f.name), Table)}  # fmt: skip
    changes["questions"] = [
        replace(q, categories=source(q.categories),
                details=[replace(d, subcategories=source(d.subcategories) if d.subcategories else None)
                         for d in q.details])
        for q in report.questions
    ]  # fmt: skip
    return replace(report, **changes)  # type: ignore[arg-type]


def held_back(store: Store, year: int, log: pd.DataFrame) -> list[HeldQuote]:
    """The year's confirmed quotes the report leaves out: they still hold something the anonymiser would replace
    that the analyst did not acknowledge (coding.quote_guard)."""
    if log.empty or not (log["action"] == "quote").any():
        return []
    return screen(log, year_anonymiser(store.services(year)["service_name"], store.staffing(year)["police_force_area"]))


def data_as_of(store: Store, year: int, free_text: FreeText | None) -> str:
    """The latest change to the year's data in the store (import or coding decision): the report's only date."""
    summary = store.summary()
    times = [str(t) for t in summary.loc[summary["year"] == year, "imported_at"]]
    log = free_text.year_log if free_text is not None else store.decisions(year)
    if len(log):
        times.append(str(log["at"].max()))
    return max(times)[:10] if times else "unknown"


def coverage_changes(
    coverage: pd.DataFrame, previous: int | None, earlier: dict[int, pd.DataFrame], mark: str = ""
) -> list[str]:
    """Sentences on how each region's coverage moved since last year (`earlier`: `previous_coverage` by year);
    `mark` is the comparability notes' mark of the change."""
    if previous is None:
        return []
    before = earlier[previous]
    up: list[str] = []
    down: list[str] = []
    same: list[str] = []
    for region, pct in zip(coverage["region"], coverage["coverage_pct"], strict=True):
        if region == TOTAL or region not in before.index:
            continue
        diff = int(pct) - int(before.loc[region, "coverage_pct"])
        (up if diff > 0 else down if diff < 0 else same).append(str(region))
    parts = [f"rose in {_regions(len(up))}", f"fell in {_regions(len(down))}"]
    if same:
        parts.append(f"was unchanged in {_regions(len(same))}")
    out = [f"Since {previous}, coverage " + ", ".join(parts[:-1]) + " and " + parts[-1] + mark + "."]
    if down:
        out.append("It fell in " + ", ".join(down) + ".")
    full = [r for r, p in zip(coverage["region"], coverage["coverage_pct"], strict=True) if r != TOTAL and p >= 100]
    out.append(
        ("Regions with at least the recommended coverage: " + ", ".join(full) + ".")
        if full
        else "No region had the recommended coverage."
    )
    return out


def _regions(n: int) -> str:
    return "no region" if n == 0 else "one region" if n == 1 else f"{n} regions"
