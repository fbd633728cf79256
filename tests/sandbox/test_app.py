"""sandbox/app.py composes a Steeple with its simulated tenant, and tells the tenant what it knows.

Steeple and the simulated Microsoft side meet over HTTP only (an import contract holds it): the
tenant's directory, and the enterprise app an admin made for Steeple's single sign-on, are the
tenant's own configuration, set up by the composer, as a customer's admin sets a real tenant up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from sandbox import hostile
from sandbox.demo_company import EMPLOYEES
from sandbox.entra.host import EntraHost
from sandbox.server import SandboxServer


def _admin(server: SandboxServer, admin_key: str) -> httpx.Client:
    headers = {"Authorization": f"Bearer {admin_key}"}
    return httpx.Client(base_url=server.admin_url, headers=headers, timeout=30)


def _sso_apps(server: SandboxServer) -> list[Any]:
    assert server.graph is not None
    return list(server.graph.emulator.service_principals.values())


def test_the_tenant_holds_steeples_sso_app_when_sso_is_set_up(
    start_sandbox: Callable[..., SandboxServer], admin_key: str
) -> None:
    server = start_sandbox(with_entra=True, with_graph=True, db_path=":memory:")
    with _admin(server, admin_key) as admin:
        sso = admin.get("/sso").json()
    (app,) = _sso_apps(server)
    assert sso["saml_entity_id"] in app.service_principal_names
    assert app.reply_urls == [sso["reply_url"]]
    assert app.preferred_single_sign_on_mode == "saml"


def test_setting_sso_up_in_steeple_makes_its_app_in_the_tenant_once(
    start_sandbox: Callable[..., SandboxServer], admin_key: str
) -> None:
    server = start_sandbox(with_entra=True, with_graph=True, sso=False, db_path=":memory:")
    assert _sso_apps(server) == []  # no SSO: no admin made its app
    with _admin(server, admin_key) as admin:
        sso = admin.put("/sso", json={"protocol": "saml"}).raise_for_status().json()
        admin.put("/sso", json={"protocol": "saml"}).raise_for_status()  # again: the same app
    (app,) = _sso_apps(server)
    assert sso["saml_entity_id"] in app.service_principal_names
    assert app.reply_urls == [sso["reply_url"]]


def test_without_graph_no_one_listens_for_sso(
    start_sandbox: Callable[..., SandboxServer], admin_key: str
) -> None:
    """The hosted job alone (no Graph emulator): saving SSO still works, nothing is told."""
    server = start_sandbox(with_entra=True, sso=False, db_path=":memory:")
    assert server.graph is None
    with _admin(server, admin_key) as admin:
        assert admin.put("/sso", json={"protocol": "oidc"}).status_code == 200


def test_the_hosted_tenant_is_the_seeded_company_on_entras_side(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    demo = start_sandbox(with_entra=True, db_path=":memory:")
    demo_host: EntraHost = demo.app.state.entra_host
    mails = {user.mail for user in demo_host.tenant.users.values()}
    assert mails & {employee.email for employee in EMPLOYEES}  # matched by e-mail on activation
    odd = start_sandbox(with_entra=True, seed="hostile", db_path=":memory:")
    odd_host: EntraHost = odd.app.state.entra_host
    groups = [group.display_name for group in odd_host.tenant.groups.values()]
    assert groups == list(hostile.GROUP_NAMES)
