"""Every setting with its default: set in create_app({...}) or as AFTERCARE_<NAME>."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph import shelf
from graph.labels import MAX_LABEL_CHARS
from graph.loader import CACHE_DIR
from graph.requests import MAX_BATCH_PRODUCTS

ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, Any] = {
    "KNOWLEDGE_DIR": ROOT / "knowledge",
    "KNOWLEDGE_CACHE_DIR": CACHE_DIR,  # compiled knowledge by content hash; empty: no cache
    "MAX_LABEL_CHARS": MAX_LABEL_CHARS,  # a label longer than this is refused (413)
    "MAX_CONTENT_LENGTH": 256 * 1024,  # bytes of a whole request body
    "INGREDIENT_SEARCH_LIMIT": 50,  # most ingredients one search returns
    "MAX_BATCH_PRODUCTS": MAX_BATCH_PRODUCTS,  # most products one shelf check takes
    "MAX_IMAGE_BYTES": 8 * 1024 * 1024,  # largest label photo accepted (413); never stored
    "MAX_IMAGE_PIXELS": 50_000_000,  # a photo with more pixels is refused (413)
    "OCR_TIMEOUT_SECONDS": 20,  # tesseract gives up on a photo after this long
    "CLASS_MEMBERS_PER_PAGE": 50,  # ingredients a class page lists at once (curated first)
    "SHELF_FORM_ROWS": shelf.FORM_ROWS,  # empty product rows the shelf form offers
    "MAX_SHELF_CSV_BYTES": shelf.MAX_CSV_BYTES,  # largest shelf CSV upload (413)
    "SPARQL_TIME_LIMIT_MS": 10_000,  # a SPARQL query running longer is stopped (503)
    "SPARQL_MAX_ROWS": 10_000,  # rows (or triples) a SPARQL answer keeps; more: truncated
    "SPARQL_MAX_QUERY_CHARS": 10_000,  # a longer SPARQL query is refused (413)
    "SPARQL_STORE_URL": "",  # an external SPARQL 1.1 query endpoint to answer SPARQL through
    "SPARQL_STORE_UPDATE_URL": "",  # its update endpoint; empty: the query URL's .../update
    "SPARQL_STORE_PUBLISH": True,  # on start, publish the knowledge there unless it holds it
}
