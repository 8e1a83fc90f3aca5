"""The label parser: real label fragments in, the tokens a person would see out."""

from __future__ import annotations

import pytest

from graph.errors import InvalidValue, LabelTooLong
from graph.labels import normalize_name, parse_label


def texts(label: str) -> list[str]:
    return [token.text for token in parse_label(label)]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Aqua, Glycerin, Retinol", ["Aqua", "Glycerin", "Retinol"]),
        ("Ingredients: Aqua, Glycerin", ["Aqua", "Glycerin"]),
        ("INGREDIENTS - Aqua, Glycerin.", ["Aqua", "Glycerin"]),
        ("Aqua (Water), Glycerin", ["Aqua (Water)", "Glycerin"]),
        ("Niacinamide 10%, Zinc PCA (1%)", ["Niacinamide", "Zinc PCA"]),
        ("Water; Glycerin\nRetinol • Squalane", ["Water", "Glycerin", "Retinol", "Squalane"]),
        ("1,2-Hexanediol, Toluene-2,5-Diamine", ["1,2-Hexanediol", "Toluene-2,5-Diamine"]),
        ("  aqua ,  GLYCERIN  ,,  ", ["aqua", "GLYCERIN"]),
        ("Aloe Barbadensis Leaf Juice*, Glycerin.", ["Aloe Barbadensis Leaf Juice", "Glycerin"]),
        ("Water, Glycerin, water", ["Water", "Glycerin"]),
        ("Caprylic/Capric Triglyceride", ["Caprylic/Capric Triglyceride"]),
    ],
)
def test_parse_label_fragment_gives_tokens(label: str, expected: list[str]) -> None:
    assert texts(label) == expected


def test_parse_label_alias_in_parentheses_offers_each_name() -> None:
    (token,) = parse_label("Aqua (Water)")
    assert token.candidates == ("Aqua (Water)", "Aqua", "Water")


def test_parse_label_slash_aliases_offer_each_part_after_the_whole() -> None:
    (token,) = parse_label("Aqua/Water/Eau")
    assert token.candidates[0] == "Aqua/Water/Eau"
    assert set(token.candidates[1:]) == {"Aqua", "Water", "Eau"}


def test_parse_label_may_contain_section_is_conditional() -> None:
    tokens = parse_label("Talc, Mica. May contain: CI 77891, CI 77491")
    assert [(t.text, t.conditional) for t in tokens] == [
        ("Talc", False),
        ("Mica", False),
        ("CI 77891", True),
        ("CI 77491", True),
    ]


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
    ],
)
def test_normalize_name_ignores_case_accents_and_spacing(written: str, normal: str) -> None:
    assert normalize_name(written) == normal
