"""Signing in to Entra from the app, and out again: the steps switch path without a restart.

`--sandbox` signs in to the emulated tenant by itself (screens/app.py: MSAL's real device code,
entered on the login emulator's page by the assistant). Against a real instance it is opt-in,
from the palette: the sign-in modal (browser or device code), then `open_entra_side`; the Entra
step on screen is shown again, now through Graph (or, after signing out, back on the copy-paste
path). A failure leaves the copy-paste path working and says why. The session itself is the
app's: an opened one goes up in an `EntraSignedIn` message, and signing out is the app's own
worker (`ProvisioningAssistant.sign_out_of_entra`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand

from screens.failures import describe_failure
from screens.steps.base import StepScreen
from screens.words import say

if TYPE_CHECKING:
    from assistant.entra.signin import EntraSignIn
    from screens.app import ProvisioningAssistant

Leave = Callable[[Callable[[], object]], None]
ENTRA_STEPS = frozenset({"entra", "assign", "provision"})
"""The steps that take another path once signed in (and back after signing out)."""


def _notify_failure(app: ProvisioningAssistant, key: str, error: BaseException) -> None:
    message, fix = describe_failure(error, app.lang)
    app.notify(
        say(app.lang, key, message=message, fix=fix), severity="warning", timeout=12, markup=False
    )


def entra_commands(app: ProvisioningAssistant, leave: Leave) -> Iterable[SystemCommand]:
    """ "Sign in to Entra" while on the copy-paste path, "Sign out of Entra" once signed in."""
    lang = app.lang
    if app.entra_side is None:
        yield SystemCommand(
            say(lang, "palette.signin"), say(lang, "palette.signin.help"), lambda: start_signin(app)
        )
    else:
        yield SystemCommand(
            say(lang, "palette.signout"),
            say(lang, "palette.signout.help"),
            lambda: leave(app.sign_out_of_entra),
        )


def start_signin(app: ProvisioningAssistant, **modal_options: Any) -> None:
    """Open the sign-in modal; once signed in, open the facade and show the step again.

    Settings that would send the token where it must not go (or a CA file that is gone) are
    said, with their fix, instead of opening the modal. `modal_options` go to the modal
    (`method`, `open_page`: tests choose the flow and drive the browser).
    """
    from assistant.entra.browser import browser_unavailable
    from assistant.entra.options import EntraOptions
    from assistant.entra.signin import EntraSignIn, SignInError
    from screens.modals.entra_signin import EntraSignInModal

    settings = app.entra_settings or (app.entra_options or EntraOptions()).settings()
    try:
        signin = EntraSignIn(settings, lang=app.lang)
    except SignInError as refused:
        app.notify(
            say(app.lang, "headless.error", message=refused.sentence, fix=refused.fix),
            severity="error",
            timeout=15,
            markup=False,
        )
        return

    def signed_in(username: str | None) -> None:
        if username is not None:
            app.run_worker(
                _open_after_signin(app, signin, username),
                group="entra-session",
                exclusive=True,
                exit_on_error=False,
            )

    modal_options.setdefault("no_browser", browser_unavailable())
    app.push_screen(EntraSignInModal(signin, **modal_options), signed_in)


async def _open_after_signin(
    app: ProvisioningAssistant, signin: EntraSignIn, username: str
) -> None:
    from assistant.entra.side import open_entra_side
    from screens.messages import EntraSignedIn

    try:
        sso = (
            await app.connected_client.get_sso()
        )  # the instance's SAML identifier finds its app in Entra
        side = await open_entra_side(
            signin.settings, sso_identifiers=sso.app_identifiers, signin=signin, lang=app.lang
        )
    except Exception as error:
        _notify_failure(app, "session.open_failed", error)
        return
    if side is None:  # signed in, yet no token comes out of the cache: say so, stay put
        app.notify(say(app.lang, "session.no_token"), severity="warning", markup=False)
        return
    app.post_message(EntraSignedIn(side, signin, username))  # the app takes the session over


def show_step_again(app: ProvisioningAssistant) -> None:
    """The step on screen is rebuilt, so it takes the path (Graph or copy-paste) now in force."""
    steps = [screen for screen in app.screen_stack if isinstance(screen, StepScreen)]
    if steps and str(steps[-1].STEP_ID) in ENTRA_STEPS:
        app.advance(steps[-1].STEP_ID)
