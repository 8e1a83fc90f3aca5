"""Serving: security headers everywhere, health, and no input that can make the app fail."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.engine import check_product
from graph.errors import CheckerError
from graph.index import Knowledge
from graph.labels import parse_label
from graph.match import match_tokens
from web.security import SECURITY_HEADERS

ROUTES = [
    ("GET", "/"),
    ("GET", "/ingredients/retinol"),
    ("GET", "/api/procedures"),
    ("GET", "/api/ingredients/zorblaxin"),  # an error answer
    ("GET", "/no-such-page"),
    ("GET", "/static/style.css"),
    ("POST", "/api/check"),
    ("GET", "/healthz"),
]


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_every_response_carries_the_security_headers(
    client: FlaskClient, method: str, url: str
) -> None:
    with client.open(url, method=method, json={} if method == "POST" else None) as response:
        for header, value in SECURITY_HEADERS.items():
            assert response.headers.get(header) == value, (url, header)
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def test_pages_have_no_inline_script(client: FlaskClient) -> None:
    html = client.get(
        "/",
        query_string={
            "procedure": "microneedling",
            "when": "day",
            "day": "3",
            "ingredients": "Aqua",
        },
    ).get_data(True)
    assert "<script>" not in html and " onclick=" not in html and " onload=" not in html


def test_healthz_reports_the_loaded_knowledge(client: FlaskClient, knowledge: Knowledge) -> None:
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok"
    assert body["procedures"] == len(knowledge.procedures)
    assert body["ingredients"] > 20_000 and body["rules"] > 200
    assert body["version"] == knowledge.version and len(body["version"]) == 16


LABEL_TEXT = st.text(
    alphabet=st.sampled_from(list("aeiorstnlcm ,;()[]/\\-*%.:+±\n0123456789ÉéAQUGLYRT&·|'\"<>")),
    max_size=200,
)


@settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=LABEL_TEXT | st.text(max_size=120))
def test_parser_and_matcher_never_fail_on_any_text(knowledge: Knowledge, text: str) -> None:
    try:
        tokens = parse_label(text)
    except CheckerError:
        return  # a clear refusal: no ingredients, a web address, too long
    for found in match_tokens(knowledge, tokens):
        assert found.token.text.strip()


JSON_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-10, 10**6)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
BODY = st.fixed_dictionaries(
    {},
    optional={
        "procedure": st.sampled_from(["microneedling", "ipl", "tattoo", ""]) | JSON_VALUE,
        "day": st.integers(-5, 4000) | JSON_VALUE,
        "procedure_date": st.dates().map(str) | JSON_VALUE,
        "today": st.dates().map(str) | JSON_VALUE,
        "ingredients": LABEL_TEXT | JSON_VALUE,
        "product_type": st.sampled_from(["makeup", "serum", "x"]) | JSON_VALUE,
        "conditions": st.lists(st.sampled_from(["pregnancy", "eczema", "x"])) | JSON_VALUE,
        "products": st.lists(st.fixed_dictionaries({"ingredients": LABEL_TEXT}), max_size=3)
        | JSON_VALUE,
    },
)


@settings(
    max_examples=5000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(body=BODY | JSON_VALUE, batch=st.booleans())
def test_api_answers_any_body_with_2xx_or_the_error_shape(
    client: FlaskClient, body: Any, batch: bool
) -> None:
    response = client.post("/api/check/batch" if batch else "/api/check", json=body)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert set(response.get_json()) == {"error", "field"}


def test_check_of_a_long_unrecognised_label_still_answers(knowledge: Knowledge) -> None:
    label = ", ".join(f"Zorblaxinium Variant {n} Complex" for n in range(300))
    verdict = check_product(knowledge, "microneedling", 3, label)
    assert verdict.level.value == "unknown" and len(verdict.unrecognized) == 300
