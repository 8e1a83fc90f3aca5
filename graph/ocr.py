"""Read the ingredient list in a label photo: prepared with OpenCV (graph/photo.py), read by
tesseract (graph/tesseract.py) in more than one way when the first reading leaves names
unknown, the reading whose names are most recognised kept. The photo stays in memory: it
reaches tesseract through a pipe, and uploads are never written (web/request.py)."""

from __future__ import annotations

import re
import subprocess
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from graph.errors import CheckerError, ImageTooLarge, InvalidInput, InvalidValue
from graph.labels import parse_label
from graph.match import match_tokens
from graph.photo import (
    BLURRED,
    DARK,
    FIELD,
    SMALL_PRINT,
    Prepared,
    encode_png,
    open_photo,
    prepare,
)
from graph.tesseract import OcrText, run_tesseract

if TYPE_CHECKING:
    from graph.index import Knowledge

# tesseract's page segmentation: 3 (automatic) first, 6 (one block of text) when names stay
# unknown; 4 read no better and took twice as long (docs/decisions/025-label-photos.md).
MODES = (3, 6)
# rapidfuzz ratio to 'ingredients': 'ngedients' 90, 'Ingred-eets' 82, 'byedents' 63;
# 'Directions' 57, 'Indications' 55
HEADING_LIKENESS = 60
# Look-alikes in sans-serif print, where l, I, | and ! differ by a pixel: a bar or a bang
# after a small letter is an l ('Cety|', 'lsopropy!'); l or a bar starting a word before a
# consonant is an I ('lsomer'); a capital I after a small letter is an l ('AlcohoI').
_LOOK_ALIKES = (
    (re.compile(r"(?<=[a-z])[|!]"), "l"),
    (re.compile(r"(?<![\w|!])[l|](?=[bcdfghjkmnpqrstvwxz])"), "I"),
    (re.compile(r"(?<=[a-z])I"), "l"),
    (re.compile(r"(?<=[A-Z]{2})[?!](?=\s)"), "/"),  # a slash in capitals: 'AQUA? WATER'
    # A bullet between names read as a letter or a sign: 'BUTTER e GLYCERIN', 'OIL @ SILICA'.
    (re.compile(r"(?<=[\w)])\s+(?:[@¢«»•·]|e(?=\s+[A-Z(]))\s+"), ", "),
)
_HEADING = re.compile(r"[\W_]*(?P<word>[\w-]{5,14})\s*[:.]")
FEW_WORDS = 4  # a reading with fewer words than this read little: the page gives advice
ADVICE = {
    "closer": "Come closer: let the ingredient list fill the photo's width.",
    "steady": "Hold the phone steady and tap the label to focus before taking the photo.",
    "light": "Use more light: face a window or a lamp, without glare on the label.",
    "flatter": "Hold the phone straight over the label, not at an angle; on a bottle, "
    "photograph the part facing you.",
}


@dataclass(frozen=True, slots=True)
class Reading:
    text: str  # the ingredient list as read, wrapped lines joined
    unsure: tuple[str, ...]  # words the OCR was unsure of, for the person to check
    advice: tuple[str, ...]  # how to take a better photo; empty when the photo read well


def read_label_photo(
    data: bytes,
    max_bytes: int,
    max_pixels: int,
    timeout_seconds: float,
    knowledge: Knowledge | None = None,
) -> Reading:
    """The label's text; with the knowledge, the reading whose names are most recognised."""
    if not data:
        raise InvalidInput("Choose a photo of the label first.", FIELD)
    if len(data) > max_bytes:
        raise ImageTooLarge(_too_large(max_bytes), FIELD)
    deadline = time.monotonic() + timeout_seconds
    prepared = prepare(open_photo(data, max_pixels))
    png = encode_png(prepared.image)
    readings: list[tuple[tuple[int, int], OcrText]] = []
    for mode in MODES:
        try:
            ocr = run_tesseract(png, mode, max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:  # run() has killed it
            break
        score = _recognised(knowledge, mend_reading(ocr.text)) if knowledge else (0, 0)
        readings.append((score, ocr))
        if knowledge is None or score[1] == 0:  # every name known: no other reading is needed
            break
    if not readings:
        raise InvalidValue(
            "Reading the photo took too long; try a closer photo of just the ingredients.", FIELD
        )
    best = max(readings, key=lambda reading: reading[0][0] - reading[0][1])[1]
    text = mend_reading(best.text)
    advice = _advice(prepared) if best.words < FEW_WORDS else ()
    if not text:
        raise InvalidValue(
            " ".join(("We could not read any text in the photo.", *_advice(prepared)))
            + " Or type the label.",
            FIELD,
        )
    # The unsure words as the text box shows them: 'Cetyl', not tesseract's 'Cety|'.
    unsure = tuple(dict.fromkeys(_mend_look_alikes(word) for word in best.unsure))
    return Reading(text, unsure, advice)


def _recognised(knowledge: Knowledge, text: str) -> tuple[int, int]:
    """How many of the reading's names are known, and how many are not."""
    try:
        matches = match_tokens(knowledge, parse_label(text))
    except CheckerError:  # no list at all in this reading
        return (0, 1)
    known = sum(found.ingredient is not None for found in matches)
    return (known, len(matches) - known)


def _advice(prepared: Prepared) -> tuple[str, ...]:
    """What would help, from what the photo shows; all of it when nothing stands out."""
    wanted = [
        key
        for key, applies in (
            ("closer", prepared.letter_height is None or prepared.letter_height < SMALL_PRINT),
            ("steady", prepared.sharpness < BLURRED),
            ("light", prepared.brightness < DARK),
        )
        if applies
    ]
    return tuple(ADVICE[key] for key in wanted or ADVICE)


def _too_large(max_bytes: int) -> str:
    return f"The photo is larger than {max_bytes / 1024 / 1024:.0f} MB; send a smaller one."


def mend_reading(text: str) -> str:
    """tesseract's lines as one list, its look-alike letters and heading mended."""
    return mend_heading(_mend_look_alikes(tidy_ocr_text(text)))


def _mend_look_alikes(text: str) -> str:
    for look_alike, letter in _LOOK_ALIKES:
        text = look_alike.sub(letter, text)
    return text


def mend_heading(text: str) -> str:
    """'Ingredients:' as printed, where the photo's edge or a curve cost it letters ('ngedients:',
    'Ingred-eets:'): the parser knows a list by its heading."""
    heading = _HEADING.match(text)
    if heading and fuzz.ratio(heading["word"].casefold(), "ingredients") >= HEADING_LIKENESS:
        return "Ingredients:" + text[heading.end() :]
    return text


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
