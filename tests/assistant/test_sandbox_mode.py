"""`--sandbox` wiring: the in-process sandbox with the simulated Entra host, read by the journey."""

from __future__ import annotations

import asyncio

from assistant.journey import StepId, load_journey
from assistant.sandbox_mode import start_sandbox


async def test_sandbox_session_with_entra_host() -> None:
    session = await asyncio.to_thread(start_sandbox)
    temp_dir = session.temp_dir
    assert temp_dir is not None and temp_dir.exists()
    entra = session.entra_client()
    assert entra is not None, "the Entra simulator host should be mounted in sandbox mode"
    try:
        async with session.client() as steeple:
            assert (await load_journey(steeple, entra=entra)).current is StepId.INSTALL
            await steeple.install_integration()
            token = await steeple.create_token()
            tenant_url = (await steeple.get_credentials()).tenant_url
            await entra.save_credentials(tenant_url, token.secret)  # type: ignore[attr-defined]
            tested = await entra.test_connection()  # type: ignore[attr-defined]
            assert tested.success, tested.detail
            groups = await entra.list_groups()  # type: ignore[attr-defined]
            await entra.assign_groups([g.id for g in groups[:2]])  # type: ignore[attr-defined]
            journey = await load_journey(steeple, entra=entra)
            assert journey.facts.entra is not None
            assert journey.facts.entra.assigned_groups == 2
            assert journey.current is StepId.PROVISION
    finally:
        await entra.aclose()  # type: ignore[attr-defined]
        await asyncio.to_thread(session.stop)
    assert not temp_dir.exists()
