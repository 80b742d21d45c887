"""The guard before publication: a confirmed quote that still holds something the anonymiser would replace is held
back from the report, unless the analyst confirmed that exact text with those findings acknowledged.

The acknowledgement travels with the quote's decision in the coding log (its payload's "acknowledged": the SHA-256
of the confirmed text and each finding's kind and span), so a later edit, which is a new quote decision, starts
without one; and a finding a newer anonymiser makes that the analyst never saw holds the quote back again.
Held quotes are named by comment id, question and kinds, never by their text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from practitioner_survey.coding.anonymise import Anonymiser, Finding, kinds_summary, names_from
from practitioner_survey.reference import police_force_areas
from practitioner_survey.store.coding import undone_ids
from practitioner_survey.store.core import Store


@dataclass(frozen=True)
class HeldQuote:
    """A confirmed quote the report leaves out, and what it still holds."""

    comment_id: int
    question: str
    summary: str  # "1 name, 1 place"

    def line(self) -> str:
        """One line naming the quote without its text."""
        return f"comment {self.comment_id} ({self.question}): still holds {self.summary}"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def acknowledgement(text: str, found: Sequence[Finding]) -> dict[str, Any]:
    """What a quote decision's payload records when the analyst confirms `text` with `found` still in it."""
    return {"sha256": _sha256(text), "findings": [{"kind": f.kind, "start": f.start, "end": f.end} for f in found]}


def unacknowledged(text: str, payload: Mapping[str, Any], anonymiser: Anonymiser) -> list[Finding]:
    """The findings in a confirmed quote's `text` that its decision's payload does not acknowledge."""
    found = anonymiser.findings(text)
    ack = payload.get("acknowledged")
    if not found or not isinstance(ack, dict) or ack.get("sha256") != _sha256(text):
        return found
    seen = {(d.get("kind"), d.get("start"), d.get("end")) for d in ack.get("findings", []) if isinstance(d, dict)}
    return [f for f in found if (f.kind, f.start, f.end) not in seen]


def latest_quotes(log: pd.DataFrame) -> dict[int, dict[str, Any]]:
    """comment id -> the payload of its latest confirmed quote decision in a log (`Store.decisions`), undone
    decisions left out."""
    undone = undone_ids(log)
    quotes = log[(log["action"] == "quote") & ~log["id"].isin(undone)]
    out: dict[int, dict[str, Any]] = {}
    for comment_id, group in quotes.groupby("comment_id", sort=True):
        payload = group["payload"].iloc[-1]
        text = payload.get("anonymised")
        if payload.get("confirmed") is True and isinstance(text, str) and text.strip():
            out[int(str(comment_id))] = payload
    return out


def screen(log: pd.DataFrame, anonymiser: Anonymiser) -> list[HeldQuote]:
    """The confirmed quotes of a log (one or more questions) that the report must hold back."""
    questions = dict(zip(log["comment_id"], log["question"], strict=False)) if len(log) else {}
    held = []
    for comment_id, payload in latest_quotes(log).items():
        found = unacknowledged(str(payload["anonymised"]).strip(), payload, anonymiser)
        if found:
            held.append(HeldQuote(comment_id, str(questions.get(comment_id, "")), kinds_summary(found)))
    return held


def year_anonymiser(service_names: Iterable[str], areas: Iterable[str] = ()) -> Anonymiser:
    """The anonymiser for a year: its services' names and places, and every police force area."""
    every = set(police_force_areas()["police_force_area"]) | {str(a) for a in areas}
    return Anonymiser(names_from([str(n) for n in service_names], sorted(every)))


def held_quotes(store: Store, year: int) -> list[HeldQuote]:
    """The year's confirmed quotes that still hold something the anonymiser would replace, unacknowledged."""
    log = store.decisions(year)
    if log.empty or not (log["action"] == "quote").any():
        return []
    anonymiser = year_anonymiser(store.services(year)["service_name"], store.staffing(year)["police_force_area"])
    return screen(log, anonymiser)
