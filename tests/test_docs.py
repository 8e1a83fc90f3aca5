"""The README tells the truth: its curl example, its routes, its settings."""

from __future__ import annotations

import json
import re
import subprocess

from flask import Flask

from tests.conftest import ROOT
from web.settings import DEFAULTS, SETTINGS

README = (ROOT / "README.md").read_text()


def test_readme_curl_check_example_answers_what_the_readme_says(live_server: str) -> None:
    command = re.search(
        r"```sh\n(curl -s http://127\.0\.0\.1:5000/api/check .*?)\n```", README, re.S
    )
    assert command is not None
    shell = command.group(1).replace("http://127.0.0.1:5000", live_server)
    output = subprocess.run(
        ["bash", "-c", shell], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    answer = json.loads(output)
    documented = re.search(r'"verdict": "(\w+)", "ok_from_day": (\d+)', README)
    assert documented is not None
    assert answer["verdict"] == documented.group(1) == "avoid"
    assert answer["ok_from_day"] == int(documented.group(2))
    retinol = answer["ingredients"][2]
    reason = next(r for r in retinol["reasons"] if r["in_force"])
    assert reason["rationale"] and reason["source"]["title"]


def test_readme_mentions_every_api_route(app: Flask) -> None:
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and "<path:" not in rule.rule:
            written = re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", rule.rule)
            written = re.sub(r"<\w+_id>", "<id>", written)  # <procedure_id>, <class_id>, …
            written = written.replace("<day>", "<n>")
            assert written in README, written


def test_readme_settings_table_is_the_settings_list() -> None:
    # one list (web/settings.py) with each setting's default and what it does; the README's
    # table says the same, row for row
    table = re.findall(r"^\| `(\w+)` \| (.*?) \| (.*?) \|$", README, re.MULTILINE)
    assert table == [(s.name, s.shown, s.help) for s in SETTINGS]
    assert set(DEFAULTS) == {s.name for s in SETTINGS}
