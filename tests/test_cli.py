"""The flask CLI: check and validate, and which commands load the SPARQL store."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import click
import pytest
from flask import Flask
from flask.cli import FlaskGroup
from flask.testing import FlaskCliRunner

from app import create_app
from graph.index import Knowledge


def test_cli_check_prints_the_verdict_and_the_okay_day(runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["check", "--procedure", "microneedling", "--day", "3", "Aqua, Retinol"]
    )
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("AVOID on day 3 after microneedling — okay from day")
    assert "Retinol" in result.output
    assert "not medical advice" in result.output


def test_cli_check_json_matches_the_api(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["check", "--day", "3", "--json", "Aqua, Glycerin, Retinol"])
    answer = json.loads(result.output)
    assert answer["verdict"] == "avoid"
    assert [item["text"] for item in answer["ingredients"]] == ["Aqua", "Glycerin", "Retinol"]


def test_cli_check_with_a_date(runner: FlaskCliRunner) -> None:
    long_ago = (date.today() - timedelta(days=100)).isoformat()
    result = runner.invoke(args=["check", "--date", long_ago, "Aqua, Retinol"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK on day 100 after microneedling")


def test_cli_check_bad_input_says_which_field(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["check", "--procedure", "tattoo", "--day", "3", "Aqua"])
    assert result.exit_code != 0
    assert "procedure:" in result.output and "microneedling" in result.output


def test_cli_validate_reports_counts(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["validate"])
    assert result.exit_code == 0
    assert "The knowledge is valid, and the completeness queries find nothing" in result.output
    assert "microneedling: 83 rules" in result.output
    assert "TD-005: Team decision 005" in result.output
    assert "team defaults (12): MN-25" in result.output
    assert "conflict: Retinoid: restricted until day 2 to day 13 (MN-01" in result.output


@pytest.mark.parametrize("cached", [False, True])
def test_cli_validate_lists_violations_of_broken_knowledge(
    knowledge_copy: Path, tmp_path: Path, cached: bool
) -> None:
    # a cache of the files as they were proves nothing about the files as they are
    cache = tmp_path / "cache" if cached else None
    app = create_app({"KNOWLEDGE_DIR": knowledge_copy, "KNOWLEDGE_CACHE_DIR": cache})
    path = knowledge_copy / "procedure-microneedling.ttl"
    path.write_text(path.read_text().replace("ac:verdict ac:Avoid", "ac:verdict ac:Maybe", 1))
    result = app.test_cli_runner().invoke(args=["validate"])
    assert result.exit_code == 1
    assert "Every rule has exactly one verdict" in result.output


def test_cli_validate_runs_the_completeness_queries(knowledge_copy: Path, tmp_path: Path) -> None:
    # Valid by the shapes, yet incomplete: a property of the vocabulary no comment explains.
    with (knowledge_copy / "vocab.ttl").open("a") as vocab:
        vocab.write(
            "\n<https://example.org/aftercare#unexplained> a "
            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#Property> ;\n"
            '    <http://www.w3.org/2000/01/rdf-schema#label> "unexplained" .\n'
        )
    app = create_app({"KNOWLEDGE_DIR": knowledge_copy, "KNOWLEDGE_CACHE_DIR": tmp_path / "cache"})
    result = app.test_cli_runner().invoke(args=["validate"])
    assert result.exit_code == 1
    assert "vocabulary-undocumented: term=<https://example.org/aftercare#unexplained>" in (
        result.output
    )


@pytest.mark.parametrize(
    ("args", "loads_the_store"),
    [
        (["check", "--day", "3", "Aqua, Retinol"], False),
        (["validate"], False),
        (["routes"], False),
        (["sparql", "ASK { ing:retinol ?p ?o }"], True),  # when it queries, not before
    ],
)
def test_cli_commands_load_the_sparql_store_only_to_query(
    knowledge: Knowledge, args: list[str], loads_the_store: bool
) -> None:
    made: list[Flask] = []

    def make_app() -> Flask:
        made.append(create_app({"KNOWLEDGE": knowledge}))  # not TESTING: as `flask` makes it
        return made[-1]

    result = FlaskGroup(create_app=make_app).main(args=args, standalone_mode=False)
    assert result is None or result == 0
    (app,) = made
    assert ("sparql_oxigraph" in app.extensions) is loads_the_store


@pytest.mark.parametrize(
    ("args", "loads_the_knowledge"),
    [
        (["check", "--day", "3", "Aqua, Retinol"], True),
        (["routes"], False),
        # the store is built from the Turtle files; its inferred part is cached beside the
        # compiled knowledge, so answering a query never reads the compiled knowledge
        (["sparql", "ASK { ing:retinol ?p ?o }"], False),
    ],
)
def test_cli_commands_load_the_compiled_knowledge_only_to_use_it(
    knowledge: Knowledge, args: list[str], loads_the_knowledge: bool
) -> None:
    made: list[Flask] = []

    def make_app() -> Flask:
        made.append(create_app())  # as `flask` makes it: knowledge/ and its cache
        return made[-1]

    query = ["sparql", "ASK { ?s ?p ?o }"]
    FlaskGroup(create_app=make_app).main(args=query, standalone_mode=False)  # caches are warm
    made.clear()
    result = FlaskGroup(create_app=make_app).main(args=args, standalone_mode=False)
    assert result is None or result == 0
    (app,) = made
    assert ("knowledge" in app.extensions) is loads_the_knowledge


def test_flask_run_loads_the_sparql_store_before_it_listens(knowledge: Knowledge) -> None:
    # so that the first /sparql answer never waits for it
    flask = click.Context(FlaskGroup(), info_name="flask")
    with flask, click.Context(click.Command("run"), parent=flask, info_name="run"):
        served = create_app({"KNOWLEDGE": knowledge})
    assert "sparql_oxigraph" in served.extensions
