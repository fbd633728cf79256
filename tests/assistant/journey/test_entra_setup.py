"""`entra setup` from the command line, over real HTTP: a sandbox Steeple and the Graph and
login emulators over TLS, signed in with MSAL's real device-code flow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli.main import main
from assistant.entra.signin import EntraSettings, EntraSignIn
from sandbox.config import SandboxConfig
from sandbox.graph.mount import GraphEndpoints
from sandbox.server import SandboxServer
from tests.support.entra_cli import installed_and_signed_in
from tests.support.sandboxes import admin_client, install
from tests.support.signin import CodeTyper

ADVICE_GROUPS = {  # the demo tenant's groups that name a Steeple community, as the advice reads
    "Comité de direction",  # names "Direction" (no Users/Admins pair for it in the demo tenant)
    "Steeple - Siège - Users",
    "Steeple - Siège - Admins",
    "Steeple - Usine de Lyon - Users",
    "Steeple - Usine de Lyon - Admins",
    "Steeple - Commerciaux - Users",
    "Steeple - Commerciaux - Admins",
}


@pytest.fixture
def instance(
    graph_sandbox: SandboxServer,
    admin_key: str,
    entra_env: EntraSettings,
    signed_in: EntraSignIn,
    monkeypatch: pytest.MonkeyPatch,
) -> SandboxServer:
    """An installed instance, its key in the environment, and a session from `entra signin`."""
    with admin_client(graph_sandbox, admin_key) as admin:
        install(admin)
    monkeypatch.setenv("STEEPLE_API_KEY", admin_key)
    return graph_sandbox


def setup(
    capsys: pytest.CaptureFixture[str], server: SandboxServer, *argv: str
) -> tuple[int, str, str]:
    code = main(["--url", server.base_url, "entra", "setup", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_dry_run_plans_by_the_advice_and_changes_nothing(
    instance: SandboxServer, graph: GraphEndpoints, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = setup(capsys, instance, "--dry-run", "--json")
    body = json.loads(out)
    assert code == 0 and body["applied"] is False and body["result"] is None
    plan = body["plan"]
    assert plan["app"]["found_by"] == "identifier" and plan["job"] == "create"
    assert {g["name"] for g in plan["groups"]} == ADVICE_GROUPS
    roles = {g["name"]: g["role"] for g in plan["groups"]}
    assert roles["Steeple - Siège - Admins"] == "admin"
    assert roles["Steeple - Siège - Users"] == "user"
    assert plan["communities_without_groups"] == []
    assert roles["Comité de direction"] == "user"
    assert all(sp.job_id is None for sp in graph.emulator.service_principals.values())
    code, out, _ = setup(capsys, instance, "--dry-run")
    assert code == 0 and "Steeple - Usine de Lyon - Admins → Usine de Lyon (admin)" in out


def test_yes_does_the_whole_entra_side_and_never_prints_the_token(
    instance: SandboxServer,
    graph: GraphEndpoints,
    admin_key: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = setup(capsys, instance, "--yes", "--json")
    body = json.loads(out)
    assert code == 0 and body["applied"] is True, body
    result = body["result"]
    assert result["connection"]["ok"] is True and result["started"] is True
    assert result["newly_assigned"] == len(ADVICE_GROUPS)
    emulator = graph.emulator
    owner = emulator.service_principals[result["app_id"]]
    assert owner.job_id == result["job_id"]
    job = emulator.host.job
    assert emulator.host.running
    assert job.tenant_url == body["plan"]["tenant_url"] and job.token_set
    tenant = emulator.host.tenant
    assert {tenant.groups[g].display_name for g in job.assigned} == ADVICE_GROUPS
    assert job.secret() not in out  # the token went from Steeple to Graph, not to the terminal
    with admin_client(instance, admin_key) as admin:
        tokens = admin.get("/integrations/azure-ad/tokens").json()["tokens"]
    assert len(tokens) == 2  # install()'s and the one entra setup created for Entra
    assert result["token"] == "created"
    # Again: nothing new to assign, the same app and job, and Entra's token kept (not a third).
    code, out, _ = setup(capsys, instance, "--yes", "--json")
    again = json.loads(out)["result"]
    assert code == 0 and again["newly_assigned"] == 0 and again["job_id"] == result["job_id"]
    assert again["token"] == "kept"


def test_without_yes_and_without_a_terminal_nothing_changes(
    instance: SandboxServer, graph: GraphEndpoints, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = setup(capsys, instance)
    assert code == 2
    assert "no terminal to ask" in err and "--yes" in err
    assert "Steeple - Siège - Users" in out  # the plan was shown before the refusal
    assert all(sp.job_id is None for sp in graph.emulator.service_principals.values())


def test_unknown_group_names_are_a_usage_error(
    instance: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = setup(capsys, instance, "--groups", "Managers", "Nobody Here", "--yes")
    assert code == 2 and "Nobody Here" in err


def test_chosen_groups_are_assigned_as_given(
    instance: SandboxServer, graph: GraphEndpoints, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = setup(capsys, instance, "--groups", "managers", "Équipe IT", "--yes", "--json")
    assert code == 0, out
    tenant = graph.emulator.host.tenant
    names = {tenant.groups[g].display_name for g in graph.emulator.host.job.assigned}
    assert names == {"Managers", "Équipe IT"}


def test_a_missing_permission_is_a_sentence_and_a_fix(
    instance: SandboxServer, graph: GraphEndpoints, capsys: pytest.CaptureFixture[str]
) -> None:
    # Signed in again after an admin withdrew consent for the permission.
    assert main(["entra", "signout"]) == 0
    graph.emulator.consented = graph.emulator.consented - {"Synchronization.ReadWrite.All"}
    with CodeTyper(graph):  # someone types the device code on the emulator's page
        assert main(["entra", "signin"]) == 0
    capsys.readouterr()
    code, out, _ = setup(capsys, instance, "--yes", "--json")
    error = json.loads(out)["error"]
    assert code == 3 and error["code"] == "Authorization_RequestDenied"
    assert "Synchronization.Read.All" in error["message"]  # the least the first read needs
    assert "Grant admin consent" in error["fix"]
    code, out, err = setup(capsys, instance, "--yes")
    assert code == 3 and "Fix:" in err


def test_a_throttled_graph_is_a_sentence_and_a_fix(
    instance: SandboxServer, graph: GraphEndpoints, capsys: pytest.CaptureFixture[str]
) -> None:
    graph.emulator.throttle(1000, retry_after=500)  # longer than the client blocks for
    code, out, _ = setup(capsys, instance, "--yes", "--json")
    error = json.loads(out)["error"]
    assert code == 3 and error["code"] == "TooManyRequests"
    assert "throttling" in error["message"] and "500" in error["fix"]


def test_a_failed_test_connection_blocks_before_assigning(
    start_sandbox: object,
    admin_key: str,
    entra_env: EntraSettings,
    memory_keyring: object,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The public URL Entra is given leads nowhere (a tunnel that is down): exit 4, why, and
    nothing assigned or started."""
    server = start_sandbox(  # type: ignore[operator]
        with_entra=True, with_graph=True, public_url="http://127.0.0.1:9", db_path=":memory:"
    )
    graph = installed_and_signed_in(server, admin_key, monkeypatch)
    capsys.readouterr()
    code, out, _ = setup(capsys, server, "--yes", "--json")
    error = json.loads(out)["error"]
    assert code == 4 and error["result"]["connection"]["code"] == "refused"
    assert "127.0.0.1:9" in error["message"]
    assert graph.emulator.host.job.assigned == [] and not graph.emulator.host.running


def test_sandbox_mode_signs_in_by_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], memory_keyring: object
) -> None:
    """`--sandbox --db FILE`: the sandbox's own tenant, signed in automatically (in memory)."""
    db = tmp_path / "kept.sqlite3"
    key = "adm_" + "k" * 20
    server = SandboxServer(SandboxConfig(admin_key=key, db_path=db)).start()
    with server, admin_client(server, key) as admin:  # installed, then stopped: kept on disk
        install(admin)
    code = main(["--sandbox", "--db", str(db), "entra", "setup", "--yes", "--json"])
    out, err = capsys.readouterr()
    body = json.loads(out)
    assert code == 0 and body["applied"] is True, err
    assert body["plan"]["app"]["found_by"] == "identifier"
    assert body["result"]["newly_assigned"] == len(ADVICE_GROUPS)
    assert memory_keyring.store == {}  # type: ignore[attr-defined]


# --- A first setup on a fresh tenant: the new app replicates (issue 19, point 4) --------------


@pytest.fixture
def fresh_tenant(
    start_sandbox: object, admin_key: str, memory_keyring: object, monkeypatch: pytest.MonkeyPatch
) -> tuple[SandboxServer, GraphEndpoints]:
    """An installed instance without SSO, so its tenant has no Steeple app: setup creates it."""
    server = start_sandbox(  # type: ignore[operator]
        with_entra=True, with_graph=True, sso=False, entra_cycle_interval=2.0, db_path=":memory:"
    )
    return server, installed_and_signed_in(server, admin_key, monkeypatch)


async def test_a_first_setup_waits_out_a_20_second_replication_without_a_retry(
    fresh_tenant: tuple[SandboxServer, GraphEndpoints], admin_key: str
) -> None:
    """Microsoft: "Allow some time for the app to be provisioned … It is not instant. … do a
    GET query … every 5-10 seconds until the query is successful." 20 s of replication pass on
    a clock the test winds (the side's waits advance it): the whole setup goes through in one
    run, telling the wait as it goes."""
    from assistant.entra.graph_client import GraphClient
    from assistant.entra.side import EntraSide
    from assistant.journey.entra_setup import apply_plan, make_plan
    from assistant.steeple.client import SteepleClient

    server, graph = fresh_tenant
    now = [1000.0]
    waits: list[float] = []

    async def wind(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    graph.emulator.clock = lambda: now[0]
    graph.emulator.replication_delay = 20.0
    signin = EntraSignIn(
        EntraSettings.from_env(authority=None, graph_url=None, client_id=None, ca_bundle=None)
    )
    lines: list[str] = []
    side = EntraSide(
        GraphClient(signin.atoken, base_url=graph.graph_url, verify=signin.settings.ssl_context()),
        sleep=wind,
        clock=lambda: now[0],
        progress=lines.append,
    )
    client = SteepleClient(server.base_url, admin_key)
    try:
        plan = await make_plan(client, side, None, "en")
        assert plan.app is None and plan.not_found and "its name Steeple" in plan.not_found
        result, _ = await apply_plan(client, side, plan, "en")
    finally:
        await side.aclose()
        await client.aclose()
    assert result["started"] is True and result["connection"]["ok"] is True
    assert result["newly_assigned"] > 0
    assert sum(waits) >= 20.0 and all(5.0 <= w <= 10.0 for w in waits)  # Microsoft's rhythm
    assert lines and all("Waiting for Entra to finish creating the app" in line for line in lines)
    (app,) = graph.emulator.service_principals.values()  # created once, found again after
    assert app.job_id == result["job_id"] and graph.emulator.host.running


def test_entra_setup_headless_on_a_fresh_tenant_says_it_waits_and_succeeds(
    fresh_tenant: tuple[SandboxServer, GraphEndpoints], capsys: pytest.CaptureFixture[str]
) -> None:
    """The same, for real time and from the command line: 3 s of replication."""
    server, graph = fresh_tenant
    graph.emulator.replication_delay = 3.0
    capsys.readouterr()
    code, out, err = setup(capsys, server, "--yes", "--json")
    body = json.loads(out)
    assert code == 0 and body["applied"] is True and body["result"]["started"] is True, err
    assert "Waiting for Entra to finish creating the app" in err  # on stderr: stdout is JSON
    assert body["plan"]["not_found"].startswith("No enterprise app found by its name Steeple")
    again = main(["--url", server.base_url, "entra", "setup", "--yes", "--json"])
    rerun = json.loads(capsys.readouterr().out)
    assert again == 0 and rerun["plan"]["app"]["found_by"] == "name"  # the one made before
    assert rerun["result"]["app_id"] == body["result"]["app_id"]


def test_on_a_free_tenant_group_assignment_is_a_licence_not_a_permission(
    start_sandbox: object,
    admin_key: str,
    memory_keyring: object,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = start_sandbox(  # type: ignore[operator]
        with_entra=True, with_graph=True, entra_licence="free", db_path=":memory:"
    )
    graph = installed_and_signed_in(server, admin_key, monkeypatch)
    capsys.readouterr()
    for lang, needs, still in (
        ("en", "needs Entra ID P1 or P2", "one by one"),
        ("fr", "demande Entra ID P1 ou P2", "une par une"),
    ):
        code = main(["--lang", lang, "--url", server.base_url, "entra", "setup", "--yes", "--json"])
        error = json.loads(capsys.readouterr().out)["error"]
        assert code == 4, error
        assert needs in error["message"] and still in error["fix"]
        assert "Grant admin consent" not in error["fix"] and "consentement" not in error["fix"]
    assert graph.emulator.host.job.assigned == [] and not graph.emulator.host.running
