"""The JSON API contract of DESIGN.md through a real Flask test client."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from graph.spelling import FUZZY_THRESHOLD

CHECK = {"procedure": "microneedling", "day": 3, "ingredients": "Aqua, Glycerin, Retinol"}


def assert_error(response: Any, status: int, field: str | None) -> None:
    """Every error, on every route, has one shape: {"error": message, "field": name}."""
    assert response.status_code == status
    body = response.get_json()
    assert set(body) == {"error", "field"}
    assert isinstance(body["error"], str) and body["error"]
    assert body["field"] == field
    assert "Traceback" not in response.get_data(as_text=True)


def test_check_answers_the_contract_fields_and_types(client: FlaskClient) -> None:
    body = client.post("/api/check", json=CHECK).get_json()
    assert body["procedure"] == "microneedling"
    assert body["day"] == 3
    assert body["verdict"] == "avoid"
    assert isinstance(body["ok_from_day"], int) and body["ok_from_day"] > 3
    assert isinstance(body["unrecognized"], list) and isinstance(body["notes"], list)
    retinol = body["ingredients"][2]
    assert retinol["text"] == "Retinol"
    assert retinol["ingredient"]["label"] == "Retinol" and retinol["ingredient"]["id"]
    assert retinol["match"] == "exact"
    assert "Retinoid" in retinol["classes"]
    assert retinol["verdict"] == "avoid"
    assert retinol["ok_from_day"] == body["ok_from_day"]
    reason = next(r for r in retinol["reasons"] if r["in_force"])
    assert {"rule", "verdict", "from_day", "until_day", "rationale", "source"} <= set(reason)
    assert reason["verdict"] == "avoid"
    assert reason["from_day"] <= 3 <= reason["until_day"]
    assert reason["source"]["title"]
    assert isinstance(reason["rationale"], str) and reason["rationale"]


def test_check_with_dates_gives_the_day_and_the_okay_date(client: FlaskClient) -> None:
    body = client.post(
        "/api/check",
        json={
            "procedure": "microneedling",
            "procedure_date": "2026-11-20",
            "today": "2026-11-23",
            "ingredients": "Aqua, Glycerin, Retinol",
        },
    ).get_json()
    assert body["day"] == 3
    assert body["procedure_date"] == "2026-11-20"
    expected = date(2026, 11, 20) + timedelta(days=body["ok_from_day"])
    assert body["ok_from_date"] == expected.isoformat()


def test_check_synonym_match_is_reported(client: FlaskClient) -> None:
    body = client.post("/api/check", json={**CHECK, "ingredients": "Water, Vitamin A"}).get_json()
    assert [item["match"] for item in body["ingredients"]] == ["synonym", "synonym"]
    assert body["ingredients"][1]["ingredient"]["label"] == "Retinol"


def test_check_unrecognised_listed_as_written_and_never_ok(client: FlaskClient) -> None:
    body = client.post(
        "/api/check", json={**CHECK, "day": 60, "ingredients": "Aqua, Zorblaxin-9"}
    ).get_json()
    assert body["verdict"] == "unknown"
    assert body["unrecognized"] == ["Zorblaxin-9"]
    assert body["ingredients"][1]["ingredient"] is None
    assert body["ingredients"][1]["verdict"] == "unknown"


def test_check_names_what_the_text_around_the_list_names_in_passing(client: FlaskClient) -> None:
    copy = "Aqua, Glycerin. This serum contains glycolic acid for a brighter complexion."
    body = client.post("/api/check", json={**CHECK, "ingredients": copy}).get_json()
    assert body["verdict"] == "unknown" and body["unrecognized"] == []
    (named,) = body["named_in_passing"]
    assert (named["text"], named["label"], named["verdict"]) == (
        "glycolic acid",
        "Glycolic Acid",
        "avoid",
    )
    assert named["reasons"] and named["ok_from_day"] > CHECK["day"]
    plain = client.post("/api/check", json={**CHECK, "ingredients": "Aqua, Glycerin"})
    assert plain.get_json()["named_in_passing"] == []


def test_check_names_a_family_the_label_says_the_product_holds(client: FlaskClient) -> None:
    alert = "Sunburn Alert: This product contains an alpha hydroxy acid (AHA) that may increase"
    label = f"Aqua, Glycerin, Squalane\nWarnings: {alert} your skin's sensitivity to the sun."
    body = client.post("/api/check", json={**CHECK, "ingredients": label}).get_json()
    assert body["verdict"] == "unknown"
    (named,) = body["named_in_passing"]
    assert (named["text"], named["kind"], named["verdict"]) == (
        "alpha hydroxy acid (AHA)",
        "class",
        "avoid",
    )
    assert any("says the product contains alpha hydroxy acid" in n for n in body["notes"])


def test_check_product_type_is_assessed(client: FlaskClient) -> None:
    body = client.post(
        "/api/check", json={**CHECK, "day": 1, "ingredients": "Aqua", "product_type": "makeup"}
    ).get_json()
    assert body["product_type"]["id"] == "makeup"
    assert body["product_type"]["verdict"] == "avoid"
    assert body["verdict"] == "avoid"


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"day": 3, "ingredients": "Aqua"}, 400, "procedure"),
        ({"procedure": "microneedling", "day": 3}, 400, "ingredients"),
        ({"procedure": "microneedling", "ingredients": "Aqua"}, 400, "day"),
        ({**CHECK, "day": "three"}, 400, "day"),
        ({**CHECK, "day": -2}, 422, "day"),
        ({**CHECK, "day": 99999}, 422, "day"),
        ({**CHECK, "ingredients": 42}, 400, "ingredients"),
        ({**CHECK, "ingredients": ", ,"}, 422, "ingredients"),
        ({**CHECK, "procedure": "tattoo"}, 422, "procedure"),
        ({**CHECK, "product_type": "hovercraft"}, 422, "product_type"),
        (
            {"procedure": "microneedling", "procedure_date": "20.11.2026", "ingredients": "A"},
            422,
            "procedure_date",
        ),
        (
            {
                "procedure": "microneedling",
                "procedure_date": "2026-11-24",
                "today": "2026-11-20",
                "ingredients": "Aqua",
            },
            422,
            "procedure_date",
        ),
        ({**CHECK, "ingredients": "Aqua, " * 5000}, 413, "ingredients"),
    ],
)
def test_check_bad_input_gets_a_clear_error_naming_the_field(
    client: FlaskClient, payload: dict[str, Any], status: int, field: str
) -> None:
    assert_error(client.post("/api/check", json=payload), status, field)


def test_check_unknown_procedure_names_the_known_ones(client: FlaskClient) -> None:
    body = client.post("/api/check", json={**CHECK, "procedure": "tattoo"}).get_json()
    assert "microneedling" in body["error"]


@pytest.mark.parametrize(
    ("data", "content_type", "said"),
    [
        ("not json", "application/json", "not valid JSON"),
        ("[1, 2]", "application/json", "must be a JSON object {…}, not an array"),
        ('"Aqua"', "application/json", "not a str"),
        ("procedure=microneedling", "application/x-www-form-urlencoded", "application/json"),
        (
            '{"procedure": "microneedling", "day": NaN, "ingredients": "Aqua"}',
            "application/json",
            "not valid JSON: unexpected character, expected a JSON value: line 1 column 39",
        ),
        (  # a lone surrogate: JSON text allows the escape, but it is no character
            '{"procedure": "microneedling", "day": 2, "ingredients": "Aqua \\ud800"}',
            "application/json",
            "not valid JSON: no low surrogate in string: line 1 column 63",
        ),
        ('{"procedure": "microneedling", "day": 1e400}', "application/json", "not valid JSON"),
    ],
)
def test_check_body_that_is_not_a_json_object_is_refused_saying_what_and_where(
    client: FlaskClient, data: str, content_type: str, said: str
) -> None:
    response = client.post("/api/check", data=data, content_type=content_type)
    assert_error(response, 400, "body")
    assert said in response.get_json()["error"]


def test_check_body_nested_thousands_deep_is_a_400_not_a_500(client: FlaskClient) -> None:
    # The json module raised RecursionError here, which reached the client as a 500.
    body = (
        '{"procedure": "microneedling", "day": 3, "ingredients": ' + "[" * 2000 + "]" * 2000 + "}"
    )
    assert_error(client.post("/api/check", data=body, content_type="application/json"), 400, "body")


def test_check_answer_reads_in_the_contract_order_with_names_as_written(
    client: FlaskClient,
) -> None:
    response = client.post(
        "/api/check",
        json={"procedure": "microneedling", "day": 3, "ingredients": "Eau, Glycérine, Rétinol"},
    )
    assert response.status_code == 200
    answer = response.get_json()
    assert list(answer)[:4] == ["procedure", "day", "verdict", "ok_from_day"]
    assert [item["text"] for item in answer["ingredients"]] == ["Eau", "Glycérine", "Rétinol"]
    assert "Glycérine".encode() in response.data  # UTF-8, not escaped


def test_check_body_over_the_request_limit_is_413(client: FlaskClient) -> None:
    response = client.post("/api/check", data="x" * 300_000, content_type="application/json")
    assert_error(response, 413, None)


def test_procedures_lists_microneedling(client: FlaskClient) -> None:
    body = client.get("/api/procedures").get_json()
    ids = [procedure["id"] for procedure in body["procedures"]]
    assert "microneedling" in ids


def test_procedure_gives_phases_rules_contraindications_and_signs(client: FlaskClient) -> None:
    body = client.get("/api/procedures/microneedling").get_json()
    assert body["phases"][0]["from_day"] == 0
    assert len(body["rules"]) >= 82
    assert all(rule["sources"] for rule in body["rules"])
    assert body["contraindications"] and body["warning_signs"]
    assert client.get("/api/procedures/Microneedling").status_code == 200


def test_procedure_day_lists_what_applies(client: FlaskClient) -> None:
    body = client.get("/api/procedures/microneedling/days/3").get_json()
    assert body["day"] == 3
    assert body["phase"]["from_day"] <= 3
    assert body["phase"]["until_day"] is None or body["phase"]["until_day"] >= 3
    sun = next(item for item in body["activities"] if item["id"] == "sun-exposure")
    assert sun["verdict"] == "avoid" and sun["ok_from_day"] > 3 and sun["reasons"]
    assert any(item["id"] == "retinoid" for item in body["classes"])
    assert any(item["id"] == "makeup" for item in body["product_types"])


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/api/procedures/tattoo", 422, "procedure"),
        ("/api/procedures/tattoo/days/3", 422, "procedure"),
        ("/api/procedures/microneedling/days/x", 400, "day"),
        ("/api/procedures/microneedling/days/99999", 422, "day"),
        ("/api/ingredients", 400, "q"),
        ("/api/ingredients/zorblaxin-9", 404, "id"),
        ("/api/nothing-here", 404, None),
    ],
)
def test_get_routes_bad_input_get_the_error_shape(
    client: FlaskClient, url: str, status: int, field: str | None
) -> None:
    assert_error(client.get(url), status, field)


def test_wrong_method_gets_the_error_shape(client: FlaskClient) -> None:
    assert_error(client.get("/api/check"), 405, None)


def test_ingredient_search_finds_prefix_and_synonyms(client: FlaskClient) -> None:
    body = client.get("/api/ingredients?q=retin").get_json()
    labels = [item["label"] for item in body["ingredients"]]
    assert "Retinol" in labels and "Retinyl Palmitate" in labels
    assert all(isinstance(item["classes"], list) for item in body["ingredients"])
    by_synonym = client.get("/api/ingredients?q=vitamin a").get_json()
    assert "Retinol" in [item["label"] for item in by_synonym["ingredients"]]


def test_ingredient_page_gives_classes_with_path_and_rules(client: FlaskClient) -> None:
    body = client.get("/api/ingredients/retinyl-palmitate").get_json()
    assert body["label"] == "Retinyl Palmitate"
    retinoid = next(item for item in body["classes"] if item["id"] == "retinoid")
    assert retinoid["path"][0] == "Retinyl Palmitate" and retinoid["path"][-1] == "Retinoid"
    assert body["rules"]["microneedling"]


def test_ingredient_api_gives_cosing_functions(client: FlaskClient) -> None:
    body = client.get("/api/ingredients/retinol").get_data(as_text=True)
    assert '"cosing_functions"' in body


def test_check_reports_fuzzy_reads_with_score_and_unknowns_with_suggestions(
    client: FlaskClient,
) -> None:
    body = client.post(
        "/api/check", json={**CHECK, "ingredients": "Niacinamde, Zorblaxin-9, Glycerinn"}
    ).get_json()
    fuzzy = body["ingredients"][0]
    assert fuzzy["match"] == "fuzzy" and fuzzy["ingredient"]["label"] == "Niacinamide"
    assert isinstance(fuzzy["score"], float) and FUZZY_THRESHOLD <= fuzzy["score"] < 100
    unknown = body["ingredients"][1]
    assert unknown["verdict"] == "unknown" and isinstance(unknown["did_you_mean"], list)


def test_check_may_contain_tokens_are_conditional(client: FlaskClient) -> None:
    body = client.post(
        "/api/check", json={**CHECK, "ingredients": "Talc, Mica. May contain: CI 77891"}
    ).get_json()
    assert [item["conditional"] for item in body["ingredients"]] == [False, False, True]


def test_check_with_conditions_adds_sourced_warnings(client: FlaskClient) -> None:
    body = client.post(
        "/api/check", json={**CHECK, "conditions": ["pregnancy", "Eczema", "breastfeeding"]}
    ).get_json()
    by_condition = {w["condition"]["id"]: w for w in body["warnings"]}
    assert by_condition["pregnancy"]["verdict"] == "caution"
    assert by_condition["eczema"]["verdict"] == "avoid"
    assert all(w["sources"] for w in body["warnings"] if w["verdict"])
    assert by_condition["breastfeeding"]["verdict"] is None  # no microneedling source names it
    assert body["verdict"] == "avoid" and "ingredients" in body  # the contract is unchanged


def test_check_without_conditions_has_no_warnings_field(client: FlaskClient) -> None:
    assert "warnings" not in client.post("/api/check", json=CHECK).get_json()


@pytest.mark.parametrize(
    ("conditions", "status"), [(["tattoo allergy"], 422), ("pregnancy", 200), ([3], 400)]
)
def test_check_conditions_are_validated(
    client: FlaskClient, conditions: object, status: int
) -> None:
    response = client.post("/api/check", json={**CHECK, "conditions": conditions})
    if status == 200:
        assert response.status_code == 200
    else:
        assert_error(response, status, "conditions")


def test_batch_checks_a_shelf_and_gives_the_day_all_are_okay(client: FlaskClient) -> None:
    body = client.post(
        "/api/check/batch",
        json={
            "procedure": "microneedling",
            "procedure_date": "2026-11-20",
            "today": "2026-11-23",
            "products": [
                {"name": "Night serum", "ingredients": "Aqua, Retinol"},
                {"name": "Moisturiser", "ingredients": "Aqua, Glycerin, Squalane"},
                {"name": "Foundation", "ingredients": "Aqua, Talc", "product_type": "makeup"},
            ],
        },
    ).get_json()
    assert body["day"] == 3
    names = [product["name"] for product in body["products"]]
    assert names == ["Night serum", "Moisturiser", "Foundation"]
    verdicts = [product["verdict"] for product in body["products"]]
    assert verdicts[0] == "avoid" and verdicts[1] in ("ok", "recommended")
    assert body["all_ok_from_day"] == max(p["ok_from_day"] for p in body["products"])
    assert body["all_ok_from_date"] is not None


def test_batch_bad_product_gets_its_own_error_and_the_rest_are_checked(
    client: FlaskClient,
) -> None:
    body = client.post(
        "/api/check/batch",
        json={
            "procedure": "microneedling",
            "day": 3,
            "products": [
                {"name": "Empty", "ingredients": ""},
                {"name": "Ok", "ingredients": "Aqua"},
            ],
        },
    ).get_json()
    assert body["products"][0] == {
        "name": "Empty",
        "error": "ingredients is required.",
        "field": "products[0].ingredients",
    }
    assert body["products"][1]["verdict"] == "ok"


def test_batch_product_name_that_is_not_text_gets_its_own_error(client: FlaskClient) -> None:
    # found by schemathesis: a list given as the name was echoed back as the product's name
    body = client.post(
        "/api/check/batch",
        json={
            "procedure": "microneedling",
            "day": 3,
            "products": [{"name": [None], "ingredients": "Aqua"}, {"ingredients": "Aqua"}],
        },
    ).get_json()
    assert body["products"][0] == {
        "name": "Product 1",
        "error": "name must be a string.",
        "field": "products[0].name",
    }
    assert body["products"][1]["name"] == "Product 2" and body["products"][1]["verdict"] == "ok"


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"procedure": "microneedling", "day": 3}, 400, "products"),
        ({"procedure": "microneedling", "day": 3, "products": []}, 400, "products"),
        ({"procedure": "microneedling", "day": 3, "products": ["Aqua"]}, 400, "products[0]"),
        (
            {"procedure": "microneedling", "day": 3, "products": [{"ingredients": "Aqua"}] * 101},
            422,
            "products",
        ),
        (
            {"procedure": "tattoo", "day": 3, "products": [{"ingredients": "Aqua"}]},
            422,
            "procedure",
        ),
    ],
)
def test_batch_bad_request_gets_the_error_shape(
    client: FlaskClient, payload: dict[str, Any], status: int, field: str
) -> None:
    assert_error(client.post("/api/check/batch", json=payload), status, field)


def test_ingredient_api_says_whether_a_name_is_curated_or_from_cosing(
    client: FlaskClient,
) -> None:
    curated = client.get("/api/ingredients/retinol").get_json()
    assert curated["curated"] is True and curated["listed_in"] == []
    generated = client.get("/api/ingredients/pentaerythrityl-cocoate").get_json()
    assert generated["curated"] is False
    assert [source["code"] for source in generated["listed_in"]] == ["DB-COSING"]


def test_a_label_of_a_thousand_unknown_words_is_answered_not_dropped(client: FlaskClient) -> None:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ", ".join(
        f"Zorb{letters[n % 26]}{letters[n // 26 % 26]}{letters[n // 676]}ixol" for n in range(1000)
    )
    response = client.post("/api/check", json={**CHECK, "ingredients": words})
    assert response.status_code == 200
    body = response.get_json()
    assert body["verdict"] == "unknown" and len(body["unrecognized"]) == 1000
    suggested = [item for item in body["ingredients"] if item["did_you_mean"]]
    assert len(suggested) <= 10  # "did you mean" stops after ten names; the answer says so
    assert any("first 10 names" in note for note in body["notes"])


def test_the_answer_lists_what_it_set_aside_and_the_order_bound(client: FlaskClient) -> None:
    label = (
        "Gentle daily cream. Ingredients: Aqua, Glycerin, Phenoxyethanol, Citric Acid. "
        "Free of parabens, fragrance and retinol."
    )
    body = client.post("/api/check", json={**CHECK, "ingredients": label}).get_json()
    assert body["verdict"] in ("ok", "recommended")
    assert "Free of parabens, fragrance and retinol" in body["set_aside"]
    citric = body["ingredients"][3]
    assert citric["position"] == 4 and citric["at_most_percent"] == 1
    assert citric["bounded_by"]["label"] == "Phenoxyethanol" and citric["role"]


def test_from_clinic_is_a_boolean_and_clears_the_day_0_assumption(client: FlaskClient) -> None:
    day0 = {**CHECK, "day": 0, "ingredients": "Aqua, Glycerin, Petrolatum"}
    assumed = client.post("/api/check", json=day0).get_json()
    assert assumed["verdict"] == "caution"
    assert [t["id"] for t in assumed["assumed_product_types"]] == ["leave-on-not-from-clinic"]
    cleared = client.post("/api/check", json={**day0, "from_clinic": True}).get_json()
    assert cleared["assumed_product_types"] == [] and cleared["verdict"] != "caution"
    assert_error(client.post("/api/check", json={**day0, "from_clinic": "yes"}), 400, "from_clinic")


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/procedures/microneedling/days/²", "day"),  # a superscript two is no ASCII digit
        ("/api/procedures/microneedling/days/٣", "day"),  # an Arabic-Indic three either
    ],
)
def test_unicode_digits_are_refused_not_crashed_on(
    client: FlaskClient, path: str, field: str
) -> None:
    assert_error(client.get(path), 400, field)


@pytest.mark.parametrize("field", ["procedure_date", "today"])
def test_dates_at_the_end_of_the_calendar_are_refused_not_crashed_on(
    client: FlaskClient, field: str
) -> None:
    body = {"procedure": "microneedling", "ingredients": "Aqua", "procedure_date": "2026-11-01"}
    body[field] = "9999-12-31"
    assert_error(client.post("/api/check", json=body), 422, field)
    batch = {**body, "products": [{"ingredients": "Aqua, Retinol"}]}
    batch.pop("ingredients")
    assert client.post("/api/check/batch", json=batch).status_code == 422


def test_check_of_a_list_cut_short_says_so(client: FlaskClient) -> None:
    body = client.post(
        "/api/check",
        json={"procedure": "microneedling", "day": 30, "ingredients": "Aqua, Glycerin, etc."},
    ).get_json()
    assert body["verdict"] == "unknown"
    assert body["cut_short"] == "etc."
    assert body["unrecognized"] == []
    whole = client.post(
        "/api/check", json={"procedure": "microneedling", "day": 30, "ingredients": "Aqua"}
    ).get_json()
    assert whole["cut_short"] is None
