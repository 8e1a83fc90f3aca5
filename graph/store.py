"""Scale-out: the knowledge in an external SPARQL 1.1 server that stateless replicas share.

With SPARQL_STORE_URL set, the app publishes its knowledge graph to the server (unless the
server already holds this knowledge version) and answers SPARQL through rdflib's
SPARQLUpdateStore pointed at it, so no replica parses or holds the graph. The checks never
touch the store: every replica reads its own compiled index, as always.

The endpoint's refusals (updates, LOAD, SERVICE, and FROM, GRAPH or dataset parameters, as
the store holds no named graph a query may see) run in the replica before anything is sent;
the time and row limits hold on the way back: the answer is read as it streams and the
connection dropped at the limit.
"""

from __future__ import annotations

import io
import threading
import time
import urllib.error
import urllib.request
from http.client import HTTPResponse
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS
from rdflib.plugins.sparql.results.tsvresults import TSVResultParser
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from rdflib.query import Result

from graph.errors import InvalidInput, QueryTimeout, StoreUnavailable
from graph.index import Knowledge
from graph.namespaces import PREFIXES
from graph.sparql import Answer, Limits

# Where the store records which knowledge it holds: a named graph user queries never see
# (the endpoint refuses GRAPH, and the default graph is not the union of the named ones).
META_GRAPH = URIRef("urn:aftercare-checker:meta")
KNOWLEDGE_NODE = URIRef("urn:aftercare-checker:knowledge")
VERSION_QUERY = (
    f"SELECT ?version WHERE {{ GRAPH {META_GRAPH.n3()} "
    f"{{ {KNOWLEDGE_NODE.n3()} {DCTERMS.hasVersion.n3()} ?version }} }}"
)
TSV = "text/tab-separated-values"  # one row a line: read as it streams, stop at the limit
NTRIPLES = "application/n-triples"  # one triple a line, likewise
ACCEPT = (
    f"{TSV}, {NTRIPLES};q=0.9"  # SELECT and ASK come as TSV, CONSTRUCT and DESCRIBE as N-Triples
)
PUBLISH_TIMEOUT_SECONDS = 600
MESSAGE_CHARS = 500  # of a store's error message, passed on


class Deadline:
    def __init__(self, limit_ms: int) -> None:
        self.limit_ms = limit_ms
        self._end = time.monotonic() + limit_ms / 1000

    def check(self) -> None:
        if time.monotonic() > self._end:
            raise _timeout(self)


class StoreResult(Result):
    truncated: bool = False


class RemoteStore(SPARQLUpdateStore):
    """rdflib's SPARQLUpdateStore, with the endpoint's time and row limits on every query."""

    def __init__(self, query_url: str, update_url: str, limits: Limits) -> None:
        super().__init__(query_endpoint=query_url, update_endpoint=update_url, context_aware=False)
        self.limits = limits

    def _query(self, *args: Any, **kwargs: Any) -> Result:
        """Every read of SPARQLStore (Graph.query, len, triples) lands here."""
        text: str = args[0] if args else kwargs["query"]
        deadline = Deadline(self.limits.time_limit_ms)
        request = urllib.request.Request(
            str(self.query_endpoint),
            data=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": ACCEPT},
        )
        with _open(request, self.limits.time_limit_ms / 1000, deadline) as response:
            media_type = response.headers.get_content_type()
            try:
                if media_type == NTRIPLES:
                    return self._graph_result(response, deadline)
                if media_type == TSV:
                    return self._table_result(response, deadline)
            except TimeoutError as error:
                raise _timeout(deadline) from error
        raise StoreUnavailable(f"The SPARQL store answered in {media_type}, not {ACCEPT}.")

    def _table_result(self, response: HTTPResponse, deadline: Deadline) -> Result:
        header = response.readline().decode("utf-8")
        if not header.endswith("\n") and header.strip() in ("true", "false"):
            result = StoreResult("ASK")
            result.askAnswer = header.strip() == "true"
            return result
        rows = _read_lines(response, self.limits.max_rows + 1, deadline)
        text = header + "".join(rows[: self.limits.max_rows])
        try:
            parsed = TSVResultParser().parse(io.StringIO(text))  # type: ignore[no-untyped-call]
        except Exception as error:  # the store gave up mid-answer and said so in plain text
            said = next((line for line in (header, *rows) if not line.startswith(("?", "<"))), "")
            if any(word in said.lower() for word in ("time", "cancel")):
                raise _timeout(deadline) from error
            raise StoreUnavailable(f"The SPARQL store answered: {said[:MESSAGE_CHARS]}") from error
        result = StoreResult("SELECT")
        result.vars = parsed.vars
        result.bindings = parsed.bindings
        result.truncated = len(rows) > self.limits.max_rows
        return result

    def _graph_result(self, response: HTTPResponse, deadline: Deadline) -> Result:
        lines = _read_lines(response, self.limits.max_rows + 1, deadline)
        result = StoreResult("CONSTRUCT")
        result.graph = Graph(bind_namespaces="none").parse(
            data="".join(lines[: self.limits.max_rows]), format="nt"
        )
        result.truncated = len(lines) > self.limits.max_rows
        return result

    def _update(self, update: str) -> None:
        """SPARQLUpdateStore's commit() sends its updates here: one request, one transaction."""
        request = urllib.request.Request(
            str(self.update_endpoint),
            data=update.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=UTF-8"},
        )
        deadline = Deadline(PUBLISH_TIMEOUT_SECONDS * 1000)
        with _open(request, PUBLISH_TIMEOUT_SECONDS, deadline) as response:
            response.read()


def _open(request: urllib.request.Request, timeout: float, deadline: Deadline) -> HTTPResponse:
    try:
        response: HTTPResponse = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        message = error.read(MESSAGE_CHARS * 4).decode("utf-8", "replace").strip()
        message = message[:MESSAGE_CHARS]
        if error.code == 400:  # the store's parser: the replica's refusals do not parse
            raise InvalidInput(f"Malformed query: {message}", "query") from error
        raise StoreUnavailable(f"The SPARQL store answered {error.code}: {message}") from error
    except TimeoutError as error:
        raise _timeout(deadline) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            raise _timeout(deadline) from error
        raise StoreUnavailable(f"The SPARQL store is unreachable: {reason}") from error
    return response


def _timeout(deadline: Deadline) -> QueryTimeout:
    return QueryTimeout(
        f"The query ran past the time limit of {deadline.limit_ms} ms and was stopped.",
        field="query",
    )


def _read_lines(response: HTTPResponse, most: int, deadline: Deadline) -> list[str]:
    """Up to `most` lines as they stream in; the rest is never read."""
    lines: list[str] = []
    while len(lines) < most:
        line = response.readline()
        if not line:
            break
        deadline.check()
        lines.append(line.decode("utf-8"))
    return lines


def run_query(store: RemoteStore, text: str, kind: str, limits: Limits) -> Answer:
    """Answer a query that passed the endpoint's refusals, as graph.sparql.run_query would."""
    started = time.perf_counter()
    graph = Graph(store=store, identifier=DATASET_DEFAULT_GRAPH_ID, bind_namespaces="none")
    # The endpoint takes the project's prefixes without PREFIX lines; SPARQLStore declares them.
    result = graph.query(text, initNs=PREFIXES)
    if not isinstance(result, StoreResult):
        raise TypeError("a RemoteStore answers with StoreResult")
    if kind == "SELECT":
        answer = Answer(
            "SELECT",
            variables=tuple(str(variable) for variable in result.vars or ()),
            rows=tuple(
                {str(name): value for name, value in row.items()} for row in result.bindings
            ),
            truncated=result.truncated,
        )
    elif kind == "ASK":
        answer = Answer("ASK", boolean=bool(result.askAnswer))
    else:
        found = result.graph if result.graph is not None else Graph()
        answer = Answer(kind, triples=tuple(found), truncated=result.truncated)
    return Answer(
        answer.kind,
        answer.variables,
        answer.rows,
        answer.boolean,
        answer.triples,
        answer.truncated,
        (time.perf_counter() - started) * 1000,
    )


class SharedStore:
    """The external store one app replica uses: connected, and publishing when it must."""

    def __init__(
        self,
        query_url: str,
        update_url: str | None,
        limits: Limits,
        knowledge: Knowledge,
        publish: bool,
    ) -> None:
        if update_url is None:
            update_url = (
                query_url.removesuffix("/query") + "/update"
                if query_url.endswith("/query")
                else query_url
            )
        self.remote = RemoteStore(query_url, update_url, limits)
        self.knowledge = knowledge
        self.publish_on_start = publish
        self._ready = False
        self._lock = threading.Lock()

    @property
    def graph(self) -> Graph:
        return Graph(store=self.remote, identifier=DATASET_DEFAULT_GRAPH_ID, bind_namespaces="none")

    def count(self) -> int:
        """How many triples the store's default graph holds (the service description's)."""
        return len(self.graph)

    def published_version(self) -> str | None:
        found = self.graph.query(VERSION_QUERY)
        versions = sorted(str(row[0]) for row in found)  # type: ignore[index]
        return versions[0] if versions else None

    def publish(self) -> int:
        """Replace what the store holds with this knowledge, in one update; the triple count.

        A query running meanwhile sees the old knowledge or the new, never half of each.
        """
        graph = self.knowledge.graph
        data = graph.serialize(format="nt")
        version = Literal(self.knowledge.version)
        self.remote.update(
            "DROP SILENT DEFAULT ;\n"
            f"DROP SILENT GRAPH {META_GRAPH.n3()} ;\n"
            f"INSERT DATA {{\n{data}\n}} ;\n"
            f"INSERT DATA {{ GRAPH {META_GRAPH.n3()} "
            f"{{ {KNOWLEDGE_NODE.n3()} {DCTERMS.hasVersion.n3()} {version.n3()} }} }}"
        )
        return len(graph)

    def ensure_published(self) -> None:
        """Once per process: publish unless the store already holds this knowledge version."""
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            if self.publish_on_start and (
                not self.knowledge.version or self.published_version() != self.knowledge.version
            ):
                self.publish()
            self._ready = True

    def run(self, text: str, kind: str, limits: Limits) -> Answer:
        self.ensure_published()
        return run_query(self.remote, text, kind, limits)
