"""The JSON API's description: the OpenAPI document (web/openapi.yaml) served as /openapi.json,
and the same document as a page at /api, rendered here without any script."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from flask import Blueprint, Response, jsonify, render_template

DOCUMENT_PATH = Path(__file__).with_name("openapi.yaml")
METHODS = ("get", "put", "post", "delete", "patch")
Json = dict[str, Any]
# A piece of text on the page, and the anchor it links to (a schema's section) or None.
Part = tuple[str, str | None]

openapi = Blueprint("openapi", __name__)


@functools.cache
def document() -> Json:
    """The OpenAPI document, read once; nobody mutates it."""
    loaded: Json = yaml.safe_load(DOCUMENT_PATH.read_text(encoding="utf-8"))
    return loaded


@openapi.get("/openapi.json")
def openapi_json() -> Response:
    return jsonify(document())


@openapi.get("/api")
def api_page() -> str:
    return render_template("api.html", **page(document()))


def resolve(spec: Json, item: Json) -> Json:
    """An object itself, or the one its local `$ref` points to."""
    while "$ref" in item:
        found: Any = spec
        for step in item["$ref"].removeprefix("#/").split("/"):
            found = found[step.replace("~1", "/").replace("~0", "~")]
        item = found
    return item


def page(spec: Json) -> Json:
    """What templates/api.html shows: the operations by tag, then the schemas."""
    operations = list(_operations(spec))
    tags = [
        {
            "name": tag["name"],
            "description": prose(tag.get("description", "")),
            "operations": [op for op in operations if tag["name"] in op["tags"]],
        }
        for tag in spec.get("tags", [])
    ]
    schemas = [
        _schema_section(name, schema)
        for name, schema in spec.get("components", {}).get("schemas", {}).items()
    ]
    return {
        "info": {**spec["info"], "description": prose(spec["info"].get("description", ""))},
        "openapi_version": spec["openapi"],
        "tags": tags,
        "schemas": schemas,
    }


def _operations(spec: Json) -> Iterator[Json]:
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            body = operation.get("requestBody")
            yield {
                "id": operation["operationId"],
                "method": method.upper(),
                "path": path,
                "tags": operation.get("tags", []),
                "summary": operation.get("summary", ""),
                "description": prose(operation.get("description", "")),
                "parameters": [
                    _parameter(resolve(spec, parameter))
                    for parameter in item.get("parameters", []) + operation.get("parameters", [])
                ],
                "body": None if body is None else _content(resolve(spec, body)),
                "responses": [
                    {"status": status, **_content(resolve(spec, response))}
                    for status, response in operation["responses"].items()
                ],
            }


def _parameter(parameter: Json) -> Json:
    return {
        "name": parameter["name"],
        "in": parameter["in"],
        "required": parameter.get("required", False),
        "type": type_parts(parameter.get("schema", {})),
        "description": prose(parameter.get("description", "")),
        "examples": [example["value"] for example in parameter.get("examples", {}).values()],
    }


def _content(item: Json) -> Json:
    """A request body or a response: its words, its JSON schema and its examples."""
    media = item.get("content", {}).get("application/json", {})
    return {
        "description": prose(item.get("description", "")),
        "type": type_parts(media["schema"]) if "schema" in media else [],
        "properties": properties(media.get("schema", {})),
        "examples": [
            {
                "name": name,
                "summary": example.get("summary", ""),
                "json": json.dumps(example["value"], indent=2, ensure_ascii=False),
            }
            for name, example in media.get("examples", {}).items()
        ],
    }


def _schema_section(name: str, schema: Json) -> Json:
    return {
        "name": name,
        "anchor": f"schema-{name}",
        "description": prose(schema.get("description", "")),
        "type": type_parts(schema),
        "properties": properties(schema),
        "examples": [
            json.dumps(example, indent=2, ensure_ascii=False)
            for example in schema.get("examples", [])
        ],
    }


def properties(schema: Json, prefix: str = "") -> list[Json]:
    """One row a field, nested objects written inline as `outer.inner` (`items[].id`)."""
    rows = []
    required = set(schema.get("required", []))
    for name, field in schema.get("properties", {}).items():
        rows.append(
            {
                "name": prefix + name,
                "required": name in required,
                "type": type_parts(field),
                "description": prose(field.get("description", "")),
            }
        )
        inline = field.get("items", {}) if field.get("type") == "array" else field
        if "properties" in inline:
            nested = prefix + name + ("[]." if inline is not field else ".")
            rows += properties(inline, nested)
    return rows


def type_parts(schema: Mapping[str, Any]) -> list[Part]:
    """A schema's type in words, with links to the named schemas it uses."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return [(name, f"schema-{name}")]
    for combined in ("oneOf", "anyOf"):
        if combined in schema and "type" not in schema:
            return _joined([type_parts(choice) for choice in schema[combined]], " or ")
    if "const" in schema:
        return [(json.dumps(schema["const"]), None)]
    kinds = schema.get("type", "any")
    choices = []
    for kind in [kinds] if isinstance(kinds, str) else kinds:
        if kind == "array":
            choices.append([("array of ", None), *type_parts(schema.get("items", {}))])
        elif kind == "object" and isinstance(schema.get("additionalProperties"), dict):
            choices.append([("object of ", None), *type_parts(schema["additionalProperties"])])
        elif kind == "string" and "enum" in schema:
            words = ", ".join(json.dumps(value) for value in schema["enum"] if value is not None)
            choices.append([(f"one of {words}", None)])
        else:
            extra = f" ({schema['format']})" if kind == "string" and "format" in schema else ""
            choices.append([(kind + extra, None)])
    return _joined(choices, " or ")


def _joined(choices: list[list[Part]], between: str) -> list[Part]:
    parts: list[Part] = []
    for index, choice in enumerate(choices):
        if index:
            parts.append((between, None))
        parts += choice
    return parts


def prose(text: str) -> list[tuple[str, bool]]:
    """Text with its `code` spans marked, for the template to show in <code>."""
    return [(piece, index % 2 == 1) for index, piece in enumerate(re.split(r"`", text)) if piece]
