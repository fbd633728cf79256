"""Admin API errors as JSON `{code, message}`, handled by the router itself.

A custom `APIRoute` catches errors where the route runs, so the admin API's error shape does not
depend on app-wide handlers (the SCIM app mounted beside it answers in RFC 7644 form instead).
Validation errors keep FastAPI's 422 but in our shape, and never echo the offending input back
(it could be anything, including a secret pasted in the wrong field). A body that is not JSON
the sandbox accepts at all (broken syntax, `NaN`, a lone surrogate, a member named twice) is a
400 `malformed_json`, as the SCIM endpoint answers 400 `invalidSyntax`: RFC 9110 §15.5.1's
"malformed request syntax", where 422 means well-formed JSON of the wrong shape.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from assistant.steeple.contract import ApiError
from sandbox import strict_input
from sandbox.domain.common import DomainError
from sandbox.strict_input import url_is_text

log = logging.getLogger(__name__)

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ApiError, "description": "A body that is not strict JSON (`malformed_json`)."},
    401: {"model": ApiError, "description": "Missing or wrong admin key (`unauthorized`)."},
    408: {"model": ApiError, "description": "The request body stalled (`body_timeout`)."},
    409: {"model": ApiError, "description": "Conflicts with the instance state."},
    415: {"model": ApiError, "description": "A body that is not `application/json`."},
    422: {"model": ApiError, "description": "Invalid body, query or cursor."},
    429: {"model": ApiError, "description": "Too many wrong admin keys (`too_many_attempts`)."},
}
NOT_FOUND_RESPONSE: dict[int | str, dict[str, Any]] = {
    404: {"model": ApiError, "description": "No such object."}
}


def error_response(
    status: int, code: str, message: str, details: dict[str, object] | None = None
) -> JSONResponse:
    body = ApiError(code=code, message=message, details=details)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


def validation_response(exc: RequestValidationError) -> JSONResponse:
    """422 in our shape: where and what, never the input itself."""
    errors = [
        {"loc": [str(part) for part in error.get("loc", ())], "msg": str(error.get("msg", ""))}
        for error in exc.errors()
    ]
    if any(error.get("type") == "json_invalid" for error in exc.errors()):
        return error_response(
            400, "malformed_json", "The request body is not valid JSON.", {"errors": errors}
        )
    return error_response(
        422, "invalid_request", "The request is not valid for this endpoint.", {"errors": errors}
    )


class AdminRoute(APIRoute):
    """Every admin route: domain refusals and validation errors become `{code, message}`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            if not url_is_text(request.scope.get("raw_path") or b"", request.scope["query_string"]):
                return error_response(
                    422, "invalid_request", "The URL is not valid UTF-8 once percent-decoded."
                )
            limit = request.app.state.sandbox.config.max_body_bytes
            declared = request.headers.get("content-length", "0")
            too_large = error_response(
                413, "body_too_large", f"Request bodies are limited to {limit} bytes."
            )
            if not declared.isdigit() or int(declared) > limit:
                return too_large
            timeout = request.app.state.sandbox.config.body_read_timeout_seconds
            try:
                async with asyncio.timeout(timeout):  # a stalled sender is cut off
                    if "content-length" not in request.headers and await _over_limit(
                        request, limit
                    ):
                        return too_large  # chunked: no header to trust, so count while reading
                    if self.body_field is not None:
                        refused = await _strict_body(request)
                        if refused is not None:
                            return refused
            except TimeoutError:
                return error_response(
                    408, "body_timeout", f"The request body did not arrive within {timeout:g} s."
                )
            try:
                return await handler(request)
            except DomainError as exc:
                response = error_response(exc.status, exc.code, exc.message)
                response.headers.update(exc.headers or {})
                return response
            except RequestValidationError as exc:
                return validation_response(exc)
            except HTTPException as exc:
                if exc.status_code == 400:  # FastAPI: a body it cannot decode (e.g. not UTF-8)
                    return error_response(
                        400, "malformed_json", "The request body is not valid JSON."
                    )
                raise

        return handle


async def _strict_body(request: Request) -> JSONResponse | None:
    """Parse a JSON body strictly before FastAPI does, or answer why not.

    FastAPI's `request.json()` is plain `json.loads`: a lone surrogate escape reached SQLite
    (500), and a body declared `text/plain` got a confusing validation error. The parsed value
    is left in Starlette's cache, so FastAPI validates exactly what was checked here.
    """
    body = await request.body()
    if not body:
        return None
    media_type = request.headers.get("content-type", "application/json")
    main = media_type.partition(";")[0].strip().casefold()
    if main != "application/json" and not re.fullmatch(r"application/[\w.+-]+\+json", main):
        return error_response(
            415, "unsupported_media_type", "Request bodies must be application/json."
        )
    try:
        request._json = strict_input.loads(body)  # Starlette's own cache: `request.json()`
    except strict_input.BadJson as exc:
        reason = exc.reason[:1].upper() + exc.reason[1:]
        return error_response(400, "malformed_json", f"{reason}.")
    return None


async def _over_limit(request: Request, limit: int) -> bool:
    """Read a body without Content-Length up to `limit`; keep it for the handler if it fits."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return True
        chunks.append(chunk)
    request._body = b"".join(chunks)  # Starlette's own cache: `request.body()` returns it
    return False
