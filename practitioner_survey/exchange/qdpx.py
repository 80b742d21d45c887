"""A year's coding written as a REFI-QDA project (.qdpx) for NVivo, MAXQDA or ATLAS.ti.

The project follows the REFI-QDA Project exchange standard 1.0 (namespace urn:QDA-XML:project:1.0): the analysts
as Users; the three questions' codebooks as Codes (question, then category, then subcategory, with the .qdc's
guids); one Case per service with its Variables; one TextSource per free-text answer, its text in
`sources/{guid}.txt` (UTF-8), holding a PlainTextSelection per comment (character offsets into the answer) with its
current code as a Coding; and the analysts' notes and confirmed anonymised quotes as Notes. Every guid is derived
from what it names, so exporting the same store twice gives the same guids, and a project that comes back from
another tool is matched to the store by them (exchange/qdpx_import.py). Nothing here logs free text.
"""

from __future__ import annotations

import logging
import re
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pandas as pd

from practitioner_survey.codebook import Codebook, load_codebook
from practitioner_survey.exchange.codebook_qdc import append_codes, code_guid
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS
from practitioner_survey.store.coding import CODING_ACTIONS, undone_ids
from practitioner_survey.store.core import Store

NAMESPACE = "urn:QDA-XML:project:1.0"
ORIGIN = "practitioner_survey"
TOOL_USER = "practitioner_survey"  # the User who made the sources and selections (the splitter, the export)
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:practitioner_survey:qdpx")
#: Per-service values shown as Case variables: (name, REFI-QDA type).
VARIABLES = (
    ("Service name", "Text"),
    ("Employs practitioners", "Boolean"),
    ("Response mode", "Text"),
    ("Idva cases", "Text"),
    ("Origin", "Text"),
    ("Police force areas", "Text"),
    ("Idva FTE", "Float"),
)
_NS = f"{{{NAMESPACE}}}"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # characters XML 1.0 cannot hold

log = logging.getLogger(__name__)


def guid(*parts: object) -> str:
    """A stable guid for what `parts` name (e.g. "comment", 2017, 42): the same parts always give the same guid."""
    return str(uuid.uuid5(GUID_NAMESPACE, "/".join(map(str, parts)))).upper()


def selection_guid(year: int, comment_id: int) -> str:
    """The guid of a comment's PlainTextSelection, by which a project read back is matched to the store."""
    return guid("comment", year, int(comment_id))


@dataclass(frozen=True)
class QdpxSummary:
    """What a written project holds."""

    sources: int
    selections: int
    codings: int
    notes: int
    cases: int


def write_qdpx(store: Store, year: int, path: Path, now: datetime | None = None) -> QdpxSummary:
    """Write the year's project to `path`: a zip of project.qde and one sources/{guid}.txt per answer."""
    now = now or datetime.now(UTC)
    qde, texts, summary = build_project(store, year, now)
    stamp = now.astimezone(UTC).timetuple()[:6]
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    with zipfile.ZipFile(part, "w") as archive:
        archive.writestr(zipfile.ZipInfo("project.qde", stamp), qde, compress_type=zipfile.ZIP_DEFLATED)
        for source, text in texts.items():
            info = zipfile.ZipInfo(f"sources/{source}.txt", stamp)
            archive.writestr(info, text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
    part.replace(path)
    log.info("wrote %s: %s", path.name, summary)
    return summary


def build_project(store: Store, year: int, now: datetime) -> tuple[bytes, dict[str, str], QdpxSummary]:
    """project.qde's bytes, each source's text by guid, and counts; see the module's docstring for the layout."""
    services = store.services(year)  # refuses a year not in the store
    staffing, comments, decisions = store.staffing(year), store.comments(year), store.decisions(year)
    codebooks = {q: load_codebook(q, year) for q in FREE_TEXT_QUESTIONS}
    undone = undone_ids(decisions)
    current = _current_codes(decisions, undone)
    notes = _notes(decisions, undone, set(comments["id"]))
    tool = guid("user", TOOL_USER)
    name = f"Survey of domestic-abuse practitioners {year}"
    root = ET.Element("Project", xmlns=NAMESPACE, name=name, origin=ORIGIN, creatingUserGUID=tool)
    root.set("creationDateTime", _when(now.astimezone(UTC).replace(microsecond=0)))
    users = ET.SubElement(root, "Users")
    for name in dict.fromkeys([TOOL_USER, *sorted(set(decisions["analyst"]))]):
        ET.SubElement(users, "User", guid=guid("user", name), name=_xml(name))
    codes = ET.SubElement(ET.SubElement(root, "CodeBook"), "Codes")
    for question, codebook in codebooks.items():
        top = ET.SubElement(codes, "Code", guid=code_guid(question), name=question, isCodable="false")
        ET.SubElement(top, "Description").text = _xml(f"The question: {codebook.text}")
        append_codes(top, codebook)
    answers = [
        (str(row["service_id"]), q, str(row[q]))
        for row in services.to_dict("records")
        for q in FREE_TEXT_QUESTIONS
        if row[q]
    ]
    _cases(root, year, services, staffing, answers)
    texts: dict[str, str] = {}
    selections = codings = 0
    by_answer = {key: group for key, group in comments.groupby(["service_id", "question"])}
    sources = ET.SubElement(root, "Sources")
    for service_id, question, answer in answers:
        source_guid = guid("source", year, service_id, question)
        texts[source_guid] = answer
        path = f"internal://{source_guid}.txt"
        source = ET.SubElement(sources, "TextSource", guid=source_guid, name=f"{service_id} {question}")
        source.attrib.update(plainTextPath=path, creatingUser=tool)
        ET.SubElement(source, "Description").text = _xml(f"{service_id}'s answer to {question}")
        empty = comments.iloc[0:0]
        for comment in by_answer.get((service_id, question), empty).to_dict("records"):
            selections += 1
            codings += _selection(source, year, comment, codebooks[question], current, notes, tool)
    if notes:
        _note_elements(root, notes)
    ET.SubElement(root, "Description").text = (
        f"The free-text answers of the {year} survey, split into comments and coded; one case per service. "
        "Selection positions count Unicode characters of the UTF-8 text in sources/."
    )
    ET.indent(root, space="  ")
    qde = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode() + b"\n"
    note_count = sum(len(v) for v in notes.values())
    return qde, texts, QdpxSummary(len(texts), selections, codings, note_count, len(services))


def _selection(
    source: ET.Element,
    year: int,
    comment: Mapping[Any, Any],
    codebook: Codebook,
    current: dict[int, Any],
    notes: dict[int, list[dict[str, Any]]],
    tool: str,
) -> int:
    """Add a comment's PlainTextSelection with its current code and its notes; 1 if it was coded."""
    comment_id = int(comment["id"])
    start, end = str(int(comment["start_offset"])), str(int(comment["end_offset"]))
    element = ET.SubElement(source, "PlainTextSelection", guid=selection_guid(year, comment_id))
    element.attrib.update(name=f"comment {comment_id}", startPosition=start, endPosition=end, creatingUser=tool)
    decision = current.get(comment_id)
    target = _code_target(codebook, decision["category_id"], decision["subcategory_id"]) if decision else None
    if decision is not None and target is not None:
        coding = ET.SubElement(element, "Coding", guid=guid("coding", int(decision["id"])))
        coding.attrib.update(creatingUser=guid("user", decision["analyst"]), creationDateTime=_when(decision["at"]))
        ET.SubElement(coding, "CodeRef", targetGUID=target)
    for note in notes.get(comment_id, []):
        ET.SubElement(element, "NoteRef", targetGUID=note["guid"])
    return int(target is not None)


def _code_target(codebook: Codebook, category_id: str, subcategory_id: str) -> str | None:
    """The guid of a code the codebook has (None if the codebook no longer has it)."""
    category = codebook.by_id(category_id)
    if category is None or (subcategory_id and category.by_id(subcategory_id) is None):
        return None
    ids = (category_id, subcategory_id) if subcategory_id else (category_id,)
    return code_guid(codebook.question, *ids)


def _cases(
    root: ET.Element, year: int, services: pd.DataFrame, staffing: pd.DataFrame, answers: list[tuple[str, str, str]]
) -> None:
    """Variables, and a Case per service with their values and its answers as SourceRefs."""
    variables = ET.SubElement(root, "Variables")
    for name, kind in VARIABLES:
        ET.SubElement(variables, "Variable", guid=guid("variable", name), name=name, typeOfVariable=kind)
    areas = staffing.groupby("service_id")["police_force_area"].agg(lambda s: "; ".join(sorted(s)))
    fte = staffing.groupby("service_id")["idva_fte"].sum()
    sources: dict[str, list[str]] = {}
    for service_id, question, _ in answers:
        sources.setdefault(service_id, []).append(guid("source", year, service_id, question))
    cases = ET.SubElement(root, "Cases")
    for row in services.to_dict("records"):
        service_id = str(row["service_id"])
        case = ET.SubElement(cases, "Case", guid=guid("case", year, service_id), name=_xml(service_id))
        flag, idva_fte = str(bool(row["employs_practitioners"])).lower(), f"{float(fte.get(service_id, 0.0)):.2f}"
        values = (row["service_name"], flag, row["response_mode"], row["idva_cases"], row["origin"],
                  areas.get(service_id, ""), idva_fte)  # fmt: skip
        for (name, kind), value in zip(VARIABLES, values, strict=True):
            holder = ET.SubElement(case, "VariableValue")
            ET.SubElement(holder, "VariableRef", targetGUID=guid("variable", name))
            ET.SubElement(holder, f"{kind}Value").text = _xml(str(value))
        for source_guid in sources.get(service_id, []):
            ET.SubElement(case, "SourceRef", targetGUID=source_guid)


def _note_elements(root: ET.Element, notes: dict[int, list[dict[str, Any]]]) -> None:
    holder = ET.SubElement(root, "Notes")
    for comment_id, found in sorted(notes.items()):
        for note in found:
            element = ET.SubElement(holder, "Note", guid=note["guid"], name=f"{note['kind']} on comment {comment_id}")
            element.attrib.update(creatingUser=guid("user", note["analyst"]), creationDateTime=note["at"])
            ET.SubElement(element, "PlainTextContent").text = _xml(note["text"])


def _current_codes(decisions: pd.DataFrame, undone: set[int]) -> dict[int, Any]:
    """Each comment's live coding decision, as Store.current_codes reads the log (double codings aside)."""
    double = decisions["payload"].map(lambda p: bool(p.get("double"))).astype(bool)
    live = decisions[decisions["action"].isin(CODING_ACTIONS) & ~decisions["id"].isin(undone) & ~double]
    return {int(row["comment_id"]): row for row in live.groupby("comment_id").tail(1).to_dict("records")}


def _notes(decisions: pd.DataFrame, undone: set[int], comment_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """Live notes (all) and confirmed quotes (the latest) of the exported comments, by comment id."""
    wanted = set(comment_ids)
    out: dict[int, list[dict[str, Any]]] = {}
    rows = decisions[decisions["action"].isin(("note", "quote")) & ~decisions["id"].isin(undone)]
    quotes = rows[rows["action"] == "quote"].groupby("comment_id").tail(1)
    for row in pd.concat([rows[rows["action"] == "note"], quotes]).sort_values("id").to_dict("records"):
        payload = row["payload"]
        text = payload.get("text") if row["action"] == "note" else payload.get("anonymised")
        if int(row["comment_id"]) not in wanted or not isinstance(text, str) or not text.strip():
            continue
        kind = "note" if row["action"] == "note" else "anonymised quote"
        note = {"guid": guid(row["action"], int(row["id"])), "kind": kind, "analyst": row["analyst"], "text": text}
        out.setdefault(int(row["comment_id"]), []).append({**note, "at": _when(row["at"])})
    return out


def _when(moment: str | datetime) -> str:
    """An xsd:dateTime for a time the store gives as ISO text (or, from another backend, a datetime)."""
    return pd.Timestamp(moment).isoformat()


def _xml(text: str) -> str:
    """Text XML 1.0 can hold: control characters other than tab and newlines become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)
