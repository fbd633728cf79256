"""Step 1, single sign-on, against a sandbox Steeple over HTTP as against a real instance (`--url`):
what the step says comes from the instance's SSO configuration, and Recheck moves on only once
the instance has it (configured in Steeple's own console, which the assistant does not drive):
the step then says so and Continue, focused, goes on to the install."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Static

from assistant.i18n.translate import t
from assistant.steeple.client import SteepleClient
from assistant.steeple.contract import SsoConfigUpdate
from screens.steps.install import InstallStep
from screens.steps.sso import SsoStep
from tests.support.app import frozen_clock
from tests.support.pilot import wait_for, wait_for_screen


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_without_sso_it_says_how_and_recheck_sees_it_once_the_instance_has_it(
    lang: str, start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox(sso=False, clock=frozen_clock)
    app = build_app(SteepleClient(server.base_url, admin_key), step="sso", lang=lang)
    async with (
        SteepleClient(server.base_url, admin_key) as admin,
        app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await wait_for_screen(pilot, SsoStep)
        assert screen.query_one("#howto").display
        assert not screen.query_one("#continue").display  # nothing to continue to yet
        assert not screen.query_one("#configure").display  # a real instance: Steeple's console
        assert app.focused is not None and app.focused.id == "recheck"

        await pilot.press("k")  # nothing changed on the instance: the step stays
        screen = await wait_for_screen(pilot, SsoStep)
        assert screen.query_one("#howto").display

        await admin.configure_sso(SsoConfigUpdate())  # the admin did it in Steeple's console
        await pilot.press("k")
        await wait_for(pilot, lambda: app.screen is not screen, "the step read again")
        screen = await wait_for_screen(pilot, SsoStep)
        assert not screen.query_one("#howto").display
        assert app.focused is not None and app.focused.id == "continue"
        await pilot.press("enter")
        await wait_for_screen(pilot, InstallStep)


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_configured_sso_is_named_as_the_instance_has_it_and_continue_has_focus(
    lang: str, start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox(clock=frozen_clock)  # the demo seed has SSO
    async with SteepleClient(server.base_url, admin_key) as admin:
        sso = await admin.get_sso()
    assert sso.configured and sso.protocol and sso.identifier_claim
    app = build_app(SteepleClient(server.base_url, admin_key), step="sso", lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, SsoStep)
        status = str(screen.query_one("#status", Static).content)
        wanted = t("sso.ok", lang, protocol=sso.protocol.upper(), claim=sso.identifier_claim)
        assert status == wanted
        assert not screen.query_one("#howto").display
        assert app.focused is not None and app.focused.id == "continue"
