"""The codebooks of the free-text questions: load by year, check, save, and exchange with QDA tools (REFI-QDA .qdc).

A codebook lives in `codebook/<year>/<question>.yaml`. A year without its own folder uses the newest earlier
year's (or, before the first, the oldest year's), and the loaded `Codebook` says which in `source_year`.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from xml.etree import ElementTree as ET

import yaml

from practitioner_survey.errors import CodebookError

try:  # defusedxml refuses entity tricks in files from outside; the standard parser is the fallback
    from defusedxml.ElementTree import fromstring as _xml_fromstring
except ImportError:  # pragma: no cover - depends on the environment
    from xml.etree.ElementTree import fromstring as _xml_fromstring

ENV_VAR = "SURVEY_CODEBOOKS"
QDC_NAMESPACE = "urn:QDA-XML:codebook:1.0"
QDC_ORIGIN = "practitioner_survey"
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:practitioner_survey:codebook")
MAX_CATEGORIES = 10
MIN_EXAMPLES = 2
#: One colour per category key, so the categories are told apart in NVivo, MAXQDA, ATLAS.ti or QualCoder.
COLOURS = ("#7F7F7F", "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#BCBD22",
           "#17BECF")  # fmt: skip
HEADER = (
    "# Codebook for the free-text question {question!r}, survey year {year}: categories, subcategories and keys.\n"
    "# Labels are the published report's; descriptions and examples are this project's own wording.\n"
)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CATEGORY_FIELDS = ("id", "key", "label", "description", "examples", "subcategories")
SUBCATEGORY_FIELDS = ("id", "key", "label", "description", "examples")
TOP_FIELDS = ("question", "year", "text", "version", "categories")


def normalise_label(text: str) -> str:
    """A label reduced for matching: case, spacing and punctuation (’ vs ', hyphens) ignored, "&" read as "and"."""
    return "".join(ch for ch in text.casefold().replace("&", "and") if ch.isalnum())


@dataclass(frozen=True)
class Subcategory:
    """One subcategory: `key` is the digit pressed after the category's to code a comment here."""

    id: str
    key: int
    label: str
    description: str
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    """One category of a question, with its subcategories."""

    id: str
    key: int
    label: str
    description: str
    examples: tuple[str, ...] = ()
    subcategories: tuple[Subcategory, ...] = ()

    def by_key(self, key: int | str) -> Subcategory | None:
        """The subcategory with this key (a digit as int or text), or None."""
        return next((s for s in self.subcategories if str(s.key) == str(key).strip()), None)

    def by_id(self, id: str) -> Subcategory | None:
        return next((s for s in self.subcategories if s.id == id), None)

    def match_label(self, text: str) -> Subcategory | None:
        """The subcategory whose label matches `text`, ignoring case, spacing, apostrophe style and & vs and."""
        wanted = normalise_label(text)
        return next((s for s in self.subcategories if normalise_label(s.label) == wanted), None)


@dataclass(frozen=True)
class Codebook:
    """A question's codebook as used for `year`; `source_year` is the year whose file it was read from."""

    question: str
    year: int
    source_year: int
    text: str
    version: int
    categories: tuple[Category, ...]

    def by_key(self, key: int | str) -> Category | None:
        """The category with this key (a digit as int or text), or None."""
        return next((c for c in self.categories if str(c.key) == str(key).strip()), None)

    def by_id(self, id: str) -> Category | None:
        return next((c for c in self.categories if c.id == id), None)

    def match_label(self, text: str) -> Category | None:
        """The category whose label matches `text`, ignoring case, spacing, apostrophe style and & vs and."""
        wanted = normalise_label(text)
        return next((c for c in self.categories if normalise_label(c.label) == wanted), None)

    def labels(self) -> list[str]:
        return [c.label for c in self.categories]


# ---------------------------------------------------------------------------------------------------- files


def codebook_dir() -> Path:
    """Where the codebooks are: $SURVEY_CODEBOOKS, else ./codebook, else the codebook/ folder beside the package."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        if not Path(configured).is_dir():
            raise CodebookError(f"{ENV_VAR} is set to {configured}, which is not a folder")
        return Path(configured)
    for candidate in (Path("codebook"), Path(__file__).resolve().parents[1] / "codebook"):
        if candidate.is_dir():
            return candidate
    raise CodebookError(f"no codebook folder found: run from the project folder or set {ENV_VAR}")


def _years(folder: Path) -> list[int]:
    return sorted(int(p.name) for p in folder.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name))


def codebook_path(question: str, year: int | None = None, folder: Path | None = None) -> tuple[Path, int]:
    """The file a question's codebook for `year` is read from (None: the newest year), and that file's year."""
    folder = folder if folder is not None else codebook_dir()
    years = _years(folder) if folder.is_dir() else []
    if not years:
        raise CodebookError(f"no codebook years in {folder}: expected folders like {folder / '2017'}")
    if year is None or year in years:
        source = years[-1] if year is None else year
    else:
        source = max((y for y in years if y < year), default=years[0])
    path = folder / str(source) / f"{question}.yaml"
    if not path.is_file():
        present = ", ".join(sorted(p.stem for p in path.parent.glob("*.yaml"))) or "none"
        raise CodebookError(f"no codebook for question {question!r} in {path.parent} (there are: {present})")
    return path, source


def load_codebook(question: str, year: int | None = None, folder: Path | None = None) -> Codebook:
    """Read and check a question's codebook for `year` (None: the newest); CodebookError lists its problems."""
    path, source = codebook_path(question, year, folder)
    data, problems = _read(path)
    problems = problems or _problems(data, path)
    if problems:
        shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
        raise CodebookError(f"codebook {path} is invalid: {shown}")
    return _build(data, year if year is not None else source, source)


def save_codebook(codebook: Codebook, path: Path) -> Path:
    """Write `codebook` as YAML in the shipped layout (a header comment, then the fields in order)."""
    data = {
        "question": codebook.question,
        "year": codebook.year,
        "text": codebook.text,
        "version": codebook.version,
        "categories": [
            {
                "id": c.id, "key": c.key, "label": c.label, "description": _Folded(c.description),
                "examples": list(c.examples),
                "subcategories": [
                    {"id": s.id, "key": s.key, "label": s.label, "description": _Folded(s.description),
                     "examples": list(s.examples)}
                    for s in c.subcategories
                ],
            }
            for c in codebook.categories
        ],
    }  # fmt: skip
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    body = re.sub(r"\n(?=- id:)", "\n\n", body)  # a blank line before each category
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER.format(question=codebook.question, year=codebook.year) + body, encoding="utf-8")
    return path


class _Folded(str):
    """Descriptions are written as folded blocks (`description: >-`), so colons and quotes need no escaping."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Folded, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style=">"))


#: libyaml's safe loader when PyYAML was built with it (ten times faster), else the pure-Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path) -> tuple[Any, list[str]]:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader), []
    except OSError as exc:
        return None, [f"cannot be read: {exc.strerror or exc}"]
    except UnicodeDecodeError:
        return None, ["is not UTF-8 text"]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        return None, [f"is not valid YAML{where}: {getattr(exc, 'problem', None) or exc}"]


def _build(data: dict[str, Any], year: int, source_year: int) -> Codebook:
    categories = tuple(
        Category(c["id"], c["key"], c["label"], c["description"].strip(), tuple(c["examples"]),
                 tuple(Subcategory(s["id"], s["key"], s["label"], s["description"].strip(), tuple(s["examples"]))
                       for s in c["subcategories"] or ()))
        for c in data["categories"]
    )  # fmt: skip
    return Codebook(data["question"], year, source_year, data["text"].strip(), data["version"], categories)


# --------------------------------------------------------------------------------------------------- checks


def check_codebook(path: Path) -> list[str]:
    """Every problem in one codebook file (empty when it is fine), each a sentence a survey officer can act on."""
    data, problems = _read(path)
    return problems or _problems(data, path)


def check_all(folder: Path | None = None) -> dict[Path, list[str]]:
    """Check every `<year>/<question>.yaml` under `folder` (default: `codebook_dir()`); problems per file."""
    folder = folder if folder is not None else codebook_dir()
    if not folder.is_dir():
        raise CodebookError(f"codebook folder not found: {folder}")
    files = [path for year in _years(folder) for path in sorted((folder / str(year)).glob("*.yaml"))]
    if not files:
        return {folder: ["no codebook files found (expected YEAR/QUESTION.yaml, e.g. 2017/biggest_difference.yaml)"]}
    return {path: check_codebook(path) for path in files}


def _problems(data: Any, path: Path) -> list[str]:
    if not isinstance(data, dict):
        return ["is empty or not a mapping of fields (question, year, text, version, categories)"]
    out = list(_fields(data, TOP_FIELDS, "the file"))
    if isinstance(data.get("question"), str) and data["question"] != path.stem:
        out.append(f"question is {data['question']!r} but the file is named {path.name}: they must agree")
    year = data.get("year")
    if not _is_int(year):
        out.append("year must be a whole number, e.g. 2017")
    elif path.parent.name.isdigit() and year != int(path.parent.name):
        out.append(f"year is {year} but the file is in the folder {path.parent.name}")
    if not _text(data.get("text")):
        out.append("text (the question as asked) is empty")
    if not (_is_int(data.get("version")) and data["version"] >= 1):
        out.append("version must be a whole number from 1")
    categories = data.get("categories")
    if not isinstance(categories, list) or not categories:
        return [*out, "categories must be a list of at least one category"]
    if len(categories) > MAX_CATEGORIES:
        out.append(f"there are {len(categories)} categories; at most {MAX_CATEGORIES} (keys 0–9)")
    out += _entries(categories, "category", range(0, 10), "0–9")
    for cat in categories:
        if not isinstance(cat, dict):
            continue
        where = f"category {cat.get('label', cat.get('id', '?'))!r}"
        out += [f"{where}: {p}" for p in _fields(cat, CATEGORY_FIELDS, "")]
        if normalise_label(str(cat.get("label", ""))) == "other" and cat.get("key") != 0:
            out.append(f"{where}: the 'Other' category must have key 0")
        subs = cat.get("subcategories")
        if subs is None:
            continue
        if not isinstance(subs, list):
            out.append(f"{where}: subcategories must be a list")
            continue
        top = max(9, len(subs))  # digits 1–9; a category with more than nine subcategories numbers on
        out += [f"{where}: {p}" for p in _entries(subs, "subcategory", range(1, top + 1), f"1–{top}")]
        for sub in subs:
            if isinstance(sub, dict):
                name = f"{where}, subcategory {sub.get('label', sub.get('id', '?'))!r}"
                out += [f"{name}: {p}" for p in _fields(sub, SUBCATEGORY_FIELDS, "")]
    return out


def _fields(entry: dict[str, Any], fields: tuple[str, ...], where: str) -> Iterator[str]:
    """Missing and unknown fields; empty descriptions; too few examples."""
    prefix = f"{where}: " if where else ""
    for name in fields:
        if name not in entry:
            yield f"{prefix}missing field {name!r}"
    for name in entry:
        if name not in fields:
            yield f"{prefix}unknown field {name!r} (expected: {', '.join(fields)})"
    if "description" in entry and not _text(entry["description"]):
        yield f"{prefix}description is empty"
    if "examples" in entry:
        examples = entry["examples"]
        if not isinstance(examples, list) or not all(_text(e) for e in examples):
            yield f"{prefix}examples must be a list of short phrases"
        elif len(examples) < MIN_EXAMPLES:
            yield f"{prefix}has {len(examples)} example(s); give at least {MIN_EXAMPLES}"


def _entries(entries: list[Any], kind: str, keys: range, span: str) -> Iterator[str]:
    """Each entry is a mapping with a slug id, a key in range and a label; ids, keys and labels are unique."""
    seen: dict[str, dict[Any, str]] = {"id": {}, "key": {}, "label": {}}
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            yield f"{kind} {number} is not a mapping of fields"
            continue
        name = f"{kind} {entry.get('label', entry.get('id', number))!r}"
        id_, key, label = entry.get("id"), entry.get("key"), entry.get("label")
        if "id" in entry and not (isinstance(id_, str) and SLUG.match(id_)):
            yield f"{name}: id {id_!r} must be lower-case words joined by hyphens, e.g. specialist-services"
        if "key" in entry and not (_is_int(key) and key in keys):
            yield f"{name}: key {key!r} is outside {span}"
        if "label" in entry and not _text(label):
            yield f"{name}: label is empty"
        for field, value in (("id", id_), ("key", key), ("label", normalise_label(str(label or "")) or None)):
            if value is None or isinstance(value, list | dict):
                continue
            if value in seen[field]:
                yield f"{name}: duplicate {field} {entry.get(field)!r} (also used by {seen[field][value]})"
            else:
                seen[field][value] = name


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


# ------------------------------------------------------------------------------------------ REFI-QDA (.qdc)


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
    id and key. Descriptions come from the file; examples from the file's description if given there, else from
    `base`. New codes get an id made from their name and the next free key.
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
        categories.append(Category(id_, key, code.name, code.description, code.examples or _examples(was), subs))
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
        Subcategory(id_, key, code.name, code.description, code.examples or _examples(was))
        for code, was, key, id_ in zip(codes, matched, keys, _ids(codes, matched), strict=True)
    )


def _examples(entry: Category | Subcategory | None) -> tuple[str, ...]:
    return entry.examples if entry is not None else ()


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
