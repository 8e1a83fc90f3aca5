"""The floor of figure (c): a hello-world JSON Flask app, served exactly as the real one is."""

from __future__ import annotations

from flask import Flask, Response, jsonify

from graph.json_provider import OrjsonProvider


def create_app() -> Flask:
    app = Flask(__name__)
    app.json = OrjsonProvider(app)  # as the real app: the same JSON, only the work differs

    @app.post("/api/check")
    def hello() -> Response:
        return jsonify(hello="world")

    return app
