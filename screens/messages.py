"""App-level messages (past tense): screens post them up, the app reacts.

Widgets keep their own messages as nested classes; only what crosses screens lives here. The app
owns its state (the client, the sandbox, the journey, the token revealed in this session, the
Entra session): a screen or modal never assigns it, it posts one of these to the app, whose
handler changes the state (attributes down, messages up). They are posted to the app itself
(`self.app.post_message`), so a screen that is switched away or a modal that is dismissed at once
cannot drop them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from assistant.entra.side import EntraSide
    from assistant.entra.signin import EntraSignIn
    from assistant.journey.steps import Journey, StepId
    from assistant.steeple.client import SteepleClient
    from assistant.steeple.sandbox_mode import SandboxSession


class ConnectionEstablished(Message):
    """The Connect screen has a working client: the app takes it over and loads the journey.

    `sandbox` is the sandbox "Try the sandbox" started for it: the app owns it from now on and
    stops it on exit.
    """

    def __init__(
        self, client: SteepleClient, instance: str, sandbox: SandboxSession | None = None
    ) -> None:
        super().__init__()
        self.client = client
        self.instance = instance
        self.sandbox = sandbox


class JourneyLoaded(Message):
    """A step loaded the journey again (its lines changed): the app keeps the newest one."""

    def __init__(self, journey: Journey) -> None:
        super().__init__()
        self.journey = journey


class StepLoaded(Message):
    """A step's first load finished (either way): the admin can act on it. What the first
    screen must not wait for (signing in to Entra: MSAL, TLS, Graph) starts then."""


class SecretRevealed(Message):
    """A SCIM token was created (step 3, or a rotation): the app keeps it in memory only, to
    prefill the Entra step; it is never written anywhere."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def __repr__(self) -> str:  # a message may be logged: never with the token in it
        return f"{type(self).__name__}(secret=…{self.secret[-4:]})"


class SecretRevoked(Message):
    """The token revealed in this session no longer works (revoked by a rotation or the
    removal): the app forgets it, so no step offers it again."""


class AssignmentConfirmed(Message):
    """The admin confirmed the Entra assignment (unobservable before a cycle): the app
    remembers it and continues from `step`, as the step's Continue does."""

    def __init__(self, step: StepId) -> None:
        super().__init__()
        self.step = step


class EntraSignedIn(Message):
    """Signed in to Entra from the palette: the app takes over the facade and the session, and
    the Entra step on screen is shown again, now through Graph."""

    def __init__(self, side: EntraSide, signin: EntraSignIn, username: str) -> None:
        super().__init__()
        self.side = side
        self.signin = signin
        self.username = username
