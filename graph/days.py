"""The day after a procedure a question is about, read once for every surface: a number
(JSON, a form, a URL), or a procedure date and today's date."""

from __future__ import annotations

from datetime import date

from graph.errors import InvalidInput, InvalidValue

MAX_DAY = 3650  # ten years: past that no aftercare rule could still apply

_DAY_MESSAGE = "day must be a whole number (0 is the procedure day)."


def day_from_text(text: str | None) -> int:
    """The day a form or a URL gives, as digits; checked as resolve_day checks it."""
    number = whole_number(text)
    if number is None:
        raise InvalidInput(_DAY_MESSAGE, "day")
    return resolve_day(number, None, None)


def resolve_day(day: object, procedure_date: object, today: object) -> int:
    """The day number from `day`, or from `procedure_date` and `today` (ISO dates)."""
    if day is not None:
        if isinstance(day, bool) or not isinstance(day, int):
            raise InvalidInput(_DAY_MESSAGE, "day")
        number = day
    elif procedure_date is not None:
        start = iso_date(procedure_date, "procedure_date")
        end = date.today() if today is None else iso_date(today, "today")
        number = (end - start).days
        if number < 0:
            raise InvalidValue(
                "procedure_date is after today; give a past or present date.", "procedure_date"
            )
    else:
        raise InvalidInput("Give day, or procedure_date (and optionally today).", "day")
    if not 0 <= number <= MAX_DAY:
        raise InvalidValue(f"day must be between 0 and {MAX_DAY}.", "day")
    return number


# The dates the app can count with: a plan adds up to ten years of days to a procedure date,
# so a date near 9999-12-31 would overflow the calendar.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(8999, 12, 31)


def iso_date(value: object, field: str) -> date:
    """A date written YYYY-MM-DD, within the range the app can count with."""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be a date written YYYY-MM-DD.", field)
    try:
        found = date.fromisoformat(value.strip())
    except ValueError as error:
        raise InvalidValue(f"{field} must be a date written YYYY-MM-DD.", field) from error
    if not EARLIEST_DATE <= found <= LATEST_DATE:
        raise InvalidValue(
            f"{field} must be a date between {EARLIEST_DATE.year} and {LATEST_DATE.year}.", field
        )
    return found


def whole_number(text: str | None) -> int | None:
    """A whole number written in ASCII digits ('2', not '²' or '٢'); None for anything else."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None
