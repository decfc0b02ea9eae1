"""The import layering (README, "Architecture"): imports run one way,
`dashboard → subsidies → loans → labor → workshops → industries → regions → core → accounts`.

Every module of every app is parsed with `ast` (nothing is imported): its imports, at module level
and inside functions (relative ones resolved), and the app labels named by `apps.get_model("<app>",
...)`, `get_model("<app>.<Model>")` and `import_module("<app>....")`. An app may use its own modules
and those of the apps below it, never one above it; and no domain app names another's model through
`apps.get_model` at all (a plain import of a lower app says the same thing and is checked). `wanyuan/`
(the project) may import anything; migrations may reference models by string."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("dashboard", "subsidies", "loans", "labor", "workshops", "industries", "regions", "core", "accounts")
RANK = {app: len(LAYERS) - i for i, app in enumerate(LAYERS)}  # accounts 1 … dashboard 8
DOMAIN_APPS = ("regions", "industries", "workshops", "labor", "loans", "subsidies", "dashboard")


def modules():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            yield app, path


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _string(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def references(path: Path, source: str | None = None):
    """(line, kind, dotted name) of everything the module at `path` reaches for."""
    source = path.read_text(encoding="utf-8") if source is None else source
    tree = ast.parse(source, filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    migration = "migrations" in path.relative_to(ROOT).parts
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, "import", alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield node.lineno, "import", target
        elif isinstance(node, ast.Call) and not migration:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            args = [_string(a) for a in node.args]
            if name == "get_model" and args and args[0]:
                yield node.lineno, "get_model", args[0].split(".")[0]
            elif name in ("get_app_config", "import_module") and args and args[0]:
                yield node.lineno, name, args[0]


def violations(app: str, path: Path, source: str | None = None) -> list[str]:
    found = []
    for line, kind, target in references(path, source):
        other = target.split(".")[0]
        where = f"{path.relative_to(ROOT)}:{line}"
        if other not in RANK or other == app:
            continue
        if RANK[other] > RANK[app]:
            found.append(f"{where}: {app} → {other} ({kind} {target}) runs against the layering")
        elif kind == "get_model" and app in DOMAIN_APPS and other in DOMAIN_APPS:
            found.append(f"{where}: {app} looks up {other}'s models with apps.get_model; import them")
    return found


def test_no_module_imports_against_the_layering():
    problems = [p for app, path in modules() for p in violations(app, path)]
    assert not problems, "\n".join(problems)


def test_the_check_sees_every_app_and_catches_an_upward_import():
    """The test above can fail: each app has modules, and a module importing upwards (in a function,
    or by a get_model string) is reported, a downward import is not."""
    assert {app for app, _path in modules()} == set(LAYERS)
    source = ("def figures():\n"
              "    from labor.models import Placement\n"
              "    from django.apps import apps\n"
              "    return apps.get_model('labor', 'Worker'), apps.get_model('subsidies.SubsidyLine')\n"
              "from regions.models import Township\n")
    problems = violations("workshops", ROOT / "workshops" / "probe.py", source)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "workshops → labor (import labor.models) runs against the layering",
        "workshops → labor (get_model labor) runs against the layering",
        "workshops → subsidies (get_model subsidies) runs against the layering",
    ]


@pytest.mark.parametrize("source, target", [
    ("from . import rules", "subsidies.services"),
    ("from .. import rules", "subsidies"),
    ("from ..models import Run", "subsidies.models"),
])
def test_relative_imports_are_resolved(source, target):
    path = ROOT / "subsidies" / "services" / "probe.py"
    assert [t for _line, _kind, t in references(path, source)] == [target]


def test_a_domain_app_may_not_look_up_a_lower_apps_model_by_name():
    source = "from django.apps import apps\nPlacement = apps.get_model('workshops', 'Workshop')\n"
    assert violations("labor", ROOT / "labor" / "probe.py", source) == [
        "labor/probe.py:2: labor looks up workshops's models with apps.get_model; import them"]
    assert violations("core", ROOT / "core" / "probe.py", "from accounts.models import User\n") == []
