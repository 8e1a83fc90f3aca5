"""Every procedure of the brief on the real knowledge: counts, phases, signs, behaviour."""

from __future__ import annotations

import pytest

from graph.engine import check_product, day_overview
from graph.index import Knowledge
from graph.model import Level, Procedure, Rule
from graph.tokens import normalize_name
from graph.verdicts import IngredientResult

# Procedure id -> (rule code prefix, rule rows in the brief's table plus those the December 2026
# knowledge review added, decisions 008-017).
BRIEF = {
    "microneedling": ("MN", 83),
    "superficial-peel": ("PS", 28),
    "medium-peel": ("PM", 12),
    "ablative-laser": ("LA", 25),
    "non-ablative-laser": ("LN", 23),
    "ipl": ("IPL", 22),
    "dermaplaning": ("DP", 20),
    "rf-microneedling": ("RF", 23),
    "botulinum-toxin": ("BTX", 11),
    "dermal-filler": ("FIL", 13),
}
RETINOL_SERUM = "Aqua, Glycerin, Retinol"


def rule(procedure: Procedure, code: str) -> Rule:
    return next(item for item in procedure.rules if item.notation == code)


def test_knowledge_has_exactly_the_procedures_of_the_brief(knowledge: Knowledge) -> None:
    assert set(knowledge.procedures) == set(BRIEF)


@pytest.mark.parametrize(("procedure_id", "expected"), BRIEF.items())
def test_every_rule_row_of_the_brief_with_contiguous_codes(
    knowledge: Knowledge, procedure_id: str, expected: tuple[str, int]
) -> None:
    prefix, count = expected
    codes = [item.notation for item in knowledge.procedures[procedure_id].rules]
    assert len(codes) == count
    assert codes == [f"{prefix}-{number:02d}" for number in range(1, count + 1)]


@pytest.mark.parametrize("procedure_id", BRIEF)
def test_phases_start_on_day_0_and_cover_a_year_without_gaps(
    knowledge: Knowledge, procedure_id: str
) -> None:
    procedure = knowledge.procedures[procedure_id]
    assert procedure.phases[0].from_day == 0
    for day in range(366):
        assert procedure.phase_on(day) is not None, day
    assert procedure.phases[-1].until_day is None, "the last phase is open"


@pytest.mark.parametrize("procedure_id", BRIEF)
def test_warning_signs_are_ranked_one_to_n(knowledge: Knowledge, procedure_id: str) -> None:
    signs = knowledge.procedures[procedure_id].warning_signs
    assert signs
    assert [sign.rank for sign in signs] == list(range(1, len(signs) + 1))
    assert all(sign.description and sign.sources for sign in signs)


@pytest.mark.parametrize("procedure_id", BRIEF)
def test_until_healed_rules_end_the_day_before_the_procedure_heals(
    knowledge: Knowledge, procedure_id: str
) -> None:
    procedure = knowledge.procedures[procedure_id]
    for item in procedure.rules:
        if item.until_healed:
            assert procedure.healed_from_day is not None, item.notation
            assert item.ok_from_day == procedure.healed_from_day, item.notation


@pytest.mark.parametrize("procedure_id", BRIEF)
def test_team_defaults_say_so(knowledge: Knowledge, procedure_id: str) -> None:
    for item in knowledge.procedures[procedure_id].rules:
        cites_team = "team-default" in {source.id for source in item.sources}
        assert cites_team == (item.grade == "team default"), item.notation
        if not item.duration_from_source:
            assert item.grade == "team default", item.notation


def test_procedure_names_never_collide(knowledge: Knowledge) -> None:
    owner: dict[str, str] = {}
    for procedure in knowledge.procedures.values():
        for name in (procedure.id, procedure.label, *procedure.alt_labels):
            key = normalize_name(name)
            assert owner.setdefault(key, procedure.id) == procedure.id, name


@pytest.mark.parametrize(
    ("name", "procedure_id"),
    [
        ("Botox", "botulinum-toxin"),
        ("Morpheus8", "rf-microneedling"),
        ("Fraxel", "non-ablative-laser"),
        ("CO2 laser", "ablative-laser"),
        ("TCA peel", "medium-peel"),
        ("lunchtime peel", "superficial-peel"),
        ("photofacial", "ipl"),
        ("lip filler", "dermal-filler"),
        ("microneedling", "microneedling"),
    ],
)
def test_procedures_are_found_by_their_common_names(
    knowledge: Knowledge, name: str, procedure_id: str
) -> None:
    assert knowledge.procedure(name).id == procedure_id


def _class_labels(knowledge: Knowledge, result: IngredientResult) -> set[str]:
    found = result.match.ingredient
    return (
        set()
        if found is None
        else {knowledge.concepts[c].label for c in knowledge.lineage(found.iri)}
    )


def test_retinol_serum_the_day_after_botox_is_not_held_to_microneedling_rules(
    knowledge: Knowledge,
) -> None:
    after_botox = check_product(knowledge, "botulinum-toxin", 1, RETINOL_SERUM, "serum")
    assert after_botox.level is Level.OK
    assert after_botox.procedure.id == "botulinum-toxin"
    retinoids = [
        result.assessment
        for result in after_botox.ingredients
        if result.assessment is not None and "Retinoid" in _class_labels(knowledge, result)
    ]
    assert retinoids, "the serum's retinoid is recognised"
    # no rule of another procedure holds it back: okay from the day of the injection
    assert all(a.level is Level.OK and a.ok_from_day == 0 for a in retinoids)
    assert all(r.rule.procedure == "botulinum-toxin" for a in retinoids for r in a.reasons)
    after_needling = check_product(knowledge, "microneedling", 1, RETINOL_SERUM, "serum")
    assert after_needling.level is Level.AVOID


@pytest.mark.parametrize(
    ("code", "hours"),
    [("BTX-03", 4), ("BTX-05", 4), ("BTX-04", 24), ("LN-18", 24), ("PM-03", 24), ("RF-13", 72)],
)
def test_hour_based_rules_keep_their_hours(knowledge: Knowledge, code: str, hours: int) -> None:
    prefix = code.split("-")[0]
    procedure_id = next(key for key, (value, _) in BRIEF.items() if value == prefix)
    found = rule(knowledge.procedures[procedure_id], code)
    assert found.hours == hours
    # N hours restrict days 0 .. ceil(N / 24) - 1 (brief section 1.2).
    assert found.until_day == max(0, -(-hours // 24) - 1)


def test_lying_down_after_botox_is_okay_once_the_full_4_hours_have_passed(
    knowledge: Knowledge,
) -> None:
    overview = day_overview(knowledge, "botulinum-toxin", 0)
    lying = next(a for a in overview.activities if a.subject.id == "lying-down")
    assert lying.level is Level.AVOID
    assert lying.ok_from_day == 1
    assert any("4 hours" in note and "Lying down" in note for note in overview.notes)


def test_non_ablative_laser_clinics_outvote_mayo_for_retinol(knowledge: Knowledge) -> None:
    verdict = check_product(knowledge, "non-ablative-laser", 3, "Retinol")
    assessment = verdict.ingredients[0].assessment
    assert assessment is not None
    assert verdict.level is Level.AVOID
    assert verdict.ok_from_day == 7
    codes = {reason.rule.notation for reason in assessment.reasons if reason.in_force}
    assert {"LN-01", "LN-06", "LN-09"} <= codes


def test_tretinoin_after_ablative_laser_waits_six_weeks(knowledge: Knowledge) -> None:
    assert check_product(knowledge, "ablative-laser", 41, "Tretinoin").level is Level.AVOID
    later = check_product(knowledge, "ablative-laser", 42, "Tretinoin")
    assert later.level is Level.OK
    assert later.ok_from_day == 42


def test_vitamin_c_on_day_0_of_rf_microneedling_is_avoided(knowledge: Knowledge) -> None:
    verdict = check_product(knowledge, "rf-microneedling", 0, "Ascorbic Acid")
    assert verdict.level is Level.AVOID
    assessment = verdict.ingredients[0].assessment
    assert assessment is not None
    assert "RF-19" in {reason.rule.notation for reason in assessment.reasons if reason.in_force}


@pytest.mark.parametrize(("day", "expected"), [(29, Level.AVOID), (30, Level.OK)])
def test_dental_work_after_fillers_waits_30_days(
    knowledge: Knowledge, day: int, expected: Level
) -> None:
    overview = day_overview(knowledge, "dermal-filler", day)
    dental = next(a for a in overview.activities if a.subject.id == "dental-work")
    assert dental.level is expected


def test_injectable_emergencies_are_the_first_warning_signs(knowledge: Knowledge) -> None:
    filler = knowledge.procedures["dermal-filler"].warning_signs
    assert "blood vessel" in filler[0].description
    assert any("vision" in sign.description for sign in filler[:3])
    toxin = knowledge.procedures["botulinum-toxin"].warning_signs
    assert any("spread" in sign.description for sign in toxin)
    assert "lbl-botox" in {source.id for source in toxin[0].sources}
