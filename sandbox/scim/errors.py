"""SCIM errors in RFC 7644 §3.12 form, raised anywhere in the SCIM layer and answered by the app.

Messages never carry a header, token or request body: they name the problem and the attribute.
"""

from __future__ import annotations

import json

from starlette.responses import Response

SCIM_MEDIA_TYPE = "application/scim+json"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


class ScimError(Exception):
    """An error the client caused (or a 500 for our own bugs); `scim_type` per RFC 7644 table 9."""

    def __init__(
        self,
        status: int,
        detail: str,
        scim_type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type
        self.headers = headers


def invalid_value(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


def invalid_syntax(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidSyntax")


def invalid_filter(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidFilter")


def invalid_path(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidPath")


ACCEPTED_MEDIA_TYPES = frozenset({SCIM_MEDIA_TYPE, "application/json"})


def check_media_type(content_type: str | None) -> None:
    """Refuse (415) a body declared as anything but SCIM JSON or JSON (RFC 7644 §3.1, §8.1).

    A missing Content-Type is let through and parsed as JSON: lenient clients omit it, and the
    parser still refuses what is not JSON.
    """
    if content_type is None:
        return
    media_type = content_type.partition(";")[0].strip().casefold()
    if media_type not in ACCEPTED_MEDIA_TYPES:
        raise ScimError(415, "the body must be application/scim+json or application/json")


def not_found(resource_type: str, resource_id: str) -> ScimError:
    # The id is ours (or garbage the client sent); echo only a bounded amount of it.
    return ScimError(404, f"{resource_type} {resource_id[:64]!r} not found")


def error_body(status: int, detail: str, scim_type: str | None = None) -> bytes:
    body: dict[str, object] = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return json.dumps(body).encode()


def error_response(error: ScimError, headers: dict[str, str] | None = None) -> Response:
    return Response(
        error_body(error.status, error.detail, error.scim_type),
        status_code=error.status,
        media_type=SCIM_MEDIA_TYPE,
        headers=headers if headers is not None else error.headers,
    )
