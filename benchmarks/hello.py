"""The floors of figure (c): hello-world JSON Flask apps, served exactly as the real one is."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response, jsonify

from web.json_provider import OrjsonProvider


def create_app() -> Flask:
    app = Flask(__name__)
    app.json = OrjsonProvider(app)  # as the real app: the same JSON, only the work differs

    @app.post("/api/check")
    def hello() -> Response:
        return jsonify(hello="world")

    return app


def create_sized_app() -> Flask:
    """Hello-world answering with the bytes of a real answer ($HELLO_ANSWER_FILE), read once:
    what sending an answer that size costs, with no check behind it."""
    app = Flask(__name__)
    answer = Path(os.environ["HELLO_ANSWER_FILE"]).read_bytes()

    @app.post("/api/check")
    def hello() -> Response:
        return Response(answer, mimetype="application/json")

    return app
