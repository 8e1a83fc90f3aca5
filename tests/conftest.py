"""Fixtures: the real knowledge from knowledge/, a fresh app per test, a live server."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, request_finished
from flask.testing import FlaskClient, FlaskCliRunner
from hypothesis import settings
from werkzeug.serving import make_server

from app import create_app
from graph.index import Knowledge
from graph.loader import load_knowledge
from tests.contract import Recorder

# Property tests draw new cases on every run, to keep finding what nobody wrote down; CI
# (.ci/run) draws the same ones each time, so a red CI is reproducible and a fresh clone
# proves what CI will see. A case CI never meets still fails the next local run.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = ROOT / "knowledge"


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge(KNOWLEDGE_DIR)


@pytest.fixture
def app(knowledge: Knowledge) -> Flask:
    return create_app({"TESTING": True, "KNOWLEDGE": knowledge})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of knowledge/ for tests that break it on purpose.

    The generated CosIng vocabulary is left out: it is large, and no such test needs it; so
    are the files whose facts are about CosIng names (legal maxima, other-name tables).
    """
    target = tmp_path / "knowledge"
    ignored = shutil.ignore_patterns("cosing.ttl", "regulation.ttl", "other-names.ttl")
    shutil.copytree(KNOWLEDGE_DIR, target, ignore=ignored)
    return target


@pytest.fixture(scope="session")
def live_server(knowledge: Knowledge) -> Iterator[str]:
    """The app served over real HTTP on 127.0.0.1, on a free port."""
    server = make_server("127.0.0.1", 0, create_app({"KNOWLEDGE": knowledge}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


_ANSWERS = Recorder()
request_finished.connect(_ANSWERS.record, weak=False)  # every app any test makes, live ones too


@pytest.fixture(autouse=True)
def api_answers_fit_the_openapi_document() -> Iterator[None]:
    """Every /api answer a test sees fits web/openapi.yaml; the test errors when one does not."""
    yield
    problems = _ANSWERS.problems()
    assert not problems, "\n".join(problems)
