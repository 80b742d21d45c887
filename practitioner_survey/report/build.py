"""Every figure of the annual report, computed from the store into plain dataclasses; templates only lay them out."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from practitioner_survey.coding.agreement import MODEL, question_agreement
from practitioner_survey.coding.quote_guard import HeldQuote, screen, year_anonymiser
from practitioner_survey.counting import figures as counting
from practitioner_survey.counting.figures import round_half_up
from practitioner_survey.counting.tables import FreeText, read_free_text, tables_for
from practitioner_survey.report.printed import FIGURES, Figure, Table, frame_table, number
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


@dataclass(frozen=True)
class AgreementRow:
    question: str
    comparison: str
    n: int
    kappa: str
    alpha: str
    disagreements: int


@dataclass
class Report:
    """The whole report; charts are filled in by `charts` and `wordclouds` after the figures are counted."""

    year: int
    previous_year: int | None
    earlier_years: list[int]
    data_as_of: str
    headlines: list[str]
    glance: Table
    method: dict[str, object]
    agreement: list[AgreementRow]
    coverage_by_region: Table
    coverage_changes: list[str]
    coverage_by_pfa: Table
    tiles: list[Tile]
    size_services: Table
    size_fte: Table
    locations: Table
    fte_by_region: Table
    fte_by_type: Table
    services_by_type: Table
    volunteers: Table
    questions: list[QuestionSection]
    not_direct: Table
    revisions: Table
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # the CSV/Excel tables, as `survey tables`
    held_quotes: list[HeldQuote] = field(default_factory=list)  # confirmed quotes left out (by id, never text)
    figures: dict[str, Figure] = field(default_factory=dict)


def change(now: float, before: float, unit: str = " %") -> str:
    """'rose by 10 %', 'fell by 3 %' or 'was unchanged', from the sign of now - before."""
    diff = now - before
    if diff > 0:
        return f"rose by {number(diff)}{unit}"
    if diff < 0:
        return f"fell by {number(-diff)}{unit}"
    return "was unchanged"


def build_report(store: Store, year: int, free_text: FreeText | None = None) -> Report:
    """Count every figure of `year`'s report (and last year's beside it when the store holds last year).

    `free_text` is the year's free text if the caller has read it (`read_free_text`); it is read once either way."""
    free_text = free_text if free_text is not None else read_free_text(store, year)
    tables = tables_for(store, year, free_text)
    earlier = earlier_years(store, year)
    previous = earlier[0] if earlier else None
    facts = dict(zip(tables["headline"]["name"], tables["headline"]["value"], strict=True))
    data = earlier_data(store, earlier)
    befores = headline_facts(data)
    coverages = {y: previous_coverage(d) for y, d in data.items()}
    before = befores[previous] if previous else None
    coverage = tables["idva_coverage_by_region"]
    held = [] if free_text is None else held_back(store, year, free_text.year_log)
    withheld = {h.comment_id for h in held}

    report = Report(
        year=year,
        previous_year=previous,
        earlier_years=earlier,
        data_as_of=data_as_of(store, year, free_text),
        headlines=headlines(facts, before, previous, tables),
        glance=glance_table(facts, befores),
        method=method(store, year, facts, tables),
        agreement=agreement_rows(free_text),
        coverage_by_region=coverage_table(coverage, coverages),
        coverage_changes=coverage_changes(coverage, previous, coverages),
        coverage_by_pfa=frame_table(
            "coverage_by_police_force_area",
            tables["coverage_by_police_force_area"],
            "Idva coverage by police force area",
            "FTE; coverage as % of the recommended level",
            f"{len(tables['coverage_by_police_force_area'])} police force areas",
            places={"fte_idvas": 1, "fte_idvas_high_risk": 1, "recommended_idvas": 1},
        ),
        tiles=tiles(tables["coverage_by_police_force_area"]),
        size_services=frame_table(
            "idva_services_by_size",
            tables["idva_services_by_size"],
            "Idva services by size (individual Idvas)",
            "% of Idva services in each region",
            f"{number(facts['idva_services_answering_size_question'])} services",
        ),
        size_fte=frame_table(
            "idva_fte_by_service_size",
            tables["idva_fte_by_service_size"],
            "FTE Idvas by the size of their service",
            "% of the region's FTE Idvas",
            f"{number(facts['idva_services_answering_size_question'])} services",
        ),
        locations=frame_table(
            "idva_locations",
            tables["idva_locations"],
            "Where Idvas are based",
            "% of Idva services (a service may have Idvas in several places)",
            f"{number(facts['idva_services'])} Idva services",
        ),
        fte_by_region=frame_table(
            "practitioner_fte_by_region",
            tables["practitioner_fte_by_region"],
            "Domestic abuse practitioners by type and region",
            "FTE",
            f"{number(facts['services_responding_with_practitioners'])} services",
            note="Services working in several regions count once in each region and once in the total.",
        ),
        fte_by_type=fte_by_type_table(
            tables["fte_by_type"], data, f"{number(facts['services_responding_with_practitioners'])} services"
        ),
        services_by_type=frame_table(
            "services_by_type_by_region",
            tables["services_by_type_by_region"],
            "Services employing each type of practitioner",
            "number of services; last row % of all services",
            f"{number(facts['services_responding_with_practitioners'])} services",
            note="A service working in several regions counts in each, so a column's total can be less than its sum.",
        ),
        volunteers=frame_table(
            "volunteers_by_region",
            tables["volunteers_by_region"],
            "Volunteers by region",
            "people; services",
            f"{number(facts['services_responding_with_practitioners'])} services",
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
        tables=tables,
        held_quotes=held,
    )
    return report


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


def headlines(
    facts: dict[str, object], before: dict[str, float] | None, previous: int | None, tables: dict[str, pd.DataFrame]
) -> list[str]:
    """The at-a-glance sentences, each generated from the figures."""
    f = {k: float(v) for k, v in facts.items() if isinstance(v, int | float)}
    out = []
    cov = f"Idva coverage was {number(f['coverage_pct'])} % of the recommended level"
    if before:
        moved = change(f["coverage_pct"], before["coverage_pct"], " percentage points")
        cov += f"; it {moved} from {number(before['coverage_pct'])} % in {previous}"
    out.append(cov + ".")
    if f["shortfall_fte"] > 0:
        out.append(
            f"A further {number(f['shortfall_fte'])} FTE Idvas working with victims at high risk would be needed to "
            f"reach the recommended {number(f['recommended_fte_idvas'])}."
        )
    else:
        out.append(
            f"The number of FTE Idvas working at high risk met the recommended {number(f['recommended_fte_idvas'])}."
        )
    fte = f"There were {number(f['fte_idvas'])} FTE Idvas (about {number(f['idva_headcount_approx'])} people)"
    if before:
        diff = f["fte_idvas"] - before["fte_idvas"]
        rate = round_half_up(counting.pct(abs(diff), before["fte_idvas"]))
        fte += (
            f"; the number {change(f['fte_idvas'], before['fte_idvas'], '')} FTE ({number(rate)} %) since {previous}"
            if diff
            else f", the same as in {previous}"
        )
    out.append(fte + ".")
    below = (
        f"{number(f['pfas_below_50pct'])} of {number(f['police_force_areas'])} police force areas had less than half "
        "the recommended coverage"
    )
    if f["pfas_at_or_below_33pct"]:
        below += f", {number(f['pfas_at_or_below_33pct'])} of them a third or less"
    out.append(below + ".")
    met = (
        f"{number(f['pfas_at_or_above_100pct'])} areas had the recommended coverage and "
        f"{number(f['pfas_at_or_above_90pct'])} had 90 % or more"
    )
    if before:
        met += f" ({number(before['pfas_at_or_above_90pct'])} in {previous})"
    out.append(met + ".")
    large = f"{number(f['services_with_more_than_10_idvas_pct'])} % of Idva services employed more than ten Idvas"
    if before:
        large += f" ({number(before['services_with_more_than_10_idvas_pct'])} % in {previous})"
    out.append(large + f"; in {number(f['pfas_all_idvas_in_one_service'])} areas all Idvas worked in a single service.")
    out.append(
        f"The survey counted {number(f['total_fte_practitioners'])} FTE domestic abuse practitioners of all types, "
        "probably fewer than there are."
    )
    for q in FREE_TEXT_QUESTIONS:
        cats = tables.get(f"comment_categories_{q}")
        if cats is not None and len(cats) and int(cats["comments"].sum()):
            top = cats.iloc[0]
            out.append(
                f"{QUESTION_SHORT[q]}: the largest share of comments ({number(top['pct'])} %) was about "
                f"{str(top['category']).lower()}."
            )
    return out


QUESTION_SHORT = {
    "biggest_difference": "What would make the biggest difference",
    "survivor_challenges": "The biggest challenge for victims/survivors",
    "other_comments": "Other comments",
}


def method(store: Store, year: int, facts: dict[str, object], tables: dict[str, pd.DataFrame]) -> dict[str, object]:
    """Responses, rollovers, revisions and how free text was coded."""
    rollovers = store.rollovers(year)
    revisions = store.revisions(year)
    summary = tables.get("free_text_summary")
    return {
        "with_practitioners": number(facts["services_responding_with_practitioners"]),
        "without_practitioners": number(facts["services_responding_without_practitioners"]),
        "rolled_over": len(rollovers),
        "rolled_over_from": sorted({int(y) for y in rollovers["from_year"]}),
        "revisions": len(revisions),
        "revision_sources": sorted(set(revisions["source"])),
        "free_text": []
        if summary is None
        else [
            {
                "question": QUESTION_SHORT[str(r.question)],
                "answers": number(r.answers),
                "comments": number(r.comments),
                "coded": number(r.coded),
            }
            for r in summary.itertuples()
        ],
    }


def agreement_rows(free_text: FreeText | None) -> list[AgreementRow]:
    """Model vs analyst and analyst vs analyst agreement per question; 'not measured' where nothing was compared."""
    if free_text is None:
        return []
    rows = []
    measured = [question_agreement(q, free_text.log[q], set(free_text.comments[q]["id"])) for q in FREE_TEXT_QUESTIONS]
    for a in (a for question in measured for a in question):
        unmeasured = "not measured"
        rows.append(
            AgreementRow(
                QUESTION_SHORT[a.question],
                "the model's suggestion vs the analyst" if a.comparison == MODEL else "two analysts coding blind",
                a.n,
                unmeasured if a.n == 0 or a.kappa is None else f"{a.kappa:.2f}",
                unmeasured if a.n == 0 or a.alpha is None else f"{a.alpha:.2f}",
                a.disagreements,
            )
        )
    return rows


def coverage_changes(coverage: pd.DataFrame, previous: int | None, earlier: dict[int, pd.DataFrame]) -> list[str]:
    """Sentences on how each region's coverage moved since last year (`earlier`: `previous_coverage` by year)."""
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
    out = [f"Since {previous}, coverage " + ", ".join(parts[:-1]) + " and " + parts[-1] + "."]
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
