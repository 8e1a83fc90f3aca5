"""One error shape, {"error", "field"}, on every surface; a page for a browser; never a trace."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import ClientDisconnected, HTTPException, InternalServerError

from graph.errors import CheckerError, status_for
from web.deadline import BodyTimeout, DeadlinePassed


def init_app(app: Flask) -> None:
    app.register_error_handler(CheckerError, _checker_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(DeadlinePassed, _deadline_passed)
    app.register_error_handler(BodyTimeout, _body_timeout)
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
    if isinstance(error, InternalServerError):  # what struck in Flask's own after-request work
        if isinstance(error.original_exception, DeadlinePassed):
            return deadline_response()
        if isinstance(error.original_exception, BodyTimeout):
            return _body_timeout(error.original_exception)
    if isinstance(error, ClientDisconnected):  # Werkzeug's word for a body that fell short
        if isinstance(error.__context__, BodyTimeout):
            return _body_timeout(error.__context__)
        return _error_response("The request body ended before its Content-Length.", "body", 400)
    status = error.code or 500
    message = {413: "The request is too large."}.get(status, error.description or error.name)
    return _error_response(message, None, status)


def _unexpected_error(error: Exception) -> tuple[Response | str, int]:
    current_app.logger.exception("Unexpected error", exc_info=error)
    return _error_response("Something went wrong on our side; nothing was saved.", None, 500)


def deadline_response(busy: bool = False) -> tuple[Response | str, int]:
    """503: the app worked on this request for longer than REQUEST_DEADLINE_SECONDS, or was
    too busy to start it within that time."""
    seconds = current_app.config["REQUEST_DEADLINE_SECONDS"]
    if busy:
        message = f"The server was too busy to start this request within {seconds} s; try again."
    else:
        message = (
            f"This request took longer than {seconds} s and was stopped; nothing was saved. "
            "Try again, or send less at once."
        )
    return _error_response(message, None, 503)


def _deadline_passed(error: DeadlinePassed) -> tuple[Response | str, int]:
    current_app.logger.warning("Stopped at the deadline: %s %s", request.method, request.path)
    return deadline_response()


def _body_timeout(error: BodyTimeout) -> tuple[Response | str, int]:
    if error.stalled:
        return _error_response(
            "The request body stopped arriving before its Content-Length; send it again.",
            "body",
            400,
        )
    return _error_response("The request body arrived too slowly; send it again.", "body", 408)
