"""Connect: pick a profile, type an instance URL and admin key, or try the local sandbox."""

from __future__ import annotations

import asyncio

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Input, Select, Static

from assistant.steeple.errors import ErrorKind, SteepleError
from screens.foreign_text import shown
from screens.messages import ConnectionEstablished
from screens.steps.base import WRITE, StepScreen
from screens.words import keyed, say


class ConnectScreen(StepScreen):
    """The key is checked with one read-only call before anything else happens.

    A key the instance refuses (here, or when the app started with a saved or `$STEEPLE_API_KEY`
    key) brings the admin back to the Admin key field, emptied and focused, with the URL kept.
    """

    HEADING = "connect.heading"
    WHY = "connect.key_help"
    HAS_BACK = False
    HAS_CONTINUE = False
    SHOWS_INSTANCE = False
    BINDINGS = [Binding("ctrl+s", "sandbox", "connect.sandbox")]

    def __init__(self, url: str = "", refused: str = "") -> None:
        super().__init__()
        self._initial_url = url
        self._refused = refused
        """The instance's refusal of the key the app started with, shown with its fix."""

    def compose_body(self) -> ComposeResult:
        profiles = sorted(getattr(self.assistant.settings, "profiles", {}) or {})
        options = [(shown(name, multiline=False), name) for name in profiles]
        yield Select(options, prompt=say(self, "connect.profile"), id="profile")
        yield Static(say(self, "connect.url"), classes="field-label")
        yield Input(placeholder="https://yourcompany.steeple.example", id="url")
        yield Static(say(self, "connect.key"), classes="field-label")
        yield Input(password=True, id="key")

    def compose_actions(self) -> ComposeResult:
        yield Button(say(self, "connect.connect"), id="connect", variant="primary")
        yield Button(keyed(self, "connect.sandbox", "^s"), id="sandbox")

    def setup(self) -> None:
        settings = self.assistant.settings
        self.query_one("#profile").display = bool(getattr(settings, "profiles", {}))
        if settings is not None:  # the last instance used, so a returning admin only adds the key
            self.query_one("#url", Input).value = settings.profile().url
        if self._initial_url:
            self.query_one("#url", Input).value = self._initial_url
        if not self._refused:
            self.query_one("#url", Input).focus()
        else:  # as a failed change, so the screen's own (empty) load keeps it shown
            self._ask_for_a_new_key()
            fix = self.refused_key_fix()
            self.show_error(self._refused, fix, retry=self._connect, kind=WRITE)

    def _ask_for_a_new_key(self) -> None:
        """Empty the refused key and put the cursor there: the next keystrokes are the new key."""
        key = self.query_one("#key", Input)
        key.value = ""
        self.set_focus(key)  # now, not after a refresh: the error must not move focus to Retry

    def refused_key_fix(self) -> str:
        return say(self, "lifecycle.connect.wrong_key_fix")

    @on(Select.Changed, "#profile")
    def _profile_picked(self, event: Select.Changed) -> None:
        if not isinstance(event.value, str):
            return
        profile = self.assistant.settings.profile(event.value)
        self.query_one("#url", Input).value = profile.url
        try:
            from assistant.settings import get_api_key

            self.query_one("#key", Input).value = get_api_key(profile) or ""
        except Exception:  # no keyring: the admin types the key
            pass

    @on(Input.Submitted)
    @on(Button.Pressed, "#connect")
    def _connect(self) -> None:
        url = self.query_one("#url", Input).value.strip()
        key = self.query_one("#key", Input).value.strip()
        if not url or not key:
            self.show_error(say(self, "connect.both_needed"), say(self, "connect.both_needed.fix"))
            return
        from assistant.steeple.client import InsecureUrlError, require_secure_url

        try:  # refused before anything is sent: the key must not cross the network in clear
            require_secure_url(url, allow_insecure_http=self.assistant.allow_insecure_http)
        except InsecureUrlError as refused:
            self.show_error(*refused.text(self.assistant.lang))
            return

        async def connect() -> None:
            from assistant.steeple.client import SteepleClient

            client = SteepleClient(url, key)
            try:
                await client.get_integration()
            except SteepleError as refused:
                await client.aclose()
                if refused.kind is not ErrorKind.UNAUTHORIZED:
                    raise
                self._ask_for_a_new_key()
                raise SteepleError(
                    refused.kind, refused.message, self.refused_key_fix(), status=refused.status
                ) from None
            except BaseException:
                await client.aclose()
                raise
            await asyncio.to_thread(self._remember, client.base_url, key)
            self.post_message(ConnectionEstablished(client, client.base_url))

        self.run_io(connect, retry=self._connect)  # Retry reads the fields again: a new key

    def _remember(self, url: str, key: str) -> None:
        """Save the instance in the profile and the key in the keyring, never in a file.

        Runs in a thread (disk and keyring I/O). Without a keyring the person is told why the
        key will be asked again next time.
        """
        from assistant.settings import (
            keyring_unavailable_reason,
            save_settings,
            store_api_key,
        )

        settings = self.assistant.settings
        if settings is None:
            return
        profile = settings.profile()
        profile.url = url
        save_settings(settings)
        if not store_api_key(profile, key):
            self.app.call_from_thread(
                self.app.notify,
                keyring_unavailable_reason(self.assistant.lang),
                title=say(self, "connect.key_not_saved"),
                timeout=8,
            )

    @on(Button.Pressed, "#sandbox")
    def action_sandbox(self) -> None:
        async def start() -> None:
            from assistant.steeple.sandbox_mode import start_sandbox

            session = await asyncio.to_thread(start_sandbox)
            self.post_message(
                ConnectionEstablished(session.client(), session.base_url, sandbox=session)
            )

        self.run_io(start)
