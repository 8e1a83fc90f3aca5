"""SPARQL for maintainers: the read-only endpoint and its page, the `sparql` and `publish`
commands, and the store they answer from: the embedded Oxigraph store in killable worker
processes (loaded by web/knowledge.py), or the shared store when SPARQL_STORE_URL is set.
The query logic lives in graph/sparql.py and graph/sparql_pool.py; this is only its HTTP
and CLI surface."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from flask import Blueprint, Flask, Response, current_app, render_template, request

from graph import sparql, sparql_formats, sparql_pool, sparql_store
from graph.errors import CheckerError, InvalidInput, NotAcceptable, status_for
from graph.namespaces import PREFIXES
from web.deadline import off_the_slot
from web.errors import prefers_html
from web.knowledge import embedded_store, flask_command, knowledge_of, store_of

if TYPE_CHECKING:  # graph.store is imported only when SPARQL_STORE_URL is set
    from graph.store import SharedStore


def init_app(app: Flask) -> None:
    _register_store(app)
    _register_endpoint(app)
    if embedded_store(app) and flask_command() == "run":
        store_of(app)  # before the server listens: no answer waits for it


def _sparql_limits(app: Flask) -> sparql.Limits:
    return sparql.Limits(
        time_limit_ms=int(app.config["SPARQL_TIME_LIMIT_MS"]),
        max_rows=int(app.config["SPARQL_MAX_ROWS"]),
        max_query_chars=int(app.config["SPARQL_MAX_QUERY_CHARS"]),
        memory_limit_mb=int(app.config["SPARQL_MEMORY_LIMIT_MB"]),
    )


def _register_store(app: Flask) -> None:
    """With SPARQL_STORE_URL, SPARQL goes to that shared store (graph/store.py)."""
    url = app.config["SPARQL_STORE_URL"]
    if not url:
        return
    from graph.store import SharedStore

    shared = SharedStore(
        url,
        app.config["SPARQL_STORE_UPDATE_URL"] or None,
        _sparql_limits(app),
        knowledge_of(app),
        publish=bool(app.config["SPARQL_STORE_PUBLISH"]),
    )
    app.extensions["sparql_store"] = shared
    try:
        shared.ensure_published()
    except CheckerError as error:  # checks need no store: start, and try again on a query
        app.logger.warning("SPARQL store %s: %s", url, error.message)

    @app.cli.command("publish")
    def publish_command() -> None:
        """Replace the knowledge in the SPARQL store (SPARQL_STORE_URL) with knowledge/."""
        try:
            triples = shared.publish()
        except CheckerError as error:
            raise click.ClickException(error.message) from error
        click.echo(f"Published {triples} triples, version {shared.knowledge.version}, to {url}.")


def _graphs() -> tuple[str, ...]:
    """The named graphs queries may name: the embedded store's (the shared store has none)."""
    if current_app.extensions.get("sparql_store") is not None:
        return ()
    return sparql_store.held_graphs(store_of(current_app))


def _run_sparql(
    prepared: sparql.Prepared, limits: sparql.Limits, media_type: str | None = None
) -> sparql.Answer:
    """A query that passed the endpoint's refusals, answered by the shared store if there is
    one, else by a worker process of the embedded store. An answer wanted as SPARQL JSON is
    sent as the store wrote it, never read into terms here."""
    shared: SharedStore | None = current_app.extensions.get("sparql_store")
    if shared is not None:
        return shared.run(prepared.text, prepared.kind, limits)
    pool = sparql_pool.pool_for(store_of(current_app), int(current_app.config["SPARQL_WORKERS"]))
    rows = media_type not in sparql_formats.JSON_RESULTS
    return pool.run(prepared, limits, rows, waiting=off_the_slot)


def _body() -> str:
    try:
        return request.get_data().decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            "The request body is not UTF-8, as SPARQL queries are.", "query"
        ) from error


def _register_endpoint(app: Flask) -> None:
    limits = _sparql_limits(app)
    canned = sparql.read_canned_queries(Path(app.config["KNOWLEDGE_DIR"]) / "queries")

    def negotiate(offered: Sequence[str], asked: str | None = None) -> str | None:
        if asked:  # format= beside Accept, for links and tools that cannot set headers
            return sparql_formats.media_type_for(asked, offered)
        accept = request.accept_mimetypes
        return accept.best_match(offered) if accept else offered[0]  # no Accept: anything goes

    def page(status: int = 200, **context: Any) -> tuple[str, int]:
        return render_template(
            "sparql.html",
            canned=canned,
            limits=limits,
            prefixes=PREFIXES,
            show=sparql_formats.display_term,
            **{"query": "", "answer": None, "error": None, **context},
        ), status

    def service_description(media_type: str) -> Response:
        base = str(app.config["SPARQL_BASE_URL"]).rstrip("/")
        # The configured address, or one relative to the description itself: never the Host
        # header, which a client chooses.
        address = (base or request.script_root) + request.path
        shared: SharedStore | None = current_app.extensions.get("sparql_store")
        graph = sparql_formats.describe_service(
            address,
            limits,
            shared.count() if shared is not None else None,
            {} if shared is not None else sparql_store.graph_sizes(store_of(current_app)),
        )
        return Response(
            sparql_formats.serialise_graph(graph, media_type),
            content_type=sparql_formats.content_type(media_type),
        )

    endpoint = Blueprint("sparql", __name__, cli_group=None)

    @endpoint.route("/sparql", methods=["GET", "POST"])
    def sparql_endpoint() -> Response | tuple[str, int]:
        text: str | None = None
        try:
            graphs = _graphs()
            protocol = sparql.read_protocol_request(
                request.method,
                request.content_type,
                request.args.to_dict(flat=False),
                request.form.to_dict(flat=False),
                _body(),
                graphs,
            )
            text = protocol.query
            if text is None or not text.strip():
                descriptions = (
                    sparql_formats.description_types(bool(app.config["SPARQL_BASE_URL"]))
                    if request.method == "GET"
                    else ()
                )
                media_type = negotiate(
                    [*descriptions, *sparql_formats.RESULT_TYPES, "text/html"], protocol.format
                )
                if media_type == "text/html":
                    return page()
                if media_type is not None and media_type in descriptions:
                    return service_description(media_type)
                raise InvalidInput(
                    "query is required: GET /sparql?query=… or POST it (SPARQL 1.1 Protocol).",
                    "query",
                )
            prepared = sparql.prepare_user_query(text, limits, graphs, protocol.dataset)
            kind = prepared.kind
            media_type = negotiate(
                [*sparql_formats.media_types(kind), "text/html"], protocol.format
            )
            if media_type is None:
                offered = ", ".join(sparql_formats.media_types(kind))
                field = "format" if protocol.format else "Accept"
                raise NotAcceptable(f"{kind} answers come as {offered}.", field)
            answer = _run_sparql(prepared, limits, media_type)
        except CheckerError as error:
            if prefers_html():
                return page(status_for(error), query=text or "", error=error)
            raise
        if media_type == "text/html":
            graph = answer.kind in ("CONSTRUCT", "DESCRIBE")
            turtle = sparql_formats.serialise(answer, "text/turtle").decode() if graph else None
            return page(query=text, answer=answer, turtle=turtle)
        response = Response(
            sparql_formats.serialise(answer, media_type),
            content_type=sparql_formats.content_type(media_type),
        )
        if answer.truncated:
            response.headers["X-Results-Truncated"] = "true"
        return response

    @endpoint.after_app_request  # also on errors no route of ours answered (405, 413)
    def sparql_headers(response: Response) -> Response:
        if request.path == "/sparql":
            response.vary.add("Accept")
            if request.method in ("GET", "HEAD"):  # browser tools (YASGUI) may read GET answers
                response.headers["Access-Control-Allow-Origin"] = "*"
                response.headers["Access-Control-Expose-Headers"] = "X-Results-Truncated"
        return response

    @endpoint.cli.command("sparql")
    @click.argument("query", required=False)
    @click.option(
        "--file",
        "query_file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Read the query from a file, e.g. knowledge/queries/rules-on-day.rq.",
    )
    @click.option(
        "--format",
        "output_format",
        type=click.Choice(["csv", "json"]),
        default="csv",
        show_default=True,
        help="SELECT/ASK: CSV or SPARQL JSON results; CONSTRUCT/DESCRIBE: Turtle or JSON-LD.",
    )
    def sparql_command(query: str | None, query_file: Path | None, output_format: str) -> None:
        """Run a read-only SPARQL query on the knowledge, under the endpoint's limits."""
        if (query is None) == (query_file is None):
            raise click.UsageError("Give a query, or --file with one; not both.")
        text = query if query is not None else Path(str(query_file)).read_text(encoding="utf-8")
        try:
            prepared = sparql.prepare_user_query(text, limits, _graphs())
            answer = _run_sparql(prepared, limits)
        except CheckerError as error:
            raise click.ClickException(f"{error.field}: {error.message}") from error
        tables = {"csv": "text/csv", "json": "application/sparql-results+json"}
        graphs = {"csv": "text/turtle", "json": "application/ld+json"}
        media_type = (tables if answer.kind in ("SELECT", "ASK") else graphs)[output_format]
        click.echo(sparql_formats.serialise(answer, media_type).decode("utf-8"), nl=False)
        if answer.truncated:
            click.echo(f"Truncated at {limits.max_rows} rows (SPARQL_MAX_ROWS).", err=True)

    app.register_blueprint(endpoint)
