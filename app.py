"""Aftercare Checker web app: the Flask factory. The routes live in web/, one blueprint each."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from graph.loader import load_knowledge
from web import errors, security
from web import sparql as sparql_surface
from web.api import api
from web.cli import commands
from web.deadline import Deadline
from web.json_provider import OrjsonProvider
from web.openapi import openapi
from web.patient import patient
from web.professional import professional
from web.request import AftercareRequest
from web.settings import DEFAULTS


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.request_class = AftercareRequest
    app.json = OrjsonProvider(app)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("AFTERCARE")
    app.config.update(config or {})
    cache = app.config["KNOWLEDGE_CACHE_DIR"]
    app.extensions["knowledge"] = app.config.get("KNOWLEDGE") or load_knowledge(
        Path(app.config["KNOWLEDGE_DIR"]), cache_dir=Path(cache) if cache else None
    )
    errors.init_app(app)
    for blueprint in (patient, professional, api, openapi, commands):
        app.register_blueprint(blueprint)
    security.init_app(app)
    sparql_surface.init_app(app)
    # Last, so it wraps everything: the app answers 503 itself before gunicorn would kill it.
    app.wsgi_app = Deadline(app, errors.deadline_response)  # type: ignore[method-assign]
    return app
