"""`SandboxProcess`: the child's admin API is usable at its first line; where its emulators are
comes on its second, and an Entra side that could not start is said, not a traceback."""

from __future__ import annotations

import secrets
import socket

import pytest

from assistant.journey.steps import StepId, load_journey
from assistant.steeple.sandbox_mode import (
    SandboxProcess,
    SandboxSession,
    SandboxStartError,
    spawn_sandbox,
)

pytestmark = pytest.mark.slow  # subprocesses


async def test_the_admin_api_serves_before_the_emulators_are_asked_for() -> None:
    pending = spawn_sandbox()
    try:
        session = pending.wait()
        process = session.server
        assert isinstance(process, SandboxProcess)
        async with session.client() as steeple:
            assert (await load_journey(steeple)).current is StepId.INSTALL
        graph = process.graph  # waits for the child's second line
        assert graph is not None and graph.authority.startswith(graph.base_url + "/")
        assert session.entra_settings().graph_url == graph.graph_url
    finally:
        pending.stop()


async def test_emulators_that_cannot_start_leave_the_admin_api_and_say_why() -> None:
    admin_key = "adm_" + secrets.token_urlsafe(24)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        fields = {
            "admin_key": admin_key,
            "db_path": None,
            "with_entra": True,
            "with_graph": True,
            "graph_port": taken.getsockname()[1],
        }
        process = SandboxProcess(fields)
        try:
            session = SandboxSession(server=process.wait_ready(), admin_key=admin_key)
            async with session.client() as steeple:
                assert (await steeple.get_sso()).configured
            assert process.graph is None
            assert "Address already in use" in process.graph_error
            async with session.client() as steeple:
                with pytest.raises(SandboxStartError) as refused:
                    await session.open_entra_side(steeple)
            assert "Address already in use" in refused.value.text("en")[0]
        finally:
            process.stop()
