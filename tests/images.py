"""Label photos the tests and `make ocr` draw themselves, so OCR is measured on known text:
a typed label rendered, then blurred, tilted, put in perspective, lit unevenly, wrapped round a
bottle and saved as JPEG, as phones take them."""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFilter, ImageFont

Pixels = NDArray[Any]
LABEL_LINES = (
    "Ingredients: Aqua, Glycerin, Niacinamide,",
    "Retinol, Sodium Hyaluronate, Phenoxy-",
    "ethanol, Tocopherol.",
)
FONTS = Path("/usr/share/fonts/truetype/liberation")
PAPER = (244, 241, 232)
INK = (20, 20, 24)
TABLE = (92, 84, 76)  # what shows round a tilted label


@dataclass(frozen=True, slots=True)
class Quality:
    name: str
    blur: float  # Gaussian sigma, px
    tilt: float  # degrees
    perspective: float  # share of the height the far side shrinks at each end
    light: float  # how dark the darkest corner gets, 0 = even
    cylinder: float  # share of a half turn the label wraps round a bottle, 0 = flat
    jpeg: int
    scale: float = 1.0  # the label's size in the photo: below 1, smaller print


QUALITIES = (
    Quality("clean", 0.0, 0.0, 0.0, 0.0, 0.0, 95),
    Quality("σ1.0 2° jpeg70", 1.0, 2.0, 0.0, 0.0, 0.0, 70),
    Quality("hand-held", 1.6, 4.0, 0.06, 0.45, 0.0, 60),
    Quality("bottle", 1.2, 2.0, 0.0, 0.3, 0.7, 70),
    Quality("small print", 1.0, 2.0, 0.0, 0.3, 0.0, 70, scale=0.55),
)


def render(text: str, width: int = 1500, size: int = 30, seed: int = 0) -> Image.Image:
    """The label as printed: 'Ingredients:' and the list, wrapped, in a label face."""
    names = ["LiberationSans-Regular.ttf", "LiberationSansNarrow-Regular.ttf"]
    path = FONTS / random.Random(seed).choice(names)
    font = ImageFont.truetype(str(path), size) if path.exists() else ImageFont.load_default(size)
    lines = wrap(text, font, width - 80)
    line_height = round(size * 1.3)
    image = Image.new("RGB", (width, 80 + line_height * len(lines)), PAPER)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((40, 40 + line_height * number), line, fill=INK, font=font)
    return image


def wrap(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}" if line else word
            if font.getlength(trial) <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        if line:
            lines.append(line)
    return lines


def photograph(label: Image.Image, quality: Quality, seed: int) -> bytes:
    """The label as a phone sees it at this quality, as JPEG bytes."""
    chance = random.Random(seed)
    if quality.scale != 1.0:
        size = (round(label.width * quality.scale), round(label.height * quality.scale))
        label = label.resize(size, Image.Resampling.LANCZOS)
    image = np.asarray(label).astype(np.float32)
    steps: list[Callable[[Pixels], Pixels]] = []
    if quality.cylinder:
        steps.append(lambda pixels: wrap_round_bottle(pixels, quality.cylinder))
    if quality.perspective or quality.tilt:
        sign = chance.choice((-1, 1))
        steps.append(lambda pixels: tilt(pixels, sign * quality.tilt, quality.perspective, chance))
    if quality.light:
        steps.append(lambda pixels: light_unevenly(pixels, quality.light, chance))
    for step in steps:
        image = step(image)
    photo = Image.fromarray(np.clip(image, 0, 255).astype(np.uint8))
    if quality.blur:
        photo = photo.filter(ImageFilter.GaussianBlur(quality.blur))
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=quality.jpeg)
    return buffer.getvalue()


def tilt(pixels: Pixels, degrees: float, perspective: float, chance: random.Random) -> Pixels:
    """Turned by some degrees, one side nearer the camera, on a table."""
    height, width = pixels.shape[:2]
    margin = round(0.06 * max(width, height))
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    shift = perspective * height  # the far side this much shorter at each end
    moved = corners + np.float32(margin)
    if shift:
        side = chance.choice((0, 1))  # the left or the right side further away
        far = [0, 3] if side == 0 else [1, 2]
        moved[far[0]] += (0, shift)
        moved[far[1]] -= (0, shift)
        moved[far[0]][0] += shift / 2
        moved[far[1]][0] += shift / 2 if side == 0 else -shift / 2
    centre = (width / 2 + margin, height / 2 + margin)
    turn = cv2.getRotationMatrix2D(centre, degrees, 1.0)
    moved = cv2.transform(moved[None], turn)[0]
    size = (width + 2 * margin, height + 2 * margin)
    matrix = cv2.getPerspectiveTransform(corners, moved.astype(np.float32))
    turned: Pixels = cv2.warpPerspective(pixels, matrix, size, borderValue=TABLE)
    return turned


def light_unevenly(pixels: Pixels, darkest: float, chance: random.Random) -> Pixels:
    """Light from one side: the brightness falls off across the label in some direction."""
    height, width = pixels.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = chance.uniform(0, 2 * math.pi)
    along = (xs / width - 0.5) * math.cos(angle) + (ys / height - 0.5) * math.sin(angle)
    gain = 1.0 - darkest * (along - along.min()) / max(1e-6, float(np.ptp(along)))
    lit: Pixels = pixels * gain[..., None]
    return lit


def wrap_round_bottle(pixels: Pixels, share: float) -> Pixels:
    """Seen from the front, a label round a bottle: squeezed and darker towards its edges,
    its lines bowed as seen from slightly above."""
    height, width = pixels.shape[:2]
    half_angle = share * math.pi / 2
    radius = (width / 2) / half_angle
    seen = round(2 * radius * math.sin(half_angle))
    us, vs = np.meshgrid(np.arange(seen, dtype=np.float32), np.arange(height, dtype=np.float32))
    sine = np.clip((us - seen / 2) / radius, -1.0, 1.0)
    angle = np.arcsin(sine)
    map_x = (width / 2 + radius * angle).astype(np.float32)
    map_y = (vs - 0.04 * height * (1 - np.cos(angle)) / (1 - math.cos(half_angle))).astype(
        np.float32
    )
    warped: Pixels = cv2.remap(pixels, map_x, map_y, cv2.INTER_LINEAR, borderValue=TABLE)
    shade = (0.55 + 0.45 * np.cos(angle)).astype(np.float32)
    shaded: Pixels = warped * shade[..., None]
    return shaded


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
