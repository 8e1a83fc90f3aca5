"""Recognition on the real knowledge: exact, synonym, pattern, typo, look-alike, and refusals."""

from __future__ import annotations

import pytest

from graph.engine import check_product
from graph.index import Knowledge
from graph.labels import parse_label
from graph.match import match_tokens, separate
from graph.model import Level
from graph.spelling import FUZZY_THRESHOLD
from graph.tokens import read_token

MN = "microneedling"


def read(knowledge: Knowledge, label: str) -> list[tuple[str | None, str | None]]:
    """(how, as what) for each token of a label."""
    return [
        (found.match, found.ingredient.label if found.ingredient else None)
        for found in match_tokens(knowledge, parse_label(label))
    ]


@pytest.mark.parametrize(
    ("label", "how", "read_as"),
    [
        ("Retinol", "exact", "Retinol"),
        ("RETINYL PALMITATE", "exact", "Retinyl Palmitate"),
        ("Rétinol", "exact", "Retinol"),
        ("Vitamin A", "synonym", "Retinol"),
        ("Sodium Laureth Sulphate", "exact", "Sodium Laureth Sulfate"),
        ("Retinyl Palmitat", "fuzzy", "Retinyl Palmitate"),
        ("Citirc Acid", "fuzzy", "Citric Acid"),  # two letters swapped: one slip
        ("Xantham Gum", "fuzzy", "Xanthan Gum"),
        ("Niacinamde", "fuzzy", "Niacinamide"),
        ("CL 77891", "fuzzy", "CI 77891"),  # OCR reads I as l
        ("PENTAERYTHRITYL COCOATE", "exact", "Pentaerythrityl Cocoate"),  # from CosIng
    ],
)
def test_match_token_reads_name_as_ingredient(
    knowledge: Knowledge, label: str, how: str, read_as: str
) -> None:
    assert read(knowledge, label) == [(how, read_as)]


def test_match_fuzzy_reports_its_score(knowledge: Knowledge) -> None:
    (found,) = match_tokens(knowledge, parse_label("Niacinamde"))
    assert found.score is not None and FUZZY_THRESHOLD <= found.score < 100


def test_match_fuzzy_tie_between_different_ingredients_is_not_guessed(
    knowledge: Knowledge,
) -> None:
    # one slip from calcium lactate (an AHA salt) and from calcium laurate (a soap)
    (found,) = match_tokens(knowledge, parse_label("Calcium Lautate"))
    assert found.ingredient is None
    assert {c.label for c in found.ambiguous} == {"Calcium Lactate", "Calcium Laurate"}
    verdict = check_product(knowledge, MN, 30, "Calcium Lautate")
    assert verdict.level is Level.UNKNOWN
    assert any("did not guess" in note for note in verdict.notes)


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("Gycerin", "Glycerin"),  # one slip, and no other name within two
        ("Cerbomer", "Carbomer"),
        ("Retinoll", "Retinol"),  # Retinal, two slips away, is a retinoid judged alike
        ("Caffein", None),  # one slip from Caffeine, two from Casein, classed otherwise
        ("Triethanolmanie", "Triethanolamine"),  # Diethanolamine near: a pH adjuster too
        ("Salycilic Acid", None),  # two slips from Salicylic Acid, three from Glycolic Acid
    ],
)
def test_a_slip_is_read_only_when_no_name_judged_otherwise_is_near(
    knowledge: Knowledge, typed: str, read_as: str | None
) -> None:
    (found,) = match_tokens(knowledge, parse_label(typed))
    assert (found.ingredient.label if found.ingredient else None) == read_as
    if read_as is not None:
        assert found.match == "fuzzy" and found.score is not None and found.score < 100


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("Xanthum Gum", "Xanthan Gum"),  # two slips in one word, no other name within four
        ("Ethylhexylglyercin", "Ethylhexylglycerin"),  # a letter moved two places
        ("Aleurites Molucana Seed Oil", "Aleurites Moluccanus Seed Oil"),
        ("Behenyl Trimethyl Ammonium Chloride", None),  # not Benzyl Triethyl …: two words
        ("Xanthun Gun", None),  # two slips, one in a short word
    ],
)
def test_one_slip_more_than_the_share_allows_is_read_only_inside_one_word(
    knowledge: Knowledge, typed: str, read_as: str | None
) -> None:
    (found,) = match_tokens(knowledge, parse_label(typed))
    assert (found.ingredient.label if found.ingredient else None) == read_as
    if read_as is not None:
        assert found.match == "fuzzy" and found.score is not None and found.score < FUZZY_THRESHOLD


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("Zorbyl Retinoate", Level.AVOID),  # a retinoid by its name
        ("Encapsulated Retinoid Complex", Level.AVOID),  # by its family's name
        ("Magnesium Zorbyl Ascorbate", Level.AVOID),  # vitamin C by its name
        ("Zorblaxinia Leaf Extract", Level.UNKNOWN),  # a plant extract: a hint, never okay
    ],
)
def test_match_pattern_restricts_but_never_clears(
    knowledge: Knowledge, name: str, level: Level
) -> None:
    verdict = check_product(knowledge, MN, 3, name)
    assert verdict.ingredients[0].match.match == "pattern"
    assert verdict.level is level


def test_match_pattern_exceptions_hold(knowledge: Knowledge) -> None:
    found = match_tokens(knowledge, parse_label("Zorbyl Lactobacillus Lactate Ferment"))
    assert all(f.ingredient is None or "AHA" not in f.ingredient.label for f in found)


def test_match_name_broken_over_two_lines_is_joined(knowledge: Knowledge) -> None:
    assert read(knowledge, "Water, Cocamidopropyl\nBetaine, Glycerin") == [
        ("synonym", "Aqua"),
        ("exact", "Cocamidopropyl Betaine"),
        ("exact", "Glycerin"),
    ]


def test_match_eu_wax_name_with_its_inci_name_in_brackets(knowledge: Knowledge) -> None:
    found = read(knowledge, "Cera Carnauba (Copernicia Cerifera (Carnauba) Wax), Retinol")
    assert found == [("synonym", "Copernicia Cerifera Wax"), ("exact", "Retinol")]


@pytest.mark.parametrize(
    "label",
    [
        "Water (Aqua), Zorblaxin",
        "Zorblaxin, Water (Aqua)",
        "Cera Alba (Beeswax), Zorblaxin",
        "Caprylic/Capric Triglyceride, Zorblaxin",
    ],
)
def test_unknown_name_beside_a_bracketed_name_stays_unknown(
    knowledge: Knowledge, label: str
) -> None:
    # Joining it to its neighbour once matched the neighbour's parenthesis ('Aqua') and
    # swallowed the unknown name: the label read as okay.
    verdict = check_product(knowledge, MN, 3, label)
    assert verdict.level is Level.UNKNOWN
    assert len(verdict.unrecognized) == 1 and "Zorb" in verdict.unrecognized[0]


def read_all(knowledge: Knowledge, label: str) -> list[tuple[str | None, str | None]]:
    verdict = check_product(knowledge, MN, 3, label)
    return [
        (r.match.match, r.match.ingredient.label if r.match.ingredient else None)
        for r in verdict.ingredients
    ]


@pytest.mark.parametrize(
    ("label", "read"),
    [
        ("Water / Glycerin / Retinol", ["Aqua", "Glycerin", "Retinol"]),
        ("Glycerin/Retinol", ["Glycerin", "Retinol"]),
        ("Caprylic/Capric Triglyceride", ["Caprylic/Capric Triglyceride"]),  # one listed name
        # an older spelling beside the current one names one ingredient
        ("Glycerin, Lauryl Glycol/Laurylglycol", ["Glycerin", "Lauryl Glycol"]),
        ("Capryl Glycol/Caprylyl Glycol", ["Caprylyl Glycol"]),
        ("Zorblaxin/Glycerin", [None, "Glycerin"]),  # not a spelling of Glycerin: it counts
        # a plant product's botanical name beside its common one names one ingredient
        ("Carthamus Tinctorius Seed Oil / Safflower Seed Oil", ["Carthamus Tinctorius Seed Oil"]),
        ("Glycerin/Zorblaxin Oil", ["Glycerin", None]),  # no botanical twin to be named by
        # a listed name holding slashes is one of the names between them
        (
            "Glycerin/Acrylates/C10-30 Alkyl Acrylate Crosspolymer/Zorblaxin",
            ["Glycerin", "Acrylates/C10-30 Alkyl Acrylate Crosspolymer", None],
        ),
        # a guess reads the whole token, never one name between its slashes
        ("Hydroxyethl Acrylate/Zorblaxin", [None]),
        # unless every name between them is the same ingredient, misspelt or by another name
        ("Prunus Armeniaca Kernal Oil/Apricot Kernal Oil", ["Prunus Armeniaca Kernel Oil"]),
        ("Prunus Armeniaca Kernal Oil/Retinl", [None]),
    ],
)
def test_label_of_names_between_slashes_is_read_as_a_list(
    knowledge: Knowledge, label: str, read: list[str]
) -> None:
    # Read as one name, 'Glycerin/Retinol' was Glycerin, and Retinol was hidden.
    assert [name for _, name in read_all(knowledge, label)] == read


@pytest.mark.parametrize(
    ("label", "read"),
    [
        # a closing bracket naming a member of a restricted family the name is not in
        ("Squalane (Retinol), Glycerin", ["Squalane", "Retinol", "Glycerin"]),
        ("Hyaluronic Acid (Salicylic Acid)", ["Hyaluronic Acid", "Salicylic Acid"]),
        ("Water (Glycolic Acid)", ["Aqua", "Glycolic Acid"]),
        # glosses: another name of the same, a vitamin's common name, a family it is in
        ("Aqua (Water), Glycerin", ["Aqua", "Glycerin"]),
        ("Retinyl Palmitate (Vitamin A)", ["Retinyl Palmitate"]),
        ("Sodium Ascorbyl Phosphate (Vitamin C)", ["Sodium Ascorbyl Phosphate"]),
        (
            "Terminalia Ferdinandiana Fruit Extract (Vitamin C)",
            ["Terminalia Ferdinandiana Fruit Extract"],
        ),
        ("Solum Diatomeae (Diatomaceous Earth)", ["Diatomaceous Earth"]),  # one substance
        ("Retinyl Palmitate (Retinol)", ["Retinyl Palmitate"]),
        # a bracket inside the closing one is part of a name, not a name of its own
        (
            "Hamamelis Virginiana Water (Hamamelis Virginiana (Witch Hazel) Water)",
            ["Hamamelis Virginiana Water"],
        ),
    ],
)
def test_a_closing_bracket_names_a_second_ingredient_only_when_it_restricts_more(
    knowledge: Knowledge, label: str, read: list[str]
) -> None:
    # 'Squalane (Retinol)' was read as Squalane glossed, and answered okay on day 3.
    assert [name for _, name in read_all(knowledge, label)] == read


def test_bracket_in_the_middle_of_a_token_does_not_name_it(knowledge: Knowledge) -> None:
    # Reading 'Water' from the bracket would hide Zorblaxin and call the label okay.
    verdict = check_product(knowledge, MN, 3, "Aqua (Water) Zorblaxin, Glycerin")
    assert verdict.level is Level.UNKNOWN
    assert verdict.unrecognized == ("Aqua (Water) Zorblaxin",)


@pytest.mark.parametrize("label", ["Aqua (Water) Retinol, Glycerin", "Aqua & Retinol + Glycerin"])
def test_commas_lost_between_listed_names_are_put_back(knowledge: Knowledge, label: str) -> None:
    assert [name for _, name in read_all(knowledge, label)] == ["Aqua", "Retinol", "Glycerin"]


def test_names_joined_by_an_ampersand_stay_one_unknown_unless_all_are_listed(
    knowledge: Knowledge,
) -> None:
    verdict = check_product(knowledge, MN, 3, "Aqua & Zorblaxin")
    assert verdict.unrecognized == ("Aqua & Zorblaxin",)


def test_check_product_same_ingredient_twice_is_listed_once(knowledge: Knowledge) -> None:
    verdict = check_product(knowledge, MN, 3, "WATER, AQUA, Glycerin")
    assert [r.match.token.text for r in verdict.ingredients] == ["WATER", "Glycerin"]


def test_check_product_lone_product_name_says_it_is_not_a_list(knowledge: Knowledge) -> None:
    verdict = check_product(knowledge, MN, 3, "Zorbo Glow Miracle Cream")
    assert verdict.level is Level.UNKNOWN
    assert any("does not look like an ingredient list" in note for note in verdict.notes)


def test_every_curated_and_cosing_name_reads_back_exactly(knowledge: Knowledge) -> None:
    for name, hit in list(knowledge.names.items())[::97]:
        (found,) = match_tokens(knowledge, (parse_label(name)[0],))
        assert found.ingredient is not None and found.ingredient.iri == hit.iri, name


@pytest.mark.parametrize(
    ("label", "read_as"),
    [
        ("FD&C Yellow No. 5", "CI 19140"),  # a US certified colour is its colour index
        ("D&C Red 7 Lake", "CI 15850"),
        ("Citric Acid FORMULA #703-0", "Citric Acid"),  # a formula number after the name
        ("Yellow Soft Paraffin BP", "Petrolatum"),  # a pharmacopoeia's mark
    ],
)
def test_what_a_label_adds_after_a_name_does_not_hide_it(
    knowledge: Knowledge, label: str, read_as: str
) -> None:
    (found,) = match_tokens(knowledge, parse_label(label))
    assert found.ingredient is not None and found.ingredient.label == read_as


def test_an_unlisted_us_colour_is_a_colourant_by_its_name(knowledge: Knowledge) -> None:
    (found,) = match_tokens(knowledge, parse_label("Orange 4"))
    assert found.match == "pattern"
    colourant = knowledge.concept("class", "colourant", "id").iri
    assert colourant in knowledge.lineage(found.ingredient.iri if found.ingredient else "")


@pytest.mark.parametrize(
    ("label", "read"),
    [
        # a lost separator and a slip in one token: each name read, the slip with its score
        ("cellulose glycerl stearate", [("exact", "Cellulose"), ("fuzzy", "Glyceryl Stearate")]),
        ("Glycerin Citirc Acid", [("exact", "Glycerin"), ("fuzzy", "Citric Acid")]),
        ("glycerin and xantham gum", [("exact", "Glycerin"), ("fuzzy", "Xanthan Gum")]),
        # the slip first: 'and' is no part of the guess ('xanthum gum and' had been guessed at)
        ("xanthum gum and purified water", [("fuzzy", "Xanthan Gum"), ("synonym", "Aqua")]),
        # pharmacopoeia ethoxylates count units as INCI does
        ("Macrogol Cetostearyl Ether 22", [("exact", "Ceteareth-22")]),
        ("Polyoxyl 100 Stearate", [("exact", "PEG-100 Stearate")]),
        ("PEG-1 Stearate", [("exact", "Glycol Stearate")]),  # one unit is glycol itself
        # locants spaced out after their comma are one name
        ("Aqua, 1, 3-Propanediol", [("exact", "Aqua"), ("synonym", "Propanediol")]),
        # a name broken by a comma, its end lost: the two halves read as one, with a score
        ("Cetyl, Palmitat, Glycerin", [("fuzzy", "Cetyl Palmitate"), ("exact", "Glycerin")]),
    ],
)
def test_a_run_of_names_with_one_slip_is_read(
    knowledge: Knowledge, label: str, read: list[tuple[str, str]]
) -> None:
    found = match_tokens(knowledge, parse_label(label))
    assert [(m.match, m.ingredient.label if m.ingredient else None) for m in found] == read


def test_two_slips_in_a_run_are_not_guessed(knowledge: Knowledge) -> None:
    (found,) = match_tokens(knowledge, parse_label("Glycerni Citirc Acid"))
    assert found.ingredient is None


@pytest.mark.parametrize(
    ("label", "read_as"),
    [
        # an oil named without its part is the oil pressed from the seed, fruit or kernel
        ("Sesamum Indicum (Sesame) Oil", "Sesamum Indicum Seed Oil"),
        ("Prunus Armeniaca (Apricot) Oil", "Prunus Armeniaca Kernel Oil"),
        ("Rosa Rubiginosa Oil", "Rosa Rubiginosa Seed Oil"),  # rosehip, not a rose essence
        # a bare binomial, when no listed part of the plant is restricted differently
        ("Centella Asiatica", "Centella Asiatica Extract"),
    ],
)
def test_a_plant_named_without_its_part_is_read_when_every_part_is_judged_alike(
    knowledge: Knowledge, label: str, read_as: str
) -> None:
    (found,) = match_tokens(knowledge, parse_label(label))
    assert found.match == "synonym"
    assert found.ingredient is not None and found.ingredient.label == read_as
    assert check_product(knowledge, MN, 2, label).level == Level("ok")


@pytest.mark.parametrize(
    "label",
    [
        "Mentha Arvensis",  # a leaf extract, or the essential oil
        "Chamomilla Recutita (Matricaria)",  # an extract, or the flower oil
    ],
)
def test_a_plant_named_without_its_part_stays_unknown_when_a_part_is_restricted(
    knowledge: Knowledge, label: str
) -> None:
    (found,) = match_tokens(knowledge, parse_label(label))
    assert found.ingredient is None
    assert check_product(knowledge, MN, 2, label).level != Level("ok")


@pytest.mark.parametrize(
    "label",
    [
        "Citrus Limon Oil",
        "Rosa Damascena Oil",
        "Lavandula Angustifolia (Lavender) Oil",
        "Gaultheria Procumbens (Wintergreen) Oil",  # distilled from the leaves: methyl salicylate
    ],
)
def test_an_aromatic_plant_oil_without_its_part_is_an_essential_oil(
    knowledge: Knowledge, label: str
) -> None:
    assert check_product(knowledge, MN, 2, label).level == Level("avoid")


@pytest.mark.parametrize(
    "label",
    [
        "Avene Thermal Spring Water (Avene Aqua), Glycerin",
        "Eau Thermale Avene, Glycerin",
        "Thermal Water, Glycerin",
    ],
)
def test_a_named_spring_water_is_water(knowledge: Knowledge, label: str) -> None:
    verdict = check_product(knowledge, MN, 2, label)
    assert verdict.ingredients[0].match.ingredient is not None
    assert verdict.level == Level("ok")


def test_a_listed_name_holding_a_slash_named_twice_reads_as_itself(knowledge: Knowledge) -> None:
    # found by the never-milder property: the doubled name was read as its first word alone
    name = "Dimethicone/Vinyl Dimethicone Crosspolymer"
    (found,) = match_tokens(knowledge, parse_label(f"{name}/{name}"))
    assert found.ingredient is not None and found.ingredient.label == name
    for procedure in knowledge.procedures:
        twice = check_product(knowledge, procedure, 2, f"{name}/{name}")
        once = check_product(knowledge, procedure, 2, name)
        assert (twice.level, twice.ok_from_day) == (once.level, once.ok_from_day)


@pytest.mark.parametrize(
    "label", ["Aqua, Zorblaxin/Retinol – Solvent", "Aqua, Zorblaxin/Renova - Solvent"]
)
def test_names_between_slashes_beside_a_function_column_each_count(
    knowledge: Knowledge, label: str
) -> None:
    # found by the never-milder property: with its function column, 'Zorblaxin/Retinol' was
    # read as Retinol alone (okay on day 30), then whole (unknown, hiding that Retinol or
    # Renova, a tretinoin, keeps it restricted until day 14)
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert verdict.level is Level.AVOID and verdict.unrecognized == ("Zorblaxin",)
    assert check_product(knowledge, "microneedling", 30, label).level is Level.UNKNOWN


def test_each_name_of_a_run_is_separated_in_turn(knowledge: Knowledge) -> None:
    # Found by the never-milder fuzzer: the token looked like a peptide by its name, its run
    # of listed names was 'Zorblaxin/Polyquaternium-11' (read by the name after the slash)
    # and 'sh-Polypeptide-1', and the unknown name before the slash was hidden.
    token = read_token("Zorblaxin/Polyquaternium-11. sh-Polypeptide-1")
    assert token is not None
    parts = [part.text for part in separate(knowledge, token)]
    assert parts == ["Zorblaxin", "Polyquaternium-11", "sh-Polypeptide-1"]
