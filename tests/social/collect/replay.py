"""A real HTTP server on the loopback interface that replays recorded answers.

Tests queue answers per method and path (optionally only for requests whose query
parameters include given values); the server answers each request with the first
matching queued answer and records every request it got (method, path, query, headers,
body). An answer file under payloads/ is either a response body (served with 200) or,
named ``*.http.json``, a whole exchange: ``{"status": 429, "headers": {...},
"body": {...}}``, or ``{"drop": true}`` to close the connection without answering.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

PAYLOADS = Path(__file__).parent / "payloads"


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    drop: bool = False
    # Query parameters a request must carry to get this answer; None: must not carry it.
    match: dict[str, str | None] = field(default_factory=dict)


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def json(self) -> Any:
        return json.loads(self.body)


def answer_from(relative: str, **overrides: Any) -> Answer:
    """The recorded answer in payloads/<relative>, with fields overridden."""
    path = PAYLOADS / relative
    if path.name.endswith(".http.json"):
        exchange = json.loads(path.read_bytes())
        body = exchange.get("body", b"")
        answer = Answer(
            status=int(exchange.get("status", 200)),
            headers={str(k): str(v) for k, v in exchange.get("headers", {}).items()},
            body=body if isinstance(body, bytes) else json.dumps(body).encode(),
            drop=bool(exchange.get("drop", False)),
        )
    else:
        answer = Answer(body=path.read_bytes())
    for key, value in overrides.items():
        setattr(answer, key, value)
    return answer


class _QuietServer(HTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # A dropped connection makes the handler fail on a closed socket: that is the point.
        return


class ReplayServer:
    def __init__(self) -> None:
        self.queued: dict[tuple[str, str], list[Answer]] = {}
        self.requests: list[Seen] = []
        self.unexpected: list[Seen] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, format: str, *args: Any) -> None:  # silence stderr
                return

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query, keep_blank_values=True),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                answer = server._take(seen)
                if answer is None:
                    answer = Answer(status=404, body=b'{"detail": "no recorded answer"}')
                if answer.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                self.send_response(answer.status)
                headers = {"Content-Type": "application/json", **answer.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            do_GET = _handle
            do_POST = _handle

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def queue(self, method: str, path: str, *answers: Answer | str, **match: str | None) -> None:
        """Queue answers (Answer objects or payload file names) for one method and path."""
        made = [answer_from(a) if isinstance(a, str) else a for a in answers]
        for answer in made:
            answer.match = dict(match)
        with self.lock:
            self.queued.setdefault((method, path), []).extend(made)

    def _take(self, seen: Seen) -> Answer | None:
        with self.lock:
            self.requests.append(seen)
            waiting = self.queued.get((seen.method, seen.path), [])
            for index, answer in enumerate(waiting):
                if all(seen.param(k) == v for k, v in answer.match.items()):
                    return waiting.pop(index)
            self.unexpected.append(seen)
            return None

    def left(self) -> int:
        """Queued answers nobody asked for."""
        with self.lock:
            return sum(len(answers) for answers in self.queued.values())

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
