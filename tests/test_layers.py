"""Imports run one way, in the method's order (`heard.layers`)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import heard
from heard.layers import LAYERS, layer_of

PACKAGE = Path(heard.__file__).parent


def part_of(module: str) -> str | None:
    """`heard.synthesis.matrix.views` → `synthesis`; None outside the package."""
    names = module.split(".")
    if names[0] != "heard":
        return None
    return names[1] if len(names) > 1 else "__init__"


def module_named(name: str) -> str:
    """What `from heard import name` imports: a part of the package, or `heard` itself."""
    is_part = (PACKAGE / f"{name}.py").exists() or (PACKAGE / name / "__init__.py").exists()
    return f"heard.{name}" if is_part else "heard"


def imported(source: str) -> list[str]:
    """The modules of `heard` a source file imports, at the top or inside a function."""
    modules = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "heard":  # from heard import conf, __version__
                modules.extend(module_named(alias.name) for alias in node.names)
            else:
                modules.append(node.module)
        elif isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
    return [module for module in modules if part_of(module) is not None]


def imports() -> list[tuple[Path, str, str]]:
    """(file, importing part, imported module) for every import of `heard` in the package."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if "migrations" in relative.parts:
            continue  # a migration names the apps it depends on, whatever their layer
        part = relative.parts[0].removesuffix(".py")
        found.extend((relative, part, module) for module in imported(path.read_text()))
    return found


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {
        path.name.removesuffix(".py")
        for path in PACKAGE.iterdir()
        if (path.suffix == ".py" or (path / "__init__.py").exists())
    }
    assert parts == {part for _layer, members in LAYERS for part in members}


def backward(found: list[tuple[Path, str, str]]) -> list[str]:
    return [
        f"{path}: heard.{part} ({LAYERS[layer_of(part)][0]}) imports {module} "
        f"({LAYERS[layer_of(target)][0]})"
        for path, part, module in found
        if (target := part_of(module)) is not None and layer_of(target) > layer_of(part)
    ]


def test_no_module_imports_a_later_stage() -> None:
    assert backward(imports()) == []


def test_apps_of_one_layer_do_not_import_each_other_in_a_circle() -> None:
    edges: dict[str, set[str]] = defaultdict(set)
    for _path, part, module in imports():
        target = part_of(module)
        if target is not None and target != part:
            edges[part].add(target)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for step in edges.get(start, set()) - seen:
            if step == goal or reaches(step, goal, seen | {step}):
                return True
        return False

    circles = sorted(f"{a} ⇄ {b}" for a in edges for b in edges[a] if reaches(b, a, {b}))
    assert circles == []


def test_the_check_sees_a_backward_import_even_inside_a_function() -> None:
    source = "import os\n\ndef f():\n    from heard.synthesis.models import Summary\n"
    found = [(Path("studies/views.py"), "studies", m) for m in imported(source)]
    assert backward(found) == [
        "studies/views.py: heard.studies (plan) imports heard.synthesis.models (after the call)"
    ]
