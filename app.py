"""Aftercare Checker web app: the Flask factory. The routes live in web/, one blueprint each."""

from __future__ import annotations

import gc
from collections.abc import Mapping
from typing import Any

from flask import Flask

from web import errors, security
from web import sparql as sparql_surface
from web.api import api
from web.cli import commands
from web.deadline import Deadline
from web.json_provider import OrjsonProvider
from web.knowledge import SERVERS, flask_command, load_for_serving
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
    command = flask_command()
    if command in SERVERS:  # a flask command loads what it uses when it uses it
        load_for_serving(app)
    errors.init_app(app)
    for blueprint in (patient, professional, api, openapi, commands):
        app.register_blueprint(blueprint)
    security.init_app(app)
    sparql_surface.init_app(app)
    # Last, so it wraps everything: the app answers 503 itself before gunicorn would kill it.
    app.wsgi_app = Deadline(app, errors.deadline_response)  # type: ignore[method-assign]
    if command is not None:
        # What a command holds now lives as long as it does: out of the collector's reach,
        # so that no collection walks it again, nor the interpreter's at exit (0.5 s for
        # `flask sparql`). Servers freeze in gunicorn's when_ready, once the store is loaded.
        gc.freeze()
    return app
