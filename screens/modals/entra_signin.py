"""Sign in to Entra with the device code: the page and the code, shown as data, copyable.

Device code works over SSH and on a shared screen: the admin opens the page anywhere and types
the code. MSAL is synchronous, so starting and waiting run in a thread inside one worker; Esc
cancels by expiring the flow (MSAL's documented way to stop its polling loop). The page and the
code come from the identity provider: shown literally (`shown`), never as markup or control.
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, LoadingIndicator, Static

from screens.foreign_text import shown
from screens.words import keyed, localise_bindings, say


class DevicePrompt(Protocol):
    """What the modal shows of `assistant.entra.signin.DeviceCodePrompt` (read-only)."""

    @property
    def verification_uri(self) -> str: ...

    @property
    def user_code(self) -> str: ...


class DeviceCodeSignIn(Protocol):
    """What the modal needs of `assistant.entra.signin.EntraSignIn`."""

    def start(self) -> tuple[DevicePrompt, dict[str, Any]]: ...

    def finish(self, flow: dict[str, Any]) -> str: ...


def signin_failure(error: BaseException, lang: str) -> tuple[str, str]:
    """Sentence and fix for a failed sign-in, in the admin's language.

    The provider's code is quoted as data; its free-text description is never shown.
    """
    from assistant.i18n import t
    from assistant.safe_text import terminal_safe

    code = terminal_safe(str(getattr(error, "code", "") or ""))
    if code == "expired_token":
        return t("signin.expired", lang), t("signin.expired.fix", lang)
    if code in ("authorization_declined", "access_denied"):
        return t("signin.declined", lang), t("signin.declined.fix", lang)
    if hasattr(error, "sentence"):  # SignInError: could not start, or not completed
        sentence = t("signin.failed", lang, code=code or "-")
        return sentence, t("signin.failed.fix", lang)
    return (
        t("signin.unreachable", lang, name=type(error).__name__),
        t("signin.unreachable.fix", lang),
    )


class EntraSignInModal(ModalScreen[str | None]):
    """Shows where to go and what to type, waits for the approval; dismissed with the username
    (terminal-safe) once signed in, or None when the admin cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "key.cancel"),
        Binding("c", "copy_code", "key.copy_code"),
        Binding("u", "copy_url", "key.copy_url"),
        Binding("r", "retry", "key.retry"),
    ]

    def __init__(self, signin: DeviceCodeSignIn) -> None:
        super().__init__()
        localise_bindings(self)
        self.signin = signin
        self.prompt: DevicePrompt | None = None
        self._flow: dict[str, Any] | None = None
        self.failed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="signin-box"):
            yield Label(say(self, "signin.title"), classes="modal-title")
            with VerticalScroll(classes="modal-scroll"):  # the buttons stay visible at 80×24
                yield Static(say(self, "signin.starting"), id="signin-steps")
                yield Static("", id="signin-url", classes="signin-value")
                yield Static("", id="signin-code", classes="signin-value")
                yield LoadingIndicator(id="signin-wait")
                yield Static("", id="signin-error", classes="bad")
                yield Static("", id="signin-fix")
                yield Static(say(self, "signin.why"), id="signin-why", classes="muted")
            with Horizontal(classes="modal-buttons"):
                yield Button(keyed(self, "signin.copy_code", "c"), id="copy-code")
                yield Button(keyed(self, "key.retry", "r"), id="retry", variant="warning")
                yield Button(keyed(self, "common.cancel", "esc"), id="cancel")

    def on_mount(self) -> None:
        for hidden in ("#copy-code", "#signin-url", "#signin-code"):
            self.query_one(hidden).display = False
        self._show_failure(None)
        self.query_one("#cancel").focus()
        self._sign_in()

    @work(exclusive=True, exit_on_error=False, group="signin")
    async def _sign_in(self) -> None:
        """Start the device flow, show its page and code, then wait for the admin's approval."""
        try:
            prompt, flow = await asyncio.to_thread(self.signin.start)
            self.prompt, self._flow = prompt, flow
            self._show_prompt(prompt)
            username = await asyncio.to_thread(self.signin.finish, flow)
        except Exception as error:  # a sentence and a fix, never a traceback
            if self._flow is not None and self._flow.get("expires_at") == 0:
                return  # cancelled by the admin: nothing to report
            self._show_failure(error)
            return
        self.dismiss(username)

    def _show_prompt(self, prompt: DevicePrompt) -> None:
        self.query_one("#signin-steps", Static).update(say(self, "signin.steps"))
        url = self.query_one("#signin-url", Static)
        url.update(shown(prompt.verification_uri, multiline=False))
        url.border_title = say(self, "signin.page")
        code = self.query_one("#signin-code", Static)
        code.update(shown(prompt.user_code, multiline=False))
        code.border_title = say(self, "signin.code")
        for shown_now in ("#copy-code", "#signin-url", "#signin-code"):
            self.query_one(shown_now).display = True
        self.query_one("#copy-code").focus()

    def _show_failure(self, error: BaseException | None) -> None:
        self.failed = error is not None
        self.query_one("#signin-wait").display = error is None
        self.query_one("#retry").display = error is not None
        for line in ("#signin-error", "#signin-fix"):
            self.query_one(line).display = error is not None
        message, fix = signin_failure(error, self._lang) if error is not None else ("", "")
        self.query_one("#signin-error", Static).update(shown(message))
        self.query_one("#signin-fix", Static).update(
            shown(say(self, "common.fix", fix=fix)) if fix else ""
        )
        if error is not None:
            self.query_one("#retry").focus()
        self.refresh_bindings()

    @property
    def _lang(self) -> str:
        return str(getattr(self.app, "lang", "en"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self.failed
        if action in ("copy_code", "copy_url"):
            return self.prompt is not None
        return True

    def action_copy_code(self) -> None:
        if self.prompt is not None:
            self.app.copy_to_clipboard(self.prompt.user_code)
            self.notify(say(self, "signin.code_sent"))

    def action_copy_url(self) -> None:
        if self.prompt is not None:
            self.app.copy_to_clipboard(self.prompt.verification_uri)
            self.notify(say(self, "signin.url_sent"))

    def action_retry(self) -> None:
        if self.failed:
            self.prompt, self._flow = None, None
            self.query_one("#signin-url", Static).update("")
            self.query_one("#signin-code", Static).update("")
            self.query_one("#signin-steps", Static).update(say(self, "signin.starting"))
            for hidden in ("#copy-code", "#signin-url", "#signin-code"):
                self.query_one(hidden).display = False
            self._show_failure(None)
            self._sign_in()

    def action_cancel(self) -> None:
        """Expire the flow so MSAL's polling thread stops at its next tick, then close."""
        if self._flow is not None:
            self._flow["expires_at"] = 0
        self.workers.cancel_group(self, "signin")
        self.dismiss(None)

    def on_unmount(self) -> None:
        """Closed any way (the app quitting too): MSAL's waiting thread must not outlive it."""
        if self._flow is not None:
            self._flow["expires_at"] = 0

    @on(Button.Pressed, "#copy-code")
    def _copy_pressed(self) -> None:
        self.action_copy_code()

    @on(Button.Pressed, "#retry")
    def _retry_pressed(self) -> None:
        self.action_retry()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
