"""Restricted families caught by name, listed names included; CosIng functions only inform."""

from __future__ import annotations

import functools

import pytest

from graph.engine import assess, check_product
from graph.index import Knowledge, NamePattern
from graph.model import Concept, Level
from graph.namespaces import AC
from graph.tokens import normalize_name

MN = "microneedling"


def families(knowledge: Knowledge) -> list[NamePattern]:
    return [pattern for pattern in knowledge.patterns if pattern.family]


@functools.cache
def _exceptions(knowledge: Knowledge) -> frozenset[tuple[str, str]]:
    graph = knowledge.graph
    return frozenset(
        (str(graph.value(node, AC.pattern)), str(graph.value(node, AC.ingredient)))
        for node in graph.subjects(predicate=None, object=AC.FamilyException)
    )


def covered(knowledge: Knowledge, pattern: NamePattern) -> list[Concept]:
    """Every listed ingredient whose name or synonym the family pattern finds."""
    return [
        concept
        for concept in knowledge.of_kind("ingredient")
        if any(pattern.finds(normalize_name(n)) for n in (concept.label, *concept.alt_labels))
    ]


def test_the_restricted_families_of_the_brief_are_caught_by_name(knowledge: Knowledge) -> None:
    caught = {cls for pattern in families(knowledge) for cls in pattern.concept.broader}
    names = {knowledge.concepts[cls].id for cls in caught}
    assert {"retinoid", "vitamin-c", "aha", "bha", "benzoyl-peroxide", "essential-oil"} <= names


def test_every_name_a_family_covers_is_at_least_as_restricted_as_the_family(
    knowledge: Knowledge,
) -> None:
    """On every day a family is restricted after any procedure, each listed name it covers,
    checked alone, is restricted at least as much (deliberate exceptions are in the knowledge)."""
    exceptions = _exceptions(knowledge)
    failures = []
    for pattern in families(knowledge):
        names = [
            c for c in covered(knowledge, pattern) if (pattern.concept.iri, c.iri) not in exceptions
        ]
        assert names, f"{pattern.concept.id} covers no listed name"
        for procedure in knowledge.procedures.values():
            for cls in pattern.concept.broader:
                family = knowledge.concepts[cls]
                days = [
                    d
                    for d in range(0, 60)
                    if assess(knowledge, procedure, family, d).level.restricts
                ]
                for day in days[:1] + days[-1:]:
                    wanted = assess(knowledge, procedure, family, day).level
                    for concept in names:
                        got = check_product(knowledge, procedure.id, day, concept.label).level
                        if got.severity < wanted.severity:
                            failures.append(
                                f"{concept.label} {got.value} on {procedure.id} day {day}"
                            )
    assert not failures, failures[:20]


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("Retinyl Oleate", "retinoid"),
        ("Hydrogenated Retinol", "retinoid"),
        ("Retinyl Rice Branate", "retinoid"),
        ("Tocopheryl Glyceryl Retinoate", "retinoid"),
        ("Cis-Retinoic Acid", "retinoid"),
        ("Ascorbyl Tocopheryl Acetate", "vitamin-c"),
        ("Potassium Salicylate", "bha"),
        ("SD Alcohol 40", "drying-alcohol"),
        ("Lavandula Angustifolia Herb Oil", "essential-oil"),
        ("Carbomer/Papain Crosspolymer", "enzyme-exfoliant"),  # papain bound to a carrier
        ("SR-Pineapple Stem Bromelain", "enzyme-exfoliant"),
        ("Protease", "enzyme-exfoliant"),  # the exfoliating enzyme of some K-beauty toners
        ("Pineapple Enzyme", "enzyme-exfoliant"),  # bromelain by its common name
        ("R-Bacillus Licheniformis Keratinase", "enzyme-exfoliant"),
    ],
)
def test_a_listed_name_is_in_its_family_whatever_cosing_lists_for_it(
    knowledge: Knowledge, name: str, family: str
) -> None:
    ingredient = knowledge.concepts[knowledge.names[normalize_name(name)].iri]
    assert knowledge.concept("class", family, "id").iri in knowledge.lineage(ingredient.iri)
    assert check_product(knowledge, MN, 2, f"Aqua, {name}").level is Level.AVOID


@pytest.mark.parametrize(
    "name",
    [
        "Beta-Carotene",  # provitamin A, not a retinoid
        "Isostearyl Glycolate",  # a fatty ester used as an emollient, not an exfoliating salt
        "Potassium Bitartrate",  # cream of tartar
        "Lactic Acid/Glycolic Acid Copolymer",  # a polymer
        "Ammonium Thioglycolate",  # a depilatory, no hydroxy acid (restricted as such, not here)
        "Ethylhexyl Salicylate",  # a UV filter
        "Salvia Hispanica Seed Oil",  # chia seed oil, a carrier oil
        "Rosa Canina Fruit Oil",  # rosehip, a carrier oil
        "Bis-Oleamido Isopropyl Alcohol",
        # a ferment made with papain, not the enzyme itself
        "Hydrolyzed Phyllostachys Heterocycla/Charcoal/Papain/Boysenberry Fruit Ferment Filtrate",
    ],
)
def test_names_that_only_look_like_a_family_stay_out_of_it(knowledge: Knowledge, name: str) -> None:
    hit = knowledge.names.get(normalize_name(name))
    assert hit is not None, f"{name} should be a listed name"
    assert not knowledge.concepts[hit.iri].families


@pytest.mark.parametrize("name", ["Maltose", "Rhamnose", "Succinic Acid", "Methyl Palmitate"])
def test_perfuming_as_one_function_among_several_is_no_fragrance(
    knowledge: Knowledge, name: str
) -> None:
    fragrance = knowledge.concept("class", "fragrance", "id").iri
    assert fragrance not in knowledge.lineage(knowledge.names[normalize_name(name)].iri)
    assert check_product(knowledge, MN, 1, f"Aqua, {name}").level is not Level.AVOID


def test_a_name_whose_only_function_is_perfuming_is_a_fragrance(knowledge: Knowledge) -> None:
    fragrance = knowledge.concept("class", "fragrance", "id").iri
    sole = [
        c
        for c in knowledge.of_kind("ingredient")
        if c.functions and set(c.functions) <= {"Perfuming"} and not c.curated
    ]
    assert len(sole) > 1000
    assert all(fragrance in knowledge.lineage(c.iri) for c in sole)


def test_bleaching_names_are_brightening_agents_without_a_rule(knowledge: Knowledge) -> None:
    bleaching = [
        c for c in knowledge.of_kind("ingredient") if "Bleaching" in c.functions and not c.curated
    ]
    lightener = knowledge.concept("class", "skin-lightener", "id").iri
    assert bleaching
    assert not any(lightener in knowledge.lineage(c.iri) for c in bleaching if not c.families)


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("Sodium Lactobionate", "Polyhydroxy acid"),  # a PHA's salt, as glycolates are AHAs
        ("Jasminum Sambac Flower Absolute", "Essential oil or absolute"),  # a perfumer's extract
    ],
)
def test_a_salt_or_an_absolute_is_read_as_its_family(
    knowledge: Knowledge, name: str, family: str
) -> None:
    verdict = check_product(knowledge, "microneedling", 2, f"Aqua, {name}")
    read = verdict.ingredients[1]
    assert read.match.ingredient is not None and read.match.ingredient.label.startswith(family)
    assert verdict.level is not Level.OK


def test_absolute_alcohol_is_not_an_absolute(knowledge: Knowledge) -> None:
    verdict = check_product(knowledge, "microneedling", 2, "Aqua, Absolute Alcohol")
    assert all(
        not (r.match.ingredient and r.match.ingredient.label.startswith("Essential oil"))
        for r in verdict.ingredients
    )
