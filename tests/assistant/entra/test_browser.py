"""Signing in as a person does: the browser flow and the device-login page driven in a real
headless Chromium (Debian's, through Playwright's sync API: these tests are sync, as Playwright's
sync API refuses to run inside an asyncio loop).

MSAL waits for Entra's answer in a thread; the test's main thread is the person at the browser:
it opens the page MSAL asked for, clicks through the emulator's consent page, and Chromium posts
the answer to MSAL's loopback redirect (`form_post`), as it would to a real assistant. The
sandbox's throwaway CA is not in Chromium's store, so its context ignores certificate errors;
the assistant's own TLS trust (MSAL, httpx) is tested in test_cloud_pinning.py.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from assistant.entra.browser import LoopbackReceiver, UnsafePage
from assistant.entra.signin import EntraSettings, EntraSignIn, SignInError
from sandbox.graph.mount import GraphEndpoints
from tests.support.memory_keyring import MemoryKeyring

WAIT_MS = 30_000


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(ignore_https_errors=True)
    yield context.new_page()
    context.close()


class InThread:
    """`call()` running in a thread (as the assistant's worker runs MSAL), its result kept."""

    def __init__(self, call: Callable[[], Any]) -> None:
        self.value: Any = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(call,), daemon=True)
        self._thread.start()

    def _run(self, call: Callable[[], Any]) -> None:
        try:
            self.value = call()
        except BaseException as error:
            self.error = error

    def result(self, timeout: float = 60) -> Any:
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the sign-in is still waiting"
        if self.error is not None:
            raise self.error
        return self.value


def browser_sign_in(signin: EntraSignIn) -> tuple[InThread, str]:
    """Start the browser flow; the page address MSAL opens, handed to the test's browser."""
    pages: queue.Queue[str] = queue.Queue()

    def open_page(url: str) -> bool:
        pages.put(url)
        return True

    running = InThread(lambda: signin.sign_in_with_browser(open_page))
    return running, pages.get(timeout=30)


def upn(graph: GraphEndpoints) -> str:
    user = graph.emulator.signed_in_user
    assert user is not None
    return user.user_principal_name


def test_browser_sign_in_through_chromium_gives_a_working_session(
    page: Any, graph: GraphEndpoints, entra_settings: EntraSettings, memory_keyring: MemoryKeyring
) -> None:
    signin = EntraSignIn(entra_settings)
    running, url = browser_sign_in(signin)
    assert url.startswith(graph.authority + "/oauth2/v2.0/authorize?")
    assert "code_challenge=" in url and "code_challenge_method=S256" in url  # PKCE
    page.goto(url)
    assert page.locator("#account").inner_text() == upn(graph)
    assert "Synchronization.ReadWrite.All" in page.locator("#scopes").inner_text()
    page.click("#accept")
    # Chromium posts Entra's answer to MSAL's loopback server, which shows our sentence.
    page.wait_for_selector("text=Signed in to Entra", timeout=WAIT_MS)
    assert page.url.startswith("http://localhost:")
    assert running.result() == upn(graph)
    token = signin.token()
    assert token is not None
    with httpx.Client(verify=entra_settings.ssl_context()) as https:
        users = https.get(
            entra_settings.graph_url + "/users", headers={"Authorization": f"Bearer {token}"}
        )
    assert users.status_code == 200 and users.json()["value"]
    assert EntraSignIn(entra_settings).username() == upn(graph)  # kept for the next command
    assert graph.emulator.login.auth_codes == {}  # the one code, redeemed once


def test_device_code_typed_on_the_page_in_chromium(
    page: Any, graph: GraphEndpoints, entra_settings: EntraSettings, memory_keyring: MemoryKeyring
) -> None:
    signin = EntraSignIn(entra_settings)
    prompt, flow = signin.start()
    running = InThread(lambda: signin.finish(flow))
    page.goto(prompt.verification_uri)
    page.fill("#user_code", "WRONGCODE")
    page.click("#next")
    assert "didn't work" in page.locator("#error").inner_text()
    page.fill("#user_code", prompt.user_code.lower())  # typed as a person might
    page.click("#next")
    page.wait_for_selector("#done", timeout=WAIT_MS)
    assert running.result() == upn(graph)
    assert signin.token() is not None


def test_cancel_on_the_consent_page_is_a_sentence_and_a_fix(
    page: Any, graph: GraphEndpoints, entra_settings: EntraSettings, memory_keyring: MemoryKeyring
) -> None:
    running, url = browser_sign_in(EntraSignIn(entra_settings, lang="fr"))
    page.goto(url)
    page.click("#cancel")
    with pytest.raises(SignInError) as failed:
        running.result()
    assert failed.value.code == "AADSTS65004" and "refusées" in failed.value.sentence
    assert graph.emulator.tokens == {}


def test_conditional_access_on_the_browser_is_decoded_with_its_own_fix(
    page: Any, graph: GraphEndpoints, entra_settings: EntraSettings, memory_keyring: MemoryKeyring
) -> None:
    graph.emulator.login.policy.blocked_flows = {"authorization_code"}
    running, url = browser_sign_in(EntraSignIn(entra_settings))
    page.goto(url)
    page.click("#accept")
    with pytest.raises(SignInError) as failed:
        running.result()
    assert failed.value.code == "AADSTS53003"
    assert "Conditional Access" in failed.value.sentence and "Sign-in logs" in failed.value.fix


def test_cancelling_the_wait_ends_it_at_once(
    entra_settings: EntraSettings, memory_keyring: MemoryKeyring
) -> None:
    """Esc in the sign-in window: MSAL's receiver is answered as Entra does on Cancel."""
    signin = EntraSignIn(entra_settings)
    receivers: queue.Queue[LoopbackReceiver] = queue.Queue()
    opened = threading.Event()

    def open_page(url: str) -> bool:
        opened.set()
        return True

    running = InThread(lambda: signin.sign_in_with_browser(open_page, receiver_ready=receivers.put))
    receiver = receivers.get(timeout=30)
    assert opened.wait(30)
    started = time.monotonic()
    receiver.cancel()
    with pytest.raises(SignInError) as failed:
        running.result(timeout=10)
    assert failed.value.code == "cancelled" and time.monotonic() - started < 5


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "http://login.example/authorize",
        "https://elsewhere.example/organizations/oauth2/v2.0/authorize",
        "https://127.0.0.1:1/x\n",
    ],
)
def test_a_page_elsewhere_is_never_opened(
    url: str, entra_settings: EntraSettings, memory_keyring: MemoryKeyring
) -> None:
    signin = EntraSignIn(entra_settings)
    assert not signin.page_is_safe(url)
    opened: list[str] = []
    receiver = LoopbackReceiver(lambda u: opened.append(u) or True, signin.page_is_safe)
    with receiver, pytest.raises(UnsafePage):
        receiver.get_auth_response(auth_uri=url, state="s", timeout=1)
    assert opened == []
    assert signin.page_is_safe(entra_settings.authority + "/oauth2/v2.0/authorize?x=1")
