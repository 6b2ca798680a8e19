"""Imports point one way: each part of brandcolumn/ uses only itself and the layers below it.

ARCHITECTURE.md explains the layers; this test is their rule. Every import counts, also those
inside functions (made late so that `--help` starts fast), since late is not the other way.
"""

from __future__ import annotations

import ast
from pathlib import Path

from sitekit import PROJECT

# Lowest first. A part may import from itself and from the parts of lower layers, never from
# one beside it (preview and check know nothing of each other) or above it.
LAYERS: list[tuple[str, ...]] = [
    ("core",),  # errors, model, settings, files: what everything shares
    ("images",),  # pictures declared, then encoded
    ("load", "search"),  # content files -> the Site; the search index of built pages
    ("pages",),  # kinds of page, routes, rendering, what each page read
    ("cache",),  # what is kept between builds
    ("build",),  # the build's steps, run by everything above
    ("preview", "check"),  # `serve`, `check`
    ("publish",),  # `deploy` (checks before publishing)
    ("scaffold", "imports"),  # `new`, `import`
    ("cli",),  # the commands
]
RANK = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}


def import_violations(package: Path) -> list[str]:
    """Every import in `package` that points to a part beside or above the importing one."""
    found = []
    for path in sorted(package.rglob("*.py")):
        if path == package / "__init__.py":
            continue  # the package's docstring, importing nothing
        module = ".".join(path.relative_to(package.parent).with_suffix("").parts)
        part = _part(module, package.name)
        if part not in RANK:
            found.append(f"{path.relative_to(package.parent)}: {part} is in no layer of tests/unit/test_architecture.py")
            continue
        for line, target in _imports(path, module, package.name):
            used = _part(target, package.name)
            if used != part and RANK.get(used, len(LAYERS)) >= RANK[part]:
                allowed = ", ".join(p for p in RANK if RANK[p] < RANK[part]) or "nothing else"
                found.append(f"{path.relative_to(package.parent)}:{line} imports {target}: {part} may import "
                             f"only from itself and {allowed}")
    return found


def _part(module: str, package: str) -> str:
    """The part of the package a module belongs to: its folder, or its own name at the top."""
    return module.split(".")[1] if module.startswith(package + ".") else ""


def _imports(path: Path, module: str, package: str) -> list[tuple[int, str]]:
    """(line, absolute module) of every import of the package's own modules in a file."""
    is_init = path.name == "__init__.py"
    here = module.split(".")[:-1] if not is_init else module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[:len(here) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from . import schema` imports the module package.schema
            found += [(node.lineno, f"{target}.{alias.name}" if node.module is None else target)
                      for alias in node.names]
    return sorted({(line, target) for line, target in found if target.split(".")[0] == package})


def test_every_import_points_down_the_layers():
    assert import_violations(PROJECT / "brandcolumn") == []


def test_an_import_the_wrong_way_is_found_with_its_file_and_line(tmp_path):
    package = tmp_path / "brandcolumn"
    for name, text in {"core/config.py": "from ..publish.targets import DeployTarget\n",
                       "core/model.py": "from . import errors\n",
                       "core/errors.py": "",
                       "preview/serve.py": "def late():\n    from ..check import run\n",
                       "pages/render.py": "from ..load.data import STATUSES\nfrom ..core.model import Site\n",
                       "extra/thing.py": ""}.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text, encoding="utf-8")
    assert import_violations(package) == [
        "brandcolumn/core/config.py:1 imports brandcolumn.publish.targets: core may import only from itself and "
        "nothing else",
        "brandcolumn/extra/thing.py: extra is in no layer of tests/unit/test_architecture.py",
        "brandcolumn/preview/serve.py:2 imports brandcolumn.check: preview may import only from itself and "
        "core, images, load, search, pages, cache, build",
    ]
