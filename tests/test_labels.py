"""The label parser: real label fragments in, the tokens a person would see out."""

from __future__ import annotations

import pytest

from graph.errors import InvalidValue, LabelTooLong
from graph.labels import normalize_name, parse_label


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
