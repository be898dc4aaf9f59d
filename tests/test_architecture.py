"""The layout: wings with one-way dependencies, and no import cycle.

The allowed order is written once, in ``LAYERS``: a module may import modules of
its own wing and of wings in lower layers, never a sibling wing of its own layer
nor anything above. Every import counts, deferred ones inside functions and the
ones under ``if TYPE_CHECKING:`` included. The checker is plain ``ast``: it reads
the source and runs nothing.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = "trivselscore"
SOURCE = Path(__file__).resolve().parents[1] / "src" / PACKAGE

LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors",),
    ("support",),
    ("definitions",),
    ("instruments",),
    ("engine",),
    ("tabular", "fhir", "change", "testing"),
    ("cohort",),
    ("study",),
    ("report",),
    ("service",),
    ("cli",),
    ("__init__", "__main__", "plots", "strategies"),
)
"""Lowest first. The last layer is the package's front: its root and its alias modules."""

MAX_TOP_LEVEL_MODULES = 8


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def modules(root: Path) -> dict[str, Path]:
    return {module_name(path, root): path for path in sorted(root.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module of ours that ``name`` imports, anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {target for target in found if target in known and target != name}


def graph(root: Path = SOURCE) -> dict[str, set[str]]:
    found = modules(root)
    known = set(found)
    return {name: imports_of(name, path, known) for name, path in found.items()}


def wing(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def layer_of(module: str, layers: tuple[tuple[str, ...], ...]) -> int:
    for index, names in enumerate(layers):
        if wing(module) in names:
            return index
    msg = f"{module} is in no layer: add its wing to LAYERS"
    raise AssertionError(msg)


def upward_imports(edges: dict[str, set[str]], layers: tuple[tuple[str, ...], ...]) -> list[str]:
    """Imports that leave the importer's wing for a wing not strictly below it."""
    problems = []
    for source, targets in sorted(edges.items()):
        for target in sorted(targets):
            if wing(source) == wing(target):
                continue
            if layer_of(target, layers) >= layer_of(source, layers):
                problems.append(f"{source} imports {target}")
    return problems


def reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    """Every module ``start`` reaches by one or more imports."""
    seen: set[str] = set()
    todo = list(edges.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(edges.get(node, ()))
    return seen


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or around a loop."""
    reach = {node: reachable(edges, node) for node in edges}
    groups = {
        tuple(sorted(other for other in reach if node in reach[other] and other in reach[node]))
        for node in reach
        if node in reach[node]
    }
    return [list(group) for group in sorted(groups)]


def test_the_package_has_no_import_cycle():
    assert cycles(graph()) == []


def test_no_wing_imports_a_wing_above_or_beside_it():
    assert upward_imports(graph(), LAYERS) == []


def test_every_module_stands_in_a_layer():
    for module in graph():
        layer_of(module, LAYERS)


def test_at_most_eight_modules_stand_beside_the_wings():
    top = [path.name for path in SOURCE.glob("*.py")]
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


def test_definitions_are_the_ground_floor():
    edges = graph()
    for source, targets in edges.items():
        if wing(source) == "definitions":
            assert {wing(t) for t in targets} <= {"definitions", "errors"}, source


# The checker itself, on synthetic graphs: it must catch what it claims to.
SYNTHETIC_LAYERS = (("errors",), ("definitions",), ("engine",), ("tabular", "fhir"), ("__init__",))


def test_checker_finds_an_injected_cycle():
    edges = {
        "trivselscore.engine.plan": {"trivselscore.engine.compute"},
        "trivselscore.engine.compute": {"trivselscore.engine.results"},
        "trivselscore.engine.results": {"trivselscore.engine.plan"},
        "trivselscore.definitions.model": set(),
    }
    assert cycles(edges) == [
        ["trivselscore.engine.compute", "trivselscore.engine.plan", "trivselscore.engine.results"]
    ]


def test_checker_finds_a_self_import_and_passes_a_tree():
    assert cycles({"trivselscore.engine.plan": {"trivselscore.engine.plan"}}) == [
        ["trivselscore.engine.plan"]
    ]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("trivselscore.definitions.model", "trivselscore.engine.plan"),  # upward
        ("trivselscore.engine.plan", "trivselscore.fhir.read"),  # upward
        ("trivselscore.tabular.frame", "trivselscore.fhir.read"),  # a sibling of the same layer
        ("trivselscore.engine.plan", "trivselscore"),  # the package root sits on top
    ],
)
def test_checker_finds_an_injected_upward_import(source, target):
    assert upward_imports({source: {target}}, SYNTHETIC_LAYERS) == [f"{source} imports {target}"]


def test_checker_allows_downward_and_same_wing_imports():
    edges = {
        "trivselscore.fhir.read": {
            "trivselscore.fhir.known",
            "trivselscore.engine.plan",
            "trivselscore.errors",
        },
        "trivselscore": {"trivselscore.fhir"},
    }
    assert upward_imports(edges, SYNTHETIC_LAYERS) == []


def test_checker_reads_deferred_and_type_checking_imports(tmp_path):
    root = tmp_path / PACKAGE
    (root / "engine").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "engine" / "__init__.py").write_text("")
    (root / "engine" / "plan.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from trivselscore.engine import compute\n"
    )
    (root / "engine" / "compute.py").write_text("def f():\n    from . import plan\n    return plan\n")
    assert cycles(graph(root)) == [["trivselscore.engine.compute", "trivselscore.engine.plan"]]
