"""The Entra facade (`assistant/entra/side.py`) over real HTTPS against the Graph emulator:
find or create the app, the job, Test Connection decoded into its real cause, groups, start,
facts, logs, provision on demand."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest

from assistant.entra.graph_errors import GraphNotFound, GraphPermissionDenied
from assistant.entra.side import AppAmbiguous, open_entra_side
from assistant.entra.signin import EntraSettings, EntraSignIn
from assistant.steeple.contract import SsoConfig
from sandbox.graph.mount import GraphEndpoints
from sandbox.server import SandboxServer
from tests.support.app import GRAPH_CLIENT_ID as CLIENT_ID
from tests.support.graph_side import side_for
from tests.support.sandboxes import admin_client, install
from tests.support.signin import sign_in
from tests.support.waiting import eventually, first_cycle


@pytest.fixture
def no_sso_server(start_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    """A tenant without Steeple's SSO app: the instance has no SSO, so no admin made one."""
    return start_sandbox(
        with_entra=True, with_graph=True, sso=False, entra_cycle_interval=2.0, db_path=":memory:"
    )


@pytest.fixture
def no_sso_graph(no_sso_server: SandboxServer) -> GraphEndpoints:
    server = no_sso_server
    assert server.graph is not None
    return server.graph


@pytest.fixture
def no_sso_signin(no_sso_graph: GraphEndpoints, memory_keyring: object) -> EntraSignIn:
    signin = EntraSignIn(
        EntraSettings(
            authority=no_sso_graph.authority,
            graph_url=no_sso_graph.graph_url,
            client_id=CLIENT_ID,
            ca_bundle=no_sso_graph.ca_pem_path,
        )
    )
    sign_in(signin, no_sso_graph)
    return signin


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_ensure_app_creates_from_the_template_once_then_finds_it(
    no_sso_signin: EntraSignIn, no_sso_graph: GraphEndpoints
) -> None:
    signed_in, graph = no_sso_signin, no_sso_graph
    side = side_for(signed_in, graph)
    try:
        assert await side.find_app() is None
        created = await side.ensure_app()
        assert side.found_by == "created"
        again = side_for(signed_in, graph)
        try:
            assert (await again.ensure_app()).id == created.id
            assert again.found_by == "name"
        finally:
            await again.aclose()
        assert [sp.id for sp in graph.emulator.service_principals.values()] == [created.id]
        job = await side.ensure_job()
        assert (await side.ensure_job()).id == job.id  # not created twice
    finally:
        await side.aclose()


async def test_several_apps_with_the_name_are_named_never_picked(
    no_sso_signin: EntraSignIn, no_sso_graph: GraphEndpoints
) -> None:
    signed_in, graph = no_sso_signin, no_sso_graph
    first = graph.emulator.add_service_principal("Steeple")
    second = graph.emulator.add_service_principal("Steeple")
    side = side_for(signed_in, graph, lang="fr")
    try:
        with pytest.raises(AppAmbiguous) as failed:
            await side.find_app()
    finally:
        await side.aclose()
    assert {c.id for c in failed.value.candidates} == {first.id, second.id}
    assert first.id in failed.value.sentence and second.id in failed.value.sentence
    assert "authentification unique" in failed.value.sentence  # in the admin's language


async def test_test_connection_decodes_the_real_cause(
    graph_sandbox: SandboxServer, graph: GraphEndpoints, signed_in: EntraSignIn, admin_key: str
) -> None:
    with admin_client(graph_sandbox, admin_key) as admin:
        tenant_url, secret = install(admin)
    base = tenant_url.rsplit("/scim/v2", 1)[0]
    side = side_for(signed_in, graph)
    try:
        ok = await side.test_connection(tenant_url, secret)
        assert ok.ok and ok.code == "ok"
        cases = {
            "unauthorized": (tenant_url, "not-the-token"),
            "not_found": (base + "/nowhere/scim/v2", secret),
            "refused": (f"http://127.0.0.1:{free_port()}/scim/v2", secret),
            "tls": (graph.base_url + "/scim/v2", secret),  # a CA Entra does not trust
        }
        for cause, (url, token) in cases.items():
            verdict = await side.test_connection(url, token)
            assert (verdict.ok, verdict.code) == (False, cause), (cause, verdict)
            assert verdict.sentence and verdict.fix
            assert verdict.entra_code.startswith("SystemForCrossDomainIdentityManagement")
        french = side_for(signed_in, graph, lang="fr")
        try:
            refused = await french.test_connection(tenant_url, "not-the-token")
        finally:
            await french.aclose()
        assert "jeton" in refused.sentence and "étape 3" in refused.fix
    finally:
        await side.aclose()


async def test_groups_assign_start_facts_logs_and_on_demand(
    graph_sandbox: SandboxServer, graph: GraphEndpoints, signed_in: EntraSignIn, admin_key: str
) -> None:
    with admin_client(graph_sandbox, admin_key) as admin:
        tenant_url, secret = install(admin)
    tenant = graph.emulator.host.tenant
    side = side_for(signed_in, graph)
    try:
        before = await side.facts()
        assert before.state == "NotConfigured" and before.assigned_groups == 0
        await side.ensure_job()
        await side.save_credentials(tenant_url, secret)
        choices = await side.groups()
        assert {c.id for c in choices} == set(tenant.groups)
        for choice in choices:
            group = tenant.groups[choice.id]
            expected = sum(1 for m in group.member_ids if m in tenant.users)
            assert choice.members == expected and not choice.assigned
        picked = sorted(choices, key=lambda c: -(c.members or 0))[:2]
        assert (await side.assign_groups([c.id for c in picked])).added == 2
        again = await side.assign_groups([picked[0].id])  # already assigned, with that role
        assert again.added == 0 and again.other_role == []
        assert {c.id for c in await side.groups() if c.assigned} == {c.id for c in picked}
        scope = {m for c in picked for m in tenant.groups[c.id].member_ids if m in tenant.users}
        facts = await side.facts()
        assert facts.state == "NotRun" and facts.assigned_groups == 2 and facts.credentials_saved
        assert facts.users_in_scope == len(scope)
        await side.start()
        facts = await first_cycle(side)
        assert facts.state == "Active" and not facts.in_initial_cycle
        assert facts.last_counts["exported"] > 0
        assert facts.progress is not None and facts.progress[0] == facts.progress[1]
        lines = await side.recent_logs(limit=5)
        assert 0 < len(lines) <= 5
        assert lines == sorted(lines, key=lambda line: line.time, reverse=True)
        assert all(line.status in ("success", "failure", "skipped") for line in lines)
        person = next(tenant.users[m] for m in scope if tenant.users[m].account_enabled)
        result = await side.provision_on_demand(person.user_principal_name)
        assert result.result in ("Success", "Skipped")
        with pytest.raises(GraphNotFound) as missing:
            await side.provision_on_demand("nobody@nowhere.example")
        assert "nobody@nowhere.example" in missing.value.sentence
        await side.pause()
        assert (await side.facts()).state == "Paused"
    finally:
        await side.aclose()


async def test_quarantine_reason_and_next_retry_are_facts(
    graph_sandbox: SandboxServer, graph: GraphEndpoints, signed_in: EntraSignIn, admin_key: str
) -> None:
    with admin_client(graph_sandbox, admin_key) as admin:
        tenant_url, secret = install(admin)
        side = side_for(signed_in, graph)
        try:
            await side.ensure_job()
            await side.save_credentials(tenant_url, secret)
            await side.assign_groups([next(iter(graph.emulator.host.tenant.groups))])
            for token in admin.get("/integrations/azure-ad/tokens").json()["tokens"]:
                revoked = admin.delete(f"/integrations/azure-ad/tokens/{token['id']}")
                assert revoked.status_code == 204  # Entra's saved token is now refused
            await side.start()
            facts = await eventually(
                side.facts, lambda facts: facts.state == "Quarantine", "quarantine"
            )
        finally:
            await side.aclose()
    assert facts.state == "Quarantine"
    assert facts.quarantine_reason == "EncounteredQuarantineException"
    assert facts.next_retry is not None and facts.last_error


async def test_a_missing_permission_is_a_graph_error_from_the_facade(
    graph: GraphEndpoints, entra_settings: EntraSettings, memory_keyring: object
) -> None:
    graph.emulator.consented = graph.emulator.consented - {"AppRoleAssignment.ReadWrite.All"}
    signin = EntraSignIn(entra_settings)
    sign_in(signin, graph)
    side = side_for(signin, graph)
    try:
        with pytest.raises(GraphPermissionDenied) as failed:
            await side.assign_groups([next(iter(graph.emulator.host.tenant.groups))])
    finally:
        await side.aclose()
    assert "AppRoleAssignment.ReadWrite.All" in failed.value.sentence


async def test_open_entra_side_is_none_until_signed_in(
    entra_settings: EntraSettings, graph: GraphEndpoints, memory_keyring: object
) -> None:
    signin = EntraSignIn(entra_settings)
    assert await open_entra_side(entra_settings, signin=signin) is None
    sign_in(signin, graph)
    side = await open_entra_side(entra_settings, signin=signin)
    assert side is not None
    try:
        found = await side.find_app()  # by name: no SSO identifiers given
        assert found is not None and found.display_name == "Steeple"
    finally:
        await side.aclose()


async def test_the_steeple_app_is_the_one_carrying_the_instance_sso(
    graph_sandbox: SandboxServer, graph: GraphEndpoints, signed_in: EntraSignIn, admin_key: str
) -> None:
    with admin_client(graph_sandbox, admin_key) as admin:
        sso = SsoConfig.model_validate(admin.get("/sso").json())
    assert sso.saml_entity_id == f"{graph_sandbox.base_url}/saml/metadata"
    assert sso.reply_url == f"{graph_sandbox.base_url}/saml/acs"
    namesakes = [graph.emulator.add_service_principal("Steeple") for _ in range(2)]
    for identifiers, how in (
        (sso.app_identifiers, "identifier"),
        (["https://elsewhere.example/saml/metadata", sso.reply_url or ""], "reply_url"),
    ):
        side = side_for(signed_in, graph, sso_identifiers=identifiers)
        try:
            app = await side.find_app()
        finally:
            await side.aclose()
        assert app is not None and app.id not in {n.id for n in namesakes}
        assert side.found_by == how
        assert app.preferred_single_sign_on_mode == "saml"
        assert sso.saml_entity_id in app.service_principal_names
        assert app.reply_urls == [sso.reply_url]


async def test_sso_set_up_later_brings_its_app_and_none_before(
    no_sso_server: SandboxServer,
    no_sso_graph: GraphEndpoints,
    no_sso_signin: EntraSignIn,
    admin_key: str,
) -> None:
    emulator = no_sso_graph.emulator
    assert emulator.service_principals == {}
    with admin_client(no_sso_server, admin_key) as admin:
        assert admin.get("/sso").json()["saml_entity_id"] is None
        sso = SsoConfig.model_validate(admin.put("/sso", json={}).json())
        admin.put("/sso", json={})  # again: still one app
    assert sso.saml_entity_id and len(emulator.service_principals) == 1
    side = side_for(no_sso_signin, no_sso_graph, sso_identifiers=sso.app_identifiers)
    try:
        app = await side.ensure_app()
    finally:
        await side.aclose()
    assert side.found_by == "identifier" and app.id in emulator.service_principals
