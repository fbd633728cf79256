"""Connect: pick a profile, type an instance URL and admin key, or try the local sandbox."""

from __future__ import annotations

import asyncio
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, Select, Static

from screens.foreign_text import shown
from screens.messages import ConnectionEstablished
from screens.steps.base import StepScreen
from screens.words import say


class ConnectScreen(StepScreen):
    """The key is checked with one read-only call before anything else happens."""

    HEADING = "connect.heading"

    def compose_body(self) -> ComposeResult:
        yield Static(say(self, "connect.key_help"), classes="muted")
        profiles = sorted(getattr(self.assistant.settings, "profiles", {}) or {})
        options = [(shown(name, multiline=False), name) for name in profiles]
        yield Select(options, prompt=say(self, "connect.profile"), id="profile")
        yield Static(say(self, "connect.url"), classes="field-label")
        yield Input(placeholder="https://yourcompany.steeple.example", id="url")
        yield Static(say(self, "connect.key"), classes="field-label")
        yield Input(password=True, id="key")
        with Horizontal(classes="actions"):
            yield Button(say(self, "connect.connect"), id="connect", variant="primary")
            yield Button(say(self, "connect.sandbox"), id="sandbox")

    def setup(self) -> None:
        settings = self.assistant.settings
        self.query_one("#profile").display = bool(getattr(settings, "profiles", {}))
        if settings is not None:  # the last instance used, so a returning admin only adds the key
            self.query_one("#url", Input).value = settings.profile().url
        self.query_one("#url", Input).focus()

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
        from assistant.client import InsecureUrlError, require_secure_url

        try:  # refused before anything is sent: the key must not cross the network in clear
            require_secure_url(url, allow_insecure_http=self.assistant.allow_insecure_http)
        except InsecureUrlError as refused:
            self.show_error(*refused.text(self.assistant.lang))
            return

        async def connect() -> None:
            from assistant.client import SteepleClient

            client = SteepleClient(url, key)
            try:
                await client.get_integration()
            except BaseException:
                await client.aclose()
                raise
            await asyncio.to_thread(self._remember, client.base_url, key)
            self.post_message(ConnectionEstablished(client, client.base_url))

        self.run_io(connect)

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
    def _sandbox(self) -> None:
        async def start() -> None:
            from assistant.sandbox_mode import start_sandbox

            session: Any = await asyncio.to_thread(start_sandbox)
            self.assistant.sandbox = session
            self.assistant.owns_sandbox = True
            self.assistant.entra = session.entra_client()
            self.post_message(ConnectionEstablished(session.client(), session.base_url))

        self.run_io(start)
