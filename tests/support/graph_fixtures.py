"""Microsoft's documented Graph examples (`tests/fixtures/graph/*.http`), and a transport that
answers with them.

Each fixture is the example of one learn.microsoft.com page, copied as the page shows it: a few
`# ` lines naming the page, its source file and the docs commit it was read at, then the HTTP
message (status line or request line, headers, blank line, JSON body). Where a page's JSON was
not valid (a trailing comma) the fixture says what was edited.

`DocumentedGraph` is an `httpx.MockTransport` handler: these tests feed the client the documented
answers themselves, because no real tenant runs here and the documented example is the reference
(the emulator is held to the same fixtures elsewhere, over real HTTP).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "graph"


@dataclass(frozen=True)
class Documented:
    """One documented HTTP message: a response (`status`) or a request (`method`, `url`)."""

    name: str
    page: str
    source: str
    commit: str
    notes: str
    status: int | None
    method: str | None
    url: str | None
    headers: dict[str, str]
    body: Any


def load(name: str) -> Documented:
    """`name` without `.http`, e.g. "synchronizationjob-get"."""
    text = (FIXTURES / f"{name}.http").read_text(encoding="utf-8")
    lines = text.split("\n")
    meta: dict[str, str] = {}
    notes: list[str] = []
    index = 0
    while lines[index].startswith("#"):
        line = lines[index][1:].strip()
        label, _, value = line.partition(": ")
        if label in ("Page", "Source", "Docs commit"):
            meta[label] = value.strip()
        else:
            notes.append(line)
        index += 1
    first = lines[index]
    status = method = url = None
    if first.startswith("HTTP/"):
        status = int(first.split()[1])
    else:
        method, url = first.split(" ", 1)
    index += 1
    headers: dict[str, str] = {}
    while lines[index].strip():
        key, _, value = lines[index].partition(":")
        headers[key.strip().lower()] = value.strip()
        index += 1
    body_text = "\n".join(lines[index + 1 :]).strip()
    return Documented(
        name=name,
        page=meta.get("Page", ""),
        source=meta.get("Source", ""),
        commit=meta.get("Docs commit", ""),
        notes=" ".join(notes),
        status=status,
        method=method,
        url=url,
        headers=headers,
        body=json.loads(body_text) if body_text else None,
    )


def all_names() -> list[str]:
    return sorted(path.stem for path in FIXTURES.glob("*.http"))


Answer = Documented | tuple[int, Any] | Callable[[httpx.Request], httpx.Response]


@dataclass
class DocumentedGraph:
    """Routes `(METHOD, path regex)` to an answer; records every request it saw."""

    routes: list[tuple[str, re.Pattern[str], Answer]] = field(default_factory=list)
    seen: list[httpx.Request] = field(default_factory=list)

    def on(self, method: str, path: str, answer: Answer) -> DocumentedGraph:
        self.routes.append((method, re.compile(path + r"$"), answer))
        return self

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        path = request.url.path.removeprefix("/v1.0")
        for method, pattern, answer in self.routes:
            if method == request.method and pattern.match(path):
                if isinstance(answer, Documented):
                    assert answer.status is not None, f"{answer.name} is a request"
                    return httpx.Response(answer.status, json=answer.body)
                if isinstance(answer, tuple):
                    return httpx.Response(answer[0], json=answer[1])
                return answer(request)
        return httpx.Response(404, json={"error": {"code": "Request_ResourceNotFound"}})

    def client(self) -> Any:
        """A `GraphClient` on this transport, with a constant token."""
        from assistant.entra.graph_client import GraphClient

        async def token() -> str:
            return "documented-example-token"

        async def no_sleep(seconds: float) -> None:
            return None

        http = httpx.AsyncClient(transport=httpx.MockTransport(self))
        return GraphClient(
            token, base_url="https://graph.microsoft.com/v1.0", http=http, sleep=no_sleep
        )

    def bodies(self, method: str, path: str) -> list[Any]:
        pattern = re.compile(path + r"$")
        return [
            json.loads(r.content) if r.content else None
            for r in self.seen
            if r.method == method and pattern.match(r.url.path.removeprefix("/v1.0"))
        ]
