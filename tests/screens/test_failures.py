"""Every failure the screens show is a sentence and a fix in the admin's language; a foreign
exception's own text (which might quote a request, secret included) is never shown."""

from __future__ import annotations

import pytest

from assistant.entra.graph_errors import GraphPermissionDenied
from assistant.entra.signin_errors import SignInError
from assistant.steeple.errors import ErrorKind, SteepleError
from assistant.steeple.sandbox_mode import SandboxStartError
from screens.failures import describe_failure


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_graph_failure_is_worded_in_the_admin_s_language(lang: str) -> None:
    denied = GraphPermissionDenied(
        "Forbidden.", "Grant admin consent to Application.ReadWrite.All.", status=403
    )
    message, fix = describe_failure(denied, lang)
    assert "Application.ReadWrite.All" in message
    assert ("Microsoft Graph needs" in message) is (lang == "en")
    assert fix and "Forbidden." not in message  # Graph's own words are not the sentence


def test_a_core_error_says_itself() -> None:
    down = SteepleError(ErrorKind.UNREACHABLE, "The instance did not answer.", "Check the URL.")
    assert describe_failure(down, "en") == down.text("en")


def test_an_error_with_a_message_and_fix_is_shown_as_is() -> None:
    class Stopped(Exception):
        message, fix = "Stopped after 3 of 5.", "Retry."

    assert describe_failure(Stopped(), "en") == ("Stopped after 3 of 5.", "Retry.")


def test_a_sign_in_failure_says_its_sentence_and_fix() -> None:
    """Sign-in failures carry `sentence` (already in the admin's language), not `message`: the
    Entra side's notice once showed their class name instead."""
    declined = SignInError("You declined the permissions.", "Sign in again and accept them.")
    assert describe_failure(declined, "en") == (declined.sentence, declined.fix)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_sandbox_whose_emulators_failed_says_why(lang: str) -> None:
    """What the Entra side's notice shows when `--sandbox`'s Graph emulator could not start."""
    failed = SandboxStartError("OSError: [Errno 98] Address already in use")
    message, fix = describe_failure(failed, lang)
    assert "Address already in use" in message and "SandboxStartError" not in message and fix
    assert (message, fix) == failed.text(lang)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_foreign_exception_s_text_is_never_shown(lang: str) -> None:
    leaky = RuntimeError("POST https://x/?token=s3cr3t failed")
    message, fix = describe_failure(leaky, lang)
    assert "RuntimeError" in message and "s3cr3t" not in message + fix and fix
