"""`entra signin [--device-code]` and `entra signout` from the command line (in-process, against
the emulators over HTTPS): which flow where, what is said, the exit codes.

The browser flow here is a scripted browser registered with Python's `webbrowser` (what MSAL and
the assistant open); the real Chromium is in test_signin_browser.py.
"""

from __future__ import annotations

import re
import threading
import webbrowser
from typing import Any

import httpx
import pytest

from assistant.cli.main import main
from assistant.entra.signin import EntraSettings, EntraSignIn
from sandbox.graph.mount import GraphEndpoints
from tests.support.memory_keyring import MemoryKeyring


class ScriptedBrowser(webbrowser.BaseBrowser):
    """Stands for the system browser: loads Entra's page, presses Accept, and posts Entra's
    answer to the assistant's loopback redirect, in a thread (as a browser process would)."""

    def __init__(self, graph: GraphEndpoints) -> None:
        super().__init__("scripted")
        self.graph = graph
        self.opened: list[str] = []
        self.threads: list[threading.Thread] = []

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.opened.append(url)
        thread = threading.Thread(target=self._click_through, args=(url,), daemon=True)
        thread.start()
        self.threads.append(thread)
        return True

    def _click_through(self, url: str) -> None:
        with httpx.Client(verify=self.graph.tls.client_context(), timeout=10) as https:
            consent = https.get(url)
            request_id = re.search(r"name='request' value='([^']+)'", consent.text)
            assert request_id, consent.text
            answer = https.post(
                url.split("?")[0], data={"request": request_id.group(1), "action": "accept"}
            )
        action = re.search(r"action='([^']+)'", answer.text)
        fields = dict(re.findall(r"name='(\w+)' value='([^']*)'", answer.text))
        assert action, answer.text
        httpx.post(action.group(1), data=fields, timeout=10)


@pytest.fixture
def desktop(monkeypatch: pytest.MonkeyPatch, graph: GraphEndpoints) -> ScriptedBrowser:
    """A machine with a display and a (scripted) default browser."""
    for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DISPLAY", ":99")
    browser = ScriptedBrowser(graph)
    monkeypatch.setattr(webbrowser, "_tryorder", ["scripted"])
    monkeypatch.setattr(webbrowser, "_browsers", {"scripted": [None, browser]})
    return browser


def signin(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["entra", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_browser_is_the_default_where_one_can_open(
    desktop: ScriptedBrowser,
    graph: GraphEndpoints,
    entra_env: EntraSettings,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = signin(capsys, "signin")
    assert code == 0, err
    (page,) = desktop.opened
    assert page.startswith(graph.authority + "/oauth2/v2.0/authorize?")
    assert f"Opening Entra's sign-in page in your browser: {page}" in out
    assert "Signed in as" in out and "system keyring" in out
    assert graph.emulator.device_codes == {}  # no device code was asked for
    assert EntraSignIn(entra_env).token() is not None


def test_device_code_on_request_even_with_a_browser(
    desktop: ScriptedBrowser,
    entra_env: EntraSettings,
    memory_keyring: MemoryKeyring,
    code_typer: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["--lang", "fr", "entra", "signin", "--device-code"])
    out = capsys.readouterr().out
    assert code == 0
    assert desktop.opened == [] and code_typer.typed
    assert "tapez le code" in out and "Connecté en tant que" in out


def test_a_browser_that_does_not_open_falls_back_to_the_device_code(
    desktop: ScriptedBrowser,
    monkeypatch: pytest.MonkeyPatch,
    entra_env: EntraSettings,
    memory_keyring: MemoryKeyring,
    code_typer: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(desktop, "open", lambda url, new=0, autoraise=True: False)
    code, out, _ = signin(capsys, "signin")
    assert code == 0 and "No browser could open here: signing in with a device code" in out
    assert code_typer.typed and "Signed in as" in out


def test_without_a_display_the_device_code_is_chosen_and_said(
    monkeypatch: pytest.MonkeyPatch,
    entra_env: EntraSettings,
    memory_keyring: MemoryKeyring,
    code_typer: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22")
    code, out, _ = signin(capsys, "signin")
    assert code == 0 and "SSH session: signing in with a device code" in out


def test_a_conditional_access_refusal_is_exit_3_with_the_fix(
    graph: GraphEndpoints,
    entra_env: EntraSettings,
    memory_keyring: MemoryKeyring,
    code_typer: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    graph.emulator.login.policy.blocked_flows = {"device_code"}
    code, out, err = signin(capsys, "signin", "--device-code")
    assert code == 3 and "Traceback" not in out + err
    assert "AADSTS53003" in err and "Conditional Access" in err
    assert "without --device-code" in err  # the browser: what Microsoft leaves open
    assert "Signed in" not in out


def test_signin_with_sandbox_says_it_signs_in_by_itself(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--sandbox", "entra", "signin"]) == 2
    assert "by itself" in capsys.readouterr().err


def test_signout_says_where_the_session_was_removed_from(
    signed_in: EntraSignIn,
    entra_env: EntraSettings,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = signin(capsys, "signout")
    assert code == 0 and "removed from the system keyring" in out
    assert memory_keyring.store == {}
    code, out, _ = signin(capsys, "signout")
    assert code == 0 and "No Entra sign-in was stored here" in out
