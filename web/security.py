"""Serving: the security headers every response carries, and /healthz."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, jsonify

from graph.index import Knowledge

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


def init_app(app: Flask) -> None:
    service = Blueprint("service", __name__)

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

    @service.get("/healthz")
    def healthz() -> Response:
        return jsonify(health)

    app.register_blueprint(service)
