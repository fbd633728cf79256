"""App-level messages (past tense): screens post them up, the app reacts.

Widgets keep their own messages as nested classes; only what crosses screens lives here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from assistant.steeple.client import SteepleClient


class ConnectionEstablished(Message):
    """The Connect screen has a working client: the app takes it over and loads the journey."""

    def __init__(self, client: SteepleClient, instance: str) -> None:
        super().__init__()
        self.client = client
        self.instance = instance
