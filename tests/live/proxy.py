"""A proxy on 127.0.0.1 in front of the moto server that answers chosen calls with an HTML page,
as a corporate proxy or a load balancer does when AWS is out of its reach."""

from __future__ import annotations

import http.server
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

# Cloudflare-style: starting with a doctype, botocore does not recognize it as a generic
# 5xx page and parses it as XML (ResponseParserError for IAM, STS, EC2).
BAD_GATEWAY = (
    b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title>\n"
    b"<meta charset=utf-8></head><body><h1>502 Bad Gateway</h1><br></body></html>\n"
)


@contextmanager
def html_proxy(upstream: str, broken: tuple[bytes, ...], status: int = 502) -> Iterator[str]:
    """Forward to `upstream`, except requests whose body, path or X-Amz-Target contains one of
    `broken`: answered with an HTML page and `status`."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen = body + self.path.encode() + self.headers.get("X-Amz-Target", "").encode()
            if any(marker in seen for marker in broken):
                self._answer(status, {"Content-Type": "text/html"}, BAD_GATEWAY)
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
            request = urllib.request.Request(
                upstream + self.path, data=body or None, headers=headers, method=self.command
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    self._answer(answer.status, dict(answer.headers.items()), answer.read())
            except urllib.error.HTTPError as err:
                self._answer(err.code, dict(err.headers.items()), err.read())

        def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for key, value in headers.items():
                if key.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
