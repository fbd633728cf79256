"""The Entra, Assign and Provisioning steps through Microsoft Graph (the sandbox's emulator).

Everything runs for real: the sandbox, its Graph and login emulators over TLS, MSAL's device
code flow, the facade. The emulator's own controls stand in for what a tenant's administrator
would do (withhold consent for a permission, throttle the tenant); the OS keyring cannot run
here, so the in-memory keyring backend stands in for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Static

from assistant.entra.signin import EntraSettings
from assistant.i18n.translate import t
from assistant.steeple.client import SteepleClient
from screens.modals.ask_person import AskPersonModal
from screens.modals.confirm import ConfirmModal
from screens.modals.entra_signin import EntraSignInModal
from screens.steps.assign import AssignStep
from screens.steps.entra import EntraStep
from screens.steps.provisioning import ProvisioningStep
from screens.widgets.entra_says import EntraSays
from screens.widgets.error_panel import ErrorPanel
from tests.support.app import GRAPH_CLIENT_ID as TEST_CLIENT_ID
from tests.support.app import frozen_clock, prepare_entra, signed_in_side
from tests.support.memory_keyring import MemoryKeyring
from tests.support.pilot import wait_for, wait_for_screen
from tests.support.prepare import prepare
from tests.support.signin import enter_code


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def palette_command(app: Any, key: str) -> Any:
    title = t(key, app.lang)
    (command,) = [c for c in app.get_system_commands(app.screen) if c.title == title]
    return command


# --- Provisioning: Entra says beside Steeple heard, on demand -----------------------------------


def test_entra_says_beside_steeple_heard_then_one_person_on_demand(
    app_at: Callable[..., Any],
) -> None:
    asyncio.run(_says_and_on_demand(app_at("tested", "provision", sim=True, entra="configured")))


async def _says_and_on_demand(app: Any) -> None:
    tenant = app.server.graph.emulator.host.tenant
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, ProvisioningStep)
        says = screen.query_one(EntraSays)
        assert says.display and "assigned groups: 2" in text_of(says, "#says-scope")
        await pilot.click("#start")
        await wait_for(pilot, lambda: screen.query_one("#pause").display, "Pause to be offered")

        def counted() -> bool:  # Entra's cycle ran and its log lines reached the panel
            return screen._facts is not None and screen._facts.last_run is not None

        await wait_for(pilot, counted, "Entra's first cycle")
        await wait_for(pilot, lambda: says.query_one("#says-log").row_count > 0, "log lines")
        heard = (await app.client.get_provisioning()).users_received
        facts = screen._facts
        assert facts.users_in_scope is not None
        # The assigned groups hold disabled people Entra never sends: the gap shows at once.
        if facts.users_in_scope > heard:
            gap = text_of(screen, "#gap")
            assert f"Entra says {facts.users_in_scope} users are in scope" in gap
            assert f"Steeple heard {heard}" in gap
        assert "Steeple heard" in str(screen.query_one("#stream").border_title)

        # Provision one person on demand: the admin types their UPN, Entra's answer is shown.
        in_scope = set(app.server.graph.emulator.host.job.users_in_scope())
        person = next(
            u for u in tenant.users.values() if u.object_id in in_scope and u.mail
        ).user_principal_name
        await pilot.click("#ondemand")
        await wait_for(pilot, lambda: isinstance(app.screen, AskPersonModal), "the question")
        app.screen.query_one("#person").value = person
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(text_of(screen, "#ondemand-result")), "Entra's answer")
        answer = text_of(screen, "#ondemand-result")
        assert answer.startswith(f"Entra, for {person}: ")

        await pilot.click("#pause")
        await wait_for(pilot, lambda: screen.query_one("#start").display, "Start again")
        assert not app.server.graph.emulator.host.running


# --- Graph refusals in a step: a sentence and a fix ---------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_a_missing_permission_is_a_sentence_and_a_fix(
    lang: str, start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    """An admin without the Reports Reader role: Graph answers 403 on the provisioning logs."""
    server = start_sandbox(clock=frozen_clock, with_entra=True, with_graph=True)
    prepared = await prepare(server.base_url, admin_key, "tested")
    emulator = server.graph.emulator
    emulator.consented = emulator.consented - {"AuditLog.Read.All"}  # consent withheld
    side = signed_in_side(server, lang)
    await prepare_entra(server, prepared, "configured")
    app = build_app(SteepleClient(server.base_url, admin_key), step="provision", lang=lang)
    app.entra_side = side
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, ProvisioningStep)
        panel = screen.query_one(ErrorPanel)
        await wait_for(pilot, lambda: panel.is_shown, "Graph's refusal")
        message = panel.message_text
        fix = str(screen.query_one("#error-fix").render())
        assert "AuditLog.Read.All" in message and "AuditLog.Read.All" in fix
        assert "Reports Reader" in fix
        if lang == "fr":
            assert "autorisation déléguée" in message and "consentement" in fix
        else:
            assert "delegated permission" in message and "consent" in fix
        assert "Traceback" not in message + fix
        # Steeple's side is still shown: the request log and the counters are not blocked.
        assert screen.query_one("#stream").row_count > 0


async def test_throttled_graph_on_assign_is_a_sentence_a_fix_and_a_retry(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox(clock=frozen_clock, with_entra=True, with_graph=True)
    prepared = await prepare(server.base_url, admin_key, "tested")
    emulator = server.graph.emulator
    saver = signed_in_side(server)  # step 4 done through Graph: Entra holds the credentials
    try:
        await saver.save_credentials(prepared.tenant_url, prepared.secret)
    finally:
        await saver.aclose()
    app = build_app(
        SteepleClient(server.base_url, admin_key), step="assign", entra_side=signed_in_side(server)
    )
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, AssignStep)
        picker = screen.query_one("#groups")
        await wait_for(pilot, lambda: picker.option_count == 10, "Entra's groups")
        picker.select(picker.get_option_at_index(0).value)
        emulator.throttle(100, retry_after=0)  # the tenant is throttled: every call is 429
        await pilot.click("#assign")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
        await pilot.click("#confirm")
        panel = screen.query_one(ErrorPanel)
        await wait_for(pilot, lambda: panel.is_shown, "the throttling")
        assert "throttling" in panel.message_text
        assert "retry" in str(screen.query_one("#error-fix").render())
        assert not any(sp.assignment_ids for sp in emulator.service_principals.values())
        emulator.throttle(0)  # the limit lifts
        await pilot.press("r")  # Retry asks the confirmation again, then assigns
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
        await pilot.click("#confirm")
        await wait_for_screen(pilot, ProvisioningStep)  # assigned: the journey moves on
        (app_sp,) = emulator.service_principals.values()  # created from the template
        assert len(app_sp.assignment_ids) == 1


# --- Sign in from the palette (--url mode), then out again -------------------------------------


async def test_sign_in_from_the_palette_switches_the_step_to_graph_without_restart(
    start_sandbox: Callable[..., Any],
    admin_key: str,
    build_app: Callable[..., Any],
    memory_keyring: MemoryKeyring,
) -> None:
    server = start_sandbox(clock=frozen_clock, with_entra=True, with_graph=True)
    prepared = await prepare(server.base_url, admin_key, "token")
    endpoints = server.graph
    settings = EntraSettings(
        authority=endpoints.authority,
        graph_url=endpoints.graph_url,
        client_id=TEST_CLIENT_ID,
        ca_bundle=endpoints.ca_pem_path,
    )
    app = build_app(
        SteepleClient(server.base_url, admin_key), step="entra", entra_settings=settings
    )
    app.revealed_secret = prepared.secret
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, EntraStep)
        assert screen.query_one("#clicks").display  # the copy-paste path
        assert not screen.query_one("#sandbox-entra").display
        palette_command(app, "palette.signin").callback()
        await wait_for(pilot, lambda: isinstance(app.screen, EntraSignInModal), "the modal")
        modal = app.screen
        # A device code (the browser flow: tests/screens/modals/test_entra_signin.py).
        await pilot.press("d")
        await wait_for(pilot, lambda: modal.prompt is not None, "the code")
        await asyncio.to_thread(
            enter_code, endpoints, modal.prompt.user_code
        )  # typed a moment later
        await wait_for(pilot, lambda: app.entra_side is not None, "the sign-in")

        def graph_step() -> bool:
            shown = app.screen
            return isinstance(shown, EntraStep) and shown is not screen and shown.completed_io > 0

        await wait_for(pilot, graph_step, "the step shown again, through Graph")
        screen = app.screen
        assert not screen.query_one("#clicks").display
        assert screen.query_one("#sandbox-entra").display
        assert memory_keyring.store  # opt-in sign-in: kept in the (OS) keyring
        await pilot.click("#test")  # Test Connection through Graph, as in the sandbox
        await wait_for(pilot, lambda: screen.query_one("#sim-result").has_class("ok"), "the test")

        palette_command(app, "palette.signout").callback()
        await wait_for(pilot, lambda: app.entra_side is None, "the sign-out")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, EntraStep) and app.screen is not screen,
            "the copy-paste step again",
        )
        await wait_for(pilot, lambda: app.screen.completed_io > 0, "the step to load")
        assert app.screen.query_one("#clicks").display
        assert memory_keyring.store == {}


# --- Entra step: Test Connection's verdict, decoded ---------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_a_wrong_token_gets_entras_verdict_with_its_fix(
    lang: str, start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox(clock=frozen_clock, with_entra=True, with_graph=True)
    prepared = await prepare(server.base_url, admin_key, "token")
    app = build_app(
        SteepleClient(server.base_url, admin_key),
        step="entra",
        entra_side=signed_in_side(server, lang),
        lang=lang,
    )
    app.revealed_secret = prepared.secret
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, EntraStep)
        screen.query_one("#token").value = "scim_pasted-the-old-one"
        await pilot.click("#test")
        result = screen.query_one("#sim-result")
        await wait_for(pilot, lambda: result.has_class("bad"), "Entra's verdict")
        shown = text_of(screen, "#sim-result")
        assert t("entra.verdict.unauthorized", lang) in shown
        assert t("entra.verdict.unauthorized.fix", lang) in shown
        assert "scim_pasted-the-old-one" not in shown  # the token typed is never echoed
        assert not screen.query_one("#continue").display  # Steeple heard a 401, not a success
