"""A label photo made ready for OCR with OpenCV: the label found and squared, its light
evened out, its lines turned level (docs/decisions/025-label-photos.md measures each step)."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph.errors import ImageTooLarge, ImageUnreadable

if TYPE_CHECKING:  # numpy and OpenCV load only when a photo comes: start-up skips them
    from numpy.typing import NDArray

    Grey = NDArray[Any]  # 8-bit grey, rows by columns

FIELD = "photo"  # the form field and JSON key a photo comes in, named by every refusal
WORKING_SIDE = 2400  # px: a bigger photo is shrunk first; label print needs no more
SKEW_RANGE = 10  # degrees either way the lines are searched for
SMALL_PRINT = 12  # px: letters lower than this in the photo ask for a closer one
BLURRED = 60.0  # variance of the Laplacian below which a photo counts as blurred
DARK = 90  # mean brightness (0-255) of the label below which it asks for more light


@dataclass(frozen=True, slots=True)
class Prepared:
    image: Grey  # squared, flattened, level; black print on white
    letter_height: float | None  # in the photo as sent, px; None: no print found
    sharpness: float  # variance of the Laplacian of the photo as sent
    brightness: float  # mean of the label's grey, 0-255


def open_photo(data: bytes, max_pixels: int) -> Grey:
    """The photo upright and grey; its pixels are counted before they are decoded."""
    import numpy as np
    from PIL import Image, ImageOps, UnidentifiedImageError

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
            upright = ImageOps.exif_transpose(image) or image
            grey = np.asarray(upright.convert("L"))
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
            raise ImageTooLarge("The photo has too many pixels.", FIELD) from error
        except (UnidentifiedImageError, OSError, ValueError) as error:
            raise ImageUnreadable(
                "That file is not a photo we can read; send a JPEG, PNG or WebP image.", FIELD
            ) from error
    return grey


def prepare(grey: Grey) -> Prepared:
    import cv2

    working = _resize(grey, min(1.0, WORKING_SIDE / max(grey.shape)))
    shrunk, grey = working.shape[0] / grey.shape[0], working
    sharpness = float(cv2.Laplacian(grey, cv2.CV_64F).var())
    corners = find_label(grey)
    if corners is not None:
        grey = square_up(grey, corners)
    brightness = float(grey.mean())
    flat = flatten_light(grey)
    angle = skew_angle(flat)
    if abs(angle) >= 0.2:
        flat = rotate(flat, angle)
    # Scaling the letters to one height (22, 28 or 36 px) read no better and slower: not done.
    height = letter_height(flat)
    in_photo = height / shrunk if height is not None else None
    return Prepared(flat, in_photo, sharpness, brightness)


def encode_png(grey: Grey) -> bytes:
    import cv2

    _, png = cv2.imencode(".png", grey)
    return bytes(png)


def find_label(grey: Grey) -> NDArray[Any] | None:
    """The four corners of a bright label on a darker surround, or None."""
    import cv2
    import numpy as np

    scale = 800 / max(grey.shape)
    small = cv2.GaussianBlur(_resize(grey, scale), (0, 0), 3)
    _, mask = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    # A label filling the whole photo, or a speck of it, is not worth squaring.
    if not 0.2 * small.size < cv2.contourArea(outline) < 0.97 * small.size:
        return None
    corners = cv2.approxPolyDP(outline, 0.02 * cv2.arcLength(outline, True), True)
    if len(corners) != 4:
        return None
    found: NDArray[Any] = (corners.reshape(4, 2) / scale).astype(np.float32)
    return found


def square_up(grey: Grey, corners: NDArray[Any]) -> Grey:
    """The label seen straight on: its four corners pulled to a rectangle."""
    import cv2
    import numpy as np

    sums, differences = corners.sum(axis=1), np.diff(corners, axis=1).ravel()
    top_left, bottom_right = corners[np.argmin(sums)], corners[np.argmax(sums)]
    top_right, bottom_left = corners[np.argmin(differences)], corners[np.argmax(differences)]
    source = np.array([top_left, top_right, bottom_right, bottom_left], dtype=np.float32)
    width = int(
        max(np.linalg.norm(top_right - top_left), np.linalg.norm(bottom_right - bottom_left))
    )
    height = int(
        max(np.linalg.norm(bottom_left - top_left), np.linalg.norm(bottom_right - top_right))
    )
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    return cv2.warpPerspective(
        grey, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )


def flatten_light(grey: Grey) -> Grey:
    """Uneven light divided out: the paper's own brightness, estimated without the print."""
    import cv2

    scale = min(1.0, 600 / max(grey.shape))
    small = _resize(grey, scale)
    size = max(5, min(small.shape) // 20) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    paper = cv2.GaussianBlur(cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel), (0, 0), size / 4)
    paper = cv2.resize(paper, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(grey, paper, scale=255)


def skew_angle(grey: Grey) -> float:
    """Degrees the lines are turned: the turn whose row profile is sharpest, coarse then fine."""
    import cv2
    import numpy as np

    small = _resize(grey, min(1.0, 1000 / max(grey.shape)))
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    centre = (ink.shape[1] / 2, ink.shape[0] / 2)

    def sharpness(angle: float) -> float:
        turn = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rows = cv2.warpAffine(ink, turn, (ink.shape[1], ink.shape[0])).sum(1, dtype=np.float64)
        return float(np.sum(np.diff(rows) ** 2))

    coarse = max(np.arange(-SKEW_RANGE, SKEW_RANGE + 0.01, 0.5), key=sharpness)
    return float(max(np.arange(coarse - 0.4, coarse + 0.41, 0.1), key=sharpness))


def rotate(grey: Grey, angle: float) -> Grey:
    import cv2

    height, width = grey.shape
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    cos, sin = abs(turn[0, 0]), abs(turn[0, 1])
    size = (int(height * sin + width * cos), int(height * cos + width * sin))
    turn[0, 2] += size[0] / 2 - width / 2
    turn[1, 2] += size[1] / 2 - height / 2
    return cv2.warpAffine(grey, turn, size, flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def letter_height(grey: Grey) -> float | None:
    """The median height of the print's letters, px; None when there are too few to tell."""
    import cv2
    import numpy as np

    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights, widths = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    letters = heights[(heights > 4) & (heights < grey.shape[0] / 3) & (widths < 3 * heights)]
    return float(np.median(letters)) if len(letters) > 10 else None


def _resize(grey: Grey, scale: float) -> Grey:
    import cv2

    if 0.8 < scale < 1.25:  # too small a change to pay for
        return grey
    size = (max(1, round(grey.shape[1] * scale)), max(1, round(grey.shape[0] * scale)))
    interpolation = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
    return cv2.resize(grey, size, interpolation=interpolation)
