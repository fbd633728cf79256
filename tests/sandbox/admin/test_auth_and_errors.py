"""Bad keys and bad input: the right `{code, message}` error, and nothing stored changes."""

from __future__ import annotations

import httpx
import pytest

from tests.support.sandboxes import Instance, dump_tables
from tests.support.scim import INTEGRATION

BAD_AUTHORIZATIONS: list[dict[str, str]] = [
    {},
    {"Authorization": "Bearer wrong-key"},
    {"Authorization": "Basic YWRtaW46YWRtaW4="},
    {"Authorization": "Bearer adm_PLANTED"},  # a prefix of the real key
]


def test_a_missing_or_wrong_admin_key_is_refused_with_401(installed: Instance) -> None:
    before = dump_tables(installed.db_path)
    for headers in BAD_AUTHORIZATIONS:
        for method, path in [
            ("GET", "/sso"),
            ("PUT", "/sso"),
            ("POST", f"{INTEGRATION}/tokens"),
            ("DELETE", INTEGRATION),
            ("GET", "/users"),
        ]:
            response = httpx.request(
                method,
                installed.server.admin_url + path,
                headers=headers,
                json={"protocol": "oidc"},
            )
            assert response.status_code == 401, (method, path, headers)
            assert response.json()["code"] == "unauthorized"
            assert response.headers["www-authenticate"] == "Bearer"
    assert dump_tables(installed.db_path) == before


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'{"protocol": "oidc",', id="truncated"),
        # RFC 8259 §4: which value wins is undefined, so the admin API takes neither (issue 20).
        pytest.param(b'{"protocol": "saml", "protocol": "oidc"}', id="duplicate member"),
        pytest.param(b'{"protocol": "oidc", "x": {"a": 1, "a": 2}}', id="nested duplicate"),
    ],
)
def test_malformed_json_is_400_and_changes_nothing(demo: Instance, body: bytes) -> None:
    """Not JSON it accepts: 400 (malformed syntax), where 422 means JSON of the wrong shape."""
    before = dump_tables(demo.db_path)
    response = demo.admin.put("/sso", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"
    assert "protocol" not in response.text  # nothing of the body is echoed
    assert dump_tables(demo.db_path) == before


def test_wrong_types_in_a_body_are_422_without_echoing_the_input(demo: Instance) -> None:
    before = dump_tables(demo.db_path)
    for body in (
        {"protocol": "kerberos"},
        {"identifier_claim": 42},
        {"identifier_claim": ""},
        {"provider": "okta"},
        [1, 2, 3],
        "oidc",
    ):
        response = demo.admin.put("/sso", json=body)
        assert response.status_code == 422, body
        payload = response.json()
        assert payload["code"] == "invalid_request"
        assert "kerberos" not in response.text and "okta" not in response.text
        assert payload["details"]["errors"]
    assert dump_tables(demo.db_path) == before


def test_bad_query_parameters_are_422(demo: Instance) -> None:
    for params in ({"limit": "abc"}, {"limit": 0}, {"limit": 100000}, {"cursor": "not-a-cursor"}):
        response = demo.admin.get("/users", params=params)
        assert response.status_code == 422, params
        assert response.json()["code"] in {"invalid_request", "invalid_cursor"}


def test_unknown_ids_are_404_and_change_nothing(installed: Instance) -> None:
    before = dump_tables(installed.db_path)
    revoke = installed.admin.delete(f"{INTEGRATION}/tokens/tok_nope")
    assert revoke.status_code == 404
    assert revoke.json()["code"] == "token_not_found"
    mapping = installed.admin.put(
        f"{INTEGRATION}/groups/no-such-group/mapping",
        json={"community_id": "com_x", "role": "user"},
    )
    assert mapping.status_code == 404
    assert mapping.json()["code"] == "group_not_found"
    unmap = installed.admin.delete(f"{INTEGRATION}/groups/no-such-group/mapping")
    assert unmap.status_code == 404
    unknown = installed.admin.get("/no/such/endpoint")
    assert unknown.status_code == 404
    assert unknown.json() == {"code": "not_found", "message": "No such admin API endpoint."}
    assert dump_tables(installed.db_path) == before


NEEDS_INSTALL = [
    ("GET", "/credentials"),
    ("GET", "/tokens"),
    ("POST", "/tokens"),
    ("DELETE", "/tokens/tok_1"),
    ("GET", "/provisioning"),
    ("GET", "/groups"),
    ("PUT", "/groups/g1/mapping"),
    ("DELETE", "/groups/g1/mapping"),
    ("GET", "/scim-users"),
    ("GET", "/activation-preview"),
    ("POST", "/activate"),
    ("GET", "/deactivation-preview"),
    ("POST", "/deactivate"),
    ("GET", "/removal-preview"),
]


def test_integration_endpoints_need_the_integration_installed(demo: Instance) -> None:
    before = dump_tables(demo.db_path)
    for method, path in NEEDS_INSTALL:
        body = {"community_id": "c", "role": "user"} if method == "PUT" else None
        response = demo.admin.request(method, INTEGRATION + path, json=body)
        assert response.status_code == 409, (method, path)
        assert response.json()["code"] == "integration_not_installed"
    assert dump_tables(demo.db_path) == before


def test_a_huge_body_is_refused_with_413_before_it_is_parsed(demo: Instance) -> None:
    before = dump_tables(demo.db_path)
    huge = b'{"identifier_claim": "' + b"x" * 2_000_000 + b'"}'
    response = demo.admin.put("/sso", content=huge, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"
    assert dump_tables(demo.db_path) == before
