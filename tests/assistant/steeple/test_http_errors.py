"""Every typed error over real HTTP: the sandbox for API answers, fault peers for the rest."""

from __future__ import annotations

import json
from typing import Any

import pytest

from assistant.steeple.client import SteepleClient
from assistant.steeple.contract import GroupMapping, SsoConfigUpdate
from assistant.steeple.errors import ErrorKind, SteepleError
from sandbox.server import SandboxServer
from tests.support.faults import FaultyApp
from tests.support.servers import (
    HangUpServer,
    NotHttpServer,
    ThreadedServer,
    closed_port_url,
)

BAD_KEY = "adm_PLANTED-wrong-key-0000aaaa"


def assert_no_secret(err: SteepleError, *secrets: str) -> None:
    for text in (str(err), repr(err), err.message, err.fix, str(err.code)):
        for secret in secrets:
            assert secret not in text


async def test_unreachable_closed_port(admin_key: str) -> None:
    async with SteepleClient(closed_port_url(), admin_key, retries=0, timeout=2) as steeple:
        with pytest.raises(SteepleError) as caught:
            await steeple.get_sso()
    assert caught.value.kind is ErrorKind.UNREACHABLE
    assert "refused" in caught.value.message
    assert caught.value.status is None
    assert_no_secret(caught.value, admin_key)


async def test_unknown_host_is_unreachable(admin_key: str) -> None:
    async with SteepleClient("http://no-such-host.invalid", admin_key, retries=0) as steeple:
        with pytest.raises(SteepleError) as caught:
            await steeple.get_integration()
    assert caught.value.kind is ErrorKind.UNREACHABLE


async def test_invalid_url_scheme(admin_key: str) -> None:
    async with SteepleClient("ftp://example.com", admin_key) as steeple:
        with pytest.raises(SteepleError) as caught:
            await steeple.get_sso()
    assert caught.value.kind is ErrorKind.INVALID


async def test_server_error_500(faulty: tuple[ThreadedServer, FaultyApp], admin_key: str) -> None:
    server, app = faulty
    async with SteepleClient(server.base_url + "/fail500", admin_key, retries=0) as steeple:
        with pytest.raises(SteepleError) as caught:
            await steeple.get_provisioning()
    assert caught.value.kind is ErrorKind.SERVER
    assert caught.value.status == 500
    assert "report" in caught.value.fix


async def test_garbage_json_is_malformed(
    faulty: tuple[ThreadedServer, FaultyApp], admin_key: str
) -> None:
    server, _ = faulty
    for mode in ("garbage", "wrongjson", "html"):
        async with SteepleClient(f"{server.base_url}/{mode}", admin_key) as steeple:
            with pytest.raises(SteepleError) as caught:
                await steeple.get_sso()
        assert caught.value.kind is ErrorKind.MALFORMED, mode
        assert caught.value.status == 200


async def test_not_http_at_all_is_malformed(admin_key: str) -> None:
    liar = NotHttpServer().start()
    try:
        async with SteepleClient(liar.base_url, admin_key, retries=0) as steeple:
            with pytest.raises(SteepleError) as caught:
                await steeple.get_sso()
    finally:
        liar.stop()
    assert caught.value.kind is ErrorKind.MALFORMED


@pytest.mark.parametrize("mid_body", [False, True], ids=["no-answer", "mid-body"])
async def test_a_connection_closed_early_is_said_as_such_not_as_not_http(
    admin_key: str, mid_body: bool
) -> None:
    """httpx raises a closed connection as `RemoteProtocolError`, like a reply that is not HTTP:
    the admin is told the connection was cut (a proxy, a restart) and to try again, in English
    and French; a GET is retried first, as for any network trouble."""
    hangs_up = HangUpServer(mid_body=mid_body).start()
    try:
        async with SteepleClient(hangs_up.base_url, admin_key, retries=1) as steeple:
            with pytest.raises(SteepleError) as caught:
                await steeple.get_sso()
    finally:
        hangs_up.stop()
    error = caught.value
    assert error.kind is ErrorKind.UNREACHABLE
    assert error.message.endswith("closed the connection before its answer was complete.")
    assert "Try again" in error.fix and "not valid HTTP" not in error.message
    message, fix = error.text("fr")
    assert "a fermé la connexion" in message and fix.startswith("Réessayez")
    assert_no_secret(error, admin_key)


async def test_slow_answer_times_out(
    faulty: tuple[ThreadedServer, FaultyApp], admin_key: str
) -> None:
    server, _ = faulty
    async with SteepleClient(f"{server.base_url}/slow", admin_key, timeout=0.3, retries=0) as s:
        with pytest.raises(SteepleError) as caught:
            await s.get_sso()
    assert caught.value.kind is ErrorKind.TIMEOUT


async def test_forbidden(faulty: tuple[ThreadedServer, FaultyApp], admin_key: str) -> None:
    server, _ = faulty
    async with SteepleClient(f"{server.base_url}/forbidden", admin_key) as steeple:
        with pytest.raises(SteepleError) as caught:
            await steeple.get_sso()
    assert caught.value.kind is ErrorKind.FORBIDDEN
    assert caught.value.code == "forbidden"


async def test_idempotent_calls_are_retried_posts_are_not(
    faulty: tuple[ThreadedServer, FaultyApp], admin_key: str
) -> None:
    server, app = faulty
    async with SteepleClient(f"{server.base_url}/flaky503", admin_key, retries=2) as steeple:
        before = app.hits["flaky503"]
        with pytest.raises(SteepleError) as caught:
            await steeple.get_integration()
        assert app.hits["flaky503"] - before == 3
        assert caught.value.kind is ErrorKind.SERVER
        before = app.hits["flaky503"]
        with pytest.raises(SteepleError):
            await steeple.create_token()
        assert app.hits["flaky503"] - before == 1


async def test_client_sends_bearer_key_and_strips_pasted_prefix(
    faulty: tuple[ThreadedServer, FaultyApp], admin_key: str
) -> None:
    server, app = faulty
    steeple = SteepleClient(f"{server.base_url}/scimlist/api/admin/v1/", admin_key)
    assert steeple.base_url == f"{server.base_url}/scimlist"
    assert admin_key not in repr(steeple)
    with pytest.raises(SteepleError):
        await steeple.get_sso()  # `{}` is not an SsoConfig
    await steeple.aclose()
    assert app.last_headers["authorization"] == f"Bearer {admin_key}"


async def test_bad_key_is_unauthorized(sandbox: SandboxServer) -> None:
    async with SteepleClient(sandbox.base_url, BAD_KEY) as steeple:
        with pytest.raises(SteepleError) as caught:
            await steeple.get_sso()
    assert caught.value.kind is ErrorKind.UNAUTHORIZED
    assert caught.value.status == 401
    assert_no_secret(caught.value, BAD_KEY)


async def test_errors_speak_the_admins_language(sandbox: SandboxServer) -> None:
    """The same failure, in French for `--lang fr`; what the server said is quoted, not replaced."""
    async with SteepleClient(sandbox.base_url, BAD_KEY) as steeple:
        with pytest.raises(SteepleError) as caught:
            await steeple.get_sso()
    host = sandbox.base_url.split("//")[1]
    assert caught.value.text("en") == (caught.value.message, caught.value.fix)
    message, fix = caught.value.text("fr")
    assert message == f"{host} n'a pas accepté la clé d'API d'administration."
    assert fix.startswith("Créez une nouvelle clé")
    assert_no_secret(caught.value, BAD_KEY)


async def test_conflict_fix_in_french_names_the_cause(client: SteepleClient) -> None:
    with pytest.raises(SteepleError) as caught:
        await client.get_provisioning()
    assert caught.value.text("fr")[1] == "Installez d'abord l'intégration Azure AD (étape 2)."


async def test_wrong_url_prefix_is_not_found(sandbox: SandboxServer, admin_key: str) -> None:
    async with SteepleClient(sandbox.base_url + "/steeple", admin_key) as steeple:
        with pytest.raises(SteepleError) as caught:
            await steeple.get_sso()
    assert caught.value.kind is ErrorKind.NOT_FOUND
    assert caught.value.status == 404


async def test_conflict_too_many_tokens(client: SteepleClient) -> None:
    await client.install_integration()
    await client.create_token()
    await client.create_token()
    with pytest.raises(SteepleError) as caught:
        await client.create_token()
    assert caught.value.kind is ErrorKind.CONFLICT
    assert caught.value.code == "too_many_tokens"
    assert "Revoke" in caught.value.fix
    assert len((await client.list_tokens()).tokens) == 2


async def test_conflict_when_not_installed(client: SteepleClient) -> None:
    with pytest.raises(SteepleError) as caught:
        await client.get_provisioning()
    assert caught.value.kind is ErrorKind.CONFLICT
    assert caught.value.code == "integration_not_installed"
    assert "Install" in caught.value.fix


async def test_unknown_group_mapping_is_not_found(client: SteepleClient) -> None:
    await client.install_integration()
    communities = (await client.list_communities()).items
    mapping = GroupMapping(community_id=communities[0].id, role="user")
    with pytest.raises(SteepleError) as caught:
        await client.set_mapping("no-such-group", mapping)
    assert caught.value.kind is ErrorKind.NOT_FOUND


async def test_round_trip_of_every_happy_call(client: SteepleClient) -> None:
    """Each method parses the real answer into its contract model, and writes are stored."""
    sso = await client.configure_sso(SsoConfigUpdate(identifier_claim="userPrincipalName"))
    assert (await client.get_sso()).identifier_claim == "userPrincipalName" == sso.identifier_claim
    installed = await client.install_integration()
    assert installed.changed and installed.integration.installed
    again = await client.install_integration()
    assert not again.changed
    created = await client.create_token()
    listed = await client.list_tokens()
    assert [t.id for t in listed.tokens] == [created.id]
    assert listed.tokens[0].hint == created.secret[-4:]
    credentials = await client.get_credentials()
    assert credentials.tenant_url.endswith("?aadOptscim062020")
    assert (await client.get_provisioning()).users_received == 0
    assert (await client.list_requests()).items == []
    assert (await client.list_groups()).total == 0
    assert (await client.list_scim_users()).total == 0
    assert (await client.list_communities()).items
    assert (await client.list_users()).items
    preview = await client.activation_preview()
    assert preview.created == 0
    await client.revoke_token(created.id)
    assert (await client.list_tokens()).tokens == []
    removal = await client.remove_integration()
    assert not removal.integration.installed
    assert not (await client.get_integration()).installed


async def test_bad_input_is_invalid(client: SteepleClient) -> None:
    await client.install_integration()
    with pytest.raises(SteepleError) as caught:
        await client.list_requests(after="not-a-cursor")
    assert caught.value.kind is ErrorKind.INVALID
    assert caught.value.status == 422 and caught.value.code


async def test_quoted_server_message_is_redacted_like_every_output(admin_key: str) -> None:
    """A server's 409 message is quoted to the admin: it goes through the one redaction helper,
    so a credential it echoes (not only our own key) is masked as in reports and JSON output."""
    leaked = ("stp_live9f8e7d6c5b4a3210", "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0")
    message = f"{admin_key} and token {leaked[0]} clash (Authorization: Bearer {leaked[1]})"

    async def echoing_server(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = json.dumps({"code": "conflict", "message": message}).encode()
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 409, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    peer = ThreadedServer(echoing_server).start()  # a foreign server, not our admin API
    try:
        async with SteepleClient(peer.base_url, admin_key, retries=0) as steeple:
            with pytest.raises(SteepleError) as caught:
                await steeple.install_integration()
    finally:
        peer.stop()
    assert caught.value.kind is ErrorKind.CONFLICT
    assert "clash" in caught.value.message  # still quoted, only the secrets masked
    assert_no_secret(caught.value, admin_key, *leaked)
