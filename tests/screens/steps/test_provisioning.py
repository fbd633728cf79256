"""Step 6, provisioning, on the copy-paste path (a real instance, no Graph) against a sandbox
over HTTP: the step waits for Entra's first cycle and says so; when Entra's SCIM requests arrive
the step's own polling shows them (the instance's figures) and offers Continue, in focus.

The dashboard through Graph is `tests/screens/test_entra_graph_steps.py`'s; polling's own rules
are `tests/screens/steps/test_polling.py`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Static

from assistant.i18n.translate import t
from assistant.steeple.client import SteepleClient
from assistant.steeple.contract import ENTRA_COMPLIANT_FLAG
from screens.steps.provisioning import ProvisioningStep
from screens.widgets.dashboard import Figure
from tests.support.app import frozen_clock
from tests.support.pilot import wait_for, wait_for_screen
from tests.support.prepare import PEOPLE, prepare, provision_people


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_it_waits_for_entra_then_shows_what_arrived_and_offers_continue(
    lang: str, start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox(clock=frozen_clock)
    prepared = await prepare(server.base_url, admin_key, "tested")
    app = build_app(SteepleClient(server.base_url, admin_key), step="provision", lang=lang)
    async with (
        SteepleClient(server.base_url, admin_key) as admin,
        app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await wait_for_screen(pilot, ProvisioningStep)
        status = str(screen.query_one("#status", Static).content)
        assert status == t("provision.state_waiting", lang)
        assert not screen.query_one("#continue").display
        assert screen.query_one("#clicks").display  # what to click in Entra, on this path

        # Entra's initial cycle, as it sends it: users, then the groups holding them.
        scim = f"{server.base_url}/scim/v2?{ENTRA_COMPLIANT_FLAG}"
        await provision_people(scim, prepared.secret, ["Sales users", "Sales admins"])
        users = screen.query_one("#fig-users", Figure)
        await wait_for(pilot, lambda: users.value == len(PEOPLE), "the people Entra sent")
        received = await admin.get_provisioning()
        assert received.users_received == len(PEOPLE)
        assert screen.query_one("#fig-groups", Figure).value == received.groups_received == 2
        await wait_for(pilot, lambda: screen.query_one("#continue").display, "Continue")
        assert app.focused is not None and app.focused.id == "continue"
        assert not screen.query_one("#clicks").display
