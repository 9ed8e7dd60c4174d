"""A built site served on a free local port, for the checks that need a browser."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        """Silent: the checks print their own summary, not one line per request."""


@contextlib.contextmanager
def serving(site: Path, handler_class: type[Quiet] = Quiet) -> Iterator[str]:
    """Serve `site` while the block runs; yields its address, like 'http://127.0.0.1:41234'.
    `handler_class` may serve differently (`benchmarks/lighthouse.py` compresses, as hosts do)."""
    handler = functools.partial(handler_class, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
