"""Graph's error body (`{"error": {"code", "message", "innerError"}}`) for every refusal.

Graph documents this shape for all its errors (docs: "Microsoft Graph error responses and
resource types"); `innerError` carries the request id and date a support engineer asks for.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

log = logging.getLogger(__name__)


class GraphProblem(Exception):
    """Raised by a handler; answered as Graph's error body with this status and code."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_body(code: str, message: str, request_id: str) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
                "request-id": request_id,
                "client-request-id": request_id,
            },
        }
    }


async def graph_problem_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GraphProblem)
    request_id = request.headers.get("client-request-id") or str(uuid.uuid4())
    headers = {"request-id": request_id, **exc.headers}
    return JSONResponse(
        error_body(exc.code, exc.message, request_id), status_code=exc.status, headers=headers
    )


def bad_request(message: str, code: str = "BadRequest") -> GraphProblem:
    return GraphProblem(400, code, message)


def not_found(what: str) -> GraphProblem:
    return GraphProblem(404, "Request_ResourceNotFound", f"Resource '{what}' does not exist.")


def unsupported_filter(prop: str, resource: str) -> GraphProblem:
    """Graph's answer to a `$filter` on a property not indexed for it, worded as the
    advanced-queries page documents it ("properties not listed do not support $filter")."""
    return GraphProblem(
        400,
        "Request_UnsupportedQuery",
        f"Unsupported or invalid query filter clause specified for property '{prop}' of "
        f"resource '{resource}'.",
    )


def search_needs_eventual() -> GraphProblem:
    """`$search` on directory objects without `ConsistencyLevel: eventual` (documented body)."""
    return GraphProblem(
        400,
        "Request_UnsupportedQuery",
        "Request with $search query parameter only works through MSGraph with a special "
        "request header: 'ConsistencyLevel: eventual'",
    )


def count_needs_eventual() -> GraphProblem:
    """The `$count` segment without `ConsistencyLevel: eventual` (documented body)."""
    return GraphProblem(400, "Request_BadRequest", "$count is not currently supported.")


NON_PREMIUM_MESSAGE = "Neither tenant is B2C or tenant doesn't have premium license"
"""Microsoft's documented words for a tenant without Entra ID P1/P2 (Entra docs, "Common
errors" of the reporting API); the code sent with them is the one Graph is reported to use."""


def non_premium(message: str = NON_PREMIUM_MESSAGE) -> GraphProblem:
    return GraphProblem(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant", message)


async def not_found_handler(request: Request, exc: Exception) -> JSONResponse:
    """An unknown path answers like Graph's (`BadRequest`: "Resource not found for the segment")."""
    segment = request.url.path.rstrip("/").rsplit("/", 1)[-1]
    problem = GraphProblem(400, "BadRequest", f"Resource not found for the segment '{segment}'.")
    return await graph_problem_handler(request, problem)


async def method_not_allowed_handler(request: Request, exc: Exception) -> JSONResponse:
    problem = GraphProblem(
        405, "Request_BadRequest", f"The {request.method} method is not supported here."
    )
    return await graph_problem_handler(request, problem)


async def server_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """A bug in the emulator still answers in Graph's shape; the detail goes to the log only."""
    log.exception("the Graph emulator failed on %s %s", request.method, request.url.path)
    problem = GraphProblem(500, "InternalServerError", "The emulator failed; see its log.")
    return await graph_problem_handler(request, problem)
