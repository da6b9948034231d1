"""The shape of lib/: packages by job, each importing only those below it (function-local imports
included, so none can dodge the rule), and no import cycle between modules."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIB = ROOT / "lib"
# Each package may import the ones with a lower rank (dash and deck: deck draws dash's charts).
RANK = {
    "core": 0,
    "store": 1,
    "ingest": 2,
    "dash": 3,
    "deck": 4,
    "accounts": 5,
    "cli": 6,
    "ui": 7,
}


def module_name(path: Path) -> str:
    """The dotted module name of a file under lib/."""
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


def modules() -> dict[str, Path]:
    """Every module of lib/ by dotted name."""
    return {module_name(p): p for p in sorted(LIB.rglob("*.py"))}


def imported(path: Path, known: dict[str, Path]) -> set[str]:
    """The lib modules a file imports anywhere in it (top level or inside functions)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "lib":
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in known else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "lib"}
    return found


def test_every_module_of_lib_is_in_a_package_of_the_layout() -> None:
    """Test that lib/ holds only the packages of the layout (no module left at the top)."""
    top = {p.name for p in LIB.iterdir() if p.suffix == ".py" or (p / "__init__.py").is_file()}
    assert top == {"__init__.py", *RANK}


@pytest.mark.parametrize("package", list(RANK))
def test_a_package_imports_only_lower_packages(package: str) -> None:
    """Test that no module of a package imports a package above it."""
    known = modules()
    wrong = []
    for name, path in known.items():
        if name.split(".")[1:2] != [package]:
            continue
        for target in imported(path, known):
            parts = target.split(".")
            if len(parts) > 1 and parts[1] in RANK and RANK[parts[1]] > RANK[package]:
                wrong.append(f"{name} imports {target}")
    assert wrong == []


@pytest.mark.parametrize("package", list(RANK))
def test_every_package_says_what_it_owns(package: str) -> None:
    """Test that each package's __init__ starts with a docstring."""
    tree = ast.parse((LIB / package / "__init__.py").read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"lib/{package}/__init__.py has no docstring"


def cycle_in(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of a module graph as a path (first module repeated at the end), or []."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        """Depth-first search from node; the cycle found, or []."""
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return []


def test_cycle_finder_finds_a_cycle() -> None:
    """Test that the cycle finder reports a -> b -> a and nothing for a chain."""
    assert cycle_in({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert cycle_in({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_modules() -> None:
    """Test that no module of lib imports, directly or through others, a module that imports it
    (function-local imports included, so a cycle cannot hide inside a function)."""
    known = modules()
    graph = {
        name: {m for m in imported(path, known) if m in known and m != name}
        for name, path in known.items()
    }
    # a package's __init__ importing its own modules is how a package is built, not a cycle
    for name in graph:
        graph[name] = {m for m in graph[name] if not m.startswith(name + ".")}
    assert cycle_in(graph) == []


def unquoted(path: Path) -> str:
    """A file's text without quote marks, so 'A', 'B' and "A, B" read alike."""
    return path.read_text(encoding="utf-8").replace("'", "").replace('"', "")


# A literal that marks a copy of a shared vocabulary, and the vocabulary it copies.
VOCABULARY_MARKS = [
    ("Asia/Shanghai", "Beijing time"),
    ("53.6", "the inside-China box"),
    ("135.1", "the inside-China box"),
    ("55.8271", "the GCJ-02 box"),
    ("Noto Sans CJK SC, Noto Sans SC", "the CJK font stack"),
]


@pytest.mark.parametrize(("mark", "vocabulary"), VOCABULARY_MARKS)
def test_a_shared_vocabulary_is_defined_only_in_core_vocab(mark: str, vocabulary: str) -> None:
    """Test that no module of lib or pages holds its own copy of a shared vocabulary."""
    vocab = LIB / "core" / "vocab.py"
    assert mark in unquoted(vocab)
    sources = [*LIB.rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"]
    copies = [
        str(p.relative_to(ROOT))
        for p in sources
        if p != vocab and "migrations" not in p.parts and mark in unquoted(p)
    ]
    assert copies == [], f"{vocabulary} copied in {copies}"


MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def code_files() -> list[Path]:
    """Every Python module of the app: lib (migrations included), pages, app.py and serve.py."""
    return [*LIB.rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py", ROOT / "serve.py"]


def test_no_module_is_longer_than_600_lines() -> None:
    """Test that every module of the app fits in 600 lines."""
    long = {
        str(p.relative_to(ROOT)): n
        for p in code_files()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_is_longer_than_80_lines() -> None:
    """Test that every function of the app fits in 80 lines."""
    long: dict[str, int] = {}
    for path in code_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT)}:{node.name}"] = n
    assert long == {}


# Public names that several lib modules define on purpose, each with the modules and the reason.
# Everything else must be defined once: a second module defining the name is a second meaning.
STRING_PARTS = ("accounts", "chrome", "core", "dashboards", "deck", "present", "screen", "upload")
_CACHED = "lib.ui.cache's cached wrapper of the store query or view model of that name"
SAME_NAME_ALLOWED: dict[str, tuple[frozenset[str], str]] = {
    "main": (frozenset({"lib.cli", "lib.ingest.xlsx_read"}), "entry point of a `python -m` module"),
    "STRINGS": (
        frozenset({"lib.core.i18n"} | {f"lib.core.strings.{m}" for m in STRING_PARTS}),
        "each strings module's part of the one table lib.core.i18n merges",
    ),
    "t": (
        frozenset({"lib.core.i18n", "lib.ui.lang"}),
        "lib.ui.lang's t is i18n.t in the UI language",
    ),
    **{
        name: (frozenset({"lib.store.queries", "lib.ui.cache"}), _CACHED)
        for name in ("batches", "has_synthetic", "indicators", "observations", "orgs", "sources")
    },
    "targets": (frozenset({"lib.store.queries", "lib.ui.cache"}), _CACHED),
    "figures": (frozenset({"lib.dash.views", "lib.ui.cache"}), _CACHED),
    "indicator_meta": (frozenset({"lib.dash.views", "lib.ui.cache"}), _CACHED),
    **{
        name: (frozenset({"lib.store.db", "lib.ui.cache"}), "lib.ui.cache's per-session reading")
        for name in ("data_version", "database_url")
    },
    **{
        name: (frozenset({"lib.dash.charts", "lib.ui.chart_cache"}), "cached across sessions")
        for name in ("completion_figure", "quarterly_figure", "yoy_figure")
    },
    **{
        name: (frozenset({"lib.dash.targets", "lib.ui.shared"}), "shared across sessions by key")
        for name in ("target_rows", "target_years")
    },
    **{
        name: (frozenset({"lib.accounts.auth", "lib.ui.session"}), "for the signed-in session")
        for name in ("anonymous_read", "may_undo")
    },
    "client_address": (
        frozenset({"lib.accounts.proxies", "lib.ui.session"}),
        "lib.ui.session's reads the session's own peer and forwarded-for headers",
    ),
}


def public_definitions(tree: ast.Module) -> set[str]:
    """The public names a module defines at its top level: functions, classes and assigned names
    (an assignment that only re-exports another module's same name, `X = mod.X`, and dunders
    like __all__ excluded; imports are re-exports, not definitions)."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for leaf in ast.walk(target):
                    value = node.value
                    if not isinstance(leaf, ast.Name):
                        continue
                    if isinstance(value, ast.Attribute) and value.attr == leaf.id:
                        continue
                    names.add(leaf.id)
    return {n for n in names if not n.startswith("_")}


def definers(sources: dict[str, str]) -> dict[str, set[str]]:
    """Public name -> the modules (of name -> source text) that define it, where more than one."""
    found: dict[str, set[str]] = {}
    for module, text in sources.items():
        for name in public_definitions(ast.parse(text)):
            found.setdefault(name, set()).add(module)
    return {n: m for n, m in found.items() if len(m) > 1}


def test_the_name_scan_finds_a_name_defined_twice() -> None:
    """Test that the scan reports a constant and a function defined in two modules, and not a
    re-export (`X = mod.X`), an import or a private name."""
    sources = {
        "a": "CHUNK = 5\ndef plan_for(): ...\n_x = 1\nfrom b import Y\n",
        "b": "CHUNK = 9\nclass plan_for: ...\n_x = 2\nY = 1\n",
        "c": "import a\nCHUNK = a.CHUNK\nY = a.Y\n",
    }
    assert definers(sources) == {"CHUNK": {"a", "b"}, "plan_for": {"a", "b"}}


def test_a_public_name_of_lib_means_one_thing() -> None:
    """Test that no public name is defined by two modules of lib (Alembic's revision modules
    aside: revision, upgrade … are Alembic's protocol), except the allowed same-meaning ones."""
    sources = {
        name: path.read_text(encoding="utf-8")
        for name, path in modules().items()
        if not name.startswith("lib.store.migrations")
    }
    twice = definers(sources)
    unexpected = {
        n: sorted(m)
        for n, m in twice.items()
        if n not in SAME_NAME_ALLOWED or m != SAME_NAME_ALLOWED[n][0]
    }
    assert unexpected == {}
    stale = sorted(n for n in SAME_NAME_ALLOWED if n not in twice)
    assert stale == [], "allowed names no longer defined twice (drop them from the list)"


def vulture(*args: str) -> subprocess.CompletedProcess[str]:
    """Run vulture (the dead-code check of `make lint`) from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "vulture", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_the_app_has_no_dead_code() -> None:
    """Test that vulture, over lib/, pages/, app.py, serve.py and bench/ with the whitelist,
    finds no unused function, class, variable or import."""
    found = vulture()
    assert (found.returncode, found.stdout) == (0, "")


def test_the_dead_code_check_finds_an_unused_function(tmp_path: Path) -> None:
    """Test that at the repository's confidence vulture reports a function nothing calls."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    confidence = str(config["tool"]["vulture"]["min_confidence"])
    module = tmp_path / "m.py"
    module.write_text("def used():\n    pass\n\n\ndef never_called():\n    pass\n\n\nused()\n")
    found = vulture(str(module), "--min-confidence", confidence)
    assert "unused function 'never_called'" in found.stdout
    assert "'used'" not in found.stdout
