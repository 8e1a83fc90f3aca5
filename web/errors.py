"""One error shape, {"error", "field"}, on every surface; a page for a browser; never a trace."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from graph.errors import CheckerError, status_for


def init_app(app: Flask) -> None:
    app.register_error_handler(CheckerError, _checker_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def prefers_html() -> bool:
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


def _wants_json() -> bool:
    if request.path == "/sparql":  # SPARQL clients read errors as JSON; a browser gets a page
        return not prefers_html()
    return request.path.startswith("/api/")


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
