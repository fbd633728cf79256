"""A tenant without Entra ID P1/P2, headless (issue 19, point 8): `entra status`, `explain` and
`doctor` say "this needs Entra ID P1 or P2" with what still works — never "grant the permission"
or "hold Reports Reader" — in English and French; with P1 the same commands read the logs.

The sandbox's tenant runs with `entra_licence="free"`: Graph refuses group assignment and the
provisioning logs as it does on a Free tenant; people assigned one by one still provision.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import pytest

from assistant.cli.main import main
from assistant.entra.graph_client import GraphClient
from assistant.entra.side import EntraSide
from assistant.entra.signin import EntraSettings, EntraSignIn
from sandbox.graph.mount import GraphEndpoints
from sandbox.server import SandboxServer
from tests.support.entra_cli import point_cli_at
from tests.support.sandboxes import admin_client, install
from tests.support.signin import CodeTyper
from tests.support.waiting import first_cycle

PERMISSION_ADVICE = (
    "Grant admin consent",
    "Reports Reader",
    "AuditLog.Read.All",
    "Accorder le consentement",
)


async def provision_one_person(server: SandboxServer, graph: GraphEndpoints, email: str) -> None:
    """What still works on Free: the job, saved credentials, one person assigned, a cycle."""
    with admin_client(server, server.config.admin_key) as admin:
        tenant_url, secret = install(admin)
    signin = EntraSignIn(EntraSettings.from_env())
    side = EntraSide(
        GraphClient(signin.atoken, base_url=graph.graph_url, verify=signin.settings.ssl_context())
    )
    person = graph.emulator.host.tenant.user_by_upn(email)
    assert person is not None
    try:
        await side.save_credentials(tenant_url, secret)
        assert (await side.assign_groups([person.object_id])).added == 1
        await side.start()
        await first_cycle(side)
    finally:
        await side.aclose()


@pytest.fixture
def free(
    start_sandbox: Callable[..., SandboxServer],
    admin_key: str,
    memory_keyring: object,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[SandboxServer, str]:
    server = start_sandbox(
        with_entra=True, with_graph=True, entra_licence="free", entra_cycle_interval=2.0
    )
    assert server.graph is not None
    point_cli_at(server, admin_key, monkeypatch)
    with CodeTyper(server.graph):  # the admin types the device code on the emulator's page
        assert main(["entra", "signin"]) == 0
    email = next(
        u.user_principal_name
        for u in server.graph.emulator.host.tenant.users.values()
        if u.account_enabled and u.mail == u.user_principal_name
    )
    asyncio.run(provision_one_person(server, server.graph, email))
    return server, email


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.mark.parametrize(
    ("lang", "needs"), [("en", "Entra ID P1 or P2"), ("fr", "Entra ID P1 ou P2")]
)
def test_status_explain_and_doctor_say_the_licence_and_what_still_works(
    free: tuple[SandboxServer, str], capsys: pytest.CaptureFixture[str], lang: str, needs: str
) -> None:
    server, email = free
    code, out, _ = run(capsys, "--lang", lang, "entra", "status", "--json")
    body = json.loads(out)
    assert code == 0 and body["job"]["code"] == "Active"  # the rest of the status still shows
    unavailable = body["logs"]["unavailable"]
    assert needs in unavailable["message"] and unavailable["error"] == "GraphLicenceRequired"
    assert not any(advice in unavailable["fix"] for advice in PERMISSION_ADVICE)
    code, out, _ = run(capsys, "--lang", lang, "entra", "status")
    assert needs in out

    code, out, _ = run(capsys, "--lang", lang, "--url", server.base_url, "explain", email, "--json")
    explained = json.loads(out)
    assert explained["graph"] is True
    links = {link["id"]: link for link in explained["links"]}
    assert links["entra.assigned"]["status"] == "ok"  # assigned one by one: seen through Graph
    assert links["entra.log"]["status"] == "unknown" and needs in links["entra.log"]["sentence"]
    assert not any(advice in links["entra.log"]["fix"] for advice in PERMISSION_ADVICE)
    assert any(needs in item for item in explained["cannot_see"])

    code, out, _ = run(capsys, "--lang", lang, "--url", server.base_url, "doctor", "--json")
    checks = {check["id"]: check for check in json.loads(out)["checks"]}
    licence = checks["entra.licence"]
    assert licence["level"] == "warning" and needs in licence["message"]
    assert not any(advice in licence["fix"] for advice in PERMISSION_ADVICE)
    code, out, _ = run(capsys, "--lang", lang, "--url", server.base_url, "doctor")
    assert needs in out


def test_with_p1_doctor_reads_the_logs(
    graph_sandbox: SandboxServer,
    graph: GraphEndpoints,
    admin_key: str,
    memory_keyring: object,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    point_cli_at(graph_sandbox, admin_key, monkeypatch)
    with admin_client(graph_sandbox, admin_key) as admin:
        install(admin)
    with CodeTyper(graph):  # the admin types the device code on the emulator's page
        assert main(["entra", "signin"]) == 0
    code, out, _ = run(capsys, "--url", graph_sandbox.base_url, "doctor", "--json")
    checks = {check["id"]: check for check in json.loads(out)["checks"]}
    assert checks["entra.licence"]["level"] == "ok"
