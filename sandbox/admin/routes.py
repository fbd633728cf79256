"""The admin API's routes: SSO and the directory here, the integration in `integration_routes`,
and the fallback for unknown paths last (`admin_routes`, in the order the app matches them).

Handlers are `async def` on purpose: they then run on the event loop thread, the only thread
that uses the sandbox's single SQLite connection (see `sandbox/db.py`).
"""

from __future__ import annotations

import re

from fastapi import Query, Request, Response
from starlette.routing import BaseRoute

from assistant.steeple.contract import (
    CommunityList,
    SsoConfig,
    SsoConfigUpdate,
    UserPage,
)
from sandbox.admin import integration_routes
from sandbox.admin.auth import State
from sandbox.admin.errors import error_response
from sandbox.admin.router import admin_router
from sandbox.db import transaction
from sandbox.domain import accounts, sso
from sandbox.domain.common import DomainError

router = admin_router()


@router.get("/sso", response_model=SsoConfig, tags=["SSO"])
async def get_sso(state: State) -> SsoConfig:
    return sso.get_sso(state.conn, state.public_url)


@router.put("/sso", response_model=SsoConfig, tags=["SSO"])
async def put_sso(update: SsoConfigUpdate, state: State) -> SsoConfig:
    with transaction(state.conn):
        configured = sso.set_sso(state.conn, update, state.public_url)
    for listener in state.sso_listeners:  # the sandbox's Entra, if composed with one
        listener(configured)
    return configured


@router.get("/communities", response_model=CommunityList, tags=["Directory"])
async def get_communities(state: State) -> CommunityList:
    return CommunityList(items=accounts.list_communities(state.conn))


@router.get("/users", response_model=UserPage, tags=["Directory"])
async def get_users(
    state: State,
    query: str = Query(default="", max_length=200),
    cursor: str | None = Query(default=None, max_length=2000),
    limit: int = Query(default=100, ge=1, le=integration_routes.MAX_LIMIT),
    include_removed: bool = False,
) -> UserPage:
    return accounts.list_users(state.conn, query, cursor, limit, include_removed)


fallback = admin_router()
"""Unknown admin paths: matched after every other admin route, the admin key checked first."""


def admin_routes() -> list[BaseRoute]:
    """Every admin-API route, in match order, for the app to serve as its own routes (not
    through `include_router`, which would analyse them all again: `sandbox/admin/router.py`)."""
    return [*router.routes, *integration_routes.router.routes, *fallback.routes]


@fallback.api_route(
    "/{unknown_path:path}",
    methods=["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"],
    include_in_schema=False,
)
async def unknown_endpoint(unknown_path: str, request: Request) -> Response:
    """Unknown admin paths answer in the admin error shape, not FastAPI's `{detail}`; a known
    path with a method it lacks is a 405 with `Allow` (RFC 9110 §15.5.6), not a 404."""
    allowed = _allowed_methods(request)
    if allowed:
        response = error_response(
            405, "method_not_allowed", "This admin API endpoint does not accept this method."
        )
        response.headers["Allow"] = ", ".join(allowed)
        return response
    raise DomainError(404, "not_found", "No such admin API endpoint.")


def _allowed_methods(request: Request) -> list[str]:
    """Methods the OpenAPI document declares for this request's path (FastAPI caches it)."""
    path = request.url.path
    methods: set[str] = set()
    for template, operations in request.app.openapi().get("paths", {}).items():
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path):
            methods.update(method.upper() for method in operations)
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)
