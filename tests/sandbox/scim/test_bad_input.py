"""Bad input gets the right RFC 7644 §3.12 error, never a 500, and changes nothing stored."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from sandbox.db import transaction
from sandbox.server import SandboxServer
from tests.support.sandboxes import dump_scim_tables
from tests.support.scim import (
    GROUP_SCHEMA,
    PATCH_SCHEMA,
    SCIM_JSON,
    assert_scim_error,
    entra_user,
    make_token,
    patch_body,
)

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
Dump = Callable[[], dict[str, list[tuple[Any, ...]]]]


@pytest.fixture
def seeded(scim: httpx.Client) -> dict[str, str]:
    """One user and one group holding it, so every bad request has something to damage."""
    user = scim.post("/Users", json=entra_user("quinn@contoso.com")).json()
    other = scim.post("/Users", json=entra_user("rita@contoso.com")).json()
    group = scim.post(
        "/Groups",
        json={"schemas": [GROUP_SCHEMA], "displayName": "G", "members": [{"value": user["id"]}]},
    ).json()
    return {"user": user["id"], "other": other["id"], "group": group["id"]}


BAD_REQUESTS: list[tuple[str, str, str, Any, int, str | None]] = [
    # (label, method, path template, body, status, scimType)
    ("malformed JSON", "POST", "/Users", b'{"userName": ', 400, "invalidSyntax"),
    ("not UTF-8", "POST", "/Users", b'{"userName": "\xff"}', 400, "invalidSyntax"),
    ("array body", "POST", "/Users", [], 400, "invalidSyntax"),
    ("no userName", "POST", "/Users", {"schemas": []}, 400, "invalidValue"),
    ("userName number", "POST", "/Users", {"userName": 42}, 400, "invalidValue"),
    ("active maybe", "POST", "/Users", {"userName": "x@y", "active": "maybe"}, 400, "invalidValue"),
    ("emails string", "POST", "/Users", {"userName": "x@y", "emails": "x@y"}, 400, "invalidValue"),
    ("name string", "POST", "/Users", {"userName": "x@y", "name": "X"}, 400, "invalidValue"),
    ("schemas string", "POST", "/Users", {"userName": "x@y", "schemas": "u"}, 400, "invalidValue"),
    ("dup userName", "POST", "/Users", {"userName": "QUINN@contoso.com"}, 409, "uniqueness"),
    # One person, one userName (issue 20): invisible and compatibility twins are the same name.
    (
        "zero-width twin",
        "POST",
        "/Users",
        {"userName": "quinn\u200b@contoso.com"},
        409,
        "uniqueness",
    ),
    (
        "soft-hyphen twin",
        "POST",
        "/Users",
        {"userName": "qu\u00adinn@contoso.com"},
        409,
        "uniqueness",
    ),
    ("BOM twin", "POST", "/Users", {"userName": "\ufeffquinn@contoso.com"}, 409, "uniqueness"),
    (
        "bidi-mark twin",
        "POST",
        "/Users",
        {"userName": "quinn@contoso.com\u200f"},
        409,
        "uniqueness",
    ),
    (
        "full-width twin",
        "POST",
        "/Users",
        {"userName": "ｑｕｉｎｎ@contoso.com"},
        409,
        "uniqueness",
    ),
    (
        "put zero-width twin",
        "PUT",
        "/Users/{other}",
        {"userName": "quinn\u2060@contoso.com"},
        409,
        "uniqueness",
    ),
    # Control characters (NUL included) in what names a person or a group.
    (
        "NUL in userName",
        "POST",
        "/Users",
        {"userName": "nul\u0000@contoso.com"},
        400,
        "invalidValue",
    ),
    ("ESC in userName", "POST", "/Users", {"userName": "\u001b]0;x\u0007@y"}, 400, "invalidValue"),
    (
        "C1 in externalId",
        "POST",
        "/Users",
        {"userName": "c1@y", "externalId": "a\u0085b"},
        400,
        "invalidValue",
    ),
    (
        "tab in displayName",
        "POST",
        "/Users",
        {"userName": "t@y", "displayName": "A\tB"},
        400,
        "invalidValue",
    ),
    ("NUL in group name", "POST", "/Groups", {"displayName": "G\u0000"}, 400, "invalidValue"),
    (
        "put NUL userName",
        "PUT",
        "/Users/{user}",
        {"userName": "quinn\u0000@contoso.com"},
        400,
        "invalidValue",
    ),
    (
        "patch NUL userName",
        "PATCH",
        "/Users/{user}",
        patch_body({"op": "replace", "path": "userName", "value": "q\u0000@contoso.com"}),
        400,
        "invalidValue",
    ),
    (
        "patch group name control",
        "PATCH",
        "/Groups/{group}",
        patch_body({"op": "replace", "path": "displayName", "value": "G\u009b2J"}),
        400,
        "invalidValue",
    ),
    # RFC 8259 §4: a member named twice has no defined meaning; RFC 7643 §2.1: names are caseless.
    (
        "duplicate member",
        "POST",
        "/Users",
        b'{"userName": "a@y", "userName": "b@y"}',
        400,
        "invalidSyntax",
    ),
    (
        "caseless duplicate",
        "POST",
        "/Users",
        b'{"userName": "a@y", "USERNAME": "b@y"}',
        400,
        "invalidSyntax",
    ),
    (
        "nested duplicate",
        "POST",
        "/Users",
        b'{"userName": "a@y", "name": {"givenName": "A", "givenname": "B"}}',
        400,
        "invalidSyntax",
    ),
    (
        "group duplicate",
        "POST",
        "/Groups",
        b'{"displayName": "G", "displayName": "H"}',
        400,
        "invalidSyntax",
    ),
    (
        "patch duplicate op",
        "PATCH",
        "/Users/{user}",
        b'{"Operations": [{"op": "add", "op": "remove", "path": "title"}]}',
        400,
        "invalidSyntax",
    ),
    ("group no name", "POST", "/Groups", {"members": []}, 400, "invalidValue"),
    (
        "member not str",
        "POST",
        "/Groups",
        {"displayName": "H", "members": [{"value": 7}]},
        400,
        "invalidValue",
    ),
    ("put dup", "PUT", "/Users/{other}", {"userName": "quinn@contoso.com"}, 409, "uniqueness"),
    ("put bad type", "PUT", "/Users/{user}", {"userName": ["a"]}, 400, "invalidValue"),
    ("patch no ops", "PATCH", "/Users/{user}", {"schemas": [PATCH_SCHEMA]}, 400, "invalidSyntax"),
    (
        "patch bad op",
        "PATCH",
        "/Users/{user}",
        patch_body({"op": "Frobnicate", "path": "title", "value": "x"}),
        400,
        "invalidSyntax",
    ),
    (
        "patch second op invalid",
        "PATCH",
        "/Users/{user}",
        patch_body(
            {"op": "replace", "path": "displayName", "value": "Changed"},
            {"op": "replace", "path": "active", "value": "perhaps"},
        ),
        400,
        "invalidValue",
    ),
    (
        "patch dup userName",
        "PATCH",
        "/Users/{other}",
        patch_body({"op": "replace", "path": "userName", "value": "Quinn@Contoso.com"}),
        409,
        "uniqueness",
    ),
    (
        "patch bad path",
        "PATCH",
        "/Users/{user}",
        patch_body({"op": "replace", "path": "emails[type eq", "value": "x"}),
        400,
        "invalidPath",
    ),
    ("remove no path", "PATCH", "/Users/{user}", patch_body({"op": "remove"}), 400, "noTarget"),
    (
        "group patch bad member",
        "PATCH",
        "/Groups/{group}",
        patch_body({"op": "add", "path": "members", "value": [{"display": "no value"}]}),
        400,
        "invalidValue",
    ),
    (
        "group rename to empty",
        "PATCH",
        "/Groups/{group}",
        patch_body(
            {"op": "remove", "path": "members", "value": [{"value": "{user}"}]},
            {"op": "replace", "path": "displayName", "value": ""},
        ),
        400,
        "invalidValue",
    ),
    ("unknown user GET", "GET", "/Users/nope", None, 404, None),
    ("unknown user PUT", "PUT", "/Users/nope", {"userName": "a@b"}, 404, None),
    (
        "unknown user PATCH",
        "PATCH",
        "/Users/nope",
        patch_body({"op": "remove", "path": "x"}),
        404,
        None,
    ),
    ("unknown user DELETE", "DELETE", "/Users/nope", None, 404, None),
    ("unknown group GET", "GET", "/Groups/nope", None, 404, None),
    (
        "unknown group PATCH",
        "PATCH",
        "/Groups/nope",
        patch_body({"op": "remove", "path": "x"}),
        404,
        None,
    ),
    ("unknown group DELETE", "DELETE", "/Groups/nope", None, 404, None),
    ("unknown endpoint", "GET", "/Widgets", None, 404, None),
    ("bad method", "DELETE", "/Users", None, 405, None),
    ("bad startIndex", "GET", "/Users?startIndex=abc", None, 400, "invalidValue"),
]

BAD_FILTERS = [
    'userName eq "a',
    "userName eq",
    'userName xx "a"',
    '(userName eq "a"',
    'userName eq "a" and',
    '"abc" eq userName',
    'emails[type eq "work"',
    "userName eq bare",
    "",
    "x" * 5000,
    " and ".join(['userName eq "a"'] * 100),
]


@pytest.mark.parametrize(
    ("label", "method", "path", "body", "status", "scim_type"),
    BAD_REQUESTS,
    ids=[case[0] for case in BAD_REQUESTS],
)
def test_bad_request_is_refused_and_changes_nothing(
    scim: httpx.Client,
    seeded: dict[str, str],
    dump: Dump,
    label: str,
    method: str,
    path: str,
    body: Any,
    status: int,
    scim_type: str | None,
) -> None:
    before = dump()
    content = None
    if isinstance(body, bytes):
        content = body
    elif body is not None:
        content = json.dumps(body).replace("{user}", seeded["user"]).encode()
    response = scim.request(method, path.format(**seeded), content=content)
    assert_scim_error(response, status, scim_type)
    assert dump() == before


def test_bad_filters_are_400_invalid_filter(scim: httpx.Client, seeded: dict[str, str]) -> None:
    for filter_text in BAD_FILTERS:
        for resource in ("/Users", "/Groups"):
            response = scim.get(resource, params={"filter": filter_text})
            assert_scim_error(response, 400, "invalidFilter")


@pytest.fixture
def small_body_server(start_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    return start_sandbox(seed="empty", max_body_bytes=2048)


def test_huge_bodies_are_413_with_or_without_content_length(
    small_body_server: SandboxServer,
) -> None:
    token = make_token(small_body_server)
    conn = small_body_server.app.state.sandbox.conn
    before = dump_scim_tables(conn)
    huge = json.dumps(entra_user("big@contoso.com", title="x" * 10_000)).encode()

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(huge), 1000):
            yield huge[start : start + 1000]

    headers = {"Authorization": f"Bearer {token}", "Content-Type": SCIM_JSON}
    with httpx.Client(base_url=small_body_server.scim_url, headers=headers) as client:
        assert_scim_error(client.post("/Users", content=huge), 413, None)
        # Chunked transfer: no Content-Length, the limit is enforced while reading.
        assert_scim_error(client.post("/Users", content=chunks()), 413, None)
        assert dump_scim_tables(conn) == before
        fits = client.post("/Users", json=entra_user("small@contoso.com"))
        assert fits.status_code == 201


def test_wrong_missing_and_revoked_tokens_are_401(
    sandbox: SandboxServer, seeded: dict[str, str], scim_token: str, dump: Dump
) -> None:
    before = dump()
    url = sandbox.scim_url
    attempts = [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer stp_wrong-token"},
        {"Authorization": f"Basic {scim_token}"},
        {"Authorization": f"Bearer {scim_token}x"},
    ]
    for headers in attempts:
        response = httpx.post(url + "/Users", json=entra_user("s@contoso.com"), headers=headers)
        assert_scim_error(response, 401, None)
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert httpx.get(url + f"/Users/{seeded['user']}", headers=headers).status_code == 401
    state = sandbox.app.state.sandbox
    with transaction(state.conn):
        state.conn.execute("UPDATE scim_tokens SET revoked_at = ?", (state.now().isoformat(),))
    revoked = httpx.delete(
        url + f"/Users/{seeded['user']}", headers={"Authorization": f"Bearer {scim_token}"}
    )
    assert_scim_error(revoked, 401, None)
    assert dump() == before
