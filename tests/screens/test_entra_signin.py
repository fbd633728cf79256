"""The "Sign in to Entra" modal over MSAL's real device-code flow against the login emulator.

The emulator stands in for the admin typing the code in a browser (`approval_delay`, or a code
marked declined); everything else — MSAL, TLS, the token endpoint polling — runs for real.
The OS keyring cannot run here: the in-memory keyring backend stands in for it.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from assistant.entra.signin import EntraSettings, EntraSignIn
from sandbox.graph.mount import GraphEndpoints
from screens.modals.entra_signin import EntraSignInModal
from tests.support.memory_keyring import MemoryKeyring
from tests.support.pilot import wait_for

HOSTILE_CODE = "\x1b]52;c;cHduZWQ=\x07[@click=app.quit]X[/]"


class Host(App[None]):
    """Just enough app to show the modal and keep what it was dismissed with."""

    def __init__(self, signin: Any, lang: str = "en") -> None:
        super().__init__()
        self.lang = lang
        self.signin = signin
        self.results: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(EntraSignInModal(self.signin), self.results.append)


def _text(modal: EntraSignInModal, selector: str) -> str:
    return str(modal.query_one(selector, Static).render())


async def test_code_shown_then_approved_dismisses_with_the_username(
    graph: GraphEndpoints, entra_settings: EntraSettings, memory_keyring: MemoryKeyring
) -> None:
    graph.emulator.approval_delay = 1.5  # the admin types the code a moment after seeing it
    signin = EntraSignIn(entra_settings)
    app = Host(signin)
    async with app.run_test(size=(100, 30)) as pilot:
        modal = app.screen
        assert isinstance(modal, EntraSignInModal)
        await wait_for(pilot, lambda: modal.prompt is not None, "the device code")
        (issued,) = graph.emulator.device_codes.values()
        assert issued.user_code in _text(modal, "#signin-code")
        assert _text(modal, "#signin-url").startswith(graph.base_url)
        await pilot.press("c")
        assert app.clipboard == issued.user_code
        await wait_for(pilot, lambda: bool(app.results), "the approval")
    user = graph.emulator.signed_in_user
    assert user is not None and app.results == [user.user_principal_name]
    assert signin.token() is not None


async def test_escape_cancels_and_stops_waiting(
    graph: GraphEndpoints, entra_settings: EntraSettings, memory_keyring: MemoryKeyring
) -> None:
    graph.emulator.approval_delay = 3600.0  # nobody types the code
    signin = EntraSignIn(entra_settings)
    app = Host(signin)
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
    graph.emulator.approval_delay = 3600.0
    app = Host(EntraSignIn(entra_settings), lang="fr")
    async with app.run_test(size=(100, 30)) as pilot:
        modal = app.screen
        assert isinstance(modal, EntraSignInModal)
        await wait_for(pilot, lambda: modal.prompt is not None, "the device code")
        for code in graph.emulator.device_codes.values():
            code.declined = True  # the admin pressed "No" on the Entra page
        await wait_for(pilot, lambda: modal.failed, "the refusal")
        assert "refusée" in _text(modal, "#signin-error")
        assert "consentement" in _text(modal, "#signin-fix")
        graph.emulator.approval_delay = 0.0
        await pilot.press("r")  # a new code, approved this time
        await wait_for(pilot, lambda: bool(app.results), "the second sign-in")
    assert app.results and app.results[0]


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
    app = Host(HostileSignIn())
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


class FixedPrompt:
    verification_uri = "https://microsoft.com/devicelogin"
    user_code = "GF7KQ2XWP"


class WaitingSignIn:
    """A fixed page and code, so the snapshot is the same on every run (the emulator's code is
    random and its port changes); the real flow is the tests above. Waits until the modal
    expires the flow, as MSAL does."""

    def start(self) -> tuple[FixedPrompt, dict[str, Any]]:
        return FixedPrompt(), {"expires_at": 1e18}

    def finish(self, flow: dict[str, Any]) -> str:
        import time

        for _ in range(600):
            if not flow["expires_at"]:
                break
            time.sleep(0.05)
        raise RuntimeError("cancelled")


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_signin_modal_snapshot(
    lang: str, size: tuple[int, int], snap_compare: Any, app_at: Any
) -> None:
    from screens.steps.entra import EntraStep
    from tests.support.pilot import settle, wait_for_screen

    app = app_at("token", "entra", lang=lang)

    async def run_before(pilot: Any) -> None:
        await wait_for_screen(pilot, EntraStep)
        modal = EntraSignInModal(WaitingSignIn())
        app.push_screen(modal)
        await wait_for(pilot, lambda: modal.prompt is not None, "the code")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
