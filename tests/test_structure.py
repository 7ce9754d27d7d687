"""The rows of docs/structure.md hold: no import from a higher row, no cycle between apps.

The rows are written once, in the table of docs/structure.md; this test reads them there.
Every import counts, also one inside a function, and so does a model named by string
(``ForeignKey("elections.Election")``).
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "netra"
STRUCTURE = ROOT / "docs" / "structure.md"
_RELATION_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


def rows() -> dict[str, float]:
    """App name -> row number from the table under "## Rows" (``top`` above every row)."""
    text = STRUCTURE.read_text(encoding="utf-8")
    section = text.split("## Rows", 1)[1].split("\n## ", 1)[0]
    found: dict[str, float] = {}
    for row, apps in re.findall(r"^\|\s*(\d+|top)\s*\|\s*([^|]+)\|", section, re.MULTILINE):
        for app in apps.split(","):
            found[app.strip()] = float("inf") if row == "top" else float(row)
    return found


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "netra" else None


def _module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def dependencies() -> dict[str, set[tuple[str, str]]]:
    """App -> the (other app, where) pairs its modules depend on."""
    labels = {path.name for path in PACKAGE.iterdir() if (path / "apps.py").exists()}
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        app = _app_of(module) or "cli"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    package = module.split(".")
                    if path.name != "__init__.py":
                        package = package[:-1]
                    package = package[: len(package) - node.level + 1]
                    base = ".".join([*package, base] if base else package)
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Call) and "migrations" not in path.parts:
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name in _RELATION_FIELDS and node.args:
                    first = node.args[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        label = first.value.split(".")[0]
                        if label in labels:
                            targets = [f"netra.{label}"]
            for target in targets:
                other = _app_of(target) if target.startswith("netra.") else None
                if other and other != app:
                    found[app].add(
                        (other, f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}")
                    )
    return found


def test_every_app_has_a_row() -> None:
    table = rows()
    apps = {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()}
    assert apps - set(table) == set()


def test_no_module_imports_a_higher_row() -> None:
    table = rows()
    wrong = sorted(
        f"{where}: {app} (row {table[app]:g}) imports {other} (row {table[other]:g})"
        for app, targets in dependencies().items()
        for other, where in targets
        if table[other] > table[app] or table[other] == float("inf")
    )
    assert wrong == []


def test_no_two_apps_depend_on_each_other() -> None:
    graph = {app: {other for other, _where in targets} for app, targets in dependencies().items()}
    cycles: list[list[str]] = []

    def walk(app: str, trail: list[str]) -> None:
        for other in sorted(graph.get(app, ())):
            if other in trail:
                cycle = [*trail[trail.index(other) :], other]
                if min(cycle[:-1]) == cycle[0]:
                    cycles.append(cycle)
            else:
                walk(other, [*trail, other])

    for app in sorted(graph):
        walk(app, [app])
    assert cycles == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from netra.registry.models import Subject\n", {"registry"}),
        ("def f():\n    import netra.monitor.access\n", {"monitor"}),
        ("from .. import registry\n", {"registry"}),
        ('x = models.ForeignKey("registry.Subject", on_delete=None)\n', {"registry"}),
    ],
)
def test_the_walk_sees_every_kind_of_dependency(
    source: str, expected: set[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "netra"
    for name in ("social", "registry", "monitor"):
        (package / name).mkdir(parents=True)
        (package / name / "__init__.py").write_text("")
        (package / name / "apps.py").write_text("")
    (package / "social" / "mod.py").write_text(source)
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "ROOT", tmp_path)
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "PACKAGE", package)
    assert {other for other, _where in dependencies()["social"]} == expected
