"""On the Graph path, step 4 (Configure Entra) is done only once the credentials are saved in
Entra — Test Connection checks them and saves nothing — and Start with unsaved credentials says
exactly that (issue 19, point 10, first bullet). Real sandbox, Graph emulator, facade."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from assistant.entra.side import CredentialsNotSaved
from assistant.journey.steps import StepId, StepStatus, load_journey
from assistant.steeple.client import SteepleClient
from tests.support.app import signed_in_side


async def test_a_passing_test_connection_alone_leaves_step_4_to_do(
    start_sandbox: Callable[..., Any], admin_key: str
) -> None:
    server = start_sandbox(with_entra=True, with_graph=True, entra_cycle_interval=2.0)
    side = signed_in_side(server)
    try:
        async with SteepleClient(server.base_url, admin_key) as client:
            await client.install_integration()
            token = await client.create_token()
            tenant_url = (await client.get_credentials()).tenant_url
            assert (await side.test_connection(tenant_url, token.secret)).ok  # tested in Entra
            journey = await load_journey(client, entra=side)
            assert journey.facts.entra is not None
            assert not journey.facts.entra.credentials_saved
            assert journey.current is StepId.ENTRA  # tested is not saved
            with pytest.raises(CredentialsNotSaved) as refused:
                await side.start()
            sentence, fix = refused.value.text("fr")
            assert "ne les enregistre pas" in sentence or "sans les enregistrer" in sentence
            assert "Enregistrer" in fix
            assert not server.graph.emulator.host.running

            await side.save_credentials(tenant_url, token.secret)
            journey = await load_journey(client, entra=side)
            assert journey.step(StepId.ENTRA).status is StepStatus.DONE
            assert journey.current is StepId.ASSIGN
    finally:
        await side.aclose()


async def test_start_on_a_tenant_with_nothing_saved_creates_nothing(
    start_sandbox: Callable[..., Any],
) -> None:
    server = start_sandbox(with_entra=True, with_graph=True, sso=False, db_path=":memory:")
    side = signed_in_side(server)
    try:
        with pytest.raises(CredentialsNotSaved) as refused:
            await side.start()
    finally:
        await side.aclose()
    assert "Test Connection checks them but does not save them" in refused.value.sentence
    assert server.graph.emulator.service_principals == {}  # no app made by a refused Start
