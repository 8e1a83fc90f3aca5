"""Label photos as phones take them: is the answer the typed label's?

Renders the labels of ../shared/data/aftercare-dev.csv (and a sample of labels-dev.csv, the
separate set) as photos at graded qualities (tests/images.py), reads each through the
app's own pipeline (graph.ocr.read_label_photo, the limits of web/settings.py), checks the
reading (microneedling, day 2) and prints per quality: how often the verdict and its okay day
equal the typed label's, the share of the typed label's recognised ingredients found again,
photos refused, and seconds per photo (p50/p99). Run: `make ocr` (ARGS="--limit 20 --separate 0").
"""

from __future__ import annotations

import argparse
import ast
import csv
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.engine import check_product  # noqa: E402
from graph.errors import CheckerError  # noqa: E402
from graph.index import Knowledge  # noqa: E402
from graph.loader import load_knowledge  # noqa: E402
from graph.ocr import read_label_photo  # noqa: E402
from graph.verdicts import Verdict  # noqa: E402
from tests.images import QUALITIES, Quality, photograph, render  # noqa: E402
from web.settings import DEFAULTS  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
PROCEDURE, DAY = "microneedling", 2
LONGEST_LABEL = 1500  # characters: a longer list does not fit one phone photo at label size


@dataclass
class Tally:
    photos: int = 0
    same: int = 0
    found: int = 0
    known: int = 0
    refused: int = 0
    seconds: list[float] = field(default_factory=list)

    def row(self, name: str) -> str:
        ordered = sorted(self.seconds) or [0.0]
        p50 = ordered[len(ordered) // 2]
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        return (
            f"{name:<16} {self.photos:>4} {percent(self.same, self.photos):>6} "
            f"{percent(self.found, self.known):>6} {self.refused:>4} {p50:>6.2f} {p99:>6.2f}"
        )


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "-"


def known_ingredients(verdict: Verdict) -> set[str]:
    return {
        result.match.ingredient.iri
        for result in verdict.ingredients
        if result.match.ingredient is not None and result.match.ingredient.kind == "ingredient"
    }


def label_text(ingredients: str) -> str:
    """A labels-dev entry is a list of paragraphs written as a Python list; print each."""
    if ingredients.startswith("["):
        try:
            return "\n".join(str(part) for part in ast.literal_eval(ingredients))
        except (ValueError, SyntaxError):
            pass
    return ingredients


def products(path: Path, limit: int, sample: bool) -> list[tuple[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [
            (row["id"], label_text(row["ingredients"]))
            for row in csv.DictReader(handle)
            if 20 < len(row["ingredients"]) <= LONGEST_LABEL
        ]
    if sample:
        rows = random.Random(17).sample(rows, min(limit, len(rows)))
    return rows[:limit]


def measure(
    knowledge: Knowledge,
    title: str,
    rows: list[tuple[str, str]],
    qualities: list[Quality],
    verbose: bool,
) -> None:
    tallies = {quality.name: Tally() for quality in qualities}
    for number, (identifier, text) in enumerate(rows):
        text = f"Ingredients: {text}"  # as printed; the typed label is the same text
        typed = check_product(knowledge, PROCEDURE, DAY, text)
        expected = known_ingredients(typed)
        label = render(text, seed=number)
        for quality in qualities:
            tally = tallies[quality.name]
            photo = photograph(label, quality, seed=number)
            tally.photos += 1
            tally.known += len(expected)
            started = time.perf_counter()
            try:
                reading = read_label_photo(
                    photo,
                    DEFAULTS["MAX_IMAGE_BYTES"],
                    DEFAULTS["MAX_IMAGE_PIXELS"],
                    DEFAULTS["OCR_TIMEOUT_SECONDS"],
                    knowledge,
                ).text
            except CheckerError as error:
                tally.seconds.append(time.perf_counter() - started)
                tally.refused += 1
                if verbose:
                    print(f"  {quality.name} {identifier}: refused: {error.message}")
                continue
            tally.seconds.append(time.perf_counter() - started)
            verdict = check_product(knowledge, PROCEDURE, DAY, reading)
            found = expected & known_ingredients(verdict)
            tally.found += len(found)
            same = (verdict.level, verdict.ok_from_day) == (typed.level, typed.ok_from_day)
            tally.same += same
            if verbose and (not same or len(found) < len(expected)):
                print(
                    f"  {quality.name} {identifier}: {typed.level.value}->{verdict.level.value}"
                    f" found {len(found)}/{len(expected)}; read: {reading[:160]!r}"
                )
    print(f"\n{title}: {len(rows)} labels, {PROCEDURE} day {DAY}")
    print(
        f"{'quality':<16} {'n':>4} {'same%':>6} {'ingr%':>6} {'ref':>4} {'p50 s':>6} {'p99 s':>6}"
    )
    for name, tally in tallies.items():
        print(tally.row(name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=1000, help="dev products to photograph")
    parser.add_argument("--separate", type=int, default=30, help="labels-dev labels to sample")
    parser.add_argument("--verbose", action="store_true", help="show every differing reading")
    names = [quality.name for quality in QUALITIES]
    parser.add_argument("--quality", action="append", choices=names, help="only these")
    arguments = parser.parse_args()
    qualities = [quality for quality in QUALITIES if quality.name in (arguments.quality or names)]
    dev, separate = DATA / "aftercare-dev.csv", DATA / "labels-dev.csv"
    if not dev.exists():
        sys.exit(f"{dev} not found: the products live in ../shared/data/.")
    knowledge = load_knowledge()
    rows = products(dev, arguments.limit, False)
    measure(knowledge, "dev products", rows, qualities, arguments.verbose)
    if arguments.separate:
        rows = products(separate, arguments.separate, True)
        measure(knowledge, "separate set (labels-dev sample)", rows, qualities, arguments.verbose)


if __name__ == "__main__":
    main()
