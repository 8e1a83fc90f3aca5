"""The app's knowledge in its two forms, each loaded once per process when it is needed: the
compiled Knowledge the checker answers from, and the Oxigraph store SPARQL answers from.

A server (a WSGI server such as gunicorn, or `flask run`) loads both before it answers and
before gunicorn forks, so every worker shares them; the store loads in the background
meanwhile (Oxigraph parses without holding the GIL, so reading the compiled knowledge goes
on beside it). A flask command loads what it uses when it first uses it: `flask sparql`
only the store, which is built from the Turtle files and needs the compiled knowledge only
while its inferred part is not cached yet; `flask routes` neither.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import click
import pyoxigraph
from flask import Flask
from flask.cli import FlaskGroup

from graph import sparql_store
from graph.index import Knowledge
from graph.loader import knowledge_version, load_knowledge

SERVERS = (None, "run")  # flask_command() of a process that serves requests
_lock = threading.Lock()


def flask_command() -> str | None:
    """The flask command this process runs: "run", "routes", "shell", or "flask" for the
    app's own commands (check, validate, sparql: Flask loads the app to find them); None
    under a WSGI server or when create_app is called from code (tests, scripts)."""
    context = click.get_current_context(silent=True)
    if context is None or not isinstance(context.find_root().command, FlaskGroup):
        return None
    return context.info_name


def knowledge_of(app: Flask) -> Knowledge:
    """The app's knowledge: KNOWLEDGE when create_app was given it, else knowledge/ compiled
    (or read from the cache). Raises KnowledgeInvalid listing every problem."""
    found: Knowledge | None = app.extensions.get("knowledge")
    if found is not None:
        return found
    with _lock:
        found = app.extensions.get("knowledge")
        if found is None:
            cache = app.config["KNOWLEDGE_CACHE_DIR"]
            found = app.extensions["knowledge"] = app.config.get("KNOWLEDGE") or load_knowledge(
                Path(app.config["KNOWLEDGE_DIR"]), cache_dir=Path(cache) if cache else None
            )
        return found


def version_of(app: Flask) -> str | None:
    """The knowledge's version, without loading it when it is not loaded yet: the hash of
    the files it is compiled from. None for knowledge given to create_app without one
    (tests build their own)."""
    found: Knowledge | None = app.extensions.get("knowledge") or app.config.get("KNOWLEDGE")
    if found is not None:
        return found.version or None
    return knowledge_version(Path(app.config["KNOWLEDGE_DIR"]))


def embedded_store(app: Flask) -> bool:
    """Whether SPARQL is answered by the embedded store (not SPARQL_STORE_URL's)."""
    return not app.config["SPARQL_STORE_URL"]


def store_of(app: Flask) -> pyoxigraph.Store:
    """The app's embedded Oxigraph store, loaded once per process. A store set in
    app.extensions["sparql_oxigraph"] beforehand is used instead (the protocol tests serve
    the W3C manifest's data)."""
    store: pyoxigraph.Store | None = app.extensions.get("sparql_oxigraph")
    if store is None:
        cache = app.config["KNOWLEDGE_CACHE_DIR"]
        store = app.extensions["sparql_oxigraph"] = sparql_store.open_store(
            version_of(app),
            Path(app.config["KNOWLEDGE_DIR"]),
            Path(cache) if cache else None,
            lambda: knowledge_of(app),
        )
    return store


def load_for_serving(app: Flask) -> None:
    """A server's start: the store loading in the background, the knowledge meanwhile; what
    asks for the store before its load ends waits for it (gunicorn's when_ready, `flask
    run` before it listens) instead of loading another. Tests load the store when a test
    first queries."""
    if embedded_store(app) and not app.testing:
        threading.Thread(target=_load_in_background, args=(app,), daemon=True).start()
    knowledge_of(app)


def _load_in_background(app: Flask) -> None:
    # Knowledge that does not load (KnowledgeInvalid, a missing directory) is reported by
    # knowledge_of in create_app, or where the store is first asked for; not twice.
    with contextlib.suppress(Exception):
        store_of(app)
