"""The Textual app: wiring only. Steps live in `screens/steps/`, widgets in `screens/widgets/`.

The app receives its client from outside (its constructor is the one factory), so the CLI hands it
one for a real instance and the tests one pointed at an in-process sandbox. The core's classes are
imported for type-checking only: pydantic, httpx and the journey load after the first paint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from screens.failures import describe_failure
from screens.messages import (
    AssignmentConfirmed,
    ConnectionEstablished,
    EntraSignedIn,
    JourneyLoaded,
    SecretRevealed,
    SecretRevoked,
    StepLoaded,
)
from screens.steps.base import StepScreen
from screens.steps.registry import ScreenId, screen_for
from screens.words import localise_bindings, say

if TYPE_CHECKING:
    from assistant.entra.options import EntraOptions
    from assistant.entra.side import EntraSide
    from assistant.entra.signin import EntraSettings, EntraSignIn
    from assistant.journey.steps import Journey, StepId
    from assistant.settings import Settings
    from assistant.steeple.client import SteepleClient
    from assistant.steeple.sandbox_mode import SandboxSession


class ProvisioningAssistant(App[None]):
    """Walks an administrator from "nothing configured" to "sync active", one step at a time."""

    CSS_PATH = ["styles/app.tcss", "styles/wizard.tcss"]
    BINDINGS = [
        Binding("ctrl+t", "next_theme", "key.theme", show=False),
        Binding("ctrl+q", "quit", "key.quit"),
    ]

    default_clock: Callable[[], datetime] = staticmethod(lambda: datetime.now(UTC))
    """What "now" is for the screens (cycle clock); tests freeze it."""

    def __init__(
        self,
        settings: Settings,
        client: SteepleClient | None = None,
        *,
        sandbox: SandboxSession | None = None,
        lang: str = "en",
        entra_side: EntraSide | None = None,
        entra_settings: EntraSettings | None = None,
        sandbox_boot: Callable[[], SandboxSession] | None = None,
        allow_insecure_http: bool = False,
        entra_options: EntraOptions | None = None,
        start_step: StepId | ScreenId | None = None,
    ) -> None:
        super().__init__()
        from screens.themes import HIGH_CONTRAST, HIGH_CONTRAST_THEME

        self.register_theme(HIGH_CONTRAST_THEME)
        if self.no_color:  # Textual strips colour under NO_COLOR: states then read by contrast
            self.theme = HIGH_CONTRAST
        self.settings = settings
        self.client = client
        self.sandbox = sandbox
        self.lang = lang
        self.title = say(self, "app.title")
        localise_bindings(self, lang)
        self.entra_side: EntraSide | None = entra_side
        """The Entra half through Microsoft Graph when signed in; None: the copy-paste path."""
        self.entra_settings = entra_settings
        """Where to sign in to Entra (authority, Graph URL, client id, CA); None: from the env."""
        self.entra_signin: EntraSignIn | None = None
        """The session signed in from the palette (sign-out forgets it, keyring included)."""
        self.journey: Journey | None = None
        self.revealed_secret: str = ""
        """The SCIM token created in this session, kept in memory only to prefill the Entra step."""
        self.owns_sandbox = False
        """True when "Try the sandbox" started one: the app then stops it on exit."""
        self.start_step = start_step
        """Tests and support may open a given step instead of `journey.current`."""
        self.sandbox_boot = sandbox_boot
        """`--sandbox`: starts the sandbox (a `SandboxSession`); run after the first paint."""
        self.allow_insecure_http = allow_insecure_http
        """`--allow-insecure-http`: Connect accepts http:// to another host (key sent in clear)."""
        self.assign_confirmed = False
        """The admin confirmed the Entra assignment (step 5), unobservable before a cycle."""
        self.entra_options = entra_options
        """`--entra-authority/--graph-url/--client-id/--entra-ca-bundle` as given (None: unset)."""
        self._open_entra_later: Callable[[], object] | None = None
        """How to open the Entra side once the first step has loaded (`on_step_loaded`)."""

    def now(self) -> datetime:
        return self.default_clock()

    def action_next_theme(self) -> None:
        """Ctrl+T: dark, light, high contrast, and round again."""
        from screens.themes import next_theme

        self.theme = next_theme(self.theme)

    @property
    def connected_client(self) -> SteepleClient:
        """The instance's client, for what runs only once connected (the journey, the steps)."""
        if self.client is None:
            raise RuntimeError("not connected to an instance yet")
        return self.client

    @property
    def in_sandbox(self) -> bool:
        """The instance is a sandbox Steeple (what only a sandbox allows, e.g. configuring SSO)."""
        return self.sandbox is not None

    def on_mount(self) -> None:
        if self.client is None and self.sandbox_boot is not None:
            from screens.steps.loading import LoadingScreen

            self.sub_title = say(self, "app.starting_sandbox")
            self.push_screen(LoadingScreen())
            self.call_after_refresh(self._boot_sandbox)
        elif self.client is None:
            from screens.steps.connect import ConnectScreen

            self.push_screen(ConnectScreen())
        else:
            from screens.steps.loading import LoadingScreen

            self._set_instance(self.client.base_url)
            self.push_screen(LoadingScreen())
            self.advance(self.start_step)
            self._open_entra_later = self._open_entra_from_cache

    @work(exclusive=True, exit_on_error=False, group="boot")
    async def _boot_sandbox(self) -> None:
        """Start the sandbox off the UI thread once the loading screen is painted.

        FastAPI, uvicorn, httpx and pydantic take seconds to import on a slow machine; the first
        screen does not wait for them (bench/startup.py measures this).
        """
        import asyncio

        assert self.sandbox_boot is not None
        try:
            self.sandbox = await asyncio.to_thread(self.sandbox_boot)
        except Exception as error:
            self._show_failure(error)
            return
        self.client = self.sandbox.client()
        self._set_instance(self.client.base_url)
        self.advance(self.start_step)
        self._open_entra_later = self._sign_in_to_sandbox_entra

    @work(exclusive=True, exit_on_error=False, group="entra-signin")
    async def _sign_in_to_sandbox_entra(self) -> None:
        """`--sandbox`: sign in to the emulated tenant (device code, approved by the emulator)
        after the first steps show, so MSAL and Graph never delay start-up. A failure leaves
        the copy-paste path, with a notice saying why."""
        if self.sandbox is None:
            return
        try:
            self.entra_side = await self.sandbox.open_entra_side(self.connected_client, self.lang)
        except Exception as error:
            self._entra_unavailable(error)
            return
        self._show_entra_step_again()

    @work(exclusive=True, exit_on_error=False, group="entra-signin")
    async def _open_entra_from_cache(self) -> None:
        """`--url` with Entra options (or their environment variables) and a session cached by
        `entra signin`: open the Entra side, without prompting (no session: copy-paste path)."""
        options = self.entra_options
        if options is None or not options.configured():
            return
        from assistant.entra.side import open_entra_side

        try:
            settings = options.settings()
            sso = await self.connected_client.get_sso()
            self.entra_side = await open_entra_side(
                settings, sso_identifiers=sso.app_identifiers, lang=self.lang
            )
        except Exception as error:
            self._entra_unavailable(error)
            return
        self._show_entra_step_again()

    def _show_entra_step_again(self) -> None:
        """An Entra step already on screen was built for the copy-paste path: show it again."""
        from screens.entra_session import show_step_again

        if self.entra_side is not None:
            show_step_again(self)

    def _entra_unavailable(self, error: BaseException) -> None:
        from assistant.text.safe import terminal_safe

        reason, fix = describe_failure(error, self.lang)  # a sandbox whose emulators failed too
        self.notify(
            say(
                self.lang, "entra.open_failed", reason=terminal_safe(reason), fix=terminal_safe(fix)
            ),
            severity="warning",
            timeout=12,
            markup=False,
        )

    async def on_unmount(self) -> None:
        """One HTTP client for the app's life, closed when the app ends."""
        for owner in (self.client, self.entra_side):
            close = getattr(owner, "aclose", None)
            if close is not None:
                await close()
        if self.owns_sandbox and self.sandbox is not None:
            self.sandbox.stop()

    def _set_instance(self, url: str) -> None:
        from assistant.text.safe import terminal_safe

        self.sub_title = terminal_safe(urlsplit(url).netloc or url)

    def on_connection_established(self, message: ConnectionEstablished) -> None:
        self.client = message.client
        if message.sandbox is not None:  # "Try the sandbox" started it: ours to stop on exit
            self.sandbox = message.sandbox
            self.owns_sandbox = True
        self._set_instance(message.instance)
        self.advance()
        if self.sandbox is not None:  # "Try the sandbox": its Entra through Graph too
            self._open_entra_later = self._sign_in_to_sandbox_entra
        else:
            self._open_entra_later = self._open_entra_from_cache

    def on_step_loaded(self, _: StepLoaded) -> None:
        """The first step can be acted on: only now open the Entra side (MSAL, TLS to Graph and
        the login service, a token cache read), which took the first step's CPU when it ran
        beside it (bench/startup.py); the step is shown again through Graph once it opens."""
        open_entra, self._open_entra_later = self._open_entra_later, None
        if open_entra is not None:  # after the frame that shows the step's data
            self.call_after_refresh(open_entra)

    def on_journey_loaded(self, message: JourneyLoaded) -> None:
        self.journey = message.journey

    def on_secret_revealed(self, message: SecretRevealed) -> None:
        self.revealed_secret = message.secret

    def on_secret_revoked(self, _: SecretRevoked) -> None:
        self.revealed_secret = ""

    def on_assignment_confirmed(self, message: AssignmentConfirmed) -> None:
        self.assign_confirmed = True
        self.advance(continuing_from=message.step)

    def on_entra_signed_in(self, message: EntraSignedIn) -> None:
        from screens.entra_session import show_step_again

        self.entra_side = message.side
        self.entra_signin = message.signin
        self.notify(say(self, "session.signed_in", user=message.username), markup=False)
        if not message.signin.place.lasts:  # said, so no one expects the next start to find it
            self.notify(say(self, "signin.unkept"), severity="warning", timeout=12, markup=False)
        show_step_again(self)

    @work(exit_on_error=False)
    async def sign_out_of_entra(self) -> None:
        """Forget the Entra session (here and in the keyring): back to the copy-paste path."""
        import asyncio

        from screens.entra_session import show_step_again

        side, self.entra_side = self.entra_side, None
        signin, self.entra_signin = self.entra_signin, None
        if side is not None:
            await side.aclose()
        if signin is not None:
            await asyncio.to_thread(signin.sign_out)
        self.notify(say(self, "session.signed_out"), markup=False)
        show_step_again(self)

    @work(exclusive=True, exit_on_error=False, group="journey")
    async def advance(
        self,
        target: StepId | ScreenId | None = None,
        continuing_from: StepId | None = None,
    ) -> None:
        """Re-load the journey, then show `target` or the step the journey says is current.

        `continuing_from` is the step whose Continue was pressed: when that step is still the
        current one, the admin is told why instead of the screen silently reloading.
        """
        from assistant.journey.steps import load_journey

        try:
            journey = self.journey = await load_journey(
                self.connected_client,
                lang=self.lang,
                entra=self.entra_side,
                assign_confirmed=self.assign_confirmed,
            )
        except Exception as error:
            self._show_failure(error, retry=lambda: self.advance(target, continuing_from))
            return
        if target is None:
            target = journey.current or ScreenId.DONE
        if continuing_from is not None and target == continuing_from:
            state = journey.step(continuing_from)
            reason = state.blockers[0] if state.blockers else state.guidance
            self.notify(say(self.lang, "continue.not_yet", number=state.number, reason=reason))
            return
        self.switch_screen(screen_for(target))
        await self._remember_last_step()

    async def _remember_last_step(self) -> None:
        """Note the current step in the instance's profile, for support staff and `status`.

        Only for a profile saved for this very instance (never the sandbox's throwaway one);
        the step itself is always derived from the instance, this is only a record of it.
        """
        import asyncio
        import contextlib

        if self.sandbox is not None or self.client is None or self.journey is None:
            return
        step = str(self.journey.current or ScreenId.DONE)
        for profile in self.settings.profiles.values():
            if profile.url == self.client.base_url and profile.last_step != step:
                from assistant.settings import save_settings

                profile.last_step = step
                # A read-only config dir must not stop the wizard.
                with contextlib.suppress(OSError):
                    await asyncio.to_thread(save_settings, self.settings)

    def _show_failure(
        self, error: BaseException, retry: Callable[[], object] | None = None
    ) -> None:
        """Journey failures show on whatever step is on screen (the loading screen at start).

        A refused admin key is the exception: only a new key helps, so the Connect screen opens
        with the URL kept and the Admin key field ready (never in the sandbox, whose key is ours).
        """
        refused_client = self.client
        unauthorized = getattr(error, "kind", None) == "unauthorized"
        if unauthorized and self.sandbox is None and refused_client is not None:
            from screens.steps.connect import ConnectScreen

            self.client = None
            self.switch_screen(ConnectScreen(refused_client.base_url, str(error)))
            self.run_worker(refused_client.aclose(), exit_on_error=False)
            return
        for screen in reversed(self.screen_stack):
            if isinstance(screen, StepScreen):
                screen.show_error(*describe_failure(error, self.lang), retry=retry)
                return

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):  # Textual's own, in our language
            title = say(self, f"textual.{command.title}")
            help_text = say(self, f"textual.{command.help}")
            yield command._replace(
                title=command.title if title.startswith("textual.") else title,
                help=command.help if help_text.startswith("textual.") else help_text,
            )
        if self.client is None:
            return
        leave = self.leave_step
        yield SystemCommand(
            say(self, "palette.recheck"),
            say(self, "palette.recheck.help"),
            lambda: leave(self.advance),
        )
        yield SystemCommand(
            say(self, "palette.remove"),
            say(self, "palette.remove.help"),
            lambda: leave(lambda: self.switch_screen(screen_for(ScreenId.REMOVAL))),
        )
        yield SystemCommand(
            say(self, "palette.explain"),
            say(self, "palette.explain.help"),
            lambda: leave(lambda: self.switch_screen(screen_for(ScreenId.EXPLAIN))),
        )
        yield from self._lifecycle_commands(leave)
        from screens.entra_session import entra_commands

        yield from entra_commands(self, leave)
        yield from self._step_commands(leave)

    def _step_commands(
        self, leave: Callable[[Callable[[], object]], None]
    ) -> Iterable[SystemCommand]:
        """Go to a step: in journey order, with the sidebar's titles; a step not reached yet says
        which step comes first, as a click on it in the sidebar does."""
        from screens.widgets.step_sidebar import blocking_step

        if self.journey is None:  # not loaded yet: Recheck loads it
            return
        for state in self.journey.steps:
            name = say(self.lang, "palette.goto", number=state.number, title=state.title)
            blocker = blocking_step(self.journey, state.id)
            if blocker is not None:
                why = say(
                    self.lang,
                    "palette.blocked",
                    target=state.number,
                    title=state.title,
                    number=blocker.number,
                    blocker=blocker.title,
                    reason=blocker.blockers[0] if blocker.blockers else "",
                )
                yield SystemCommand(
                    name,
                    say(self.lang, "palette.blocked_help", number=blocker.number),
                    lambda why=why: self.notify(why.strip(), severity="warning", markup=False),
                )
                continue
            yield SystemCommand(
                name,
                say(self.lang, "palette.goto_help"),
                lambda s=state.id: leave(lambda: self.advance(s)),
            )

    def action_command_palette(self) -> None:
        """Textual's palette, with its search prompt in the app's language."""
        from textual.command import CommandPalette

        # `CommandPalette.is_open` wants an `App[object]` (App is invariant): the same test, typed
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            placeholder = say(self, "palette.placeholder")
            self.push_screen(CommandPalette(placeholder=placeholder, id="--command-palette"))

    def _lifecycle_commands(
        self, leave: Callable[[Callable[[], object]], None]
    ) -> Iterable[SystemCommand]:
        """Deactivate (its preview first) and re-activate (the activation dry run first)."""
        from assistant.journey.steps import StepId

        yield SystemCommand(
            say(self.lang, "lifecycle.deactivate.title"),
            say(self.lang, "lifecycle.deactivate.palette_help"),
            lambda: leave(lambda: self.switch_screen(screen_for(ScreenId.DEACTIVATE))),
        )
        yield SystemCommand(
            say(self.lang, "lifecycle.reactivate.title"),
            say(self.lang, "lifecycle.reactivate.palette_help"),
            lambda: leave(lambda: self.advance(StepId.ACTIVATE)),
        )

    def leave_step(self, go: Callable[[], object]) -> None:
        """Leaving a step cancels its workers: not while it writes, which must run to its end."""
        steps = [screen for screen in self.screen_stack if isinstance(screen, StepScreen)]
        if steps and steps[-1].writing:
            self.notify(say(self, "common.wait_write"), severity="warning")
            return
        go()
