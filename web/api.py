"""The JSON API under /api: checks, procedures, days, ingredients, classes, comparisons."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from graph import professional, report
from graph.checks import run_batch
from graph.days import day_from_text
from graph.engine import day_overview
from graph.errors import InvalidInput
from graph.model import Concept
from graph.spelling import search_ingredients
from web.common import check, class_view, compare_view, json_body, knowledge

api = Blueprint("api", __name__, url_prefix="/api")


@api.post("/check")
def api_check() -> Response:
    answer, _ = check(json_body())
    return jsonify(answer)


@api.post("/check/batch")
def api_check_batch() -> Response:
    config = current_app.config
    return jsonify(
        run_batch(knowledge(), json_body(), config["MAX_LABEL_CHARS"], config["MAX_BATCH_PRODUCTS"])
    )


@api.get("/procedures")
def api_procedures() -> Response:
    return jsonify(procedures=professional.procedure_list_json(knowledge()))


@api.get("/procedures/<procedure_id>")
def api_procedure(procedure_id: str) -> Response:
    return jsonify(report.procedure_json(knowledge(), knowledge().procedure(procedure_id)))


@api.get("/procedures/<procedure_id>/days/<day>")
def api_day(procedure_id: str, day: str) -> Response:
    overview = day_overview(knowledge(), procedure_id, day_from_text(day))
    return jsonify(report.day_json(knowledge(), overview))


@api.get("/procedures/<procedure_id>/timeline")
def api_procedure_timeline(procedure_id: str) -> Response:
    procedure = knowledge().procedure(procedure_id)
    spans = professional.procedure_spans(knowledge(), procedure)
    return jsonify(professional.timeline_json(knowledge(), procedure, spans))


@api.get("/ingredients")
def api_ingredients() -> Response:
    query = request.args.get("q", "").strip()
    if not query:
        raise InvalidInput("q is required: part of an ingredient name.", "q")
    limit = current_app.config["INGREDIENT_SEARCH_LIMIT"]
    return jsonify(
        query=query,
        ingredients=[_ingredient_item(c) for c in search_ingredients(knowledge(), query, limit)],
    )


def _ingredient_item(concept: Concept) -> dict[str, Any]:
    return {
        "id": concept.id,
        "label": concept.label,
        "synonyms": list(concept.alt_labels),
        "classes": report.classes_of(knowledge(), concept),
    }


@api.get("/ingredients/<ingredient_id>")
def api_ingredient(ingredient_id: str) -> Response:
    concept = knowledge().concept("ingredient", ingredient_id, "id")
    return jsonify(report.ingredient_json(knowledge(), concept))


@api.get("/classes/<class_id>")
def api_class(class_id: str) -> Response:
    return jsonify(class_view(class_id)[1])


@api.get("/compare")
def api_compare() -> Response:
    return jsonify(compare_view(request.args.get("subject", ""))[2])
