"""Label photos the tests draw themselves, so OCR is tested on known text."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

LABEL_LINES = (
    "Ingredients: Aqua, Glycerin, Niacinamide,",
    "Retinol, Sodium Hyaluronate, Phenoxy-",
    "ethanol, Tocopherol.",
)


def draw_label(lines: tuple[str, ...] = LABEL_LINES, image_format: str = "PNG") -> bytes:
    """Black label text in a large font on white, like a close photo of the back of a tube."""
    font = ImageFont.load_default(size=40)  # Pillow's own font: no system font needed
    image = Image.new("RGB", (1400, 80 + 70 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((40, 40 + 70 * number), line, fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, image_format)
    return buffer.getvalue()
