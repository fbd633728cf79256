"""Entra-shaped SCIM writes over real HTTP, to build instance states for the journey tests."""

from __future__ import annotations

from typing import Any

import httpx

SCIM_JSON = "application/scim+json; charset=utf-8"


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": SCIM_JSON}


async def scim_create_user(scim_url: str, token: str, user_name: str, email: str | None) -> str:
    body: dict[str, Any] = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "externalId": user_name.split("@")[0],
        "userName": user_name,
        "active": True,
        "displayName": user_name.split("@")[0].title(),
        "name": {"givenName": "Test", "familyName": user_name.split("@")[0].title()},
    }
    if email:
        body["emails"] = [{"primary": True, "type": "work", "value": email}]
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{scim_url}/Users", json=body, headers=_headers(token))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def scim_create_group(scim_url: str, token: str, name: str, member_ids: list[str]) -> str:
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "externalId": name.replace(" ", "-").lower(),
        "displayName": name,
        "members": [{"value": member} for member in member_ids],
    }
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{scim_url}/Groups", json=body, headers=_headers(token))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])
