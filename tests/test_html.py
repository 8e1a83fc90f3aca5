"""The patient's page: the form, the answer in words, reasons with sources, the safety text."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from html import escape, unescape
from typing import Any

import pytest
from flask.testing import FlaskClient
from icalendar import Calendar

from app import create_app
from graph.index import Knowledge
from graph.plan import build_plan
from tests.images import draw_label
from tests.test_professional import html_of, section

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
    assert "Not yet — okay again from day" in html and "Last day to avoid it: day" in html
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
    assert "Not yet — okay again from " in html and " Dec (day" in html


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
        client, procedure="microneedling", when="day", day="30", ingredients="Aqua, Zorblaxin-9"
    )
    assert 'class="banner unknown"' in html
    assert "we don't know 1 of 2 ingredients (Zorblaxin-9)" in html


def test_result_page_says_why_prose_naming_an_active_keeps_it_from_okay(
    client: FlaskClient,
) -> None:
    copy = "Aqua, Glycerin. This serum contains glycolic acid for a brighter complexion."
    html = page(client, procedure="microneedling", when="day", day="2", ingredients=copy)
    assert 'class="banner unknown"' in html
    assert "the text about the product names glycolic acid, which its list does not hold" in html


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
    assert "The day number must be a whole number" in html
    assert "Aqua, Retinol</textarea>" in html


def when_answer(client: FlaskClient, **values: str) -> tuple[int, str]:
    """Post the form without JavaScript: both date and day are sent, the radio as it was."""
    form = {"procedure": "microneedling", "ingredients": "Aqua, Retinol", **values}
    response = client.post("/", data=form)
    return response.status_code, unescape(response.get_data(as_text=True))


def test_a_day_typed_without_its_radio_button_is_the_day_asked(client: FlaskClient) -> None:
    # The date box shows today by default; a day number beside it is what the person meant.
    status, html = when_answer(
        client, when="date", procedure_date=date.today().isoformat(), day="2"
    )
    assert status == 200
    assert "Today is day 2 after your microneedling." in html
    assert 'id="when-day" name="when" value="day" checked' in html


def test_a_date_typed_without_its_radio_button_is_the_date_asked(client: FlaskClient) -> None:
    start = date.today() - timedelta(days=9)
    status, html = when_answer(client, when="day", procedure_date=start.isoformat())
    assert status == 200
    assert "Today is day 9 after your microneedling on " in html
    words = f"{start:%a} {start.day} {start:%b %Y}"  # beside the date box, as answers write it
    assert f'<p class="hint date-words" id="procedure_date-words">{words}</p>' in html


def test_a_date_and_a_day_that_disagree_say_what_to_fix_next_to_the_field(
    client: FlaskClient,
) -> None:
    start = date.today() - timedelta(days=9)
    status, html = when_answer(client, when="date", procedure_date=start.isoformat(), day="2")
    assert status == 422
    assert 'id="verdict"' not in html  # no answer for either day
    beside = section(html, "when")
    assert "You gave two answers to “When was it?”" in beside
    assert f"{short(start)}, which makes today day 9, and day 2" in beside
    assert "Clear the day number or correct the date" in beside
    assert 'aria-invalid="true"' in beside


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"when": "date", "procedure_date": "2999-01-01"}, "The procedure date, "),
        ({"when": "date", "procedure_date": "9999-12-31"}, "The procedure date must be"),
        ({"when": "day", "day": "5000"}, "The day number must be between"),
        ({"when": "day", "day": "soon"}, "The day number must be a whole number"),
        ({"when": "date"}, "Give the date of your procedure, or which day"),
    ],
)
def test_a_wrong_when_is_said_in_plain_words_never_a_field_name(
    client: FlaskClient, values: dict[str, str], words: str
) -> None:
    status, html = when_answer(client, **values)
    assert 400 <= status < 500
    alert = section(html, "when")
    assert words in alert
    for raw in ("procedure_date", "product_type", " day must", "today must"):
        assert raw not in re.sub(r"<[^>]+>", " ", html.split("<main")[1])


def test_unknown_page_is_a_friendly_404(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Not medical advice" in response.get_data(as_text=True)


# --- the answer: banner, deciding ingredients, sources, "did you mean" ---------------------

ANSWER_QUERY = {
    "procedure": "microneedling",
    "when": "date",
    "procedure_date": "2026-11-20",
    "ingredients": "Aqua, Glycerin, Retinol, Zorblaxin-9",
}


def api_answer(client: FlaskClient, **body: object) -> dict[str, Any]:
    answer: dict[str, Any] = client.post("/api/check", json=body).get_json()
    return answer


def short(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def test_banner_says_not_yet_and_the_real_date_of_the_okay_day(client: FlaskClient) -> None:
    query = {**ANSWER_QUERY, "ingredients": "Aqua, Retinol"}
    html = page(client, **query)
    answer = api_answer(
        client, procedure="microneedling", ingredients="Aqua, Retinol", procedure_date="2026-11-20"
    )
    okay = date(2026, 11, 20) + timedelta(days=answer["ok_from_day"])
    wait = answer["ok_from_day"] - answer["day"]
    assert (
        f"<h2>Not yet — okay again from {short(okay)} (day {answer['ok_from_day']}, in {wait} days)"
        in html
    )
    assert '<svg class="icon"' in html  # an icon beside the words, never colour alone


def headline(html: str) -> str:
    found = re.search(r'id="verdict">.*?<h2>(.*?)</h2>', html, re.S)
    assert found is not None
    return unescape(found.group(1))


@pytest.mark.parametrize(
    ("day", "label", "product_type", "banner", "words"),
    [
        ("3", "Aqua, Retinol", "", "avoid", r"Not yet — okay again from day \d+ \(in \d+ days\)"),
        # an unknown name beside a restricted one: the okay day is not promised
        (
            "3",
            "Aqua, Retinol, Zorblaxin-9",
            "",
            "avoid",
            r"Not yet — not before day \d+ \(in \d+ days\), and we don't know 1 of 3 "
            r"ingredients \(Zorblaxin-9\)",
        ),
        ("1", "Aqua", "cleanser", "caution", r"Use with care until day \d+"),
        ("30", "Aqua", "", "ok", r"Yes — okay today"),
        ("3", "Glycerin", "", "recommended", r"Yes — okay today, and the sources recommend it"),
        ("30", "Aqua, Zorblaxin-9", "", "unknown", r"Can't tell yet: we don't know 1 of 2 "),
        # a name read only by its pattern is not known: the headline never starts with Okay
        (
            "30",
            "Aqua, Glycerine, Zorblaxine Extract, Niacinamde",
            "",
            "unknown",
            r"Can't tell yet: we don't know 1 of 4 ingredients \(Zorblaxine Extract\)",
        ),
        ("30", "Zorblaxin-9", "", "unknown", r"Can't tell yet: we don't know this ingredient "),
        ("30", "Aqua, Glycerin, …", "", "unknown", r"Can't tell yet: the list is cut short \("),
    ],
)
def test_headline_answers_may_i_use_it_today(
    client: FlaskClient, day: str, label: str, product_type: str, banner: str, words: str
) -> None:
    html = page(
        client,
        procedure="microneedling",
        when="day",
        day=day,
        ingredients=label,
        product_type=product_type,
    )
    assert f'class="banner {banner}"' in html
    said = headline(html)
    assert re.fullmatch(words + r".*", said), said
    assert not said.startswith("Okay")
    assert said.startswith("Yes") == (banner in ("ok", "recommended"))


def test_banner_lists_spelling_and_pattern_guesses_to_check(client: FlaskClient) -> None:
    html = page(
        client,
        procedure="microneedling",
        when="day",
        day="3",
        ingredients="Aqua, Glycerine, Zorblaxine Extract, Niacinamde",
    )
    banner = unescape(re.sub(r"<[^>]+>", " ", section(html, "verdict")))
    banner = re.sub(r"\s+", " ", banner)
    assert "Please check what we guessed" in banner
    assert "“Niacinamde”: read as Niacinamide, a close spelling" in banner
    assert "“Zorblaxine Extract”: by its name alone we guessed" in banner
    assert "so we don't count it as known" in banner


def test_deciding_ingredients_come_first_and_the_rest_is_collapsed(client: FlaskClient) -> None:
    html = page(client, **ANSWER_QUERY)
    deciding = html.index("What decides it")
    assert html.index('<span class="name">Retinol</span>') > deciding
    rest = html.index('<details class="rest">')
    assert html.index('<span class="name">Glycerin</span>') > rest > deciding
    assert html.index('<span class="name">Zorblaxin-9</span>') < rest


def test_every_restricting_source_is_shown_with_its_link_and_grade(client: FlaskClient) -> None:
    html = page(client, **ANSWER_QUERY)
    answer = api_answer(
        client, procedure="microneedling", ingredients="Retinol", procedure_date="2026-11-20"
    )
    reasons = [r for r in answer["ingredients"][0]["reasons"] if r["verdict"] == "avoid"]
    assert len({r["ok_from_day"] for r in reasons}) > 1  # the sources really do differ
    assert "Sources differ" in html
    for reason in reasons:
        assert f'<span class="rule-code">{reason["rule"]}</span>' in html
        for source in reason["sources"]:
            if source["url"]:
                assert f'href="{escape(source["url"])}"' in html
    assert "evidence grade C" in html


def test_unrecognised_token_is_shown_as_typed_with_did_you_mean(client: FlaskClient) -> None:
    # two slips from Salicylic Acid and three from Glycolic Acid: not guessed, but suggested
    answer = api_answer(client, procedure="microneedling", ingredients="Salycilic Acid", day=3)
    close = answer["ingredients"][0].get("did_you_mean") or []
    assert close, "the matcher suggests a close name for Salycilic Acid"
    html = page(client, **{**ANSWER_QUERY, "ingredients": "Aqua, Salycilic Acid"})
    assert '<span class="name">Salycilic Acid</span>' in html
    assert "Did you mean" in html and f"<strong>{close[0]['label']}</strong>" in html


def test_today_shows_activities_phase_and_when_to_call(
    client: FlaskClient, knowledge: Knowledge
) -> None:
    html = page(client, procedure="microneedling", when="day", day="3", ingredients="Aqua")
    overview = client.get("/api/procedures/microneedling/days/3").get_json()
    assert "Today: day 3" in html
    assert (
        escape(overview["phase"]["label"]) in html and escape(overview["phase"]["expect"]) in html
    )
    for activity in overview["activities"]:
        assert escape(activity["label"]) in html
    sun = next(a for a in overview["activities"] if a["id"] == "sun-exposure")
    words = "okay again from" if sun["verdict"] == "avoid" else "with care; fully okay from"
    assert f"{words} day {sun['ok_from_day']}" in html
    today = section(html, "today")  # grouped by kind: activities, then products
    assert today.index("<h4>Activities</h4>") < today.index("<h4>Products</h4>")
    assert " · " not in today
    for sign in knowledge.procedure("microneedling").warning_signs:
        assert escape(sign.description) in html


def test_answer_page_has_the_calendar_and_links_to_plan_and_ics(client: FlaskClient) -> None:
    html = page(client, **ANSWER_QUERY)
    assert '<svg class="timeline"' in html and 'role="img"' in html
    assert "/procedures/microneedling/plan?date=2026-11-20" in html
    assert "/procedures/microneedling/plan.ics?date=2026-11-20" in html


def test_answer_by_day_number_plans_from_the_implied_date(client: FlaskClient) -> None:
    html = page(client, procedure="microneedling", when="day", day="3", ingredients="Aqua")
    implied = (date.today() - timedelta(days=3)).isoformat()
    assert f"/procedures/microneedling/plan?date={implied}" in html


def test_form_lists_every_procedure_of_the_knowledge(
    client: FlaskClient, knowledge: Knowledge
) -> None:
    html = page(client)
    for procedure in knowledge.procedures.values():
        assert f'<option value="{procedure.id}"' in html


def test_pages_have_no_inline_script(client: FlaskClient) -> None:
    for html in (
        page(client),
        page(client, **ANSWER_QUERY),
        client.get("/procedures/microneedling/plan").get_data(as_text=True),
    ):
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag
        assert re.search(r"<script\b[^>]*>\s*[^<\s]", html) is None  # no script body
        assert re.search(r"\son[a-z]+=", html) is None  # no onclick= and the like


# --- the printable plan and the .ics -------------------------------------------------------


def test_plan_page_has_real_dates_timeline_and_safety(client: FlaskClient) -> None:
    response = client.get("/procedures/microneedling/plan?date=2026-11-20&today=2026-11-23")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Fri 20 Nov 2026" in html
    assert "From Fri 27 Nov (day 7)" in html
    assert '<svg class="timeline"' in html and ">today</text>" in html
    assert "today is day 3" in html
    assert "plan.ics?date=2026-11-20" in html
    for words in SAFETY:
        assert words in html


def test_stylesheet_has_a_print_layout(client: FlaskClient) -> None:
    with client.get("/static/style.css") as response:
        assert "@media print" in response.get_data(as_text=True)


def test_plan_ics_has_one_event_per_okay_again_date(client: FlaskClient) -> None:
    response = client.get("/procedures/microneedling/plan.ics?date=2026-11-20&today=2026-11-20")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    calendar = Calendar.from_ical(response.get_data())
    events = list(calendar.walk("VEVENT"))
    plan = client.get("/api/procedures/microneedling").get_json()
    okay_days = {
        rule["ok_from_day"]
        for rule in plan["rules"]
        if rule["verdict"] in ("avoid", "caution") and rule["ok_from_day"] is not None
    }
    starts = sorted(event.decoded("dtstart") for event in events)
    assert len(starts) == len(set(starts))  # one event per date
    assert set(starts) <= {date(2026, 11, 20) + timedelta(days=day) for day in okay_days}
    assert date(2026, 11, 27) in starts  # day 7: most of the week-long restrictions end
    assert all("Okay again" in str(event["summary"]) for event in events)


def test_plan_ics_leaves_out_the_days_already_past(client: FlaskClient) -> None:
    path = "/procedures/microneedling/plan.ics?date=2026-11-20&today={}"
    on_the_day = Calendar.from_ical(client.get(path.format("2026-11-20")).get_data())
    later = Calendar.from_ical(client.get(path.format("2026-11-28")).get_data())
    starts = [event.decoded("dtstart") for event in later.walk("VEVENT")]
    assert starts and min(starts) >= date(2026, 11, 28)
    assert len(starts) < len(list(on_the_day.walk("VEVENT")))


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/procedures/no-such/plan", 422, "known procedures: "),
        ("/procedures/microneedling/plan?date=20-11-2026", 422, "YYYY-MM-DD"),
        ("/procedures/microneedling/plan.ics?date=9999-12-31", 422, "between 1900 and 8999"),
    ],
)
def test_plan_bad_input_is_a_clear_page(
    client: FlaskClient, path: str, status: int, words: str
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert words in response.get_data(as_text=True)


# --- the label photo -----------------------------------------------------------------------


def photo_form(data: bytes, name: str = "label.png") -> dict[str, Any]:
    return {
        "procedure": "microneedling",
        "when": "day",
        "day": "3",
        "ingredients": "",
        "photo": (io.BytesIO(data), name),
    }


def test_label_photo_text_lands_in_the_textarea_for_correction(client: FlaskClient) -> None:
    response = client.post("/label-photo", data=photo_form(draw_label()))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)
    assert textarea is not None
    assert "Retinol" in textarea.group(1) and "Sodium Hyaluronate" in textarea.group(1)
    assert "Phenoxyethanol" in textarea.group(1)  # the line-end hyphen is joined
    assert "We read this text from your photo" in html
    assert 'class="banner' not in html  # not checked until the person says so


@pytest.mark.parametrize(
    ("config", "data", "status", "words"),
    [
        ({}, b"%PDF-1.4 not a photo", 415, "not a photo we can read"),
        ({"MAX_IMAGE_BYTES": 1000}, None, 413, "larger than"),
        ({"MAX_IMAGE_PIXELS": 10_000}, None, 413, "megapixels"),
        ({}, b"", 400, "Choose a photo"),
    ],
)
def test_label_photo_refusals_are_clear(
    knowledge: Knowledge, config: dict[str, Any], data: bytes | None, status: int, words: str
) -> None:
    client = create_app({"TESTING": True, "KNOWLEDGE": knowledge, **config}).test_client()
    response = client.post("/label-photo", data=photo_form(draw_label() if data is None else data))
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert words in html and "We could not read that photo" in html


def test_label_photo_larger_than_the_request_cap_is_refused(knowledge: Knowledge) -> None:
    limits = {"MAX_IMAGE_BYTES": 2000, "MAX_CONTENT_LENGTH": 10_000}
    app = create_app({"TESTING": True, "KNOWLEDGE": knowledge, **limits})
    response = app.test_client().post("/label-photo", data=photo_form(b"\0" * 50_000))
    assert response.status_code == 413
    assert "larger than" in response.get_data(as_text=True)


def test_ingredient_search_page_finds_by_prefix_and_typo(client: FlaskClient) -> None:
    html = client.get("/ingredients?q=retinyl").get_data(as_text=True)
    assert "Retinyl Palmitate" in html and 'href="/ingredients/retinyl-palmitate"' in html
    typo = client.get("/ingredients?q=niacinamde").get_data(as_text=True)
    assert "Niacinamide" in typo


def test_ingredient_page_shows_classes_functions_and_rules_with_sources(
    client: FlaskClient,
) -> None:
    html = client.get("/ingredients/retinyl-palmitate").get_data(as_text=True)
    assert "<h1>Retinyl Palmitate</h1>" in html
    assert "Retinyl Palmitate → Cosmetic retinoid → Retinoid" in html
    assert "Functions (EU CosIng)" in html
    assert "MN-01" in html and "evidence grade" in html
    assert "Not medical advice" in html


def test_ingredient_page_unknown_id_is_a_friendly_404(client: FlaskClient) -> None:
    response = client.get("/ingredients/zorblaxin-9")
    assert response.status_code == 404
    assert "No ingredient called" in response.get_data(as_text=True)


def test_a_close_spelling_is_shown_with_what_it_was_read_as(client: FlaskClient) -> None:
    answer = api_answer(
        client, procedure="microneedling", day=3, ingredients="Aqua, Retinyl Palmitat"
    )
    read = answer["ingredients"][1]
    assert read["match"] == "fuzzy"
    html = page(
        client, procedure="microneedling", when="day", day="3", ingredients="Aqua, Retinyl Palmitat"
    )
    assert f"Read as <strong>{read['ingredient']['label']}</strong> — a close spelling" in html
    assert f"(match {round(read['score'])}/100)" in html


def test_every_procedure_has_an_answer_and_a_plan(
    client: FlaskClient, knowledge: Knowledge
) -> None:
    for procedure in knowledge.procedures.values():
        answer = page(
            client, procedure=procedure.id, when="day", day="3", ingredients="Aqua, Retinol"
        )
        assert 'class="banner' in answer and '<svg class="timeline"' in answer
        response = client.get(f"/procedures/{procedure.id}/plan?date=2026-11-20")
        assert response.status_code == 200, procedure.id
        plan = response.get_data(as_text=True)
        assert f"Aftercare plan: {escape(procedure.label)}" in plan
        for phase in procedure.phases:
            assert escape(phase.expect) in plan
        plan_with_no_end = build_plan(knowledge, procedure.id, date(2026, 11, 20))
        if plan_with_no_end.never_okay:
            no_end = plan.index("No end after this procedure")
            for restriction in plan_with_no_end.never_okay:
                assert plan.index(escape(restriction.label), no_end) > no_end
        ics = client.get(f"/procedures/{procedure.id}/plan.ics?date=2026-11-20&today=2026-11-20")
        assert len(list(Calendar.from_ical(ics.get_data()).walk("VEVENT"))) == len(
            plan_with_no_end.milestones
        )


def test_the_answer_page_says_how_a_trace_was_read_and_what_was_set_aside(
    client: FlaskClient,
) -> None:
    html = page(
        client,
        procedure="microneedling",
        when="day",
        day="2",
        ingredients="Aqua, Glycerin, Phenoxyethanol, Citric Acid. Free of parabens and fragrance.",
    )
    assert "Read as a pH adjuster and chelator: listed after Phenoxyethanol" in html
    assert "Read as text about the product, not as ingredients (1)" in html
    assert "<li>Free of parabens and fragrance</li>" in html


@pytest.mark.parametrize(
    "path",
    [
        "/?procedure=microneedling&when=day&day=%C2%B2&ingredients=Aqua",  # '²'
        "/procedures/microneedling/plan?date=9999-12-31",
        "/procedures/microneedling/plan.ics?date=9999-12-31",
        "/classes/retinoid?page=%C2%B2",
    ],
)
def test_a_page_asked_with_odd_numbers_or_dates_answers_4xx_not_500(
    client: FlaskClient, path: str
) -> None:
    assert 400 <= client.get(path).status_code < 500


def test_patient_page_offers_every_condition_as_a_checkbox(
    client: FlaskClient, knowledge: Knowledge
) -> None:
    html = html_of(client, "/")
    for concept in knowledge.of_kind("condition"):
        assert f'id="condition-{concept.id}" name="conditions" value="{concept.id}"' in html
        assert f'<label for="condition-{concept.id}">' in html


def test_patient_page_shows_warnings_for_the_conditions_with_sources(
    client: FlaskClient,
) -> None:
    query = {
        "procedure": "microneedling",
        "when": "day",
        "day": "3",
        "ingredients": "Aqua, Glycerin",
        "conditions": ["pregnancy", "eczema"],
    }
    html = client.get("/", query_string=query).get_data(as_text=True)
    answer = client.post(
        "/api/check",
        json={
            "procedure": "microneedling",
            "day": 3,
            "ingredients": "Aqua, Glycerin",
            "conditions": ["pregnancy", "eczema"],
        },
    ).get_json()
    warnings = section(html, "warnings")
    assert len(answer["warnings"]) == 2
    for warning in answer["warnings"]:
        assert escape(warning["condition"]["label"]) in warnings
        assert escape(warning["rationale"]) in warnings
        for source in warning["sources"]:
            assert escape(source["title"]) in warnings
    assert 'value="pregnancy" checked' in html and 'value="eczema" checked' in html
    assert "conditions=pregnancy&amp;conditions=eczema" in html  # the share link keeps both


def test_patient_page_without_conditions_shows_no_warnings(client: FlaskClient) -> None:
    html = page(client, procedure="microneedling", when="day", day="3", ingredients="Aqua")
    assert 'id="warnings"' not in html


def test_patient_page_unknown_condition_is_a_clear_422(client: FlaskClient) -> None:
    response = client.get(
        "/",
        query_string={"when": "day", "day": "3", "ingredients": "Aqua", "conditions": "zorbitis"},
    )
    assert response.status_code == 422
    assert "known conditions" in unescape(response.get_data(as_text=True))


def test_every_page_leads_integrators_to_the_api_description_and_sparql(
    client: FlaskClient,
) -> None:
    page = client.get("/").get_data(as_text=True)
    for link in ('href="/api"', 'href="/sparql"'):
        assert link in page
    assert client.get("/api").status_code == 200


@pytest.mark.parametrize(
    ("path", "form", "words"),
    [
        ("/procedures/microneedling/plan?date=2999-01-01", None, "The date must be within"),
        (
            "/shelf",
            {
                "when": "date",
                "procedure_date": "2999-01-01",
                "name_1": "A",
                "ingredients_1": "Aqua",
            },
            "The procedure date is after today",
        ),
        ("/classes/retinoid?page=%C2%B2", None, "The page number must be"),
    ],
)
def test_other_pages_say_errors_in_plain_words_never_a_field_name(
    client: FlaskClient, path: str, form: dict[str, str] | None, words: str
) -> None:
    if form is None:
        response = client.get(path)
    else:
        response = client.post(path, data={"procedure": "microneedling", **form})
    assert 400 <= response.status_code < 500
    text = unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True).split("<main")[1]))
    assert words in text
    assert "procedure_date" not in text and "_" not in words


def test_a_deciding_ingredient_gives_its_reason_first_and_the_rule_table_behind_why(
    client: FlaskClient,
) -> None:
    html = page(client, **ANSWER_QUERY)
    answer = api_answer(
        client, procedure="microneedling", ingredients="Retinol", procedure_date="2026-11-20"
    )
    retinol = answer["ingredients"][0]
    first = next(r for r in retinol["reasons"] if r["ok_from_day"] == retinol["ok_from_day"])
    item = html[html.index('<span class="name">Retinol</span>') :]  # the first deciding one
    plain = item.index(f'<p class="plain">{escape(first["rationale"])}</p>')
    fold = item.index('<details class="why">')
    assert plain < fold < item.index(first["rule"]) and fold < item.index("evidence grade")
    assert "Why? Sources (" in item and ", they differ)" in item


def test_recommended_ingredients_are_named_once_not_a_rule_under_each(
    client: FlaskClient,
) -> None:
    html = page(
        client,
        procedure="microneedling",
        when="day",
        day="3",
        ingredients="Aqua, Retinol, Glycerin",
    )
    good = html.index('<p class="good">')
    assert "The sources recommend this now: Glycerin." in unescape(
        re.sub(r"<[^>]+>", "", html[good : html.index("</p>", good)])
    )
