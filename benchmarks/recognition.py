"""Recognition on real labels: how much of ../shared/data/labels-dev.csv the checker reads.

Prints labels, tokens, % tokens recognised by stage, % labels fully recognised, crashes,
the most frequent unrecognised tokens and the slowest label. Run: `make recognition`.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.errors import CheckerError  # noqa: E402
from graph.labels import parse_label  # noqa: E402
from graph.loader import load_knowledge  # noqa: E402
from graph.match import match_tokens  # noqa: E402

DEFAULT_LABELS = ROOT.parent / "shared" / "data" / "labels-dev.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--show", type=int, default=0, help="print N labels with unknowns")
    arguments = parser.parse_args()
    if not arguments.labels.exists():
        sys.exit(f"{arguments.labels} not found: the dev labels live in ../shared/data/.")
    knowledge = load_knowledge()
    with arguments.labels.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    stages: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    crashes: list[tuple[str, str]] = []
    full = 0
    slowest = (0.0, "")
    shown = 0
    for row in rows:
        started = time.perf_counter()
        try:
            tokens = parse_label(row["ingredients"])
            matches = match_tokens(knowledge, tokens)
        except CheckerError as error:
            refused[error.message[:60]] += 1
            continue
        except Exception as error:  # a crash is what this benchmark exists to find
            crashes.append((row["id"], repr(error)))
            continue
        elapsed = time.perf_counter() - started
        slowest = max(slowest, (elapsed, row["id"]))
        missing = [m.token.text for m in matches if m.match is None]
        for found in matches:
            stages[found.match or "unrecognised"] += 1
        unknown.update(missing)
        full += not missing
        if missing and shown < arguments.show:
            shown += 1
            print(f"--- {row['id']} {row['name']}\n{row['ingredients'][:600]}\n  ?? {missing}")
    tokens_total = sum(stages.values())
    recognised = tokens_total - stages["unrecognised"]
    checked = len(rows) - sum(refused.values()) - len(crashes)
    print(
        f"labels: {len(rows)}  checked: {checked}  refused: {sum(refused.values())}  "
        f"crashes: {len(crashes)}"
    )
    print(f"tokens: {tokens_total}  recognised: {100 * recognised / tokens_total:.2f}%")
    for stage in ("exact", "synonym", "pattern", "fuzzy", "unrecognised"):
        print(f"  {stage:<13} {stages[stage]:>7}  {100 * stages[stage] / tokens_total:6.2f}%")
    print(f"labels fully recognised: {full} of {checked} ({100 * full / max(checked, 1):.2f}%)")
    print(f"slowest label: {slowest[1]} ({slowest[0] * 1000:.1f} ms)")
    for message, count in refused.most_common(5):
        print(f"refused {count}: {message}")
    for label_id, crash in crashes[:10]:
        print(f"crash {label_id}: {crash}")
    print(f"\n{arguments.top} most frequent unrecognised tokens:")
    for text, count in unknown.most_common(arguments.top):
        print(f"{count:>5}  {text[:100]}")


if __name__ == "__main__":
    main()
