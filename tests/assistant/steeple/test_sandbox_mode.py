"""`--sandbox` wiring: the in-process sandbox, its Entra half through Graph, read by the journey."""

from __future__ import annotations

import asyncio
import json

import pytest

from assistant.cli.main import main
from assistant.journey.steps import StepId, load_journey
from assistant.steeple.sandbox_mode import start_sandbox


async def test_sandbox_session_signs_in_to_its_graph_emulator() -> None:
    session = await asyncio.to_thread(start_sandbox)
    temp_dir = session.temp_dir
    assert temp_dir is not None and temp_dir.exists()
    steeple = session.client()
    side = await session.open_entra_side(steeple)  # MSAL's device code, typed by the assistant
    try:
        async with steeple:
            assert (await load_journey(steeple, entra=side)).current is StepId.INSTALL
            await steeple.install_integration()
            token = await steeple.create_token()
            tenant_url = (await steeple.get_credentials()).tenant_url
            await side.save_credentials(tenant_url, token.secret)
            tested = await side.test_connection(tenant_url, token.secret)
            assert tested.ok, tested.sentence
            groups = await side.groups()
            assert (await side.assign_groups([g.id for g in groups[:2]])).added == 2
            journey = await load_journey(steeple, entra=side)
            assert journey.facts.entra is not None
            assert journey.facts.entra.assigned_groups == 2
            assert journey.current is StepId.PROVISION
    finally:
        await side.aclose()
        await asyncio.to_thread(session.stop)
    assert not temp_dir.exists()


def test_sandbox_explain_signs_in_to_its_own_emulator(capsys: pytest.CaptureFixture[str]) -> None:
    """`--sandbox` headless commands see Entra's side as the `--sandbox` TUI does (it used to
    stay "?": explain read the public cloud's cached session instead)."""
    code = main(["--sandbox", "explain", "nobody@example.com", "--json"])
    out, err = capsys.readouterr()
    assert code in (0, 4), out + err
    assert json.loads(out)["graph"] is True
