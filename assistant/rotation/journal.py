"""Where a rotation got to, on disk, so the next one resumes or cleans up (issue 20, point 2).

A rotation can be killed at any stage (Ctrl-C, a closed laptop, a crash). What it leaves behind
matters: a new token never shown to anyone and never saved in Entra is just clutter, safe to
revoke; one saved in Entra (or being saved: the answer may have been lost) is the token Entra
is about to use, so the next rotation finishes the job — it waits for Entra's provisioning with
it, then revokes the old one. Neither can be told from the instance alone, so each stage is
written here before the step that makes it true is taken.

Never a secret: token ids and hints, the stage, the time. One small JSON file per instance URL
in the assistant's config directory (owner-only), removed when the rotation ends. Every entry
is checked against the live tokens before it is believed; one that does not match is dropped.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from assistant.steeple.contract import TokenInfo


class JournalStage(StrEnum):
    CREATED = "created"
    """The new token exists; nobody has it."""
    TESTED = "tested"
    """Graph's validateCredentials had it; nothing was saved."""
    SHOWN = "shown"
    """A person was shown it to paste into Entra: they may have saved it."""
    SAVING = "saving"
    """Graph was asked to save it; the answer may never have arrived."""
    SAVED = "saved"
    """Saved in Entra (by Graph, or the person said so)."""


NEVER_IN_ENTRA = frozenset({JournalStage.CREATED, JournalStage.TESTED})


@dataclass(frozen=True)
class PendingRotation:
    """A rotation that did not finish: the token it created and the one it replaces."""

    new_id: str
    new_hint: str
    old_id: str
    old_hint: str
    stage: JournalStage
    via: str
    at: str

    def matches(self, live: list[TokenInfo]) -> bool:
        ids = {token.id for token in live}
        return self.new_id in ids and self.old_id in ids


class RotationJournal:
    """The pending rotation of one instance, as a file; every failure to write is harmless."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_instance(cls, instance_url: str) -> RotationJournal:
        from assistant.settings import config_dir

        digest = hashlib.sha256(instance_url.rstrip("/").encode("utf-8")).hexdigest()[:16]
        return cls(config_dir() / "rotations" / f"{digest}.json")

    def load(self) -> PendingRotation | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return PendingRotation(**{**data, "stage": JournalStage(data["stage"])})
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def pending(self, live: list[TokenInfo]) -> PendingRotation | None:
        """The interrupted rotation, if its two tokens are both still live (else nothing is)."""
        entry = self.load()
        return entry if entry is not None and entry.matches(live) else None

    def write(self, new: TokenInfo, old: TokenInfo, stage: JournalStage, via: str) -> None:
        entry = PendingRotation(
            new.id, new.hint, old.id, old.hint, stage, via, datetime.now(UTC).isoformat()
        )
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = self.path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({**asdict(entry), "stage": entry.stage.value}, out)
            tmp.replace(self.path)

    def clear(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
