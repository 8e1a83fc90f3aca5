"""The verdict engine on the real knowledge: day boundaries, worst-of, unknowns, disagreements."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from graph.days import resolve_day
from graph.engine import assess, check_product, day_overview
from graph.errors import InvalidInput, InvalidValue, UnknownProcedure
from graph.index import Knowledge
from graph.loader import load_knowledge
from graph.model import Level
from graph.tokens import normalize_name
from graph.verdicts import Verdict

MN = "microneedling"


def level(knowledge: Knowledge, label: str, day: int, product_type: str | None = None) -> Level:
    return check_product(knowledge, MN, day, label, product_type).level


def latest_restriction(knowledge: Knowledge, subject_iri: str) -> int:
    """The last restricted day any source gives for a subject, read from the graph itself."""
    ends = [
        rule.until_day
        for rule, _ in knowledge.rules_for(MN, subject_iri)
        if rule.level.restricts and rule.until_day is not None
    ]
    return max(ends)


def test_levels_are_ordered_worst_last() -> None:
    assert [lvl.value for lvl in sorted(Level, key=lambda lvl: lvl.severity)] == [
        "recommended",
        "ok",
        "unknown",
        "caution",
        "avoid",
    ]


def test_check_product_story_retinol_on_day_3_is_avoided_until_the_latest_source_allows(
    knowledge: Knowledge,
) -> None:
    verdict = check_product(knowledge, MN, 3, "Aqua, Glycerin, Retinol")
    retinol = knowledge.concept("ingredient", "retinol", "id")
    assert verdict.level is Level.AVOID
    assert verdict.ok_from_day == latest_restriction(knowledge, retinol.iri) + 1
    result = verdict.ingredients[2]
    assert result.match.ingredient == retinol
    assert result.assessment is not None
    in_force = [r for r in result.assessment.reasons if r.in_force]
    assert in_force and all(r.rule.level is Level.AVOID for r in in_force)
    assert all(r.rule.sources for r in in_force)


@pytest.mark.parametrize(
    ("ingredient", "name"),
    [
        ("retinol", "Retinol"),
        ("glycolic-acid", "Glycolic Acid"),
        ("salicylic-acid", "Salicylic Acid"),
        ("ascorbic-acid", "Ascorbic Acid"),
        ("alcohol-denat", "Alcohol Denat."),
        ("benzoyl-peroxide", "Benzoyl Peroxide"),
    ],
)
def test_check_product_day_boundary_last_avoided_day_then_okay(
    knowledge: Knowledge, ingredient: str, name: str
) -> None:
    iri = knowledge.concept("ingredient", ingredient, "id").iri
    last = latest_restriction(knowledge, iri)
    assert level(knowledge, f"Aqua, {name}", last) is Level.AVOID
    assert level(knowledge, f"Aqua, {name}", last + 1) is Level.OK
    assert check_product(knowledge, MN, 0, name).ok_from_day == last + 1


def test_check_product_retinoid_is_avoided_for_the_first_week(knowledge: Knowledge) -> None:
    for day in range(7):
        assert level(knowledge, "Retinyl Palmitate", day) is Level.AVOID


def test_check_product_worst_ingredient_decides(knowledge: Knowledge) -> None:
    assert level(knowledge, "Glycerin", 3) is Level.RECOMMENDED
    assert level(knowledge, "Glycerin, Phenoxyethanol", 3) is Level.OK
    assert level(knowledge, "Glycerin, Phenoxyethanol, Zorblaxin-9", 3) is Level.UNKNOWN
    assert level(knowledge, "Glycerin, Zorblaxin-9, Retinol", 3) is Level.AVOID


@pytest.mark.parametrize("day", [0, 3, 7, 30, 400])
def test_check_product_unrecognised_ingredient_is_never_ok(knowledge: Knowledge, day: int) -> None:
    # (from the clinic: on day 0 a leave-on product of unknown origin is a caution anyway)
    verdict = check_product(knowledge, MN, day, "Aqua, Zorblaxin-9", from_clinic=True)
    assert verdict.level is Level.UNKNOWN
    assert verdict.unrecognized == ("Zorblaxin-9",)
    assert any("Zorblaxin-9" in note for note in verdict.notes)


def test_check_product_disagreeing_sources_take_latest_day_and_list_every_source(
    knowledge: Knowledge,
) -> None:
    retinoid = knowledge.concept("class", "retinoid", "id")
    rules = [rule for rule, _ in knowledge.rules_for(MN, retinoid.iri)]
    assert len({rule.until_day for rule in rules}) > 1, "the brief's retinoid sources disagree"
    verdict = check_product(knowledge, MN, 0, "Retinol")
    assessment = verdict.ingredients[0].assessment
    assert assessment is not None
    cited = {source.id for reason in assessment.reasons for source in reason.rule.sources}
    assert cited >= {source.id for rule in rules for source in rule.sources}
    assert verdict.ok_from_day == max(rule.until_day or 0 for rule in rules) + 1
    assert any(note.startswith(f"Sources differ on {retinoid.label}") for note in verdict.notes)


def test_check_product_vitamin_c_avoid_beats_antioxidant_recommendation(
    knowledge: Knowledge,
) -> None:
    verdict = check_product(knowledge, MN, 0, "Ascorbic Acid")
    assessment = verdict.ingredients[0].assessment
    assert assessment is not None
    in_force = {reason.rule.level for reason in assessment.reasons if reason.in_force}
    assert {Level.AVOID, Level.RECOMMENDED} <= in_force
    assert verdict.level is Level.AVOID


def test_check_product_other_antioxidant_stays_recommended(knowledge: Knowledge) -> None:
    assert level(knowledge, "Tocopherol", 3) is Level.RECOMMENDED


def test_check_product_fatty_and_benzyl_alcohols_are_not_drying_alcohols(
    knowledge: Knowledge,
) -> None:
    assert level(knowledge, "Alcohol Denat.", 4) is Level.AVOID
    assert level(knowledge, "Cetearyl Alcohol", 4) is not Level.AVOID
    assert level(knowledge, "Benzyl Alcohol", 4) is not Level.AVOID


def test_check_product_type_rules_apply_whatever_the_label(knowledge: Knowledge) -> None:
    makeup = knowledge.concept("product-type", "makeup", "product_type")
    last = latest_restriction(knowledge, makeup.iri)
    assert level(knowledge, "Aqua, Glycerin", last, "makeup") is Level.AVOID
    assert level(knowledge, "Aqua, Glycerin", last + 1, "makeup") is not Level.AVOID
    verdict = check_product(knowledge, MN, 1, "Aqua", "Makeup")  # a label works as well as an id
    assert verdict.product_type is not None and verdict.product_type.level is Level.AVOID


def test_check_product_sunscreen_conflict_on_day_0_takes_the_stricter_rule(
    knowledge: Knowledge,
) -> None:
    procedure = knowledge.procedure(MN)
    sunscreen = knowledge.concept("product-type", "sunscreen", "product_type")
    day0 = assess(knowledge, procedure, sunscreen, 0)
    levels = {reason.rule.level for reason in day0.reasons if reason.in_force}
    assert {Level.AVOID, Level.RECOMMENDED} <= levels
    assert day0.level is Level.AVOID
    assert day0.ok_from_day is not None
    assert assess(knowledge, procedure, sunscreen, day0.ok_from_day).level is Level.RECOMMENDED


def test_check_product_scrub_counts_as_physical_exfoliant(knowledge: Knowledge) -> None:
    exfoliant = knowledge.concept("class", "physical-exfoliant", "id")
    last = latest_restriction(knowledge, exfoliant.iri)
    assert level(knowledge, "Aqua, Glycerin", last, "scrub") is Level.AVOID


def test_check_product_explains_the_path_to_the_rule(knowledge: Knowledge) -> None:
    verdict = check_product(knowledge, MN, 3, "Retinyl Palmitate")
    assessment = verdict.ingredients[0].assessment
    assert assessment is not None
    labels = [knowledge.concepts[iri].label for iri in assessment.reasons[0].path]
    assert labels[0] == "Retinyl Palmitate"
    assert labels[-1] == knowledge.concepts[assessment.reasons[0].rule.subject].label


def test_check_product_unknown_procedure_names_the_known_ones(knowledge: Knowledge) -> None:
    with pytest.raises(UnknownProcedure, match="microneedling"):
        check_product(knowledge, "tattoo", 3, "Aqua")


def test_check_product_unknown_product_type_names_the_known_ones(knowledge: Knowledge) -> None:
    # a wrong value in a well-formed request (422), as for an unknown procedure
    with pytest.raises(InvalidValue, match="moisturizer") as caught:
        check_product(knowledge, MN, 3, "Aqua", "hovercraft")
    assert caught.value.field == "product_type"


def test_day_overview_lists_activities_with_their_okay_day(knowledge: Knowledge) -> None:
    overview = day_overview(knowledge, MN, 3)
    by_id = {a.subject.id: a for a in overview.activities}
    sun = by_id["sun-exposure"]
    assert sun.level is Level.AVOID
    assert sun.ok_from_day == latest_restriction(knowledge, sun.subject.iri) + 1
    # a rule on swimming in general reaches the pool too
    assert by_id["swimming-pool"].level is Level.AVOID
    assert overview.classes and overview.product_types


@pytest.mark.parametrize(
    ("day", "procedure_date", "today", "expected"),
    [
        (3, None, None, 3),
        (None, "2026-11-20", "2026-11-23", 3),
        (None, "2026-11-23", "2026-11-23", 0),
    ],
)
def test_resolve_day_from_number_or_dates(
    day: int | None, procedure_date: str | None, today: str | None, expected: int
) -> None:
    assert resolve_day(day, procedure_date, today) == expected


@pytest.mark.parametrize(
    ("day", "procedure_date", "today", "error", "field"),
    [
        (None, None, None, InvalidInput, "day"),
        ("3", None, None, InvalidInput, "day"),
        (True, None, None, InvalidInput, "day"),
        (-1, None, None, InvalidValue, "day"),
        (None, "20/11/2026", None, InvalidValue, "procedure_date"),
        (None, "2026-11-24", "2026-11-23", InvalidValue, "procedure_date"),
        (None, "2026-11-20", "tomorrow", InvalidValue, "today"),
    ],
)
def test_resolve_day_bad_values_name_the_field(
    day: object, procedure_date: object, today: object, error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as caught:
        resolve_day(day, procedure_date, today)
    assert getattr(caught.value, "field", None) == field


def test_phases_run_in_day_order_and_day_0_is_the_most_specific_phase(
    knowledge: Knowledge,
) -> None:
    for procedure in knowledge.procedures.values():
        starts = [
            (p.from_day, p.until_day if p.until_day is not None else 10**9)
            for p in procedure.phases
        ]
        assert starts == sorted(starts), procedure.id
        day0 = procedure.phase_on(0)
        assert day0 is not None
        shortest = min(
            (p for p in procedure.phases if p.covers(0)),
            key=lambda p: p.until_day if p.until_day is not None else 10**9,
        )
        assert day0 == shortest, procedure.id


def test_answers_follow_the_knowledge_they_were_asked_of(
    knowledge: Knowledge, knowledge_copy: Path
) -> None:
    # Readings and assessments are memoised per knowledge: another knowledge in the same
    # process, with a name the first does not know, answers from its own rules.
    with (knowledge_copy / "ingredients.ttl").open("a") as extra:
        extra.write(
            "\n<https://example.org/aftercare/ingredient/memotestol> "
            "a <https://example.org/aftercare#Ingredient> ; "
            '<http://www.w3.org/2004/02/skos/core#prefLabel> "Memotestol" ; '
            "<https://example.org/aftercare#memberOf> "
            "<https://example.org/aftercare/class/retinoid> .\n"
        )
    label = "Aqua, Memotestol"
    before = check_product(knowledge, "microneedling", 3, label)
    other = load_knowledge(knowledge_copy, cache_dir=None)
    assert check_product(other, "microneedling", 3, label).level is Level.AVOID
    assert before.level is Level.UNKNOWN
    assert check_product(knowledge, "microneedling", 3, label).unrecognized == ("Memotestol",)


@functools.cache
def _label_names(knowledge: Knowledge) -> tuple[str, ...]:
    """Every curated name, and each ingredient's name with an alias in brackets."""
    names: list[str] = []
    for concept in knowledge.of_kind("ingredient"):
        if concept.curated:
            names += [concept.label, *concept.alt_labels]
            names += [f"{concept.label} ({alias})" for alias in concept.alt_labels[:1]]
    return tuple(names)


def _short_for_a_family(knowledge: Knowledge, name: str) -> bool:
    """'BHA' alone is a beta-hydroxy acid, in a list an antioxidant (decision 028)."""
    hit = knowledge.names.get(normalize_name(name))
    return hit is not None and hit.iri in knowledge.short_for


def _severity(verdict: Verdict) -> tuple[int, float]:
    end = verdict.ok_from_day
    return verdict.level.severity, float("inf") if end is None else end


UNKNOWN_NAME = st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=8, max_size=12).map(str.title)
# How real labels join their names, and text they carry that is no ingredient.
SEPARATORS = [
    ", ",
    ", ",
    ", ",
    "/",
    " / ",
    ". ",
    "; ",
    "\n",
    " • ",
    ". Step 2: ",
    "\nPreservatives: ",
    " | Emollient\n",  # what each does, in a shop's column or after a dash
    " – Solvent, ",
    " - Fragrance-free\n",  # a claim or a rating after a dash, as scanning apps print them
    " - Low risk\n",
    " · ",  # a middle dot, as a European shop's page prints it
    "\n\n",
    " 5 % w/w, ",
    " 30 ml\n",  # an amount, or a product's name and its volume
]
ASIDE = [
    "Free of parabens",
    "Fragrance-free",
    "Helps your skin feel soft and smooth",
    "*Certified organic",
    "[PR-001331]",
    "Humectant",
    "*Natural constituent of essential oils",
    "Improves overall appearance by boosting radiance",
    "Für empfindliche Haut",  # claims in the languages packs print them in
    "Sin perfume",
    "Parfümfrei",
    "Testé sous contrôle dermatologique",
    "Usage externe",  # and directions and warnings in those languages
    "Kontakt mit den Augen vermeiden",
    "Aplicar mañana y noche",
    "© 2024 GlowLab Inc",  # what a shop's page and a brand's copy put around a list
    "Read More",
    "Soothes",
    "Hydrating",  # an adjective alone between separators
    "Smooths, firms and renews skin overnight",
    "US Pat. No. 10,123,456",
    "50 ml",  # the net contents, after the list's full stop too ('… Retinol. 50 ml')
    "May contain traces of nuts",
]
PREFIXES = ["", "Ingredients: ", "Contains: ", "Our gentlest cream yet! Ingredients: "]


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    picks=st.lists(
        st.integers(0, 2**32) | UNKNOWN_NAME | st.sampled_from(ASIDE), min_size=2, max_size=8
    ),
    joins=st.lists(st.sampled_from(SEPARATORS), min_size=8, max_size=8),
    prefix=st.sampled_from(PREFIXES),
    procedure_pick=st.integers(0, 2**32),
    day=st.sampled_from([0, 2, 6, 13, 30]),
)
def test_a_label_is_never_milder_than_any_of_its_names(
    app: Flask,
    picks: list[int | str],
    joins: list[str],
    prefix: str,
    procedure_pick: int,
    day: int,
) -> None:
    # Whatever stands beside it, a name keeps its verdict and its okay day: nothing on a label
    # may hide a neighbour (as 'Water (Aqua)' once hid 'Zorblaxin' and 'Glycerin/Retinol' hid
    # Retinol) - not a slash, a full stop, a heading, a claim, prose or a code. A dual-use
    # ingredient may read milder beside what bounds its amount: tests/test_order.py.
    # (The knowledge comes through the app: hypothesis prints a failing example's arguments.)
    knowledge: Knowledge = app.extensions["knowledge"]
    known = _label_names(knowledge)
    names = [known[pick % len(known)] if isinstance(pick, int) else pick for pick in picks]
    assume(any(name not in ASIDE for name in names))  # text about a product only: a 422
    procedures = sorted(knowledge.procedures)
    procedure = procedures[procedure_pick % len(procedures)]
    label = prefix + "".join(name + join for name, join in zip(names, joins, strict=False))
    whole = _severity(check_product(knowledge, procedure, day, label.rstrip(" /;,•.\n")))
    for name in names:
        if name in ASIDE:
            continue
        alone = check_product(knowledge, procedure, day, name)
        if any(
            r.match.ingredient and r.match.ingredient.iri in knowledge.trace_roles
            for r in alone.ingredients
        ) or _short_for_a_family(knowledge, name):
            continue
        assert whole[0] >= _severity(alone)[0], (label, name)
        assert whole[1] >= _severity(alone)[1], (label, name)


@pytest.mark.parametrize(
    ("procedure", "day", "product_type", "from_clinic", "assumed"),
    [
        (MN, 0, None, False, True),  # a product of no stated type: maybe leave-on
        (MN, 0, "serum", False, True),
        (MN, 0, "serum", True, False),  # the clinic gave it
        (MN, 0, "cleanser", False, False),  # rinsed off
        (MN, 1, None, False, False),  # MN-33 holds on the day of needling only
        ("rf-microneedling", 0, "moisturizer", False, True),  # RF-20
        ("botulinum-toxin", 0, None, False, False),  # no rule on the type there
    ],
)
def test_on_the_day_of_needling_a_leave_on_product_is_assumed_not_from_the_clinic(
    knowledge: Knowledge,
    procedure: str,
    day: int,
    product_type: str | None,
    from_clinic: bool,
    assumed: bool,
) -> None:
    verdict = check_product(
        knowledge,
        procedure,
        day,
        "Aqua, Glycerin, Petrolatum",
        product_type,
        from_clinic=from_clinic,
    )
    assert bool(verdict.assumed) is assumed
    if assumed:
        assert verdict.level.severity >= Level.CAUTION.severity
        assert any("If your clinic gave you this product" in note for note in verdict.notes)


@pytest.mark.parametrize(
    ("label", "read_as_the_acid"),
    [
        ("BHA", True),  # as a patient or a shop writes a beta-hydroxy acid (decision 028)
        ("BHA 2%", True),
        ("2% BHA", True),
        ("BHA, Niacinamide", True),
        ("Aqua, Glycerin, BHA 2%, Phenoxyethanol", True),  # an antioxidant is sold by no strength
        ("Aqua, Glycerin, Potassium Sorbate, BHA, Xanthan Gum", False),  # INCI: the antioxidant
        ("Butylated Hydroxyanisole", False),  # the antioxidant's name, never the acid's
        ("BHA (Butylated Hydroxyanisole)", False),  # and written out beside it
    ],
)
def test_bha_alone_is_the_acid_and_in_a_list_the_antioxidant(
    knowledge: Knowledge, label: str, read_as_the_acid: bool
) -> None:
    during = check_product(knowledge, MN, 2, label)
    assert (during.level is Level.AVOID) is read_as_the_acid
    if read_as_the_acid:
        assert any("beta-hydroxy acid" in note for note in during.notes)
    assert check_product(knowledge, MN, 30, label).level is Level.OK  # okay either way by then
