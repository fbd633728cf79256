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
from sandbox.graph.errors import (
    GraphProblem,
    bad_request,
    search_needs_eventual,
    unsupported_filter,
)

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


def eventual(request: Request) -> bool:
    return request.headers.get("ConsistencyLevel", "").lower() == "eventual"


def search_terms(request: Request, allowed: set[str]) -> list[tuple[str, str]]:
    """`$search="prop:words"` clauses (several joined by OR are matched as "any" here), each a
    case-insensitive substring of `prop`; Graph tokenizes words, which a substring
    over-approximates (ours). Needs `ConsistencyLevel: eventual`, as Graph does."""
    raw = request.query_params.get("$search")
    if raw is None:
        return []
    if not eventual(request):
        raise search_needs_eventual()
    clauses = _QUOTED.findall(raw) or [raw.strip()]
    terms = []
    for clause in clauses:
        prop, _, words = _UNESCAPE.sub(r"\1", clause).partition(":")
        if prop not in allowed or not words:
            raise bad_request(
                f"Invalid $search clause: {clause!r}.", code="Request_UnsupportedQuery"
            )
        terms.append((prop, words.lower()))
    return terms


_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_UNESCAPE = re.compile(r"\\(.)")


def page_bounds(request: Request, emulator: GraphEmulator) -> tuple[int, int]:
    """(`$top`, `$skiptoken` offset) of the page asked for; `$top` defaults to the page size."""
    try:
        top = int(request.query_params.get("$top", emulator.page_size))
        skip = int(request.query_params.get("$skiptoken", "0"))
    except ValueError:
        raise bad_request("Invalid value for $top or $skiptoken.") from None
    if not 1 <= top <= MAX_TOP or skip < 0:
        raise bad_request(f"$top must be between 1 and {MAX_TOP}.")
    return top, skip


def page(
    request: Request,
    emulator: GraphEmulator,
    items: Sequence[dict[str, Any]],
    context: str,
    total: int | None = None,
) -> JSONResponse:
    """One page of `items` with `@odata.nextLink` (an opaque `$skiptoken`) when more remain.

    `items` may be the page alone when `total` says how many there are (a large collection is
    then never turned into JSON objects beyond the page asked for)."""
    top, skip = page_bounds(request, emulator)
    whole = total is None
    total = len(items) if total is None else total
    body: dict[str, Any] = {
        "@odata.context": f"https://graph.microsoft.com/v1.0/$metadata#{context}",
        "value": list(items[skip : skip + top]) if whole else list(items),
    }
    if request.query_params.get("$count") == "true" and eventual(request):
        body["@odata.count"] = total
    if skip + top < total:
        params = dict(request.query_params)
        params.update({"$top": str(top), "$skiptoken": str(skip + top)})
        query = urlencode(params, safe="$")
        body["@odata.nextLink"] = (
            f"{request.url.scheme}://{request.url.netloc}{request.url.path}?{query}"
        )
    return JSONResponse(body)


_ANY = re.compile(r"^\s*(\w+)/any\((\w+):\2\s+eq\s+'((?:[^']|'')*)'\)\s*$")


def filter_any(request: Request, allowed: set[str], resource: str) -> tuple[str, str] | None:
    """`coll/any(x:x eq 'value')` on a string collection documented as filterable
    (servicePrincipalNames); on any other collection (replyUrls: "properties not listed do not
    support $filter") Graph's `Request_UnsupportedQuery` answer."""
    raw = request.query_params.get("$filter")
    match = _ANY.match(raw) if raw is not None else None
    if not match:
        return None
    if match.group(1) not in allowed:
        raise unsupported_filter(match.group(1), resource)
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
