"""The apps depend one way: portal on search, search on catalogue, catalogue on organisations, never back.

The test reads every module's source (imports inside functions included), so a lazy import cannot
hide a backward arrow.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Each app, and the apps it must never import.
FORBIDDEN = {
    "organisations": ("catalogue", "search", "portal"),
    "catalogue": ("search", "portal"),
    "search": ("portal",),
}


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, root: Path = ROOT) -> set[str]:
    """Every module this file imports, anywhere in it, with relative imports resolved."""
    package = _module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            # "from . import geo" imports the submodule geo.
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def app_modules(app: str) -> list[Path]:
    return sorted((ROOT / app).rglob("*.py"))


def backward_arrows(app: str) -> list[str]:
    arrows = []
    for path in app_modules(app):
        for module in sorted(imports_of(path)):
            if module.split(".")[0] in FORBIDDEN[app]:
                arrows.append(f"{_module_name(path)} imports {module}")
    return arrows


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_no_app_imports_the_apps_that_depend_on_it(app):
    """Error case: any import from a higher app (even inside a function) is reported by module."""
    assert backward_arrows(app) == []


def test_the_walk_sees_an_import_inside_a_function(tmp_path):
    """The check itself: a lazy relative import and a lazy absolute import are both found."""
    package = tmp_path / "organisations"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text(
        "def f():\n    from catalogue.models import OfferPage\n    from .roles import Role\n    from . import geo\n"
    )
    found = imports_of(package / "models.py", tmp_path)
    assert {"catalogue.models", "organisations.roles", "organisations.geo"} <= found


def test_geometry_does_not_import_the_models():
    """catalogue.geo is plain geometry; the models place offers with it, not the other way round."""
    assert not {module for module in imports_of(ROOT / "catalogue" / "geo.py") if module.startswith("catalogue")}


def test_organisations_models_know_nothing_of_offers():
    """The circle organisations.models ↔ catalogue.models is gone: only catalogue names organisations."""
    assert not {module for module in imports_of(ROOT / "organisations" / "models.py") if "catalogue" in module}
