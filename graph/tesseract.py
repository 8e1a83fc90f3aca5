"""tesseract, run on an image through pipes (nothing touches the disk), its words with how
sure it was of each."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass

from graph.errors import ImageUnreadable, OcrUnavailable
from graph.photo import FIELD

UNSURE_BELOW = 70  # tesseract's confidence (0-100) under which a word is shown as unsure


@dataclass(frozen=True, slots=True)
class OcrText:
    text: str  # the lines as read, one a line
    unsure: tuple[str, ...]  # words read with low confidence, in reading order
    words: int


def run_tesseract(png: bytes, mode: int, timeout_seconds: float) -> OcrText:
    """tesseract's reading of a PNG in a page segmentation mode; TimeoutExpired past the time."""
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", "eng", "--psm", str(mode), "tsv"],
            input=png,
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
    if done.returncode != 0:
        raise ImageUnreadable(
            "That photo could not be read; send a JPEG, PNG or WebP image.", FIELD
        )
    return parse_tsv(done.stdout.decode("utf-8", errors="replace"))


def parse_tsv(tsv: str) -> OcrText:
    """Words grouped back into tesseract's lines."""
    lines: dict[tuple[str, str, str], list[str]] = {}
    unsure: list[str] = []
    words = 0
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        # level page block paragraph line word left top width height confidence text
        if len(cells) != 12 or cells[0] != "5" or not cells[11].strip():
            continue
        words += 1
        lines.setdefault((cells[2], cells[3], cells[4]), []).append(cells[11])
        if float(cells[10]) < UNSURE_BELOW and any(c.isalpha() for c in cells[11]):
            unsure.append(cells[11].strip(",.;:()"))
    text = "\n".join(" ".join(line) for line in lines.values())
    return OcrText(text, tuple(dict.fromkeys(unsure)), words)
