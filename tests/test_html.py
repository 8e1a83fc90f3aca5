"""The patient's page: the form, the answer in words, reasons with sources, the safety text."""

from __future__ import annotations

from flask.testing import FlaskClient

SAFETY = [
    "Not medical advice",
    "Day 0 is the day of your procedure",
    "bleeding",
    "bruising",
    "infection",
    "peeling",
]


def page(client: FlaskClient, **query: str) -> str:
    response = client.get("/", query_string=query)
    return response.get_data(as_text=True)


def test_form_page_has_labelled_inputs_and_the_safety_text(client: FlaskClient) -> None:
    html = page(client)
    assert '<html lang="en">' in html
    for field in ("procedure", "procedure_date", "day", "product_type", "ingredients"):
        assert f'<label for="{field}"' in html and f'id="{field}"' in html
    for words in SAFETY:
        assert words in html


def test_result_page_shows_verdict_reasons_sources_and_disclaimer(client: FlaskClient) -> None:
    html = page(
        client,
        procedure="microneedling",
        when="day",
        day="3",
        ingredients="Aqua, Glycerin, Retinol",
    )
    assert 'class="banner avoid"' in html
    assert "Avoid — okay again from day" in html
    assert "Retinol" in html and "MN-01" in html
    assert "Source:" in html and "evidence grade" in html
    for words in SAFETY:
        assert words in html


def test_result_page_with_a_date_gives_real_dates(client: FlaskClient) -> None:
    html = page(
        client,
        procedure="microneedling",
        when="date",
        procedure_date="2026-11-20",
        ingredients="Aqua, Retinol",
    )
    assert "Fri 20 Nov 2026" in html  # the procedure day
    assert "okay again from" in html and "Dec 2026 (day" in html


def test_result_page_posted_form_gives_the_same_answer(client: FlaskClient) -> None:
    html = client.post(
        "/",
        data={
            "procedure": "microneedling",
            "when": "day",
            "day": "3",
            "ingredients": "Aqua, Retinol",
        },
    ).get_data(as_text=True)
    assert 'class="banner avoid"' in html


def test_result_page_shows_what_was_not_recognised(client: FlaskClient) -> None:
    html = page(
        client, procedure="microneedling", when="day", day="30", ingredients="Aqua, Zorbitol-9"
    )
    assert 'class="banner unknown"' in html
    assert "we don't know 1: Zorbitol-9" in html


def test_result_page_escapes_what_the_label_says(client: FlaskClient) -> None:
    html = page(
        client,
        procedure="microneedling",
        when="day",
        day="3",
        ingredients="<script>alert(1)</script>",
    )
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_result_page_bad_day_shows_the_error_and_keeps_the_label(client: FlaskClient) -> None:
    response = client.get(
        "/",
        query_string={
            "procedure": "microneedling",
            "when": "day",
            "day": "soon",
            "ingredients": "Aqua, Retinol",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "day must be a whole number" in html
    assert "Aqua, Retinol</textarea>" in html


def test_unknown_page_is_a_friendly_404(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Not medical advice" in response.get_data(as_text=True)
