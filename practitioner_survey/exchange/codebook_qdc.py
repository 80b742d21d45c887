"""Codebooks exchanged with QDA tools as REFI-QDA codebooks (.qdc): NVivo, MAXQDA, ATLAS.ti, QualCoder.

Categories are top-level codes and subcategories their children; each code's guid is derived from the question and
ids, so exporting the same codebook twice gives identical files.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar
from xml.etree import ElementTree as ET

from practitioner_survey.codebook import MAX_CATEGORIES, Category, Codebook, Subcategory, normalise_label
from practitioner_survey.errors import CodebookError

try:  # defusedxml refuses entity tricks in files from outside; the standard parser is the fallback
    from defusedxml.ElementTree import fromstring as _xml_fromstring
except ImportError:  # pragma: no cover - depends on the environment
    from xml.etree.ElementTree import fromstring as _xml_fromstring

QDC_NAMESPACE = "urn:QDA-XML:codebook:1.0"
QDC_ORIGIN = "practitioner_survey"
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:practitioner_survey:codebook")
#: One colour per category key, so the categories are told apart in NVivo, MAXQDA, ATLAS.ti or QualCoder.
COLOURS = ("#7F7F7F", "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#BCBD22",
           "#17BECF")  # fmt: skip


def code_guid(question: str, *ids: str) -> str:
    """A code's guid: the same question and ids always give the same guid, so re-exports are identical."""
    return str(uuid.uuid5(GUID_NAMESPACE, "/".join((question, *ids)))).upper()


def export_qdc(codebook: Codebook) -> bytes:
    """The codebook as a REFI-QDA codebook (.qdc) for NVivo, MAXQDA, ATLAS.ti or QualCoder.

    The format has no field for our keys or examples, so each code's Description ends with them in a readable
    form ("Key: 3", then "Examples:" and one "- phrase" per line), which `import_qdc` reads back.
    """
    root = ET.Element("CodeBook", {"xmlns": QDC_NAMESPACE, "origin": QDC_ORIGIN})
    append_codes(ET.SubElement(root, "Codes"), codebook)
    ET.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode() + b"\n"


def append_codes(parent: ET.Element, codebook: Codebook) -> None:
    """Add a <Code> per category, each holding one per subcategory, under `parent` (unprefixed tags: the
    document's default namespace applies, so a REFI-QDA project (.qdpx) shares them with the .qdc)."""
    for cat in codebook.categories:
        colour = COLOURS[cat.key % len(COLOURS)]
        element = _code(parent, code_guid(codebook.question, cat.id), cat.label, colour,
                        _description_out(cat.description, cat.key, cat.examples))  # fmt: skip
        for sub in cat.subcategories:
            _code(element, code_guid(codebook.question, cat.id, sub.id), sub.label, colour,
                  _description_out(sub.description, sub.key, sub.examples))  # fmt: skip


def _code(parent: ET.Element, guid: str, name: str, colour: str, description: str) -> ET.Element:
    element = ET.SubElement(parent, "Code", {"guid": guid, "name": name, "isCodable": "true", "color": colour})
    ET.SubElement(element, "Description").text = description
    return element


def _description_out(description: str, key: int, examples: Iterable[str]) -> str:
    return "\n".join([description.strip(), "", f"Key: {key}", "Examples:", *(f"- {e}" for e in examples)])


def _description_in(text: str) -> tuple[str, int | None, tuple[str, ...]]:
    """Split a Description into the description, and the key and examples trailing it (if it has them)."""
    lines = text.strip().splitlines()
    for at in range(len(lines) - 1, -1, -1):
        found = re.fullmatch(r"\s*Key:\s*(\d+)\s*", lines[at])
        if not found:
            continue
        rest = [line.strip() for line in lines[at + 1 :] if line.strip()]
        if rest and (rest[0] != "Examples:" or not all(line.startswith("- ") for line in rest[1:])):
            break
        examples = tuple(line[2:].strip() for line in rest[1:] if line[2:].strip())
        return "\n".join(lines[:at]).strip(), int(found.group(1)), examples
    return text.strip(), None, ()


_Entry = TypeVar("_Entry", Category, Subcategory)


@dataclass
class _Code:
    name: str
    guid: str
    description: str
    key: int | None
    examples: tuple[str, ...]
    children: list[_Code]


def import_qdc(data: bytes, question: str, year: int, base: Codebook | None = None) -> Codebook:
    """A codebook rebuilt from a REFI-QDA .qdc file: top-level codes are categories, their children subcategories.

    Codes are matched to `base` by guid, then by name (ignoring case and punctuation): a matched code keeps its
    id, key and patterns. Descriptions come from the file; examples from the file's description if given there,
    else from `base`. New codes get an id made from their name and the next free key.
    """
    top = _read_codes(data)
    if len(top) > MAX_CATEGORIES:
        raise CodebookError(f"the file has {len(top)} top-level codes; a codebook holds at most {MAX_CATEGORIES}")
    base_categories = base.categories if base is not None else ()
    matched_cats = _match(top, base_categories, lambda c: code_guid(question, c.id))
    cat_keys = _keys(top, matched_cats, [*range(1, 10), 0], other_key=0)
    cat_ids = _ids(top, matched_cats)
    categories = []
    for code, was, key, id_ in zip(top, matched_cats, cat_keys, cat_ids, strict=True):
        subs = _subcategories(question, id_, code.children, was.subcategories if was is not None else ())
        categories.append(
            Category(id_, key, code.name, code.description, code.examples or _examples(was), subs, _patterns(was))
        )
    text, version = (base.text, base.version) if base is not None else ("", 1)
    if base is not None and tuple(categories) != base.categories:
        version += 1
    return Codebook(question, year, year, text, version, tuple(categories))


def _subcategories(
    question: str, cat_id: str, codes: list[_Code], old: Iterable[Subcategory]
) -> tuple[Subcategory, ...]:
    """A category's subcategories from its child codes, matched to the base category's `old` ones."""
    matched = _match(codes, old, lambda s: code_guid(question, cat_id, s.id))
    keys = _keys(codes, matched, list(range(1, max(9, len(codes)) + 1)), other_key=None)
    return tuple(
        Subcategory(id_, key, code.name, code.description, code.examples or _examples(was), _patterns(was))
        for code, was, key, id_ in zip(codes, matched, keys, _ids(codes, matched), strict=True)
    )


def _examples(entry: Category | Subcategory | None) -> tuple[str, ...]:
    return entry.examples if entry is not None else ()


def _patterns(entry: Category | Subcategory | None) -> tuple[str, ...]:
    """Patterns are not written into the .qdc (QDA tools have no use for them): a matched code keeps base's."""
    return entry.patterns if entry is not None else ()


def _read_codes(data: bytes) -> list[_Code]:
    try:
        root = _xml_fromstring(data)
    except ET.ParseError as exc:
        raise CodebookError(f"not a readable codebook: the XML is malformed ({exc})") from None
    except ValueError as exc:  # defusedxml refusing a DTD or entities
        raise CodebookError(f"not a readable codebook: the XML uses features refused for safety ({exc})") from None
    if _local(root.tag) == "Project":  # a project file (.qde) holds its codebook inside
        root = next((child for child in root if _local(child.tag) == "CodeBook"), root)
    if _local(root.tag) != "CodeBook":
        raise CodebookError(f"not a REFI-QDA codebook: the top element is <{_local(root.tag)}>, not <CodeBook>")
    codes = next((child for child in root if _local(child.tag) == "Codes"), None)
    top = [_parse_code(c, depth=1) for c in codes or () if _local(c.tag) == "Code"]
    if not top:
        raise CodebookError("the codebook has no codes: expected <Codes> holding one <Code> per category")
    _no_duplicate_names(top, "top-level codes")
    for code in top:
        _no_duplicate_names(code.children, f"codes under {code.name!r}")
    return top


def _parse_code(element: ET.Element, depth: int) -> _Code:
    name = (element.get("name") or "").strip()
    if not name:
        raise CodebookError("a <Code> in the file has no name")
    children = [c for c in element if _local(c.tag) == "Code"]
    if children and depth >= 2:
        raise CodebookError(f"code {name!r} has codes under it: only categories and subcategories (two levels) fit")
    text = next((c.text or "" for c in element if _local(c.tag) == "Description"), "")
    description, key, examples = _description_in(text)
    parsed = [_parse_code(c, depth + 1) for c in children]
    return _Code(name, (element.get("guid") or "").strip().strip("{}").upper(), description, key, examples, parsed)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _no_duplicate_names(codes: list[_Code], where: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if normalise_label(code.name) in seen:
            raise CodebookError(f"two {where} are named {code.name!r}: names must differ")
        seen.add(normalise_label(code.name))


def _match(codes: list[_Code], old: Iterable[_Entry], guid_of: Callable[[_Entry], str]) -> list[_Entry | None]:
    """For each code, the old entry with its guid, else with its name; each old entry is matched at most once."""
    remaining = list(old)
    out: list[_Entry | None] = []
    for code in codes:
        found = next((e for e in remaining if guid_of(e) == code.guid), None)
        found = found or next((e for e in remaining if normalise_label(e.label) == normalise_label(code.name)), None)
        if found is not None:
            remaining.remove(found)
        out.append(found)
    return out


def _keys(codes: list[_Code], matched: list[Any], order: list[int], other_key: int | None) -> list[int]:
    """Keys: the matched entry's, else the one the file's description gives if free, else the next free one."""
    keys: list[int | None] = [m.key if m is not None else None for m in matched]
    used = {k for k in keys if k is not None}
    for at, code in enumerate(codes):
        if keys[at] is None and code.key in order and code.key not in used:
            keys[at] = code.key
            used.add(code.key)
    for at, code in enumerate(codes):
        if keys[at] is None:
            free = [k for k in order if k not in used]
            wants_other = other_key is not None and normalise_label(code.name) == "other" and other_key in free
            key = other_key if wants_other and other_key is not None else free[0]
            keys[at] = key
            used.add(key)
    return [k for k in keys if k is not None]


def _ids(codes: list[_Code], matched: list[Any]) -> list[str]:
    """Ids: the matched entry's, else a slug of the name made unique with -2, -3 ..."""
    used = {m.id for m in matched if m is not None}
    out = []
    for code, was in zip(codes, matched, strict=True):
        if was is not None:
            out.append(was.id)
            continue
        stem = "-".join(re.findall(r"[a-z0-9]+", code.name.casefold().replace("&", " and "))) or "code"
        candidate, n = stem, 1
        while candidate in used:
            n += 1
            candidate = f"{stem}-{n}"
        used.add(candidate)
        out.append(candidate)
    return out
