"""Typed Graph failures: Graph's own error code, a sentence for the admin and the fix.

Graph answers every error as `{"error": {"code", "message", "innerError"}}` (documented under
"Microsoft Graph error responses"). The message comes from another server: it is kept as data
(`graph_message`), shown only through `safe_text`, and never used as the sentence itself — with
one exception of reading, not showing: a refusal for a missing Entra ID P1/P2 licence is told
apart from a missing permission by its code (and Microsoft's documented wording), because the two
send the admin opposite ways.

A failure built from the catalogue (`key`) says itself in any language (`text(lang)`);
`sentence` and `fix` are its English words, for logs and `--json`.
"""

from __future__ import annotations

from typing import Any, Self

from assistant.i18n.translate import t
from assistant.text.safe import terminal_safe


class GraphError(Exception):
    """A Graph call that failed: `code` is Graph's, `sentence` and `fix` are ours."""

    key: str = ""
    """A catalogue key (`key` and `key.fix`) when the failure is worded there, else ""."""

    def __init__(
        self,
        sentence: str,
        fix: str,
        *,
        code: str = "",
        status: int | None = None,
        graph_message: str = "",
        request_id: str = "",
    ) -> None:
        super().__init__(sentence)
        self.sentence = sentence
        self.fix = fix
        self.code = code
        self.status = status
        self.graph_message = graph_message
        self.request_id = request_id
        self.values: dict[str, object] = {}

    @classmethod
    def worded(
        cls, key: str, /, *, code: str = "", status: int | None = None, **values: object
    ) -> Self:
        """A failure worded by the catalogue: English now, any language through `text`."""
        english = t(key, "en", **values), t(f"{key}.fix", "en", **values)
        error = cls(*english, code=code, status=status)
        error.key, error.values = key, dict(values)
        return error

    def text(self, lang: str = "en") -> tuple[str, str]:
        """(sentence, fix) in `lang` when worded by the catalogue, else the English ones."""
        if not self.key:
            return self.sentence, self.fix
        return t(self.key, lang, **self.values), t(f"{self.key}.fix", lang, **self.values)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """For `--json` output: Graph's text made terminal-safe, never raw."""
        sentence, fix = self.text(lang)
        return {
            "error": type(self).__name__,
            "code": self.code,
            "status": self.status,
            "message": sentence,
            "fix": fix,
            "graph_message": terminal_safe(self.graph_message),
            "request_id": terminal_safe(self.request_id),
        }


class GraphUnreachable(GraphError):
    """No answer at all (DNS, TLS, refused, timeout)."""


class GraphNotSignedIn(GraphError):
    """No token, or Graph refused it (401)."""


class GraphPermissionDenied(GraphError):
    """403: the signed-in admin or the app lacks a delegated permission or a directory role."""


class GraphThrottled(GraphError):
    """429/503 still after the retries, each of which waited as long as Retry-After asked."""


class GraphNotFound(GraphError):
    """404: the object (service principal, job, user) is not in the tenant."""


class GraphBadRequest(GraphError):
    """400/409: Graph refused the request; its code says why (e.g. credentials did not validate)."""


class GraphLicenceRequired(GraphError):
    """The tenant lacks Entra ID P1/P2 for this feature: not a permission, not a role.

    `feature` is `group_assignment`, `provisioning_logs` or `feature`; the fix says what still
    works without the licence (assign people one by one; read the logs in the admin center).
    """


class GraphUnexpectedAnswer(GraphError):
    """Graph answered, but in a form this version does not know (a body that fits no model)."""

    @classmethod
    def about(cls, what: str, detail: str) -> Self:
        return cls.worded("graph.unexpected", what=what, detail=detail)


class GraphUnsafeLink(GraphError):
    """A link Graph sent (`@odata.nextLink`) leads outside the Graph origin or off https: it
    is not followed, and the sign-in token is never sent there."""


LICENCE_CODES = frozenset(
    {
        "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
        "AadPremiumLicenseRequired",
    }
)
"""Graph codes that mean "this tenant lacks Entra ID P1/P2" (compared without case)."""
LICENCE_WORDS = (
    "doesn't have premium license",
    "does not have premium license",
    "premium license",
    "active directory plan level",
)
"""Microsoft's documented wording of the same refusal ("Neither tenant is B2C or tenant doesn't
have premium license", Entra docs; "…due to your Active Directory plan level", the admin center)."""


def licence_refusal(status: int, code: str, message: str) -> bool:
    """A 403 (or 400) whose code or documented wording says the tenant lacks P1/P2."""
    if status not in (400, 403):
        return False
    if code.casefold() in {c.casefold() for c in LICENCE_CODES}:
        return True
    lowered = message.casefold()
    return any(words in lowered for words in LICENCE_WORDS)


_APP_ADMIN = "Application Administrator or Cloud Application Administrator"
PERMISSION_ROLES: dict[str, str] = {  # the least-privileged directory role for each
    "Application.ReadWrite.All": _APP_ADMIN,
    "Application.Read.All": _APP_ADMIN,
    "AppRoleAssignment.ReadWrite.All": _APP_ADMIN,
    "Synchronization.ReadWrite.All": _APP_ADMIN,
    "Synchronization.Read.All": _APP_ADMIN,
    "AuditLog.Read.All": "Reports Reader or Security Reader",
    "User.Read.All": "Directory Readers",
    "GroupMember.Read.All": "Directory Readers",
}


def permission_fix(permission: str) -> str:
    role = PERMISSION_ROLES.get(permission, "a role that grants it")
    return (
        f"Sign in again and accept the delegated permission {permission} (an admin may need to "
        "grant consent: Entra admin center → Enterprise applications → the assistant's app → "
        f"Permissions → Grant admin consent), and make sure you hold the {role} role."
    )


def error_from_response(
    status: int,
    body: Any,
    *,
    action: str,
    permission: str | None,
    licensed: str = "feature",
) -> GraphError:
    """Map one Graph error answer to its typed error. `action` says what we were doing;
    `licensed` names the P1/P2 feature the call needs, for a licence refusal."""
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    code = str(error.get("code") or "")
    message = str(error.get("message") or "")
    inner = error.get("innerError")
    inner = inner if isinstance(inner, dict) else {}
    request_id = str(inner.get("request-id") or "")
    common: dict[str, Any] = {
        "code": code,
        "status": status,
        "graph_message": message,
        "request_id": request_id,
    }
    if status == 401:
        return GraphNotSignedIn(
            f"Microsoft Graph did not accept the sign-in while trying to {action}.",
            "Run `steeple-assistant entra signin` again (the session expired or was revoked).",
            **common,
        )
    if licence_refusal(status, code, message):
        licence = GraphLicenceRequired.worded(f"graph.licence.{licensed}", code=code, status=status)
        licence.graph_message, licence.request_id = message, request_id
        return licence
    if status == 403:
        needed = permission or "the permission this call needs"
        return GraphPermissionDenied(
            f"You are signed in, but not allowed to {action}: Graph needs {needed}.",
            permission_fix(permission) if permission else "Ask an Entra administrator.",
            **common,
        )
    if status in (429, 503):
        return GraphThrottled(
            f"Microsoft Graph is throttling requests; could not {action} after waiting as asked.",
            "Wait a minute and retry; Entra limits how fast one tenant may call Graph.",
            **common,
        )
    if status == 404:
        return GraphNotFound(
            f"Could not {action}: Entra has no such object.",
            "Recheck: it may have been deleted in the Entra admin center.",
            **common,
        )
    if 400 <= status < 500:
        return GraphBadRequest(
            f"Entra refused to {action} ({code or status}).",
            "Read Entra's reason below; correct the value and retry.",
            **common,
        )
    return GraphError(
        f"Microsoft Graph failed while trying to {action} (HTTP {status}).",
        "Retry in a few minutes; if it persists, check https://status.azure.com.",
        **common,
    )
