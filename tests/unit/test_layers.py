"""No module imports upward: the layers of DESIGN.md, read from every module's own imports.

Each module's imports (top level, inside functions and under TYPE_CHECKING alike) are read
with `ast`, so the rule holds for the code as written, not only for what happens to run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "scripts" / "pacewise"

#: What each layer may import besides itself; anything else is an upward (or sideways) import.
ALLOWED: dict[str, frozenset[str]] = {
    "cli": frozenset({"clinic", "runtime", "levels", "domain", "motion", "store"}),
    "bench": frozenset({"clinic", "runtime", "levels", "domain", "motion", "store"}),
    "clinic": frozenset({"domain", "store", "motion"}),
    "runtime": frozenset({"levels", "domain", "motion", "store"}),
    "levels": frozenset({"domain", "motion"}),
    "store": frozenset({"domain"}),
    "domain": frozenset(),
    "motion": frozenset(),
}


def _module_name(path: Path, root: Path) -> list[str]:
    parts = ["pacewise", *path.relative_to(root).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imported(tree: ast.AST, module: list[str], is_package: bool) -> list[tuple[int, str]]:
    """Every pacewise module this tree imports, absolute, with its line number."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module if is_package else module[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target == "pacewise":  # `from pacewise import clinic` names the layer itself;
                # `from pacewise import __version__` takes the package root, free to all
                found += [
                    (node.lineno, f"pacewise.{alias.name}")
                    for alias in node.names
                    if not alias.name.startswith("__")
                ]
            else:
                found.append((node.lineno, target))
    return [(line, name) for line, name in found if name.split(".")[0] == "pacewise"]


def upward_imports(root: Path) -> list[str]:
    """One line per import that breaks the layers, for every module under `root`."""
    problems: list[str] = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path, root)
        layer = module[1] if len(module) > 1 else None
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, name in _imported(tree, module, path.name == "__init__.py"):
            target = name.split(".")
            if len(target) < 2 or layer is None:
                continue  # the package root (its version) is free to all
            wanted = target[1]
            if wanted == layer:
                continue
            if layer not in ALLOWED:
                problems.append(f"{path.relative_to(root)}:{line}: {layer}/ is not a known layer")
            elif wanted not in ALLOWED[layer]:
                problems.append(
                    f"{path.relative_to(root)}:{line}: {layer} imports {name} "
                    f"({layer} may import only {', '.join(sorted(ALLOWED[layer])) or 'itself'})"
                )
    return problems


def test_no_module_imports_upward() -> None:
    assert list(PACKAGE.rglob("*.py")), f"no modules found under {PACKAGE}"
    assert upward_imports(PACKAGE) == []


def test_every_folder_is_a_known_layer() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(ALLOWED)


@pytest.mark.parametrize(
    ("where", "source"),
    [
        ("domain/x.py", "from pacewise.store.store import Store\n"),
        ("domain/x.py", "def f():\n    import pacewise.runtime.bridge\n"),
        (
            "store/x.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from pacewise.clinic import app\n",
        ),
        ("levels/x.py", "from ..runtime import bridge\n"),
        ("levels/x.py", "from pacewise import store\n"),
        ("motion/x.py", "from pacewise.domain.pain import PainEntry\n"),
        ("clinic/x.py", "import pacewise.runtime.game as game\n"),
        ("runtime/x.py", "from pacewise.cli import app\n"),
    ],
)
def test_a_planted_upward_import_is_caught(tmp_path: Path, where: str, source: str) -> None:
    for layer in ALLOWED:
        (tmp_path / layer).mkdir()
        (tmp_path / layer / "__init__.py").write_text('"""A layer."""\n')
    (tmp_path / "domain" / "fine.py").write_text("from pacewise.domain import pain\n")
    (tmp_path / "runtime" / "fine.py").write_text("from ..levels import ops\n")
    assert upward_imports(tmp_path) == []
    (tmp_path / where).write_text(source)
    found = upward_imports(tmp_path)
    assert len(found) == 1
    assert found[0].startswith(f"{where}:")
