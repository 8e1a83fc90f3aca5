"""The professional's pages and their JSON twins: procedures, charts, classes, compare."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from app import create_app
from graph.engine import assess
from graph.errors import InvalidInput
from graph.index import Knowledge
from graph.model import Concept, Rule
from graph.subjects import find_subject
from tests.test_api import assert_error


class FormReader(HTMLParser):
    """The values a browser would send for the shelf form: inputs, textareas, selects."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._field: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        name = found.get("name")
        kind = found.get("type")
        sent = kind in ("text", "number", "date") or (kind == "radio" and "checked" in found)
        if tag == "input" and name and sent:
            self.values[name] = found.get("value") or ""
        elif tag in ("textarea", "select") and name:
            self._field = name
            self.values[name] = ""
        elif tag == "option" and self._field and "selected" in found:
            self.values[self._field] = found.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("textarea", "select"):
            self._field = None

    def handle_data(self, data: str) -> None:
        if self._field and self._field.startswith("ingredients_"):
            self.values[self._field] += data


def form_values(html: str) -> dict[str, str]:
    start = html.index('id="shelf-form"')
    reader = FormReader()
    reader.feed(html[start : html.index("</form>", start)])
    return reader.values


def html_of(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def restricting_rules(knowledge: Knowledge, procedure: str, concept: Concept) -> list[Rule]:
    """What the engine weighs for a subject: its rules, its ancestors', what its type implies."""
    iris = [concept.iri, *concept.implies]
    found = [rule for iri in iris for rule, _ in knowledge.rules_for(procedure, iri)]
    return [rule for rule in found if rule.level.restricts]


def section(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</section>", start)]


# --- procedures ----------------------------------------------------------------------------


def test_procedures_page_lists_every_procedure_with_counts(
    client: FlaskClient, knowledge: Knowledge
) -> None:
    html = html_of(client, "/procedures")
    for procedure in knowledge.procedures.values():
        assert f'href="/procedures/{procedure.id}"' in html
        assert f"<td>{len(procedure.rules)}</td>" in html


def test_api_procedures_adds_counts_and_keeps_its_fields(
    client: FlaskClient, knowledge: Knowledge
) -> None:
    listed = client.get("/api/procedures").get_json()["procedures"]
    assert len(listed) == len(knowledge.procedures)
    for item in listed:
        procedure = knowledge.procedures[item["id"]]
        assert {"id", "label", "alt_labels", "rules", "phases"} <= set(item)
        assert item["rules"] == len(procedure.rules)
        assert item["subjects"] == len({rule.subject for rule in procedure.rules})
        assert item["contraindications"] == len(procedure.contraindications)
        assert item["warning_signs"] == len(procedure.warning_signs)


@pytest.mark.parametrize("procedure_id", ["microneedling", "ablative-laser", "botulinum-toxin"])
def test_range_chart_draws_one_bar_per_restricting_rule_of_each_subject(
    client: FlaskClient, knowledge: Knowledge, procedure_id: str
) -> None:
    html = html_of(client, f"/procedures/{procedure_id}")
    subjects = {rule.subject for rule in knowledge.procedures[procedure_id].rules}
    assert subjects
    for iri in subjects:
        concept = knowledge.concepts[iri]
        expected = restricting_rules(knowledge, procedure_id, concept)
        bars = re.findall(rf'<rect class="bar [^"]*" data-subject="{concept.id}" ', html)
        assert len(bars) == len(expected), concept.id
        for rule in expected:
            assert f'data-subject="{concept.id}" data-rule="{rule.notation}"' in html


def test_range_chart_bars_are_labelled_with_source_code_and_grade(client: FlaskClient) -> None:
    html = html_of(client, "/procedures/microneedling")
    texts = [unescape(t) for t in re.findall(r'<text class="note [^"]*"[^>]*>([^<]*)<', html)]
    assert "C-GOLDENCOAST-MN · C" in texts  # MN-02: retinoids for two weeks
    assert all(" · " in text for text in texts)


def test_range_chart_is_accessible_with_a_table_fallback(client: FlaskClient) -> None:
    html = html_of(client, "/procedures/microneedling")
    charts = re.findall(r'<svg class="timeline range-chart"[^>]*>', html)
    assert charts
    for chart in charts:
        assert 'role="img"' in chart and "aria-labelledby=" in chart
    ids = re.findall(r'aria-labelledby="([^ "]+) ([^"]+)"', "".join(charts))
    for title, desc in ids:
        assert f'<title id="{title}">' in html and f'<desc id="{desc}">' in html
    # Every bar has its own <title>, and its rule is a row of a table.
    assert html.count('<rect class="bar') == len(re.findall(r'" rx="3"><title>', html))
    table_rules = set(re.findall(r'<td class="rule-code">([^<]+)</td>', html))
    assert set(re.findall(r'data-rule="([^"]+)"', html)) <= table_rules


def test_consolidated_day_is_the_engines_okay_day(
    client: FlaskClient, knowledge: Knowledge
) -> None:
    procedure = knowledge.procedures["microneedling"]
    body = client.get("/api/procedures/microneedling/timeline").get_json()
    html = html_of(client, "/procedures/microneedling")
    assert {item["subject"]["id"] for item in body["subjects"]} == {
        knowledge.concepts[rule.subject].id for rule in procedure.rules
    }
    for item in body["subjects"]:
        concept = knowledge.concept(item["subject"]["kind"], item["subject"]["id"], "id")
        expected = assess(knowledge, procedure, concept, 0).ok_from_day
        assert item["ok_from_day"] == expected, concept.id
        if item["restricted"]:
            words = (
                "no end after this procedure" if expected is None else f"okay from day {expected}"
            )
            assert escape(f"{concept.label}: {words}") in html


def test_retinoid_disagreement_after_microneedling_names_shortest_and_longest(
    client: FlaskClient, knowledge: Knowledge
) -> None:
    retinoid = knowledge.concept("class", "retinoid", "id")
    ends = [rule.ok_from_day for rule in restricting_rules(knowledge, "microneedling", retinoid)]
    shortest, longest = min(e for e in ends if e is not None), max(e for e in ends if e is not None)
    assert shortest < longest  # the sources do disagree
    sentence = f"Retinoid: {shortest} to {longest} days depending on the source; we use {longest}."
    assert sentence in html_of(client, "/procedures/microneedling")
    body = client.get("/api/procedures/microneedling/timeline").get_json()
    item = next(s for s in body["subjects"] if s["subject"]["id"] == "retinoid")
    assert item["disagreement"] == sentence
    assert item["source_ok_from_days"][0] == shortest and item["ok_from_day"] == longest


def test_sources_that_agree_give_no_disagreement(client: FlaskClient, knowledge: Knowledge) -> None:
    body = client.get("/api/procedures/microneedling/timeline").get_json()
    agreeing = 0
    for item in body["subjects"]:
        subject = knowledge.concept(item["subject"]["kind"], item["subject"]["id"], "id")
        days = {rule.ok_from_day for rule in restricting_rules(knowledge, "microneedling", subject)}
        if len(days) == 1:  # every source that restricts it gives the same day
            agreeing += 1
            assert item["disagreement"] is None, item["subject"]["id"]
            assert item["ok_from_day"] == next(iter(days))
        elif len(days) > 1:
            assert item["disagreement"] is not None, item["subject"]["id"]
    assert agreeing > 0


def test_timeline_json_fields(client: FlaskClient) -> None:
    body = client.get("/api/procedures/Microneedling/timeline").get_json()
    assert body["id"] == "microneedling" and body["rule_count"] >= 82
    assert body["phases"][0]["from_day"] == 0
    assert body["contraindications"] and body["warning_signs"]
    item = body["subjects"][0]
    assert set(item) == {
        "procedure",
        "subject",
        "restricted",
        "ok_from_day",
        "source_ok_from_days",
        "disagreement",
        "summary",
        "rules",
        "other_rules",
    }
    for subject in body["subjects"]:
        assert all(rule["verdict"] in ("avoid", "caution") for rule in subject["rules"])
        assert all(rule["verdict"] not in ("avoid", "caution") for rule in subject["other_rules"])
        assert all(rule["via"] and rule["sources"] for rule in subject["rules"])


def test_procedure_page_shows_phases_contraindications_and_warning_signs(
    client: FlaskClient, knowledge: Knowledge
) -> None:
    procedure = knowledge.procedures["ipl"]
    html = html_of(client, "/procedures/IPL")
    for phase in procedure.phases:
        assert escape(phase.label) in html
    contraindications = section(html, "contraindications")
    for item in procedure.contraindications:
        label = knowledge.concept("condition", item.condition, "id").label
        assert escape(label) in contraindications
        assert escape(item.sources[0].title) in contraindications
    signs = section(html, "warning-signs")
    for sign in procedure.warning_signs:
        assert escape(sign.description) in signs
    assert "Day 0 is the day of the procedure" in html


def test_hour_rules_and_team_defaults_say_so_in_the_table(client: FlaskClient) -> None:
    html = html_of(client, "/procedures/microneedling")
    assert "okay once the full 72 hours have passed" in html
    assert "the source gave no duration: team default" in html


def test_unknown_procedure_page_names_the_known_ones(client: FlaskClient) -> None:
    response = client.get("/procedures/tattoo")
    assert response.status_code == 422
    assert "known procedures: " in response.get_data(as_text=True)
    assert_error(client.get("/api/procedures/tattoo/timeline"), 422, "procedure")


# --- classes -------------------------------------------------------------------------------


def test_class_page_lists_broader_and_narrower_classes_and_members(
    client: FlaskClient, knowledge: Knowledge
) -> None:
    retinoid = knowledge.concept("class", "retinoid", "id")
    html = html_of(client, "/classes/retinoid")
    assert escape(retinoid.definition or "") in html
    narrower = [c for c in knowledge.of_kind("class") if retinoid.iri in c.broader]
    assert narrower
    hierarchy = html[html.index('id="broader"') : html.index('id="members"')]
    for concept in narrower:
        assert f'href="/classes/{concept.id}"' in hierarchy
    for iri in retinoid.broader:
        assert f'href="/classes/{knowledge.concepts[iri].id}"' in hierarchy
    members = section(html, "members")
    for name in ("retinol", "retinyl-palmitate", "tretinoin"):
        assert f'href="/ingredients/{name}"' in members


def test_class_page_takes_a_name_or_plural_in_any_case(client: FlaskClient) -> None:
    expected = client.get("/api/classes/retinoid").get_json()
    for key in ("Retinoid", "Retinoids", "RETINOIDS", "vitamin A derivatives"):
        assert client.get(f"/api/classes/{key}").get_json() == expected
    assert html_of(client, "/classes/Retinoids") == html_of(client, "/classes/retinoid")


def test_class_members_are_counted_paged_and_curated_first(knowledge: Knowledge) -> None:
    client = create_app(
        {"TESTING": True, "KNOWLEDGE": knowledge, "CLASS_MEMBERS_PER_PAGE": 7}
    ).test_client()
    first = client.get("/api/classes/humectant").get_json()["members"]
    assert first["per_page"] == 7 and len(first["items"]) == 7
    assert first["total"] > first["curated"] > 7  # CosIng adds many to this class
    assert first["pages"] == -(-first["total"] // 7)
    assert all(item["curated"] for item in first["items"])
    last = client.get(f"/api/classes/humectant?page={first['pages']}").get_json()["members"]
    assert not last["items"][-1]["curated"]
    assert 1 <= len(last["items"]) <= 7
    html = client.get("/classes/humectant?page=2").get_data(as_text=True)
    assert f"Ingredients ({first['total']})" in html
    assert 'rel="next" href="/classes/humectant?page=3#members"' in html


def test_class_json_fields(client: FlaskClient, knowledge: Knowledge) -> None:
    body = client.get("/api/classes/retinoid").get_json()
    assert {"id", "label", "alt_labels", "definition", "broader", "narrower"} <= set(body)
    assert {"total", "curated", "page", "per_page", "pages", "items"} <= set(body["members"])
    member = body["members"]["items"][0]
    assert set(member) == {"id", "label", "curated", "class"}
    assert [p["procedure"]["id"] for p in body["procedures"]] == sorted(
        knowledge.procedures, key=lambda key: knowledge.procedures[key].label.casefold()
    )
    microneedling = next(p for p in body["procedures"] if p["procedure"]["id"] == "microneedling")
    assert (
        microneedling["ok_from_day"]
        == assess(
            knowledge,
            knowledge.procedures["microneedling"],
            knowledge.concept("class", "retinoid", "id"),
            0,
        ).ok_from_day
    )


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/api/classes/zorblaxin", 404, "id"),
        ("/api/classes/retinol", 404, "id"),  # an ingredient, not a class
        ("/api/classes/retinoid?page=x", 400, "page"),
        ("/api/classes/retinoid?page=0", 404, "page"),
        ("/api/classes/retinoid?page=99", 404, "page"),
        ("/api/compare", 400, "subject"),
        ("/api/compare?subject=zorblaxin", 404, "subject"),
    ],
)
def test_professional_api_errors_have_the_one_shape(
    client: FlaskClient, url: str, status: int, field: str
) -> None:
    assert_error(client.get(url), status, field)


# --- compare -------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["retinoid", "Retinoids", "Retinoid", "RETINOIDS", " retinoids "])
def test_compare_gives_the_same_result_for_an_id_and_a_label(client: FlaskClient, key: str) -> None:
    expected = client.get("/api/compare?subject=retinoid").get_json()
    assert client.get("/api/compare", query_string={"subject": key}).get_json() == expected
    by_id = section(html_of(client, "/compare?subject=retinoid"), "compare")
    by_key = client.get("/compare", query_string={"subject": key}).get_data(as_text=True)
    assert section(by_key, "compare") == by_id


def test_compare_lists_every_procedure_with_the_engines_day_and_sources(
    client: FlaskClient, knowledge: Knowledge
) -> None:
    body = client.get("/api/compare?subject=sun exposure").get_json()
    assert body["subject"]["id"] == "sun-exposure" and body["subject"]["kind"] == "activity"
    assert len(body["procedures"]) == len(knowledge.procedures)
    sun = knowledge.concept("activity", "sun-exposure", "id")
    for item in body["procedures"]:
        procedure = knowledge.procedures[item["procedure"]["id"]]
        assert item["ok_from_day"] == assess(knowledge, procedure, sun, 0).ok_from_day
        assert all(rule["sources"][0]["title"] for rule in item["rules"])
    html = html_of(client, "/compare?subject=Sun+exposure")
    restricting = sum(len(item["rules"]) for item in body["procedures"])
    assert html.count('<rect class="bar') == restricting


def test_compare_reaches_product_types_and_ingredients(client: FlaskClient) -> None:
    assert client.get("/api/compare?subject=Makeup").get_json()["subject"]["id"] == "makeup"
    retinol = client.get("/api/compare?subject=retinol").get_json()
    assert retinol["subject"]["kind"] == "ingredient"
    microneedling = next(
        p for p in retinol["procedures"] if p["procedure"]["id"] == "microneedling"
    )
    assert microneedling["restricted"]
    assert any("Retinoid" in rule["via"] for rule in microneedling["rules"])


def test_compare_prefers_the_class_and_offers_the_ingredient_of_the_same_name(
    client: FlaskClient, knowledge: Knowledge
) -> None:
    body = client.get("/api/compare?subject=BHA").get_json()
    assert body["subject"]["kind"] == "class" and body["subject"]["id"] == "bha"
    other = next(item for item in body["also"] if item["kind"] == "ingredient")
    html = html_of(client, "/compare?subject=BHA")
    assert f"/compare?subject={other['id']}&amp;kind=ingredient" in html
    ingredient = client.get("/api/compare?subject=BHA&kind=ingredient").get_json()
    assert ingredient["subject"]["kind"] == "ingredient"
    assert ingredient["subject"]["id"] == other["id"]
    assert knowledge.concept("ingredient", other["id"], "id").label != "BHA (beta-hydroxy acid)"
    assert_error(client.get("/api/compare?subject=BHA&kind=colour"), 422, "kind")


def test_compare_page_with_an_unknown_subject_says_so(client: FlaskClient) -> None:
    response = client.get("/compare?subject=zorblaxin")
    assert response.status_code == 404
    assert "No ingredient class, activity, product type or ingredient called" in (
        unescape(response.get_data(as_text=True))
    )
    assert 'id="subject"' in html_of(client, "/compare")


def test_find_subject_uses_the_knowledges_names(knowledge: Knowledge) -> None:
    for key in ("AHAs", "alpha hydroxy acids", "aha"):
        assert find_subject(knowledge, key).id == "aha"
    assert find_subject(knowledge, "vitamin A").id == "retinoid"  # the class's altLabel
    with pytest.raises(InvalidInput):
        find_subject(knowledge, "  ")


# --- shelf ---------------------------------------------------------------------------------


# --- the patient's page: conditions; navigation ---------------------------------------------


@pytest.mark.parametrize("url", ["/", "/procedures", "/shelf", "/compare", "/ingredients"])
def test_every_page_links_to_the_professional_pages(client: FlaskClient, url: str) -> None:
    html = html_of(client, url)
    for link in ("/procedures", "/ingredients", "/shelf"):
        assert f'href="{link}"' in html
