"""The patient's pages: the check form and its answer, a label photo, the recovery plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from graph import report
from graph.days import EARLIEST_DATE, LATEST_DATE, MAX_DAY, day_from_text, iso_date, whole_number
from graph.engine import day_overview
from graph.errors import CheckerError, ImageTooLarge, InvalidInput, InvalidValue, status_for
from graph.ocr import read_label_photo
from graph.plan import Plan, build_plan, format_date, group_by_okay_day, plan_ics
from graph.timeline import layout_timeline
from web.common import check, form_list, form_values, knowledge, page_context

patient = Blueprint("patient", __name__)


@patient.route("/", methods=["GET", "POST"])
def index() -> str | tuple[str, int]:
    values = form_values()
    conditions = form_list("conditions")
    if "ingredients" in values:
        try:
            # A link (GET) says what was asked, radio included; a posted form may not.
            values = choose_when(values, date.today(), follow_radio=request.method == "GET")
        except CheckerError as error:
            return _error_page(page_context(values, conditions), error)
    context = page_context(values, conditions)
    if "ingredients" in values:
        try:
            context.update(_answer_context(context["form"], conditions))
        except CheckerError as error:
            return _error_page(context, error)
        shared = [(k, v) for k, v in values.items() if k != "conditions"]
        context["share"] = urlencode(shared + [("conditions", c) for c in conditions])
    return render_template("index.html", **context)


@patient.post("/label-photo")
def label_photo() -> tuple[str, int]:
    """Read a label photo into the form for the person to correct; the photo is not kept."""
    config = current_app.config
    limit = config["MAX_IMAGE_BYTES"]
    # A photo is far bigger than any other request body: raise the cap for this route only.
    request.max_content_length = limit + config["MAX_CONTENT_LENGTH"]
    try:
        values = form_values()
        upload = request.files.get("photo")
        context = page_context(values)
        data = upload.read(limit + 1) if upload is not None else b""
        reading = read_label_photo(
            data, limit, config["MAX_IMAGE_PIXELS"], config["OCR_TIMEOUT_SECONDS"], knowledge()
        )
    except RequestEntityTooLarge:
        context = page_context({})
        error: CheckerError = ImageTooLarge(
            f"The photo is larger than {limit / 1024 / 1024:.0f} MB; send a smaller one.",
            "photo",
        )
    except CheckerError as caught:
        error = caught
    else:
        context["form"]["ingredients"] = reading.text
        context["photo_read"] = reading
        return render_template("index.html", **context), 200
    return _error_page(context, error)


def _error_page(context: dict[str, Any], error: CheckerError) -> tuple[str, int]:
    context["error"] = error
    context["error_text"] = plain_error(error)
    return render_template("index.html", **context), status_for(error)


# How the form's fields are called on the page, for errors that name them.
FIELD_WORDS = {
    "procedure_date": "The procedure date",
    "product_type": "The product type",
    "day": "The day number",
    "today": "The date for today",
    "date": "The date",
    "page": "The page number",
    "ingredients": "The ingredient list",
    "procedure": "The procedure",
    "conditions": "What applies to you",
}


def plain_error(error: CheckerError) -> str:
    return plain_message(error.message)


@patient.app_template_filter("plain")
def plain_message(message: str) -> str:
    """An error in the words the pages use, never a raw field name ('procedure_date …')."""
    for field, words in FIELD_WORDS.items():
        if message.startswith(field + " "):
            message = words + message[len(field) :]
            break
    for field in ("procedure_date", "product_type"):
        message = message.replace(field, field.replace("_", " "))
    return message


def choose_when(
    values: Mapping[str, str], today: date, follow_radio: bool = False
) -> dict[str, str]:
    """Which answer to "When was it?" counts: the one filled in.

    The script sends only the answer selected (typing in one selects it). Without
    JavaScript the radio button may not follow what was typed, so the fields decide: a day
    number beside a date left at its default (today) is the day; a date and a day that
    disagree are an error that says so, never one of them chosen silently.
    """
    chosen = dict(values)
    if follow_radio:
        asked, other = ("day", "procedure_date")
        if chosen.get("when") != "day":
            asked, other = other, asked
        if chosen.get(asked, "").strip():
            chosen.pop(other, None)
        elif not chosen.get(other, "").strip():  # a bare link: the form's default, today
            chosen["procedure_date"] = today.isoformat()
    day_text = chosen.get("day", "").strip()
    date_text = chosen.get("procedure_date", "").strip()
    if not day_text and not date_text:
        raise InvalidInput(
            "Give the date of your procedure, or which day after it today is.", "procedure_date"
        )
    start = _form_date(date_text) if date_text else None
    if start is not None and start > today:
        raise InvalidValue(
            f"The procedure date, {format_date(start)}, is after today. "
            "Give the day of your procedure: today or earlier.",
            "procedure_date",
        )
    number = whole_number(day_text)
    if day_text and number is None:
        raise InvalidInput(
            "The day number must be a whole number such as 3 (0 is the procedure day).", "day"
        )
    agree = start is None or number is None or (today - start).days == number
    if number is not None and start is not None and start != today and not agree:
        raise InvalidValue(
            f"You gave two answers to “When was it?”: {format_date(start)}, which makes "
            f"today day {(today - start).days}, and day {number}. "
            "Clear the day number or correct the date, then check again.",
            "day",
        )
    if number is not None and (start is None or start == today):
        chosen["when"] = "day"
        chosen.pop("procedure_date", None)
    else:
        chosen["when"] = "date"
        chosen.pop("day", None)
    return chosen


def _form_date(text: str) -> date:
    try:
        return iso_date(text, "procedure_date")
    except CheckerError as error:
        raise InvalidValue(
            "The procedure date must be a real date between "
            f"{EARLIEST_DATE.year} and {LATEST_DATE.year}.",
            "procedure_date",
        ) from error


def _answer_context(form: Mapping[str, str], conditions: Sequence[str] = ()) -> dict[str, Any]:
    """The answer, what applies today and the recovery calendar, for the form's values."""
    checked: dict[str, Any] = {**form}
    checked.pop("conditions", None)
    checked["from_clinic"] = form.get("from_clinic") == "yes"
    if conditions:
        checked["conditions"] = list(conditions)  # the answer then carries its warnings
    if form.get("when") == "day":
        checked["day"] = day_from_text(form.get("day"))
    else:
        checked.pop("day", None)
    answer, verdict = check(checked)
    start = date.fromisoformat(answer["procedure_date"]) if "procedure_date" in answer else None
    overview = day_overview(knowledge(), verdict.procedure.id, verdict.day)
    plan = build_plan(knowledge(), verdict.procedure.id, start, verdict.day)
    return {
        "result": answer,
        "verdict": verdict,
        "overview": report.day_json(knowledge(), overview),
        "plan": plan,
        "timeline": layout_timeline(plan),
        # With only a day number, the procedure was that many days before today.
        "plan_date": (start or date.today() - timedelta(days=verdict.day)).isoformat(),
    }


@patient.get("/procedures/<procedure_id>/plan")
def plan_page(procedure_id: str) -> str:
    plan = _plan_from_request(procedure_id)
    return render_template(
        "plan.html",
        plan=plan,
        timeline=layout_timeline(plan),
        procedure=report.procedure_json(knowledge(), plan.procedure),
    )


@patient.get("/procedures/<procedure_id>/plan.ics")
def plan_calendar(procedure_id: str) -> Response:
    plan = _plan_from_request(procedure_id)
    response = Response(plan_ics(plan), mimetype="text/calendar")
    name = f"aftercare-{plan.procedure.id}-{plan.start}.ics"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _plan_from_request(procedure_id: str) -> Plan:
    today = _page_date("today", date.today())
    start = _page_date("date", today)
    if abs((start - today).days) > MAX_DAY:
        raise InvalidValue(f"date must be within {MAX_DAY} days of today.", "date")
    return build_plan(knowledge(), procedure_id, start, (today - start).days)


def _page_date(field: str, default: date) -> date:
    value = request.args.get(field, "").strip()
    if not value:
        return default
    return iso_date(value, field)


@patient.app_template_filter("short_date")
def short_date(value: str | date, day: int = 0) -> str:
    """A date as a person reads it, without the year: Tue 1 Dec."""
    start = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(start + timedelta(days=day))


@patient.app_template_filter("day_date")
def day_date(procedure_date: str, day: int) -> str:
    """The calendar date of a day after the procedure, as a person reads it: Tue 1 Dec 2026."""
    when = date.fromisoformat(procedure_date) + timedelta(days=day)
    return f"{when:%a} {when.day} {when:%b %Y}"


@patient.app_template_filter("date_words")
def date_words(value: str) -> str:
    """A form's ISO date as the answers write it (Fri 20 Nov 2026); nothing if it is no date."""
    try:
        return day_date(value, 0)
    except ValueError:
        return ""


patient.add_app_template_filter(group_by_okay_day, "group_by_okay_day")
