"""`tests/support/probe.py`, the tests' Test Connection (what Entra sends to check a tenant URL
and token), against the real SCIM endpoint and against fault peers: the tests that use it to
play Entra's check rely on its verdicts being right."""

from __future__ import annotations

from assistant.steeple.client import SteepleClient
from sandbox.server import SandboxServer
from tests.support.faults import FaultyApp
from tests.support.probe import ProbeOutcome, entra_test_url, probe_scim
from tests.support.servers import ThreadedServer, closed_port_url


def test_url_is_built_like_entra() -> None:
    url = entra_test_url("https://acme.example/scim/v2?aadOptscim062020", "abc")
    assert url == "https://acme.example/scim/v2/Users?aadOptscim062020&filter=userName+eq+%22abc%22"


async def test_probe_against_sandbox(sandbox: SandboxServer, admin_key: str) -> None:
    async with SteepleClient(sandbox.base_url, admin_key, timeout=5.0) as client:
        await _against(client)


async def _against(client: SteepleClient) -> None:
    await client.install_integration()
    token = await client.create_token()
    tenant = (await client.get_credentials()).tenant_url
    ok = await probe_scim(tenant, token.secret)
    assert ok.outcome is ProbeOutcome.SUCCESS and ok.status == 200
    refused = await probe_scim(tenant, "stp_wrong-token-for-probe")
    assert refused.outcome is ProbeOutcome.UNAUTHORIZED and refused.status == 401
    missing = await probe_scim(client.base_url + "/scim/v3", token.secret)
    assert missing.outcome is ProbeOutcome.NOT_FOUND
    for result in (ok, refused, missing):
        assert token.secret not in result.message + result.fix
    log = await client.list_requests()
    assert [entry.kind for entry in log.items][:1] == ["test_connection"]


async def test_probe_network_and_shape_failures() -> None:
    app = FaultyApp()
    with ThreadedServer(app) as server:
        await _against_faults(server, app)


async def _against_faults(server: ThreadedServer, app: FaultyApp) -> None:
    assert (await probe_scim(closed_port_url(), "t")).outcome is ProbeOutcome.REFUSED
    dns = await probe_scim("https://no-such-host.invalid/scim/v2", "t")
    assert dns.outcome in (ProbeOutcome.DNS, ProbeOutcome.UNREACHABLE)
    assert (await probe_scim(server.base_url + "/html", "t")).outcome is ProbeOutcome.NOT_SCIM
    assert (
        await probe_scim(server.base_url + "/fail500", "t")
    ).outcome is ProbeOutcome.SERVER_ERROR
    slow = await probe_scim(server.base_url + "/slow", "t", timeout=0.3)
    assert slow.outcome is ProbeOutcome.TIMEOUT
    assert (await probe_scim("not a url", "t")).outcome is ProbeOutcome.INVALID_URL
    good = await probe_scim(server.base_url + "/scimlist?aadOptscim062020", "tok")
    assert good.ok
    assert "accept" not in app.last_headers  # Entra sends no Accept header
    assert app.last_headers["authorization"] == "Bearer tok"
