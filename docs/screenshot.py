"""Retake docs/screenshot-answer.png: the answer page on a phone, in Debian's chromium.

Run with `make screenshot`. The procedure date is three days ago, so the dates are real.
"""

from __future__ import annotations

import sys
import threading
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402  (the project root is on the path only now)
from tests.test_ui import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402

LABEL = "Aqua, Glycerin, Niacinamide, Retinol, Sodium Hyaluronate, Zorblaxin-9, Phenoxyethanol"


def main() -> None:
    server = make_server("127.0.0.1", 0, create_app(), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    query = urlencode(
        {
            "procedure": "microneedling",
            "when": "date",
            "procedure_date": (date.today() - timedelta(days=3)).isoformat(),
            "ingredients": LABEL,
        }
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=PHONE, device_scale_factor=2)
        page.goto(f"http://127.0.0.1:{server.server_port}/?{query}#answer")
        page.screenshot(path=str(ROOT / "docs" / "screenshot-answer.png"))
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
