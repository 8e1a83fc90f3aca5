"""Which similarity threshold should a typo need to be read as an ingredient?

Two measurements on the names real labels use (../shared/data/labels-dev.csv):
- recall: each listed name gets one random edit (a typo), then two; how often is it read back as the
  right ingredient, a wrong one, or not at all, per threshold;
- false reads: each listed name is looked up with its own ingredient's names removed from
  the list (as if we did not know it); any match is then a wrong ingredient.
Run: .venv/bin/python benchmarks/fuzzy_threshold.py
"""

from __future__ import annotations

import csv
import random
import string
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.engine import assess  # noqa: E402
from graph.index import Knowledge  # noqa: E402
from graph.labels import parse_label  # noqa: E402
from graph.loader import load_knowledge  # noqa: E402
from graph.match import match_tokens  # noqa: E402
from graph.spelling import FUZZY_MIN_CHARS, closest_ingredient  # noqa: E402
from graph.tokens import normalize_name  # noqa: E402

LABELS = ROOT.parent / "shared" / "data" / "labels-dev.csv"
# (metric, threshold): "indel" insert/delete ratio, "osa" alignment share (a swap is one slip)
THRESHOLDS = [("osa-lone", 90), ("osa-room", 90), ("osa-alike", 90)]
SAMPLE = 1500


def typo(name: str, rng: random.Random) -> str:
    index = rng.randrange(len(name))
    edit = rng.choice(["delete", "insert", "substitute", "transpose"])
    letter = rng.choice(string.ascii_lowercase)
    if edit == "delete":
        return name[:index] + name[index + 1 :]
    if edit == "insert":
        return name[:index] + letter + name[index:]
    if edit == "substitute":
        return name[:index] + letter + name[index + 1 :]
    index = min(index, len(name) - 2)
    return name[:index] + name[index + 1] + name[index] + name[index + 2 :]


def main() -> None:
    knowledge = load_knowledge()
    with LABELS.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    listed: dict[str, str] = {}
    for row in rows:
        for found in match_tokens(knowledge, parse_label(row["ingredients"])):
            if found.match in ("exact", "synonym") and found.ingredient and found.read_as:
                name = normalize_name(found.read_as)
                if len(name) >= FUZZY_MIN_CHARS:
                    listed[name] = found.ingredient.iri
    rng = random.Random(20261126)
    sample = rng.sample(sorted(listed), min(SAMPLE, len(listed)))
    print(f"{len(listed)} distinct listed names on the dev labels; sample {len(sample)}\n")
    print(
        "metric threshold  typo→right  typo→wrong  typo→tie  typo→none  unlisted→wrong"
        "  …of another class  …hiding a restriction"
    )
    unlisted = sample[:300]

    def classes(iri: str) -> set[str]:
        return set(knowledge.lineage(iri)) - {iri}

    procedure = knowledge.procedure("microneedling")

    def restricts(iri: str) -> bool:
        """Whether microneedling restricts the ingredient on any day."""
        return assess(knowledge, procedure, knowledge.concepts[iri], 0).ok_from_day != 0

    one_slip = [(typo(name, rng), listed[name]) for name in sample]
    two_slips = [(typo(typo(name, rng), rng), listed[name]) for name in sample]
    for slips, typos in (("one slip", one_slip), ("two slips", two_slips)):
        print(f"-- typos of {slips}; the unlisted names are the same in both")
        _compare(knowledge, typos, unlisted, listed, restricts, classes)


def _compare(
    knowledge: Knowledge,
    typos: list[tuple[str, str]],
    unlisted: list[str],
    listed: dict[str, str],
    restricts: Callable[[str], bool],
    classes: Callable[[str], set[str]],
) -> None:
    for metric, threshold in THRESHOLDS:
        right = wrong = tie = none = 0
        for text, iri in typos:
            closest = closest_ingredient(knowledge, text, threshold, None, metric)
            if closest is None:
                none += 1
            elif closest[2]:
                tie += 1
            elif closest[0].iri == iri:
                right += 1
            else:
                wrong += 1
        false_reads = other_class = dangerous = 0
        for name in unlisted:
            others = [n for n in knowledge.name_list if knowledge.names[n].iri != listed[name]]
            closest = closest_ingredient(knowledge, name, threshold, others, metric)
            if closest is not None and not closest[2]:
                false_reads += 1
                other_class += classes(closest[0].iri) != classes(listed[name])
                dangerous += restricts(listed[name]) and not restricts(closest[0].iri)
        n, m = len(typos), len(unlisted)
        print(
            f"{metric:>6} {threshold:>9}  {100 * right / n:9.1f}%  {100 * wrong / n:9.1f}%  "
            f"{100 * tie / n:7.1f}%  {100 * none / n:8.1f}%  {100 * false_reads / m:13.1f}%"
            f"  {100 * other_class / m:13.1f}%  {100 * dangerous / m:11.1f}%"
        )


if __name__ == "__main__":
    main()
