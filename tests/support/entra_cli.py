"""Pointing the command line at a sandbox's emulated Entra, as an admin's shell would after
`sandbox serve --with-entra`: its three `export` lines and the admin key, then `entra signin`."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.app import GRAPH_CLIENT_ID
from tests.support.sandboxes import admin_client, install
from tests.support.signin import CodeTyper


def point_cli_at(server: Any, admin_key: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The environment of a shell that pasted the sandbox's `export` lines. Returns the Graph
    endpoints."""
    graph = server.graph
    assert graph is not None
    for name, value in (
        ("STEEPLE_ENTRA_AUTHORITY", graph.authority),
        ("STEEPLE_GRAPH_URL", graph.graph_url),
        ("STEEPLE_ENTRA_CA_BUNDLE", graph.ca_pem_path),
        ("STEEPLE_ENTRA_CLIENT_ID", GRAPH_CLIENT_ID),
        ("STEEPLE_API_KEY", admin_key),
    ):
        monkeypatch.setenv(name, value)
    return graph


def installed_and_signed_in(server: Any, admin_key: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """`point_cli_at`, the integration installed, and `entra signin` run (someone types its
    device code on the emulator's page): the Graph endpoints."""
    from assistant.cli.main import main

    graph = point_cli_at(server, admin_key, monkeypatch)
    with admin_client(server, admin_key) as admin:
        install(admin)
    with CodeTyper(graph):
        assert main(["entra", "signin", "--device-code"]) == 0
    return graph
