"""The house's rules, read from the code: engine/ imports neither Flask, web/ nor adapters/;
each wing imports only what its __init__ says it may; no module imports itself back
through others (no import circles), in engine/ and in web/."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGINE = ROOT / "engine"
OUTSIDE = ("flask", "werkzeug", "web", "adapters")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The absolute modules PATH imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def sources(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)


def existing(modules: set[str]) -> set[str]:
    """Those of MODULES that are files or packages of this tree."""
    out = set()
    for mod in modules:
        base = ROOT.joinpath(*mod.split("."))
        if base.with_suffix(".py").exists() or (base / "__init__.py").exists():
            out.add(mod)
    return out


def wing_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


def allowed_imports() -> dict[str, set[str]]:
    """What each wing's __init__ docstring says it may import ('May import: ...')."""
    rules: dict[str, set[str]] = {}
    for init in sorted(ENGINE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        said = re.search(r"May import:\s*(.*?)\.?\s*$", doc, re.S)
        assert said, f"{init.relative_to(ROOT)} does not say what its wing may import"
        text = " ".join(said.group(1).split())
        wing = module_name(init)
        rules[wing] = set() if text.startswith("nothing") else {
            w.strip() for w in text.split(",")}
    return rules


def test_every_engine_file_stands_in_a_wing() -> None:
    loose = [p.name for p in ENGINE.glob("*.py") if p.name != "__init__.py"]
    assert loose == [], f"modules outside the wings: {loose}"


@pytest.mark.parametrize("path", sources(ENGINE), ids=lambda p: str(p.relative_to(ROOT)))
def test_engine_imports_stay_in_their_wings(path: Path) -> None:
    rules = allowed_imports()
    mine = wing_of(module_name(path))
    for target in imports_of(path):
        top = target.split(".")[0]
        assert top not in OUTSIDE, f"{path.name} imports {target}: the engine knows no web"
        if top != "engine" or target == "engine":
            continue
        theirs = wing_of(target)
        if theirs in (mine, "engine.__init__"):
            continue
        assert theirs in rules.get(mine, set()), (
            f"{module_name(path)} imports {target}: {mine} may import only "
            f"{', '.join(sorted(rules.get(mine, set()))) or 'nothing else'}")


def cycles(folder: Path) -> list[list[str]]:
    """Import circles among the modules of FOLDER (Tarjan's strongly connected parts)."""
    graph = {module_name(p): existing(imports_of(p)) for p in sources(folder)}
    for mod, targets in graph.items():
        # a package's __init__ only hands names on; importing a module of it is no arrow
        # to the package itself
        graph[mod] = {t for t in targets if t in graph and t != mod
                      and not (mod.startswith(t + ".") and t in graph)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part = []
            while True:
                top = stack.pop()
                on.discard(top)
                part.append(top)
                if top == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.mark.parametrize("folder", ["engine", "web", "adapters"])
def test_no_import_circles(folder: str) -> None:
    assert cycles(ROOT / folder) == []


# the tests' folders beside the wings: the app's own plumbing, the live browser, the API
# contract, the benchmarks and the shared fixture files
ACROSS_THE_WINGS = {"web", "ui", "browser", "contract", "perf", "data"}


def test_tests_follow_the_wings() -> None:
    wings = {p.name for p in ENGINE.iterdir() if (p / "__init__.py").exists()}
    folders = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and p.name != "__pycache__"}
    strays = folders - wings - ACROSS_THE_WINGS
    assert strays == set(), f"test folders that are no wing of engine/: {sorted(strays)}"
