"""Step 2, installing the Azure AD integration, against a sandbox Steeple over HTTP: the install
is asked once, done on the instance, and said; installing what someone else installed meanwhile
changes nothing and says so (the admin API answers "unchanged")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Static

from assistant.i18n.translate import t
from assistant.steeple.client import SteepleClient
from screens.modals.confirm import ConfirmModal
from screens.steps.install import InstallStep
from tests.support.app import frozen_clock
from tests.support.pilot import wait_for, wait_for_io, wait_for_screen


def status_of(screen: InstallStep) -> str:
    return str(screen.query_one("#status", Static).content)


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_install_is_confirmed_done_on_the_instance_and_said(
    lang: str, start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox(clock=frozen_clock)
    app = build_app(SteepleClient(server.base_url, admin_key), step="install", lang=lang)
    async with (
        SteepleClient(server.base_url, admin_key) as admin,
        app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await wait_for_screen(pilot, InstallStep)
        assert status_of(screen) == t("install.not_installed", lang)
        assert not screen.query_one("#continue").display

        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
        await pilot.press("escape")  # cancelled: nothing is installed
        await wait_for(pilot, lambda: app.screen is screen, "the step again")
        assert not (await admin.get_integration()).installed

        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
        done = screen.completed_io
        await pilot.press("y")
        await wait_for_io(pilot, screen, done, "the install")
        assert (await admin.get_integration()).installed
        assert status_of(screen) == t("install.installed", lang)
        assert screen.query_one("#continue").display
        assert not screen.query_one("#install").display


async def test_installed_meanwhile_elsewhere_is_said_unchanged(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox(clock=frozen_clock)
    app = build_app(SteepleClient(server.base_url, admin_key), step="install")
    async with (
        SteepleClient(server.base_url, admin_key) as admin,
        app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await wait_for_screen(pilot, InstallStep)
        assert status_of(screen) == t("install.not_installed", "en")
        assert (await admin.install_integration()).changed  # another admin, in Steeple
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
        done = screen.completed_io
        await pilot.press("y")
        await wait_for_io(pilot, screen, done, "the install")
        assert status_of(screen) == t("install.already", "en")
        assert app.focused is not None and app.focused.id == "continue"
