"""SCIM test peers for the Entra simulator (a recording peer written here, and the `scim2-server`
package), and a small hand-made tenant with a deterministic job on it.

The recording peer is a minimal SCIM service that remembers every request exactly as it arrived
(method, path, raw query, headers, JSON body), so tests can assert Entra's request shapes. It is a
test peer, not a stand-in for our sandbox: the acceptance tests run against the real sandbox too.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote_plus
from wsgiref.simple_server import WSGIRequestHandler, make_server

import httpx

from sandbox.entra.clock import ManualClock, TimeScale
from sandbox.entra.job import JobSettings, ProvisioningJob
from sandbox.entra.tenant import EntraGroup, EntraUser, Tenant

LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
TOKEN = "scim_PLANTED-entra-token-4b8d2a"


@dataclass
class Recorded:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: Any


@dataclass
class RecordingScim:
    """An in-memory SCIM peer that records requests; `fail` maps (method, path prefix) → status."""

    token: str = TOKEN
    requests: list[Recorded] = field(default_factory=list)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    fail: dict[tuple[str, str], int] = field(default_factory=dict)
    transient: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    """(method, path prefix) → (status, Retry-After seconds), answered once then forgotten."""
    _next: int = 0

    def shapes(self) -> list[tuple[str, str, str, Any]]:
        return [(r.method, r.path, r.query, r.body) for r in self.requests]

    def _id(self) -> str:
        self._next += 1
        return f"id-{self._next:05d}"

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        raw = b""
        while True:
            message = await receive()
            raw += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        body = json.loads(raw) if raw else None
        path = scope["path"].removeprefix("/scim")
        query = scope["query_string"].decode()
        self.requests.append(Recorded(scope["method"], path, query, headers, body))
        extra: list[tuple[bytes, bytes]] = []
        for (method, prefix), (code, wait) in list(self.transient.items()):
            if scope["method"] == method and path.startswith(prefix):
                del self.transient[(method, prefix)]
                status, answer = code, {"status": str(code)}
                extra.append((b"retry-after", str(wait).encode()))
                break
        else:
            status, answer = self._handle(scope["method"], path, query, headers, body)
        payload = json.dumps(answer).encode() if answer is not None else b""
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/scim+json"),
                    (b"content-length", str(len(payload)).encode()),
                    *extra,
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    def _handle(
        self, method: str, path: str, query: str, headers: dict[str, str], body: Any
    ) -> tuple[int, Any]:
        if headers.get("authorization") != f"Bearer {self.token}":
            return 401, {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                "status": "401",
            }
        for (fail_method, prefix), status in self.fail.items():
            if method == fail_method and path.startswith(prefix):
                return status, {"status": str(status)}
        kind, _, ident = path.strip("/").partition("/")
        store = {"Users": self.users, "Groups": self.groups}.get(kind)
        if store is None:
            return 404, None
        if method == "GET" and not ident:
            params = parse_qs(query)
            expr = unquote_plus(query.split("filter=")[1].split("&")[0]) if params else ""
            hits = [r for r in store.values() if _matches(r, expr)]
            return 200, {"schemas": [LIST], "totalResults": len(hits), "Resources": hits}
        if method == "POST":
            resource = {**body, "id": self._id()}
            store[resource["id"]] = resource
            return 201, resource
        if ident not in store:
            return 404, None
        if method == "GET":
            return 200, store[ident]
        if method == "PATCH":
            _apply_members(store[ident], body)
            return 200, store[ident]
        if method == "DELETE":
            del store[ident]
            return 204, None
        return 405, None


def _matches(resource: dict[str, Any], expr: str) -> bool:
    """`a eq "x"` and `a eq "x" and members eq "y"`: the only filters Entra sends."""
    for clause in expr.split(" and "):
        attr, _, value = clause.partition(" eq ")
        value = value.strip('"')
        if attr == "members":
            if value not in {m.get("value") for m in resource.get("members", [])}:
                return False
        elif str(resource.get(attr)) != value:
            return False
    return True


def _apply_members(resource: dict[str, Any], body: Any) -> None:
    """Keep group members, so that membership checks have something to find."""
    for op in (body or {}).get("Operations", []):
        kind, path = str(op.get("op", "")).lower(), str(op.get("path", ""))
        members = resource.setdefault("members", []) if path.startswith("members") else None
        if members is None:
            continue
        if kind == "add":
            members.extend({"value": v["value"]} for v in op.get("value", []))
        elif kind == "remove" and path == "members":
            gone = {v["value"] for v in op.get("value", [])}
            members[:] = [m for m in members if m["value"] not in gone]
        elif kind == "remove":
            gone_id = path.split('"')[1]
            members[:] = [m for m in members if m["value"] != gone_id]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class Scim2ServerPeer:
    """The third-party `scim2-server` (its own test-server app) on loopback with a bearer token."""

    def __init__(self, token: str = TOKEN) -> None:
        from scim2_models import ScimProvider
        from scim2_server.memory import InMemoryStorage
        from scim2_server.service import ScimService
        from scim2_server.testserver.application import BEARER_TOKEN_SCHEME, BearerTokenApplication
        from scim2_server.testserver.cli import ThreadingWSGIServer
        from scim2_server.utils import (
            load_default_resource_types,
            load_default_schemas,
            load_default_service_provider_config,
        )

        config = load_default_service_provider_config()
        config.authentication_schemes = [
            *(config.authentication_schemes or []),
            BEARER_TOKEN_SCHEME,
        ]
        provider = ScimProvider.from_discovery(
            load_default_schemas().values(), load_default_resource_types().values(), config=config
        )
        self.storage = InMemoryStorage()
        app = BearerTokenApplication(
            self.storage,
            provider,
            service=ScimService(provider, secret="test"),
            bearer_tokens=[token],
        )
        self._server = make_server(
            "127.0.0.1", 0, app, server_class=ThreadingWSGIServer, handler_class=_QuietHandler
        )
        self.base_url = f"http://127.0.0.1:{self._server.server_port}/v2"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> Scim2ServerPeer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class RecordingTransport(httpx.AsyncBaseTransport):
    """Real HTTP (httpx's own transport) that also keeps each request as sent, body included.

    Used against the sandbox, whose request log deliberately keeps no bodies.
    """

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.sent: list[tuple[str, str, str, Any]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        content = request.content
        body = json.loads(content) if content else None
        self.sent.append((request.method, request.url.path, request.url.query.decode(), body))
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def small_tenant() -> Tenant:
    """Two users, a group with both, and an admins group that nests the first group."""
    tenant = Tenant(domain="contoso.onmicrosoft.com")
    for user in (
        EntraUser(
            object_id="u-ada",
            user_principal_name="ada@contoso.fr",
            mail_nickname="ada",
            display_name="Ada Lovelace",
            given_name="Ada",
            surname="Lovelace",
            mail="ada@contoso.fr",
            department="IT",
            employee_id="E1",
        ),
        EntraUser(
            object_id="u-bob",
            user_principal_name="bob@contoso.onmicrosoft.com",
            mail_nickname="bob",
            display_name="Bob Martin",
            given_name="Bob",
            surname="Martin",
        ),
    ):
        tenant.users[user.object_id] = user
    tenant.groups["g-users"] = EntraGroup("g-users", "Steeple - Siège - Users", ["u-ada", "u-bob"])
    tenant.groups["g-admins"] = EntraGroup(
        "g-admins", "Steeple - Siège - Admins", ["u-ada", "g-users"]
    )
    return tenant


def make_job(
    tenant: Tenant, url: str, *, token: str = TOKEN, **settings: object
) -> ProvisioningJob:
    """A job at concurrency 1 (deterministic order) on a manual clock, 5 s = 40 Entra minutes."""
    options: dict[str, object] = {"max_in_flight": 1, "seed": 1}
    options.update(settings)
    return ProvisioningJob(
        tenant,
        tenant_url=url,
        token=token,
        assigned=list(tenant.groups),
        clock=ManualClock(),
        scale=TimeScale(5.0),
        settings=JobSettings(**options),  # type: ignore[arg-type]
    )


def mutate(job: Any) -> None:
    """A bit of everything an incremental cycle sends."""
    users = list(job.tenant.users.values())
    users[0].surname = "Changed"
    users[1].mail = "new.address@contoso.fr"
    users[2].account_enabled = not users[2].account_enabled
    victim = users[3]
    del job.tenant.users[victim.object_id]
    group = next(g for g in job.tenant.groups.values() if len(g.member_ids) > 2)
    group.member_ids.remove(next(m for m in group.member_ids if m in job.tenant.users))
    group.display_name += " (renamed)"
