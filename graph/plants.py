"""Plant names as labels write them: without the part the ingredient comes from, or by a
common name beside the botanical one; read only where every reading restricts alike
(docs/decisions/018-plant-names-without-their-part.md)."""

from __future__ import annotations

import functools
import re
from collections.abc import Hashable, Sequence

from graph.index import Knowledge
from graph.model import Concept
from graph.tokens import PLANT_PART_WORDS, PLANT_PRODUCT_WORDS, normalize_name


def common_name(text: str, known: Sequence[str]) -> bool:
    """A plant product by its common name beside its botanical name: both end in the same
    product or part ('… Seed Oil', '… Butter', '… Seed') and the botanical one is a binomial
    and a part."""
    name = normalize_name(text)
    product = _PART_OR_PRODUCT.search(name)  # 'Actinidia Chinensis Seed / Kiwi Seed' too
    return product is not None and any(
        normalize_name(other).endswith(product.group())
        and len(_unbracketed(normalize_name(other)).split()) >= 3
        for other in known
    )


# A plant name without the part it comes from ('Olea Europaea (Olive) Oil' for the listed
# 'Olea Europaea Fruit Oil'), or a bare binomial ('Iris Florentina'): read as one of the
# listed names it can stand for when no rule restricts any of them differently; otherwise
# ('Mentha Arvensis': a leaf extract, or an essential oil) it stays unknown. An oil named
# without its part is the oil pressed from the seed or fruit (docs/decisions/018).
_PLANT_PART = re.compile(rf"\b{PLANT_PART_WORDS}\b|/")
_PLANT_PRODUCT = re.compile(rf"\b{PLANT_PRODUCT_WORDS}$")
_PART_OR_PRODUCT = re.compile(rf"\b(?:{PLANT_PRODUCT_WORDS}|{PLANT_PART_WORDS})$")
_PRESSED_OIL = re.compile(r"\b(?:seed|fruit|kernel|nut)s? oil$")
_BINOMIAL = re.compile(r"[a-z]{3,} [a-z]{3,}")


def _unbracketed(name: str) -> str:
    return " ".join(re.sub(r"\([^()]*\)", " ", name).split())


def _part_key(name: str) -> str:
    return " ".join(_PLANT_PART.sub(" ", _unbracketed(name)).split())


@functools.cache
def _partless(knowledge: Knowledge) -> dict[str, tuple[str, ...]]:
    """Listed plant names by their name without a plant part, and by their binomial alone."""
    found: dict[str, list[str]] = {}
    for name in knowledge.names:
        bare = _unbracketed(name)
        words = bare.split()
        if len(words) >= 3 and (_PLANT_PART.fullmatch(words[2]) or _PLANT_PRODUCT.match(words[2])):
            found.setdefault(" ".join(words[:2]), []).append(name)
        if _PLANT_PRODUCT.search(name) and _PLANT_PART.search(bare):
            found.setdefault(_part_key(name), []).append(name)
    return {key: tuple(names) for key, names in found.items()}


def part_omitted(knowledge: Knowledge, name: str) -> Concept | None:
    """The listed plant ingredient a name without its part stands for, when all agree."""
    bare = _unbracketed(name)
    if _BINOMIAL.fullmatch(bare):
        key = bare
    elif _PLANT_PRODUCT.search(name) and len(name.split()) >= 3:
        key = _part_key(name)
    else:
        return None
    names = _partless(knowledge).get(key, ())
    if key.endswith(" oil"):
        names = tuple(n for n in names if _PRESSED_OIL.search(n)) or names
    iris = {knowledge.names[n].iri: None for n in names}
    if not iris or len({restrictions(knowledge, iri) for iri in iris}) > 1:
        return None  # 'Citrus Limon Oil': a peel oil (a fragrance) or a seed oil
    plainest = min(
        iris, key=lambda iri: (_rule_count(knowledge, iri), len(knowledge.concepts[iri].label))
    )
    return knowledge.concepts[plainest]


@functools.lru_cache(maxsize=8_192)  # a property of the knowledge, like the index above
def restrictions(knowledge: Knowledge, iri: str) -> Hashable:
    """What can restrict an ingredient: the restricting rules that reach it on any procedure,
    its trace role, its legal maxima and whether a label may list it out of order."""
    lineage = knowledge.lineage(iri)
    return (
        frozenset(
            (procedure, ancestor)
            for procedure in knowledge.procedures
            for ancestor in lineage
            if any(
                rule.level.restricts
                for rule in knowledge.rules_by_subject.get((procedure, ancestor), ())
            )
        ),
        knowledge.trace_roles.get(iri),
        knowledge.legal_maxima.get(iri, ()),
        frozenset(lineage) & knowledge.outside_order,
    )


def _rule_count(knowledge: Knowledge, iri: str) -> int:
    return sum(len(knowledge.rules_for(procedure, iri)) for procedure in knowledge.procedures)


@functools.lru_cache(maxsize=256)
def restricting(knowledge: Knowledge, iri: str) -> bool:
    """Whether any procedure restricts the concept on some day, through any of its classes."""
    return any(
        rule.level.restricts
        for procedure in knowledge.procedures
        for rule, _ in knowledge.rules_for(procedure, iri)
    )
