"""What several surfaces read from a request: knowledge, a body, form values, a check."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import orjson
from flask import current_app, request

from graph import professional, subjects
from graph.checks import run_check
from graph.days import whole_number
from graph.errors import InvalidInput
from graph.index import Knowledge
from graph.model import Concept
from graph.verdicts import Verdict
from web.knowledge import knowledge_of


def knowledge() -> Knowledge:
    return knowledge_of(current_app)


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 saying what is wrong with the body and where."""
    if not request.is_json:
        raise InvalidInput("The body must be JSON, sent as Content-Type: application/json.", "body")
    try:
        body = current_app.json.loads(request.get_data(cache=True))
    except orjson.JSONDecodeError as error:  # orjson says what and where, e.g. 'line 1 column 9'
        raise InvalidInput(f"The body is not valid JSON: {error}.", "body") from None
    if not isinstance(body, dict):
        kind = "an array" if isinstance(body, list) else f"a {type(body).__name__}"
        raise InvalidInput(f"The body must be a JSON object {{…}}, not {kind}.", "body")
    return body


def check(values: Mapping[str, Any]) -> tuple[dict[str, Any], Verdict]:
    """Run a check from request values; returns the JSON answer and the verdict."""
    return run_check(knowledge(), values, current_app.config["MAX_LABEL_CHARS"])


def form_values() -> dict[str, str]:
    source = request.form if request.method == "POST" else request.args
    return {key: value for key, value in source.items() if value and isinstance(value, str)}


def form_list(name: str) -> list[str]:
    """Every value of a repeated field (checkboxes), in the order sent."""
    source = request.form if request.method == "POST" else request.args
    return [value for value in source.getlist(name) if value]


def page_context(values: Mapping[str, str], conditions: Sequence[str] = ()) -> dict[str, Any]:
    """What a page with the check form needs: the form's values (with defaults) and its choices."""
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


def compare_view(key: str) -> tuple[Concept, list[professional.Span], dict[str, Any]]:
    """The subject a person typed (narrowed by ?kind=), its spans, and the JSON answer."""
    kinds = subjects.subject_kinds(request.args.get("kind"))
    subject, *also = subjects.find_subjects(knowledge(), key, kinds)
    spans = professional.compare_spans(knowledge(), subject)
    return subject, spans, professional.compare_json(knowledge(), subject, spans, also)


def class_view(key: str) -> tuple[Concept, dict[str, Any], list[professional.Span]]:
    """A class by id or name: its JSON (one page of members) and its spans per procedure."""
    concept = subjects.find_subject(knowledge(), key, ("class",), field="id")
    page = whole_number(request.args.get("page", "1"))
    if page is None:
        raise InvalidInput("page must be a whole number, 1 or more.", "page")
    per_page = current_app.config["CLASS_MEMBERS_PER_PAGE"]
    members = subjects.class_members(knowledge(), concept, page, per_page)
    spans = professional.compare_spans(knowledge(), concept)
    return concept, professional.class_json(knowledge(), concept, members, spans), spans
