"""Fixtures for the Graph side: a sandbox with the Graph and login emulators on TLS, an in-memory
keyring (keyring's own backend API: no OS keyring runs here), and MSAL pointed at the emulator.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assistant.entra.signin import EntraSettings, EntraSignIn
from sandbox.graph.mount import GraphEndpoints
from sandbox.server import SandboxServer
from tests.support.memory_keyring import MemoryKeyring

CLIENT_ID = "11111111-2222-3333-4444-555555555555"


@pytest.fixture
def graph_sandbox(start_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    # A short cycle interval, so the job's first cycle ends soon after it starts.
    return start_sandbox(with_entra=True, with_graph=True, entra_cycle_interval=2.0)


@pytest.fixture
def graph(graph_sandbox: SandboxServer) -> GraphEndpoints:
    endpoints = graph_sandbox.graph
    assert endpoints is not None
    endpoints.emulator.approval_delay = 0.0  # the admin typed the code at once
    return endpoints


@pytest.fixture
def entra_settings(graph: GraphEndpoints) -> EntraSettings:
    return EntraSettings(
        authority=graph.authority,
        graph_url=graph.graph_url,
        client_id=CLIENT_ID,
        ca_bundle=graph.ca_pem_path,
    )


@pytest.fixture
def entra_env(entra_settings: EntraSettings, monkeypatch: pytest.MonkeyPatch) -> EntraSettings:
    """The CLI finds the emulator through the environment, as an admin's shell would."""
    monkeypatch.setenv("STEEPLE_ENTRA_AUTHORITY", entra_settings.authority)
    monkeypatch.setenv("STEEPLE_GRAPH_URL", entra_settings.graph_url)
    monkeypatch.setenv("STEEPLE_ENTRA_CLIENT_ID", entra_settings.client_id)
    monkeypatch.setenv("STEEPLE_ENTRA_CA_BUNDLE", entra_settings.ca_bundle or "")
    return entra_settings


@pytest.fixture
def signed_in(entra_settings: EntraSettings, memory_keyring: MemoryKeyring) -> EntraSignIn:
    """Signed in through MSAL's real device-code flow against the login emulator."""
    signin = EntraSignIn(entra_settings)
    _, flow = signin.start()
    signin.finish(flow)
    return signin
