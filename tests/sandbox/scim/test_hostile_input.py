"""Hostile input to the SCIM endpoint and the admin API: refused cleanly, nothing written.

Issue 10 point 7: lone surrogates (as JSON escapes, percent-encoded in paths and query strings,
inside cursors), JSON nested ~1000 deep, the filter fast path with a bad escape, paging numbers
beyond 64 bits, `NaN`/`Infinity`, bodies that are not JSON or are declared as another media
type. Each input must get a 4xx in the API's own error form (RFC 7644 §3.12 for SCIM,
`{code, message}` for the admin API) — never a 5xx or a dropped connection — and leave every
stored table exactly as it was. One sandbox serves the whole module: a write that leaked from
one case would show in that very case's before/after comparison.
"""

# ruff: noqa: E501 — the case table reads one input per line; wrapping it would hide the inputs.
from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer
from tests.support.sandboxes import ADMIN_KEY, stored_state
from tests.support.scim import GROUP_SCHEMA, PATCH_SCHEMA, SCIM_JSON, entra_user, make_token

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
INTEGRATION = "/integrations/azure-ad"

SURROGATE = '"\\ud800"'  # a JSON string holding a lone high surrogate, as the escape arrives
LOW_SURROGATE = '"\\udfff"'
DEEP_ARRAY = "[" * 995 + "]" * 995
DEEP_OBJECT = '{"a":' * 995 + "1" + "}" * 995
HUGE = str(2**64)


def _cursor(*parts: str) -> str:
    """A cursor in the server's own encoding (base64 of a JSON list) holding `parts` raw."""
    text = "[" + ",".join(parts) + "]"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@dataclass(frozen=True)
class Case:
    label: str
    api: str  # "scim" | "admin"
    method: str
    path: str  # {user}, {group}, {community} filled from the seeded ids
    body: str | bytes | None = None
    content_type: str | None = None  # None: the client's default (SCIM JSON / JSON)
    status: int = 400
    kind: str | None = "invalidSyntax"  # scimType for SCIM, `code` for the admin API


def scim(label: str, method: str, path: str, body: str | bytes | None = None, **kw: Any) -> Case:
    return Case(label, "scim", method, path, body, **kw)


def admin(label: str, method: str, path: str, body: str | bytes | None = None, **kw: Any) -> Case:
    return Case(label, "admin", method, path, body, **kw)


def patch(*operations: str) -> str:
    return f'{{"schemas":["{PATCH_SCHEMA}"],"Operations":[{",".join(operations)}]}}'


ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
FILTER_INVALID = {"kind": "invalidFilter"}
VALUE_INVALID = {"kind": "invalidValue"}
WRONG_TYPE = {"status": 415, "kind": None}

CASES: list[Case] = [
    # --- lone surrogates in every SCIM field, as JSON escapes --------------------------------
    scim("user userName", "POST", "/Users", f'{{"userName":{SURROGATE}}}'),
    scim("user low surrogate", "POST", "/Users", f'{{"userName":{LOW_SURROGATE}}}'),
    scim("user displayName", "POST", "/Users", f'{{"userName":"s1@x","displayName":{SURROGATE}}}'),
    scim("user name.givenName", "POST", "/Users", f'{{"userName":"s2@x","name":{{"givenName":{SURROGATE}}}}}'),
    scim("user emails value", "POST", "/Users", f'{{"userName":"s3@x","emails":[{{"value":{SURROGATE}}}]}}'),
    scim("user externalId", "POST", "/Users", f'{{"userName":"s4@x","externalId":{SURROGATE}}}'),
    scim("user unknown attr", "POST", "/Users", f'{{"userName":"s5@x","title":{SURROGATE}}}'),
    scim("user attribute name", "POST", "/Users", f'{{"userName":"s6@x",{SURROGATE}:"x"}}'),
    scim("user enterprise", "POST", "/Users", f'{{"userName":"s7@x","{ENTERPRISE}":{{"department":{SURROGATE}}}}}'),
    scim("group displayName", "POST", "/Groups", f'{{"displayName":{SURROGATE}}}'),
    scim("group externalId", "POST", "/Groups", f'{{"displayName":"S","externalId":{SURROGATE}}}'),
    scim("group member value", "POST", "/Groups", f'{{"displayName":"S","members":[{{"value":{SURROGATE}}}]}}'),
    scim("put user", "PUT", "/Users/{user}", f'{{"userName":{SURROGATE}}}'),
    scim("put group", "PUT", "/Groups/{group}", f'{{"displayName":{SURROGATE}}}'),
    scim("patch path", "PATCH", "/Users/{user}", patch(f'{{"op":"replace","path":{SURROGATE},"value":"x"}}')),
    scim("patch op", "PATCH", "/Users/{user}", patch(f'{{"op":{SURROGATE},"path":"title","value":"x"}}')),
    scim("patch value", "PATCH", "/Users/{user}", patch(f'{{"op":"replace","path":"displayName","value":{SURROGATE}}}')),
    scim("patch pathless value", "PATCH", "/Users/{user}", patch(f'{{"op":"replace","value":{{"displayName":{SURROGATE}}}}}')),
    scim("patch value filter", "PATCH", "/Users/{user}", patch('{"op":"replace","path":"emails[type eq \\"\\ud800\\"].value","value":"x"}')),
    scim("patch group member", "PATCH", "/Groups/{group}", patch(f'{{"op":"add","path":"members","value":[{{"value":{SURROGATE}}}]}}')),
    scim("patch group rename", "PATCH", "/Groups/{group}", patch(f'{{"op":"replace","path":"displayName","value":{SURROGATE}}}')),
    scim("patch group remove filter", "PATCH", "/Groups/{group}", patch('{"op":"remove","path":"members[value eq \\"\\ud800\\"]"}')),
    # --- lone surrogates in filters (fast path and full parser) and URLs ---------------------
    scim("filter eq userName", "GET", '/Users?filter=userName eq "\\ud800"', **FILTER_INVALID),
    scim("filter eq group name", "GET", '/Groups?filter=displayName eq "\\ud800"', **FILTER_INVALID),
    scim("filter eq unindexed", "GET", '/Users?filter=displayName eq "\\ud800"', **FILTER_INVALID),
    scim("filter co", "GET", '/Users?filter=userName co "\\ud800"', **FILTER_INVALID),
    scim("filter and", "GET", '/Users?filter=userName eq "a" and title eq "\\udc00"', **FILTER_INVALID),
    scim("filter value path", "GET", '/Users?filter=emails[value eq "\\ud800"]', **FILTER_INVALID),
    scim("url-encoded in filter", "GET", "/Users?filter=userName%20eq%20%22%ED%A0%80%22", **VALUE_INVALID),
    scim("url-encoded in attributes", "GET", "/Users?attributes=%ED%A0%80", **VALUE_INVALID),
    scim("url-encoded low in filter", "GET", "/Groups?filter=displayName%20eq%20%22%ED%BF%BF%22", **VALUE_INVALID),
    scim("url-encoded in id", "GET", "/Users/%ED%A0%80", **VALUE_INVALID),
    scim("url-encoded in group id", "DELETE", "/Groups/%ED%A0%80", **VALUE_INVALID),
    scim("url-encoded in patch id", "PATCH", "/Users/x%ED%A0%80", patch('{"op":"add","path":"title","value":"t"}'), **VALUE_INVALID),
    # --- the filter fast path with a bad escape ----------------------------------------------
    scim("fast path \\x users", "GET", '/Users?filter=userName eq "\\x"', **FILTER_INVALID),
    scim("fast path \\x groups", "GET", '/Groups?filter=displayName eq "\\x"', **FILTER_INVALID),
    scim("fast path \\u short", "GET", '/Users?filter=externalId eq "\\u12"', **FILTER_INVALID),
    # --- paging numbers beyond 64 bits -------------------------------------------------------
    scim("startIndex 2^64 users", "GET", f"/Users?startIndex={HUGE}", **VALUE_INVALID),
    scim("startIndex 2^64 groups", "GET", f"/Groups?startIndex={HUGE}", **VALUE_INVALID),
    scim("startIndex 2^63", "GET", f"/Users?startIndex={2**63}", **VALUE_INVALID),
    scim("count 2^64", "GET", f"/Users?count={HUGE}", **VALUE_INVALID),
    scim("startIndex 2^64 filtered", "GET", f'/Users?filter=userName eq "a@x"&startIndex={HUGE}', **VALUE_INVALID),
    scim("startIndex 5000 digits", "GET", "/Groups?startIndex=" + "9" * 5000, **VALUE_INVALID),
    # --- NaN / Infinity -----------------------------------------------------------------------
    scim("NaN in body", "POST", "/Users", '{"userName":"n1@x","active":NaN}'),
    scim("Infinity in body", "POST", "/Users", '{"userName":"n2@x","x":Infinity}'),
    scim("-Infinity in body", "POST", "/Users", '{"userName":"n3@x","x":-Infinity}'),
    scim("1e999 in body", "POST", "/Users", '{"userName":"n4@x","x":1e999}'),
    scim("NaN in patch", "PATCH", "/Users/{user}", patch('{"op":"add","path":"title","value":NaN}')),
    scim("NaN in filter", "GET", "/Users?filter=title eq NaN", **FILTER_INVALID),
    scim("1e999 in filter", "GET", "/Users?filter=title gt 1e999", **FILTER_INVALID),
    # --- nesting ~1000 deep -------------------------------------------------------------------
    scim("deep array body", "POST", "/Users", DEEP_ARRAY),
    scim("deep object in user", "POST", "/Users", '{"userName":"d@x","x":' + DEEP_OBJECT + "}"),
    scim("deep patch value", "PATCH", "/Users/{user}", patch('{"op":"add","path":"title","value":' + DEEP_ARRAY + "}")),
    scim("deep group", "POST", "/Groups", '{"displayName":"D","members":' + DEEP_ARRAY + "}"),
    # --- not JSON, or declared as something else ----------------------------------------------
    scim("not JSON", "POST", "/Users", "userName=x"),
    scim("empty body", "POST", "/Users", ""),
    scim("not JSON patch", "PATCH", "/Groups/{group}", "{"),
    scim("text/plain", "POST", "/Users", '{"userName":"t1@x"}', content_type="text/plain", **WRONG_TYPE),
    scim("form", "POST", "/Users", '{"userName":"t2@x"}', content_type="application/x-www-form-urlencoded", **WRONG_TYPE),
    scim("xml put", "PUT", "/Users/{user}", '{"userName":"t3@x"}', content_type="application/xml", **WRONG_TYPE),
    scim("text patch", "PATCH", "/Users/{user}", patch('{"op":"add","path":"title","value":"t"}'), content_type="text/plain; charset=utf-8", **WRONG_TYPE),
    # --- the admin API: bodies, cursors, numbers ----------------------------------------------
    admin("sso surrogate", "PUT", "/sso", f'{{"identifier_claim":{SURROGATE}}}', kind="malformed_json", status=400),
    admin("mapping surrogate", "PUT", INTEGRATION + "/groups/{group}/mapping", f'{{"community_id":{SURROGATE},"role":"user"}}', kind="malformed_json", status=400),
    admin("mapping surrogate role", "PUT", INTEGRATION + "/groups/{group}/mapping", f'{{"community_id":"{{community}}","role":{SURROGATE}}}', kind="malformed_json", status=400),
    admin("sso deep", "PUT", "/sso", DEEP_ARRAY, kind="malformed_json", status=400),
    admin("sso deep value", "PUT", "/sso", '{"identifier_claim":' + DEEP_OBJECT + "}", kind="malformed_json", status=400),
    admin("sso NaN", "PUT", "/sso", '{"identifier_claim":NaN}', kind="malformed_json", status=400),
    admin("sso Infinity", "PUT", "/sso", '{"protocol":"saml","identifier_claim":"e","x":Infinity}', kind="malformed_json", status=400),
    admin("sso not JSON", "PUT", "/sso", "identifier_claim=email", kind="malformed_json", status=400),
    admin("sso text/plain", "PUT", "/sso", '{"identifier_claim":"upn"}', content_type="text/plain", kind="unsupported_media_type", status=415),
    admin("mapping form", "PUT", INTEGRATION + "/groups/{group}/mapping", '{"community_id":"{community}","role":"admin"}', content_type="application/x-www-form-urlencoded", kind="unsupported_media_type", status=415),
    admin("users cursor surrogate", "GET", "/users?cursor=" + _cursor(SURROGATE), kind="invalid_cursor", status=422),
    admin("groups cursor surrogate", "GET", INTEGRATION + "/groups?cursor=" + _cursor(SURROGATE, '"x"'), kind="invalid_cursor", status=422),
    admin("scim-users cursor surrogate", "GET", INTEGRATION + "/scim-users?cursor=" + _cursor(SURROGATE), kind="invalid_cursor", status=422),
    admin("cursor url-encoded", "GET", "/users?cursor=%ED%A0%80", kind="invalid_request", status=422),
    admin("query url-encoded", "GET", INTEGRATION + "/groups?query=%ED%A0%80", kind="invalid_request", status=422),
    admin("requests after 2^64", "GET", INTEGRATION + f"/requests?after={HUGE}", kind="invalid_cursor", status=422),
    admin("requests limit 2^64", "GET", INTEGRATION + f"/requests?limit={HUGE}", kind="invalid_request", status=422),
    admin("users limit 2^64", "GET", f"/users?limit={HUGE}", kind="invalid_request", status=422),
    admin("url-encoded group id", "PUT", INTEGRATION + "/groups/%ED%A0%80/mapping", '{"community_id":"{community}","role":"user"}', kind="invalid_request", status=422),
]  # fmt: skip


@dataclass
class Seeded:
    server: SandboxServer
    scim: httpx.Client
    admin: httpx.Client
    ids: dict[str, str]
    db_path: Path


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """A demo sandbox with one SCIM user in a SCIM group mapped to a community."""
    db_path = tmp_path_factory.mktemp("hostile") / "steeple.db"
    server = SandboxServer(SandboxConfig(admin_key=ADMIN_KEY, db_path=db_path)).start()
    token = make_token(server)
    scim_client = httpx.Client(
        base_url=server.scim_url,
        headers={"Authorization": f"Bearer {token}", "Content-Type": SCIM_JSON},
        timeout=15,
    )
    admin_client = httpx.Client(
        base_url=server.admin_url, headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=15
    )
    try:
        user = scim_client.post("/Users", json=entra_user("a@x")).json()["id"]
        body = {"schemas": [GROUP_SCHEMA], "displayName": "G", "members": [{"value": user}]}
        group = scim_client.post("/Groups", json=body).json()["id"]
        community = admin_client.get("/communities").json()["items"][0]["id"]
        mapping = {"community_id": community, "role": "user"}
        admin_client.put(f"{INTEGRATION}/groups/{group}/mapping", json=mapping).raise_for_status()
        ids = {"user": user, "group": group, "community": community}
        yield Seeded(server, scim_client, admin_client, ids, db_path)
    finally:
        scim_client.close()
        admin_client.close()
        server.stop()


def _fill(text: str, ids: dict[str, str]) -> str:
    for name, value in ids.items():
        text = text.replace("{" + name + "}", value)
    return text


@pytest.mark.parametrize("case", CASES, ids=[case.label for case in CASES])
def test_hostile_input_is_refused_in_form_and_writes_nothing(seeded: Seeded, case: Case) -> None:
    before = stored_state(seeded.db_path)
    client = seeded.scim if case.api == "scim" else seeded.admin
    body = case.body.encode() if isinstance(case.body, str) else case.body
    headers = {"Content-Type": case.content_type} if case.content_type else {}
    if body is not None and case.content_type is None and case.api == "admin":
        headers["Content-Type"] = "application/json"
    body = _fill(body.decode(), seeded.ids).encode() if body is not None else None
    # A dropped connection raises here (httpx.RemoteProtocolError) and fails the case.
    path = _fill(case.path, seeded.ids)
    response = client.request(case.method, path, content=body, headers=headers)

    assert response.status_code < 500, response.text
    assert response.status_code == case.status, response.text
    document = response.json()
    if case.api == "scim":
        assert response.headers["content-type"].startswith("application/scim+json")
        assert document["schemas"] == [ERROR_SCHEMA]
        assert document["status"] == str(case.status)
        assert document.get("scimType") == case.kind
        assert isinstance(document["detail"], str) and document["detail"]
    else:
        assert document["code"] == case.kind
        assert isinstance(document["message"], str) and document["message"]
    assert stored_state(seeded.db_path) == before


def test_the_server_still_answers_after_the_hostile_inputs(seeded: Seeded) -> None:
    """Runs after the cases above: the same sandbox still creates and lists normally."""
    created = seeded.scim.post("/Users", json=entra_user("after@x"))
    assert created.status_code == 201
    listed = seeded.scim.get("/Users", params={"filter": 'userName eq "after@x"'})
    assert listed.json()["totalResults"] == 1
