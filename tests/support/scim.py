"""The one SCIM helper: request bodies shaped like Microsoft Entra ID's, a live token from the
admin API, and small sync and async clients that send them to the real SCIM endpoint.

Every test that needs SCIM resources builds them here, so the shape Entra sends is written once;
the tests then drive the sandbox through its real SCIM endpoint, proving the hooks are wired into
the SCIM layer, not just that the domain functions work.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx

from assistant.steeple.contract import ENTRA_COMPLIANT_FLAG
from sandbox.server import SandboxServer

SCIM_JSON = "application/scim+json; charset=utf-8"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
INTEGRATION = "/integrations/azure-ad"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"

BJENSEN: dict[str, Any] = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
    "id": "2819c223",
    "externalId": "Bjensen",
    "userName": "bjensen@example.com",
    "name": {"givenName": "Barbara", "familyName": "Jensen"},
    "active": True,
    "emails": [
        {"value": "bjensen@example.com", "type": "work", "primary": True},
        {"value": "babs@jensen.org", "type": "home"},
    ],
    "meta": {"lastModified": "2011-05-13T04:42:34Z"},
    ENTERPRISE: {"department": "Tour Operations", "manager": {"value": "26118915"}},
}
"""RFC 7643 §8.2's full user, with the enterprise extension: what pure tests patch and filter."""

FILTER_PIECES = [
    "userName",
    "emails",
    "[",
    "]",
    "(",
    ")",
    '"a"',
    '"',
    " eq ",
    " and ",
    " or ",
    "not",
    " pr",
    ".",
    "value",
    "urn:x:y",
    ":",
    "1",
    "true",
    "null",
    " ",
    "\\",
    "co",
    "type",
]
"""Pieces of filter text the property tests join at random (RFC 7644 §3.4.2.2's words)."""


def scim_headers(token: str) -> dict[str, str]:
    """What Entra sends: SCIM JSON with a charset, and the bearer token."""
    return {"Authorization": f"Bearer {token}", "Content-Type": SCIM_JSON}


def user_body(
    user_name: str,
    email: str | None = None,
    *,
    given: str = "Test",
    family: str | None = None,
    display_name: str | None = None,
    active: bool = True,
) -> dict[str, Any]:
    """A POST /Users body with Entra's core attributes; family and display name default to the
    userName's local part, title-cased; `email=None` sends no `emails` at all."""
    local = user_name.split("@")[0]
    body: dict[str, Any] = {
        "schemas": [USER_SCHEMA],
        "externalId": local,
        "userName": user_name,
        "active": active,
        "displayName": display_name if display_name is not None else local.title(),
        "name": {"givenName": given, "familyName": family if family is not None else local.title()},
    }
    if email is not None:
        body["emails"] = [{"primary": True, "type": "work", "value": email}]
    return body


def entra_user(user_name: str, **extra: Any) -> dict[str, Any]:
    """A POST /Users body as Entra's default attribute mapping sends it (enterprise extension,
    formatted name); `extra` replaces top-level attributes."""
    body = user_body(user_name, user_name)
    body["schemas"] = [USER_SCHEMA, ENTERPRISE]
    body["name"]["formatted"] = body["name"]["familyName"]
    body[ENTERPRISE] = {"department": "Sales"}
    body.update(extra)
    return body


def group_body(name: str, members: list[str] | None = None) -> dict[str, Any]:
    """A POST /Groups body: externalId from the name, members by SCIM id."""
    return {
        "schemas": [GROUP_SCHEMA],
        "externalId": name.lower().replace(" ", "-"),
        "displayName": name,
        "members": [{"value": member} for member in members or []],
    }


def assert_scim_error(response: httpx.Response, status: int, scim_type: str | None) -> None:
    """An RFC 7644 §3.12 error: SCIM media type, Error schema, status and scimType as given."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/scim+json")
    body = response.json()
    assert body["schemas"] == [ERROR_SCHEMA]
    assert body["status"] == str(status)
    assert body.get("scimType") == scim_type


def make_token(server: SandboxServer) -> str:
    """A live SCIM token from the admin API (installing the integration first, idempotently)."""
    headers = {"Authorization": f"Bearer {server.config.admin_key}"}
    with httpx.Client(base_url=server.admin_url, headers=headers) as admin:
        admin.post(f"{INTEGRATION}").raise_for_status()
        created = admin.post(f"{INTEGRATION}/tokens")
        created.raise_for_status()
        return str(created.json()["secret"])


def token_for(server: SandboxServer) -> str:
    """One live SCIM token per server, reused (an instance keeps at most two live tokens)."""
    token: str | None = getattr(server, "_test_scim_token", None)
    if token is None:
        token = make_token(server)
        server._test_scim_token = token  # type: ignore[attr-defined]
    return token


def patch_body(*operations: dict[str, Any]) -> dict[str, Any]:
    """A PatchOp request (RFC 7644 §3.5.2) carrying `operations` in order."""
    return {"schemas": [PATCH_SCHEMA], "Operations": list(operations)}


def scim_patch(
    scim: httpx.Client, endpoint: str, resource_id: str, *operations: dict[str, Any]
) -> httpx.Response:
    """PATCH `/{endpoint}/{resource_id}` (`"Users"` or `"Groups"`) with `operations`."""
    return scim.patch(f"/{endpoint}/{resource_id}", json=patch_body(*operations))


def scim_client(server: SandboxServer, token: str, timeout: float = 10) -> httpx.Client:
    """An httpx client on `/scim/v2` sending Entra's headers with `token`."""
    return httpx.Client(base_url=server.scim_url, headers=scim_headers(token), timeout=timeout)


async def scim_create_user(scim_url: str, token: str, user_name: str, email: str | None) -> str:
    """POST a user (async, for tests already in an event loop); returns its SCIM id."""
    async with httpx.AsyncClient() as http:
        answer = await http.post(
            f"{scim_url}/Users", json=user_body(user_name, email), headers=scim_headers(token)
        )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


async def scim_create_group(scim_url: str, token: str, name: str, member_ids: list[str]) -> str:
    """POST a group holding `member_ids` (async); returns its SCIM id."""
    async with httpx.AsyncClient() as http:
        answer = await http.post(
            f"{scim_url}/Groups", json=group_body(name, member_ids), headers=scim_headers(token)
        )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


async def scim_post_empty_groups(base_url: str, token: str, names: Iterable[str]) -> None:
    """POST one empty group per name to the sandbox at `base_url`, as Entra sends them (its
    compliance flag on the URL): a directory with more groups than a page, for the roles step."""
    async with httpx.AsyncClient(
        base_url=f"{base_url}/scim/v2", headers=scim_headers(token)
    ) as scim:
        for name in names:
            body = {"schemas": [GROUP_SCHEMA], "displayName": name, "members": []}
            (await scim.post(f"/Groups?{ENTRA_COMPLIANT_FLAG}", json=body)).raise_for_status()


class ScimClient:
    """A small sync SCIM client that sends what Entra sends (its legacy dialect included)."""

    def __init__(self, scim_url: str, secret: str) -> None:
        self.http = httpx.Client(base_url=scim_url, headers=scim_headers(secret), timeout=10)

    def _ok(self, response: httpx.Response) -> httpx.Response:
        assert response.status_code < 300, (response.status_code, response.text)
        return response

    def create_user(
        self,
        user_name: str,
        email: str | None,
        given: str = "Test",
        family: str = "User",
        active: bool = True,
    ) -> str:
        body = user_body(
            user_name,
            email,
            given=given,
            family=family,
            display_name=f"{given} {family}",
            active=active,
        )
        return str(self._ok(self.http.post("/Users", json=body)).json()["id"])

    def set_active(self, user_id: str, active: bool) -> None:
        """Entra's legacy form: `Replace` with the boolean as a string."""
        operation = {"op": "Replace", "path": "active", "value": "True" if active else "False"}
        self._ok(scim_patch(self.http, "Users", user_id, operation))

    def delete_user(self, user_id: str) -> None:
        self._ok(self.http.delete(f"/Users/{user_id}"))

    def create_group(self, name: str, members: list[str] | None = None) -> str:
        return str(self._ok(self.http.post("/Groups", json=group_body(name, members))).json()["id"])

    def add_members(self, group_id: str, members: list[str]) -> None:
        operation = {"op": "Add", "path": "members", "value": [{"value": m} for m in members]}
        self._ok(scim_patch(self.http, "Groups", group_id, operation))

    def remove_members(self, group_id: str, members: list[str]) -> None:
        operation = {"op": "Remove", "path": "members", "value": [{"value": m} for m in members]}
        self._ok(scim_patch(self.http, "Groups", group_id, operation))

    def delete_group(self, group_id: str) -> None:
        self._ok(self.http.delete(f"/Groups/{group_id}"))

    def close(self) -> None:
        self.http.close()
