"""Sign in to Entra: with the browser on this computer, or with a device code — the admin chooses.

The browser flow is the default where a browser can open (it is the one Conditional Access
leaves open when it blocks the device code, as Microsoft recommends); the device code where
none can (SSH, no display), typed on any device. MSAL is synchronous, so each flow runs in a
thread inside one worker; Esc cancels (the device code by expiring its flow, MSAL's documented
way; the browser by answering MSAL's loopback redirect as Entra does on Cancel). The page and the
code come from the identity provider: shown literally (`shown`), never as markup or control,
and only when the page is https (http only for a sign-in service on this machine).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Protocol

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from screens.foreign_text import shown
from screens.widgets.busy_indicator import BusyIndicator
from screens.words import keyed, localise_bindings, say

OpenPage = Callable[[str], bool]


class DevicePrompt(Protocol):
    """What the modal shows of `assistant.entra.signin.DeviceCodePrompt` (read-only)."""

    @property
    def verification_uri(self) -> str: ...

    @property
    def user_code(self) -> str: ...


class DeviceCodeSignIn(Protocol):
    """What the modal needs of `assistant.entra.signin.EntraSignIn` for the device code (the
    browser flow, `sign_in_with_browser`, and `place` are used when present)."""

    def start(self) -> tuple[DevicePrompt, dict[str, Any]]: ...

    def finish(self, flow: dict[str, Any]) -> str: ...


def signin_failure(error: BaseException, lang: str) -> tuple[str, str]:
    """Sentence and fix for a failed sign-in, in the admin's language.

    A `SignInError` already carries both (its AADSTS code decoded, the provider's free text never
    shown); anything else is named by its type only.
    """

    sentence, fix = getattr(error, "sentence", None), getattr(error, "fix", None)
    if isinstance(sentence, str) and isinstance(fix, str):
        return sentence, fix
    return (
        say(lang, "signin.unreachable", name=type(error).__name__),
        say(lang, "signin.unreachable.fix"),
    )


class EntraSignInModal(ModalScreen[str | None]):
    """Asks how to sign in, shows where to go (and what to type), waits for the approval;
    dismissed with the username (terminal-safe) once signed in, or None when cancelled.

    `method` skips the question ("browser" or "device"); `no_browser` is why no browser can
    open here (`assistant.entra.browser.browser_unavailable`), which makes the device code the
    default; `open_page` opens Entra's page (the system's graphical browser by default).
    """

    BINDINGS = [
        Binding("escape", "cancel", "key.cancel"),
        Binding("b", "browser", "key.browser"),
        Binding("d", "device", "key.device_code"),
        Binding("c", "copy_code", "key.copy_code"),
        Binding("u", "copy_url", "key.copy_url"),
        Binding("r", "retry", "key.retry"),
    ]

    def __init__(
        self,
        signin: DeviceCodeSignIn,
        *,
        method: str | None = None,
        no_browser: str | None = None,
        open_page: OpenPage | None = None,
    ) -> None:
        super().__init__()
        localise_bindings(self)
        self.signin = signin
        self.method = method
        self.no_browser = no_browser
        self.open_page = open_page
        self.asks = method is None
        """Whether the admin chooses the method (else the caller chose it)."""
        self.choosing = self.asks
        self.prompt: DevicePrompt | None = None
        self.page_url: str | None = None
        self._flow: dict[str, Any] | None = None
        self._receiver: Any = None
        self._cancelled = False
        self.failed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="signin-box"):
            yield Label(say(self, "signin.title"), classes="modal-title")
            with VerticalScroll(classes="modal-scroll"):  # the buttons stay visible at 80×24
                yield Static("", id="signin-steps")
                yield Static("", id="signin-url", classes="signin-value")
                yield Static("", id="signin-code", classes="signin-value")
                yield BusyIndicator(id="signin-wait")
                yield Static("", id="signin-error", classes="bad")
                yield Static("", id="signin-fix")
                yield Static(self._kept_text(), id="signin-kept", classes="muted")
                yield Static(say(self, "signin.why"), id="signin-why", classes="muted")
            with Horizontal(classes="modal-buttons"):
                # each with its key, as the modal has no footer of its own
                yield Button(keyed(self, "key.browser", "b"), id="browser", variant="primary")
                yield Button(keyed(self, "key.device_code", "d"), id="device")
                yield Button(keyed(self, "key.copy_code", "c"), id="copy-code")
                yield Button(keyed(self, "key.retry", "r"), id="retry", variant="warning")
                yield Button(keyed(self, "common.cancel", "esc"), id="cancel")

    def _kept_text(self) -> str:
        place = getattr(self.signin, "place", None)
        if place is None:
            return ""
        if place.lasts:
            return say(self, "signin.kept", place=place.describe(self._lang))
        return say(self, "signin.unkept")

    def on_mount(self) -> None:
        self._show_failure(None)
        if self.choosing:
            self._show_choice()
        else:
            self._begin(self.method or "device")

    # --- states ------------------------------------------------------------------------------

    def _show(self, *, choice: bool, url: bool, code: bool, wait: bool) -> None:
        for selector, on_now in (
            ("#browser", choice),
            ("#device", choice),
            ("#signin-url", url),
            ("#signin-code", code),
            ("#copy-code", code),
            ("#signin-wait", wait),
        ):
            self.query_one(selector).display = on_now
        self.refresh_bindings()

    def _show_choice(self) -> None:
        self.choosing = True
        steps = say(self, "signin.choose")
        if self.no_browser:
            steps += "\n" + say(self, f"signin.here.{self.no_browser}")
        self.query_one("#signin-steps", Static).update(steps)
        self._show(choice=True, url=False, code=False, wait=False)
        self.query_one("#device" if self.no_browser else "#browser").focus()

    def _begin(self, method: str) -> None:
        self.choosing = False
        self.method = method
        self.prompt, self.page_url, self._flow, self._receiver = None, None, None, None
        self._cancelled = False
        starting = "signin.browser.starting" if method == "browser" else "signin.starting"
        self.query_one("#signin-steps", Static).update(say(self, starting))
        self._show(choice=False, url=False, code=False, wait=True)
        self.query_one("#cancel").focus()
        if method == "browser":
            self._sign_in_with_browser()
        else:
            self._sign_in_with_code()

    # --- the two flows -------------------------------------------------------------------------

    @work(exclusive=True, exit_on_error=False, group="signin")
    async def _sign_in_with_code(self) -> None:
        """Start the device flow, show its page and code, then wait for the admin's approval."""
        try:
            prompt, flow = await asyncio.to_thread(self.signin.start)
            self.prompt, self._flow = prompt, flow
            self._show_prompt(prompt)
            username = await asyncio.to_thread(self.signin.finish, flow)
        except Exception as error:  # a sentence and a fix, never a traceback
            if self._cancelled:
                return  # cancelled by the admin: nothing to report
            self._show_failure(error)
            return
        self.dismiss(username)

    @work(exclusive=True, exit_on_error=False, group="signin")
    async def _sign_in_with_browser(self) -> None:
        """Open Entra's page in the browser and wait for Entra's answer on the loopback."""
        browser = getattr(self.signin, "sign_in_with_browser", None)
        try:
            if browser is None:
                raise NotImplementedError("no browser flow")
            username = await asyncio.to_thread(
                browser, self._open_page, receiver_ready=self._receiver_ready
            )
        except Exception as error:
            if self._cancelled:
                return
            self._show_failure(error)
            return
        self.dismiss(username)

    def _receiver_ready(self, receiver: Any) -> None:
        """Called from the signing-in thread: kept so Esc can end the wait."""
        self._receiver = receiver
        if self._cancelled:
            receiver.cancel()

    def _open_page(self, url: str) -> bool:
        """Called from the signing-in thread once MSAL built the (checked) page address."""
        self.app.call_from_thread(self._show_page, url)
        if self.open_page is not None:
            return self.open_page(url)
        from assistant.entra.browser import open_in_system_browser

        return open_in_system_browser(url)

    def _show_page(self, url: str) -> None:
        from assistant.text.safe import terminal_safe

        self.page_url = terminal_safe(url)
        self.query_one("#signin-steps", Static).update(say(self, "signin.browser.steps"))
        page = self.query_one("#signin-url", Static)
        page.update(shown(self.page_url, multiline=False))
        page.border_title = say(self, "signin.page")
        self._show(choice=False, url=True, code=False, wait=True)

    def _show_prompt(self, prompt: DevicePrompt) -> None:
        self.query_one("#signin-steps", Static).update(say(self, "signin.steps"))
        url = self.query_one("#signin-url", Static)
        url.update(shown(prompt.verification_uri, multiline=False))
        url.border_title = say(self, "signin.page")
        code = self.query_one("#signin-code", Static)
        code.update(shown(prompt.user_code, multiline=False))
        code.border_title = say(self, "signin.code")
        self._show(choice=False, url=True, code=True, wait=True)
        self.query_one("#copy-code").focus()

    def _show_failure(self, error: BaseException | None) -> None:
        self.failed = error is not None
        self.query_one("#retry").display = error is not None
        for line in ("#signin-error", "#signin-fix"):
            self.query_one(line).display = error is not None
        message, fix = signin_failure(error, self._lang) if error is not None else ("", "")
        self.query_one("#signin-error", Static).update(shown(message))
        self.query_one("#signin-fix", Static).update(
            shown(say(self, "common.fix", fix=fix)) if fix else ""
        )
        if error is not None:
            self.query_one("#signin-wait").display = False
            self.query_one("#retry").focus()
        self.refresh_bindings()

    @property
    def _lang(self) -> str:
        return str(getattr(self.app, "lang", "en"))

    # --- actions -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("browser", "device"):
            return self.choosing
        if action == "retry":
            return self.failed
        if action == "copy_code":
            return self.prompt is not None
        if action == "copy_url":
            return self.prompt is not None or self.page_url is not None
        return True

    def action_browser(self) -> None:
        if self.choosing:
            self._begin("browser")

    def action_device(self) -> None:
        if self.choosing:
            self._begin("device")

    def action_copy_code(self) -> None:
        if self.prompt is not None:
            self.app.copy_to_clipboard(self.prompt.user_code)
            self.notify(say(self, "signin.code_sent"))

    def action_copy_url(self) -> None:
        url = self.prompt.verification_uri if self.prompt is not None else self.page_url
        if url:
            self.app.copy_to_clipboard(url)
            self.notify(say(self, "signin.url_sent"))

    def action_retry(self) -> None:
        if not self.failed:
            return
        self._stop_waiting()
        self.query_one("#signin-url", Static).update("")
        self.query_one("#signin-code", Static).update("")
        self._show_failure(None)
        if self.asks or self.method is None:  # a chosen method is asked again, a given one not
            self._show_choice()
        else:
            self._begin(self.method)

    def action_cancel(self) -> None:
        """Stop whichever wait runs (its thread ends at its next tick), then close."""
        self._stop_waiting()
        self.workers.cancel_group(self, "signin")
        self.dismiss(None)

    def _stop_waiting(self) -> None:
        self._cancelled = True
        if self._flow is not None:
            self._flow["expires_at"] = 0  # MSAL's polling loop stops at its next tick
        if self._receiver is not None:
            self._receiver.cancel()  # Entra's "Cancel" answer on the loopback redirect

    def on_unmount(self) -> None:
        """Closed any way (the app quitting too): no MSAL thread may outlive it."""
        self._stop_waiting()

    @on(Button.Pressed, "#browser")
    def _browser_pressed(self) -> None:
        self.action_browser()

    @on(Button.Pressed, "#device")
    def _device_pressed(self) -> None:
        self.action_device()

    @on(Button.Pressed, "#copy-code")
    def _copy_pressed(self) -> None:
        self.action_copy_code()

    @on(Button.Pressed, "#retry")
    def _retry_pressed(self) -> None:
        self.action_retry()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
