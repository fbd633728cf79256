"""An in-memory keyring, through keyring's own backend API: no OS keyring runs here.

The one way a test changes the keyring is the `memory_keyring` fixture (tests/plugin.py): it
installs a `MemoryKeyring` and puts the previous backend back when the test ends, so a test
that needs a machine with no secret store at all calls `memory_keyring.unplug()` instead of
swapping backends by hand.
"""

from __future__ import annotations

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import fail


class MemoryKeyring(KeyringBackend):
    """Stands for the OS keyring; tests read `store` to see what would be kept there."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)

    def unplug(self) -> None:
        """From now until the test ends, this machine has no secret store: keyring's own fail
        backend answers, as on a headless server (the fixture restores the previous one)."""
        keyring.set_keyring(fail.Keyring())
