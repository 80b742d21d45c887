"""The package's layout holds: imports run only down the wings' layers, no import circles, small modules.

Read from the source with `ast` (nothing is imported), so it sees imports inside functions too. The layers, lowest
first, as README.md's "Layout" and the wings' docstrings say; wings in one layer are independent of each other.
Run it as a script (`python tests/test_layering.py`) to print every wing's imports of other wings.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "practitioner_survey"
LAYERS: list[set[str]] = [
    {"errors", "_exports"},
    {"reference"},
    {"codebook", "returns"},
    {"store"},
    {"counting", "coding", "loading"},
    {"report", "exchange", "synthetic"},
    {"cli"},
]
MAX_LINES = 450
#: an __init__.py re-exports and documents its wing; it holds no logic of its own
MAX_INIT_LINES = 60


def layer_of(wing: str) -> int:
    for index, wings in enumerate(LAYERS):
        if wing in wings:
            return index
    raise AssertionError(f"practitioner_survey/{wing} is in no layer: add it to LAYERS and README.md's Layout")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, package: str | None = None) -> set[str]:
    """Every module of the package that `path` imports, at module level or inside a function."""
    found: set[str] = set()
    if package is None:
        package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).rstrip(".")
            for alias in node.names:
                # `from practitioner_survey.coding import forked` imports the module coding.forked
                candidate = f"{base}.{alias.name}"
                found.add(candidate if _is_module(candidate) else base)
    return {name for name in found if name == "practitioner_survey" or name.startswith("practitioner_survey.")}


def _is_module(dotted: str) -> bool:
    relative = Path(*dotted.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").exists() or (PACKAGE / relative / "__init__.py").exists()


def graph() -> dict[str, set[str]]:
    return {module_name(path): imports_of(path) for path in sorted(PACKAGE.rglob("*.py"))}


def wing(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_imports_run_only_down_the_layers() -> None:
    wrong = []
    for module, imported in graph().items():
        if module == "practitioner_survey":
            continue
        for target in imported:
            here, there = wing(module), wing(target)
            if not there:
                wrong.append(f"{module} imports the package itself ({target}): import the module by its full name")
            elif here != there and layer_of(there) >= layer_of(here):
                wrong.append(f"{module} (layer {layer_of(here) + 1}) imports {target} (layer {layer_of(there) + 1})")
    assert not wrong, "\n".join(sorted(wrong))


def test_there_are_no_import_circles() -> None:
    edges = graph()
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges.get(module, ())):
            if state.get(target) == 1:
                circles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert not circles, "\n".join(" -> ".join(circle) for circle in circles)


def test_the_layers_name_every_wing_and_every_wing_exists() -> None:
    wings = {wing(module_name(path)) for path in PACKAGE.rglob("*.py")} - {"", "__main__"}
    named = set().union(*LAYERS)
    assert wings == named


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_small_and_inits_hold_no_logic(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines: split it along its seams"
    if path.name == "__init__.py":
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{path.relative_to(PACKAGE)} needs a docstring saying what the wing owns"
        logic = [node for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.For | ast.While)]
        assert not logic, f"{path.relative_to(PACKAGE)} defines {[getattr(n, 'name', '?') for n in logic]}"
        assert lines <= MAX_INIT_LINES


def test_a_wrong_import_is_caught(tmp_path: Path) -> None:
    """The checker itself: an upward import and a circle, written to a scratch file, are both found."""
    scratch = tmp_path / "returns_probe.py"
    scratch.write_text("from practitioner_survey.store.core import Store\nimport practitioner_survey.cli.base\n")
    found = imports_of(scratch, package="practitioner_survey.returns")
    assert found == {"practitioner_survey.store.core", "practitioner_survey.cli.base"}
    assert layer_of(wing("practitioner_survey.store.core")) >= layer_of("returns")


if __name__ == "__main__":
    uses: dict[str, set[str]] = defaultdict(set)
    for module, imported in graph().items():
        for target in imported:
            if wing(target) != wing(module):
                uses[wing(module)].add(wing(target))
    for name in sorted(uses, key=layer_of):
        sys.stdout.write(f"{name} (layer {layer_of(name) + 1}): {', '.join(sorted(uses[name], key=layer_of))}\n")
