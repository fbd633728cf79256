"""The SCIM 2.0 app mounted at `/scim/v2`: Starlette routes over the Users/Groups stores.

Starlette rather than FastAPI because the endpoint has a CPU budget per request (no dependency
injection or response-model validation in the hot path); request bodies are read with a hard
size limit and parsed with `json`, responses are `application/scim+json` bytes. Every write is
one `transaction`, so a request that fails validation half-way changes nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from functools import cached_property
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from sandbox import strict_input
from sandbox.scim import groups, users
from sandbox.scim.errors import (
    SCIM_MEDIA_TYPE,
    ScimError,
    check_media_type,
    error_response,
    invalid_syntax,
    invalid_value,
)
from sandbox.scim.filters import (
    MAX_FILTER_LENGTH,
    Compare,
    Node,
    parse_attr_path,
    parse_filter,
    simple_eq,
)
from sandbox.scim.paths import case_insensitive_endpoints
from sandbox.scim.ratelimit import with_rate_limit
from sandbox.scim.request_log import ScimGateway, authorised_write, set_summary
from sandbox.scim.resources import project
from sandbox.state import SandboxState

log = logging.getLogger(__name__)
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
Handler = Callable[[Request], Awaitable[Response]]
MAX_INT64 = 2**63 - 1


def scim_response(
    document: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        json.dumps(document).encode(), status, headers=headers, media_type=SCIM_MEDIA_TYPE
    )


def resource_response(document: dict[str, Any], status: int = 200) -> Response:
    meta = document.get("meta") or {}
    headers = {"ETag": meta["version"]} if "version" in meta else {}
    if status == 201:
        headers["Location"] = meta["location"]
    return scim_response(document, status, headers)


async def read_json(request: Request, limit: int, timeout: float = 30.0) -> Any:
    """The JSON body, refusing (413) anything over `limit` bytes while reading, not after."""
    check_media_type(request.headers.get("content-type"))
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ScimError(413, f"request body over {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):  # a stalled sender cannot hold the request open
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise ScimError(413, f"request body over {limit} bytes")
                chunks.append(chunk)
    except ClientDisconnect as exc:
        raise invalid_syntax("the request body ended early") from exc
    except TimeoutError:
        raise ScimError(408, f"the request body did not arrive within {timeout:g} s") from None
    try:
        return strict_input.loads(b"".join(chunks), caseless_names=True)
    except strict_input.BadJson as exc:
        raise invalid_syntax(exc.reason) from None


def _int_param(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise invalid_value(f"'{name}' must be an integer") from exc
    if value > MAX_INT64:  # SQLite's LIMIT/OFFSET are 64-bit; below 1 is clamped (RFC 7644)
        raise invalid_value(f"'{name}' is out of range")
    return value


def _names(request: Request, name: str) -> list[str] | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    names = [n.strip() for n in raw.split(",") if n.strip()]
    for item in names:
        try:
            parse_attr_path(item)
        except ScimError as exc:
            raise invalid_value(f"invalid attribute name in '{name}'") from exc
    return names


def _projection(request: Request) -> tuple[list[str] | None, list[str] | None]:
    return _names(request, "attributes"), _names(request, "excludedAttributes")


def _filter_of(request: Request) -> Node | None:
    raw = request.query_params.get("filter")
    if raw is None:
        return None
    fast = simple_eq(raw) if len(raw) <= MAX_FILTER_LENGTH else None
    if fast is not None:
        try:
            return Compare(parse_attr_path(fast[0]), "eq", fast[1])
        except ScimError:
            pass
    return parse_filter(raw)


def _wants_members(attributes: list[str] | None, excluded: list[str] | None) -> bool:
    if attributes:
        return any(a.split(".")[0].rpartition(":")[2].casefold() == "members" for a in attributes)
    if excluded:
        return not any(e.rpartition(":")[2].casefold() == "members" for e in excluded)
    return True


class ScimRoutes:
    """Handlers bound to one sandbox state (no globals: tests run several servers at once)."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    # The discovery documents are built from scim2-models on first use, not at app creation:
    # importing scim2-models is most of the sandbox's boot (0.3-1 s), and `--sandbox` shows its
    # first step long before Entra's Test Connection asks for them (bench/startup.py).

    @cached_property
    def _spc(self) -> bytes:
        from sandbox.scim import discovery

        max_page = self.state.config.max_page_size
        config = discovery.service_provider_config(self.state.scim_base_url, max_page)
        return json.dumps(config).encode()

    @cached_property
    def _schemas(self) -> list[dict[str, Any]]:
        from sandbox.scim import discovery

        return discovery.schemas(self.state.scim_base_url)

    @cached_property
    def _resource_types(self) -> list[dict[str, Any]]:
        from sandbox.scim import discovery

        return discovery.resource_types(self.state.scim_base_url)

    # --- plumbing -------------------------------------------------------------------------

    def guarded(self, handler: Handler) -> Handler:
        """Turn ScimErrors into §3.12 responses; anything else is our bug: log it, answer 500."""

        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except ScimError as error:
                set_summary(request.scope, f"{error.scim_type or error.status}: {error.detail}")
                return error_response(error)
            except Exception:
                # The traceback carries no header or body; the request line is not logged.
                log.exception("SCIM handler failed")
                return error_response(ScimError(500, "internal error"))

        return run

    async def _body(self, request: Request) -> Any:
        config = self.state.config
        return await read_json(request, config.max_body_bytes, config.body_read_timeout_seconds)

    def _page(self, request: Request) -> tuple[int, int]:
        start = max(1, _int_param(request, "startIndex", 1))
        count = _int_param(request, "count", self.state.config.max_page_size)
        return start, min(max(0, count), self.state.config.max_page_size)

    def _list(
        self, request: Request, total: int, resources: list[dict[str, Any]], start: int
    ) -> Response:
        set_summary(request.scope, f"{total} hit{'s' if total != 1 else ''}")
        return scim_response(
            {
                "schemas": [LIST_SCHEMA],
                "totalResults": total,
                "startIndex": start,
                "itemsPerPage": len(resources),
                "Resources": resources,
            }
        )

    # --- Users ----------------------------------------------------------------------------

    async def users(self, request: Request) -> Response:
        if request.method == "POST":
            body = await self._body(request)
            with authorised_write(request.scope, self.state.conn):
                user = users.create_user(self.state, body)
            set_summary(request.scope, f"userName={user.get('userName')}")
            return resource_response(user, 201)
        node = _filter_of(request)
        start, count = self._page(request)
        attributes, excluded = _projection(request)
        page = users.query_users(self.state, node, start, count)
        shown = [project(u, attributes, excluded) for u in page.resources]
        return self._list(request, page.total, shown, start)

    async def user(self, request: Request) -> Response:
        user_id = request.path_params["id"]
        state = self.state
        if request.method == "GET":
            attributes, excluded = (
                _names(request, "attributes"),
                _names(request, "excludedAttributes"),
            )
            found = users.get_user(state, user_id)
            set_summary(request.scope, f"userName={found.get('userName')}")
            return resource_response(project(found, attributes, excluded))
        if request.method == "DELETE":
            with authorised_write(request.scope, state.conn):
                users.delete_user(state, user_id)
            set_summary(request.scope, "deleted")
            return Response(status_code=204)
        body = await self._body(request)
        with authorised_write(request.scope, state.conn):
            if request.method == "PUT":
                updated = users.replace_user(state, user_id, body)
            else:
                updated = users.patch_user(state, user_id, body)
        set_summary(request.scope, _patch_summary(body) or f"userName={updated.get('userName')}")
        return resource_response(updated)

    # --- Groups ---------------------------------------------------------------------------

    async def groups(self, request: Request) -> Response:
        state = self.state
        if request.method == "POST":
            body = await self._body(request)
            with authorised_write(request.scope, state.conn):
                group = groups.create_group(state, body)
            set_summary(
                request.scope,
                f"displayName={group.get('displayName')} members={len(group['members'])}",
            )
            return resource_response(group, 201)
        node = _filter_of(request)
        start, count = self._page(request)
        attributes, excluded = _projection(request)
        page = groups.query_groups(state, node, start, count)
        wants = _wants_members(attributes, excluded)
        shown = [
            project(groups.with_members(state, g) if wants else g, attributes, excluded)
            for g in page.resources
        ]
        return self._list(request, page.total, shown, start)

    async def group(self, request: Request) -> Response:
        group_id = request.path_params["id"]
        state = self.state
        if request.method == "GET":
            attributes, excluded = (
                _names(request, "attributes"),
                _names(request, "excludedAttributes"),
            )
            found = groups.get_group(state, group_id)
            if _wants_members(attributes, excluded):
                found = groups.with_members(state, found)
            set_summary(request.scope, f"displayName={found.get('displayName')}")
            return resource_response(project(found, attributes, excluded))
        if request.method == "DELETE":
            with authorised_write(request.scope, state.conn):
                groups.delete_group(state, group_id)
            set_summary(request.scope, "deleted")
            return Response(status_code=204)
        body = await self._body(request)
        with authorised_write(request.scope, state.conn):
            if request.method == "PUT":
                updated = groups.replace_group(state, group_id, body)
            else:
                groups.patch_group(state, group_id, body)
        set_summary(request.scope, _patch_summary(body) or "replaced")
        if request.method == "PUT":
            return resource_response(updated)
        return Response(status_code=204)

    # --- Discovery ------------------------------------------------------------------------

    async def service_provider_config(self, request: Request) -> Response:
        return Response(self._spc, media_type=SCIM_MEDIA_TYPE)

    async def schemas(self, request: Request) -> Response:
        return self._discovery_list(request, self._schemas)

    async def schema(self, request: Request) -> Response:
        return self._discovery_item(request, self._schemas, "Schema")

    async def resource_types(self, request: Request) -> Response:
        return self._discovery_list(request, self._resource_types)

    async def resource_type(self, request: Request) -> Response:
        return self._discovery_item(request, self._resource_types, "ResourceType")

    def _discovery_list(self, request: Request, documents: list[dict[str, Any]]) -> Response:
        return self._list(request, len(documents), documents, 1)

    def _discovery_item(
        self, request: Request, documents: list[dict[str, Any]], kind: str
    ) -> Response:
        wanted = request.path_params["id"]
        for document in documents:
            if document["id"] == wanted:
                return scim_response(document)
        raise ScimError(404, f"{kind} {wanted[:80]!r} not found")

    async def root_search(self, request: Request) -> Response:
        """RFC 7644 §3.4.3 makes a cross-type search optional; Entra never uses it."""
        raise ScimError(501, "searching several resource types at once is not supported")

    def routes(self) -> list[Route]:
        g = self.guarded
        return [
            Route("/.search", g(self.root_search), methods=["POST"]),
            Route("/Users", g(self.users), methods=["GET", "POST"]),
            Route("/Users/{id}", g(self.user), methods=["GET", "PUT", "PATCH", "DELETE"]),
            Route("/Groups", g(self.groups), methods=["GET", "POST"]),
            Route("/Groups/{id}", g(self.group), methods=["GET", "PUT", "PATCH", "DELETE"]),
            Route("/ServiceProviderConfig", g(self.service_provider_config), methods=["GET"]),
            Route("/Schemas", g(self.schemas), methods=["GET"]),
            Route("/Schemas/{id}", g(self.schema), methods=["GET"]),
            Route("/ResourceTypes", g(self.resource_types), methods=["GET"]),
            Route("/ResourceTypes/{id}", g(self.resource_type), methods=["GET"]),
        ]


def _patch_summary(body: Any) -> str:
    """`members +3 -1` or `replace active, emails` — attribute names only, never values."""
    operations = body.get("Operations") if isinstance(body, dict) else None
    if not isinstance(operations, list):
        return ""
    added = removed = 0
    touched: list[str] = []
    for op in operations:
        if not isinstance(op, dict):
            continue
        kind = str(op.get("op", "")).casefold()
        path = op.get("path")
        value = op.get("value")
        if isinstance(path, str) and path.casefold().startswith("members"):
            count = len(value) if isinstance(value, list) else 1
            if kind == "add":
                added += count
            elif kind == "remove":
                removed += count
            continue
        names = [path] if isinstance(path, str) else list(value) if isinstance(value, dict) else []
        touched.extend(f"{kind} {str(n).rpartition(':')[2][:40]}" for n in names)
    parts = [f"members +{added} -{removed}"] if added or removed else []
    parts.extend(touched[:5])
    return ", ".join(parts)


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = "no such SCIM endpoint" if status == 404 else "method not allowed here"
    return error_response(ScimError(status, detail))


def create_scim_app(state: SandboxState) -> ASGIApp:
    """The SCIM service provider for one sandbox: routes wrapped in auth + request logging."""
    app = Starlette(
        routes=ScimRoutes(state).routes(),
        exception_handlers={404: _http_error, 405: _http_error},
    )
    routed = case_insensitive_endpoints(app)
    return ScimGateway(with_rate_limit(routed, state.config.scim_rate_limit_per_second), state)
