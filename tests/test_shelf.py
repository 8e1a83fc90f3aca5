"""The shelf: many products checked at once, from a form or a CSV, to a table and a CSV."""

from __future__ import annotations

import csv
import io
from html import unescape
from typing import Any

import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from app import create_app
from graph.index import Knowledge
from graph.shelf import read_csv
from tests.test_professional import form_values, html_of, section

SHELF_CSV = (
    "name,ingredients,product_type\r\n"
    'Night serum,"Aqua, Glycerin, Retinol",serum\r\n'
    'Foundation,"Aqua, Talc",Makeup\r\n'
    'Mystery cream,"Aqua, Zorblaxin-9",\r\n'
)


def shelf_post(client: FlaskClient, url: str, data: dict[str, Any], csv_text: str | None) -> Any:
    form: dict[str, Any] = {"procedure": "microneedling", "when": "day", "day": "3", **data}
    if csv_text is not None:
        form["csv"] = (io.BytesIO(csv_text.encode()), "shelf.csv")
    return client.post(url, data=form, content_type="multipart/form-data")


def test_shelf_form_has_labelled_rows_and_a_csv_upload(client: FlaskClient) -> None:
    html = html_of(client, "/shelf")
    for field in ("procedure", "day", "procedure_date", "name_1", "ingredients_1", "csv"):
        assert f'<label for="{field}"' in html and f'id="{field}"' in html
    assert 'id="name_5"' in html and 'id="name_6"' not in html  # SHELF_FORM_ROWS
    assert 'formaction="/shelf.csv"' in html


def test_shelf_csv_upload_round_trips_to_the_table_and_the_download(
    client: FlaskClient,
) -> None:
    extra = {"name_1": "Cleanser", "ingredients_1": "Aqua, Glycerin"}
    page = shelf_post(client, "/shelf", extra, SHELF_CSV)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    expected = client.post(
        "/api/check/batch",
        json={
            "procedure": "microneedling",
            "day": 3,
            "products": [
                {
                    "name": "Night serum",
                    "ingredients": "Aqua, Glycerin, Retinol",
                    "product_type": "serum",
                },
                {"name": "Foundation", "ingredients": "Aqua, Talc", "product_type": "Makeup"},
                {"name": "Mystery cream", "ingredients": "Aqua, Zorblaxin-9"},
                {"name": "Cleanser", "ingredients": "Aqua, Glycerin"},
            ],
        },
    ).get_json()
    result = section(html, "shelf-result")
    for product in expected["products"]:
        assert f'<tr class="{product["verdict"]}">' in result
        assert escape(product["name"]) in result
    assert f"<strong>day {expected['all_ok_from_day']}</strong>" in result
    assert "Zorblaxin-9" in result and "we don't know" in unescape(result)
    # The form now holds every product, so the download needs no second upload.
    form = form_values(html)
    assert form["name_4"] == "Cleanser" and form["product_type_2"] == "makeup"
    download = shelf_post(client, "/shelf.csv", form, None)
    assert download.status_code == 200
    assert download.mimetype == "text/csv"
    assert "attachment" in download.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))
    assert [row["name"] for row in table] == [p["name"] for p in expected["products"]]
    assert [row["verdict"] for row in table] == [p["verdict"] for p in expected["products"]]
    assert [row["ok_from_day"] for row in table] == [
        str(p["ok_from_day"]) for p in expected["products"]
    ]
    assert table[0]["restricted_by"] == "Retinol"
    assert table[2]["unrecognized"] == "Zorblaxin-9"


def test_shelf_download_straight_from_a_csv_upload(client: FlaskClient) -> None:
    response = shelf_post(client, "/shelf.csv", {}, SHELF_CSV)
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["name"] for row in table] == ["Night serum", "Foundation", "Mystery cream"]
    assert table[1]["product_type"] == "Makeup" and table[1]["restricted_by"] == "Makeup"


def test_shelf_with_dates_gives_the_date_every_product_is_okay(client: FlaskClient) -> None:
    response = client.post(
        "/shelf",
        data={
            "procedure": "microneedling",
            "when": "date",
            "procedure_date": "2026-11-20",
            "name_1": "Night serum",
            "ingredients_1": "Aqua, Retinol",
        },
    )
    html = response.get_data(as_text=True)
    answer = client.post(
        "/api/check",
        json={
            "procedure": "microneedling",
            "procedure_date": "2026-11-20",
            "ingredients": "Aqua, Retinol",
        },
    ).get_json()
    assert response.status_code == 200
    assert f"(day {answer['ok_from_day']})" in section(html, "shelf-result")


def test_shelf_download_quotes_cells_a_spreadsheet_would_run(client: FlaskClient) -> None:
    text = 'name,ingredients\n"=HYPERLINK(""x"")","Aqua, Glycerin"\n'
    table = list(
        csv.reader(io.StringIO(shelf_post(client, "/shelf.csv", {}, text).get_data(as_text=True)))
    )
    assert table[1][0].startswith("'=")


@pytest.mark.parametrize(
    ("content", "status", "words"),
    [
        (b"", 400, "empty"),
        (b"\xff\xfeN\x00a\x00", 400, "not UTF-8"),
        (b"name,ingredients\n", 400, "header but no products"),
        (b"name,ingredients\nSerum,Aqua, Glycerin, Retinol\n", 400, "Line 2 has 4 fields"),
        (b"Serum\n", 400, "Line 1 has 1 field"),
        (b"name,inci\nSerum,Aqua\n", 400, "header must name the columns"),
        (b'name,ingredients\nSerum,"Aqua, Glyc\n', 400, "malformed"),
        (b"x\0y", 400, "not a CSV"),
        (b"a,b\n" * 101, 422, "at most 100"),
    ],
)
def test_bad_csv_gets_a_clear_4xx_never_a_500(
    client: FlaskClient, content: bytes, status: int, words: str
) -> None:
    form = {"procedure": "microneedling", "when": "day", "day": "3"}
    for url in ("/shelf", "/shelf.csv"):
        response = client.post(
            url,
            data={**form, "csv": (io.BytesIO(content), "shelf.csv")},
            content_type="multipart/form-data",
        )
        assert response.status_code == status, (url, response.get_data(as_text=True)[-600:])
        assert words in unescape(response.get_data(as_text=True))
        assert "Traceback" not in response.get_data(as_text=True)


def test_csv_over_the_size_limit_is_413(knowledge: Knowledge) -> None:
    client = create_app(
        {"TESTING": True, "KNOWLEDGE": knowledge, "MAX_SHELF_CSV_BYTES": 100}
    ).test_client()
    response = shelf_post(client, "/shelf", {}, "name,ingredients\n" + "Serum,Aqua\n" * 20)
    assert response.status_code == 413
    assert "larger than" in response.get_data(as_text=True)


def test_shelf_without_products_or_with_a_bad_day_says_what_is_missing(
    client: FlaskClient,
) -> None:
    response = client.post("/shelf", data={"procedure": "microneedling", "when": "day", "day": "3"})
    assert response.status_code == 400
    assert "Add at least one product" in response.get_data(as_text=True)
    response = client.post(
        "/shelf", data={"when": "day", "day": "x", "name_1": "A", "ingredients_1": "Aqua"}
    )
    assert response.status_code == 400
    assert "Aqua</textarea>" in response.get_data(as_text=True)  # the typed rows are kept


def test_shelf_more_rows_keeps_what_was_typed(client: FlaskClient) -> None:
    response = client.post(
        "/shelf", data={"more": "1", "name_1": "Serum", "ingredients_1": "Aqua, Retinol"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="shelf-result"' not in html
    assert 'id="name_10"' in html and "Aqua, Retinol</textarea>" in html


def test_read_csv_without_a_header_and_with_semicolons() -> None:
    assert read_csv(b'Serum,"Aqua, Retinol"\r\nFoundation,"Aqua, Talc",makeup\r\n', 10) == [
        {"name": "Serum", "ingredients": "Aqua, Retinol"},
        {"name": "Foundation", "ingredients": "Aqua, Talc", "product_type": "makeup"},
    ]
    assert read_csv("\ufeffname;ingredients\nSérum;Aqua, Retinol\n".encode(), 10) == [
        {"name": "Sérum", "ingredients": "Aqua, Retinol"}
    ]
