"""Read the text of a photographed label with tesseract; the image is never written anywhere
(it reaches tesseract through a pipe, and uploads stay in memory: web/request.py)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import warnings
from typing import TYPE_CHECKING

from graph.errors import (
    ImageTooLarge,
    ImageUnreadable,
    InvalidInput,
    InvalidValue,
    OcrUnavailable,
)

if TYPE_CHECKING:  # Pillow loads only when a photo comes: start-up skips it
    from PIL import Image

FIELD = "photo"
LONGEST_SIDE = 2400  # px: enough for label print; bigger photos only make tesseract slower
SHORTEST_SIDE = 900  # px: small crops are enlarged so small print reaches tesseract's x-height


def read_label_photo(data: bytes, max_bytes: int, max_pixels: int, timeout_seconds: float) -> str:
    """The text tesseract reads in the photo, tidied into one ingredient list."""
    if not data:
        raise InvalidInput("Choose a photo of the label first.", FIELD)
    if len(data) > max_bytes:
        raise ImageTooLarge(_too_large(max_bytes), FIELD)
    image = _open(data, max_pixels)
    tidy = tidy_ocr_text(_tesseract(image, timeout_seconds))
    if not tidy:
        raise InvalidValue(
            "We could not read any text in the photo; try a sharper, closer photo "
            "or type the label.",
            FIELD,
        )
    return tidy


def _tesseract(image: Image.Image, timeout_seconds: float) -> str:
    """tesseract's reading of the image, passed through pipes: nothing touches the disk."""
    png = io.BytesIO()
    image.save(png, format="PNG")
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", "eng"],
            input=png.getvalue(),
            capture_output=True,
            timeout=timeout_seconds,
            check=False,
            # One core per photo: a server reads several at once, beside other requests.
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except FileNotFoundError as error:
        raise OcrUnavailable(
            "Reading photos is not available on this server; please type the label.", FIELD
        ) from error
    except subprocess.TimeoutExpired as error:  # run() has killed it
        raise InvalidValue(
            "Reading the photo took too long; try a closer photo of just the ingredients.", FIELD
        ) from error
    if done.returncode != 0:
        raise ImageUnreadable(
            "That photo could not be read; send a JPEG, PNG or WebP image.", FIELD
        )
    return done.stdout.decode("utf-8", errors="replace")


def _too_large(max_bytes: int) -> str:
    return f"The photo is larger than {max_bytes / 1024 / 1024:.0f} MB; send a smaller one."


def _open(data: bytes, max_pixels: int) -> Image.Image:
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        # Pillow warns (then refuses) on decompression bombs; we refuse with our own limit.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > max_pixels:
                raise ImageTooLarge(
                    f"The photo has {image.width} × {image.height} pixels; the limit is "
                    f"{max_pixels / 1e6:.0f} megapixels.",
                    FIELD,
                )
            image.load()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
            raise ImageTooLarge("The photo has too many pixels.", FIELD) from error
        except (UnidentifiedImageError, OSError, ValueError) as error:
            raise ImageUnreadable(
                "That file is not a photo we can read; send a JPEG, PNG or WebP image.", FIELD
            ) from error
    return _prepare(image)


def _prepare(image: Image.Image) -> Image.Image:
    """Upright, grey, and sized for tesseract."""
    from PIL import Image, ImageOps

    upright = ImageOps.exif_transpose(image) or image
    grey = ImageOps.autocontrast(upright.convert("L"))
    longest = max(grey.size)
    if longest > LONGEST_SIDE:
        scale = LONGEST_SIDE / longest
    elif min(grey.size) < SHORTEST_SIDE:
        scale = min(SHORTEST_SIDE / min(grey.size), LONGEST_SIDE / longest)
    else:
        return grey
    size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
    return grey.resize(size, Image.Resampling.LANCZOS)


def tidy_ocr_text(text: str) -> str:
    """Join the label's wrapped lines: a list wraps anywhere, commas separate ingredients."""
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n")]
    joined = ""
    for line in lines:
        if not line:
            continue
        if joined.endswith("-") and line[:1].islower():
            joined = joined[:-1] + line  # a word hyphenated at the line end: Hyalu-ronate
        elif joined.endswith("-"):
            joined += line  # a hyphenated name broken after its hyphen: PEG-40, Ceteareth-20
        else:
            joined = f"{joined} {line}" if joined else line
    joined = re.sub(r"\s+([,.;:)])", r"\1", joined)
    return re.sub(r"\s{2,}", " ", joined).strip()
