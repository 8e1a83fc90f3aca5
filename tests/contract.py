"""The OpenAPI document as the tests hold the app to it: every /api answer fits its operation's
documented response, with no key the document does not name (clients may ignore new keys; we
document them first); and how a documented example is compared with the app's answer."""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import re
import threading
from typing import Any

from flask import Flask, Response, request
from jsonschema import Draft202012Validator

from web.openapi import document, resolve

Json = dict[str, Any]
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def strict(schema: Any) -> Any:
    """A copy of a schema in which no object may carry a key it does not list."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    tightened = {
        key: value if key in ("examples", "example", "enum", "const") else strict(value)
        for key, value in schema.items()
    }
    if isinstance(schema.get("properties"), dict) and "additionalProperties" not in schema:
        tightened["additionalProperties"] = False
    return tightened


@functools.cache
def strict_document() -> Json:
    tightened: Json = strict(copy.deepcopy(document()))
    return tightened


def schema_validator(schema: Json) -> Draft202012Validator:
    """A validator for a schema of the document, its `$ref`s resolved within the document."""
    root = {"$schema": DIALECT, "components": strict_document()["components"], **schema}
    return Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)


def openapi_path(rule: str) -> str:
    """A Flask rule as the document writes its path: /api/procedures/{procedure_id}."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


@functools.cache
def _response_validator(path: str, method: str, status: str) -> Draft202012Validator:
    operation = strict_document()["paths"][path][method]
    response = resolve(strict_document(), operation["responses"][status])
    return schema_validator(response["content"]["application/json"]["schema"])


def answer_problems(
    path: str, method: str, status: int, content_type: str, body: bytes
) -> list[str]:
    """What is wrong with an answer, measured against the document; [] when it fits."""
    where = f"{method.upper()} {path} answered {status}"
    operation = document()["paths"].get(path, {}).get(method)
    if operation is None:
        return [f"{where}, but the document has no such operation"]
    if str(status) not in operation["responses"]:
        return [f"{where}, a status the document does not list"]
    if content_type.split(";")[0].strip() != "application/json":
        return [f"{where} as {content_type!r}, not application/json"]
    try:
        answer = json.loads(body)
    except ValueError:
        return [f"{where} with a body that is not JSON"]
    validator = _response_validator(path, method, str(status))
    return [
        f"{where}: at {'/'.join(map(str, error.absolute_path)) or 'the top'}: {error.message}"
        for error in validator.iter_errors(answer)
    ][:5]


class Recorder:
    """Every answer any app in this test run gives on a documented route, checked once each."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[tuple[str, str, int, str, bytes]] = []
        self._checked: set[bytes] = set()

    def record(self, sender: Flask, response: Response, **extra: Any) -> None:
        rule = request.url_rule
        if rule is None or response.is_streamed or request.method in ("HEAD", "OPTIONS"):
            return  # no route, or an answer Flask or Werkzeug makes for any route
        documented = openapi_path(rule.rule) in document()["paths"]
        if not documented and request.blueprint != "api":
            return  # a page, or a route a test added for itself
        answer = (
            openapi_path(rule.rule),
            request.method.lower(),
            response.status_code,
            response.content_type or "",
            response.get_data(),
        )
        with self._lock:
            self._pending.append(answer)

    def problems(self) -> list[str]:
        """Problems with the answers recorded since the last call."""
        with self._lock:
            pending, self._pending = self._pending, []
        found = []
        for answer in pending:
            key = hashlib.blake2b(repr(answer).encode()).digest()
            if key in self._checked:
                continue
            self._checked.add(key)
            found += answer_problems(*answer)
        test = os.environ.get("PYTEST_CURRENT_TEST", "")
        return [f"{problem} (in {test})" for problem in found]


def fits_example(example: Any, answer: Any) -> bool:
    """Whether an answer says what a documented example shows: each key of an example object
    with the same value; a non-empty example list the first items of the answer's (examples
    are shortened); an empty list empty; anything else equal."""
    if isinstance(example, dict):
        return isinstance(answer, dict) and all(
            key in answer and fits_example(value, answer[key]) for key, value in example.items()
        )
    if isinstance(example, list):
        if not isinstance(answer, list) or (not example and answer):
            return False
        return len(example) <= len(answer) and all(map(fits_example, example, answer))
    return bool(example == answer) and isinstance(example, bool) == isinstance(answer, bool)
