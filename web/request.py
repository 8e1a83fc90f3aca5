"""The request class every surface reads: uploads kept in memory, chunked bodies capped.

- An upload (a label photo, a shelf's CSV) stays in memory: Werkzeug would spool any file
  over 500 KB to a temporary file, and the photo is never to be written anywhere. The route's
  max_content_length (the photo limit) bounds it.
- A chunked body (no Content-Length) longer than the limit is refused with 413: Werkzeug's
  get_data stops reading at the limit without saying so, and the cut JSON read as a 400.
"""

from __future__ import annotations

import io
from typing import IO, Any

from flask import Request
from werkzeug.exceptions import RequestEntityTooLarge


class AftercareRequest(Request):
    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        return io.BytesIO()

    def get_data(
        self, cache: bool = True, as_text: bool = False, parse_form_data: bool = False
    ) -> Any:
        data: bytes = super().get_data(cache=cache, as_text=False, parse_form_data=parse_form_data)
        limit = self.max_content_length
        if limit is not None and self.content_length is None and len(data) >= limit:
            raise RequestEntityTooLarge()  # streamed up to the limit: there was more
        return data.decode(errors="replace") if as_text else data
