"""Reading a label photo: tesseract on images the tests draw, and the limits around it."""

from __future__ import annotations

from typing import Any

import pytest

from graph.errors import CheckerError, ImageTooLarge, ImageUnreadable, InvalidInput
from graph.ocr import read_label_photo, tidy_ocr_text
from tests.images import draw_label

pytestmark = pytest.mark.ocr

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
    text = read_label_photo(draw_label(image_format="JPEG"), **LIMITS)
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
