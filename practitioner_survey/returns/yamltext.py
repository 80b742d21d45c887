"""YAML read for a file a survey officer writes by hand (the export mapping): every plain value is text as written
(`yes`, `No` and `007` stay text, not True, False and 7), and each mapping remembers the line of each key, so that
`Checker` can name a problem by line and key.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

import yaml

from practitioner_survey.errors import Problem, did_you_mean


class TextMap(dict[str, Any]):
    """A YAML mapping that remembers the line of each key (and its own)."""

    line = 0
    lines: dict[str, int]


class _Loader(yaml.SafeLoader):
    """Every plain scalar is text as written (no `yes` -> True, `007` -> 7), and mappings keep their lines."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 (PyYAML's class attribute, emptied for this loader)
    duplicates: list[tuple[str, int]]  # (key, line) of keys given twice in one mapping, or that are not text


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> Iterator[TextMap]:
    loader.flatten_mapping(node)
    data = TextMap()
    data.line, data.lines = node.start_mark.line + 1, {}
    yield data
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            loader.duplicates.append(("", line))
            continue
        if key in data:
            loader.duplicates.append((key, line))
        data[key] = loader.construct_object(value_node, deep=True)
        data.lines[key] = line


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)


def parse_yaml(text: str) -> tuple[Any, list[tuple[str, int]]]:
    """The document, and the (key, line) of keys given twice in one mapping ('' for a key that is not text).

    Raises yaml.YAMLError when the text is not YAML (its problem_mark says where).
    """
    loader = _Loader(text)
    loader.duplicates = []
    try:
        return loader.get_single_data(), loader.duplicates
    finally:
        loader.dispose()


class Checker:
    """Collects the mapping's problems, each named by line and key."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []

    def error(self, line: int, key: str, message: str, code: str = "bad-mapping") -> None:
        where = f"line {line}, {key}: " if key else f"line {line}: "
        self.problems.append(Problem("error", code, where + message, self.name))

    def mapping(self, value: object, line: int, key: str, allowed: tuple[str, ...]) -> TextMap | None:
        """`value` when it is a mapping whose keys are all `allowed` (each unknown key is an error)."""
        if not isinstance(value, TextMap):
            self.error(line, key, f"must be a mapping of {', '.join(allowed)}")
            return None
        for name in value:
            if name not in allowed:
                near = difflib.get_close_matches(name, allowed, n=2, cutoff=0.6)
                self.error(value.lines[name], _join(key, name), f"is not a key here{did_you_mean(near)}")
        return value

    def text(self, value: object, line: int, key: str) -> str | None:
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.error(line, key, "must be text (a heading or an answer as the export writes it)")
        return None


def _join(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name
