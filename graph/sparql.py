"""The SPARQL endpoint's logic: read a request, and refuse before anything is evaluated.

Queries are evaluated by the embedded Oxigraph store in a worker process (graph/sparql_pool.py)
or by an external store (graph/store.py); what is refused here never reaches either. The
refusals read the query's tokens, not a parse of it: a lexer runs in linear time whatever the
query, so no query can hold the web worker here; Oxigraph parses and reports syntax errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from rdflib.term import Identifier, Node

from graph.errors import InvalidInput, QueryRefused, QueryTooLong, UnsupportedMediaType
from graph.namespaces import BASE, PREFIXES

QUERY_KINDS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
# Keywords only the update language has: a query holding one is an update, refused as such.
UPDATE_WORDS = frozenset(
    ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING")
)
# Oxigraph's parser recurses per group; thousands of nested groups overflow its stack.
MAX_NESTING = 100
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
HEADER = re.compile(r"^#\s*(title|comment):\s*(.+?)\s*$", re.MULTILINE)
_NAME = r"A-Za-z\u00C0-\U000EFFFF"
TOKEN = re.compile(
    rf"""
    (?P<space>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
  | (?P<var>[?$][\w{_NAME}\u00B7]+)
  | (?P<bnode>_:[\w.\-{_NAME}\u00B7]*)
  | (?P<pname>(?:[{_NAME}][\w.\-{_NAME}\u00B7]*)?:
               (?:[\w\-.:%{_NAME}\u00B7]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Limits:
    time_limit_ms: int
    max_rows: int
    max_query_chars: int
    memory_limit_mb: int = 512


@dataclass(frozen=True, slots=True)
class CannedQuery:
    name: str  # the file's stem
    title: str
    comment: str
    text: str


@dataclass(frozen=True, slots=True)
class Dataset:
    """The protocol's default-graph-uri and named-graph-uri: graphs the service holds."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


@dataclass(frozen=True, slots=True)
class ProtocolRequest:
    query: str | None
    dataset: Dataset
    format: str | None  # the format= parameter, beside Accept


@dataclass(frozen=True, slots=True)
class Prepared:
    """A query that passed every refusal: its text, its form and the dataset it asks for."""

    text: str
    kind: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    dataset: Dataset  # from the protocol; empty: the query's own FROM, or every graph
    has_from: bool  # the query names its dataset (FROM, FROM NAMED)
    bindings: Mapping[str, Identifier] | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    kind: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    variables: tuple[str, ...] = ()
    rows: tuple[Mapping[str, Identifier], ...] = ()
    boolean: bool | None = None
    triples: tuple[tuple[Node, Node, Node], ...] = ()
    truncated: bool = False
    elapsed_ms: float = 0.0
    # A SELECT's answer as SPARQL JSON results, as the store wrote it: sent as it is to a
    # client asking for JSON (variables and rows are then filled only when asked for).
    document: bytes = b""


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
    graphs: Collection[str],
) -> ProtocolRequest:
    """The query of a SPARQL 1.1 Protocol query request (None when it has none), its dataset
    (graphs the service holds, else refused) and the format it asks for."""
    media_type, _, parameters = (content_type or "").lower().partition(";")
    media_type = media_type.strip()
    charset = re.search(r"charset\s*=\s*\"?([\w-]+)", parameters)
    params = {name: [value for value in values if value] for name, values in args.items()}
    if method == "POST":
        if charset and charset.group(1) not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(
                f"The body is in {charset.group(1)}; SPARQL requests are UTF-8.", "Content-Type"
            )
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
    dataset = Dataset(
        tuple(
            _held(iri, graphs, "default-graph-uri") for iri in params.get("default-graph-uri", ())
        ),
        tuple(_held(iri, graphs, "named-graph-uri") for iri in params.get("named-graph-uri", ())),
    )
    queries = params.get("query", [])
    if len(queries) > 1:
        raise InvalidInput(f"Give one query; the request has {len(queries)}.", "query")
    formats = params.get("format", [])
    return ProtocolRequest(
        queries[0] if queries else None, dataset, formats[0] if formats else None
    )


def _held(iri: str, graphs: Collection[str], field: str, name: str | None = None) -> str:
    if iri not in graphs:
        held = f"It holds: {', '.join(sorted(graphs))}." if graphs else "It holds none."
        raise QueryRefused(
            f"{name or field} names the graph {iri}, which this service does not hold, and "
            f"it never fetches one. {held}",
            field=field,
        )
    return iri


# --- preparing: refuse before anything runs -------------------------------------------------


def prepare_user_query(
    text: str,
    limits: Limits,
    graphs: Collection[str],
    dataset: Dataset | None = None,
    bindings: Mapping[str, Identifier] | None = None,
) -> Prepared:
    """Refuse what could write, call out, name a graph the service does not hold, or overflow
    the parser; the form (SELECT, ASK, CONSTRUCT, DESCRIBE) of what is left."""
    if len(text) > limits.max_query_chars:
        raise QueryTooLong(
            f"The query has {len(text)} characters; at most {limits.max_query_chars} are accepted.",
            field="query",
        )
    if not text.strip():
        raise InvalidInput(
            "query is empty: give a SELECT, ASK, CONSTRUCT or DESCRIBE query.", "query"
        )
    tokens = [
        (match.lastgroup or "other", match.group())
        for match in TOKEN.finditer(text)
        if match.lastgroup not in ("space", "comment")
    ]
    words = [value.upper() if kind == "word" else "" for kind, value in tokens]
    if UPDATE_WORDS.intersection(words):
        raise QueryRefused(
            "Updates (INSERT, DELETE, LOAD, CLEAR, …) are refused: this endpoint is read-only.",
            field="query",
        )
    if "SERVICE" in words:
        raise QueryRefused("SERVICE is refused: this endpoint never calls out.", field="query")
    _refuse_deep_nesting(tokens)
    kind = next((word for word in words if word in QUERY_KINDS), None)
    if kind is None:
        raise InvalidInput(
            "Malformed query: give a SELECT, ASK, CONSTRUCT or DESCRIBE query.", "query"
        )
    has_from = False
    resolve = _resolver(tokens)
    for index, word in enumerate(words):
        if word not in ("FROM", "GRAPH"):
            continue
        following = tokens[index + 1 : index + 3]
        if word == "FROM" and words[index + 1 : index + 2] == ["NAMED"]:
            following = following[1:]
        if not following or following[0][0] not in ("iri", "pname"):
            continue  # GRAPH ?g, or a syntax error Oxigraph will name
        has_from = has_from or word == "FROM"
        _held(resolve(*following[0]), graphs, "query", word)
    return Prepared(text, kind, dataset or Dataset(), has_from, bindings)


def _refuse_deep_nesting(tokens: Sequence[tuple[str, str]]) -> None:
    depth = deepest = 0
    for kind, value in tokens:
        if kind == "other" and value in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "other" and value in ")}]":
            depth -= 1
    if deepest > MAX_NESTING:
        raise InvalidInput(
            f"The query nests {deepest} levels deep; at most {MAX_NESTING} are accepted.", "query"
        )


def _resolver(tokens: Sequence[tuple[str, str]]) -> Callable[[str, str], str]:
    """Resolves an IRI token or prefixed name as the query's PREFIX and BASE lines say."""
    namespaces = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    base = BASE  # as the worker reads relative IRIs
    for index, (kind, value) in enumerate(tokens):
        upper = value.upper() if kind == "word" else ""
        following = tokens[index + 1 : index + 3]
        if upper == "PREFIX" and len(following) == 2 and following[1][0] == "iri":
            namespaces[following[0][1].rstrip(":")] = urljoin(base, following[1][1][1:-1])
        elif upper == "BASE" and following and following[0][0] == "iri":
            base = urljoin(base, following[0][1][1:-1])

    def resolve(kind: str, value: str) -> str:
        if kind == "iri":
            return urljoin(base, value[1:-1])
        prefix, _, local = value.partition(":")
        return namespaces.get(prefix, f"{prefix}:") + re.sub(r"\\(.)", r"\1", local)

    return resolve
