"""A shelf check: products from a form or a CSV file in, a table of verdicts (and its CSV) out."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph.days import day_from_text
from graph.errors import FileTooLarge, InvalidInput, InvalidValue

COLUMNS = ("name", "ingredients", "product_type")
REQUIRED = COLUMNS[:2]
MAX_CSV_BYTES = 1024 * 1024  # a hundred long labels fit in a tenth of this
FORM_ROWS = 5  # empty product rows the form offers
RESTRICTING = ("avoid", "caution")
_ROW_FIELD = re.compile(r"^(name|ingredients|product_type)_(\d{1,4})$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ShelfRow:
    """One line of the shelf table."""

    name: str
    product_type: str
    verdict: str  # "error" when the product could not be checked
    ok_from_day: int | None
    ok_from_date: str | None
    deciding: tuple[str, ...]  # what restricts it: ingredients and the product type
    unrecognized: tuple[str, ...]
    error: str


def read_csv(data: bytes, max_products: int, max_bytes: int = MAX_CSV_BYTES) -> list[Json]:
    """Products from a CSV file of name,ingredients[,product_type], with or without a header."""
    if len(data) > max_bytes:
        raise FileTooLarge(
            f"The CSV file is larger than {max_bytes // 1024} KB; split the shelf.", "csv"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            f"The CSV file is not UTF-8 text (byte {error.start + 1}); save it as “CSV UTF-8”.",
            "csv",
        ) from error
    if "\0" in text:
        raise InvalidInput("That file is not a CSV text file.", "csv")
    if not text.strip():
        raise InvalidInput("The CSV file is empty.", "csv")
    records = _records(text)
    if not records:
        raise InvalidInput("The CSV file has no rows.", "csv")
    columns, records, has_header = _columns(records)
    # Without a header a line is name,ingredients with or without its product_type.
    widths = {len(columns)} if has_header else {2, 3}
    if not records:
        raise InvalidInput("The CSV file has a header but no products.", "csv")
    if len(records) > max_products:
        raise InvalidValue(
            f"The CSV file has {len(records)} products; at most {max_products} at once.", "csv"
        )
    products = []
    for line, cells in records:
        if len(cells) not in widths:
            raise InvalidInput(
                f"Line {line} has {len(cells)} field{'s' if len(cells) != 1 else ''}, not "
                f"{' or '.join(map(str, sorted(widths)))} ({', '.join(columns)}). An "
                'ingredient list has commas: put it in double quotes, like "Aqua, Glycerin, '
                'Retinol".',
                "csv",
            )
        named = zip(columns, cells, strict=False)  # a line may leave out its product_type
        product = {column: cell.strip() for column, cell in named if cell.strip()}
        products.append(product)
    return products


def _records(text: str) -> list[tuple[int, list[str]]]:
    """Non-blank records with the line each ends on; the delimiter is read off line one."""
    first = text.lstrip().splitlines()[0]
    delimiter = ","
    if "," not in first:
        delimiter = ";" if ";" in first else "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records = []
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                records.append((reader.line_num, cells))
    except csv.Error as error:
        raise InvalidInput(
            f"The CSV file is malformed at line {reader.line_num}: {error}.", "csv"
        ) from error
    return records


def _columns(
    records: list[tuple[int, list[str]]],
) -> tuple[list[str], list[tuple[int, list[str]]], bool]:
    """The columns from a header, if the file has one, else by position."""
    header = [cell.strip().casefold().replace(" ", "_").replace("-", "_") for cell in records[0][1]]
    if not any(cell in COLUMNS for cell in header):
        return list(COLUMNS), records, False
    unknown = [cell for cell in header if cell not in COLUMNS]
    missing = [column for column in REQUIRED if column not in header]
    if unknown or missing or len(set(header)) != len(header):
        raise InvalidInput(
            "The header must name the columns name and ingredients, and optionally "
            f"product_type; it has: {', '.join(records[0][1])}.",
            "csv",
        )
    return header, records[1:], True


def form_products(values: Mapping[str, str]) -> list[Json]:
    """Products from the form's numbered rows (name_1, ingredients_1, product_type_1, …)."""
    rows: dict[int, Json] = {}
    for key, value in values.items():
        found = _ROW_FIELD.match(key)
        if found and value.strip():
            rows.setdefault(int(found.group(2)), {})[found.group(1)] = value.strip()
    return [rows[index] for index in sorted(rows) if set(rows[index]) & set(REQUIRED)]


def is_row_field(key: str) -> bool:
    return bool(_ROW_FIELD.match(key))


def batch_values(form: Mapping[str, str], products: list[Json]) -> Json:
    """The body of a batch check from the form: procedure, day or date, products."""
    if not products:
        raise InvalidInput(
            "Add at least one product: a name and its ingredients, or a CSV file.", "products"
        )
    values: Json = {"procedure": form.get("procedure", ""), "products": products}
    if form.get("when") == "day":
        values["day"] = day_from_text(form.get("day"))
    else:
        values["procedure_date"] = form.get("procedure_date") or None
        if values["procedure_date"] is None:
            raise InvalidInput("Give the procedure date, or the day number.", "procedure_date")
    return values


def table(batch: Json) -> list[ShelfRow]:
    """The batch answer as table rows, in the order the products were given."""
    rows = []
    for product in batch["products"]:
        if "error" in product:
            rows.append(
                ShelfRow(product["name"], "", "error", None, None, (), (), product["error"])
            )
            continue
        deciding = [
            item["ingredient"]["label"]
            for item in product["ingredients"]
            if item["verdict"] in RESTRICTING and item["ingredient"]
        ]
        kind = product["product_type"]
        if kind and kind["verdict"] in RESTRICTING:
            deciding.append(kind["label"])
        rows.append(
            ShelfRow(
                name=product["name"],
                product_type=kind["label"] if kind else "",
                verdict=product["verdict"],
                ok_from_day=product["ok_from_day"],
                ok_from_date=product.get("ok_from_date"),
                deciding=tuple(dict.fromkeys(deciding)),
                unrecognized=tuple(product["unrecognized"]),
                error="",
            )
        )
    return rows


CSV_HEADER = (
    "name",
    "product_type",
    "verdict",
    "ok_from_day",
    "ok_from_date",
    "restricted_by",
    "unrecognized",
    "error",
)


def table_csv(rows: list[ShelfRow]) -> str:
    """The shelf table as CSV; a cell a spreadsheet would run as a formula is quoted with '."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            [
                _cell(row.name),
                row.product_type,
                row.verdict,
                "" if row.ok_from_day is None else row.ok_from_day,
                row.ok_from_date or "",
                _cell("; ".join(row.deciding)),
                _cell("; ".join(row.unrecognized)),
                row.error,
            ]
        )
    return out.getvalue()


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text
