"""The professional's pages: procedures, ingredients, classes, one subject everywhere, a shelf."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from graph import professional as views
from graph import report, shelf, subjects
from graph.checks import run_batch
from graph.days import whole_number
from graph.errors import CheckerError, FileTooLarge, status_for
from graph.rangechart import compare_chart, procedure_charts
from graph.spelling import search_ingredients
from web.common import class_view, compare_view, form_values, knowledge, page_context

professional = Blueprint("professional", __name__)


@professional.get("/procedures")
def procedures_page() -> str:
    return render_template("procedures.html", procedures=views.procedure_list_json(knowledge()))


@professional.get("/procedures/<procedure_id>")
def procedure_page(procedure_id: str) -> str:
    procedure = knowledge().procedure(procedure_id)
    spans = views.procedure_spans(knowledge(), procedure)
    return render_template(
        "procedure.html",
        procedure=views.timeline_json(knowledge(), procedure, spans),
        groups=procedure_charts(knowledge(), procedure.label, spans),
    )


@professional.get("/ingredients")
def ingredients_page() -> str:
    query = request.args.get("q", "").strip()
    limit = current_app.config["INGREDIENT_SEARCH_LIMIT"]
    found = [
        {"id": c.id, "label": c.label, "classes": report.classes_of(knowledge(), c)}
        for c in search_ingredients(knowledge(), query, limit)
    ]
    return render_template("ingredients.html", query=query, found=found)


@professional.get("/ingredients/<ingredient_id>")
def ingredient_page(ingredient_id: str) -> str:
    concept = knowledge().concept("ingredient", ingredient_id, "id")
    return render_template(
        "ingredient.html",
        procedures=knowledge().procedures,
        ingredient=report.ingredient_json(knowledge(), concept),
    )


@professional.get("/classes/<class_id>")
def class_page(class_id: str) -> str:
    concept, found, spans = class_view(class_id)
    return render_template(
        "class.html", cls=found, chart=compare_chart(knowledge(), concept.label, spans)
    )


@professional.get("/compare")
def compare_page() -> tuple[str, int]:
    key = request.args.get("subject", "").strip()
    context: dict[str, Any] = {"query": key, "found": None, "chart": None, "error": None}
    context["choices"] = subjects.subject_choices(knowledge())
    if not key:
        return render_template("compare.html", **context), 200
    try:
        subject, spans, found = compare_view(key)
    except CheckerError as error:
        context["error"] = error
        return render_template("compare.html", **context), status_for(error)
    context["found"] = found
    context["chart"] = compare_chart(knowledge(), subject.label, spans)
    return render_template("compare.html", **context), 200


@professional.route("/shelf", methods=["GET", "POST"])
def shelf_page() -> tuple[str, int]:
    if request.method == "GET":
        return _shelf_page(form_values(), []), 200
    form: dict[str, str] = {}
    products: list[dict[str, Any]] = []
    try:
        form, data = _shelf_form()
        products = shelf.form_products(form)
        products = _shelf_products(data) + products
        if form.get("more"):
            more = current_app.config["SHELF_FORM_ROWS"]
            return _shelf_page(form, products, extra_rows=more), 200
        batch = _shelf_batch(form, products)
    except CheckerError as error:
        return _shelf_page(form, products, error=error), status_for(error)
    return _shelf_page(form, products, batch=batch), 200


@professional.post("/shelf.csv")
def shelf_download() -> Response:
    form, data = _shelf_form()
    batch = _shelf_batch(form, _shelf_products(data) + shelf.form_products(form))
    response = Response(shelf.table_csv(shelf.table(batch)), mimetype="text/csv")
    name = f"shelf-{batch['procedure']}-day-{batch['day']}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _shelf_form() -> tuple[dict[str, str], bytes | None]:
    """The shelf form's values, and the bytes of its CSV file (None: no file chosen)."""
    config = current_app.config
    limit = config["MAX_SHELF_CSV_BYTES"]
    # A shelf's labels and its CSV outgrow an ordinary body: raise the cap for these routes.
    request.max_content_length = limit + config["MAX_CONTENT_LENGTH"]
    try:
        form = form_values()
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
        **page_context({k: v for k, v in form.items() if not shelf.is_row_field(k)}),
        products=products,
        rows=min(rows, config["MAX_BATCH_PRODUCTS"]),
        batch=batch,
        table=shelf.table(batch) if batch else [],
        shelf_error=error,
        max_products=config["MAX_BATCH_PRODUCTS"],
        max_csv_kb=config["MAX_SHELF_CSV_BYTES"] // 1024,
    )
