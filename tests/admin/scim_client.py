"""A small SCIM client that sends what Microsoft Entra ID sends (its legacy dialect included).

The activation tests drive the Steeple side through the real SCIM endpoint with it, so they
prove the hooks are wired into the SCIM layer, not just that the domain functions work.
"""

from __future__ import annotations

from typing import Any

import httpx

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


class ScimClient:
    def __init__(self, scim_url: str, secret: str) -> None:
        self.http = httpx.Client(
            base_url=scim_url,
            headers={
                "Authorization": f"Bearer {secret}",
                "Content-Type": "application/scim+json; charset=utf-8",
            },
            timeout=10,
        )

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
        body: dict[str, Any] = {
            "schemas": [USER_SCHEMA],
            "externalId": user_name.split("@")[0],
            "userName": user_name,
            "active": active,
            "displayName": f"{given} {family}",
            "name": {"givenName": given, "familyName": family},
        }
        if email is not None:
            body["emails"] = [{"primary": True, "type": "work", "value": email}]
        return str(self._ok(self.http.post("/Users", json=body)).json()["id"])

    def set_active(self, user_id: str, active: bool) -> None:
        """Entra's legacy form: `Replace` with the boolean as a string."""
        operation = {"op": "Replace", "path": "active", "value": "True" if active else "False"}
        body = {"schemas": [PATCH_SCHEMA], "Operations": [operation]}
        self._ok(self.http.patch(f"/Users/{user_id}", json=body))

    def delete_user(self, user_id: str) -> None:
        self._ok(self.http.delete(f"/Users/{user_id}"))

    def create_group(self, name: str, members: list[str] | None = None) -> str:
        body = {
            "schemas": [GROUP_SCHEMA],
            "externalId": name.lower().replace(" ", "-"),
            "displayName": name,
            "members": [{"value": member} for member in members or []],
        }
        return str(self._ok(self.http.post("/Groups", json=body)).json()["id"])

    def add_members(self, group_id: str, members: list[str]) -> None:
        operation = {"op": "Add", "path": "members", "value": [{"value": m} for m in members]}
        body = {"schemas": [PATCH_SCHEMA], "Operations": [operation]}
        self._ok(self.http.patch(f"/Groups/{group_id}", json=body))

    def remove_members(self, group_id: str, members: list[str]) -> None:
        operation = {"op": "Remove", "path": "members", "value": [{"value": m} for m in members]}
        body = {"schemas": [PATCH_SCHEMA], "Operations": [operation]}
        self._ok(self.http.patch(f"/Groups/{group_id}", json=body))

    def delete_group(self, group_id: str) -> None:
        self._ok(self.http.delete(f"/Groups/{group_id}"))

    def close(self) -> None:
        self.http.close()
