"""Serving: the security and caching headers every response carries, and /healthz."""

from __future__ import annotations

import functools
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, request

from graph.index import Knowledge
from web.knowledge import knowledge_of

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

# Pages about the knowledge, the same for everyone: a browser or a proxy may keep them a while
# (a new knowledge version is a restart away). Everything else - a check, a plan, its .ics, a
# shelf, a photo's reading, an error, /healthz, /sparql - concerns one person's recovery or
# must be fresh, and is never stored (Cache-Control: no-store).
REFERENCE_ENDPOINTS = frozenset(
    {
        "professional.procedures_page",
        "professional.procedure_page",
        "professional.ingredients_page",
        "professional.ingredient_page",
        "professional.class_page",
        "professional.compare_page",
        "api.api_procedures",
        "api.api_procedure",
        "api.api_day",
        "api.api_procedure_timeline",
        "api.api_ingredients",
        "api.api_ingredient",
        "api.api_class",
        "api.api_compare",
        "openapi.openapi_json",
        "openapi.api_page",
    }
)
REFERENCE_CACHE = "public, max-age=600"
STATIC_CACHE = "public, max-age=3600"  # file names carry no version: an hour, then revalidate
NO_STORE = "no-store"


def cache_control() -> str:
    """What this request's answer may be kept as (see REFERENCE_ENDPOINTS)."""
    if request.method not in ("GET", "HEAD"):
        return NO_STORE
    if request.endpoint == "static":
        return STATIC_CACHE
    return REFERENCE_CACHE if request.endpoint in REFERENCE_ENDPOINTS else NO_STORE


def init_app(app: Flask) -> None:
    service = Blueprint("service", __name__)

    @app.after_request
    def secure(response: Response) -> Response:
        response.headers.extend(SECURITY_HEADERS)  # no route sets any of them itself
        stored = cache_control() if 200 <= response.status_code < 400 else NO_STORE
        response.headers["Cache-Control"] = stored
        if stored == NO_STORE:
            response.headers["Pragma"] = "no-cache"  # HTTP/1.0 caches
        return response

    @service.get("/healthz")
    def healthz() -> Response:
        return jsonify(_health(knowledge_of(app)))

    app.register_blueprint(service)


@functools.lru_cache(maxsize=4)  # tests build apps on a few knowledges
def _health(found: Knowledge) -> dict[str, Any]:
    return {
        "status": "ok",
        "version": found.version,
        "procedures": len(found.procedures),
        "rules": sum(len(procedure.rules) for procedure in found.procedures.values()),
        "ingredients": sum(1 for _ in found.of_kind("ingredient")),
        "sources": len(found.sources),
    }
