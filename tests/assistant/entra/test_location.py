"""A token goes only to the Microsoft Graph of the cloud that issued it, refused before any token
is read and before any request leaves (exit 2, with why); the extra CA is added to the system's
trust, for the emulator's host only; a missing CA file is a sentence, never a traceback.

Clouds and hosts: https://learn.microsoft.com/graph/deployments ("Microsoft Graph and Graph
Explorer service root endpoints") and docs/identity-platform/authentication-national-cloud.md
("Microsoft Entra authentication endpoints").
"""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from assistant.cli.main import main
from assistant.entra.location import EntraSettings
from assistant.entra.signin import EntraSignIn, msal_http_client
from sandbox.graph.mount import GraphEndpoints
from tests.support.memory_keyring import MemoryKeyring
from tests.support.signin import sign_in

PUBLIC = "https://login.microsoftonline.com/organizations"
USGOV = "https://login.microsoftonline.us/contoso.onmicrosoft.us"
CHINA = "https://login.chinacloudapi.cn/contoso.partner.onmschina.cn"


@pytest.mark.parametrize(
    ("authority", "graph"),
    [
        (PUBLIC, "https://graph.microsoft.com/v1.0"),
        (PUBLIC, "https://graph.microsoft.com/beta"),
        ("https://login.windows.net/contoso.com", "https://graph.microsoft.com/v1.0"),
        (USGOV, "https://graph.microsoft.us/v1.0"),
        (USGOV, "https://dod-graph.microsoft.us/v1.0"),
        (CHINA, "https://microsoftgraph.chinacloudapi.cn/v1.0"),
        ("https://login.partner.microsoftonline.cn/t", "https://microsoftgraph.chinacloudapi.cn"),
    ],
)
def test_each_cloud_pairs_with_its_own_graph(authority: str, graph: str) -> None:
    assert EntraSettings(authority=authority, graph_url=graph).problem() is None


@pytest.mark.parametrize(
    ("authority", "graph", "said"),
    [
        (PUBLIC, "https://graph.example.net/v1.0", "public cloud"),
        (PUBLIC, "https://127.0.0.1:8443/v1.0", "public cloud"),  # a stale sandbox Graph URL
        (PUBLIC, "https://graph.microsoft.com:8443/v1.0", "public cloud"),
        (PUBLIC, "https://graph.microsoft.us/v1.0", "public cloud"),
        (USGOV, "https://graph.microsoft.com/v1.0", "US Government"),
        (CHINA, "https://graph.microsoft.com/v1.0", "21Vianet"),
        (PUBLIC, "http://graph.microsoft.com/v1.0", "https://"),
        ("http://login.microsoftonline.com/x", "https://graph.microsoft.com/v1.0", "https://"),
        ("https://login.microsoftonline.de/x", "https://graph.microsoft.de/v1.0", "does not know"),
        ("https://127.0.0.1:9/t", "https://127.0.0.1:10/v1.0", "same host and port"),
        ("https://127.0.0.1:9/t", "https://graph.microsoft.com/v1.0", "same host and port"),
        ("https://127.0.0.1:9/t", "https://127.0.0.1:9/v1.0", "name the CA"),
    ],
)
def test_a_graph_outside_the_authoritys_cloud_is_refused(
    authority: str, graph: str, said: str
) -> None:
    problem = EntraSettings(authority=authority, graph_url=graph).problem()
    assert problem is not None and said in problem[0], problem
    assert EntraSettings(authority=authority, graph_url=graph).problem("fr") != problem


def test_a_national_authority_gets_its_own_graph_and_scopes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("STEEPLE_GRAPH_URL", "STEEPLE_ENTRA_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    usgov = EntraSettings.from_env(authority=USGOV)
    assert usgov.graph_url == "https://graph.microsoft.us/v1.0" and usgov.problem() is None
    assert all(s.startswith("https://graph.microsoft.us/") for s in usgov.scopes)
    china = EntraSettings.from_env(authority=CHINA)
    assert china.scopes[0].startswith("https://microsoftgraph.chinacloudapi.cn/")
    dod = EntraSettings(authority=USGOV, graph_url="https://dod-graph.microsoft.us/v1.0")
    assert dod.session_key != usgov.session_key  # filed by Graph origin too


def test_an_extra_ca_is_for_a_service_of_ones_own_only(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    problem = EntraSettings(ca_bundle=str(ca)).problem()
    assert problem is not None and "STEEPLE_ENTRA_CA_BUNDLE" in problem[1]


def test_the_extra_ca_is_added_to_the_systems_for_the_emulators_host_only(
    graph: GraphEndpoints,
    entra_settings: EntraSettings,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    system = ssl.create_default_context().cert_store_stats()["x509_ca"]
    extra = entra_settings.extra_ca_context().cert_store_stats()["x509_ca"]
    assert extra == system + 1  # the system's CAs, plus the sandbox's: added, not replaced
    session = msal_http_client(entra_settings)
    emulator = session.get_adapter(graph.authority + "/v2.0/.well-known/openid-configuration")
    elsewhere = session.get_adapter("https://login.microsoftonline.com/common/discovery/instance")
    assert type(emulator).__name__ == "_ExtraCaAdapter"
    assert type(elsewhere) is requests.adapters.HTTPAdapter  # requests' own trust there
    # REQUESTS_CA_BUNDLE (another tool's CA) neither breaks nor widens the emulator's trust.
    import certifi

    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certifi.where())
    assert sign_in(EntraSignIn(entra_settings), graph)


def test_a_missing_ca_file_is_a_sentence_and_exit_2(
    graph: GraphEndpoints, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The sandbox deletes its CA when it stops; a shell still exporting it gets the why."""
    gone = str(tmp_path / "sandbox-ca.pem")
    options = ["--entra-authority", graph.authority, "--graph-url", graph.graph_url]
    for argv in (
        ["entra", *options, "--entra-ca-bundle", gone, "status"],
        ["entra", *options, "--entra-ca-bundle", gone, "status", "--json"],
        ["--url", "https://steeple.example", *options, "--entra-ca-bundle", gone],  # the TUI
    ):
        code = main(argv)
        out, err = capsys.readouterr()
        assert code == 2 and "Traceback" not in out + err
        assert "does not exist" in out + err and "sandbox serve" in out + err
    not_pem = tmp_path / "not.pem"
    not_pem.write_text("not a certificate")
    assert main(["entra", *options, "--entra-ca-bundle", str(not_pem), "status"]) == 2
    assert "PEM" in capsys.readouterr().err


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A listening socket: every connection anything makes to it waits in its queue."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield sock
    sock.close()


def _connections(sock: socket.socket) -> int:
    sock.setblocking(False)
    count = 0
    while True:
        try:
            peer, _ = sock.accept()
        except BlockingIOError:
            return count
        peer.close()
        count += 1


@pytest.mark.slow  # subprocesses
def test_a_foreign_graph_url_is_exit_2_with_no_request_sent_anywhere(
    listener: socket.socket, tmp_path: Path
) -> None:
    """`STEEPLE_GRAPH_URL=https://graph.example.net/v1.0` with Microsoft's authority: every
    command that talks to Entra stops before reading a token or sending a request. The listening
    socket is the instance (`--url`) and every proxy, so any request at all would reach it; it
    is also, in a second run, the Graph URL itself (a sandbox's, left in the shell)."""
    port = listener.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEEPLE_") and "PROXY" not in k}
    proxy = f"http://127.0.0.1:{port}"
    env.update(
        HTTPS_PROXY=proxy,
        HTTP_PROXY=proxy,
        ALL_PROXY=proxy,
        STEEPLE_API_KEY="adm_never-sent-0123456789",
        STEEPLE_ASSISTANT_CONFIG_DIR=str(tmp_path / "config"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    instance = f"https://127.0.0.1:{port}"
    commands = [
        ["entra", "status"],
        ["entra", "status", "--json"],
        ["--url", instance, "entra", "setup", "--yes"],
        ["--url", instance, "rotate-token", "--via-graph", "--yes"],
        ["entra", "signin"],
    ]
    for graph_url in ("https://graph.example.net/v1.0", f"https://127.0.0.1:{port}/v1.0"):
        for argv in commands:
            done = subprocess.run(
                [sys.executable, "-m", "assistant.cli", *argv],
                env={**env, "STEEPLE_GRAPH_URL": graph_url},
                capture_output=True,
                text=True,
                timeout=120,
            )
            said = done.stdout + done.stderr
            assert done.returncode == 2, (argv, said)
            assert "public cloud" in said and "STEEPLE_GRAPH_URL" in said, said
            assert "Traceback" not in said
            assert _connections(listener) == 0, argv  # nothing left this machine's process
