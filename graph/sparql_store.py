"""The knowledge in an embedded Oxigraph store, for SPARQL: one named graph per knowledge file.

Each knowledge file is its own named graph (`…/graph/ingredients`, `…/graph/procedure-ipl`,
…), and the memberships inferred from name families (graph/families.py) are the graph
`…/graph/inferred`; the default graph is their union. The store is built once per knowledge
version: Oxigraph reads the Turtle files itself (about a second), and the inferred
memberships, which only the rdflib graph knows, are kept as N-Triples beside the compiled
knowledge in the cache directory, so a restart never parses the Turtle into rdflib. rdflib
stays for loading, SHACL and compiling; this store only answers SPARQL.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from graph.index import Knowledge
from graph.namespaces import BASE
from graph.turtle import SHAPES_FILE

GRAPH_BASE = BASE + "graph/"
INFERRED = GRAPH_BASE + "inferred"
KEEP_CACHES = 3
_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8]  # how the cache was built
_stores: dict[tuple[str, Path], ox.Store] = {}
_lock = threading.Lock()


def knowledge_files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.glob("*.ttl") if path.name != SHAPES_FILE)


def open_store(
    version: str | None,
    directory: Path,
    cache_dir: Path | None,
    knowledge: Callable[[], Knowledge],
) -> ox.Store:
    """The store of this knowledge version, built or read from the cache once per process.
    `knowledge()` is called only when the inferred memberships are not cached yet, or when
    the knowledge has no version (built in memory, as tests do: then nothing is cached)."""
    key = (version or f"object-{id(knowledge())}", directory)
    with _lock:
        store = _stores.get(key)
        if store is None:
            store = _stores[key] = _load(version, directory, cache_dir, knowledge)
        return store


def _load(
    version: str | None,
    directory: Path,
    cache_dir: Path | None,
    knowledge: Callable[[], Knowledge],
) -> ox.Store:
    # Each file straight into its graph, in the file's order: Oxigraph's parser reads the
    # Turtle as fast as it would a dump, and a store filled in another order (a dump's) made
    # one completeness query 150x slower (its NOT EXISTS finds a member late).
    # Leniently: these files were read and validated when the knowledge was compiled, and
    # checking each IRI and language tag again is a sixth of the load (0.96 s -> 0.79 s).
    store = ox.Store()
    for path in knowledge_files(directory):
        store.load(
            path=path,
            format=ox.RdfFormat.TURTLE,
            to_graph=ox.NamedNode(GRAPH_BASE + path.stem),
            lenient=True,
        )
    cached = None
    if cache_dir is not None and version:
        cached = cache_dir / f"sparql-inferred-{version}-{_CODE}.nt"
    if cached is not None and cached.exists():
        try:
            store.load(
                path=cached,
                format=ox.RdfFormat.N_TRIPLES,
                to_graph=ox.NamedNode(INFERRED),
                lenient=True,
            )
            return store
        except (OSError, SyntaxError):  # a torn or foreign file: infer again
            store.clear_graph(ox.NamedNode(INFERRED))
    inferred = _inferred(store, knowledge())
    graph = ox.NamedNode(INFERRED)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in inferred)
    store.add_graph(graph)
    if cached is not None:
        _write_cache(inferred, cached)
    return store


def _inferred(store: ox.Store, knowledge: Knowledge) -> list[ox.Triple]:
    """What the rdflib graph holds beyond the files: the memberships families imply.

    It is computed from the rdflib graph once per knowledge version, then read from the
    cache. Literals are left out of the comparison (rdflib rewrites some lexical forms,
    Oxigraph keeps them), and so are blank nodes (each parser names them its own way); the
    inference adds neither.
    """
    found = []
    for subject, predicate, value in knowledge.graph:
        if isinstance(subject, BNode) or isinstance(value, BNode | Literal):
            continue
        terms = (ox.NamedNode(str(subject)), ox.NamedNode(str(predicate)), ox.NamedNode(str(value)))
        if next(store.quads_for_pattern(*terms, None), None) is None:
            found.append(ox.Triple(*terms))
    return found


def _write_cache(triples: list[ox.Triple], path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        older = sorted(path.parent.glob("sparql-*.nt"), key=lambda old: old.stat().st_mtime)
        for old in older[:-KEEP_CACHES]:
            old.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            ox.serialize(triples, handle, ox.RdfFormat.N_TRIPLES)
        os.replace(handle.name, path)  # atomic: another process never reads half a cache
    except OSError:
        pass  # a read-only disk only costs the next start-up its speed


COMPLETENESS_MARK = "Must return nothing"  # in a canned query's comment: a completeness check


def completeness_problems(store: ox.Store, queries: Path) -> list[str]:
    """What each completeness query of knowledge/queries/ finds (nothing, when the knowledge
    is complete), one line a row. Our own queries, each well under a second on this store:
    they run here, not in a worker (75x faster than rdflib's evaluator on the same triples)."""
    found = []
    for path in sorted(queries.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        if COMPLETENESS_MARK not in text:
            continue
        rows = store.query(text, use_default_graph_as_union=True)
        if not isinstance(rows, ox.QuerySolutions):
            raise TypeError(f"{path.name} is not a SELECT query")
        names = [variable.value for variable in rows.variables]
        for row in rows:
            values = ", ".join(f"{name}={term}" for name, term in zip(names, row, strict=True))
            found.append(f"{path.stem}: {values}")
    return found


@functools.cache
def held_graphs(store: ox.Store) -> tuple[str, ...]:
    """The names of the store's named graphs."""
    return tuple(sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)))


@functools.cache
def graph_sizes(store: ox.Store) -> dict[str, int]:
    """How many triples each named graph holds (for the service description)."""
    found = {str(name.value): 0 for name in store.named_graphs() if isinstance(name, ox.NamedNode)}
    for quad in store.quads_for_pattern(None, None, None, None):
        if isinstance(quad.graph_name, ox.NamedNode):
            found[quad.graph_name.value] += 1
    return dict(sorted(found.items()))


def to_oxigraph(term: URIRef | BNode | Literal) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as Oxigraph's (for a query's bindings)."""
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = ox.NamedNode(str(term.datatype)) if term.datatype else None
        return ox.Literal(str(term), datatype=datatype)
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    return ox.NamedNode(str(term))
