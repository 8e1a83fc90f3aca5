"""The JSON API's OpenAPI document: valid, complete, its examples true, shown at /api, and the
live app held to it by schemathesis. (tests/conftest.py checks every /api answer of the suite.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.contract import answer_problems, fits_example, openapi_path, schema_validator
from web.openapi import METHODS, document, resolve
from web.security import SECURITY_HEADERS

Json = dict[str, Any]


def _operations() -> Iterator[tuple[str, str, Json]]:
    for path, item in document()["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_openapi_json_is_a_valid_openapi_3_1_document(client: FlaskClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    served = response.get_json()
    validate(served)  # raises on anything OpenAPI 3.1 does not allow
    assert served["openapi"].startswith("3.1") and served == document()


def test_every_api_route_is_documented_and_every_documented_one_exists(app: Flask) -> None:
    served = {
        (openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") or rule.rule == "/healthz"
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    documented = {(path, method) for path, method, _ in _operations()}
    assert served == documented


def _examples() -> Iterator[tuple[str, Json, Any]]:
    """(where, schema, value) for every example the document gives."""
    spec = document()

    def in_schemas(where: str, schema: Any) -> Iterator[tuple[str, Json, Any]]:
        if isinstance(schema, dict):
            for index, value in enumerate(schema.get("examples", [])):
                yield f"{where} example {index}", schema, value
        if isinstance(schema, dict | list):
            for key, value in schema.items() if isinstance(schema, dict) else enumerate(schema):
                if key != "examples":
                    yield from in_schemas(f"{where}/{key}", value)

    yield from in_schemas("components/schemas", spec["components"]["schemas"])
    for path, method, operation in _operations():
        where = f"{method.upper()} {path}"
        for parameter in spec["paths"][path].get("parameters", []) + operation.get(
            "parameters", []
        ):
            parameter = resolve(spec, parameter)
            for name, example in parameter.get("examples", {}).items():
                yield f"{where} {parameter['name']} {name}", parameter["schema"], example["value"]
        parts = [("request", operation.get("requestBody")), *operation["responses"].items()]
        for part, item in parts:
            if item is None:
                continue
            media = resolve(spec, item).get("content", {}).get("application/json", {})
            for name, example in media.get("examples", {}).items():
                yield f"{where} {part} {name}", media["schema"], example["value"]


EXAMPLES = list(_examples())


@pytest.mark.parametrize(
    ("schema", "value"), [e[1:] for e in EXAMPLES], ids=[e[0] for e in EXAMPLES]
)
def test_every_documented_example_fits_its_schema(schema: Json, value: Any) -> None:
    assert [error.message for error in schema_validator(schema).iter_errors(value)] == []


class Asked(NamedTuple):
    """A named response example and the request made of the examples of the same name."""

    method: str
    path: str  # parameters filled in
    query: dict[str, Any]
    body: Any
    status: int
    answer: Any


def _answered_examples() -> Iterator[tuple[str, Asked]]:
    spec = document()
    for path, method, operation in _operations():
        parameters = [
            resolve(spec, parameter)
            for parameter in spec["paths"][path].get("parameters", [])
            + operation.get("parameters", [])
        ]
        body = operation.get("requestBody")
        bodies = {} if body is None else resolve(spec, body)["content"]["application/json"]
        for status, response in operation["responses"].items():
            media = resolve(spec, response).get("content", {}).get("application/json", {})
            for name, example in media.get("examples", {}).items():
                where = f"{operation['operationId']} {status} {name}"
                named = [p for p in parameters if name in p.get("examples", {})]
                request_body = bodies.get("examples", {}).get(name, {}).get("value")
                assert named or request_body is not None, f"{where}: no request example {name!r}"
                filled, query = path, {}
                for parameter in parameters:
                    given = parameter.get("examples", {})
                    if not given:
                        continue  # optional; the document's default applies
                    value = (given.get(name) or next(iter(given.values())))["value"]
                    if parameter["in"] == "path":
                        filled = filled.replace("{" + parameter["name"] + "}", str(value))
                    else:
                        query[parameter["name"]] = value
                asked = Asked(method, filled, query, request_body, int(status), example["value"])
                yield where, asked


ANSWERED = list(_answered_examples())


@pytest.mark.parametrize("asked", [a[1] for a in ANSWERED], ids=[a[0] for a in ANSWERED])
def test_every_response_example_is_what_the_app_answers(client: FlaskClient, asked: Asked) -> None:
    response = client.open(
        asked.path, method=asked.method.upper(), query_string=asked.query, json=asked.body
    )
    assert response.status_code == asked.status, response.get_json()
    answer = response.get_json()
    assert fits_example(asked.answer, answer), answer


def test_the_contract_check_refuses_what_the_document_does_not_say() -> None:
    # the guard in tests/conftest.py: a key nobody documented, a 500, an error not in its shape
    def problems(status: int, body: bytes) -> list[str]:
        return answer_problems("/api/procedures", "get", status, "application/json", body)

    assert problems(200, b'{"procedures": []}') == []
    assert problems(200, b'{"procedures": [], "extra": 1}') != []
    assert problems(500, b'{"error": "boom", "field": null}') != []
    assert problems(503, b'{"error": "slow"}') != []
    assert answer_problems("/api/procedures", "get", 200, "text/html", b"<p>") != []


def test_api_page_shows_the_document_without_any_script(client: FlaskClient) -> None:
    response = client.get("/api")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    for path, method, operation in _operations():
        assert f"<code>{method.upper()} {path}</code>" in html
        assert f'id="{operation["operationId"]}"' in html
    for name in document()["components"]["schemas"]:
        assert f'id="schema-{name}"' in html
    assert 'href="/openapi.json"' in html
    assert 'href="#schema-CheckAnswer"' in html  # a response's type links to its schema
    assert "Example: Water and glycerin on day 3 after microneedling" in html
    assert "&#34;verdict&#34;: &#34;recommended&#34;" in html  # the example, escaped
    assert "<script" not in html and "style=" not in html
    for header, value in SECURITY_HEADERS.items():
        assert response.headers[header] == value


# schemathesis sends requests drawn from the document to the app over real HTTP: valid ones and
# broken ones (wrong types, missing fields). Every answer must be documented, in its schema and
# content type, and never a 5xx. Under HYPOTHESIS_PROFILE=ci the draws are the same every run.
EXAMPLES_PER_OPERATION = 30


# The same document the app serves at /openapi.json (tested above).
live = schemathesis.openapi.from_dict(document())


@live.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_live_app_answers_generated_requests_as_documented(
    live_server: str, case: Case[Any]
) -> None:
    case.call_and_validate(
        base_url=live_server,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
        timeout=30,
    )
