"""The at-a-glance page: sentences generated from the figures (rises and falls worded from their sign, with the
comparability notes that apply), the "for every 100" key figures with up to two earlier years beside them, and
the findings from the comments (largest categories, the subcategory mentioned most, terms counted)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from practitioner_survey.counting import figures as counting
from practitioner_survey.counting.figures import round_half_up
from practitioner_survey.counting.tables import FreeText
from practitioner_survey.reference import HIGH_RISK_CASES_PER_10000_WOMEN
from practitioner_survey.report.comparisons import Notes, caveats_of, compare
from practitioner_survey.report.printed import number
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS

QUESTION_SHORT = {
    "biggest_difference": "What would make the biggest difference",
    "survivor_challenges": "The biggest challenge for victims/survivors",
    "other_comments": "Other comments",
}
#: How each question's comments are named in a finding ("in over a third of ...").
QUESTION_ABOUT = {
    "biggest_difference": "comments on what would make the biggest difference",
    "survivor_challenges": "comments on the biggest challenge for victims/survivors",
    "other_comments": "the other comments",
}
#: Subcategories that name no particular thing, passed over when saying which was mentioned most.
UNNAMED = {"general", "other"}


def change(now: float, before: float, unit: str = "%") -> str:
    """'rose by 10%', 'fell by 3%' or 'was unchanged', from the sign of now - before."""
    diff = now - before
    if diff > 0:
        return f"rose by {number(diff)}{unit}"
    if diff < 0:
        return f"fell by {number(-diff)}{unit}"
    return "was unchanged"


def in_sentence(label: str) -> str:
    """A label inside a sentence: 'Housing options' -> 'housing options', but 'Idva', 'BME', 'Marac' stay."""
    first, *rest = label.split(" ")
    if first in ("Idva", "Idvas", "Marac") or any(word[:1].isupper() for word in rest):  # a name: as written
        return label
    if len(first) > 1 and (first[1:].islower() or not first[1:].isalpha()):
        return label[:1].lower() + label[1:]
    return label


def headlines(facts: dict[str, object], befores: dict[int, dict[str, float]], year: int, notes: Notes) -> list[str]:
    """The at-a-glance sentences about provision, each generated from the figures; a change since last year is
    printed only where the years are comparable, with its notes."""
    f = {k: float(v) for k, v in facts.items() if isinstance(v, int | float)}
    previous = next(iter(befores), None)
    before = befores[previous] if previous is not None else None

    def since(measure: str) -> tuple[bool, str]:
        if previous is None:
            return False, ""
        c = compare(measure, year, previous)
        return c.comparable, notes.marks(c.caveats)

    out = []
    cov = f"Idva coverage was {number(f['coverage_pct'])}% of the recommended level"
    ok, mark = since("coverage_pct")
    if before and ok:
        moved = change(f["coverage_pct"], before["coverage_pct"], " percentage points")
        cov += f"; it {moved} from {number(before['coverage_pct'])}% in {previous}{mark}"
    out.append(cov + ".")
    if f["shortfall_fte"] > 0:
        out.append(f"A further {number(f['shortfall_fte'])} FTE Idvas working with victims at high risk would be "
                   f"needed to reach the recommended {number(f['recommended_fte_idvas'])}.")  # fmt: skip
    else:
        out.append(f"The FTE Idvas working at high risk met the recommended {number(f['recommended_fte_idvas'])}.")
    fte = f"There were {number(f['fte_idvas'])} FTE Idvas (about {number(f['idva_headcount_approx'])} people)"
    ok, mark = since("fte_idvas")
    if before and ok:
        diff = f["fte_idvas"] - before["fte_idvas"]
        rate = round_half_up(counting.pct(abs(diff), before["fte_idvas"]))
        fte += (f"; the number {change(f['fte_idvas'], before['fte_idvas'], '')} FTE ({number(rate)}%) since "
                f"{previous}{mark}" if diff else f", the same as in {previous}{mark}")  # fmt: skip
    out.append(fte + ".")
    if "marac_cases" in f:
        marac = f"{number(f['marac_cases'])} cases were heard at Maracs in the year"
        if "marac_cases_increase_pct" in f and previous is not None:
            marac += f"; the number {change(f['marac_cases_increase_pct'], 0)} since {previous}"
        out.append(marac + ".")
    below = (f"{number(f['pfas_below_50pct'])} of {number(f['police_force_areas'])} police force areas had less "
             "than half the recommended coverage")  # fmt: skip
    if f["pfas_at_or_below_33pct"]:
        below += f", {number(f['pfas_at_or_below_33pct'])} of them a third or less"
    out.append(below + ".")
    met = (f"{number(f['pfas_at_or_above_100pct'])} areas had the recommended coverage and "
           f"{number(f['pfas_at_or_above_90pct'])} had 90% or more")  # fmt: skip
    ok, mark = since("pfas_at_or_above_90pct")
    if before and ok:
        met += f" ({number(before['pfas_at_or_above_90pct'])} in {previous}{mark})"
    out.append(met + ".")
    large = f"{number(f['services_with_more_than_10_idvas_pct'])}% of Idva services employed more than ten Idvas"
    ok, mark = since("services_with_more_than_10_idvas_pct")
    if before and ok:
        large += f" ({number(before['services_with_more_than_10_idvas_pct'])}% in {previous}{mark})"
    out.append(large + f"; in {number(f['pfas_all_idvas_in_one_service'])} areas all Idvas worked in a single "
               "service.")  # fmt: skip
    total = (f"The survey counted {number(f['total_fte_practitioners'])} FTE domestic abuse practitioners of all "
             "types, probably fewer than there are")  # fmt: skip
    if previous is not None and not compare("total_fte_practitioners", year, previous).comparable:
        total += f"; the count cannot be compared with {previous}'s{notes.marks(caveats_of('total_fte_practitioners', year, [previous]))}"  # noqa: E501
    out.append(total + ".")
    return out


@dataclass(frozen=True)
class KeyFigure:
    """One "for every 100" figure: the number, what it says, and the earlier years' numbers where comparable."""

    id: str
    value: str
    text: str
    earlier: str = ""
    note: str = ""


#: The key figures: (id, measure in the headline figures, text after the number; {total} and {year} filled in).
KEY_FIGURES = (
    ("coverage", "coverage_pct", "FTE Idvas for victims at high risk are in post for every 100 the areas need"),
    ("high_risk", "idva_fte_high_risk_pct", "of every 100 FTE Idvas work with victims at high risk"),
    ("marac_rate", "marac_cases_per_10000_adult_females",
     f"cases were heard at Marac for every 10,000 adult women; {HIGH_RISK_CASES_PER_10000_WOMEN} is the "
     "recommended level"),
    ("areas_met", "pfas_at_or_above_100pct", "of the {areas} police force areas had the recommended Idva coverage"),
    ("lone_idva", "services_with_one_idva_pct", "of every 100 Idva services have a single Idva"),
    ("one_place", "services_with_idvas_in_single_location_pct",
     "of every 100 Idva services have their Idvas in one location"),
    ("idva_share", "idva_share_of_practitioners_pct", "of every 100 FTE domestic abuse practitioners are Idvas"),
)  # fmt: skip
#: Key figures printed with decimals: the FTE share by type has one, as in the table of FTE by type.
KEY_PLACES = {"idva_share_of_practitioners_pct": 1}


def key_figures(
    facts: dict[str, object], befores: dict[int, dict[str, float]], year: int, notes: Notes
) -> list[KeyFigure]:
    """The "for every 100" figures of the year, each with the earlier years' figures beside it where the store
    holds them and they are comparable (with their notes), or a note that they are not."""
    out = []
    for key, measure, text in KEY_FIGURES:
        if measure not in facts:
            continue
        earlier, marks = [], []
        for y, before in befores.items():
            c = compare(measure, year, y)
            if measure in before and c.comparable:
                earlier.append(f"{y}: {number(before[measure], KEY_PLACES.get(measure, 0))}")
            elif measure in before:
                earlier.append(f"{y}: not comparable")
            marks += [m for m in c.caveats if m not in marks]
        areas = number(facts.get("police_force_areas", 0))
        value = number(facts[measure], KEY_PLACES.get(measure, 0))
        out.append(KeyFigure(key, value, text.format(areas=areas), "; ".join(earlier), notes.marks(marks).strip()))
    return out


def term_counts(free_text: FreeText, terms: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    """Per question and term, how many comments mention the term (its pattern, case-insensitive), and the share.
    Only counts leave this function, never the text."""
    rows = []
    for question in FREE_TEXT_QUESTIONS:
        text = free_text.comments[question]["text"].astype(str)
        for term, pattern in terms:
            hit = int(text.str.contains(pattern, flags=re.IGNORECASE, regex=True).sum())
            rows.append({"question": question, "term": term, "comments": len(text), "mentioning": hit,
                         "pct": counting.pct(hit, len(text))})  # fmt: skip
    return pd.DataFrame(rows, columns=["question", "term", "comments", "mentioning", "pct"])


def roughly(share: float) -> str:
    """A share in words as a reader says it: 'over a third', 'about a quarter', 'just under half'."""
    fractions = ((1 / 2, "half"), (1 / 3, "a third"), (1 / 4, "a quarter"), (1 / 5, "a fifth"), (1 / 10, "a tenth"))
    value, name = min(fractions, key=lambda f: abs(f[0] - share))
    if abs(share - value) <= 0.01:
        return f"about {name}"
    return f"{'over' if share > value else 'just under'} {name}"


def findings(tables: dict[str, pd.DataFrame], terms: pd.DataFrame | None) -> list[str]:
    """What the comments said, from the coding: per question the largest category (and the next), the named
    subcategory mentioned most within it, with their numbers; and how often each counted term was mentioned."""
    out = []
    for q in FREE_TEXT_QUESTIONS:
        cats = tables.get(f"comment_categories_{q}")
        if cats is None or not len(cats) or not int(cats["comments"].sum()):
            continue
        n = int(cats["comments"].sum())
        top, second = cats.iloc[0], cats.iloc[1] if len(cats) > 1 else None
        text = (f"{QUESTION_SHORT[q]}: {in_sentence(str(top['category']))} came up most "
                f"({number(top['pct'])}% of {n:,} comments)")  # fmt: skip
        if second is not None and int(second["comments"]):
            text += f", then {in_sentence(str(second['category']))} ({number(second['pct'])}%)"
        subs = tables[f"comment_subcategories_{q}"]
        mine = subs[(subs["category"] == top["category"]) & ~subs["subcategory"].str.lower().isin(UNNAMED)]
        mine = mine[mine["comments"] > 0].sort_values("comments", ascending=False, kind="stable")
        if len(mine):
            best = mine.iloc[0]
            k = int(best["comments"])
            text += (f". Within {in_sentence(str(top['category']))}, {in_sentence(str(best['subcategory']))} was "
                     f"mentioned most ({k:,} comments, {number(counting.pct(k, n))}% of all comments on the "
                     "question)")  # fmt: skip
        out.append(text + ".")
    if terms is not None:
        for term, group in terms.groupby("term", sort=False):
            shown = group[group["mentioning"] > 0]
            if not len(shown):
                continue
            parts = [f"{roughly(int(k) / int(n))} of {QUESTION_ABOUT[str(q)]} ({number(p)}%, {int(k):,} of "
                     f"{int(n):,})" for q, k, n, p in zip(shown["question"], shown["mentioning"], shown["comments"],
                                                         shown["pct"], strict=True)]  # fmt: skip
            out.append(f"{str(term).capitalize()} was mentioned in " + "; in ".join(parts) + ".")
    return out
