"""Every setting with its default and what it does: set in create_app({...}) or as
AFTERCARE_<NAME>. The README's table is this list (tests/test_docs.py compares them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph import shelf
from graph.checks import MAX_BATCH_PRODUCTS
from graph.labels import MAX_LABEL_CHARS
from graph.loader import CACHE_DIR

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str  # what the README's settings table says of it

    @property
    def shown(self) -> str:
        """The default as the README writes it."""
        if isinstance(self.default, Path):
            return f"`{self.default.relative_to(ROOT)}/`"
        if isinstance(self.default, bool):
            return str(self.default).lower()
        return str(self.default) if self.default != "" else "empty"


SETTINGS = (
    Setting(
        "KNOWLEDGE_DIR",
        ROOT / "knowledge",
        "where the Turtle files are",
    ),
    Setting(
        "KNOWLEDGE_CACHE_DIR",
        CACHE_DIR,
        (
            "the compiled knowledge, kept under the hash of the files that made it, so a "
            "restart skips parsing and validation; empty: no cache"
        ),
    ),
    Setting(
        "MAX_LABEL_CHARS",
        MAX_LABEL_CHARS,
        "longest label accepted (real labels with their marketing copy reach ~7,300)",
    ),
    Setting(
        "MAX_CONTENT_LENGTH",
        256 * 1024,
        "largest request body, in bytes",
    ),
    Setting(
        "INGREDIENT_SEARCH_LIMIT",
        50,
        "most ingredients one search returns",
    ),
    Setting(
        "MAX_BATCH_PRODUCTS",
        MAX_BATCH_PRODUCTS,
        "most products one shelf check takes",
    ),
    Setting(
        "MAX_IMAGE_BYTES",
        8 * 1024 * 1024,
        "largest label photo accepted, in bytes (8 MB); bigger is refused with 413",
    ),
    Setting(
        "MAX_IMAGE_PIXELS",
        50_000_000,
        "most pixels a label photo may have (413 beyond); guards against decompression bombs",
    ),
    Setting(
        "OCR_TIMEOUT_SECONDS",
        15,
        (
            "how long reading one photo may take (preparing it and tesseract's readings) "
            "before the page asks for a closer one"
        ),
    ),
    Setting(
        "CLASS_MEMBERS_PER_PAGE",
        50,
        "ingredients a class page lists at once (some classes have thousands from CosIng)",
    ),
    Setting(
        "SHELF_FORM_ROWS",
        shelf.FORM_ROWS,
        'empty product rows the shelf form offers ("More rows" adds as many again)',
    ),
    Setting(
        "MAX_SHELF_CSV_BYTES",
        shelf.MAX_CSV_BYTES,
        "largest shelf CSV upload, in bytes (1 MB); bigger is refused with 413",
    ),
    Setting(
        "REQUEST_DEADLINE_SECONDS",
        20,
        (
            "how long the app may work on one request before it stops and answers 503 (waiting "
            "for the body not counted); below gunicorn's worker timeout, so no worker is killed"
        ),
    ),
    Setting(
        "REQUEST_CONCURRENCY",
        4,
        (
            "requests one process computes at once; others wait their turn (within the "
            "deadline), /healthz and static files never wait"
        ),
    ),
    Setting(
        "REQUEST_HEADER_TIMEOUT_SECONDS",
        10,
        (
            "`make serve`: how long a client may take to send its request line and headers; "
            "then the connection is closed"
        ),
    ),
    Setting(
        "REQUEST_BODY_TIMEOUT_SECONDS",
        20,
        (
            "`make serve`: how long a body may take to arrive, plus a second for every "
            "`REQUEST_BODY_MIN_RATE` bytes received; slower is answered 408"
        ),
    ),
    Setting(
        "REQUEST_BODY_MIN_RATE",
        500,
        "`make serve`: the bytes a second that earn a slow upload more time (see above)",
    ),
    Setting(
        "REQUEST_BODY_IDLE_SECONDS",
        5,
        (
            "`make serve`: a body that stops arriving for this long (shorter than its "
            "Content-Length) is answered 400"
        ),
    ),
    Setting(
        "SPARQL_TIME_LIMIT_MS",
        10_000,
        (
            "how long one SPARQL query may run before its worker process is killed (503); "
            "the slowest ready-made query takes about 0.2 s"
        ),
    ),
    Setting(
        "SPARQL_MEMORY_LIMIT_MB",
        512,
        (
            "how much memory one SPARQL query may take beyond the store its worker process "
            "shares; past it the worker dies and the query answers 503"
        ),
    ),
    Setting(
        "SPARQL_WORKERS",
        2,
        (
            "SPARQL worker processes per web worker, forked when first needed; a query waits "
            "(within its time limit) while all are busy"
        ),
    ),
    Setting(
        "SPARQL_BASE_URL",
        "",
        (
            "the public address the SPARQL service description names, e.g. "
            "`https://aftercare.example`; empty: an address relative to the description"
        ),
    ),
    Setting(
        "SPARQL_MAX_ROWS",
        10_000,
        (
            "most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) a SPARQL answer keeps; more "
            "are cut and the answer says so"
        ),
    ),
    Setting(
        "SPARQL_MAX_QUERY_CHARS",
        10_000,
        "longest SPARQL query accepted (413 beyond)",
    ),
    Setting(
        "SPARQL_STORE_URL",
        "",
        (
            "the query endpoint of an external SPARQL 1.1 store (e.g. Oxigraph's "
            "`http://store:7878/query`) that `/sparql` and `flask sparql` answer through, "
            'shared by every replica; empty: the embedded Oxigraph store (see "Several replicas, '
            'one SPARQL store")'
        ),
    ),
    Setting(
        "SPARQL_STORE_UPDATE_URL",
        "",
        (
            "the store's update endpoint, used only to publish the knowledge; empty: "
            "`SPARQL_STORE_URL` with `/query` replaced by `/update`"
        ),
    ),
    Setting(
        "SPARQL_STORE_PUBLISH",
        True,
        (
            "on start, publish the knowledge to the store unless it already holds this "
            "version; `false` for replicas that only read"
        ),
    ),
)
DEFAULTS: dict[str, Any] = {setting.name: setting.default for setting in SETTINGS}
