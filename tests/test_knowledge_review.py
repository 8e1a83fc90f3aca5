"""The clinical knowledge review of issue 12: what a patient notices on real-looking labels.

Each test pins one reviewed decision (docs/decisions/008 to 019) on the real knowledge.
Day 0 is the procedure day; a restriction "until day N" means okay again on day N + 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from graph.engine import check_product
from graph.index import Knowledge
from graph.model import Level
from graph.namespaces import AC
from graph.verdicts import Verdict

ROOT = Path(__file__).resolve().parent.parent
RESTRICTED = {Level.AVOID, Level.CAUTION}
RETINOL_SERUM = "Aqua, Glycerin, Retinol"


def verdict(
    knowledge: Knowledge, procedure: str, day: int, label: str, product_type: str | None = None
) -> Verdict:
    return check_product(knowledge, procedure, day, label, product_type)


def deciding_rules(result: Verdict) -> set[str]:
    """The codes of the rules in force on the day, over every ingredient and the type."""
    assessments = [item.assessment for item in result.ingredients if item.assessment]
    if result.product_type is not None:
        assessments.append(result.product_type)
    return {
        reason.rule.notation
        for assessment in assessments
        for reason in assessment.reasons
        if reason.in_force
    }


def rule_sources(knowledge: Knowledge, procedure: str, code: str) -> set[str]:
    rule = next(item for item in knowledge.procedures[procedure].rules if item.notation == code)
    return {source.id for source in rule.sources}


# --- gold behaviours the review must not move ---------------------------------


def test_retinol_after_microneedling_is_still_avoided_until_day_14(knowledge: Knowledge) -> None:
    assert verdict(knowledge, "microneedling", 13, RETINOL_SERUM).level is Level.AVOID
    assert verdict(knowledge, "microneedling", 3, RETINOL_SERUM).ok_from_day == 14
    assert verdict(knowledge, "microneedling", 14, RETINOL_SERUM).level is not Level.AVOID


@pytest.mark.parametrize("procedure", ["microneedling", "rf-microneedling", "ablative-laser"])
def test_an_unknown_name_still_keeps_a_product_from_ok(
    knowledge: Knowledge, procedure: str
) -> None:
    assert verdict(knowledge, procedure, 60, "Aqua, Glycerin, Zorblaxin-9").level is Level.UNKNOWN


# --- 008: hyaluronic acid after RF microneedling ------------------------------


@pytest.mark.parametrize("day", [0, 3, 6])
def test_glycerin_and_panthenol_moisturiser_is_not_avoided_after_rf_microneedling(
    knowledge: Knowledge, day: int
) -> None:
    # supplied by the clinic: on day 0 any other leave-on product is a caution (RF-20)
    label = "Aqua, Glycerin, Panthenol"
    result = check_product(knowledge, "rf-microneedling", day, label, from_clinic=True)
    assert result.level not in RESTRICTED
    assert "RF-04" not in deciding_rules(result)


def test_hyaluronic_acid_serum_after_rf_microneedling_is_a_caution_for_the_first_week(
    knowledge: Knowledge,
) -> None:
    label = "Aqua, Sodium Hyaluronate, Hydrolyzed Hyaluronic Acid"
    week = verdict(knowledge, "rf-microneedling", 3, label)
    assert week.level is Level.CAUTION
    assert week.ok_from_day == 7
    assert "RF-04" in deciding_rules(week)
    assert verdict(knowledge, "rf-microneedling", 7, label).level not in RESTRICTED
    assert {"c-deluxe-rf", "008-hyaluronic-acid-after-rf"} <= rule_sources(
        knowledge, "rf-microneedling", "RF-04"
    )


def test_hyaluronic_acid_is_still_recommended_after_microneedling(knowledge: Knowledge) -> None:
    result = verdict(knowledge, "microneedling", 1, "Sodium Hyaluronate")
    assert result.level is Level.RECOMMENDED


# --- 009: barrier ingredients after non-ablative laser ------------------------


def test_both_forms_of_vitamin_e_get_the_same_answer_after_non_ablative_laser(
    knowledge: Knowledge,
) -> None:
    acetate = verdict(knowledge, "non-ablative-laser", 3, "Aqua, Tocopheryl Acetate")
    tocopherol = verdict(knowledge, "non-ablative-laser", 3, "Aqua, Tocopherol")
    assert acetate.level is tocopherol.level is Level.CAUTION
    assert acetate.ok_from_day == tocopherol.ok_from_day == 7


def test_barrier_cream_after_non_ablative_laser_is_a_caution_not_an_avoid(
    knowledge: Knowledge,
) -> None:
    label = "Aqua, Glycerin, Ceramide NP, Cholesterol, Niacinamide, Tocopherol"
    result = verdict(knowledge, "non-ablative-laser", 3, label)
    assert result.level is Level.CAUTION
    assert {"LN-11", "LN-12", "LN-13"} <= deciding_rules(result)
    assert verdict(knowledge, "non-ablative-laser", 7, label).level not in RESTRICTED


def test_retinol_after_non_ablative_laser_is_still_avoided(knowledge: Knowledge) -> None:
    assert verdict(knowledge, "non-ablative-laser", 3, "Aqua, Retinol").level is Level.AVOID


# --- 010: harsh surfactants ---------------------------------------------------


def test_sulfate_cleanser_waits_for_the_healing_week_after_microneedling(
    knowledge: Knowledge,
) -> None:
    label = "Aqua, Sodium Lauryl Sulfate, Glycerin"
    assert verdict(knowledge, "microneedling", 3, label).level is Level.AVOID
    assert verdict(knowledge, "microneedling", 7, label).level not in RESTRICTED


# --- 011: sunscreen on day 1 after microneedling ------------------------------


def test_mineral_sunscreen_may_go_on_from_day_1_after_microneedling(
    knowledge: Knowledge,
) -> None:
    label = "Aqua, Zinc Oxide, Glycerin"
    assert verdict(knowledge, "microneedling", 0, label, "sunscreen").level is Level.AVOID
    day1 = verdict(knowledge, "microneedling", 1, label, "sunscreen")
    assert day1.level not in RESTRICTED
    assert day1.ok_from_day == 1


def test_chemical_sunscreen_on_day_1_after_microneedling_is_a_caution(
    knowledge: Knowledge,
) -> None:
    result = verdict(knowledge, "microneedling", 1, "Aqua, Octocrylene", "sunscreen")
    assert result.level is Level.CAUTION


# --- 012: urea ----------------------------------------------------------------


@pytest.mark.parametrize("procedure", ["microneedling", "rf-microneedling"])
def test_urea_cream_is_a_caution_in_the_first_week_after_needling(
    knowledge: Knowledge, procedure: str
) -> None:
    for day in (0, 3, 6):
        assert verdict(knowledge, procedure, day, "Aqua, Urea, Glycerin").level is Level.CAUTION
    assert verdict(knowledge, procedure, 7, "Aqua, Urea, Glycerin").level not in RESTRICTED


def test_a_plain_humectant_moisturiser_carries_no_urea_caution(knowledge: Knowledge) -> None:
    result = verdict(knowledge, "microneedling", 3, "Aqua, Glycerin, Hydroxyethyl Urea")
    assert result.level not in RESTRICTED


# --- 013: witch hazel ---------------------------------------------------------


@pytest.mark.parametrize(
    "label",
    [
        "Aqua, Hamamelis Virginiana Water, Glycerin",
        "Hamamelis Virginiana (Witch Hazel) Water, Glycerin",
        "Aqua, Hamamelis Virginiana Extract",
    ],
)
def test_alcohol_free_witch_hazel_is_not_a_drying_alcohol(knowledge: Knowledge, label: str) -> None:
    assert verdict(knowledge, "microneedling", 1, label).level not in RESTRICTED


@pytest.mark.parametrize(
    "label",
    ["Witch Hazel", "Aqua, Witch Hazel USP", "Hamamelis Virginiana Water, Alcohol Denat."],
)
def test_witch_hazel_with_alcohol_is_still_kept_off_healing_skin(
    knowledge: Knowledge, label: str
) -> None:
    result = verdict(knowledge, "microneedling", 1, label)
    assert result.level is Level.AVOID
    assert "MN-44" in deciding_rules(result)


# --- 014: vitamin C derivatives -------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["Magnesium Ascorbyl Phosphate", "Sodium Ascorbyl Phosphate", "Tetrahexyldecyl Ascorbate"],
)
def test_vitamin_c_derivatives_wait_as_long_as_ascorbic_acid_after_microneedling(
    knowledge: Knowledge, name: str
) -> None:
    reference = verdict(knowledge, "microneedling", 0, "Aqua, Ascorbic Acid")
    derivative = verdict(knowledge, "microneedling", 0, f"Aqua, {name}")
    assert derivative.level is reference.level is Level.AVOID
    assert derivative.ok_from_day == reference.ok_from_day
    assert "MN-26" in deciding_rules(derivative)  # the day-0 granuloma rule


# --- 015: gaps in the healing windows -------------------------------------------


@pytest.mark.parametrize("label", ["Aqua, Parfum", "Aqua, Lavandula Angustifolia Oil"])
def test_fragrance_is_avoided_while_the_skin_heals_after_ablative_laser(
    knowledge: Knowledge, label: str
) -> None:
    assert verdict(knowledge, "ablative-laser", 2, label).level is Level.AVOID
    assert verdict(knowledge, "ablative-laser", 9, label).level is Level.AVOID


def test_fragrance_after_ablative_laser_is_a_caution_once_healed_and_okay_after_six_weeks(
    knowledge: Knowledge,
) -> None:
    assert verdict(knowledge, "ablative-laser", 10, "Aqua, Parfum").level is Level.CAUTION
    assert verdict(knowledge, "ablative-laser", 30, "Aqua, Parfum").level is Level.CAUTION
    later = verdict(knowledge, "ablative-laser", 42, "Aqua, Parfum")
    assert later.level not in RESTRICTED
    assert later.ok_from_day == 42


def test_fragrance_waits_for_the_new_surface_after_a_medium_peel(knowledge: Knowledge) -> None:
    assert verdict(knowledge, "medium-peel", 3, "Aqua, Parfum").level is Level.AVOID
    assert verdict(knowledge, "medium-peel", 10, "Aqua, Parfum").level not in RESTRICTED


def test_scented_lotion_waits_three_days_after_a_superficial_peel(knowledge: Knowledge) -> None:
    assert verdict(knowledge, "superficial-peel", 2, "Aqua, Parfum").level is Level.AVOID
    assert verdict(knowledge, "superficial-peel", 3, "Aqua, Parfum").level not in RESTRICTED


@pytest.mark.parametrize(
    "name", ["Ascorbic Acid", "Alcohol Denat.", "Azelaic Acid", "Hydroquinone"]
)
def test_irritating_actives_wait_ten_days_after_a_superficial_peel(
    knowledge: Knowledge, name: str
) -> None:
    for day in (0, 1, 9):
        assert verdict(knowledge, "superficial-peel", day, f"Aqua, {name}").level is Level.AVOID
    assert verdict(knowledge, "superficial-peel", 10, f"Aqua, {name}").level not in RESTRICTED


def test_hydroquinone_waits_for_healing_after_ipl(knowledge: Knowledge) -> None:
    assert verdict(knowledge, "ipl", 3, "Aqua, Hydroquinone").level is Level.AVOID
    assert verdict(knowledge, "ipl", 9, "Aqua, Hydroquinone").level is Level.AVOID
    assert verdict(knowledge, "ipl", 10, "Aqua, Hydroquinone").level not in RESTRICTED


def test_hydroquinone_waits_three_days_after_dermaplaning(knowledge: Knowledge) -> None:
    assert verdict(knowledge, "dermaplaning", 2, "Aqua, Hydroquinone").level is Level.AVOID
    assert verdict(knowledge, "dermaplaning", 3, "Aqua, Hydroquinone").level not in RESTRICTED


# --- 016: brighteners and retinol alternatives ----------------------------------


def test_kojic_acid_is_kept_off_healing_skin_like_other_lighteners(knowledge: Knowledge) -> None:
    assert verdict(knowledge, "microneedling", 3, "Aqua, Kojic Acid").level is Level.AVOID
    assert verdict(knowledge, "superficial-peel", 3, "Aqua, Kojic Acid").level is Level.AVOID


@pytest.mark.parametrize(
    "name", ["Tranexamic Acid", "Alpha-Arbutin", "Bakuchiol", "Salix Alba Bark Extract"]
)
def test_unrestricted_brighteners_and_alternatives_stay_okay(
    knowledge: Knowledge, name: str
) -> None:
    assert verdict(knowledge, "microneedling", 3, f"Aqua, Glycerin, {name}").level is Level.OK


# --- 017: leave-on products not from the clinic on day 0 ------------------------


def test_non_clinic_leave_on_product_is_a_caution_on_the_day_of_needling(
    knowledge: Knowledge,
) -> None:
    label = "Aqua, Glycerin, Petrolatum"
    for procedure in ("microneedling", "rf-microneedling"):
        day0 = verdict(knowledge, procedure, 0, label, "leave-on-not-from-clinic")
        assert day0.level in RESTRICTED
    assert verdict(knowledge, "microneedling", 1, label, "leave-on-not-from-clinic").level in {
        Level.OK,
        Level.RECOMMENDED,
    }


# --- provenance of the review --------------------------------------------------


REVIEW_DECISIONS = [
    "008-hyaluronic-acid-after-rf",
    "009-barrier-care-after-non-ablative-laser",
    "010-harsh-surfactants",
    "011-sunscreen-day-1-after-microneedling",
    "012-urea-by-strength",
    "013-witch-hazel",
    "014-vitamin-c-derivatives",
    "015-healing-window-gaps",
    "016-brighteners-and-alternatives",
    "017-intradermal-default",
]


def decision_iri(decision: str) -> URIRef:
    return URIRef(f"https://example.org/aftercare/decision/{decision}")


@pytest.mark.parametrize("decision", REVIEW_DECISIONS)
def test_each_review_decision_is_a_source_with_its_record(
    knowledge: Knowledge, decision: str
) -> None:
    iri = decision_iri(decision)
    assert (iri, RDF.type, AC.Decision) in knowledge.graph
    assert knowledge.graph.value(iri, AC.evidenceGrade) == AC.TeamDefault
    record = knowledge.graph.value(iri, AC.citation)
    assert str(record) == f"docs/decisions/{decision}.md"
    assert (ROOT / str(record)).is_file()


@pytest.mark.parametrize(
    ("procedure", "code", "decision"),
    [
        ("rf-microneedling", "RF-04", "008-hyaluronic-acid-after-rf"),
        ("non-ablative-laser", "LN-11", "009-barrier-care-after-non-ablative-laser"),
        ("non-ablative-laser", "LN-12", "009-barrier-care-after-non-ablative-laser"),
        ("non-ablative-laser", "LN-13", "009-barrier-care-after-non-ablative-laser"),
        ("microneedling", "MN-47", "011-sunscreen-day-1-after-microneedling"),
        ("microneedling", "MN-62", "011-sunscreen-day-1-after-microneedling"),
        ("microneedling", "MN-83", "012-urea-by-strength"),
        ("rf-microneedling", "RF-23", "012-urea-by-strength"),
        ("ablative-laser", "LA-24", "015-healing-window-gaps"),
        ("ablative-laser", "LA-25", "015-healing-window-gaps"),
        ("medium-peel", "PM-12", "015-healing-window-gaps"),
        ("superficial-peel", "PS-27", "015-healing-window-gaps"),
        ("superficial-peel", "PS-28", "015-healing-window-gaps"),
        ("ipl", "IPL-22", "015-healing-window-gaps"),
        ("dermaplaning", "DP-20", "015-healing-window-gaps"),
    ],
)
def test_reviewed_rules_cite_their_decision(
    knowledge: Knowledge, procedure: str, code: str, decision: str
) -> None:
    assert decision in rule_sources(knowledge, procedure, code)
    assert (decision_iri(decision), RDF.type, AC.Decision) in knowledge.graph


@pytest.mark.parametrize(
    "label", ["Aqua, Glycerin, Resorcinol", "Aqua, Trichloroacetic Acid", "Aqua, Kaolin, Sulfur"]
)
def test_peeling_agents_outside_the_acid_families_are_avoided_after_microneedling(
    knowledge: Knowledge, label: str
) -> None:
    # decision 019: CosIng calls resorcinol a hair dye; on the skin it is a keratolytic
    assert verdict(knowledge, "microneedling", 2, label).level is Level.AVOID
    assert verdict(knowledge, "microneedling", 30, label).level in (Level.OK, Level.RECOMMENDED)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        # bounded at 1 % or less by phenoxyethanol: read in its role
        ("Aqua, Glycerin, Phenoxyethanol, Ascorbyl Glucoside", {Level.OK, Level.RECOMMENDED}),
        ("Aqua, Glycerin, Phenoxyethanol, Isopropyl Alcohol", {Level.OK, Level.RECOMMENDED}),
        # unbounded, low on the list: a caution, never okay
        (
            "Aqua, Glycerin, Cetyl Alcohol, Dimethicone, Allantoin, Sodium Ascorbyl Phosphate",
            {Level.CAUTION},
        ),
        # the base of the product, or high on the list: the restricted ingredient
        ("Alcohol Denat., Aqua, Hamamelis Virginiana Water", {Level.AVOID}),
        ("Aqua, Magnesium Ascorbyl Phosphate, Glycerin, Cetyl Alcohol", {Level.AVOID}),
        # a lipophilic ester is vitamin C wherever it stands
        ("Aqua, Glycerin, Phenoxyethanol, Tetrahexyldecyl Ascorbate", {Level.AVOID}),
    ],
)
def test_trace_vitamin_c_salts_and_alcohols_are_read_in_their_role(
    knowledge: Knowledge, label: str, expected: set[Level]
) -> None:
    # decision 020, microneedling day 2 (a product from the clinic: no day-0 default)
    found = check_product(knowledge, "microneedling", 2, label, from_clinic=True)
    assert found.level in expected


@pytest.mark.parametrize(
    ("label", "day", "expected"),
    [
        # after phenoxyethanol (capped at 1 %): a caution while retinoids are restricted
        ("Aqua, Glycerin, Phenoxyethanol, Carbomer, Retinyl Palmitate", 2, Level.CAUTION),
        ("Aqua, Glycerin, Phenoxyethanol, Carbomer, Retinyl Palmitate", 13, Level.CAUTION),
        ("Aqua, Glycerin, Phenoxyethanol, Carbomer, Retinyl Palmitate", 14, Level.OK),
        # nothing before it caps its amount: a retinoid, wherever it stands
        ("Aqua, Glycerin, Dimethicone, Carbomer, Squalane, Retinyl Palmitate", 2, Level.AVOID),
        ("Aqua, Retinyl Palmitate, Glycerin, Phenoxyethanol", 2, Level.AVOID),
        # the other retinoids keep their reading after a 1 % marker
        ("Aqua, Glycerin, Phenoxyethanol, Retinol", 2, Level.AVOID),
        ("Aqua, Glycerin, Phenoxyethanol, Retinyl Acetate", 2, Level.AVOID),
    ],
)
def test_a_retinyl_palmitate_trace_is_a_caution_never_okay(
    knowledge: Knowledge, label: str, day: int, expected: Level
) -> None:
    # decision 021
    found = check_product(knowledge, "microneedling", day, label, from_clinic=True)
    assert found.level is expected
    palmitate = [r for r in found.ingredients if r.match.read_as == "Retinyl Palmitate"]
    if expected is Level.CAUTION:
        assert "may be a vitamin A additive or an active" in " ".join(found.notes)
        assert palmitate[0].assessment is not None
        assert palmitate[0].assessment.level is Level.CAUTION


@pytest.mark.parametrize(
    "name", ["Malic Acid", "Tartaric Acid", "Lactobionic Acid", "Gluconolactone"]
)
def test_acids_listed_for_buffering_or_chelating_are_read_in_their_trace_role(
    knowledge: Knowledge, name: str
) -> None:
    # decision 022, microneedling day 2 (a product from the clinic: no day-0 default)
    def level(label: str) -> Level:
        return check_product(knowledge, "microneedling", 2, label, from_clinic=True).level

    assert level(f"Aqua, Glycerin, Phenoxyethanol, {name}") in (Level.OK, Level.RECOMMENDED)
    assert level(f"Aqua, {name}, Glycerin, Cetyl Alcohol") is Level.AVOID  # high on the list
    low = f"Aqua, Glycerin, Cetyl Alcohol, Dimethicone, Allantoin, {name}"
    assert level(low) is Level.CAUTION  # unbounded, low on the list


def test_sodium_salicylate_and_sodium_ascorbate_traces_follow_their_parents(
    knowledge: Knowledge,
) -> None:
    def level(label: str) -> Level:
        return check_product(knowledge, "microneedling", 2, label, from_clinic=True).level

    # a preservative needs 0.5 %, more than the order can show: a caution, never okay
    assert level("Aqua, Glycerin, Phenoxyethanol, Sodium Salicylate") is Level.CAUTION
    assert level("Aqua, Glycerin, Phenoxyethanol, Sodium Ascorbate") in (
        Level.OK,
        Level.RECOMMENDED,
    )
    # the exfoliating and vitamin C actives themselves get no trace reading
    assert level("Aqua, Glycerin, Phenoxyethanol, Glycolic Acid") is Level.AVOID
    assert level("Aqua, Glycerin, Phenoxyethanol, Ascorbic Acid") is Level.AVOID
