"""Coding read back from a REFI-QDA project (.qdpx) that was written by qdpx.write_qdpx and coded elsewhere.

Selections are matched to the year's comments by guid (their offsets checked), CodeRefs to the codebooks' codes by
guid; a changed code becomes a new decision in the log, never an edit of an old one. A file that is not a zip, has
no project.qde, holds too many files or would unpack beyond its bounds (told from its declared sizes before
anything is unpacked, by returns/archive.py as for workbooks) or beyond its stated size, declares a DTD or
entities, or holds another kind of XML is refused with an ExchangeError. Nothing here logs or raises with free
text in it.
"""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from practitioner_survey.codebook import Codebook, load_codebook
from practitioner_survey.errors import ExchangeError, NotFoundError, SurveyError
from practitioner_survey.exchange.codebook_qdc import code_guid
from practitioner_survey.exchange.qdpx import NAMESPACE, selection_guid
from practitioner_survey.returns.archive import archive_problem
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS
from practitioner_survey.store.coding import Decision
from practitioner_survey.store.core import Store

MAX_FILE_BYTES = 512 * 1024 * 1024  # a .qdpx larger than this is refused before it is read
MAX_QDE_BYTES = 64 * 1024 * 1024  # project.qde unpacked; a survey year's is about a megabyte
MAX_ENTRIES = 100_000
MAX_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024  # the whole project unpacked (its sources are read by other tools)
_NS = f"{{{NAMESPACE}}}"
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, zlib.error,
               OSError)  # fmt: skip

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QdpxImport:
    """What reading a project's coding back found; `decision_ids` are the decisions it appended to the log."""

    unchanged: int = 0
    recoded: int = 0
    unknown_code: int = 0  # a CodeRef to no code of the comment's question
    unmatched: int = 0  # no active comment of the year has the selection's guid and offsets
    uncoded: int = 0  # a selection with no coding: left as it was
    several_codes: int = 0  # more than one code on one comment: left as it was
    decision_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Selection:
    """A PlainTextSelection read from a project: its guid, offsets and the guids its codings refer to."""

    guid: str
    start: int | None
    end: int | None
    codes: tuple[str, ...]


def read_selections(data: bytes) -> list[Selection]:
    """Every PlainTextSelection of a .qdpx (its bytes) with its codings; ExchangeError for what is no project."""
    root = _parse(_project_qde(data))
    out = []
    for element in root.iter(f"{_NS}PlainTextSelection"):
        codes = tuple(
            _guid_text(ref.get("targetGUID"))
            for coding in element.findall(f"{_NS}Coding")
            for ref in coding.findall(f"{_NS}CodeRef")
        )
        start, end = _int(element.get("startPosition")), _int(element.get("endPosition"))
        out.append(Selection(_guid_text(element.get("guid")), start, end, codes))
    return out


def import_qdpx(store: Store, year: int, path: Path, analyst: str) -> QdpxImport:
    """Read a project's coding back: each selection matched to the year's comment by guid (offsets checked), its
    code to the codebook by guid; every changed code is appended to the log as a decision by `analyst` (one
    transaction; nothing is ever rewritten). Importing the same file again records nothing."""
    analyst = analyst.strip()
    if not analyst:
        raise SurveyError("who is importing the coding? give --analyst NAME")
    if year not in store.years():
        raise NotFoundError(f"no returns for {year} in the store; import the year before its coding")
    data = _read_file(path)
    selections = read_selections(data)
    comments = {selection_guid(year, int(r["id"])): r for r in store.comments(year).to_dict("records")}
    current = {
        int(r["comment_id"]): (r["category_id"], r["subcategory_id"])
        for r in store.current_codes(year).to_dict("records")
    }
    codebooks = {q: load_codebook(q, year) for q in FREE_TEXT_QUESTIONS}
    codes = _code_map(codebooks.values())
    counts = dict.fromkeys(("unchanged", "unknown_code", "unmatched", "uncoded", "several_codes"), 0)
    decisions: list[Decision] = []
    payload = {"via": "qdpx", "file": path.name, "sha256": hashlib.sha256(data).hexdigest()}
    seen: set[str] = set()
    for selection in selections:
        comment = comments.get(selection.guid)
        if (
            comment is None
            or selection.guid in seen
            or (selection.start, selection.end) != (int(comment["start_offset"]), int(comment["end_offset"]))
        ):
            counts["unmatched"] += 1
            continue
        seen.add(selection.guid)
        question = str(comment["question"])
        targets = {codes.get(g) for g in selection.codes}
        if not targets:
            counts["uncoded"] += 1
        elif None in targets or any(t is not None and t[0] != question for t in targets):
            counts["unknown_code"] += 1
        elif len(targets) > 1:
            counts["several_codes"] += 1
        else:
            _, category_id, subcategory_id = next(t for t in targets if t is not None)
            comment_id = int(comment["id"])
            if current.get(comment_id) == (category_id, subcategory_id):
                counts["unchanged"] += 1
                continue
            decisions.append(
                Decision(
                    year,
                    comment_id,
                    question,
                    analyst,
                    "code",
                    category_id,
                    subcategory_id,
                    payload,
                    codebook_version=str(codebooks[question].version),
                )
            )
            log.debug(
                "comment %d recoded from %s to %s/%s", comment_id, current.get(comment_id), category_id, subcategory_id
            )
    ids = store.log(decisions) if decisions else []
    outcome = QdpxImport(recoded=len(decisions), decision_ids=tuple(ids), **counts)
    log.info("read %s: %d selections; %s", path.name, len(selections), outcome)
    return outcome


def _code_map(codebooks: Iterable[Codebook]) -> dict[str, tuple[str, str, str]]:
    """Code guid -> (question, category id, subcategory id or "") for every codable code."""
    out = {}
    for book in codebooks:
        for category in book.categories:
            out[code_guid(book.question, category.id)] = (book.question, category.id, "")
            for sub in category.subcategories:
                out[code_guid(book.question, category.id, sub.id)] = (book.question, category.id, sub.id)
    return out


def _read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ExchangeError(f"{path.name} is {size:,} bytes; a survey project is far smaller, so it is refused")
        return path.read_bytes()
    except OSError as exc:
        raise ExchangeError(f"cannot read {path}: {exc.strerror or exc}") from None


def _project_qde(data: bytes) -> bytes:
    """project.qde from a .qdpx's bytes, read no further than MAX_QDE_BYTES whatever the zip claims."""
    name = "not a REFI-QDA project (.qdpx)"
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ExchangeError(f"{name}: the file is not a zip archive")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            problem = archive_problem(archive, "the project", MAX_ENTRIES, MAX_UNPACKED_BYTES)
            if problem:
                raise ExchangeError(f"{name}: {problem}")
            entries = archive.infolist()
            entry = next((e for e in entries if e.filename.casefold() == "project.qde"), None)
            if entry is None:
                raise ExchangeError(f"{name}: the zip archive has no project.qde")
            if entry.file_size > MAX_QDE_BYTES:
                raise ExchangeError(f"{name}: project.qde unpacks to {entry.file_size:,} bytes, too large to read")
            with archive.open(entry) as handle:
                qde = handle.read(MAX_QDE_BYTES + 1)
    except _ZIP_ERRORS as exc:
        raise ExchangeError(f"{name}: the zip archive cannot be read ({type(exc).__name__})") from None
    if len(qde) > MAX_QDE_BYTES:
        raise ExchangeError(f"{name}: project.qde unpacks to more than its stated size (a zip bomb?); refused")
    return qde


def _parse(qde: bytes) -> ET.Element:
    try:
        root = defused_fromstring(qde, forbid_dtd=True)
    except ET.ParseError as exc:
        raise ExchangeError(f"project.qde is not well-formed XML ({exc})") from None
    except DefusedXmlException:
        raise ExchangeError("project.qde declares a DTD or entities, which are refused for safety") from None
    if root.tag != f"{_NS}Project":
        found = root.tag.rsplit("}", 1)[-1]
        where = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else "no namespace"
        raise ExchangeError(
            f"not a REFI-QDA project: project.qde holds <{found}> ({where}), not <Project> in {NAMESPACE}"
        )
    return root


def _guid_text(value: str | None) -> str:
    return (value or "").strip().strip("{}").upper()


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
