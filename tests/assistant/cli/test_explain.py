"""`explain EMAIL --json` names the right first broken link — acceptance, over real HTTP.

One sandbox per test: the Steeple admin API and SCIM endpoint, the simulated tenant spoken as
Microsoft Graph over TLS, MSAL's real device-code sign-in against the login emulator. The Entra
side is set up through Graph (app, job, secrets, two assigned groups) and runs a real cycle that
provisions over SCIM; then the command line is run as an admin would, and its JSON read back.
Nothing is mocked but the OS keyring (an in-memory keyring backend: no OS keyring runs here).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.cli.main import main
from assistant.entra.graph_client import GraphClient
from assistant.entra.side import EntraSide
from assistant.entra.signin import EntraSettings, EntraSignIn
from assistant.steeple.contract import SsoConfig
from sandbox.entra.tenant import EntraUser
from sandbox.graph.mount import GraphEndpoints
from sandbox.seed import SIEGE
from sandbox.server import SandboxServer
from tests.support.memory_keyring import MemoryKeyring
from tests.support.sandboxes import admin_client, install
from tests.support.scim import INTEGRATION
from tests.support.waiting import eventually, first_cycle


@pytest.fixture(autouse=True)
def isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEEPLE_ASSISTANT_CONFIG_DIR", str(tmp_path / "config"))


@dataclass
class People:
    good: EntraUser
    disabled: EntraUser
    nomail: EntraUser
    unassigned: EntraUser
    unmapped: EntraUser


@dataclass
class World:
    server: SandboxServer
    graph: GraphEndpoints
    admin: httpx.Client
    people: People
    token_id: str
    mapped_group: str
    unmapped_group: str


def _cast(graph: GraphEndpoints) -> tuple[People, str, str]:
    """Five people in known places: the mapped group G, the unmapped group H, or neither."""
    tenant = graph.emulator.host.tenant
    groups = list(tenant.groups.values())
    mapped, unmapped = groups[0], groups[1]
    users = [u for u in tenant.users.values() if u.mail and u.account_enabled]
    people = People(*users[:5])
    cast = [people.good, people.disabled, people.nomail, people.unassigned, people.unmapped]
    for group in groups:  # nobody of the cast anywhere else (nested groups included)
        group.member_ids = [m for m in group.member_ids if m not in {p.object_id for p in cast}]
    for person in (people.good, people.disabled, people.nomail):
        mapped.member_ids.append(person.object_id)
    unmapped.member_ids.append(people.unmapped.object_id)
    people.disabled.account_enabled = False
    people.nomail.mail = ""
    return people, mapped.object_id, unmapped.object_id


async def _entra_side(
    settings: EntraSettings, sso: list[str], tenant_url: str, secret: str, groups: list[str]
) -> None:
    """The Entra side through the facade (on the demo's SSO app), then one cycle to its end
    (waiting on state, not time)."""
    graph = GraphClient(
        EntraSignIn(settings).atoken, base_url=settings.graph_url, verify=settings.ssl_context()
    )
    side = EntraSide(graph, sso_identifiers=sso)
    try:
        await side.ensure_job()
        await side.save_credentials(tenant_url, secret)
        await side.assign_groups(groups)
        await side.start()
        await first_cycle(side)
    finally:
        await side.aclose()


def _received_group(admin: httpx.Client, name: str) -> str:
    items = admin.get(f"{INTEGRATION}/groups", params={"query": name}).json()["items"]
    return str(next(g["id"] for g in items if g["display_name"] == name))


def make_world(
    server: SandboxServer,
    graph: GraphEndpoints,
    settings: EntraSettings,
    admin_key: str,
    *,
    token: str | None = None,
    map_group: bool = True,
    activate: bool = True,
) -> World:
    admin = admin_client(server, admin_key)
    tenant_url, secret = install(admin)
    token_id = admin.get(f"{INTEGRATION}/tokens").json()["tokens"][0]["id"]
    people, mapped, unmapped = _cast(graph)
    sso = SsoConfig.model_validate(admin.get("/sso").json()).app_identifiers
    asyncio.run(_entra_side(settings, sso, tenant_url, token or secret, [mapped, unmapped]))
    tenant = graph.emulator.host.tenant
    if map_group and token is None:
        group_id = _received_group(admin, tenant.groups[mapped].display_name)
        admin.put(
            f"{INTEGRATION}/groups/{group_id}/mapping",
            json={"community_id": SIEGE.id, "role": "user"},
        ).raise_for_status()
    if activate and token is None:
        admin.post(f"{INTEGRATION}/activate").raise_for_status()
    return World(server, graph, admin, people, token_id, mapped, unmapped)


def explain_json(
    capsys: pytest.CaptureFixture[str], world: World, address: str, *extra: str
) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = main(["--url", world.server.base_url, *extra, "explain", address, "--json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, json.loads(out)


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch, admin_key: str) -> None:
    monkeypatch.setenv("STEEPLE_API_KEY", admin_key)


@pytest.fixture
def world(
    graph_sandbox: SandboxServer,
    graph: GraphEndpoints,
    entra_env: EntraSettings,
    signed_in: EntraSignIn,
    admin_key: str,
    keyed: None,
) -> World:
    return make_world(graph_sandbox, graph, entra_env, admin_key)


def _statuses(body: dict[str, Any]) -> dict[str, str]:
    return {link["id"]: link["status"] for link in body["links"]}


def test_all_good_then_each_person_breaks_at_the_right_link(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    people = world.people
    code, body = explain_json(capsys, world, people.good.mail.upper())  # any case
    assert code == 0, body
    assert body["ok"] is True and body["first_broken"] is None and body["graph"] is True
    assert body["cannot_see"] == []
    assert set(_statuses(body).values()) == {"ok"}
    assert [link["id"] for link in body["links"]] == [
        "entra.exists",
        "entra.enabled",
        "entra.email",
        "entra.assigned",
        "entra.scope",
        "steeple.token",
        "entra.job",
        "entra.log",
        "steeple.received",
        "steeple.active",
        "steeple.email",
        "steeple.groups",
        "steeple.mapped",
        "steeple.sync",
        "steeple.account",
    ]
    tenant = world.graph.emulator.host.tenant
    links = {link["id"]: link for link in body["links"]}
    assert tenant.groups[world.mapped_group].display_name in links["entra.assigned"]["sentence"]
    assert SIEGE.name in links["steeple.mapped"]["sentence"]

    expected = {
        "disabled": (people.disabled.mail, "entra.enabled"),
        "no e-mail": (people.nomail.user_principal_name, "entra.email"),
        "not assigned": (people.unassigned.mail, "entra.assigned"),
        "group not mapped": (people.unmapped.mail, "steeple.mapped"),
        "nobody": ("nobody@nowhere.example", "entra.exists"),
    }
    for case, (address, link) in expected.items():
        code, body = explain_json(capsys, world, address)
        assert (code, body["first_broken"]) == (4, link), case
        assert body["ok"] is False and body["sentence"] and body["fix"], case


def test_no_email_without_graph_is_seen_on_steeples_side(
    graph_sandbox: SandboxServer,
    graph: GraphEndpoints,
    entra_env: EntraSettings,
    signed_in: EntraSignIn,
    memory_keyring: MemoryKeyring,
    admin_key: str,
    keyed: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    world = make_world(graph_sandbox, graph, entra_env, admin_key)
    signed_in.sign_out()
    code, body = explain_json(capsys, world, world.people.nomail.user_principal_name)
    assert (code, body["first_broken"], body["graph"]) == (4, "steeple.email", False)

    # The no-Graph case: Steeple's side explained, Entra's side said plainly to be unseen.
    code, body = explain_json(capsys, world, world.people.good.mail)
    assert code == 0 and body["ok"] is True and body["graph"] is False
    statuses = _statuses(body)
    assert {statuses[i] for i in statuses if i.startswith("entra.")} == {"unknown"}
    assert all(statuses[i] == "ok" for i in statuses if i.startswith("steeple."))
    assert len(body["cannot_see"]) == 7 and "Entra" in body["cannot_see"][0]
    assert "not checked" in body["sentence"]

    code, body = explain_json(capsys, world, world.people.unassigned.mail)
    assert (code, body["first_broken"]) == (4, "steeple.received")
    assert "assigned" in body["fix"] and "enabled" in body["fix"]


def test_sync_not_active(
    graph_sandbox: SandboxServer,
    graph: GraphEndpoints,
    entra_env: EntraSettings,
    signed_in: EntraSignIn,
    admin_key: str,
    keyed: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    world = make_world(graph_sandbox, graph, entra_env, admin_key, activate=False)
    code, body = explain_json(capsys, world, world.people.good.mail)
    assert (code, body["first_broken"]) == (4, "steeple.sync")
    assert "step 8" in body["fix"]


def test_entra_quarantined(
    graph_sandbox: SandboxServer,
    graph: GraphEndpoints,
    entra_env: EntraSettings,
    signed_in: EntraSignIn,
    admin_key: str,
    keyed: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    world = make_world(
        graph_sandbox, graph, entra_env, admin_key, token="a-token-steeple-never-issued"
    )
    code, body = explain_json(capsys, world, world.people.good.mail)
    assert (code, body["first_broken"]) == (4, "entra.job")
    assert "quarantine" in body["sentence"] and "Restart provisioning" in body["fix"]


def test_token_revoked(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    world.admin.delete(f"{INTEGRATION}/tokens/{world.token_id}").raise_for_status()
    asyncio.run(  # Entra's next cycle (every ~2 s here) meets the 401
        eventually(
            lambda: world.admin.get(f"{INTEGRATION}/provisioning").json()["last_error"],
            lambda last_error: bool(last_error) and last_error["status"] == 401,
            "a 401 from the revoked token",
        )
    )
    code, body = explain_json(capsys, world, world.people.good.mail)
    assert (code, body["first_broken"]) == (4, "steeple.token")
    assert "revoked" in body["sentence"] and "new token" in body["fix"]


def test_text_output_in_french_marks_the_first_broken_link(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    address = world.people.unmapped.mail
    code = main(["--url", world.server.base_url, "--lang", "fr", "explain", address])
    out, err = capsys.readouterr()
    assert code == 4 and "Traceback" not in out + err
    assert "Pourquoi" in out and "Premier maillon rompu" in out
    assert "  ✗ Aucun de leurs groupes" in out and "correction : Associez" in out


def test_a_missing_graph_permission_explains_steeple_and_says_why_entra_is_unseen(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    for issued in world.graph.emulator.tokens.values():  # consent to the audit log withdrawn
        issued.scopes = issued.scopes - {"AuditLog.Read.All"}
    code, body = explain_json(capsys, world, world.people.unmapped.mail)
    assert (code, body["first_broken"], body["graph"]) == (4, "steeple.mapped", False)
    assert "AuditLog.Read.All" in body["cannot_see"][0]
    assert {s for i, s in _statuses(body).items() if i.startswith("entra.")} == {"unknown"}


async def test_the_screen_uses_graph_when_the_app_is_signed_in(
    world: World, entra_env: EntraSettings, admin_key: str
) -> None:
    """The palette screen over the same facade as the headless command: Entra's links seen."""
    from assistant.settings import Settings
    from assistant.steeple.client import SteepleClient
    from screens.app import ProvisioningAssistant
    from tests.screens.scenes import ask, on_explain

    sso = SsoConfig.model_validate(world.admin.get("/sso").json()).app_identifiers
    graph = GraphClient(
        EntraSignIn(entra_env).atoken, base_url=entra_env.graph_url, verify=entra_env.ssl_context()
    )
    app = ProvisioningAssistant(Settings(), SteepleClient(world.server.base_url, admin_key))
    app.entra_side = EntraSide(graph, sso_identifiers=sso)
    app.start_step = "explain"
    async with app.run_test(size=(120, 40)) as pilot:
        await on_explain(pilot)
        screen = await ask(pilot, world.people.disabled.mail)
        assert screen.result.graph is True
        assert screen.result.first_broken.id == "entra.enabled"
        assert len(screen.query(".first-broken")) == 1
        assert not screen.query_one("#unseen").display
    await graph.aclose()
