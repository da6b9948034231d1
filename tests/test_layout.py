"""The shape of lib/: packages by job, each importing only those below it (function-local imports
included, so none can dodge the rule), and no import cycle between modules."""

from __future__ import annotations

import ast
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
