"""The patient's page in a real browser: Debian's chromium driven by playwright."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient
from icalendar import Calendar
from playwright.sync_api import (
    Browser,
    FilePayload,
    Page,
    Route,
    ViewportSize,
    expect,
    sync_playwright,
)

from tests.images import draw_label

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE: ViewportSize = {"width": 360, "height": 780}

# The WCAG 2 contrast ratio of an element's text against the background it is drawn on.
CONTRAST_JS = """
(element) => {
  const rgb = (value) => value.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const [R, G, B] = [r, g, b].map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  let node = element;
  let background = null;
  while (node && node.nodeType === 1) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour && rgb(colour).length === 3 || (rgb(colour).length === 4 && rgb(colour)[3] > 0)) {
      background = rgb(colour).slice(0, 3);
      break;
    }
    node = node.parentElement;
  }
  background = background || [255, 255, 255];
  const text = rgb(getComputedStyle(element).color).slice(0, 3);
  const [light, dark] = [luminance(text), luminance(background)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: `make system-deps` installs it.")
    with sync_playwright() as playwright:
        # Playwright gives every launch a fresh, temporary user-data-dir.
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    opened = context.new_page()
    yield opened
    context.close()


def answer_url(server: str, **values: str) -> str:
    query = {"procedure": "microneedling", "when": "date", "procedure_date": "2026-11-20"}
    return f"{server}/?{urlencode({**query, **values})}#answer"


def api_answer(client: FlaskClient, **body: Any) -> dict[str, Any]:
    answer: dict[str, Any] = client.post("/api/check", json=body).get_json()
    return answer


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_ui_submitting_the_form_shows_the_verdict(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.get_by_label("Today is day").check()
    page.get_by_label("Day number").fill("3")
    page.get_by_label("Ingredients, as printed on the label").fill("Aqua, Glycerin, Retinol")
    page.get_by_role("button", name="Check", exact=True).click()
    banner = page.locator("#verdict")
    expect(banner).to_have_class(re.compile(r"\bavoid\b"))
    expect(banner.locator("h2")).to_have_text(
        re.compile(r"^Not yet — okay again from day \d+ \(in \d+ days\)$")
    )
    expect(page.locator(".deciding .name").first).to_have_text("Retinol")


def test_ui_form_works_without_javascript(browser: Browser, live_server: str) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/")
    page.get_by_label("Ingredients, as printed on the label").fill("Aqua, Retinol")
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.locator("#verdict h2")).to_contain_text("Not yet — okay again from")
    share = page.get_by_role("link", name="Link to this answer").get_attribute("href")
    assert share is not None and "ingredients=Aqua" in share
    page.goto(live_server + share)  # the shareable URL gives the same answer
    expect(page.locator("#verdict h2")).to_contain_text("Not yet — okay again from")
    context.close()


def test_ui_typing_a_label_updates_the_answer_live(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.evaluate("window.stayedOnThePage = true")
    page.get_by_label("Today is day").check()
    page.get_by_label("Day number").fill("3")
    page.get_by_label("Ingredients, as printed on the label").press_sequentially(
        "Aqua, Retinol", delay=15
    )
    expect(page.locator("#verdict h2")).to_have_text(
        re.compile(r"^Not yet — okay again from day \d+ \(in \d+ days\)$")
    )
    assert page.evaluate("window.stayedOnThePage") is True  # no form post: drawn by the script
    assert "ingredients=Aqua" in page.url  # and the address is still a shareable answer
    page.get_by_label("Ingredients, as printed on the label").fill("Aqua, Zorblaxin-9")
    expect(page.locator("#verdict h2")).to_contain_text(
        "Can't tell yet: we don't know 1 of 2 ingredients (Zorblaxin-9)"
    )


def test_ui_ticking_a_condition_shows_what_sources_say_live(page: Page, live_server: str) -> None:
    page.goto(answer_url(live_server, ingredients="Aqua, Retinol"))
    expect(page.locator("#warnings")).to_have_count(0)
    page.get_by_text("Anything that applies to you?").click()
    page.get_by_label("Pregnancy").check()
    live = page.locator("#warnings")
    expect(live).to_contain_text("Pregnancy")
    drawn = squeeze(live.inner_text())
    assert "conditions=pregnancy" in page.url  # the shareable address carries it
    page.reload()  # the server draws the same section from that address
    expect(page.locator("#warnings")).to_have_count(1)
    assert squeeze(page.locator("#warnings").inner_text()) == drawn
    page.get_by_label("Pregnancy").uncheck()
    expect(page.locator("#warnings")).to_have_count(0)


@pytest.mark.parametrize(
    "values",
    [
        {"ingredients": "Aqua, Glycerin, Retinol, Zorblaxin-9"},
        {"ingredients": "Aqua, Retinyl Palmitat", "product_type": "makeup"},
        {"ingredients": "Glycerin, Panthenol", "procedure_date": "2026-11-01"},
        {  # a trace read in its role, and text set aside
            "ingredients": "Aqua, Glycerin, Phenoxyethanol, Citric Acid. Free of parabens and "
            "fragrance. Helps your skin feel soft and smooth."
        },
        {"ingredients": "Aqua, Glycerin, Petrolatum, etc."},  # a list that says it goes on
        {"ingredients": "Aqua, Glycerine, Zorblaxine Extract, Niacinamde"},  # guesses to check
        {"ingredients": "Aqua", "product_type": "cleanser", "when": "day", "day": "1"},
    ],
)
def test_ui_live_answer_reads_like_the_server_answer(
    page: Page, live_server: str, values: dict[str, str]
) -> None:
    page.goto(answer_url(live_server, **values))
    from_server = squeeze(page.locator("#answer").inner_text())
    label = page.get_by_label("Ingredients, as printed on the label")
    label.press("End")
    label.press_sequentially(" ")  # the same label: now static/check.js redraws the answer
    expect(page.locator("#live-status")).to_have_text(re.compile(r"\S"))  # the script has drawn
    assert squeeze(page.locator("#answer").inner_text()) == from_server


def test_ui_source_link_leads_to_the_source(
    page: Page, live_server: str, client: FlaskClient
) -> None:
    answer = api_answer(
        client, procedure="microneedling", day=3, ingredients="Retinol", procedure_date=None
    )
    reasons = answer["ingredients"][0]["reasons"]
    first = next(r for r in reasons if r["ok_from_day"] == answer["ok_from_day"])
    source_url = next(s["url"] for s in first["sources"] if s["url"])
    page.goto(answer_url(live_server, ingredients="Retinol"))
    expect(page.locator(".deciding .plain").first).to_be_visible()  # the reason in plain words
    link = page.locator(".deciding .source-link").first
    expect(link).to_be_hidden()  # sources, rule codes and grades wait behind "Why?"
    page.locator(".deciding details.why summary").first.click()
    assert link.get_attribute("href") == source_url

    def offline_source(route: Route) -> None:  # the test never leaves 127.0.0.1
        route.fulfill(status=200, content_type="text/html", body="<title>The source</title>")

    page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), offline_source)
    link.click()
    page.wait_for_url(source_url)
    assert page.url == source_url


def test_ui_ics_download_has_the_okay_again_dates(page: Page, live_server: str) -> None:
    # yesterday's procedure: the calendar holds only dates from today on
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    page.goto(answer_url(live_server, ingredients="Retinol", procedure_date=yesterday))
    with page.expect_download() as info:
        page.get_by_role("link", name="Add the dates to my calendar (.ics)").click()
    download = info.value
    assert download.suggested_filename == f"aftercare-microneedling-{yesterday}.ics"
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert events
    assert all(event.decoded("dtstart") >= date.today() for event in events)  # none past
    said = " ".join(str(event["summary"]) + str(event["description"]) for event in events)
    assert "Retinoid" in said and "Sun exposure" in said


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?procedure=microneedling&when=date&procedure_date=2026-11-20"
        "&ingredients=Aqua%2C+Retinol%2C+Zorblaxin-9%2C+Sodium+Hyaluronate",
        "/?procedure=microneedling&when=day&day=3&product_type=makeup&ingredients=Aqua",
        "/procedures/microneedling/plan?date=2026-11-20",
        "/no-such-page",
    ],
)
def test_ui_layout_fits_a_360_px_phone(page: Page, live_server: str, path: str) -> None:
    page.goto(live_server + path)
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_ui_every_field_has_a_label_and_the_page_a_language(page: Page, live_server: str) -> None:
    for path in ("/", "/procedures/microneedling/plan?date=2026-11-20"):
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.lang") == "en"
        fields = page.evaluate(
            """[...document.querySelectorAll('input, select, textarea')]
                 .filter((field) => field.type !== 'hidden')
                 .map((field) => ({id: field.id, labels: [...field.labels]
                   .map((label) => label.textContent.trim()).filter(Boolean)}))"""
        )
        assert fields
        for field in fields:
            assert field["labels"], f"{path}: #{field['id']} has no label"


@pytest.mark.parametrize(
    ("values", "verdict"),
    [
        ({"ingredients": "Retinol"}, "avoid"),
        ({"ingredients": "Aqua", "when": "day", "day": "1", "product_type": "cleanser"}, "caution"),
        ({"ingredients": "Zorblaxin-9", "when": "day", "day": "30"}, "unknown"),
        ({"ingredients": "Aqua, Glycerin", "when": "day", "day": "30"}, "ok"),
        ({"ingredients": "Glycerin", "when": "day", "day": "3"}, "recommended"),
    ],
)
def test_ui_answer_text_has_aa_contrast(
    page: Page, live_server: str, values: dict[str, str], verdict: str
) -> None:
    page.goto(answer_url(live_server, **values))
    banner = page.locator("#verdict")
    expect(banner).to_have_class(re.compile(rf"\b{verdict}\b"))
    for text in (banner.locator("h2"), banner.locator("p"), page.locator(".badge").first):
        assert text.evaluate(CONTRAST_JS) >= 4.5
    for selector in (".hint", ".source", ".classes", "footer.safety p", "a"):
        for element in page.locator(selector).all()[:5]:
            if element.is_visible():
                assert element.evaluate(CONTRAST_JS) >= 4.5, selector


def test_ui_keyboard_alone_fills_and_submits_the_form(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    visited = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id || document.activeElement.tagName")
        visited.append(focused)
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", f"no visible focus on {focused}"
        if focused == "ingredients":
            break
    assert visited.index("procedure") < visited.index("procedure_date") < len(visited) - 1
    assert visited[-1] == "ingredients"
    assert "product_type" in visited
    page.keyboard.type("Aqua, Glycerin, Retinol")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Check"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#answer$"))
    expect(page.locator("#verdict h2")).to_contain_text("Not yet — okay again from")


def test_ui_label_photo_is_read_into_the_form(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    photo: FilePayload = {"name": "label.png", "mimeType": "image/png", "buffer": draw_label()}
    page.get_by_label("Or read the label from a photo").set_input_files(files=[photo])
    page.get_by_role("button", name="Read the photo").click()
    expect(page.locator("#photo-read")).to_be_visible()
    textarea = page.get_by_label("Ingredients, as printed on the label")
    expect(textarea).to_have_value(re.compile(r"Glycerin.*Retinol.*Sodium Hyaluronate"))
    expect(textarea).to_be_focused()  # ready to correct what was misread
    expect(page.locator("#verdict")).to_have_count(0)  # nothing is checked before that


def test_ui_changing_the_day_marks_today_and_calendar_as_out_of_date(
    page: Page, live_server: str
) -> None:
    page.goto(answer_url(live_server, ingredients="Aqua", when="day", day="3"))
    stale = page.locator("#today .stale")
    expect(stale).to_be_hidden()
    page.get_by_label("Day number").fill("9")
    expect(page.locator("#verdict p")).to_contain_text("Today is day 9")
    expect(stale).to_be_visible()
    expect(page.locator("#calendar .stale")).to_be_visible()


def test_ui_live_answer_works_under_a_strict_content_security_policy(
    page: Page, live_server: str
) -> None:
    policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    def with_policy(route: Route) -> None:
        response = route.fetch()
        route.fulfill(
            response=response, headers={**response.headers, "content-security-policy": policy}
        )

    page.route(f"{live_server}/**", with_policy)
    page.goto(live_server + "/")
    page.get_by_label("Ingredients, as printed on the label").fill("Aqua, Retinol")
    expect(page.locator("#verdict h2")).to_contain_text("Not yet — okay again from")
    page.goto(live_server + "/procedures/microneedling/plan?date=2026-11-20")
    expect(page.get_by_role("button", name="Print this plan")).to_be_visible()
    assert violations == []


def test_ui_typing_a_day_selects_it_live_and_when_submitted(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.get_by_label("Day number").fill("2")  # the radio button is left as it was
    expect(page.get_by_label("Today is day")).to_be_checked()
    page.get_by_label("Ingredients, as printed on the label").fill("Aqua, Retinol")
    expect(page.locator("#verdict p")).to_contain_text("Today is day 2 after")
    page.get_by_role("button", name="Check", exact=True).click()
    page.wait_for_url(re.compile(r"#answer$"))
    expect(page.locator("#verdict p").first).to_contain_text("Today is day 2 after")
    page.get_by_label("Procedure date").fill("2026-11-20")  # back to the date: it counts
    expect(page.get_by_label("My procedure was on")).to_be_checked()
    expect(page.locator("#procedure_date-words")).to_have_text("Fri 20 Nov 2026")  # as answers say
    expect(page.locator("#verdict p").first).to_contain_text("on Fri 20 Nov 2026")


def test_ui_without_javascript_a_typed_day_counts_and_a_contradiction_is_explained(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/")
    page.get_by_label("Day number").fill("2")
    page.get_by_label("Ingredients, as printed on the label").fill("Aqua, Retinol")
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.locator("#verdict p").first).to_contain_text("Today is day 2 after")
    page.get_by_label("My procedure was on").check()
    page.get_by_label("Procedure date").fill("2026-11-20")  # the day number still says 2
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.locator("#verdict")).to_have_count(0)
    said = page.locator("#when-error")
    expect(said).to_be_visible()
    expect(said).to_contain_text("You gave two answers to “When was it?”: Fri 20 Nov")
    expect(page.get_by_label("Day number")).to_have_attribute("aria-invalid", "true")
    context.close()


# The WCAG 2 contrast ratio of the focused element's outline against the page behind it.
OUTLINE_CONTRAST_JS = """
() => {
  const rgb = (value) => value.match(/[\\d.]+/g).map(Number).slice(0, 3);
  const luminance = (colour) => {
    const [R, G, B] = colour.map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const ring = luminance(rgb(getComputedStyle(document.activeElement).outlineColor));
  return Math.min(...["#fff", getComputedStyle(document.body).backgroundColor].map((bg) => {
    const probe = document.createElement("i");
    probe.style.color = bg;
    document.body.append(probe);
    const back = luminance(rgb(getComputedStyle(probe).color));
    probe.remove();
    const [light, dark] = [ring, back].sort((a, b) => b - a);
    return (light + 0.05) / (dark + 0.05);
  }));
}
"""


def test_ui_skip_link_and_focus_ring_a_keyboard_user_can_see(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0  # shown when focused, not left off screen
    assert page.evaluate(OUTLINE_CONTRAST_JS) >= 3
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is the page's own first field, not the menu
    assert page.evaluate("document.activeElement.id") == "procedure"
    assert page.evaluate(OUTLINE_CONTRAST_JS) >= 3


def test_ui_chart_text_is_at_least_12_px(page: Page, live_server: str) -> None:
    for path in ("/procedures/microneedling", answer_url(live_server, ingredients="Retinol")):
        page.goto(path if path.startswith("http") else live_server + path)
        sizes = page.evaluate(
            "[...document.querySelectorAll('svg text')]"
            ".map((text) => parseFloat(getComputedStyle(text).fontSize))"
        )
        assert sizes and min(sizes) >= 12, path


# Boxes that scroll sideways but that a keyboard cannot reach, or that have no name.
UNREACHABLE_SCROLLERS_JS = """
() => [...document.querySelectorAll("main *")]
  .filter((box) => ["auto", "scroll"].includes(getComputedStyle(box).overflowX)
                   && box.scrollWidth > box.clientWidth)
  .filter((box) => box.tabIndex < 0 || !box.getAttribute("aria-label"))
  .map((box) => box.outerHTML.slice(0, 80))
"""


def test_ui_scrolling_result_tables_are_reachable_by_keyboard(page: Page, live_server: str) -> None:
    query = "SELECT ?rule ?subject ?verdict ?source WHERE { ?rule ?p ?subject } LIMIT 5"
    page.goto(f"{live_server}/sparql?{urlencode({'query': query})}")
    expect(page.get_by_role("region", name="Query results")).to_have_attribute("tabindex", "0")
    assert page.evaluate(UNREACHABLE_SCROLLERS_JS) == []
    page.goto(live_server + "/shelf")
    page.get_by_label("Day number").fill("3")
    page.get_by_label("Product 1: name").fill("Night serum")
    page.get_by_label("Product 1: ingredients").fill("Aqua, Retinol, Zorblaxin-9")
    page.get_by_role("button", name="Check the shelf").click()
    wrap = page.get_by_role("region", name="Verdicts for day 3")
    assert wrap.evaluate("(box) => box.scrollWidth > box.clientWidth")  # it scrolls at 360 px
    assert page.evaluate(UNREACHABLE_SCROLLERS_JS) == []
    for _ in range(80):
        page.keyboard.press("Tab")
        if wrap.evaluate("(box) => box === document.activeElement"):
            break
    expect(wrap).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(wrap).not_to_have_js_property("scrollLeft", 0)  # the keyboard scrolls it


@pytest.mark.parametrize("javascript", [True, False])
def test_ui_after_a_check_the_verdict_is_on_the_first_phone_screen(
    browser: Browser, live_server: str, javascript: bool
) -> None:
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(live_server + "/")
    label = page.get_by_label("Ingredients, as printed on the label")
    label.fill("Aqua, Glycerin, Retinol")
    if javascript:  # while typing, a compact verdict sits right under the text box
        live = page.locator("#live-verdict")
        expect(live).to_contain_text("Not yet — okay again from")
        text_box, under = label.bounding_box(), live.bounding_box()
        assert text_box is not None and under is not None
        assert 0 <= under["y"] - (text_box["y"] + text_box["height"]) < 40
    page.get_by_role("button", name="Check", exact=True).click()
    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text("Not yet")
    top = verdict.evaluate("(box) => box.getBoundingClientRect().top + window.scrollY")
    assert top < 800 - 100  # on the first screen without scrolling, with room for its words
    expect(page.get_by_role("link", name="Change the product or the day")).to_be_visible()
    context.close()


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_ui_printed_plan_is_one_page_unless_more_is_asked_for(page: Page, live_server: str) -> None:
    page.goto(live_server + "/procedures/microneedling/plan?date=2026-11-20")
    for paper in ("A4", "Letter"):
        printed = page.pdf(format=paper)
        assert pdf_pages(printed) == 1, paper
    page.emulate_media(media="print")
    expect(page.get_by_text("Call your clinician if you notice").first).to_be_visible()
    expect(page.locator("dl.milestones")).to_be_visible()
    page.emulate_media(media="screen")
    page.get_by_label("When printing, add the timeline").check()
    assert pdf_pages(page.pdf(format="A4")) > 1


# axe-core as the axe-playwright-python package bundles it: no network at test time.
AXE = (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
AXE_PAGES = [
    "/",
    "/?procedure=microneedling&when=date&procedure_date=2026-11-20"
    "&ingredients=Aqua%2C+Glycerine%2C+Retinol%2C+Zorblaxine+Extract%2C+Niacinamde",
    "/procedures/microneedling/plan?date=2026-11-20",
    "/procedures/microneedling",
    "/sparql?query=SELECT+%3Fs+%3Fp+%3Fo+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D+LIMIT+5",
    "/shelf",  # with results: filled in below
]


@pytest.mark.parametrize("width", [360, 1280])
def test_ui_axe_finds_no_violation_on_the_main_pages(
    browser: Browser, live_server: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    found: dict[str, list[str]] = {}
    for path in AXE_PAGES:
        page.goto(live_server + path)
        if path == "/shelf":
            page.get_by_label("Day number").fill("3")
            page.get_by_label("Product 1: name").fill("Night serum")
            page.get_by_label("Product 1: ingredients").fill("Aqua, Retinol, Zorblaxin-9")
            page.get_by_role("button", name="Check the shelf").click()
            expect(page.locator("table.shelf")).to_be_visible()
        page.evaluate(AXE)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        violations = [f"{v['id']} ({v['impact']})" for v in result["violations"]]
        if violations:
            found[path] = violations
    context.close()
    assert found == {}
