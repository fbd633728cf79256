"""Failures in words for the screens: a sentence and a fix in the admin's language.

`describe_failure` words any failure for the error panel, a notification or a modal (core
errors carry their own sentence; anything else gets a safe summary). Graph's failures first:
`assistant.entra.graph_errors` words each failure in English for the headless commands; the
screens say the same in the app's language. A failure worded by the catalogue (`error.key`: a
missing Entra ID P1/P2 licence, an answer in an unknown form, a person out of scope…) says
itself; the generic ones are keyed by their class. The permission a 403 needs is the one the
core's fix names; Graph's own message is foreign text and never shown here.
"""

from __future__ import annotations

from screens.words import known, say

GRAPH_FAILURES = (
    "GraphPermissionDenied",
    "GraphThrottled",
    "GraphNotSignedIn",
    "GraphNotFound",
    "GraphBadRequest",
    "GraphUnreachable",
    "GraphError",
)


def graph_failure(error: BaseException, lang: str) -> tuple[str, str] | None:
    """(sentence, fix) when `error` is a Graph failure, else None."""
    from assistant.entra.graph_errors import PERMISSION_ROLES, GraphError

    if not isinstance(error, GraphError):
        return None
    if error.key:
        return error.text(lang)
    if type(error).__name__ not in GRAPH_FAILURES:
        return error.sentence, error.fix  # a facade failure, already in the admin's language
    key = f"graph.{type(error).__name__}"
    if not known(key):
        return error.sentence, error.fix
    permission = next((name for name in PERMISSION_ROLES if name in error.fix), "")
    role = PERMISSION_ROLES.get(permission, "")
    values = {
        "permission": permission or "?",
        "role": role or "?",
        "code": error.code or (str(error.status) if error.status else "?"),
    }
    return say(lang, key, **values), say(lang, f"{key}.fix", **values)


def describe_failure(error: BaseException, lang: str = "en") -> tuple[str, str]:
    """Message and fix for any failure; core errors carry both, anything else gets a safe summary.

    The exception text of foreign errors is not shown: it might quote a request with a secret.
    """
    graph = graph_failure(error, lang)
    if graph is not None:  # Microsoft Graph's failures, worded in the admin's language
        return graph
    localised = getattr(error, "text", None)
    if callable(localised):  # a core error: its own sentence, in the admin's language
        message, fix = localised(lang)
        if message:
            return message, fix
    message = getattr(error, "message", None) or getattr(error, "sentence", None)  # sign-in's
    fix = getattr(error, "fix", None)
    if isinstance(message, str) and message:
        return message, fix if isinstance(fix, str) else ""
    return (
        say(lang, "common.unexpected", name=type(error).__name__),
        say(lang, "common.unexpected.fix"),
    )
