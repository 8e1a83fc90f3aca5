"""Start-up: the compiled knowledge cached by content hash comes back exactly as compiled.

How fast it comes back is measured by `make bench`, never asserted here.
"""

from __future__ import annotations

import ast
import dataclasses
import subprocess
import sys
from pathlib import Path

from graph.index import Knowledge
from graph.loader import compiler_files, load_knowledge
from tests.conftest import ROOT

COMPILED_FIELDS = [
    field.name for field in dataclasses.fields(Knowledge) if field.name != "graph_handle"
]


def test_knowledge_from_the_cache_equals_the_compiled_knowledge(
    knowledge_copy: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    compiled = load_knowledge(knowledge_copy, cache_dir=cache)
    assert len(list(cache.glob("knowledge-*.pickle"))) == 1
    cached = load_knowledge(knowledge_copy, cache_dir=cache)
    assert cached is not compiled
    for name in COMPILED_FIELDS:
        assert getattr(cached, name) == getattr(compiled, name), name
    assert cached.graph_handle.directory == knowledge_copy
    assert len(cached.graph) == len(compiled.graph)  # parsed again on first use


def test_a_torn_cache_is_rebuilt(knowledge_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    compiled = load_knowledge(knowledge_copy, cache_dir=cache)
    (written,) = cache.glob("knowledge-*.pickle")
    written.write_bytes(written.read_bytes()[:1000])
    rebuilt = load_knowledge(knowledge_copy, cache_dir=cache)
    assert rebuilt.concepts == compiled.concepts
    assert written.stat().st_size > 1000


def test_importing_the_app_leaves_photo_and_calendar_libraries_unloaded() -> None:
    # They are imported where used, so every cold start (and worker) skips them.
    code = "import sys, app; print(sorted({'PIL', 'pytesseract', 'icalendar'} & set(sys.modules)))"
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True
    )
    assert found.stdout.strip() == "[]"


def test_graph_never_imports_flask() -> None:
    """graph/ is the checker without the web (DESIGN.md 'Layout'): Flask lives in web/."""
    for path in sorted((ROOT / "graph").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(name.split(".")[0] in {"flask", "werkzeug"} for name in names), path


def _graph_imports(path: Path) -> set[str]:
    """The graph modules a module imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "graph":
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("graph."):
            found.add((node.module or "").split(".")[1])
    return found


def test_graph_modules_import_each_other_without_a_cycle() -> None:
    imports = {path.stem: _graph_imports(path) for path in (ROOT / "graph").glob("*.py")}
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join([*path, module])
        if module in done:
            return
        for imported in sorted(imports.get(module, ())):
            visit(imported, (*path, module))
        done.add(module)

    for module in sorted(imports):
        visit(module, ())


def test_the_cache_key_covers_every_module_the_compiler_imports() -> None:
    names = {path.name for path in compiler_files()}
    # what compiling reads names and families with, found by following the imports
    assert {"loader.py", "turtle.py", "index.py", "tokens.py", "families.py"} <= names
    assert "engine.py" not in names  # checking is not compiling: its changes keep the cache


def test_the_cache_key_follows_the_imports_python_itself_reads() -> None:
    # compiler_files reads imports with a pattern (fast at every start); Python's own parser
    # must find no graph module it misses, however the import is written
    imports = {path.stem: _graph_imports(path) for path in (ROOT / "graph").glob("*.py")}
    reached, todo = set(), ["loader"]
    while todo:
        module = todo.pop()
        if module not in reached and module in imports:
            reached.add(module)
            todo.extend(imports[module])
    assert {path.stem for path in compiler_files()} == reached
