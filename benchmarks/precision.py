"""Precision on real products: false alarms on gentle products, misses on restricted ones.

Runs ../shared/data/aftercare-dev.csv (group G: gentle products aftercare handouts recommend;
group R: restricted actives) through the checker for every procedure on days 2, 3, 14 and 30
and prints, per procedure and day: gentle products called "avoid" (false alarms), "caution"
and "unknown"; restricted products not "avoid" on day 2 after microneedling (misses); and the
ingredients that decided each false alarm. Run: `make precision` (ARGS="--products file.csv"
for another set with the same columns).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.engine import check_product  # noqa: E402
from graph.loader import load_knowledge  # noqa: E402
from graph.model import Level  # noqa: E402
from graph.verdicts import Verdict  # noqa: E402

DEFAULT_PRODUCTS = ROOT.parent / "shared" / "data" / "aftercare-dev.csv"
DAYS = (2, 3, 14, 30)
MISS_PROCEDURE, MISS_DAY = "microneedling", 2


def deciding(verdict: Verdict) -> list[str]:
    """The ingredients (as written) whose own verdict is the product's."""
    return [
        result.match.token.text
        for result in verdict.ingredients
        if result.assessment is not None and result.assessment.level is verdict.level
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=Path, default=DEFAULT_PRODUCTS)
    parser.add_argument("--days", default=",".join(map(str, DAYS)))
    parser.add_argument("--verbose", action="store_true", help="name every false alarm and unknown")
    arguments = parser.parse_args()
    if not arguments.products.exists():
        sys.exit(f"{arguments.products} not found: the products live in ../shared/data/.")
    knowledge = load_knowledge()
    with arguments.products.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    gentle = [row for row in rows if row["group"] == "G"]
    restricted = [row for row in rows if row["group"] == "R"]
    days = [int(day) for day in arguments.days.split(",")]
    print(f"{len(gentle)} gentle and {len(restricted)} restricted products; day 0 = procedure day")
    print(f"{'procedure':<20} {'day':>3}  {'avoid':>5} {'caution':>7} {'unknown':>7} {'ok+':>4}")
    causes: Counter[str] = Counter()
    for procedure in sorted(knowledge.procedures):
        for day in days:
            levels: Counter[Level] = Counter()
            for row in gentle:
                verdict = check_product(knowledge, procedure, day, row["ingredients"])
                levels[verdict.level] += 1
                if verdict.level is Level.AVOID:
                    found = deciding(verdict)
                    causes.update(name.casefold() for name in found)
                    if arguments.verbose:
                        print(f"    false alarm {row['id']} {row['name'][:50]}: {found}")
                elif verdict.level is Level.UNKNOWN and arguments.verbose:
                    unread = list(verdict.unrecognized)
                    print(f"    unknown {row['id']} {row['name'][:50]}: {unread}")
            fine = levels[Level.OK] + levels[Level.RECOMMENDED]
            print(
                f"{procedure:<20} {day:>3}  {levels[Level.AVOID]:>5} {levels[Level.CAUTION]:>7} "
                f"{levels[Level.UNKNOWN]:>7} {fine:>4}"
            )
    misses = []
    for row in restricted:
        verdict = check_product(knowledge, MISS_PROCEDURE, MISS_DAY, row["ingredients"])
        if verdict.level is not Level.AVOID:
            misses.append(f"{row['id']} {row['name'][:50]}: {verdict.level.value}")
    print(f"misses ({MISS_PROCEDURE} day {MISS_DAY}, restricted not 'avoid'): {len(misses)}")
    for line in misses:
        print(f"    {line}")
    print("ingredients deciding the false alarms (all procedures and days):")
    for name, count in causes.most_common(15):
        print(f"    {count:>4}  {name}")


if __name__ == "__main__":
    main()
