"""The label parser: real label fragments in, the tokens a person would see out."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import prose
from graph.engine import check_product
from graph.errors import InvalidValue, LabelTooLong
from graph.index import Knowledge
from graph.labels import MAX_LABEL_CHARS, parse_label, read_label
from graph.model import Level
from graph.tokens import normalize_name


def texts(label: str) -> list[str]:
    return [token.text for token in parse_label(label)]


# Real label fragments (issue 4) -> the tokens a person would see.
@pytest.mark.parametrize(
    ("label", "expected"),
    [
        # separators: commas, semicolons, pipes, bullets, middle dots, line breaks, full stops
        ("Aqua, Glycerin, Retinol", ["Aqua", "Glycerin", "Retinol"]),
        ("Water; Glycerin\nRetinol • Squalane", ["Water", "Glycerin", "Retinol", "Squalane"]),
        ("Water | Glycerin · Niacinamide", ["Water", "Glycerin", "Niacinamide"]),
        ("Aqua. Glycerin. Retinol.", ["Aqua", "Glycerin", "Retinol"]),
        ("  aqua ,  GLYCERIN  ,,  ", ["aqua", "GLYCERIN"]),
        # headers
        ("Ingredients: Aqua, Glycerin", ["Aqua", "Glycerin"]),
        ("INGREDIENTS - Aqua, Glycerin.", ["Aqua", "Glycerin"]),
        ("Ingrédients : Aqua, Glycérine", ["Aqua", "Glycérine"]),
        ("INCI: Aqua, Glycerin", ["Aqua", "Glycerin"]),
        (
            "Active Ingredients: Zinc Oxide 20%. Inactive Ingredients: Water, Glycerin",
            ["Zinc Oxide", "Water", "Glycerin"],
        ),
        ("Our best serum for glowing skin! Ingredients: Aqua, Retinol", ["Aqua", "Retinol"]),
        (
            "Aqua, Glycerin. Directions: apply twice daily. Warning: external use only",
            ["Aqua", "Glycerin"],
        ),
        # aliases stay one token (their names are tried one by one)
        ("Aqua (Water), Glycerin", ["Aqua (Water)", "Glycerin"]),
        ("Aqua/Water/Eau, Parfum (Fragrance)", ["Aqua/Water/Eau", "Parfum (Fragrance)"]),
        ("Water\\Aqua\\Eau, Glycerin", ["Water\\Aqua\\Eau", "Glycerin"]),
        # slashes, commas, ampersands inside names
        ("Caprylic/Capric Triglyceride", ["Caprylic/Capric Triglyceride"]),
        (
            "Bis-Amino PEG/PPG-41/3 Aminoethyl PG-Propyl Dimethicone",
            ["Bis-Amino PEG/PPG-41/3 Aminoethyl PG-Propyl Dimethicone"],
        ),
        ("1,2-Hexanediol, Toluene-2,5-Diamine", ["1,2-Hexanediol", "Toluene-2,5-Diamine"]),
        ("FD&C Yellow No. 5, Aqua", ["FD&C Yellow No. 5", "Aqua"]),
        (
            "Caprylic/Capric Triglyceride (and) Tocopherol",
            ["Caprylic/Capric Triglyceride", "Tocopherol"],
        ),
        # colour index numbers
        (
            "CI 77891 (Titanium Dioxide), Iron Oxides (CI 77491, CI 77492, CI 77499)",
            ["CI 77891 (Titanium Dioxide)", "Iron Oxides (CI 77491, CI 77492, CI 77499)"],
        ),
        ("Titanium Dioxide [Nano], Aqua", ["Titanium Dioxide [Nano]", "Aqua"]),
        # percentages and ppm
        (
            "Niacinamide 10%, Zinc PCA (1%), Sodium Fluoride (1450 ppm)",
            ["Niacinamide", "Zinc PCA", "Sodium Fluoride"],
        ),
        # footnotes
        (
            "Aloe Barbadensis Leaf Juice*, Glycerin. *Certified Organic Ingredients",
            ["Aloe Barbadensis Leaf Juice", "Glycerin"],
        ),
        ("Limonene *antistatic agent, Water", ["Limonene", "Water"]),
        # several products or shades in one field
        (
            "Step 1: Aqua, Glycerin. Step 2: Alcohol Denat., Retinol",
            ["Aqua", "Glycerin", "Alcohol Denat", "Retinol"],
        ),
        # pasted Python lists, page controls, item codes
        ("['Water, Glycerin', 'Retinol']", ["Water", "Glycerin", "Retinol"]),
        ("Citric Acid,\n   Disodium EDTA[less]\n", ["Citric Acid", "Disodium EDTA[less]"]),
        ("Glycerin, Mica <ILN39837>.", ["Glycerin", "Mica"]),
        # the same thing twice, as written
        ("Water, Glycerin, water", ["Water", "Glycerin"]),
    ],
)
def test_parse_label_fragment_gives_tokens(label: str, expected: list[str]) -> None:
    assert texts(label) == expected


def test_parse_label_alias_in_parentheses_offers_each_name() -> None:
    (token,) = parse_label("Aqua (Water)")
    assert token.candidates == ("Aqua (Water)", "Aqua", "Water")


@pytest.mark.parametrize(
    "label",
    [
        "<ul><li>Aqua</li><li>Glycerin</li><li>Retinol</li></ul>",
        "Aqua<br>Glycerin<br/>Retinol",
        "Aqua\tGlycerin\tRetinol",  # from a spreadsheet
    ],
)
def test_parse_label_html_items_and_tabs_separate(label: str) -> None:
    assert texts(label) == ["Aqua", "Glycerin", "Retinol"]


def test_parse_label_second_may_contain_marker_separates() -> None:
    tokens = parse_label("Aqua [+/- CI 77491], Glycerin, Polysorbate 60. [+/- CI 77499]")
    assert [(t.text, t.conditional) for t in tokens] == [
        ("Aqua", False),
        ("CI 77491", True),
        ("Glycerin", True),
        ("Polysorbate 60", True),
        ("CI 77499", True),
    ]


def test_parse_label_full_stops_separate_even_with_a_digit_comma() -> None:
    # '1,2-Hexanediol' has a comma, but not one that separates: the list is still split.
    assert texts("Aqua. Glycerin. 1,2-Hexanediol. Retinol.") == [
        "Aqua",
        "Glycerin",
        "1,2-Hexanediol",
        "Retinol",
    ]


def test_parse_label_name_inside_a_name_offers_both_whole_names() -> None:
    (token,) = parse_label("Candelilla Cera (Euphorbia Cerifera (Candelilla) Wax)")
    assert token.candidates[0] == "Candelilla Cera (Euphorbia Cerifera (Candelilla) Wax)"
    assert {"Candelilla Cera", "Euphorbia Cerifera (Candelilla) Wax"} <= set(token.candidates)


def test_parse_label_slash_aliases_offer_each_part_after_the_whole() -> None:
    (token,) = parse_label("Aqua/Water/Eau")
    assert token.candidates[0] == "Aqua/Water/Eau"
    assert set(token.candidates[1:]) == {"Aqua", "Water", "Eau"}


@pytest.mark.parametrize(
    "label",
    [
        "Talc, Mica. May contain: CI 77891, CI 77491",
        "Talc, Mica, May Contain (+/-): CI 77891, CI 77491",
        "Talc, Mica +/- CI 77891, CI 77491",
        "Talc, Mica ± CI 77891, CI 77491",
        "Talc, Mica [+/- CI 77891, CI 77491]",
        "Talc, Mica. Peut contenir: CI 77891, CI 77491",
    ],
)
def test_parse_label_may_contain_variants_are_conditional(label: str) -> None:
    assert [(t.text, t.conditional) for t in parse_label(label)] == [
        ("Talc", False),
        ("Mica", False),
        ("CI 77891", True),
        ("CI 77491", True),
    ]


def test_parse_label_may_contain_section_is_conditional() -> None:
    tokens = parse_label("Talc, Mica. May contain: CI 77891, CI 77491")
    assert [(t.text, t.conditional) for t in tokens] == [
        ("Talc", False),
        ("Mica", False),
        ("CI 77891", True),
        ("CI 77491", True),
    ]


def test_parse_label_web_address_is_refused_with_a_clear_message() -> None:
    with pytest.raises(InvalidValue, match="web address") as caught:
        parse_label("https://shop.example/products/serum-123")
    assert caught.value.field == "ingredients"


@pytest.mark.parametrize("label", ["", "   ", ",,,", "10%, 5%"])
def test_parse_label_without_ingredients_is_refused(label: str) -> None:
    with pytest.raises(InvalidValue, match="No ingredients"):
        parse_label(label)


@pytest.mark.parametrize(
    "placeholder",
    [
        "N/A",
        "nan",
        "#NAME?",
        "No info",
        "Ingredients not available",
        "See packaging",
        "Visit the Acme boutique",
    ],
)
def test_a_placeholder_where_the_list_should_be_is_refused_saying_what_was_found(
    placeholder: str,
) -> None:
    # scraped tables and shops print these where they have no list: not one unknown ingredient
    with pytest.raises(InvalidValue, match="not an ingredient list") as refused:
        read_label(placeholder)
    assert refused.value.field == "ingredients"


def test_parse_label_over_the_limit_is_refused_with_the_field() -> None:
    with pytest.raises(LabelTooLong) as caught:
        parse_label("Aqua, " * 5, max_chars=10)
    assert caught.value.field == "ingredients"


def test_parse_label_accepts_a_long_real_label() -> None:
    label = ", ".join(["Aqua", "Glycerin"] * 700)  # ~11,000 characters
    assert len(label) > 7_300
    assert texts(label) == ["Aqua", "Glycerin"]


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("Rétinol", "retinol"),
        ("ALCOHOL DENAT.", "alcohol denat"),
        ("Caprylic / Capric  Triglyceride", "caprylic/capric triglyceride"),
        ("Cetyl–PG Hydroxyethyl Palmitamide", "cetyl-pg hydroxyethyl palmitamide"),
        ("Sodium Lauryl Sulphate", "sodium lauryl sulfate"),
        ("Aluminium Hydroxide", "aluminum hydroxide"),
    ],
)
def test_normalize_name_ignores_case_accents_and_spacing(written: str, normal: str) -> None:
    assert normalize_name(written) == normal


SHAPES = json.loads((Path(__file__).parent / "data" / "label_shapes.json").read_text("utf-8"))


@pytest.mark.parametrize("case", SHAPES, ids=[case["shape"][:60] for case in SHAPES])
def test_label_shape_reads_every_ingredient_and_sets_aside_the_rest(
    knowledge: Knowledge, case: dict[str, Any]
) -> None:
    """Labels of our own in the shapes real pastes take (prose, claims, drug facts, glued
    names, slashes, typos): every ingredient read, nothing else counted, the rest shown."""
    verdict = check_product(knowledge, "microneedling", 2, case["label"])
    read = [
        result.match.ingredient.label
        for result in verdict.ingredients
        if result.match.ingredient is not None and result.match.match != "pattern"
    ]
    assert read == case["ingredients"]
    assert not verdict.unrecognized
    shown = _words(" ".join(verdict.set_aside))
    for fragment in case["set_aside"]:
        assert _words(fragment) in shown, fragment


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


@pytest.mark.parametrize(
    "label",
    [
        "Aqua, Glycerin, Petrolatum. Free of parabens, fragrance, retinol and sulfates.",
        "Fragrance-free, paraben-free. Aqua, Glycerin, Petrolatum",
        "Aqua, Glycerin, Petrolatum. Does not contain retinol or AHAs!",
        "No retinol, no fragrance. Aqua, Glycerin, Petrolatum",
        "Aqua, Glycerin, Petrolatum. Sans parfum.",
        # however copy words it: each of these answered avoid for this gentle ointment
        "Aqua, Glycerin, Petrolatum. We never use parabens, sulfates, retinol or fragrance.",
        "Aqua, Glycerin, Petrolatum. Not formulated with retinol, AHAs or fragrance.",
        "Aqua, Glycerin, Petrolatum\nExcludes: parabens, retinol, glycolic acid",
        "Aqua, Glycerin, Petrolatum\nFree of the following: retinol, glycolic acid, parabens",
        "Aqua, Glycerin, Petrolatum\nZero retinol, zero fragrance",
        "Aqua, Glycerin, Petrolatum\nNO: parabens | retinol | fragrance",
        "Aqua, Glycerin, Petrolatum\nRetinol, AHA and fragrance free formula.",
        "Aqua, Glycerin, Petrolatum\nSulfate-, paraben- and retinol-free",
        "Aqua, Glycerin, Petrolatum\nIdeal after microneedling or peels; pairs well with retinol",
        "Aqua, Glycerin, Petrolatum\nA retinol alternative",
        # copy that speaks of another product or treatment, or of none of it
        "Post-Retinol Recovery Cream\nAqua, Glycerin, Petrolatum",
        "Glycolic Acid Peel Aftercare Balm\nAqua, Glycerin, Petrolatum",
        "Retinol Night Cream Companion: Aqua, Glycerin, Petrolatum",
        "Aqua, Glycerin, Petrolatum\nInspired by retinol",
        "Aqua, Glycerin, Petrolatum\nCompatible with retinol, AHA and BHA",
        "Aqua, Glycerin, Petrolatum\nContains 0% retinol",
    ],
)
def test_a_free_of_claim_never_counts_the_names_it_excludes(
    knowledge: Knowledge, label: str
) -> None:
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert verdict.level is Level.RECOMMENDED or verdict.level is Level.OK
    assert verdict.set_aside
    assert [r.match.token.text for r in verdict.ingredients] == ["Aqua", "Glycerin", "Petrolatum"]


def test_the_last_line_of_a_wrapped_list_keeps_its_names_before_a_free_claim(
    knowledge: Knowledge,
) -> None:
    # a line of items ending 'X & Y free' is one claim, unless the list runs on into it
    label = "Aqua, Glycerin,\nRetinol, paraben & fragrance free"
    assert check_product(knowledge, "microneedling", 2, label).level is Level.AVOID


@pytest.mark.parametrize(
    "label",
    [
        "Retinol, Glycerin, Helps your skin feel soft and smooth / Free of parabens",
        "Retinol, Glycerin, Helps your skin feel soft and smooth/Fragrance-free",
        "Retinol, Glycerin, Helps your skin feel soft and smooth • Fragrance-free",
        "Retinol, Glycerin, Helps your skin feel soft and smooth - Fragrance-free",
    ],
)
def test_a_claim_after_a_separator_is_no_line_of_free_items(
    knowledge: Knowledge, label: str
) -> None:
    # found by the never-milder property: each was read as one 'A, B and C free' line, which
    # set the whole label aside (no ingredients found)
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert [r.match.token.text for r in verdict.ingredients] == ["Retinol", "Glycerin"]
    assert verdict.level is Level.AVOID


def test_a_claim_without_an_and_holds_one_item_so_the_list_goes_on(knowledge: Knowledge) -> None:
    # 'Free of parabens, Retinol, Glycerin' may be a claim then a list: Retinol still counts
    verdict = check_product(knowledge, "microneedling", 2, "Free of parabens, Retinol, Glycerin")
    assert verdict.level is Level.AVOID
    assert verdict.set_aside == ("Free of parabens",)


def test_drug_facts_actives_keep_their_stated_percent(knowledge: Knowledge) -> None:
    label = (
        "Drug Facts\nActive ingredients\nAvobenzone 3% .... Sunscreen\nZinc Oxide 10% Sunscreen"
        "\nUses: helps prevent sunburn\nWarnings: For external use only.\n"
        "Inactive ingredients: Water, Glycerin, Phenoxyethanol, Lactic Acid"
    )
    tokens = read_label(label).tokens
    assert [(t.text, t.active, t.percent) for t in tokens[:2]] == [
        ("Avobenzone", True, 3.0),
        ("Zinc Oxide", True, 10.0),
    ]
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert any("Sunscreen" in text for text in verdict.set_aside)
    assert any(text.startswith("Warnings") for text in verdict.set_aside)
    # the actives stand outside the weight order; the inactive list has its own
    lactic = next(r for r in verdict.ingredients if r.match.token.text == "Lactic Acid")
    assert lactic.bound is not None and lactic.bound.marker.label == "Phenoxyethanol"


def test_only_text_about_a_product_is_refused_naming_what_was_found() -> None:
    with pytest.raises(InvalidValue, match="Certified organic"):
        read_label("*Certified organic ingredients")


@pytest.mark.parametrize(
    ("label", "names"),
    [
        ("Aqua, Glycerin/Retinol, Dimethicone", ["Aqua", "Glycerin", "Retinol", "Dimethicone"]),
        ("Aqua, Glycerin / Retinol", ["Aqua", "Glycerin", "Retinol"]),
        ("Contains: Retinol, Aqua", ["Retinol", "Aqua"]),
        ("Aqua, Glycerin. Retinol", ["Aqua", "Glycerin", "Retinol"]),
        ("Glycerin and Retinol", ["Glycerin", "Retinol"]),
        ("Zinc OxideWater, Glycerin", ["Zinc Oxide", "Water", "Glycerin"]),
        ("Aqua/Water/Eau, Glycerin", ["Aqua/Water/Eau", "Glycerin"]),  # aliases: one water
        ("Sea Salt/Sel Marin, Glycerin", ["Sea Salt/Sel Marin", "Glycerin"]),  # a translation
        # found by the never-milder property: the bracket's slashed name hid Retinol
        (
            "Retinol/Ocimum Basilicum Flower/Leaf Extract (Basil Flower/Leaf Extract)",
            ["Retinol", "Ocimum Basilicum Flower", "Leaf Extract (Basil Flower/Leaf Extract)"],
        ),
    ],
)
def test_no_name_hides_behind_another(knowledge: Knowledge, label: str, names: list[str]) -> None:
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert [r.match.token.text for r in verdict.ingredients] == names


@pytest.mark.parametrize(
    "label",
    [
        "Aqua, Glycerin*, Petrolatum. *Coconut, vegetable, plant, or sugar derived.",
        "Aqua, Glycerin†, Petrolatum\n† Palm, coconut or rapeseed derived",
        "Aqua, Glycerin*, Petrolatum. *Sourced from coconut, palm or rapeseed. ",
    ],
)
def test_a_footnote_legend_with_commas_is_one_note_not_ingredients(
    knowledge: Knowledge, label: str
) -> None:
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert [r.match.token.text for r in verdict.ingredients] == ["Aqua", "Glycerin", "Petrolatum"]
    assert verdict.unrecognized == ()
    assert len(verdict.set_aside) == 1


def test_a_marked_name_is_still_an_ingredient(knowledge: Knowledge) -> None:
    # A mark before a name, not a legend: 'Retinol' must count, even after a full stop
    for label in (
        "Aqua, *Retinol, Glycerin",
        "Aqua. *Organic Aloe Juice, Retinol",
        "Aqua. *Certified organic, Retinol, Glycerin",
        "Aqua. *Coconut derived, Retinol",
        "*Certified organic/Retinol",
        "Aqua; *Certified organic; Retinol",
        "Aqua • *Organically grown • Retinol",
    ):
        assert check_product(knowledge, "microneedling", 2, label).level is Level.AVOID


@pytest.mark.parametrize(
    "label",
    [
        "1. Aqua 2. Glycerin 3. Retinol 4. Polysorbate 20. Tocopherol",
        "Ingredients: 1) Aqua 2) Glycerin 3) Retinol 4) Polysorbate 20. Tocopherol",
    ],
)
def test_a_list_numbered_on_one_line_is_read_item_by_item(knowledge: Knowledge, label: str) -> None:
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert [r.match.token.text for r in verdict.ingredients] == [
        "Aqua",
        "Glycerin",
        "Retinol",
        "Polysorbate 20",
        "Tocopherol",
    ]


@pytest.mark.parametrize(
    "code", ["Batch 12345 EXP 05/2027", "LOT: A2391 MFG 2026-01", "EXP. 11/2027", "Ref. 3337875"]
)
def test_what_a_pack_prints_beside_the_list_is_set_aside(knowledge: Knowledge, code: str) -> None:
    verdict = check_product(knowledge, "microneedling", 20, f"Aqua, Glycerin, Petrolatum, {code}")
    assert verdict.unrecognized == ()
    assert verdict.set_aside == (code,)
    assert verdict.level in (Level.OK, Level.RECOMMENDED)


def test_a_name_hyphenated_at_a_line_end_is_one_word(knowledge: Knowledge) -> None:
    # Read as 'PHENOXY' and 'ETHANOL', the preservative became an unknown and a drying alcohol
    label = "AQUA, GLYCERIN, PHENOXY-\nETHANOL, BIS-\nETHYLHEXYLOXYPHENOL METHOXYPHENYL TRIAZINE"
    verdict = check_product(knowledge, "microneedling", 2, label)
    read = [r.match.ingredient.label if r.match.ingredient else None for r in verdict.ingredients]
    assert read == [
        "Aqua",
        "Glycerin",
        "Phenoxyethanol",  # the typesetter's hyphen
        "Bis-Ethylhexyloxyphenol Methoxyphenyl Triazine",  # the name's own
    ]
    assert all(r.match.match == "exact" for r in verdict.ingredients)


@pytest.mark.parametrize(
    ("label", "marker"),
    [
        ("Aqua, Glycerin, Petrolatum, ...", "..."),
        ("Aqua, Glycerin, Petrolatum…", "…"),
        ("Aqua, Glycerin, Petrolatum [...]", "[...]"),
        ("Aqua, Glycerin, Petrolatum, etc.", "etc."),
        ("Aqua, Glycerin, Petrolatum and more", "and more"),
        (
            "Aqua, Glycerin, Petrolatum (see the full list on the pack)",
            "(see the full list on the pack)",
        ),
    ],
)
def test_a_list_that_says_it_goes_on_is_never_okay(
    knowledge: Knowledge, label: str, marker: str
) -> None:
    # what the label does not show may be anything: it is unknown, not okay
    verdict = check_product(knowledge, "microneedling", 30, label)
    assert verdict.level is Level.UNKNOWN
    assert verdict.cut_short == marker
    assert verdict.unrecognized == ()
    assert any("cut short" in note for note in verdict.notes)
    restricted = check_product(knowledge, "microneedling", 2, label.replace("Glycerin", "Retinol"))
    assert restricted.level is Level.AVOID  # what it does show still counts


def test_dot_leaders_in_a_drug_facts_panel_are_not_a_cut(knowledge: Knowledge) -> None:
    label = (
        "Active ingredient\nZinc Oxide 10% ...... Sunscreen\nInactive ingredients: Water, Glycerin"
    )
    assert check_product(knowledge, "microneedling", 30, label).cut_short is None


@pytest.mark.parametrize("name", ["SD Alcohol 3-A", "Polysorbate 20", "Vitamin B3", "Vitamin E"])
def test_a_name_ending_in_a_number_before_a_sentence_still_counts(
    knowledge: Knowledge, name: str
) -> None:
    # the sentence after it is prose; the name before its full stop is not
    verdict = check_product(knowledge, "microneedling", 2, f"{name}. Helps your skin feel soft.")
    assert [r.match.token.text for r in verdict.ingredients] == [name]


@pytest.mark.parametrize(
    "label",
    ["C267317/1 Trimethylsiloxysilicate, Retinol", "1199768Trimethylsiloxysilicate, Retinol"],
)
def test_a_formula_code_before_the_first_name_is_not_part_of_it(
    knowledge: Knowledge, label: str
) -> None:
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert [r.match.read_as for r in verdict.ingredients] == ["Trimethylsiloxysilicate", "Retinol"]


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("Organic Argan Oil", "Argan Oil"),  # grade and origin words name nothing
        ("Pure Medical Grade Lanolin", "Lanolin"),
        ("Cold Pressed Organic Jojoba Oil", "Jojoba Oil"),
        ("Laureth 3", "Laureth-3"),  # a number written apart from its name
        ("PEG 8-Dimethicone", "PEG-8 Dimethicone"),
        # not Collagen ('vegetable' is not a grade word): only the protein pattern reads it
        ("Vegetable Collagen", "Vegetable Collagen"),
    ],
)
def test_grade_words_and_detached_numbers_do_not_hide_a_name(
    knowledge: Knowledge, typed: str, read_as: str | None
) -> None:
    verdict = check_product(knowledge, "microneedling", 30, f"Aqua, {typed}")
    assert verdict.ingredients[1].match.read_as == read_as


def test_a_footnote_legend_at_the_end_of_a_pasted_list_is_one_note(knowledge: Knowledge) -> None:
    # lists copied from a page's data often keep the closing quote and bracket
    label = "['Aqua, Xylitol*, Retinol. *Coconut, vegetable, plant, or sugar derived.']"
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert [r.match.read_as for r in verdict.ingredients] == ["Aqua", "Xylitol", "Retinol"]
    assert verdict.level is Level.AVOID


@pytest.mark.parametrize(
    ("latin", "expected"),
    [
        ("Retinoli palmitas", "Retinyl Palmitate"),  # restricted: must be found
        ("Acidum salicylicum", "Salicylic Acid"),
        ("Dexpanthenolum", "Panthenol"),
        ("Vaselinum album", "Petrolatum"),
        ("Alcohol cetylicus et stearylicus", "Cetearyl Alcohol"),
        ("Melaleucae aetheroleum", "Melaleuca Alternifolia Leaf Oil"),  # the essential oil
    ],
)
def test_latin_pharmacopoeia_titles_are_read_as_their_inci_twins(
    knowledge: Knowledge, latin: str, expected: str
) -> None:
    verdict = check_product(knowledge, "microneedling", 2, f"Aqua, {latin}")
    ingredient = verdict.ingredients[1].match.ingredient
    assert ingredient is not None
    assert ingredient.label == expected


@pytest.mark.parametrize(
    "label",
    [
        "Helps your skin feel soft and smooth. 1,2-Hexanediol, Retinol",
        "Helps your skin feel soft and smooth. 4-T-Butylcyclohexanol, Retinol",
    ],
)
def test_a_name_starting_with_its_locants_starts_a_new_sentence(
    knowledge: Knowledge, label: str
) -> None:
    # found by the property test: the name was set aside with the prose before it
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert len(verdict.ingredients) == 2 and verdict.unrecognized == ()
    assert verdict.level is Level.AVOID


@pytest.mark.parametrize(
    ("label", "names"),
    [
        # an amount beside a name is the name's amount, never a net-contents claim
        ("Aqua, Retinol 0.1 g/100 g", ["Aqua", "Retinol"]),
        ("Glycerin, Urea 10 g", ["Glycerin", "Urea"]),
        ("Aqua, 8fl.Oz Butylphenyl Methylpropional", ["Aqua", "Butylphenyl Methylpropional"]),
        (
            "Zusammensetzung: Dexpanthenolum 50 mg/g. Sonstige Bestandteile: Vaselinum album",
            ["Panthenol", "Petrolatum"],
        ),
        # net contents alone, or a product's name with its volume, are set aside
        ("Aqua, Glycerin, Net Wt. 1.7 oz / 50 g", ["Aqua", "Glycerin"]),
        ("Calm Cream 1.7 fl oz\nAqua, Glycerin", ["Aqua", "Glycerin"]),
    ],
)
def test_amounts_stay_with_their_names_and_net_contents_are_set_aside(
    knowledge: Knowledge, label: str, names: list[str]
) -> None:
    verdict = check_product(knowledge, "microneedling", 30, label)
    read = [r.match.ingredient.label if r.match.ingredient else None for r in verdict.ingredients]
    assert read == names


def test_products_titled_on_their_first_line_are_several_lists(knowledge: Knowledge) -> None:
    # the serum's lactic acid is not bounded by the cleanser's preservative
    label = "Cleanser: Aqua, Phenoxyethanol. Serum: Aqua, Lactic Acid, Glycerin"
    assert read_label(label).one_list is False
    verdict = check_product(knowledge, "microneedling", 2, label)
    lactic = next(r for r in verdict.ingredients if r.match.token.text == "Lactic Acid")
    assert lactic.bound is None and verdict.level is Level.AVOID


HOSTILE = json.loads((Path(__file__).parent / "data" / "hostile_labels.json").read_text("utf-8"))


def hostile_label(case: dict[str, str], size: int = MAX_LABEL_CHARS) -> str:
    """A label as long as the limit allows, made of one piece repeated (make bench times them)."""
    room = size - len(case["prefix"]) - len(case["suffix"])
    return case["prefix"] + case["repeat"] * (room // len(case["repeat"])) + case["suffix"]


@pytest.mark.parametrize("case", HOSTILE, ids=[case["shape"] for case in HOSTILE])
def test_a_label_built_to_make_the_reader_work_is_answered(
    knowledge: Knowledge, case: dict[str, str]
) -> None:
    # each once took seconds to minutes: a pattern's work grew with the square of a run
    try:
        verdict = check_product(knowledge, "microneedling", 2, hostile_label(case))
    except InvalidValue as refused:
        assert refused.field == "ingredients" and "No ingredients" in refused.message
    else:
        assert verdict.ingredients  # an answer, with what it read


@pytest.mark.parametrize(
    "label",
    [
        "Aqua, Glycerin, Retinol to smooth the look of fine lines",
        "Aqua, Glycerin. Retinol visibly reduces the look of wrinkles.",
    ],
)
def test_a_sentence_set_aside_still_counts_the_name_it_opens_with(
    knowledge: Knowledge, label: str
) -> None:
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert verdict.set_aside
    assert "Retinol" in [r.match.read_as for r in verdict.ingredients]
    assert verdict.level is Level.AVOID


@pytest.mark.parametrize(
    "sentence",
    [
        "Retinol free formula that is gentle for your skin.",
        "Retinol-free formula that is gentle for your skin.",
        "Retinol alternative that smooths the look of fine lines.",
    ],
)
def test_a_sentence_saying_a_name_is_absent_does_not_count_it(
    knowledge: Knowledge, sentence: str
) -> None:
    verdict = check_product(knowledge, "microneedling", 2, f"Aqua, Glycerin, Panthenol. {sentence}")
    assert verdict.level is Level.OK
    assert [r.match.read_as for r in verdict.ingredients] == ["Aqua", "Glycerin", "Panthenol"]


@pytest.mark.parametrize(
    "label",
    [
        "Aqua, Glycerin. This serum contains glycolic acid for a brighter complexion.",
        "Glycerin, Squalane. Formulated with 1% retinol, it helps your skin look smoother.",
        "Aqua, Glycerin, With the Retinol and Parfum",
        # 'after' and 'if' do not set the product beside another here
        "Aqua, Glycerin. With glycolic acid, for brighter skin after a week if used nightly.",
        # what a shop says the product is, in its own sections
        "Description: A night serum with glycolic acid.\nIngredients: Aqua, Glycerin, Squalane",
        "About this item\n• RENEWING: with retinyl palmitate\nIngredients\nAqua, Glycerin",
        "Aqua, Glycerin, Squalane\nProduct details\nKey ingredient\tRetinol",
    ],
)
def test_a_restricted_name_prose_speaks_of_in_passing_keeps_the_answer_from_okay(
    knowledge: Knowledge, label: str
) -> None:
    # the list may be only part of it (decision 026): not okay, and not a false 'avoid'
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert verdict.level is Level.UNKNOWN
    assert verdict.in_passing
    for written, named in verdict.in_passing:
        assert named.level.restricts
        assert any(written in note for note in verdict.notes)  # the patient is told
    assert check_product(knowledge, "microneedling", 30, label).level is Level.OK


@pytest.mark.parametrize(
    "sentence",
    [
        "A gentle alternative to retinol for sensitive skin.",  # absent
        "Gentler on your skin than glycolic acid, for a smoother look.",  # compared
        "Rich in vitamin C to help your skin look brighter.",  # a family, not an INCI name
        "Its hyaluronic acid helps your skin hold on to moisture.",  # not restricted
        "Warnings: Do not use with other products that contain retinol or glycolic acid.",
        "Directions: Wait a day after using retinol before you apply it.",
        "Safe to use after retinol or glycolic acid treatments.",  # another product, before
    ],
)
def test_prose_that_names_no_restricted_ingredient_as_present_leaves_the_answer_alone(
    knowledge: Knowledge, sentence: str
) -> None:
    label = f"Aqua, Glycerin, Panthenol. {sentence}"
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert verdict.level is Level.OK
    assert not verdict.in_passing


@pytest.mark.parametrize(
    ("label", "stated"),
    [
        # the US sunburn alert, with a list that shows no alpha-hydroxy acid we know
        (
            "Aqua, Glycerin, Squalane\nWarnings: Sunburn Alert: This product contains an alpha "
            "hydroxy acid (AHA) that may increase your skin's sensitivity to the sun.",
            "aha",
        ),
        ("Aqua, Glycerin, Squalane. This formula contains a beta hydroxy acid (BHA).", "bha"),
        ("Aqua, Glycerin. This serum contains retinoids and peptides.", "retinoid"),
        # the warning EU law asks of vitamin A products (Regulation 2024/996), and one naming
        # the ingredient: what a label says it contains, even under its warnings
        (
            "Aqua, Glycerin, Squalane\nWarnings: Contains Vitamin A. Consider your daily intake "
            "before use.",
            "retinoid",
        ),
        ("Aqua, Glycerin, Squalane\nWarning: This product contains retinol.", "retinol"),
    ],
)
def test_a_family_the_label_says_the_product_holds_keeps_the_answer_from_okay(
    knowledge: Knowledge, label: str, stated: str
) -> None:
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert verdict.level is Level.UNKNOWN
    assert [found.subject.id for _, found in verdict.in_passing] == [stated]
    assert check_product(knowledge, "microneedling", 60, label).level is Level.OK


@pytest.mark.parametrize(
    "label",
    [
        "Aqua, Glycolic Acid, Glycerin. Sunburn Alert: This product contains an alpha hydroxy "
        "acid (AHA) that may increase your skin's sensitivity to the sun.",  # the list shows it
        "Aqua, Glycerin. Warnings: Do not use with products that contain an alpha hydroxy acid.",
        "Aqua, Glycerin. This product contains no AHAs.",
        "Aqua, Glycerin\nContains 0% retinol.",
        # the list shows a vitamin A the EU warning is about
        "Aqua, Glycerin, Retinyl Palmitate\nContains Vitamin A. Consider your daily intake.",
    ],
)
def test_a_family_named_otherwise_than_as_held_adds_nothing(
    knowledge: Knowledge, label: str
) -> None:
    assert not check_product(knowledge, "microneedling", 2, label).in_passing


def test_copy_that_speaks_of_a_family_is_neither_avoid_nor_okay(knowledge: Knowledge) -> None:
    # a family's name with words no name holds: spoken of, not listed (decision 026)
    label = "Aqua, Glycerin, Petrolatum\nBuffer for retinol"
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert verdict.level is Level.UNKNOWN
    ((written, family),) = verdict.in_passing
    assert written == "Buffer for retinol" and family.subject.kind == "pattern"
    assert any("speaks of a Retinoid-like name" in note for note in verdict.notes)
    assert check_product(knowledge, "microneedling", 60, label).level is Level.OK


@pytest.mark.parametrize(
    "item", ["Retinol in Squalane", "Encapsulated Retinol (in Squalane)", "Retinyl Complex"]
)
def test_a_family_name_a_list_item_opens_with_still_counts(knowledge: Knowledge, item: str) -> None:
    verdict = check_product(knowledge, "microneedling", 2, f"Aqua, Glycerin, {item}, Squalane")
    assert verdict.level is Level.AVOID
    assert not verdict.in_passing


def test_a_name_the_list_holds_is_not_noted_again_when_prose_names_it(
    knowledge: Knowledge,
) -> None:
    label = "Aqua, Retinol, Glycerin. Formulated with retinol to smooth the look of fine lines."
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert verdict.level is Level.AVOID
    assert not verdict.in_passing


@pytest.mark.parametrize("label", ["[PR-001331]", "Humectant, Solvent", "Skin Conditioning"])
def test_a_label_of_codes_or_functions_only_is_refused_not_okay(
    knowledge: Knowledge, label: str
) -> None:
    # Found by trying it: such a label answered "ok" with no ingredient at all.
    with pytest.raises(InvalidValue, match=r"No ingredients found.*not an ingredient list"):
        check_product(knowledge, "microneedling", 2, label)


def test_the_words_prose_and_claims_are_told_by_are_in_no_listed_name(
    knowledge: Knowledge,
) -> None:
    # a word that some name holds could set that name aside as a claim or a sentence; the few
    # small English words a long name holds ('Allium Cepa Skin Extract', 'May Chang Oil')
    # need another such word beside them, in four words or more, to make prose
    held = {word for name in knowledge.names for word in re.findall(r"[^\W\d_]+", name)}
    found = {normalize_name(word) for word in prose.PROSE_WORDS | prose.FOREIGN_SMALL_WORDS} & held
    assert found <= prose.WORDS_NAMES_HOLD


@pytest.mark.parametrize(
    ("label", "name"),
    [
        # a claim or a rating after a spaced dash is said of the name before it
        ("Retinol - Fragrance-free\nGlycerin", "Retinol"),
        ("Retinol - Risk-free\nGlycerin - Risk-free", "Retinol"),
        ("Glycerin, Zorblaxin/Retinol - Low risk", "Retinol"),  # cut at its slash as well
        # found by the never-milder property: prose and claims are told part by part across
        # a slash, so a name beside them is still read
        ("Glycerin, Soothes/Vitamin A Acetate", "Vitamin A Acetate"),
        ("Tocopherol, Free of parabens, Fragrance-free, © 2024 GlowLab Inc/Retinol, ", "Retinol"),
        ("Glycerin. © 2024 GlowLab Inc / Retinol", "Retinol"),  # after a full stop too
        # 'a' and 'may' are words of prose that names hold too: found by the never-milder
        # property, each label set its essential oil aside as prose and answered recommended
        ("Vitamin A/May Chang Oil, Tocopherol", "May Chang Oil"),
        ("May Chang Oil, Helps your skin feel soft and smooth. Tocopherol", "May Chang Oil"),
    ],
)
def test_a_name_beside_copy_on_its_own_item_still_counts(
    knowledge: Knowledge, label: str, name: str
) -> None:
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert verdict.level is Level.AVOID
    assert name in [r.match.read_as for r in verdict.ingredients]


def test_a_list_under_a_hero_ingredient_is_read_as_the_list(knowledge: Knowledge) -> None:
    # it had been read as more of the blurb: no ingredients found (a refusal, not an answer)
    label = "Hero ingredient: Encapsulated Retinol\nAqua, Glycerin, Squalane, Phenoxyethanol"
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert [r.match.token.text for r in verdict.ingredients][:2] == ["Aqua", "Glycerin"]
    assert verdict.level is not Level.OK and verdict.level is not Level.RECOMMENDED


@pytest.mark.parametrize(
    "item", ["Exfoliating Glycolic Acid", "Soothing Retinol", "Hydrating Salicylic Acid"]
)
def test_an_adjective_a_list_puts_before_a_name_never_makes_it_copy(
    knowledge: Knowledge, item: str
) -> None:
    # an adjective alone between separators is copy ('Hydrating | Soothing'); opening a
    # name, as blends and complexes are named, it leaves the name counted
    verdict = check_product(knowledge, "microneedling", 2, f"Aqua, Glycerin, {item}, Squalane")
    assert verdict.level is Level.AVOID
    assert prose.is_lone_prose_word(item.split()[0]) and not prose.is_lone_prose_word(item)


@pytest.mark.parametrize(
    ("label", "inci"),
    [
        ("Eau, Glycérine, Acide glycolique", "Aqua, Glycerin, Glycolic Acid"),
        ("Agua, Glicerin, Ácido salicílico", "Aqua, Glycerin, Salicylic Acid"),  # 'salicil'
        ("Aqua, Acide lactique, Squalane", "Aqua, Lactic Acid, Squalane"),
        ("Aqua, Alcool dénaturé, Parfum", "Aqua, Alcohol Denat., Parfum"),
        ("Aqua, Alcool, Squalane", "Aqua, Alcohol, Squalane"),  # one word, not German
        ("Eau, Glycérine, Palmitate de rétinyle", "Aqua, Glycerin, Retinyl Palmitate"),  # ester
        ("Agua, Palmitato de retinilo", "Aqua, Retinyl Palmitate"),
        ("Aqua, Retinylpalmitat, Natriumhyaluronat", "Aqua, Retinyl Palmitate, Sodium Hyaluronate"),
        ("Aqua, Salicylsäure, Ascorbinsäure", "Aqua, Salicylic Acid, Ascorbic Acid"),
    ],
)
def test_a_list_in_french_spanish_or_german_names_answers_as_its_inci_twin(
    knowledge: Knowledge, label: str, inci: str
) -> None:
    _answers_as_its_twin(knowledge, label, inci)


def _answers_as_its_twin(knowledge: Knowledge, label: str, inci: str) -> None:
    foreign = check_product(knowledge, "microneedling", 2, label)
    twin = check_product(knowledge, "microneedling", 2, inci)
    assert not foreign.unrecognized
    assert (foreign.level, foreign.ok_from_day) == (twin.level, twin.ok_from_day)
    assert foreign.level.restricts
    read = [r.match for r in foreign.ingredients]
    assert [m.ingredient for m in read] == [r.match.ingredient for r in twin.ingredients]


@pytest.mark.parametrize(
    ("label", "inci"),
    [
        (
            "全成分：水、BG、グリセリン、ヒアルロン酸Na、パルミチン酸レチノール、フェノキシエタノール",
            "Aqua, Butylene Glycol, Glycerin, Sodium Hyaluronate, Retinyl Palmitate, "
            "Phenoxyethanol",
        ),
        (
            "전성분: 정제수, 글리세린, 부틸렌글라이콜, 나이아신아마이드, 살리실릭애씨드, 향료",
            "Aqua, Glycerin, Butylene Glycol, Niacinamide, Salicylic Acid, Parfum",
        ),
        (
            "成分：水、甘油、丁二醇、乙醇酸、苯氧乙醇",
            "Aqua, Glycerin, Butylene Glycol, Glycolic Acid, Phenoxyethanol",
        ),
    ],
)
def test_a_list_in_the_names_east_asian_labels_print_answers_as_its_inci_twin(
    knowledge: Knowledge, label: str, inci: str
) -> None:
    # the names of knowledge/other-names.ttl's East Asian table, as a Japanese, Korean or
    # Chinese pack prints them; before, each was unknown
    _answers_as_its_twin(knowledge, label, inci)


@pytest.mark.parametrize(
    ("label", "level"),
    [
        ("Niacinamide 10% + Zinc 1%", Level.UNKNOWN),  # the rest of its list is not here
        ("Hyaluronic Acid 2% + B5", Level.UNKNOWN),
        ("Retinol 0.5% + Squalane", Level.AVOID),  # what it names still counts
    ],
)
def test_a_product_name_from_the_front_of_its_pack_is_never_okay(
    knowledge: Knowledge, label: str, level: Level
) -> None:
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert verdict.level is level
    assert any("name on the front of its pack" in note for note in verdict.notes)
    # a list that joins its names with '+' but has no amounts is a list
    assert check_product(knowledge, "microneedling", 2, "Aqua + Glycerin").level is Level.OK


@pytest.mark.parametrize(
    ("label", "level"),
    [
        ("Retinol Night Serum\nAqua, Glycerin, Squalane", Level.AVOID),  # what it names counts
        ("Aloe Vera Gel\nGlycerin, Squalane", Level.OK),  # a name on its own line still counts
        ("Zorblaxin\nGlycerin, Squalane", Level.UNKNOWN),  # no product's name: an unknown name
        ("Aqua, Glycerin, Squalane\nHydrating Serum", Level.OK),  # under the list too
        ("Aqua, Glycerin, Squalane\nRetinol Night Serum", Level.AVOID),
        ("Aqua, Glycerin, Squalane\nLemon Balm", Level.UNKNOWN),  # a plant, not a balm
        ("Aqua, Glycerin,\nZorblax Cream", Level.UNKNOWN),  # the list runs on into it
        ("Aqua\nGlycerin\nZorblax Cream", Level.UNKNOWN),  # a list of lines ends in a name
    ],
)
def test_a_product_name_by_a_list_is_read_as_it_is_above_a_heading(
    knowledge: Knowledge, label: str, level: Level
) -> None:
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert verdict.level is level, (verdict.unrecognized, verdict.set_aside)


def test_vitamin_a_from_beta_carotene_is_no_retinoid(knowledge: Knowledge) -> None:
    # provitamin A, as nutrition labels write it (decision 007: beta-carotene is no retinoid)
    verdict = check_product(knowledge, "microneedling", 2, "Aqua, Vitamin A from Beta Carotene")
    assert verdict.level is Level.UNKNOWN


def test_a_company_line_that_runs_on_into_a_list_never_answers_okay(knowledge: Knowledge) -> None:
    # 'Distributed by …' is set aside to its line's end; a list pasted on the same line goes
    # with it, so the answer must then be a refusal or keep what it holds from okay
    label = "Distributed by Beauty Co, Aqua, Glycerin, Retinol"
    try:
        verdict = check_product(knowledge, "microneedling", 2, label)
    except InvalidValue as refused:
        assert "Distributed by Beauty Co" in refused.message
    else:
        assert verdict.level is not Level.OK


def test_a_restricted_name_in_a_key_ingredients_line_keeps_the_answer_from_okay(
    knowledge: Knowledge,
) -> None:
    # whatever the line's shape, a restricted name it holds is never lost with it
    label = "Highlights:\naqua - glycerin - retinol\nIngredients: Aqua, Glycerin"
    assert check_product(knowledge, "microneedling", 2, label).level is not Level.OK


def test_a_name_read_from_another_language_is_said_to_be_so(knowledge: Knowledge) -> None:
    notes = check_product(knowledge, "microneedling", 2, "Eau, Acide glycolique").notes
    assert (
        "'Acide glycolique' is read as Glycolic Acid: its INCI name, written in another "
        "language." in notes
    )
    assert not any("plant part" in note for note in notes)


def test_a_claim_in_another_language_that_names_an_active_is_never_okay(
    knowledge: Knowledge,
) -> None:
    # 'with retinol and perfume': its small words make it no claim, so the name still counts
    verdict = check_product(knowledge, "microneedling", 2, "Aqua, Glycerin, Con Retinol y Parfum")
    assert verdict.level.restricts


def test_a_free_from_claim_before_a_name_still_counts_the_name(knowledge: Knowledge) -> None:
    # only the product's own nouns may follow 'free' in a claim ('Retinol-Free Formula')
    verdict = check_product(knowledge, "microneedling", 2, "Aqua, Glycerin, Paraben-free Retinol")
    assert verdict.level is Level.AVOID


# What a free-from claim may name: restricted names as copy writes them, and families of
# what clean-beauty copy leaves out.
CLAIMED = [
    *("retinol", "Retinol", "glycolic acid", "Glycolic Acid", "salicylic acid", "fragrance"),
    *("retinyl palmitate", "hydroquinone", "AHAs", "retinoids", "lactic acid", "parfum"),
    *("alcohol", "essential oils", "Benzoyl Peroxide", "mandelic acid", "parabens"),
    *("sulfates", "phthalates", "mineral oil", "silicones", "SLS", "gluten", "dyes"),
]
CLAIM_WORDING = [
    *("Free of {}", "Free from {}", "Formulated without {}", "Made without {}", "Without {}"),
    *("We never use {}", "Not formulated with {}", "Contains no {}", "Does not contain {}"),
    *("{} free", "Zero {}", "Excludes: {}", "Free of the following: {}", "FREE FROM {}"),
    *("Compatible with {}", "A gentle alternative to {}", "Formulated without: {}"),
    *("100% free from {}", "Clean formula, free of {}", "This product is free of {}"),
    # headings of the claim's own words, the items after a colon or on the line below
    *("Free from:\n{}", "We never use:\n{}", "Ohne: {}", "What's not inside:\n{}"),
    *("Formulated without\n{}", "No nasties: {}"),
]
ENUMERATION_END = [" and ", ", and ", " & ", " or ", ", or "]
GENTLE = "Aqua, Glycerin, Petrolatum"
PLACES = ["{g}. {c}.", "{c}. {g}", "{g}\n{c}", "{c}\n{g}", "Ingredients: {g}\n{c}", "{g}. {lc}."]


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    wording=st.sampled_from(CLAIM_WORDING),
    items=st.lists(st.sampled_from(CLAIMED), min_size=1, max_size=5, unique=True),
    end=st.sampled_from(ENUMERATION_END),
    place=st.sampled_from(PLACES),
)
def test_a_claim_of_what_a_gentle_product_leaves_out_never_restricts_it(
    app: Flask, wording: str, items: list[str], end: str, place: str
) -> None:
    # Found by generating claims: 'Clean formula, free of …', 'lactic acid, or glycolic acid
    # free', '… alternative to retinol, alcohol and hydroquinone' each answered avoid, caution
    # or unknown for this ointment. An enumeration ends with its 'and' or 'or' (one without
    # leaves the names after its first item counted: test above).
    knowledge: Knowledge = app.extensions["knowledge"]
    listed = items[0] if len(items) == 1 else ", ".join(items[:-1]) + end + items[-1]
    claim = wording.format(listed)
    label = place.format(g=GENTLE, c=claim, lc=claim.lower())
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert verdict.level in (Level.OK, Level.RECOMMENDED), (label, verdict.unrecognized)


# What the back of a pack or a shop's page prints around a list, in many wordings.
PACK_LINES = json.loads((Path(__file__).parent / "data" / "pack_lines.json").read_text("utf-8"))


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lines=st.lists(st.sampled_from(PACK_LINES), min_size=1, max_size=4, unique=True))
def test_what_a_pack_prints_around_a_gentle_list_leaves_it_okay(
    app: Flask, lines: list[str]
) -> None:
    # Found by generating pack backs: 31 kinds of such lines were unread ('Store in a cool,
    # dry place', 'Leaping Bunny approved', '12 M'), each making the answer unknown.
    knowledge: Knowledge = app.extensions["knowledge"]
    label = GENTLE + "\n" + "\n".join(lines)
    verdict = check_product(knowledge, "microneedling", 2, label)
    assert verdict.level in (Level.OK, Level.RECOMMENDED), (label, verdict.unrecognized)


def test_a_product_title_with_its_spf_still_counts_the_family_it_names(
    knowledge: Knowledge,
) -> None:
    label = "Retinol Day Lotion SPF 30\nAqua, Zinc Oxide, Glycerin"
    assert check_product(knowledge, "microneedling", 2, label).level is Level.AVOID


def test_a_certifier_before_an_ingredient_never_hides_it(knowledge: Knowledge) -> None:
    # a certifier's name stands alone as a claim ('Leaping Bunny approved'), never when it
    # opens an ingredient's name
    label = "Aqua, USDA Organic Mentha Piperita Oil, Glycerin"
    assert check_product(knowledge, "microneedling", 2, label).level is not Level.OK
    assert check_product(knowledge, "microneedling", 60, label).level is not Level.OK


# Every format character Unicode has (zero-width spaces, the soft hyphen, direction marks,
# invisible operators, tags): web pages and PDFs leave them inside and between names.
FORMAT_CHARACTERS = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]


def test_no_format_character_hides_a_name_or_parts_it(knowledge: Knowledge) -> None:
    for mark in FORMAT_CHARACTERS:
        label = f"Aqua{mark}, Gly{mark}cerin, Reti{mark}nol, {mark}Phenoxyethanol{mark}"
        verdict = check_product(knowledge, "microneedling", 2, label)
        read = [r.match.ingredient.label for r in verdict.ingredients if r.match.ingredient]
        assert read == ["Aqua", "Glycerin", "Retinol", "Phenoxyethanol"], f"U+{ord(mark):04X}"
        assert verdict.level is Level.AVOID and not verdict.unrecognized


@pytest.mark.parametrize(
    "label",
    [
        "Aqua\u060c Glycerin\u060c Retinol",  # the Arabic comma, as a bilingual pack prints it
        "Aqua\u061b Glycerin\u061b Retinol",  # and semicolon
        "Aqua\ufe50 Glycerin\ufe50 Retinol",  # small and half-width forms of East Asian pages
        "Aqua\uff64Glycerin\ufe51Retinol",
        # Latin names typed with Cyrillic or Greek letters that look the same (a keyboard left
        # in another layout): a Cyrillic A, e and C, a Greek O
        "\u0410qua, Glyc\u0435rin, R\u0435tinol",
        "Aqua, Glycerin, \u0421etearyl Alcohol, Retin\u039fl",
    ],
)
def test_commas_of_other_scripts_and_look_alike_letters_read_as_latin(
    knowledge: Knowledge, label: str
) -> None:
    verdict = check_product(knowledge, "microneedling", 2, label)
    read = [r.match.ingredient.label for r in verdict.ingredients if r.match.ingredient]
    assert "Retinol" in read and "Glycerin" in read and not verdict.unrecognized
    assert all(r.match.match in ("exact", "synonym") for r in verdict.ingredients)


def test_a_word_wholly_in_cyrillic_is_not_read_as_latin(knowledge: Knowledge) -> None:
    # 'Вода' is Russian for water, not a misspelt Latin word: left as written, so unknown
    verdict = check_product(knowledge, "microneedling", 2, "Вода, Glycerin")
    assert verdict.unrecognized == ("Вода",)


def test_no_listed_name_starts_with_the_word_and(knowledge: Knowledge) -> None:
    # 'water, glycerin, and panthenol': the 'and' after a list's last comma is dropped
    assert not [name for name in knowledge.names if re.match(r"(?i)(?:and|&)\s", name)]


def test_no_listed_name_is_one_word_ending_in_ing(knowledge: Knowledge) -> None:
    # 'Hydrating | Soothing | Brightening' alone between separators is copy, never a name
    assert not [name for name in knowledge.names if prose.is_lone_prose_word(name)]


@pytest.mark.parametrize(
    ("label", "level"),
    [
        # a name with a volume beside it is a name and its amount, or a product's name: either
        # way a restricted or unknown name in it counts (all but the last answered okay before)
        ("Fragrance-free, Retinyl Palmitate 30 ml, Glycerin", Level.AVOID),
        ("Tocopherol/All-trans Retinol 30 ml", Level.AVOID),
        ("Aqua, Glycerin, Retinol. 50ml", Level.AVOID),
        ("Aqua, Glycerin, Zorblaxin 30 ml", Level.UNKNOWN),
        ("Barrier Repair Balm 50 ml\nAqua, Glycerin, Petrolatum", Level.OK),
        # two capitals before a full stop end a sentence ('HQ' is hydroquinone), not 'FL. OZ.'
        ("Benzyl Alcohol / Gdxsscdfghb; HQ. Hmksdwbxcvjp 30 ml", Level.AVOID),
        ("Glycerin, Sodium PCA. Tfrbfbmbrfg 30 ml", Level.UNKNOWN),
        ("Glycerin\n50 ml. Fhkbdzvkjf 30 ml", Level.UNKNOWN),  # a sentence ends after '50 ml.'
    ],
)
def test_a_volume_beside_a_name_hides_nothing(
    knowledge: Knowledge, label: str, level: Level
) -> None:
    assert check_product(knowledge, "microneedling", 2, label).level is level
