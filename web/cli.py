"""The `flask check` and `flask validate` commands."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from flask import Blueprint, current_app

from graph import audit, sparql_store
from graph.errors import CheckerError, KnowledgeInvalid
from graph.loader import load_knowledge
from web.common import check

commands = Blueprint("commands", __name__, cli_group=None)


@commands.cli.command("check")
@click.option("--procedure", default="microneedling", show_default=True)
@click.option("--day", type=int, help="Days since the procedure (0 is the procedure day).")
@click.option("--date", "procedure_date", help="Procedure date, YYYY-MM-DD (instead of --day).")
@click.option("--product-type", default=None)
@click.option("--condition", "conditions", multiple=True, help="e.g. pregnancy; repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON answer.")
@click.option("--from-clinic", is_flag=True, help="The clinic supplied this product.")
@click.argument("ingredients")
def check_command(
    procedure: str,
    day: int | None,
    procedure_date: str | None,
    product_type: str | None,
    as_json: bool,
    from_clinic: bool,
    conditions: tuple[str, ...],
    ingredients: str,
) -> None:
    """Check a label: is the product okay on this day after the procedure?"""
    values = {
        "procedure": procedure,
        "day": day,
        "procedure_date": procedure_date,
        "product_type": product_type,
        "ingredients": ingredients,
        "from_clinic": from_clinic,
        **({"conditions": list(conditions)} if conditions else {}),
    }
    try:
        answer, _ = check(values)
    except CheckerError as error:
        raise click.UsageError(f"{error.field}: {error.message}") from error
    if as_json:
        click.echo(json.dumps(answer, indent=2, ensure_ascii=False))
        return
    click.echo(_plain_answer(answer))


@commands.cli.command("validate")
@click.option("--full", is_flag=True, help="Validate again even when a cache shows it passed.")
def validate_command(full: bool) -> None:
    """Validate knowledge/*.ttl against the shapes, run the completeness queries of
    knowledge/queries/ (those that must return nothing) and print what it holds.

    Compiled knowledge is cached only once it validated, under a hash of every knowledge file
    and of the code that checks and compiles them: a cache for these files is a validation
    already passed. --full validates again from the files."""
    cache = current_app.config["KNOWLEDGE_CACHE_DIR"]
    try:
        found = load_knowledge(
            Path(current_app.config["KNOWLEDGE_DIR"]),
            cache_dir=None if full or not cache else Path(cache),
        )
    except KnowledgeInvalid as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    directory = Path(current_app.config["KNOWLEDGE_DIR"])
    store = sparql_store.open_store(
        found.version, directory, None if full or not cache else Path(cache), lambda: found
    )
    missing = sparql_store.completeness_problems(store, directory / "queries")
    if missing:
        click.echo("The completeness queries (knowledge/queries/) found:", err=True)
        for line in missing:
            click.echo(f"  {line}", err=True)
        sys.exit(1)
    click.echo("The knowledge is valid, and the completeness queries find nothing missing.")
    for line in audit.counts_lines(found):
        click.echo(line)


def _plain_answer(answer: Mapping[str, Any]) -> str:
    until = answer["ok_from_day"]
    lines = [
        f"{answer['verdict'].upper()} on day {answer['day']} after {answer['procedure']}"
        + (
            ""
            if until is None
            else f" — okay from day {until}"
            + (f" ({answer['ok_from_date']})" if answer.get("ok_from_date") else "")
        )
    ]
    for item in answer["ingredients"]:
        lines.append(
            f"  {item['verdict']:<12} {item['text']}"
            + (f"  [{', '.join(item['classes'][:3])}]" if item["classes"] else "")
        )
        for reason in [r for r in item["reasons"] if r["in_force"]][:3]:
            lines.append(
                f"      {reason['rule']}: {reason['rationale']} ({reason['source']['title']})"
            )
    for warning in answer.get("warnings", []):
        verdict = warning["verdict"] or "no source"
        lines.append(f"warning ({verdict}) {warning['condition']['label']}: {warning['rationale']}")
    lines.extend(f"note: {note}" for note in answer["notes"])
    return "\n".join(lines)
