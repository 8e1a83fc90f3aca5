"""Start-up with the whole vocabulary: where the time goes, and the alternatives measured.

Prints seconds for: parsing knowledge/*.ttl with rdflib, with oxrdflib's parser into an
rdflib memory graph and into an Oxigraph store; SHACL validation; compiling the index;
loading the compiled index from the hash-keyed cache; `import flask, rdflib` as the floor.
Run: .venv/bin/python benchmarks/startup.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rdflib import Graph  # noqa: E402

from graph.index import compile_knowledge  # noqa: E402
from graph.loader import KNOWLEDGE_DIR, knowledge_problems, load_knowledge  # noqa: E402
from graph.turtle import SHAPES_FILE, read_graph  # noqa: E402

FILES = sorted(p for p in KNOWLEDGE_DIR.glob("*.ttl") if p.name != SHAPES_FILE)


def timed(label: str, action: Callable[[], object]) -> object:
    started = time.perf_counter()
    result = action()
    print(f"{label:<52} {time.perf_counter() - started:7.2f} s")
    return result


def parse_with(format_name: str, store: str = "default") -> Graph:
    graph = Graph(store=store)
    for path in FILES:
        graph.parse(path, format=format_name)
    return graph


def main() -> None:
    floor = [sys.executable, "-c", "import flask, rdflib"]
    timed("python -c 'import flask, rdflib' (the floor)", lambda: subprocess.run(floor, check=True))
    graph = timed("parse knowledge/*.ttl, rdflib turtle parser", lambda: read_graph(KNOWLEDGE_DIR))
    assert isinstance(graph, Graph)
    print(f"{'':<52} {len(graph):,} triples")
    try:
        timed("parse, oxrdflib parser into rdflib memory", lambda: parse_with("ox-turtle"))
        timed(
            "parse, oxrdflib parser into Oxigraph store",
            lambda: parse_with("ox-turtle", "Oxigraph"),
        )
    except Exception as error:  # oxrdflib is optional: only this benchmark compares it
        print(f"oxrdflib not available: {error}")
    timed("SHACL validation (pyshacl)", lambda: knowledge_problems(graph, KNOWLEDGE_DIR))
    timed("compile the index", lambda: compile_knowledge(graph, KNOWLEDGE_DIR))
    with tempfile.TemporaryDirectory() as cache:
        timed(
            "load_knowledge, cold (parse + validate + compile)",
            lambda: load_knowledge(KNOWLEDGE_DIR, Path(cache)),
        )
        timed(
            "load_knowledge, from the hash-keyed cache",
            lambda: load_knowledge(KNOWLEDGE_DIR, Path(cache)),
        )
    app = [sys.executable, "-c", "import app; app.create_app()"]
    timed(
        "python -c 'create_app()' with the cache warm (cold start)",
        lambda: subprocess.run(app, check=True, cwd=ROOT),
    )


if __name__ == "__main__":
    main()
