"""`@odata.nextLink` is followed only to the Graph base URL's own origin, over https: a link to
another origin, or to http, is refused and the bearer token is never sent there.

Real HTTP: small recording servers (stdlib, in threads, on 127.0.0.1) stand for Graph and for
the places a hostile or broken answer could point at; each records the Authorization header of
every request it receives, so "the token was not sent" is an observation, not an assumption.
"""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import trustme

from assistant.entra.graph_client import GraphClient, link_allowed
from assistant.entra.graph_errors import GraphUnsafeLink

TOKEN = "token-that-must-stay-with-graph"


class Recorder:
    """A tiny HTTP(S) server: answers `pages[path]` (JSON) and records (path, Authorization)."""

    def __init__(self, tls: trustme.CA | None = None) -> None:
        self.seen: list[tuple[str, str | None]] = []
        self.pages: dict[str, dict[str, Any]] = {}
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                recorder.seen.append((self.path, self.headers.get("Authorization")))
                body = json.dumps(recorder.pages.get(self.path.split("?")[0], {"value": []}))
                payload = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        scheme = "http"
        if tls is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls.issue_cert("127.0.0.1").configure_cert(context)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.origin = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def recorders(ca: trustme.CA) -> Iterator[dict[str, Recorder]]:
    made = {"graph": Recorder(ca), "elsewhere": Recorder(ca), "plain": Recorder()}
    yield made
    for recorder in made.values():
        recorder.close()


def client_for(base: str, ca: trustme.CA) -> GraphClient:
    async def token() -> str:
        return TOKEN

    context = ssl.create_default_context()
    ca.configure_trust(context)
    return GraphClient(token, base_url=base, verify=context)


def first_page(recorder: Recorder, next_link: str) -> None:
    recorder.pages["/v1.0/users"] = {
        "value": [{"id": "1", "userPrincipalName": "a@contoso.com"}],
        "@odata.nextLink": next_link,
    }


@pytest.mark.parametrize(
    "where",
    [
        "another https origin",
        "http on another port",
        "http on the Graph host and port",
        "another scheme",
    ],
)
async def test_a_next_link_off_the_graph_origin_is_refused_and_gets_no_token(
    recorders: dict[str, Recorder], ca: trustme.CA, where: str
) -> None:
    graph, elsewhere, plain = recorders["graph"], recorders["elsewhere"], recorders["plain"]
    port = graph.origin.rsplit(":", 1)[1]
    link = {
        "another https origin": f"{elsewhere.origin}/v1.0/users?$skiptoken=2",
        "http on another port": f"{plain.origin}/v1.0/users?$skiptoken=2",
        "http on the Graph host and port": f"http://127.0.0.1:{port}/v1.0/users?$skiptoken=2",
        "another scheme": "javascript:alert(1)",
    }[where]
    first_page(graph, link)
    async with client_for(graph.origin + "/v1.0", ca) as client:
        with pytest.raises(GraphUnsafeLink) as refused:
            await client.users()
    assert graph.seen == [("/v1.0/users", f"Bearer {TOKEN}")]  # the first page only
    assert elsewhere.seen == [] and plain.seen == []  # nothing, so no token, went there
    sentence, fix = refused.value.text("en")
    assert "not followed" in sentence and "--graph-url" in fix


async def test_a_next_link_on_the_graph_origin_is_followed_with_the_token(
    recorders: dict[str, Recorder], ca: trustme.CA
) -> None:
    graph = recorders["graph"]
    first_page(graph, f"{graph.origin}/v1.0/users/more?$skiptoken=2")
    graph.pages["/v1.0/users/more"] = {"value": [{"id": "2", "userPrincipalName": "b@contoso.com"}]}
    async with client_for(graph.origin + "/v1.0", ca) as client:
        users = await client.users()
    assert [u.id for u in users] == ["1", "2"]
    assert [auth for _, auth in graph.seen] == [f"Bearer {TOKEN}"] * 2


async def test_a_loopback_http_emulator_may_page_over_http_to_itself_only(
    recorders: dict[str, Recorder], ca: trustme.CA
) -> None:
    plain, elsewhere = recorders["plain"], recorders["elsewhere"]
    first_page(plain, f"{plain.origin}/v1.0/users/more")
    plain.pages["/v1.0/users/more"] = {
        "value": [],
        "@odata.nextLink": f"{elsewhere.origin}/v1.0/users",
    }
    async with client_for(plain.origin + "/v1.0", ca) as client:
        with pytest.raises(GraphUnsafeLink):
            await client.users()
    assert [path for path, _ in plain.seen] == ["/v1.0/users", "/v1.0/users/more"]
    assert elsewhere.seen == []


@pytest.mark.parametrize(
    ("link", "base", "allowed"),
    [
        (
            "https://graph.microsoft.com/v1.0/users?$skiptoken=x",
            "https://graph.microsoft.com/v1.0",
            True,
        ),
        ("https://graph.microsoft.com:443/v1.0/x", "https://graph.microsoft.com/v1.0", True),
        ("http://graph.microsoft.com/v1.0/x", "https://graph.microsoft.com/v1.0", False),
        ("https://graph.microsoft.us/v1.0/x", "https://graph.microsoft.com/v1.0", False),
        (
            "https://graph.microsoft.com.evil.example/v1.0",
            "https://graph.microsoft.com/v1.0",
            False,
        ),
        (
            "https://evil.example/?https://graph.microsoft.com",
            "https://graph.microsoft.com/v1.0",
            False,
        ),
        ("http://graph.example/v1.0/x", "http://graph.example/v1.0", False),  # http, not loopback
        ("http://127.0.0.1:8/v1.0/x", "http://127.0.0.1:8/v1.0", True),
        ("http://localhost:8/v1.0/x", "http://127.0.0.1:8/v1.0", False),  # another origin
        ("ftp://graph.microsoft.com/x", "https://graph.microsoft.com/v1.0", False),
        ("not a url", "https://graph.microsoft.com/v1.0", False),
    ],
)
def test_which_links_may_carry_the_token(link: str, base: str, allowed: bool) -> None:
    assert link_allowed(link, base) is allowed
