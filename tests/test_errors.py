"""web/errors.py: every error the checker raises has its HTTP status and the one error shape."""

from __future__ import annotations

import pytest
from flask import Flask

from graph import errors
from graph.errors import STATUS_BY_ERROR, CheckerError


def _all_subclasses(cls: type[CheckerError]) -> list[type[CheckerError]]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_all_subclasses(sub)]
    return found


ERROR_CLASSES = sorted(_all_subclasses(CheckerError), key=lambda cls: cls.__name__)


def test_every_error_class_has_its_own_http_status() -> None:
    # a new error class without a status would fall back to 400 silently
    missing = [cls.__name__ for cls in ERROR_CLASSES if cls not in STATUS_BY_ERROR]
    assert missing == []
    assert all(400 <= status < 600 for status in STATUS_BY_ERROR.values())
    assert {cls.__module__ for cls in ERROR_CLASSES} == {errors.__name__}


@pytest.mark.parametrize("error_class", ERROR_CLASSES, ids=lambda cls: cls.__name__)
def test_an_error_raised_in_a_request_answers_its_status_in_the_error_shape(
    app: Flask, error_class: type[CheckerError]
) -> None:
    def fail() -> str:
        raise error_class("Something about the day is wrong.", "day")

    app.add_url_rule("/api/test-error", "api_test_error", fail)
    app.add_url_rule("/test-error", "page_test_error", fail)
    client = app.test_client()
    response = client.get("/api/test-error")
    assert response.status_code == STATUS_BY_ERROR[error_class]
    assert response.get_json() == {"error": "Something about the day is wrong.", "field": "day"}
    page = client.get("/test-error", headers={"Accept": "text/html"})
    assert page.status_code == STATUS_BY_ERROR[error_class]
    assert "Something about the day is wrong." in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)
