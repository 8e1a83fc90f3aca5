"""Aftercare Checker web app: the Flask factory and its routes, nothing else."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import click
from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from graph import professional, report, shelf, sparql, sparql_formats
from graph.calendar import Plan, build_plan, format_date, group_by_okay_day, plan_ics
from graph.engine import MAX_DAY, Verdict, day_overview, iso_date, resolve_day, whole_number
from graph.errors import (
    CheckerError,
    FileTooLarge,
    ImageTooLarge,
    InvalidInput,
    InvalidValue,
    KnowledgeInvalid,
    NotAcceptable,
    status_for,
)
from graph.index import Knowledge
from graph.labels import MAX_LABEL_CHARS
from graph.loader import CACHE_DIR, load_knowledge
from graph.match import search_ingredients
from graph.model import Concept
from graph.namespaces import PREFIXES
from graph.ocr import read_label_photo
from graph.rangechart import compare_chart, procedure_charts
from graph.requests import MAX_BATCH_PRODUCTS, run_batch, run_check
from graph.timeline import layout_timeline
from web.json_provider import OrjsonProvider

if TYPE_CHECKING:  # graph.store is imported only when SPARQL_STORE_URL is set
    from rdflib import Graph
    from rdflib.plugins.sparql.sparql import Query

    from graph.store import SharedStore

DEFAULTS: dict[str, Any] = {
    "KNOWLEDGE_DIR": Path(__file__).resolve().parent / "knowledge",
    "KNOWLEDGE_CACHE_DIR": CACHE_DIR,  # compiled knowledge by content hash; empty: no cache
    "MAX_LABEL_CHARS": MAX_LABEL_CHARS,  # a label longer than this is refused (413)
    "MAX_CONTENT_LENGTH": 256 * 1024,  # bytes of a whole request body
    "INGREDIENT_SEARCH_LIMIT": 50,  # most ingredients one search returns
    "MAX_BATCH_PRODUCTS": MAX_BATCH_PRODUCTS,  # most products one shelf check takes
    "MAX_IMAGE_BYTES": 8 * 1024 * 1024,  # largest label photo accepted (413); never stored
    "MAX_IMAGE_PIXELS": 50_000_000,  # a photo with more pixels is refused (413)
    "OCR_TIMEOUT_SECONDS": 20,  # tesseract gives up on a photo after this long
    "CLASS_MEMBERS_PER_PAGE": 50,  # ingredients a class page lists at once (curated first)
    "SHELF_FORM_ROWS": shelf.FORM_ROWS,  # empty product rows the shelf form offers
    "MAX_SHELF_CSV_BYTES": shelf.MAX_CSV_BYTES,  # largest shelf CSV upload (413)
    "SPARQL_TIME_LIMIT_MS": 10_000,  # a SPARQL query running longer is stopped (503)
    "SPARQL_MAX_ROWS": 10_000,  # rows (or triples) a SPARQL answer keeps; more: truncated
    "SPARQL_MAX_QUERY_CHARS": 10_000,  # a longer SPARQL query is refused (413)
    "SPARQL_STORE_URL": "",  # an external SPARQL 1.1 query endpoint to answer SPARQL through
    "SPARQL_STORE_UPDATE_URL": "",  # its update endpoint; empty: the query URL's .../update
    "SPARQL_STORE_PUBLISH": True,  # on start, publish the knowledge there unless it holds it
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.json = OrjsonProvider(app)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("AFTERCARE")
    app.config.update(config or {})
    cache = app.config["KNOWLEDGE_CACHE_DIR"]
    knowledge = app.config.get("KNOWLEDGE") or load_knowledge(
        Path(app.config["KNOWLEDGE_DIR"]), cache_dir=Path(cache) if cache else None
    )
    app.extensions["knowledge"] = knowledge
    app.register_error_handler(CheckerError, _checker_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    app.add_template_filter(_day_date, "day_date")
    app.add_template_filter(_short_date, "short_date")
    app.add_template_filter(group_by_okay_day, "group_by_okay_day")
    _register_pages(app)
    _register_plan(app)
    _register_ingredient_pages(app)
    _register_professional(app)
    _register_api(app)
    _register_cli(app)
    _register_service(app)
    _register_store(app)
    _register_sparql(app)
    return app


def knowledge() -> Knowledge:
    found: Knowledge = current_app.extensions["knowledge"]
    return found


# --- errors: one shape, {"error", "field"}, never a stack trace ---------------------------


def _wants_json() -> bool:
    if request.path == "/sparql":  # SPARQL clients read errors as JSON; a browser gets a page
        return not _prefers_html()
    return request.path.startswith("/api/")


def _prefers_html() -> bool:
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


def _error_response(message: str, field: str | None, status: int) -> tuple[Response | str, int]:
    if _wants_json():
        return jsonify(error=message, field=field), status
    return render_template("error.html", message=message, status=status), status


def _checker_error(error: CheckerError) -> tuple[Response | str, int]:
    return _error_response(error.message, error.field, status_for(error))


def _http_error(error: HTTPException) -> tuple[Response | str, int]:
    status = error.code or 500
    message = {413: "The request is too large."}.get(status, error.description or error.name)
    return _error_response(message, None, status)


def _unexpected_error(error: Exception) -> tuple[Response | str, int]:
    current_app.logger.exception("Unexpected error", exc_info=error)
    return _error_response("Something went wrong on our side; nothing was saved.", None, 500)


# --- JSON API ------------------------------------------------------------------------------


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput(
            "The body must be a JSON object (Content-Type: application/json).", "body"
        )
    return body


def _check(values: Mapping[str, Any]) -> tuple[dict[str, Any], Any]:
    """Run a check from request values; returns the JSON answer and the verdict."""
    return run_check(knowledge(), values, current_app.config["MAX_LABEL_CHARS"])


def _register_api(app: Flask) -> None:
    @app.post("/api/check")
    def api_check() -> Response:
        answer, _ = _check(_json_body())
        return jsonify(answer)

    @app.post("/api/check/batch")
    def api_check_batch() -> Response:
        return jsonify(
            run_batch(
                knowledge(),
                _json_body(),
                app.config["MAX_LABEL_CHARS"],
                app.config["MAX_BATCH_PRODUCTS"],
            )
        )

    @app.get("/api/procedures")
    def api_procedures() -> Response:
        return jsonify(procedures=professional.procedure_list_json(knowledge()))

    @app.get("/api/procedures/<procedure_id>")
    def api_procedure(procedure_id: str) -> Response:
        return jsonify(report.procedure_json(knowledge(), knowledge().procedure(procedure_id)))

    @app.get("/api/procedures/<procedure_id>/days/<day>")
    def api_day(procedure_id: str, day: str) -> Response:
        number = whole_number(day)
        if number is None:
            raise InvalidInput("day must be a whole number (0 is the procedure day).", "day")
        overview = day_overview(knowledge(), procedure_id, resolve_day(number, None, None))
        return jsonify(report.day_json(knowledge(), overview))

    @app.get("/api/ingredients")
    def api_ingredients() -> Response:
        query = request.args.get("q", "").strip()
        if not query:
            raise InvalidInput("q is required: part of an ingredient name.", "q")
        found = search_ingredients(knowledge(), query, app.config["INGREDIENT_SEARCH_LIMIT"])
        return jsonify(
            query=query,
            ingredients=[
                {
                    "id": c.id,
                    "label": c.label,
                    "synonyms": list(c.alt_labels),
                    "classes": report.classes_of(knowledge(), c),
                }
                for c in found
            ],
        )

    @app.get("/api/ingredients/<ingredient_id>")
    def api_ingredient(ingredient_id: str) -> Response:
        concept = knowledge().concept("ingredient", ingredient_id, "id")
        return jsonify(report.ingredient_json(knowledge(), concept))


# --- HTML pages ----------------------------------------------------------------------------


def _register_pages(app: Flask) -> None:
    @app.route("/", methods=["GET", "POST"])
    def index() -> str | tuple[str, int]:
        values = _form_values()
        conditions = _form_list("conditions")
        context = _page_context(values, conditions)
        if "ingredients" in values:
            try:
                context.update(_answer_context(context["form"], conditions))
            except CheckerError as error:
                context["error"] = error
                return render_template("index.html", **context), status_for(error)
            shared = [(k, v) for k, v in values.items() if k != "conditions"]
            context["share"] = urlencode(shared + [("conditions", c) for c in conditions])
        return render_template("index.html", **context)

    @app.post("/label-photo")
    def label_photo() -> tuple[str, int]:
        """Read a label photo into the form for the person to correct; the photo is not kept."""
        limit = app.config["MAX_IMAGE_BYTES"]
        # A photo is far bigger than any other request body: raise the cap for this route only.
        request.max_content_length = limit + app.config["MAX_CONTENT_LENGTH"]
        try:
            values = _form_values()
            upload = request.files.get("photo")
            context = _page_context(values)
            data = upload.read(limit + 1) if upload is not None else b""
            text = read_label_photo(
                data, limit, app.config["MAX_IMAGE_PIXELS"], app.config["OCR_TIMEOUT_SECONDS"]
            )
        except RequestEntityTooLarge:
            context = _page_context({})
            error: CheckerError = ImageTooLarge(
                f"The photo is larger than {limit / 1024 / 1024:.0f} MB; send a smaller one.",
                "photo",
            )
        except CheckerError as caught:
            error = caught
        else:
            context["form"]["ingredients"] = text
            context["photo_read"] = True
            return render_template("index.html", **context), 200
        context["error"] = error
        return render_template("index.html", **context), status_for(error)


def _form_values() -> dict[str, str]:
    source = request.form if request.method == "POST" else request.args
    return {key: value for key, value in source.items() if value and isinstance(value, str)}


def _form_list(name: str) -> list[str]:
    """Every value of a repeated field (checkboxes), in the order sent."""
    source = request.form if request.method == "POST" else request.args
    return [value for value in source.getlist(name) if value]


def _page_context(values: Mapping[str, str], conditions: Sequence[str] = ()) -> dict[str, Any]:
    procedures = sorted(knowledge().procedures.values(), key=lambda p: p.label.casefold())
    default = "microneedling" if "microneedling" in knowledge().procedures else procedures[0].id
    form = {"procedure": default, "when": "date", "procedure_date": date.today().isoformat()}
    form.update(values)
    if form.get("when") == "day":
        form.pop("procedure_date", None)
    return {
        "form": form,
        "procedures": procedures,
        "product_types": sorted(knowledge().of_kind("product-type"), key=lambda c: c.label),
        "conditions": sorted(knowledge().of_kind("condition"), key=lambda c: c.label.casefold()),
        "chosen_conditions": list(conditions),
        "result": None,
        "error": None,
        "photo_read": False,
        "today": date.today().isoformat(),
        "max_image_mb": round(current_app.config["MAX_IMAGE_BYTES"] / 1024 / 1024),
    }


def _answer_context(form: Mapping[str, str], conditions: Sequence[str] = ()) -> dict[str, Any]:
    """The answer, what applies today and the recovery calendar, for the form's values."""
    checked: dict[str, Any] = {**form}
    checked.pop("conditions", None)
    checked["from_clinic"] = form.get("from_clinic") == "yes"
    if conditions:
        checked["conditions"] = list(conditions)  # the answer then carries its warnings
    if form.get("when") == "day":
        checked["day"] = _day_from_form(form.get("day"))
    else:
        checked.pop("day", None)
    answer, verdict = _check(checked)
    found: Verdict = verdict
    start = date.fromisoformat(answer["procedure_date"]) if "procedure_date" in answer else None
    overview = day_overview(knowledge(), found.procedure.id, found.day)
    plan = build_plan(knowledge(), found.procedure.id, start, found.day)
    return {
        "result": answer,
        "verdict": found,
        "overview": report.day_json(knowledge(), overview),
        "plan": plan,
        "timeline": layout_timeline(plan),
        # With only a day number, the procedure was that many days before today.
        "plan_date": (start or date.today() - timedelta(days=found.day)).isoformat(),
    }


def _register_ingredient_pages(app: Flask) -> None:
    @app.get("/ingredients")
    def ingredients_page() -> str:
        query = request.args.get("q", "").strip()
        found = search_ingredients(knowledge(), query, app.config["INGREDIENT_SEARCH_LIMIT"])
        items = [
            {"id": c.id, "label": c.label, "classes": report.classes_of(knowledge(), c)}
            for c in found
        ]
        return render_template("ingredients.html", query=query, found=items)

    @app.get("/ingredients/<ingredient_id>")
    def ingredient_page(ingredient_id: str) -> str:
        concept = knowledge().concept("ingredient", ingredient_id, "id")
        return render_template(
            "ingredient.html",
            procedures=knowledge().procedures,
            ingredient=report.ingredient_json(knowledge(), concept),
        )


def _register_plan(app: Flask) -> None:
    @app.get("/procedures/<procedure_id>/plan")
    def plan_page(procedure_id: str) -> str:
        plan = _plan_from_request(procedure_id)
        return render_template(
            "plan.html",
            plan=plan,
            timeline=layout_timeline(plan),
            procedure=report.procedure_json(knowledge(), plan.procedure),
        )

    @app.get("/procedures/<procedure_id>/plan.ics")
    def plan_calendar(procedure_id: str) -> Response:
        plan = _plan_from_request(procedure_id)
        response = Response(plan_ics(plan), mimetype="text/calendar")
        name = f"aftercare-{plan.procedure.id}-{plan.start}.ics"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def _plan_from_request(procedure_id: str) -> Plan:
    today = _page_date("today", date.today())
    start = _page_date("date", today)
    if abs((start - today).days) > MAX_DAY:
        raise InvalidValue(f"date must be within {MAX_DAY} days of today.", "date")
    return build_plan(knowledge(), procedure_id, start, (today - start).days)


def _page_date(field: str, default: date) -> date:
    value = request.args.get(field, "").strip()
    if not value:
        return default
    return iso_date(value, field)


def _day_from_form(value: str | None) -> int:
    number = whole_number(value)
    if number is None:
        raise InvalidInput("day must be a whole number (0 is the procedure day).", "day")
    return number


def _short_date(value: str | date, day: int = 0) -> str:
    """A date as a person reads it, without the year: Tue 1 Dec."""
    start = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(start + timedelta(days=day))


def _day_date(procedure_date: str, day: int) -> str:
    """The calendar date of a day after the procedure, as a person reads it: Tue 1 Dec 2026."""
    when = date.fromisoformat(procedure_date) + timedelta(days=day)
    return f"{when:%a} {when.day} {when:%b %Y}"


# --- the professional's pages: procedures, classes, one subject everywhere, a shelf --------


def _register_professional(app: Flask) -> None:
    @app.get("/procedures")
    def procedures_page() -> str:
        return render_template(
            "procedures.html", procedures=professional.procedure_list_json(knowledge())
        )

    @app.get("/procedures/<procedure_id>")
    def procedure_page(procedure_id: str) -> str:
        procedure = knowledge().procedure(procedure_id)
        spans = professional.procedure_spans(knowledge(), procedure)
        return render_template(
            "procedure.html",
            procedure=professional.timeline_json(knowledge(), procedure, spans),
            groups=procedure_charts(knowledge(), procedure.label, spans),
        )

    @app.get("/api/procedures/<procedure_id>/timeline")
    def api_procedure_timeline(procedure_id: str) -> Response:
        procedure = knowledge().procedure(procedure_id)
        spans = professional.procedure_spans(knowledge(), procedure)
        return jsonify(professional.timeline_json(knowledge(), procedure, spans))

    @app.get("/classes/<class_id>")
    def class_page(class_id: str) -> str:
        concept, found, spans = _class_view(class_id)
        return render_template(
            "class.html", cls=found, chart=compare_chart(knowledge(), concept.label, spans)
        )

    @app.get("/api/classes/<class_id>")
    def api_class(class_id: str) -> Response:
        return jsonify(_class_view(class_id)[1])

    @app.get("/compare")
    def compare_page() -> tuple[str, int]:
        key = request.args.get("subject", "").strip()
        context: dict[str, Any] = {"query": key, "found": None, "chart": None, "error": None}
        context["choices"] = professional.subject_choices(knowledge())
        if not key:
            return render_template("compare.html", **context), 200
        try:
            subject, spans, found = _compare(key)
        except CheckerError as error:
            context["error"] = error
            return render_template("compare.html", **context), status_for(error)
        context["found"] = found
        context["chart"] = compare_chart(knowledge(), subject.label, spans)
        return render_template("compare.html", **context), 200

    @app.get("/api/compare")
    def api_compare() -> Response:
        return jsonify(_compare(request.args.get("subject", ""))[2])

    @app.route("/shelf", methods=["GET", "POST"])
    def shelf_page() -> tuple[str, int]:
        if request.method == "GET":
            return _shelf_page(_form_values(), []), 200
        form: dict[str, str] = {}
        products: list[dict[str, Any]] = []
        try:
            form, data = _shelf_form()
            products = shelf.form_products(form)
            products = _shelf_products(data) + products
            if form.get("more"):
                return _shelf_page(form, products, extra_rows=app.config["SHELF_FORM_ROWS"]), 200
            batch = _shelf_batch(form, products)
        except CheckerError as error:
            return _shelf_page(form, products, error=error), status_for(error)
        return _shelf_page(form, products, batch=batch), 200

    @app.post("/shelf.csv")
    def shelf_download() -> Response:
        form, data = _shelf_form()
        batch = _shelf_batch(form, _shelf_products(data) + shelf.form_products(form))
        response = Response(shelf.table_csv(shelf.table(batch)), mimetype="text/csv")
        name = f"shelf-{batch['procedure']}-day-{batch['day']}.csv"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def _compare(key: str) -> tuple[Concept, list[professional.Span], dict[str, Any]]:
    """The subject a person typed (narrowed by ?kind=), its spans, and the JSON answer."""
    kinds = professional.subject_kinds(request.args.get("kind"))
    subject, *also = professional.find_subjects(knowledge(), key, kinds)
    spans = professional.compare_spans(knowledge(), subject)
    return subject, spans, professional.compare_json(knowledge(), subject, spans, also)


def _class_view(key: str) -> tuple[Concept, dict[str, Any], list[professional.Span]]:
    """A class by id or name: its JSON (one page of members) and its spans per procedure."""
    concept = professional.find_subject(knowledge(), key, ("class",), field="id")
    page = whole_number(request.args.get("page", "1"))
    if page is None:
        raise InvalidInput("page must be a whole number, 1 or more.", "page")
    per_page = current_app.config["CLASS_MEMBERS_PER_PAGE"]
    members = professional.class_members(knowledge(), concept, page, per_page)
    spans = professional.compare_spans(knowledge(), concept)
    return concept, professional.class_json(knowledge(), concept, members, spans), spans


def _shelf_form() -> tuple[dict[str, str], bytes | None]:
    """The shelf form's values, and the bytes of its CSV file (None: no file chosen)."""
    config = current_app.config
    limit = config["MAX_SHELF_CSV_BYTES"]
    # A shelf's labels and its CSV outgrow an ordinary body: raise the cap for these routes.
    request.max_content_length = limit + config["MAX_CONTENT_LENGTH"]
    try:
        form = _form_values()
        upload = request.files.get("csv")
        data = upload.read(limit + 1) if upload is not None and upload.filename else None
    except RequestEntityTooLarge as error:
        raise FileTooLarge(f"The upload is larger than {limit // 1024} KB.", "csv") from error
    return form, data


def _shelf_products(data: bytes | None) -> list[dict[str, Any]]:
    if data is None:
        return []
    config = current_app.config
    return shelf.read_csv(data, config["MAX_BATCH_PRODUCTS"], config["MAX_SHELF_CSV_BYTES"])


def _shelf_batch(form: Mapping[str, str], products: list[dict[str, Any]]) -> dict[str, Any]:
    config = current_app.config
    return run_batch(
        knowledge(),
        shelf.batch_values(form, products),
        config["MAX_LABEL_CHARS"],
        config["MAX_BATCH_PRODUCTS"],
    )


def _shelf_page(
    form: Mapping[str, str],
    products: list[dict[str, Any]],
    batch: dict[str, Any] | None = None,
    error: CheckerError | None = None,
    extra_rows: int = 0,
) -> str:
    config = current_app.config
    rows = whole_number(request.args.get("rows")) or config["SHELF_FORM_ROWS"]
    rows = min(
        max(rows, len(products) + (1 if batch else 0)) + extra_rows, config["MAX_BATCH_PRODUCTS"]
    )
    return render_template(
        "shelf.html",
        **_page_context({k: v for k, v in form.items() if not shelf.is_row_field(k)}),
        products=products,
        rows=min(rows, config["MAX_BATCH_PRODUCTS"]),
        batch=batch,
        table=shelf.table(batch) if batch else [],
        shelf_error=error,
        max_products=config["MAX_BATCH_PRODUCTS"],
        max_csv_kb=config["MAX_SHELF_CSV_BYTES"] // 1024,
    )


# --- serving: health and headers ------------------------------------------------------------

SECURITY_HEADERS = {
    # No inline script anywhere: every script is a file under /static.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def _register_service(app: Flask) -> None:
    @app.after_request
    def secure(response: Response) -> Response:
        response.headers.extend(SECURITY_HEADERS)  # no route sets any of them itself
        return response

    found: Knowledge = app.extensions["knowledge"]
    health = {
        "status": "ok",
        "version": found.version,
        "procedures": len(found.procedures),
        "rules": sum(len(procedure.rules) for procedure in found.procedures.values()),
        "ingredients": sum(1 for _ in found.of_kind("ingredient")),
        "sources": len(found.sources),
    }

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(health)


# --- SPARQL: the endpoint, its page and its command (the logic is in graph/sparql.py) ------


def _sparql_limits(app: Flask) -> sparql.Limits:
    return sparql.Limits(
        time_limit_ms=int(app.config["SPARQL_TIME_LIMIT_MS"]),
        max_rows=int(app.config["SPARQL_MAX_ROWS"]),
        max_query_chars=int(app.config["SPARQL_MAX_QUERY_CHARS"]),
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
        app.extensions["knowledge"],
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


def _sparql_graph() -> Graph:
    shared: SharedStore | None = current_app.extensions.get("sparql_store")
    return knowledge().graph if shared is None else shared.graph


def _run_sparql(text: str, query: Query, limits: sparql.Limits) -> sparql.Answer:
    """A query that passed the endpoint's refusals, answered by the shared store if there is one."""
    shared: SharedStore | None = current_app.extensions.get("sparql_store")
    if shared is None:
        return sparql.run_query(knowledge().graph, query, limits)
    return shared.run(text, sparql.query_kind(query), limits)


def _register_sparql(app: Flask) -> None:
    limits = _sparql_limits(app)
    canned = sparql.read_canned_queries(Path(app.config["KNOWLEDGE_DIR"]) / "queries")

    def negotiate(offered: Sequence[str]) -> str | None:
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
        graph = sparql_formats.describe_service(request.base_url, _sparql_graph(), limits)
        return Response(
            sparql_formats.serialise_graph(graph, media_type),
            content_type=sparql_formats.content_type(media_type),
        )

    @app.route("/sparql", methods=["GET", "POST"])
    def sparql_endpoint() -> Response | tuple[str, int]:
        text: str | None = None
        try:
            text = sparql.read_protocol_request(
                request.method,
                request.content_type,
                request.args.to_dict(flat=False),
                request.form.to_dict(flat=False),
                request.get_data(as_text=True),
            )
            if text is None or not text.strip():
                descriptions = sparql_formats.DESCRIPTION_TYPES if request.method == "GET" else ()
                media_type = negotiate([*descriptions, *sparql_formats.RESULT_TYPES, "text/html"])
                if media_type == "text/html":
                    return page()
                if media_type is not None and media_type in descriptions:
                    return service_description(media_type)
                raise InvalidInput(
                    "query is required: GET /sparql?query=… or POST it (SPARQL 1.1 Protocol).",
                    "query",
                )
            query = sparql.prepare_user_query(text, limits)
            kind = sparql.query_kind(query)
            media_type = negotiate([*sparql_formats.media_types(kind), "text/html"])
            if media_type is None:
                offered = ", ".join(sparql_formats.media_types(kind))
                raise NotAcceptable(f"{kind} answers come as {offered}.", "Accept")
            answer = _run_sparql(text, query, limits)
        except CheckerError as error:
            if _prefers_html():
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

    @app.after_request
    def sparql_headers(response: Response) -> Response:
        if request.path == "/sparql":
            response.vary.add("Accept")
            if request.method in ("GET", "HEAD"):  # browser tools (YASGUI) may read GET answers
                response.headers["Access-Control-Allow-Origin"] = "*"
                response.headers["Access-Control-Expose-Headers"] = "X-Results-Truncated"
        return response

    @app.cli.command("sparql")
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
            prepared = sparql.prepare_user_query(text, limits)
            answer = _run_sparql(text, prepared, limits)
        except CheckerError as error:
            raise click.ClickException(f"{error.field}: {error.message}") from error
        tables = {"csv": "text/csv", "json": "application/sparql-results+json"}
        graphs = {"csv": "text/turtle", "json": "application/ld+json"}
        media_type = (tables if answer.kind in ("SELECT", "ASK") else graphs)[output_format]
        click.echo(sparql_formats.serialise(answer, media_type).decode("utf-8"), nl=False)
        if answer.truncated:
            click.echo(f"Truncated at {limits.max_rows} rows (SPARQL_MAX_ROWS).", err=True)


# --- CLI -----------------------------------------------------------------------------------


def _register_cli(app: Flask) -> None:
    @app.cli.command("check")
    @click.option("--procedure", default="microneedling", show_default=True)
    @click.option("--day", type=int, help="Days since the procedure (0 is the procedure day).")
    @click.option("--date", "procedure_date", help="Procedure date, YYYY-MM-DD (instead of --day).")
    @click.option("--product-type", default=None)
    @click.option("--condition", "conditions", multiple=True, help="e.g. pregnancy; repeatable.")
    @click.option("--json", "as_json", is_flag=True, help="Print the API's JSON answer.")
    @click.option("--from-clinic", is_flag=True, help="The clinic supplied this product.")
    @click.argument("ingredients")
    def check_command(
        procedure: str,
        day: int | None,
        procedure_date: str | None,
        product_type: str | None,
        as_json: bool,
        from_clinic: bool,
        conditions: tuple[str, ...],
        ingredients: str,
    ) -> None:
        """Check a label: is the product okay on this day after the procedure?"""
        values = {
            "procedure": procedure,
            "day": day,
            "procedure_date": procedure_date,
            "product_type": product_type,
            "ingredients": ingredients,
            "from_clinic": from_clinic,
            **({"conditions": list(conditions)} if conditions else {}),
        }
        try:
            answer, _ = _check(values)
        except CheckerError as error:
            raise click.UsageError(f"{error.field}: {error.message}") from error
        if as_json:
            import json

            click.echo(json.dumps(answer, indent=2, ensure_ascii=False))
            return
        click.echo(_plain_answer(answer))

    @app.cli.command("validate")
    def validate_command() -> None:
        """Validate knowledge/*.ttl against the shapes and print what it holds."""
        try:
            found = load_knowledge(Path(app.config["KNOWLEDGE_DIR"]), cache_dir=None)
        except KnowledgeInvalid as error:
            click.echo(str(error), err=True)
            sys.exit(1)
        click.echo("The knowledge is valid.")
        for line in report.counts_lines(found):
            click.echo(line)


def _plain_answer(answer: Mapping[str, Any]) -> str:
    until = answer["ok_from_day"]
    lines = [
        f"{answer['verdict'].upper()} on day {answer['day']} after {answer['procedure']}"
        + (
            ""
            if until is None
            else f" — okay from day {until}"
            + (f" ({answer['ok_from_date']})" if answer.get("ok_from_date") else "")
        )
    ]
    for item in answer["ingredients"]:
        lines.append(
            f"  {item['verdict']:<12} {item['text']}"
            + (f"  [{', '.join(item['classes'][:3])}]" if item["classes"] else "")
        )
        for reason in [r for r in item["reasons"] if r["in_force"]][:3]:
            lines.append(
                f"      {reason['rule']}: {reason['rationale']} ({reason['source']['title']})"
            )
    for warning in answer.get("warnings", []):
        verdict = warning["verdict"] or "no source"
        lines.append(f"warning ({verdict}) {warning['condition']['label']}: {warning['rationale']}")
    lines.extend(f"note: {note}" for note in answer["notes"])
    return "\n".join(lines)
