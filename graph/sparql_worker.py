"""The SPARQL worker process: what runs after the fork, and the terms on the wire.

The process that asks (graph/sparql_pool.py) forks a worker and sends it one query at a time
as a length-prefixed JSON message; the worker caps its address space at what it was forked
with plus the query's memory limit, arms a timer that ends it should the asker be gone,
evaluates the query on the shared Oxigraph store and answers with plain JSON, never pickled
objects: a line saying what the answer is (an ASK's boolean, a graph's terms as ["u", iri],
["b", id] or ["l", text, language, datatype]), then a SELECT's rows as the SPARQL JSON results
document the endpoint sends, written by Oxigraph itself.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import io
import os
import resource
import signal
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import orjson
import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Identifier

from graph.namespaces import BASE, PREFIXES
from graph.sparql_store import to_oxigraph

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

PREFIX_MAP = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
HEADER_BYTES = 8
# A worker whose heap grew this much past what it was forked with ends after answering, so
# that memory a big answer left behind is not held, nor counted against the next query.
RETIRE_BYTES = 64 * 1024 * 1024
CLONE_NEWNET, CLONE_NEWUSER = 0x40000000, 0x10000000
XSD_STRING, LANG_STRING = str(XSD.string), str(RDF.langString)


def decode(term: list[str | None]) -> Identifier:
    return _term(*term)


def decode_json(term: Mapping[str, str]) -> Identifier:
    """A term of SPARQL JSON results as rdflib's."""
    kind = term["type"]
    if kind == "uri":
        return _term("u", term["value"])
    if kind == "bnode":
        return _term("b", term["value"])
    return _term("l", term["value"], term.get("xml:lang"), term.get("datatype"))


@functools.lru_cache(maxsize=1 << 16)  # terms repeat across rows; rdflib's are immutable
def _term(
    kind: str | None, value: str | None, language: str | None = None, datatype: str | None = None
) -> Identifier:
    text = str(value)
    if kind == "u":
        return URIRef(text)
    if kind == "b":
        return BNode(text)
    if language:
        return Literal(text, lang=language)
    if datatype is None or datatype == XSD_STRING:
        return Literal(text)
    return Literal(text, datatype=URIRef(datatype), normalize=False)


def encode_rdflib(term: Identifier) -> list[str | None]:
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else None
        return ["l", str(term), term.language, datatype]
    return ["b" if isinstance(term, BNode) else "u", str(term)]


# --- after the fork --------------------------------------------------------------------------


def close_all_but(keep: set[int]) -> None:
    """The worker keeps its pipes only: no client socket, no sibling's pipe stays open."""
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)


def _leave_the_network() -> None:
    """A network namespace of its own: no interface, so no connection can be made at all."""
    libc = ctypes.CDLL(None, use_errno=True)
    for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return
    # Not permitted here: the refusals (SERVICE) are then the only line.


def _address_space(statm: int) -> int:
    """The process's address space in bytes, read from /proc/self/statm (kept open)."""
    return int(os.pread(statm, 64, 0).split()[0]) * os.sysconf("SC_PAGE_SIZE")


def serve(store: ox.Store, requests: int, replies: int) -> None:
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGALRM):
        signal.signal(number, signal.SIG_DFL)  # not the web server's handlers
    os.environ["RUST_BACKTRACE"] = "0"  # when an allocation fails: one line, not a page
    _leave_the_network()
    gc.freeze()  # the inherited objects are never collected here: their pages stay shared
    statm = os.open("/proc/self/statm", os.O_RDONLY)
    forked_with = _address_space(statm)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    while True:
        job = _read_job(requests)
        if job is None:  # the asking process is gone
            os._exit(0)
        _set_address_space(forked_with + job["memory_bytes"], hard)
        # The asker kills the worker at the deadline; if the asker is gone, this ends it.
        signal.setitimer(signal.ITIMER_REAL, job["seconds"] + 1)
        try:
            reply, document = _evaluate(store, job)
        except MemoryError:
            reply, document = {"error": ["memory", ""]}, b""
        signal.setitimer(signal.ITIMER_REAL, 0)
        _set_address_space(hard, hard)
        retire = _address_space(statm) > forked_with + RETIRE_BYTES
        if retire:
            reply["retire"] = True
        data = orjson.dumps(reply) + b"\n" + document
        # One write for the header and the message: one wake-up of the asker, not two.
        view = memoryview(len(data).to_bytes(HEADER_BYTES, "big") + data)
        while view:
            view = view[os.write(replies, view) :]
        if retire:
            os._exit(0)


def _set_address_space(soft: int, hard: int) -> None:
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _read_job(fd: int) -> dict[str, Any] | None:
    data = b""
    size: int | None = None
    while size is None or len(data) < HEADER_BYTES + size:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return None
        data += chunk
        if size is None and len(data) >= HEADER_BYTES:
            size = int.from_bytes(data[:HEADER_BYTES], "big")
    job: dict[str, Any] = orjson.loads(data[HEADER_BYTES:])
    return job


def _evaluate(store: ox.Store, job: Mapping[str, Any]) -> tuple[dict[str, Any], bytes]:
    # A relative IRI is read in the knowledge's own namespace: <ingredient/retinol> is
    # ing:retinol, never anything about the server's address.
    options: dict[str, Any] = {"prefixes": PREFIX_MAP, "base_iri": BASE}
    if job["use_dataset"]:
        defaults = [ox.NamedNode(iri) for iri in job["default_graphs"]]
        options["default_graph"] = defaults or ox.DefaultGraph()  # the store's: empty
        options["named_graphs"] = [ox.NamedNode(iri) for iri in job["named_graphs"]]
    elif job["union"]:
        options["use_default_graph_as_union"] = True
    if job["bindings"]:
        options["substitutions"] = {
            ox.Variable(name): to_oxigraph(_decode_rdflib(term))
            for name, term in job["bindings"].items()
        }
    try:
        result = store.query(job["text"], **options)
        if isinstance(result, ox.QueryTriples):
            return _encode_triples(job["kind"], result, job["max_rows"]), b""
        if isinstance(result, ox.QueryBoolean):
            return {"kind": "ASK", "boolean": bool(result)}, b""
        try:
            return {"kind": job["kind"], "truncated": False}, _native_results(result, job)
        except _TooManyRows:  # perhaps more than max_rows: evaluated again, cut exactly
            again = store.query(job["text"], **options)
            if not isinstance(again, ox.QuerySolutions):
                raise TypeError(again) from None
            document, truncated = _capped_results(again, job["max_rows"])
            return {"kind": job["kind"], "truncated": truncated}, document
    except SyntaxError as error:
        return {"error": ["syntax", f"Malformed query: {error}"]}, b""
    except MemoryError:
        raise
    except Exception as error:  # Oxigraph's OSError and friends: a query it cannot evaluate
        return {"error": ["evaluation", f"The query could not be evaluated: {error}"]}, b""


def _decode_rdflib(term: list[str | None]) -> URIRef | BNode | Literal:
    decoded = decode(term)
    if not isinstance(decoded, URIRef | BNode | Literal):
        raise TypeError(decoded)
    return decoded


class _TooManyRows(Exception):
    """The answer may hold more rows than max_rows (a bound, not a count)."""


class _RowBound(io.BytesIO):
    """Where Oxigraph writes a SPARQL JSON results document: each row after the first starts
    with ',{', so the rows are at most one more than those; past max_rows it stops the writing
    (Oxigraph streams, so a runaway answer is never written whole). A literal holding ',{'
    only makes the bound looser."""

    def __init__(self, most: int) -> None:
        super().__init__()
        self.most = most
        self.starts = 0
        self.last = b""

    def write(self, data: ReadableBuffer) -> int:
        chunk = bytes(data)
        self.starts += (self.last + chunk[:1]).count(b",{") + chunk.count(b",{")
        self.last = chunk[-1:]
        if self.starts + 1 > self.most:
            raise _TooManyRows
        return super().write(chunk)


def _native_results(result: ox.QuerySolutions, job: Mapping[str, Any]) -> bytes:
    """The answer as Oxigraph writes SPARQL JSON results (in Rust: ~10x faster than encoding
    each term here), with our "truncated" beside the rows."""
    bound = _RowBound(job["max_rows"])
    result.serialize(bound, format=ox.QueryResultsFormat.JSON)
    document = bound.getvalue()
    return document[: document.rindex(b"}")] + b',"truncated":false}'


def _capped_results(result: ox.QuerySolutions, most: int) -> tuple[bytes, bool]:
    """The first `most` rows as SPARQL JSON results, and whether more were cut."""
    names = [variable.value for variable in result.variables]
    rows: list[dict[str, dict[str, str]]] = []
    truncated = False
    for solution in result:
        if len(rows) == most:
            truncated = True
            break
        rows.append(
            {
                name: _json_term(term)
                for name, term in zip(names, solution, strict=True)
                if term is not None
            }
        )
    document = {"head": {"vars": names}, "results": {"bindings": rows}, "truncated": truncated}
    return orjson.dumps(document), truncated


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return {"type": "literal", "value": term.value}
        return {"type": "literal", "value": term.value, "datatype": datatype}
    return {"type": "literal", "value": str(term)}  # a quoted triple (RDF 1.2): as written


def _encode_triples(kind: str, result: ox.QueryTriples, most: int) -> dict[str, Any]:
    triples: list[list[list[str | None] | None]] = []
    for triple in result:
        if len(triples) == most:
            return {"kind": kind, "triples": triples, "truncated": True}
        triples.append([_encode(triple.subject), _encode(triple.predicate), _encode(triple.object)])
    return {"kind": kind, "triples": triples, "truncated": False}


def _encode(term: object) -> list[str | None] | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ["u", term.value]
    if isinstance(term, ox.BlankNode):
        return ["b", term.value]
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype == LANG_STRING:
            return ["l", term.value, term.language, None]
        return ["l", term.value, None, datatype]
    return ["l", str(term), None, None]  # a quoted triple (RDF 1.2): shown as written
