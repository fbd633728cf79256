"""Entra's Test Connection (`validateCredentials`) answer, decoded into its real cause.

Entra says one sentence for every failure ("You appear to have entered invalid credentials…")
and hides the cause in the details of its message: the HTTP status the SCIM endpoint answered
("Response Status Code: Unauthorized"), or the .NET text of a network failure ("Unable to connect
to the remote server", "The SSL connection could not be established"). The admin needs the
cause, not the sentence, so we read the details and say what is wrong and how to fix it, in
their language. The decoding is by keyword: an answer we do not recognise is `unknown`, with
Entra's own words kept as data for the caller to show safely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from http import HTTPStatus

from assistant.i18n.translate import t


@dataclass(frozen=True)
class ConnectionVerdict:
    """`ok`; `sentence` and `fix` in the admin's language; `code` our stable cause id."""

    ok: bool
    sentence: str
    fix: str
    code: str
    """ok, unauthorized, forbidden, not_found, http_error, not_scim, not_empty, tls, refused,
    timeout, unreachable or unknown."""
    entra_code: str = ""
    """Entra's own error code (e.g. SystemForCrossDomainIdentityManagementCredentialValidation…)."""
    entra_message: str = ""
    """Entra's raw text: terminal-unsafe, for callers to render safely."""


_STATUS_NAMES = {s.name.replace("_", "").lower(): s.value for s in HTTPStatus}
_STATUS_LINE = re.compile(r"Response Status Code:\s*(\w+)", re.IGNORECASE)
_HTTP_NUMBER = re.compile(r"\bHTTP/?\s?(?:1\.1\s)?(\d{3})\b|\((\d{3})\)")

_NETWORK: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "tls",
        (
            "ssl",
            "tls",
            "certificate",
            "trust relationship",
            "secure channel",
        ),
    ),
    ("refused", ("actively refused", "connection refused", "unable to connect")),
    ("timeout", ("timed out", "timeout")),
    (
        "unreachable",
        (
            "could not be resolved",
            "name or service not known",
            "no such host",
            "error occurred while sending the request",
            "could not be reached",
        ),
    ),
    ("not_scim", ("listresponse", "not a scim", "not valid json")),
    ("not_empty", ("filter was ignored", "returned results", "matched users")),
)


def _status_in(text: str) -> int | None:
    found = _STATUS_LINE.search(text)
    if found:
        word = found.group(1)
        if word.isdigit():
            return int(word)
        return _STATUS_NAMES.get(word.lower())
    number = _HTTP_NUMBER.search(text)
    if number:
        return int(number.group(1) or number.group(2))
    return None


def cause_of(message: str) -> str:
    """Our cause id for Entra's failure text (see `ConnectionVerdict.code`)."""
    status = _status_in(message)
    if status is not None and not 200 <= status < 300:
        if status == 401:
            return "unauthorized"
        if status == 403:
            return "forbidden"
        if status == 404:
            return "not_found"
        return "http_error"
    lowered = message.lower()
    for cause, words in _NETWORK:
        if any(word in lowered for word in words):
            return cause
    return "unknown"


def verdict_ok(lang: str = "en") -> ConnectionVerdict:
    return ConnectionVerdict(
        True, t("entra.verdict.ok", lang), t("entra.verdict.ok.fix", lang), "ok"
    )


def decode_failure(
    entra_code: str, message: str, tenant_url: str, lang: str = "en"
) -> ConnectionVerdict:
    """The verdict for a refused `validateCredentials`, from Entra's code and message."""
    cause = cause_of(message)
    status = _status_in(message)
    values = {"url": tenant_url, "status": status or "?"}
    return ConnectionVerdict(
        ok=False,
        sentence=t(f"entra.verdict.{cause}", lang, **values),
        fix=t(f"entra.verdict.{cause}.fix", lang, **values),
        code=cause,
        entra_code=entra_code,
        entra_message=message,
    )
