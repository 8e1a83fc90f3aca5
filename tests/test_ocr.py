"""Reading a label photo: tesseract on images the tests draw, the limits around it, the page."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from PIL import Image

from graph.engine import check_product
from graph.errors import CheckerError, ImageTooLarge, ImageUnreadable, InvalidInput
from graph.index import Knowledge
from graph.ocr import mend_heading, mend_reading, read_label_photo, tidy_ocr_text
from graph.tesseract import OcrText, parse_tsv
from graph.verdicts import Verdict
from tests.images import QUALITIES, draw_label, photograph, render

pytestmark = pytest.mark.ocr
QUALITY = {quality.name: quality for quality in QUALITIES}

LIMITS: dict[str, Any] = {
    "max_bytes": 8 * 1024 * 1024,
    "max_pixels": 50_000_000,
    "timeout_seconds": 20.0,
}


@pytest.mark.parametrize(
    ("text", "tidy"),
    [
        ("Aqua, Glycerin,\nRetinol", "Aqua, Glycerin, Retinol"),
        ("Sodium\nHyaluronate, Aqua", "Sodium Hyaluronate, Aqua"),
        ("Phenoxy-\nethanol", "Phenoxyethanol"),
        ("PEG-\n40 Hydrogenated Castor Oil", "PEG-40 Hydrogenated Castor Oil"),
        ("\n\n  Aqua ,  Glycerin \n\n", "Aqua, Glycerin"),
        ("", ""),
    ],
)
def test_tidy_ocr_text_joins_wrapped_lines(text: str, tidy: str) -> None:
    assert tidy_ocr_text(text) == tidy


def test_read_label_photo_reads_a_drawn_label() -> None:
    text = read_label_photo(draw_label(image_format="JPEG"), **LIMITS).text
    for name in ("Aqua", "Glycerin", "Niacinamide", "Retinol", "Sodium Hyaluronate"):
        assert name in text
    assert "Phenoxyethanol" in text


@pytest.mark.parametrize(
    ("data", "limits", "error"),
    [
        (b"", {}, InvalidInput),
        (b"GIF89a but not really", {}, ImageUnreadable),
        (None, {"max_bytes": 100}, ImageTooLarge),
        (None, {"max_pixels": 1000}, ImageTooLarge),
    ],
)
def test_read_label_photo_refuses_what_it_cannot_read(
    data: bytes | None, limits: dict[str, int], error: type[CheckerError]
) -> None:
    with pytest.raises(error) as raised:
        read_label_photo(draw_label() if data is None else data, **{**LIMITS, **limits})
    assert raised.value.field == "photo"


# --- photos as phones take them (make ocr measures many; these few keep the pipeline honest)

LABEL = (
    "Ingredients: Aqua, Glycerin, Niacinamide, Retinol, Sodium Hyaluronate, Panthenol, "
    "Butylene Glycol, Allantoin, Phenoxyethanol, Tocopherol."
)


@pytest.mark.parametrize("quality", ["hand-held", "bottle"])
def test_read_label_photo_reads_a_photo_as_phones_take_it(
    knowledge: Knowledge, quality: str
) -> None:
    photo = photograph(render(LABEL, width=900), QUALITY[quality], seed=1)
    text = read_label_photo(photo, **LIMITS, knowledge=knowledge).text
    typed, read = (check_product(knowledge, "microneedling", 2, label) for label in (LABEL, text))
    assert ingredients(read) == ingredients(typed)  # misread letters repaired by the matcher
    assert (read.level, read.ok_from_day) == (typed.level, typed.ok_from_day)


def ingredients(verdict: Verdict) -> list[str]:
    return [
        result.match.ingredient.label for result in verdict.ingredients if result.match.ingredient
    ]


@pytest.mark.parametrize(
    ("text", "mended"),
    [
        ("ngedients: Aqua, Glycerin", "Ingredients: Aqua, Glycerin"),
        ("—_ Ingred-eets: Aqua", "Ingredients: Aqua"),
        ("Directions: apply twice a day", "Directions: apply twice a day"),
        ("\\ngredients. White Soft Paraffin", "Ingredients: White Soft Paraffin"),
        ("byedents: Aqua", "Ingredients: Aqua"),
        ("Indications: dry skin", "Indications: dry skin"),
        ("Aqua: Water, Glycerin", "Aqua: Water, Glycerin"),
    ],
)
def test_mend_heading_restores_a_misread_ingredients_heading(text: str, mended: str) -> None:
    assert mend_heading(text) == mended


@pytest.mark.parametrize(
    ("text", "mended"),
    [
        ("Aqua, lsopropy! Palmitate, Cety|\nAlcohol", "Aqua, Isopropyl Palmitate, Cetyl Alcohol"),
        ("Trans-lsomer, |ron Oxides, Benzyl AlcohoI", "Trans-Isomer, Iron Oxides, Benzyl Alcohol"),
        ("aqua, lactic acid, CI 77891, PEG-40", "aqua, lactic acid, CI 77891, PEG-40"),
        ("AQUA e SHEA BUTTER @ GLYCERIN ¢ (OAT) FLOUR", "AQUA, SHEA BUTTER, GLYCERIN, (OAT) FLOUR"),
        ("Vitamin E, Aqua", "Vitamin E, Aqua"),
        ("AQUA? WATER, GLYCERIN", "AQUA/ WATER, GLYCERIN"),
    ],
)
def test_mend_reading_repairs_letters_that_look_alike(text: str, mended: str) -> None:
    assert mend_reading(text) == mended


def test_parse_tsv_keeps_lines_and_names_the_unsure_words() -> None:
    rows = [
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
        "5\t1\t1\t1\t1\t1\t0\t0\t9\t9\t96.0\tAqua,",
        "5\t1\t1\t1\t1\t2\t0\t0\t9\t9\t41.5\tGlycenn,",
        "5\t1\t1\t1\t2\t1\t0\t0\t9\t9\t95.1\tRetinol",
        "5\t1\t1\t1\t2\t2\t0\t0\t9\t9\t30.0\t|",  # not a word: never shown as unsure
        "4\t1\t1\t1\t3\t0\t0\t0\t9\t9\t-1\t",
    ]
    read = parse_tsv("\n".join(rows))
    assert read == OcrText("Aqua, Glycenn,\nRetinol |", ("Glycenn",), 4)


def test_label_photo_page_opens_the_camera(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'<input type="file" id="photo"[^>]*capture="environment"', html)


def test_label_photo_without_text_says_how_to_take_a_better_one(client: FlaskClient) -> None:
    blank = io.BytesIO()
    Image.new("RGB", (800, 600), (70, 70, 70)).save(blank, "JPEG")
    response = client.post("/label-photo", data=photo_form(blank.getvalue()))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "We could not read any text in the photo" in html
    assert "Come closer" in html and "more light" in html


def test_label_photo_that_reads_little_gives_advice_with_the_text(client: FlaskClient) -> None:
    response = client.post("/label-photo", data=photo_form(draw_label(("Glycerin",))))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Glycerin" in html and 'id="photo-advice"' in html
    assert 'class="banner' not in html  # never an answer, let alone "okay", from a photo alone


def photo_form(data: bytes) -> dict[str, Any]:
    return {
        "procedure": "microneedling",
        "when": "day",
        "day": "2",
        "photo": (io.BytesIO(data), "label.jpg"),
    }


def test_importing_the_app_leaves_opencv_and_numpy_unloaded() -> None:
    # graph/photo.py imports them with the first photo: every cold start and worker skips them.
    code = "import sys, app; print(sorted({'cv2', 'numpy'} & set(sys.modules)))"
    root = Path(__file__).resolve().parent.parent
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=root, check=True, capture_output=True, text=True
    )
    assert found.stdout.strip() == "[]"
