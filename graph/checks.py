"""Read a check request (API body, form or CLI options) into a verdict and its JSON answer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from graph import report
from graph.days import resolve_day
from graph.engine import check_product
from graph.errors import CheckerError, InvalidInput, InvalidValue, NotFound
from graph.index import Knowledge
from graph.model import Contraindication, Procedure
from graph.verdicts import Verdict

MAX_BATCH_PRODUCTS = 100  # a shelf, not a catalogue
Json = dict[str, Any]


def text_field(values: Mapping[str, Any], name: str, required: bool) -> str | None:
    value = values.get(name)
    if value is None or value == "":
        if required:
            raise InvalidInput(f"{name} is required.", name)
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be a string.", name)
    return value


def read_day(values: Mapping[str, Any]) -> tuple[int, date | None]:
    """The day number, and the procedure date when the request gave dates."""
    day = resolve_day(values.get("day"), values.get("procedure_date"), values.get("today"))
    start = None
    if values.get("day") is None and isinstance(values.get("procedure_date"), str):
        start = date.fromisoformat(values["procedure_date"])
    return day, start


def read_conditions(knowledge: Knowledge, values: Mapping[str, Any]) -> list[str]:
    """Condition ids from ids or names; an unknown one names the known ones."""
    given = values.get("conditions") or []
    if isinstance(given, str):
        given = [given]
    if not isinstance(given, list) or not all(isinstance(item, str) for item in given):
        raise InvalidInput("conditions must be a list of condition names or ids.", "conditions")
    found = []
    for item in given:
        try:
            found.append(knowledge.concept("condition", item, "conditions").id)
        except NotFound as error:
            known = ", ".join(sorted(c.id for c in knowledge.of_kind("condition")))
            raise InvalidValue(
                f"Unknown condition {item!r}; known conditions: {known}.", "conditions"
            ) from error
    return list(dict.fromkeys(found))


def warnings_for(procedure: Procedure, conditions: Sequence[str]) -> list[Contraindication]:
    """The procedure's contraindications and cautions that match the patient's conditions."""
    return [item for item in procedure.contraindications if item.condition in conditions]


def run_check(
    knowledge: Knowledge, values: Mapping[str, Any], max_label_chars: int
) -> tuple[Json, Verdict]:
    """One product: the JSON answer of the API contract, and the verdict behind it."""
    procedure = text_field(values, "procedure", required=True) or ""
    label = text_field(values, "ingredients", required=True) or ""
    product_type = text_field(values, "product_type", required=False)
    day, start = read_day(values)
    conditions = read_conditions(knowledge, values)
    from_clinic = values.get("from_clinic", False)
    if not isinstance(from_clinic, bool):
        raise InvalidInput("from_clinic must be true or false.", "from_clinic")
    verdict = check_product(
        knowledge, procedure, day, label, product_type, max_label_chars, from_clinic
    )
    answer = report.verdict_json(knowledge, verdict, start)
    if "conditions" in values:
        answer["warnings"] = report.warnings_json(
            knowledge, verdict.procedure, conditions, warnings_for(verdict.procedure, conditions)
        )
    return answer, verdict


def run_batch(
    knowledge: Knowledge, values: Mapping[str, Any], max_label_chars: int, max_products: int
) -> Json:
    """A shelf of products on one day; a bad product gets its own error, the rest are checked."""
    procedure = knowledge.procedure(text_field(values, "procedure", required=True) or "")
    day, start = read_day(values)
    products = values.get("products")
    if not isinstance(products, list) or not products:
        raise InvalidInput("products must be a non-empty list of products.", "products")
    if len(products) > max_products:
        raise InvalidValue(f"At most {max_products} products at once.", "products")
    shared = {key: values[key] for key in ("day", "procedure_date", "today") if key in values}
    answers: list[Json] = []
    for index, product in enumerate(products):
        if not isinstance(product, dict):
            raise InvalidInput("Each product must be an object.", f"products[{index}]")
        name = f"Product {index + 1}"
        try:
            name = text_field(product, "name", required=False) or name
            answer, _ = run_check(
                knowledge,
                {
                    **shared,
                    **product,
                    "procedure": procedure.id,
                    "conditions": values.get("conditions", []),
                },
                max_label_chars,
            )
        except CheckerError as error:
            field = f"products[{index}].{error.field}" if error.field else f"products[{index}]"
            answers.append({"name": name, "error": error.message, "field": field})
            continue
        answers.append({"name": name, **answer})
    checked = [answer for answer in answers if "error" not in answer]
    ends = [answer["ok_from_day"] for answer in checked]
    all_ok = None if not checked or any(end is None for end in ends) else max(ends)
    result: Json = {
        "procedure": procedure.id,
        "day": day,
        "products": answers,
        "all_ok_from_day": all_ok,
    }
    if start is not None:
        result["procedure_date"] = start.isoformat()
        result["all_ok_from_date"] = report.day_to_date(start, all_ok)
    return result
