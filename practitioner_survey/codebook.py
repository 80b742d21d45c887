"""The codebooks of the free-text questions: load by year, check and save (QDA tools' .qdc files: `codebook_qdc`).

A codebook lives in `codebook/<year>/<question>.yaml`. A year without its own folder uses the newest earlier
year's (or, before the first, the oldest year's), and the loaded `Codebook` says which in `source_year`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from practitioner_survey.errors import CodebookError

ENV_VAR = "SURVEY_CODEBOOKS"
MAX_CATEGORIES = 10
MIN_EXAMPLES = 2
HEADER = (
    "# Codebook for the free-text question {question!r}, survey year {year}: categories, subcategories and keys.\n"
    "# Labels are the published report's; descriptions and examples are this project's own wording.\n"
)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CATEGORY_FIELDS = ("id", "key", "label", "description", "examples", "patterns", "subcategories")
SUBCATEGORY_FIELDS = ("id", "key", "label", "description", "examples", "patterns")
OPTIONAL_FIELDS = ("patterns",)
MAX_PATTERN_WORDS = 6
TOP_FIELDS = ("question", "year", "text", "version", "categories")


def normalise_pattern(text: str) -> str:
    """A pattern as compared for repeats: case and spacing ignored (the matcher also reads lemmas)."""
    return " ".join(text.casefold().split())


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
    patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    """One category of a question, with its subcategories."""

    id: str
    key: int
    label: str
    description: str
    examples: tuple[str, ...] = ()
    subcategories: tuple[Subcategory, ...] = ()
    #: words and phrases the survey team edits; `coding.patterns` finds them in a comment (on lemmas)
    patterns: tuple[str, ...] = ()

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


FLOW_WIDTH = 100  # columns of the YAML written


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
                "examples": list(c.examples), **_patterns_out(c.patterns),
                "subcategories": [
                    {"id": s.id, "key": s.key, "label": s.label, "description": _Folded(s.description),
                     "examples": list(s.examples), **_patterns_out(s.patterns)}
                    for s in c.subcategories
                ],
            }
            for c in codebook.categories
        ],
    }  # fmt: skip
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=FLOW_WIDTH)
    body = re.sub(r"\n(?=- id:)", "\n\n", body)  # a blank line before each category
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER.format(question=codebook.question, year=codebook.year) + body, encoding="utf-8")
    return path


def _patterns_out(patterns: tuple[str, ...]) -> dict[str, list[str]]:
    if not patterns:
        return {}
    one_line = len(", ".join(patterns)) + len("    patterns: []") <= FLOW_WIDTH
    return {"patterns": _Flow(patterns) if one_line else list(patterns)}


class _Flow(list[str]):
    """A short list of patterns is written on one line (`patterns: [refuge, safe house]`), as it is easiest to edit
    so; a longer one a pattern a line, never a phrase broken across lines."""


class _Folded(str):
    """Descriptions are written as folded blocks (`description: >-`), so colons and quotes need no escaping."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", list(v), flow_style=True))
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


def _stripped(patterns: list[str] | None) -> tuple[str, ...]:
    return tuple(" ".join(p.split()) for p in patterns or ())


def _build(data: dict[str, Any], year: int, source_year: int) -> Codebook:
    categories = tuple(
        Category(c["id"], c["key"], c["label"], c["description"].strip(), tuple(c["examples"]),
                 tuple(Subcategory(s["id"], s["key"], s["label"], s["description"].strip(), tuple(s["examples"]),
                                   _stripped(s.get("patterns")))
                       for s in c["subcategories"] or ()),
                 _stripped(c.get("patterns")))
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
    return out + list(_pattern_problems(categories))


def _fields(entry: dict[str, Any], fields: tuple[str, ...], where: str) -> Iterator[str]:
    """Missing and unknown fields; empty descriptions; too few examples."""
    prefix = f"{where}: " if where else ""
    for name in fields:
        if name not in entry and name not in OPTIONAL_FIELDS:
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


def _pattern_problems(categories: list[Any]) -> Iterator[str]:
    """Patterns: lists of non-blank phrases of at most MAX_PATTERN_WORDS words, each used once in the codebook."""
    owner: dict[str, tuple[str, str]] = {}  # a normalised pattern -> (its category's name, where it was given)
    for cat in (c for c in categories if isinstance(c, dict)):
        cat_name = f"category {cat.get('label', cat.get('id', '?'))!r}"
        given = cat.get("subcategories")
        subs: list[Any] = given if isinstance(given, list) else []
        entries = [(cat_name, cat)] + [
            (f"{cat_name}, subcategory {s.get('label', s.get('id', '?'))!r}", s) for s in subs if isinstance(s, dict)
        ]
        for where, entry in entries:
            patterns = entry.get("patterns")
            if patterns is None:
                continue
            if not isinstance(patterns, list):
                yield f"{where}: patterns must be a list of words or phrases, e.g. [refuge, safe house]"
                continue
            for pattern in patterns:
                if not isinstance(pattern, str):
                    yield f"{where}: pattern {pattern!r} is not text (quote it in the YAML)"
                elif not pattern.strip():
                    yield f"{where}: a pattern is empty or blank"
                elif len(pattern.split()) > MAX_PATTERN_WORDS:
                    yield f"{where}: pattern {pattern!r} has more than {MAX_PATTERN_WORDS} words"
                elif (seen := owner.get(normalise_pattern(pattern))) is None:
                    owner[normalise_pattern(pattern)] = (cat_name, where)
                elif seen[0] == cat_name:
                    yield f"{where}: pattern {pattern!r} is repeated (also under {seen[1]})"
                else:
                    yield f"{where}: pattern {pattern!r} is also under {seen[1]}: a pattern may point to one category"


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
