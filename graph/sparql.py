"""The SPARQL endpoint's logic: read a request, refuse before evaluating, run under limits."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

from rdflib import Graph, Literal, URIRef
from rdflib.graph import _ContextType, _TriplePatternType, _TripleType
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import ResultRow
from rdflib.store import Store
from rdflib.term import Identifier, Node

from graph.errors import (
    CheckerError,
    InvalidInput,
    InvalidValue,
    QueryRefused,
    QueryTimeout,
    QueryTooLong,
    UnsupportedMediaType,
)
from graph.namespaces import PREFIXES

# VALUES rows join without reading a triple, so the deadline never sees them: cap their product.
MAX_VALUES_COMBINATIONS = 100_000
QUERY_KINDS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
HEADER = re.compile(r"^#\s*(title|comment):\s*(.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Limits:
    time_limit_ms: int
    max_rows: int
    max_query_chars: int


@dataclass(frozen=True, slots=True)
class CannedQuery:
    name: str  # the file's stem
    title: str
    comment: str
    text: str


@dataclass(frozen=True, slots=True)
class Answer:
    kind: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    variables: tuple[str, ...] = ()
    rows: tuple[Mapping[str, Identifier], ...] = ()
    boolean: bool | None = None
    triples: tuple[tuple[Node, Node, Node], ...] = ()
    truncated: bool = False
    elapsed_ms: float = 0.0


def read_canned_queries(directory: Path) -> tuple[CannedQuery, ...]:
    """The queries of knowledge/queries/*.rq with their `# title:` and `# comment:` lines."""
    canned = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header = dict(HEADER.findall(text))
        canned.append(
            CannedQuery(path.stem, header.get("title", path.stem), header.get("comment", ""), text)
        )
    return tuple(canned)


# --- the protocol: which query a request carries --------------------------------------------


def read_protocol_request(
    method: str,
    content_type: str | None,
    args: Mapping[str, Sequence[str]],
    form: Mapping[str, Sequence[str]],
    body: str,
) -> str | None:
    """The query text of a SPARQL 1.1 Protocol query request, or None when it has none."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    params = {name: [value for value in values if value] for name, values in args.items()}
    if method == "POST":
        if media_type == UPDATE:
            raise QueryRefused("Updates are refused: this endpoint is read-only.", field="update")
        if media_type == DIRECT:
            if params.get("query"):
                raise InvalidInput(
                    "Give the query once: in the body or as query=, not both.", "query"
                )
            params["query"] = [body]
        elif media_type == FORM or media_type.startswith("multipart/form-data"):
            for name, values in form.items():
                params.setdefault(name, []).extend(value for value in values if value)
        else:
            raise UnsupportedMediaType(
                f"POST a query as {FORM} (query=…) or as {DIRECT}; not {media_type or 'no type'}.",
                field="Content-Type",
            )
    if params.get("update"):
        raise QueryRefused("Updates are refused: this endpoint is read-only.", field="update")
    for name in ("default-graph-uri", "named-graph-uri"):
        if params.get(name):
            raise QueryRefused(
                f"{name} is refused: this service answers from its own knowledge graph and never "
                "fetches another. Leave it out.",
                field=name,
            )
    queries = params.get("query", [])
    if len(queries) > 1:
        raise InvalidInput(f"Give one query; the request has {len(queries)}.", "query")
    return queries[0] if queries else None


# --- preparing: parse, then refuse before anything runs -------------------------------------


def prepare_user_query(text: str, limits: Limits) -> Query:
    """Parse a query from a user and refuse what could write, call out, or never end."""
    if len(text) > limits.max_query_chars:
        raise QueryTooLong(
            f"The query has {len(text)} characters; at most {limits.max_query_chars} are accepted.",
            field="query",
        )
    if not text.strip():
        raise InvalidInput(
            "query is empty: give a SELECT, ASK, CONSTRUCT or DESCRIBE query.", "query"
        )
    try:
        query = prepareQuery(text, initNs=PREFIXES)  # the query grammar only: updates fail here
    except RecursionError as error:
        raise InvalidInput("The query nests too deeply to parse; split it up.", "query") from error
    except Exception as error:  # pyparsing's ParseException, or rdflib's for an unknown prefix
        if _is_update(text):
            raise QueryRefused(
                "Updates (INSERT, DELETE, LOAD, CLEAR, …) are refused: this endpoint is read-only.",
                field="query",
            ) from error
        raise InvalidInput(f"Malformed query: {error}", "query") from error
    refuse_unsafe(query)
    return query


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)  # parsing only; nothing is ever evaluated
    except Exception:
        return False
    return True


def refuse_unsafe(query: Query) -> None:
    """Raise QueryRefused for anything that would leave the server or run without a bound."""
    algebra = query.algebra
    if algebra.get("datasetClause"):
        raise QueryRefused(
            "FROM and FROM NAMED are refused: this service answers from its own knowledge graph "
            "and never fetches another. Leave them out.",
            field="query",
        )
    combinations = 1
    for node in _nodes(algebra):
        if node.name == "ServiceGraphPattern":
            raise QueryRefused("SERVICE is refused: this endpoint never calls out.", field="query")
        if node.name == "Graph":
            raise QueryRefused(
                "GRAPH is not supported: the knowledge is one default graph, with no named graphs.",
                field="query",
            )
        if node.name in ("Builtin_REGEX", "Builtin_REPLACE"):
            _refuse_slow_pattern(node.get("pattern"))
        if node.name == "values":
            combinations *= max(1, len(node.get("res") or ()))
    if combinations > MAX_VALUES_COMBINATIONS:
        raise QueryRefused(
            f"The VALUES blocks make {combinations:,} combinations; at most "
            f"{MAX_VALUES_COMBINATIONS:,} are accepted.",
            field="query",
        )


def _nodes(algebra: CompValue) -> Iterator[CompValue]:
    """Every node of a query's algebra, expressions and EXISTS patterns included."""
    stack: list[object] = [algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            yield node
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)


def _refuse_slow_pattern(pattern: object) -> None:
    # Python's regular expressions backtrack, and a group that repeats while its inside repeats
    # or alternates, like (a+)+ or (a|aa)*, can take exponential time inside C, past any deadline.
    if not isinstance(pattern, Literal):
        raise QueryRefused(
            "A REGEX or REPLACE pattern must be a string written in the query.", field="query"
        )
    if _has_nested_repetition(str(pattern)):
        raise QueryRefused(
            f"The pattern {str(pattern)!r} repeats a group that itself repeats or alternates, "
            "which can take exponential time; simplify it.",
            field="query",
        )


def _has_nested_repetition(pattern: str) -> bool:
    open_groups: list[bool] = []  # per open group: does its inside repeat or alternate?
    closed_inner = False  # the group that just closed had a repeat or alternative inside
    index = 0
    while index < len(pattern):
        char = pattern[index]
        repeats = char in "*+" or (char == "{" and re.match(r"\{\d*,", pattern[index:]) is not None)
        if repeats and closed_inner:
            return True
        closed_inner = False
        if char == "\\":
            index += 1
        elif char == "[":
            end = re.match(r"\[\^?\]?(?:\\.|[^\]\\])*\]", pattern[index:])
            index += len(end.group(0)) - 1 if end else 0
        elif char == "(":
            open_groups.append(False)
        elif char == ")" and open_groups:
            closed_inner = open_groups.pop()
            if open_groups and closed_inner:
                open_groups[-1] = True
        elif (repeats or char == "|") and open_groups:
            open_groups[-1] = True
        index += 1
    return False


def query_kind(query: Query) -> str:
    return QUERY_KINDS[query.algebra.name]


# --- running: a deadline rdflib does not have ----------------------------------------------


class Deadline:
    def __init__(self, limit_ms: int) -> None:
        self.limit_ms = limit_ms
        self._end = time.monotonic() + limit_ms / 1000

    def check(self) -> None:
        if time.monotonic() > self._end:
            raise QueryTimeout(
                f"The query ran past the time limit of {self.limit_ms} ms and was stopped.",
                field="query",
            )


class DeadlineStore(Store):
    """A read-only view of a graph that checks the deadline on every triple it reads.

    rdflib's evaluator pulls every solution through triples(), so a runaway join stops here.
    """

    def __init__(self, graph: Graph, deadline: Deadline) -> None:
        super().__init__()
        self._graph = graph
        self._deadline = deadline
        self._namespaces: dict[str, URIRef] = {}  # bind() lands here, never on the shared graph

    def triples(
        self, triple_pattern: _TriplePatternType, context: _ContextType | None = None
    ) -> Iterator[tuple[_TripleType, Iterator[_ContextType | None]]]:
        for triple in self._graph.triples(triple_pattern):
            self._deadline.check()
            yield triple, iter(())

    def __len__(self, context: _ContextType | None = None) -> int:
        return len(self._graph)

    def add(self, triple: _TripleType, context: _ContextType, quoted: bool = False) -> None:
        raise QueryRefused("The knowledge graph is read-only.", field="query")

    def remove(self, triple: _TriplePatternType, context: _ContextType | None = None) -> None:
        raise QueryRefused("The knowledge graph is read-only.", field="query")

    def bind(self, prefix: str, namespace: URIRef, override: bool = True) -> None:
        self._namespaces[prefix] = namespace

    def namespace(self, prefix: str) -> URIRef | None:
        return self._namespaces.get(prefix)

    def prefix(self, namespace: URIRef) -> str | None:
        return next((p for p, n in self._namespaces.items() if n == namespace), None)

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        yield from self._namespaces.items()


def run_query(
    graph: Graph, query: Query, limits: Limits, bindings: Mapping[str, Identifier] | None = None
) -> Answer:
    """Evaluate a prepared query under the time limit, keeping at most max_rows results."""
    deadline = Deadline(limits.time_limit_ms)
    view = Graph(store=DeadlineStore(graph, deadline), bind_namespaces="none")
    started = time.perf_counter()
    try:
        result = view.query(query, initBindings=bindings, use_store_provided=False)
        if result.type == "SELECT":
            rows: list[Mapping[str, Identifier]] = []
            truncated = False
            for row in cast(Iterator[ResultRow], iter(result)):  # lazily: stop at the limit
                deadline.check()
                if len(rows) == limits.max_rows:
                    truncated = True
                    break
                rows.append(row.asdict())
            answer = Answer(
                "SELECT",
                variables=tuple(str(variable) for variable in result.vars or ()),
                rows=tuple(rows),
                truncated=truncated,
            )
        elif result.type == "ASK":
            answer = Answer("ASK", boolean=bool(result.askAnswer))
        else:
            found = result.graph if result.graph is not None else Graph()
            kept = tuple(itertools.islice(found, limits.max_rows + 1))
            answer = Answer(
                result.type,
                triples=kept[: limits.max_rows],
                truncated=len(kept) > limits.max_rows,
            )
    except CheckerError:
        raise
    except RecursionError as error:
        raise InvalidValue(
            "The query nests too deeply to evaluate; flatten it.", "query"
        ) from error
    except Exception as error:  # rdflib raises plain Exceptions for queries it cannot evaluate
        raise InvalidValue(f"The query could not be evaluated: {error}", "query") from error
    return replace(answer, elapsed_ms=(time.perf_counter() - started) * 1000)
