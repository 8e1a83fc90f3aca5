"""Record what the app answers to a few hundred requests, or compare with a recording.

For changes that must not change a byte (moving routes between modules): record before,
compare after. Run: `.venv/bin/python scripts/snapshot_responses.py record FILE`, then
`… compare FILE`; prints every request whose status, content type or body differs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from graph.loader import load_knowledge  # noqa: E402

SPARQL_COUNT = "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20{%3Fs%20%3Fp%20%3Fo}"
LABELS = [
    "Aqua, Glycerin, Retinol",
    "Aqua, Zorblaxin-9",
    "Aqua, Glycerin, Phenoxyethanol, Citric Acid. Free of parabens and fragrance.",
    "Ingredients: Aqua, Glycerin/Retinol, Parfum",
]


def requests(knowledge: Any) -> list[tuple[str, str, dict[str, Any] | None]]:
    found: list[tuple[str, str, dict[str, Any] | None]] = []
    for path in ["/", "/procedures", "/ingredients?q=retin", "/shelf", "/compare", "/healthz"]:
        found.append(("GET", path, None))
    for procedure in sorted(knowledge.procedures):
        found += [
            ("GET", f"/procedures/{procedure}", None),
            ("GET", f"/procedures/{procedure}/plan?date=2026-11-20&today=2026-11-23", None),
            ("GET", f"/procedures/{procedure}/plan.ics?date=2026-11-20&today=2026-11-23", None),
            ("GET", f"/api/procedures/{procedure}", None),
            ("GET", f"/api/procedures/{procedure}/timeline", None),
        ]
        for day in (0, 2, 14):
            found.append(("GET", f"/api/procedures/{procedure}/days/{day}", None))
            for label in LABELS:
                body = {"procedure": procedure, "day": day, "ingredients": label}
                found.append(("POST", "/api/check", body))
                query = f"procedure={procedure}&when=day&day={day}&ingredients={label}"
                found.append(("GET", f"/?{query}", None))
    for cls in ("retinoid", "aha", "fragrance", "vitamin-c"):
        found += [
            ("GET", f"/classes/{cls}", None),
            ("GET", f"/api/classes/{cls}", None),
            ("GET", f"/compare?subject={cls}", None),
            ("GET", f"/api/compare?subject={cls}", None),
        ]
    for ingredient in ("retinol", "citric-acid", "glycerin", "no-such-thing"):
        found += [
            ("GET", f"/ingredients/{ingredient}", None),
            ("GET", f"/api/ingredients/{ingredient}", None),
        ]
    found += [
        ("GET", "/api/procedures", None),
        ("GET", "/api/ingredients?q=ascorb", None),
        (
            "GET",
            "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D",
            None,
        ),
        ("GET", "/sparql", None),
        ("POST", "/api/check", {"procedure": "nothing", "day": 1, "ingredients": "Aqua"}),
        ("POST", "/api/check", {"procedure": "microneedling", "day": -1, "ingredients": "Aqua"}),
    ]
    return found


def snapshot() -> dict[str, dict[str, Any]]:
    knowledge = load_knowledge()
    client = create_app({"TESTING": True, "KNOWLEDGE": knowledge}).test_client()
    answers = {}
    for method, path, body in requests(knowledge):
        response = client.open(path, method=method, json=body)
        data = response.get_data()
        if response.mimetype == "text/calendar":  # each event is stamped with the time it is made
            data = b"\n".join(line for line in data.splitlines() if not line.startswith(b"DTSTAMP"))
        key = f"{method} {path} {json.dumps(body, sort_keys=True)}"
        answers[key] = {
            "status": response.status_code,
            "type": response.headers.get("Content-Type"),
            "body": hashlib.sha256(data).hexdigest(),
        }
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["record", "compare"])
    parser.add_argument("file", type=Path)
    arguments = parser.parse_args()
    answers = snapshot()
    if arguments.action == "record":
        arguments.file.write_text(json.dumps(answers, indent=1), encoding="utf-8")
        print(f"recorded {len(answers)} answers in {arguments.file}")
        return
    before = json.loads(arguments.file.read_text(encoding="utf-8"))
    differ = [key for key in before if before[key] != answers.get(key)]
    for key in differ:
        print(f"differs: {key}\n  before {before[key]}\n  after  {answers.get(key)}")
    print(f"{len(before) - len(differ)} of {len(before)} answers the same")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
