"""The packages depend one way and no module imports itself round a circle, counting the imports
made only for type checking and those inside functions: a circle means two modules that cannot
be read, tested or changed apart."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).parents[1]
MAY_IMPORT = {
    "domain": set(),
    "projections": {"domain"},
    "notifications": {"domain", "projections"},
    "scheduler": {"domain", "projections", "notifications"},
    "dutyloop": {"domain", "projections", "notifications", "scheduler"},
}
"""domain ← projections ← notifications ← scheduler ← dutyloop: each package may import those
to its left and nothing to its right."""


def module_files() -> dict[str, Path]:
    modules = {}
    for package in MAY_IMPORT:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def imported(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project's modules this one imports anywhere in it (``from p import m`` names module ``p.m``)."""

    def known(dotted: str) -> str | None:
        while dotted and dotted not in modules:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    found: set[str | None] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(known(alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.update(known(f"{base}.{alias.name}") for alias in node.names)
    return {m for m in found if m is not None and m != name}


def import_graph() -> dict[str, set[str]]:
    modules = module_files()
    return {name: imported(name, path, modules) for name, path in modules.items()}


def test_no_module_imports_itself_round_a_circle() -> None:
    try:
        tuple(TopologicalSorter(import_graph()).static_order())
    except CycleError as circle:
        raise AssertionError(f"import circle: {' → '.join(circle.args[1])}") from None


def test_packages_import_only_the_layers_below_them() -> None:
    against = sorted(
        f"{module} → {target}"
        for module, targets in import_graph().items()
        for target in targets
        if (here := module.partition(".")[0]) != (there := target.partition(".")[0]) and there not in MAY_IMPORT[here]
    )
    assert not against


def test_the_check_counts_imports_for_type_checking_and_inside_functions(tmp_path: Path) -> None:
    """The circles this check was written against ran through imports made only for type checking."""
    source = tmp_path / "service.py"
    source.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from scheduler.jobs import JobRunner\n"
        "def later() -> None:\n    from domain import ids\n",
        encoding="utf-8",
    )
    modules = module_files()
    assert imported("scheduler.service", source, modules) == {"scheduler.jobs", "domain.ids"}
