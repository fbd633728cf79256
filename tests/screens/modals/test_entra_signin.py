"""The "Sign in to Entra" modal over MSAL's real flows against the login emulator.

The admin chooses the browser or a device code; the test does what they would: types the code
the modal shows on the emulator's `/devicelogin` page, or — the browser flow — clicks through
the emulator's page in a real headless Chromium (run in a thread of its own: Playwright's sync
API cannot run inside the test's asyncio loop). MSAL, TLS and the polling run for real. The OS
keyring cannot run here: the in-memory keyring backend stands in for it.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from assistant.entra.signin import EntraSettings, EntraSignIn
from assistant.steeple.client import SteepleClient
from sandbox.graph.mount import GraphEndpoints
from screens.modals.entra_signin import EntraSignInModal
from tests.screens.scenes import SIZES
from tests.support.app import emulator_settings, frozen_clock
from tests.support.memory_keyring import MemoryKeyring
from tests.support.pilot import wait_for, wait_for_screen
from tests.support.prepare import prepare
from tests.support.signin import WaitingSignIn, enter_code

HOSTILE_CODE = "\x1b]52;c;cHduZWQ=\x07[@click=app.quit]X[/]"


class Host(App[None]):
    """Just enough app to show the modal and keep what it was dismissed with."""

    def __init__(self, signin: Any, lang: str = "en", **modal_options: Any) -> None:
        super().__init__()
        self.lang = lang
        self.signin = signin
        self.modal_options = modal_options
        self.results: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(EntraSignInModal(self.signin, **self.modal_options), self.results.append)


def _text(modal: EntraSignInModal, selector: str) -> str:
    return str(modal.query_one(selector, Static).render())


async def _type_the_code_shown(pilot: Any, modal: EntraSignInModal, graph: GraphEndpoints) -> None:
    """The admin reads the code in the modal and types it on the page (another device)."""
    await wait_for(pilot, lambda: modal.prompt is not None, "the device code")
    assert modal.prompt is not None
    shown_code = _text(modal, "#signin-code")
    await asyncio.to_thread(enter_code, graph, shown_code)


async def test_device_code_chosen_shown_typed_dismisses_with_the_username(
    graph: GraphEndpoints, entra_settings: EntraSettings, memory_keyring: MemoryKeyring
) -> None:
    signin = EntraSignIn(entra_settings)
    app = Host(signin)
    async with app.run_test(size=(100, 30)) as pilot:
        modal = app.screen
        assert isinstance(modal, EntraSignInModal)
        assert modal.choosing and app.focused is modal.query_one("#browser")  # the default
        assert "system keyring" in _text(modal, "#signin-kept")  # said before, not after
        await pilot.press("d")
        await wait_for(pilot, lambda: modal.prompt is not None, "the device code")
        (issued,) = graph.emulator.device_codes.values()
        assert issued.user_code in _text(modal, "#signin-code")
        assert _text(modal, "#signin-url").startswith(graph.base_url)
        await pilot.press("c")
        assert app.clipboard == issued.user_code
        await _type_the_code_shown(pilot, modal, graph)
        await wait_for(pilot, lambda: bool(app.results), "the approval")
    user = graph.emulator.signed_in_user
    assert user is not None and app.results == [user.user_principal_name]
    assert signin.token() is not None


async def test_where_no_browser_can_open_the_device_code_is_the_default(
    entra_settings: EntraSettings, memory_keyring: MemoryKeyring
) -> None:
    app = Host(EntraSignIn(entra_settings), lang="fr", no_browser="ssh")
    async with app.run_test(size=(100, 30)) as pilot:
        modal = app.screen
        assert isinstance(modal, EntraSignInModal)
        assert app.focused is modal.query_one("#device")
        assert "Session SSH" in _text(modal, "#signin-steps")
        await pilot.press("escape")
        await wait_for(pilot, lambda: bool(app.results), "the modal to close")
    assert app.results == [None]


async def test_escape_cancels_and_stops_waiting(
    graph: GraphEndpoints, entra_settings: EntraSettings, memory_keyring: MemoryKeyring
) -> None:
    signin = EntraSignIn(entra_settings)
    app = Host(signin, method="device")
    async with app.run_test(size=(100, 30)) as pilot:
        modal = app.screen
        assert isinstance(modal, EntraSignInModal)
        await wait_for(pilot, lambda: modal.prompt is not None, "the device code")
        flow = modal._flow
        await pilot.press("escape")
        await wait_for(pilot, lambda: bool(app.results), "the modal to close")
        assert flow is not None and flow["expires_at"] == 0  # MSAL's polling thread stops
    assert app.results == [None]
    assert signin.token() is None


async def test_a_declined_code_is_a_sentence_a_fix_and_a_retry(
    graph: GraphEndpoints, entra_settings: EntraSettings, memory_keyring: MemoryKeyring
) -> None:
    app = Host(EntraSignIn(entra_settings, lang="fr"), lang="fr")
    async with app.run_test(size=(100, 30)) as pilot:
        modal = app.screen
        assert isinstance(modal, EntraSignInModal)
        await pilot.press("d")
        await wait_for(pilot, lambda: modal.prompt is not None, "the device code")
        assert modal.prompt is not None
        await asyncio.to_thread(enter_code, graph, modal.prompt.user_code, "decline")
        await wait_for(pilot, lambda: modal.failed, "the refusal")
        assert "refusée" in _text(modal, "#signin-error")
        assert "consentement" in _text(modal, "#signin-fix")
        await pilot.press("r")  # asked again, then a new code, typed this time
        assert modal.choosing
        await pilot.press("d")
        await _type_the_code_shown(pilot, modal, graph)
        await wait_for(pilot, lambda: bool(app.results), "the second sign-in")
    assert app.results and app.results[0]


async def test_conditional_access_blocking_the_device_code_points_to_the_browser(
    graph: GraphEndpoints, entra_settings: EntraSettings, memory_keyring: MemoryKeyring
) -> None:
    graph.emulator.login.policy.blocked_flows = {"device_code"}
    app = Host(EntraSignIn(entra_settings), method="device")
    async with app.run_test(size=(100, 30)) as pilot:
        modal = app.screen
        assert isinstance(modal, EntraSignInModal)
        await _type_the_code_shown(pilot, modal, graph)
        await wait_for(pilot, lambda: modal.failed, "the refusal")
        assert "Conditional Access" in _text(modal, "#signin-error")
        assert "AADSTS53003" in _text(modal, "#signin-error")
        assert "browser" in _text(modal, "#signin-fix")


class ChromiumPerson:
    """A person at a real headless Chromium, in a thread of its own: opens the page the
    assistant hands over and clicks Accept on the emulator's consent page."""

    def __init__(self) -> None:
        from tests.support.browser import chromium_or_skip

        chromium_or_skip()
        self.pages: queue.Queue[str] = queue.Queue()
        self.saw: list[str] = []
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def open_page(self, url: str) -> bool:
        self.pages.put(url)
        return True

    def _run(self) -> None:
        from playwright.sync_api import sync_playwright

        from tests.support.browser import launch_options

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(**launch_options())  # type: ignore[arg-type]
                page = browser.new_context(ignore_https_errors=True).new_page()
                page.goto(self.pages.get(timeout=60))
                page.click("#accept")
                page.wait_for_selector("text=Signed in to Entra", timeout=30_000)
                self.saw.append(page.inner_text("body"))
                browser.close()
        except BaseException as error:  # reported by the test, not lost in the thread
            self.error = error

    def join(self) -> None:
        self._thread.join(timeout=60)
        if self.error is not None:
            raise self.error


async def test_browser_sign_in_from_the_palette_then_the_entra_step_acts_through_graph(
    start_sandbox: Any, admin_key: str, build_app: Any, memory_keyring: MemoryKeyring
) -> None:
    """As a person signs in: the palette, Browser, Chromium clicks through the emulator's page,
    and the Entra step on screen now does Test Connection itself, through Graph."""
    from screens.entra_session import start_signin
    from screens.steps.entra import EntraStep

    server = start_sandbox(clock=frozen_clock, with_entra=True, with_graph=True)
    prepared = await prepare(server.base_url, admin_key, "token")
    settings = emulator_settings(server.graph)
    app = build_app(
        SteepleClient(server.base_url, admin_key), step="entra", entra_settings=settings
    )
    app.revealed_secret = prepared.secret
    person = ChromiumPerson()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, EntraStep)
        start_signin(app, open_page=person.open_page)
        await wait_for(pilot, lambda: isinstance(app.screen, EntraSignInModal), "the modal")
        await pilot.press("b")
        await wait_for(pilot, lambda: app.entra_side is not None, "the browser sign-in")
        await asyncio.to_thread(person.join)
        assert "Signed in to Entra" in person.saw[0]

        def graph_step() -> bool:
            shown = app.screen
            return isinstance(shown, EntraStep) and shown is not screen and shown.completed_io > 0

        await wait_for(pilot, graph_step, "the step shown again, through Graph")
        screen = app.screen
        assert screen.query_one("#sandbox-entra").display
        await pilot.click("#test")  # Test Connection through Graph
        await wait_for(pilot, lambda: screen.query_one("#sim-result").has_class("ok"), "the test")
    assert memory_keyring.store  # kept for the next start


async def test_a_graph_url_outside_the_cloud_is_said_instead_of_signing_in(
    build_app: Any, memory_keyring: MemoryKeyring
) -> None:
    """Settings that would send the token elsewhere: a sentence and its fix, no modal."""
    from screens.entra_session import start_signin

    app = build_app(
        None,
        entra_settings=EntraSettings(graph_url="https://graph.example.net/v1.0"),
        lang="fr",
    )
    async with app.run_test(size=(120, 40)) as pilot:
        start_signin(app)
        await pilot.pause()
        assert not isinstance(app.screen, EntraSignInModal)
        (notice,) = [n.message for n in app._notifications if "graph.example.net" in n.message]
        assert "cloud public" in notice and "STEEPLE_GRAPH_URL" in notice


class HostilePrompt:
    verification_uri = "https://login.example/device\x1b[2J"
    user_code = HOSTILE_CODE


class HostileSignIn:
    """A provider answering control sequences and markup (the emulator only issues clean codes,
    so this stands in for a hostile one): the modal must show them as data."""

    def start(self) -> tuple[HostilePrompt, dict[str, Any]]:
        return HostilePrompt(), {"expires_at": 1e18}

    def finish(self, flow: dict[str, Any]) -> str:
        import time

        while flow["expires_at"]:
            time.sleep(0.05)
        raise RuntimeError("cancelled")


async def test_a_hostile_code_is_shown_as_data() -> None:
    app = Host(HostileSignIn(), method="device")
    async with app.run_test(size=(100, 30)) as pilot:
        modal = app.screen
        assert isinstance(modal, EntraSignInModal)
        await wait_for(pilot, lambda: modal.prompt is not None, "the code")
        shown_code = _text(modal, "#signin-code")
        assert "\x1b" not in shown_code and "␛]52;c;" in shown_code
        assert "[@click=app.quit]X[/]" in shown_code  # literal, not an action
        assert "\x1b" not in _text(modal, "#signin-url")
        await pilot.press("escape")
        await wait_for(pilot, lambda: bool(app.results), "the modal to close")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("state", ["choice", "device"])
def test_signin_modal_snapshot(
    state: str, lang: str, size: tuple[int, int], snap_compare: Any, app_at: Any
) -> None:
    """The question (browser or device code), and the device code shown."""
    from screens.steps.entra import EntraStep
    from tests.support.pilot import settle

    app = app_at("token", "entra", lang=lang)

    async def run_before(pilot: Any) -> None:
        await wait_for_screen(pilot, EntraStep)
        modal = EntraSignInModal(WaitingSignIn(), method=None if state == "choice" else state)
        app.push_screen(modal)
        if state == "choice":
            await wait_for(pilot, lambda: modal.is_mounted and modal.choosing, "the choice")
        else:
            await wait_for(pilot, lambda: modal.prompt is not None, "the code")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
