"""Recognition on real labels: how much of each label the checker reads, and how fast.

For ../shared/data/labels-dev.csv and ../shared/data/aftercare-dev.csv (or --labels FILE ...)
prints: labels, tokens, % tokens recognised by stage, % labels fully read, the text set
aside as claims, prose or codes, crashes, the time of a whole answer (check and JSON, "did
you mean" included) per label, p50/p90/p99/max with memos cold, and the most frequent
unrecognised tokens. Run: `make recognition` (ARGS="--show 20" prints labels with unknowns).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import engine, match, names, report, spelling, tokens  # noqa: E402
from graph.checks import run_check  # noqa: E402
from graph.errors import CheckerError  # noqa: E402
from graph.index import Knowledge  # noqa: E402
from graph.loader import load_knowledge  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
DEFAULT_LABELS = [DATA / "labels-dev.csv", DATA / "aftercare-dev.csv"]
MEMOS = (
    tokens.normalize_name,
    tokens._token,
    names.match_token,
    match.separate,
    spelling.suggest,
    engine._assess,
    report._judgement_json,
)


def forget() -> None:
    """Empty every memo, so that a label is timed as the first of its kind."""
    for memo in MEMOS:
        memo.cache_clear()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(knowledge: Knowledge, path: Path, top: int, show: int, cold: bool) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    stages: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    set_aside: Counter[str] = Counter()
    crashes: list[tuple[str, str]] = []
    times: list[float] = []
    full = shown = 0
    slowest = (0.0, "")
    for row in rows:
        if cold:
            forget()
        started = time.perf_counter()
        try:
            values = {"procedure": "microneedling", "day": 2, "ingredients": row["ingredients"]}
            _, verdict = run_check(knowledge, values, 20_000)
        except CheckerError as error:
            refused[error.message[:70]] += 1
            continue
        except Exception as error:  # a crash is what this benchmark exists to find
            crashes.append((row["id"], repr(error)))
            continue
        elapsed = time.perf_counter() - started
        times.append(elapsed)
        slowest = max(slowest, (elapsed, row["id"]))
        for result in verdict.ingredients:
            stages[result.match.match or "unrecognised"] += 1
        set_aside.update(verdict.set_aside)
        unknown.update(verdict.unrecognized)
        full += not verdict.unrecognized
        if verdict.unrecognized and shown < show:
            shown += 1
            print(f"--- {row['id']} {row['name']}\n{row['ingredients'][:600]}")
            print(f"  ?? {list(verdict.unrecognized)}\n  aside {list(verdict.set_aside)}")
    total = sum(stages.values())
    checked = len(rows) - sum(refused.values()) - len(crashes)
    print(f"\n== {path.name}")
    print(
        f"labels: {len(rows)}  checked: {checked}  refused: {sum(refused.values())}  "
        f"crashes: {len(crashes)}"
    )
    recognised = total - stages["unrecognised"]
    print(f"tokens: {total}  recognised: {100 * recognised / max(total, 1):.2f}%")
    for stage in ("exact", "synonym", "pattern", "fuzzy", "unrecognised"):
        print(f"  {stage:<13} {stages[stage]:>7}  {100 * stages[stage] / max(total, 1):6.2f}%")
    print(f"labels fully read: {full} of {checked} ({100 * full / max(checked, 1):.2f}%)")
    aside_labels = sum(set_aside.values())
    print(f"set aside (claims, prose, codes, sections): {aside_labels} pieces of text")
    for text, count in set_aside.most_common(8):
        print(f"    {count:>4}  {text[:90]}")
    if times:
        ms = [1000 * value for value in times]
        print(
            f"answer time per label ({'memos cold' if cold else 'memos warm'}): "
            f"p50 {statistics.median(ms):.1f} ms  p90 {percentile(ms, 0.9):.1f}  "
            f"p99 {percentile(ms, 0.99):.1f}  max {max(ms):.1f} ({slowest[1]})  "
            f"p99/p50 {percentile(ms, 0.99) / statistics.median(ms):.1f}x"
        )
    for message, count in refused.most_common(5):
        print(f"refused {count}: {message}")
    for label_id, crash in crashes[:10]:
        print(f"crash {label_id}: {crash}")
    print(f"{top} most frequent unrecognised tokens:")
    for text, count in unknown.most_common(top):
        print(f"{count:>5}  {text[:100]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, nargs="+", default=DEFAULT_LABELS)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--show", type=int, default=0, help="print N labels with unknowns")
    parser.add_argument("--warm", action="store_true", help="keep memos between labels")
    arguments = parser.parse_args()
    missing = [path for path in arguments.labels if not path.exists()]
    if missing:
        sys.exit(f"{missing[0]} not found: the dev labels live in ../shared/data/.")
    knowledge = load_knowledge()
    for path in arguments.labels:
        measure(knowledge, path, arguments.top, arguments.show, cold=not arguments.warm)


if __name__ == "__main__":
    main()
