"""The one shape of an admin-API router: its prefix, the admin key check, its error responses.

Every admin route is declared on a router this builds, so each `APIRoute` is complete when its
module is imported, and the app serves the routes as its own (`sandbox/admin/routes.py`,
`admin_routes`) instead of through `include_router`: FastAPI (0.16x) analyses an included
router's routes again for each app — their dependencies and the pydantic fields of every
parameter and response model — the first time a request reaches them, ~40 ms of CPU on the
way to the sandbox's first admin-API answer.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from fastapi import APIRouter, Depends

from assistant.steeple.contract import API_PREFIX
from sandbox.admin.auth import require_admin
from sandbox.admin.errors import ERROR_RESPONSES, AdminRoute


def admin_router(tags: list[str | Enum] | None = None, **options: Any) -> APIRouter:
    """A router whose routes sit under `API_PREFIX`, answer only the admin key, and document
    the admin error responses (`ERROR_RESPONSES`) beside their own."""
    return APIRouter(
        prefix=API_PREFIX,
        tags=tags,
        route_class=AdminRoute,
        dependencies=[Depends(require_admin)],
        responses=ERROR_RESPONSES,
        **options,
    )
