"""What a label's order tells, and how dual-use ingredients are read (graph/order.py, roles.py)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.checks import run_check
from graph.engine import check_product
from graph.index import Knowledge
from graph.model import Level
from graph.verdicts import IngredientResult, Verdict

MN = "microneedling"


def result(verdict: Verdict, text: str) -> IngredientResult:
    return next(item for item in verdict.ingredients if item.match.token.text == text)


GENTLE_CREAM = (
    "Aqua, Glycerin, Cetearyl Alcohol, Paraffinum Liquidum, Dimethicone, Phenoxyethanol, "
    "Carbomer, Sodium Hydroxide, Citric Acid, Disodium EDTA"
)


def test_trace_citric_acid_after_phenoxyethanol_is_a_ph_adjuster_not_an_exfoliant(
    knowledge: Knowledge,
) -> None:
    verdict = check_product(knowledge, MN, 2, GENTLE_CREAM)
    citric = result(verdict, "Citric Acid")
    assert verdict.level is Level.OK
    assert citric.bound is not None and citric.bound.marker.label == "Phenoxyethanol"
    assert citric.reading is not None and citric.reading.assumed
    assert any("Phenoxyethanol, which EU law caps at 1 %" in note for note in verdict.notes)


def test_a_stated_amount_above_what_a_trace_role_needs_reads_the_active(
    knowledge: Knowledge,
) -> None:
    # a label prints the amount of what it sells: 10 % citric acid is no pH adjuster, even
    # after the preservative that would bound a trace
    label = GENTLE_CREAM.replace("Citric Acid", "Citric Acid 10%")
    verdict = check_product(knowledge, MN, 2, label)
    citric = result(verdict, "Citric Acid")
    assert verdict.level is Level.AVOID
    assert citric.reading is not None and not citric.reading.assumed
    assert "states 10 %" in citric.reading.reason
    # a small stated amount softens nothing: read as the same name without it
    small = GENTLE_CREAM.replace("Citric Acid", "Citric Acid 0.1%")
    assert check_product(knowledge, MN, 2, small).level is Level.OK


def test_the_answer_says_the_bound_and_the_role_it_assumed(knowledge: Knowledge) -> None:
    answer, _ = run_check(
        knowledge, {"procedure": MN, "day": 2, "ingredients": GENTLE_CREAM}, 20_000
    )
    citric = next(item for item in answer["ingredients"] if item["text"] == "Citric Acid")
    assert citric["position"] == 9
    assert citric["at_most_percent"] == 1
    assert citric["bounded_by"]["label"] == "Phenoxyethanol"
    assert citric["bounded_by"]["legal_max_percent"] == 1
    assert citric["role"] == "pH adjuster and chelator"
    assert "Phenoxyethanol" in citric["role_reason"]
    water = answer["ingredients"][0]
    assert "at_most_percent" not in water and "role" not in water


@pytest.mark.parametrize(
    ("label", "product_type", "expected"),
    [
        # an exfoliant is an exfoliant wherever the preservative stands
        ("Aqua, Glycolic Acid, Glycerin, Phenoxyethanol, Citric Acid", None, Level.AVOID),
        # nothing bounds the citric acid: a caution, not an alarm
        ("Aqua, Glycerin, Citric Acid, Cetearyl Alcohol, Phenoxyethanol", None, Level.CAUTION),
        # in an at-home peel the acid is the active
        ("Aqua, Glycerin, Phenoxyethanol, Citric Acid", "peel", Level.AVOID),
        # lactic acid high on the list, nothing before it capped: the exfoliant
        ("Aqua, Lactic Acid, Glycerin, Sodium Hydroxide, Phenoxyethanol", None, Level.AVOID),
        # lactic acid far down a long list, still unbounded: a caution
        (
            "Aqua, Glycerin, Petrolatum, Cetyl Alcohol, Dimethicone, Isopropyl Palmitate, "
            "Stearic Acid, Cetearyl Alcohol, Carbomer, Xanthan Gum, Lactic Acid, Disodium EDTA",
            None,
            Level.CAUTION,
        ),
        # ... and after a preservative capped at 1 %: a humectant and pH adjuster
        ("Aqua, Glycerin, Phenoxyethanol, Lactic Acid", None, Level.OK),
        # salicylic acid under 1 % may still exfoliate (a preservative needs 0.5 %)
        ("Aqua, Glycerin, Phenoxyethanol, Salicylic Acid", None, Level.CAUTION),
        ("Aqua, Salicylic Acid, Glycerin, Phenoxyethanol", None, Level.AVOID),
        # benzyl alcohol preserves a fragrance-free product and is a fragrance beside parfum
        ("Aqua, Glycerin, Petrolatum, Benzyl Alcohol", None, Level.OK),
        ("Aqua, Glycerin, Petrolatum, Benzyl Alcohol, Parfum", None, Level.AVOID),
    ],
)
def test_dual_use_ingredient_read_by_order_type_and_neighbours(
    knowledge: Knowledge, label: str, product_type: str | None, expected: Level
) -> None:
    assert check_product(knowledge, MN, 2, label, product_type).level is expected


FOAM = (
    "Water, Sodium Cocoyl Isethionate, Glycerin, Coconut Acid, 1,2-Hexanediol, Sodium Chloride, "
    "Ethylhexylglycerin, Butylene Glycol, Centella Asiatica Extract, Sodium Hyaluronate, "
    "Pentylene Glycol, Caprylyl Glycol, {}, Disodium EDTA"
)


@pytest.mark.parametrize("name", ["Diatomaceous Earth", "Solum Diatomeae", "Kieselguhr"])
@pytest.mark.parametrize(
    ("label", "product_type", "expected"),
    [
        # the grit of an exfoliating cleanser, high on its list
        (
            "Aqua, Glycerin, {}, Sodium Lauroyl Methyl Isethionate, Cocamidopropyl Betaine, "
            "Kaolin, Phenoxyethanol, Chlorphenesin",
            None,
            Level.AVOID,
        ),
        # a little near the end of a gentle foam, nothing capping it: a caution, not an alarm
        (FOAM, None, Level.CAUTION),
        # after phenoxyethanol it is at most 1 %: an absorbent
        ("Aqua, Glycerin, Cetearyl Alcohol, Phenoxyethanol, {}", None, Level.OK),
        # in a scrub it is the grit wherever it stands
        ("Aqua, Glycerin, Cetearyl Alcohol, Phenoxyethanol, {}", "scrub", Level.AVOID),
    ],
)
def test_diatomaceous_earth_is_an_exfoliant_where_a_scrub_would_use_it(
    knowledge: Knowledge, name: str, label: str, product_type: str | None, expected: Level
) -> None:
    # decision 027: one substance under its US, EU and German names, one answer
    verdict = check_product(knowledge, MN, 2, label.format(name), product_type)
    assert verdict.level is expected
    ingredient = result(verdict, name).match.ingredient
    assert ingredient is knowledge.concept("ingredient", "diatomaceous-earth", "ingredient")


def test_sodium_benzoate_bounds_only_where_the_law_caps_it_at_half_a_percent(
    knowledge: Knowledge,
) -> None:
    label = "Aqua, Glycerin, Sodium Benzoate, Citric Acid"
    # EU Annex V: 0.5 % in leave-on products, 2.5 % in rinse-off ones
    assert result(check_product(knowledge, MN, 2, label, "moisturizer"), "Citric Acid").bound
    assert result(check_product(knowledge, MN, 2, label, "cleanser"), "Citric Acid").bound is None
    assert result(check_product(knowledge, MN, 2, label), "Citric Acid").bound is None


def test_a_maximum_for_preservative_use_only_bounds_nothing(knowledge: Knowledge) -> None:
    # benzyl alcohol is capped at 1 % only as a preservative; as a solvent it has no maximum
    verdict = check_product(knowledge, MN, 2, "Aqua, Glycerin, Benzyl Alcohol, Lactic Acid")
    assert result(verdict, "Lactic Acid").bound is None


def test_colourants_and_may_contain_shades_are_outside_the_order(knowledge: Knowledge) -> None:
    verdict = check_product(
        knowledge,
        MN,
        10,
        "Aqua, Glycerin, Phenoxyethanol, CI 77891, Mica, Lactic Acid. May contain: CI 77491",
    )
    assert result(verdict, "CI 77891").bound is None
    assert result(verdict, "CI 77491").bound is None
    assert result(verdict, "Lactic Acid").bound is not None


def test_a_list_sorted_by_name_tells_nothing_about_amounts(knowledge: Knowledge) -> None:
    label = (
        "Aqua, Butylene Glycol, Carbomer, Cetyl Alcohol, Dimethicone, Glycerin, "
        "Lactic Acid, Phenoxyethanol, Sodium Hydroxide, Xanthan Gum"
    )
    verdict = check_product(knowledge, MN, 2, label)
    assert all(item.bound is None for item in verdict.ingredients)


NAMES = [
    "Glycerin",
    "Retinol",
    "Glycolic Acid",
    "Niacinamide",
    "Parfum",
    "Dimethicone",
    "Ascorbic Acid",
    "Panthenol",
    "Tocopherol",
    "Retinal",
    "Zorblaxin-9",
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.lists(st.sampled_from(NAMES), min_size=1, max_size=6, unique=True),
    day=st.integers(0, 20),
)
def test_a_preservative_in_the_list_never_changes_a_single_use_ingredient(
    knowledge: Knowledge, names: list[str], day: int
) -> None:
    """The order only changes how dual-use ingredients are read, never anything else."""
    plain = check_product(knowledge, MN, day, ", ".join(["Aqua", *names]))
    marked = check_product(knowledge, MN, day, ", ".join(["Aqua", "Phenoxyethanol", *names]))
    dual_use = [
        item.match.token.text
        for item in plain.ingredients
        if item.match.ingredient is not None and item.match.ingredient.iri in knowledge.trace_roles
    ]
    assert dual_use == [], "NAMES should hold only single-use ingredients"
    before = {item.match.token.text: item.assessment for item in plain.ingredients}
    after = {item.match.token.text: item.assessment for item in marked.ingredients}
    assert all(after[name] == before[name] for name in before)
    assert marked.level.severity >= plain.level.severity


@pytest.mark.parametrize(
    "label",
    [
        # a kit: the cleanser's preservative says nothing of the serum's acid
        "Step 1: Aqua, Glycerin, Phenoxyethanol. Step 2: Lactic Acid, Aqua, Glycerin",
        "Product 1 - Aqua, Phenoxyethanol, Glycerin. Product 2 - Aqua, Lactic Acid",
        # grouped by function, not by weight
        "Emollients: Squalane, Glycerin. Preservatives: Phenoxyethanol. Humectants: Lactic Acid",
    ],
)
def test_several_lists_on_one_label_bound_nothing_across_them(
    knowledge: Knowledge, label: str
) -> None:
    verdict = check_product(knowledge, MN, 2, label)
    assert verdict.unrecognized == ()  # the headings are no ingredients
    assert all(item.bound is None for item in verdict.ingredients)
    lactic = result(verdict, "Lactic Acid").assessment
    assert lactic is not None and lactic.level.restricts
    # one list: the same preservative still bounds what follows it
    single = check_product(knowledge, MN, 2, "Aqua, Glycerin, Phenoxyethanol, Lactic Acid")
    assert result(single, "Lactic Acid").bound is not None


def test_one_list_repeated_in_another_language_is_still_one_order(knowledge: Knowledge) -> None:
    label = (
        "Ingredients: Aqua, Glycerin, Phenoxyethanol, Citric Acid. "
        "Ingrédients : Aqua, Glycerin, Phenoxyethanol, Citric Acid."
    )
    verdict = check_product(knowledge, MN, 2, label)
    assert result(verdict, "Citric Acid").bound is not None
    assert verdict.level in (Level.OK, Level.RECOMMENDED)
