"""What every Graph handler shares: bearer check, throttling, permission check, paging, $filter.

Order as Graph answers: a missing or unknown token is 401 `InvalidAuthenticationToken`; a
throttled request is 429 `TooManyRequests` with `Retry-After`; a token without the delegated
permission the call needs is 403 `Authorization_RequestDenied`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox.graph.emulator import GraphEmulator
from sandbox.graph.errors import GraphProblem, bad_request

GRAPH_PREFIX = "/v1.0"
MAX_TOP = 999

Handler = Callable[[Request, GraphEmulator], Awaitable[Response]]


def emulator_of(request: Request) -> GraphEmulator:
    emulator: GraphEmulator = request.app.state.graph
    return emulator


def graph_route(path: str, handler: Handler, methods: list[str], needs: Sequence[str]) -> Route:
    """A Graph route that requires any one of the permissions `needs` (a ReadWrite covers Read)."""

    async def endpoint(request: Request) -> Response:
        emulator = emulator_of(request)
        emulator.graph_requests += 1
        scheme, _, bearer = request.headers.get("Authorization", "").partition(" ")
        issued = emulator.token(bearer) if scheme.lower() == "bearer" else None
        if issued is None:
            raise GraphProblem(
                401,
                "InvalidAuthenticationToken",
                "Access token is empty."
                if not bearer
                else "Access token has expired or is not yet valid.",
                headers={"WWW-Authenticate": 'Bearer realm="", error="invalid_token"'},
            )
        throttled = emulator.take_throttle()
        if throttled is not None:
            status, wait = throttled
            code, message = (
                ("TooManyRequests", "Too many requests. Please retry after Retry-After.")
                if status == 429
                else ("serviceNotAvailable", "The service is temporarily unavailable.")
            )
            raise GraphProblem(status, code, message, headers={"Retry-After": str(wait)})
        if needs and not issued.scopes.intersection(needs):
            raise GraphProblem(
                403,
                "Authorization_RequestDenied",
                "Insufficient privileges to complete the operation.",
            )
        return await handler(request, emulator)

    return Route(GRAPH_PREFIX + path, endpoint, methods=methods)


async def json_body(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise bad_request("Unable to read JSON request payload.") from None
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    return body


def page(
    request: Request, emulator: GraphEmulator, items: list[dict[str, Any]], context: str
) -> JSONResponse:
    """One page of `items` with `@odata.nextLink` (an opaque `$skiptoken`) when more remain."""
    try:
        top = int(request.query_params.get("$top", emulator.page_size))
        skip = int(request.query_params.get("$skiptoken", "0"))
    except ValueError:
        raise bad_request("Invalid value for $top or $skiptoken.") from None
    if not 1 <= top <= MAX_TOP or skip < 0:
        raise bad_request(f"$top must be between 1 and {MAX_TOP}.")
    body: dict[str, Any] = {
        "@odata.context": f"https://graph.microsoft.com/v1.0/$metadata#{context}",
        "value": items[skip : skip + top],
    }
    if skip + top < len(items):
        params = dict(request.query_params)
        params.update({"$top": str(top), "$skiptoken": str(skip + top)})
        query = urlencode(params, safe="$")
        body["@odata.nextLink"] = (
            f"{request.url.scheme}://{request.url.netloc}{request.url.path}?{query}"
        )
    return JSONResponse(body)


_ANY = re.compile(r"^\s*(\w+)/any\((\w+):\2\s+eq\s+'((?:[^']|'')*)'\)\s*$")


def filter_any(request: Request, allowed: set[str]) -> tuple[str, str] | None:
    """`coll/any(x:x eq 'value')` on a string collection (servicePrincipalNames, replyUrls)."""
    raw = request.query_params.get("$filter")
    match = _ANY.match(raw) if raw is not None else None
    if not match or match.group(1) not in allowed:
        return None
    return match.group(1), match.group(3).replace("''", "'")


_EQ = re.compile(r"^\s*(\w+(?:/\w+)?)\s+eq\s+'((?:[^']|'')*)'\s*$")


def filter_eq(request: Request, allowed: set[str]) -> tuple[str, str] | None:
    """The one `$filter` form the emulator understands: `prop eq 'value'` ('' escapes a quote)."""
    raw = request.query_params.get("$filter")
    if raw is None:
        return None
    match = _EQ.match(raw)
    if not match or match.group(1) not in allowed:
        raise bad_request(
            "Invalid filter clause: the emulator supports `<prop> eq '<value>'` on "
            f"{sorted(allowed)}.",
            code="Request_UnsupportedQuery",
        )
    return match.group(1), match.group(2).replace("''", "'")
