"""App-level messages (past tense): screens post them up, the app reacts.

Widgets keep their own messages as nested classes; only what crosses screens lives here.
"""

from __future__ import annotations

from textual.message import Message


class ActionCompleted(Message):
    """An instance-changing action finished: the app re-loads the journey and moves on."""

    def __init__(self, summary: str = "") -> None:
        super().__init__()
        self.summary = summary


class ConnectionEstablished(Message):
    """The Connect screen has a working client: the app takes it over and loads the journey."""

    def __init__(self, client: object, instance: str) -> None:
        super().__init__()
        self.client = client
        self.instance = instance
