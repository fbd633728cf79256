"""Fixtures for the Entra simulator tests: a recording SCIM peer on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.entra import RecordingScim
from tests.support.servers import ThreadedServer


@pytest.fixture
def peer() -> Iterator[tuple[RecordingScim, str]]:
    """(the recording app, its SCIM base URL without the dialect flag)."""
    app = RecordingScim()
    with ThreadedServer(app) as server:
        yield app, server.base_url + "/scim"
