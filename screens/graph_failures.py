"""A Graph failure as a sentence and a fix in the admin's language (the steps' error panel).

`assistant.entra.graph_errors` words each failure in English for the headless commands; the
screens say the same in the app's language, keyed by the failure's class. The permission a 403
needs is the one the core's fix names; Graph's own message is foreign text and never shown here.
"""

from __future__ import annotations

from assistant.i18n import TEXTS, t

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
    kind = next(
        (cls.__name__ for cls in type(error).__mro__ if cls.__name__ in GRAPH_FAILURES),
        "GraphError",
    )
    key = f"graph.{kind}"
    if key not in TEXTS:
        return error.sentence, error.fix
    permission = next((name for name in PERMISSION_ROLES if name in error.fix), "")
    role = PERMISSION_ROLES.get(permission, "")
    values = {
        "permission": permission or "?",
        "role": role or "?",
        "code": error.code or (str(error.status) if error.status else "?"),
    }
    return t(key, lang, **values), t(f"{key}.fix", lang, **values)
