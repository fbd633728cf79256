"""The few kinds of failure a person can act on, each with a sentence and a fix.

Screens and headless commands never see an httpx exception: the client turns every failure into a
`SteepleError` whose `kind` decides the exit code or the screen's Retry button, and whose text never
carries a secret (messages are built from fixed sentences, the URL and the status, nothing else).
"""

from __future__ import annotations

from enum import StrEnum


class ErrorKind(StrEnum):
    """What went wrong, coarse enough that each kind has one obvious fix."""

    UNREACHABLE = "unreachable"
    TLS = "tls"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    INVALID = "invalid"
    SERVER = "server"
    TIMEOUT = "timeout"
    MALFORMED = "malformed"


class SteepleError(Exception):
    """A failure talking to a Steeple instance, phrased for the administrator.

    `status` is the HTTP status when there was an answer; `code` the admin API's stable error code
    when its body had one (e.g. `too_many_tokens`): callers branch on it without parsing text.
    """

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        fix: str,
        *,
        status: int | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.fix = fix
        self.status = status
        self.code = code

    @classmethod
    def from_catalogue(
        cls,
        kind: ErrorKind,
        key: str,
        fix_key: str | None = None,
        *,
        said: str = "",
        status: int | None = None,
        code: str | None = None,
        **values: object,
    ) -> SteepleError:
        """An error whose message and fix come from the catalogue (`key`, `key.fix`).

        `said` (what the server said) replaces the message when given: it is quoted as is.
        `message` and `fix` are English; `text(lang)` renders them in another language.
        """
        from assistant.i18n.translate import t

        fix_key = fix_key or f"{key}.fix"
        error = cls(
            kind,
            said or t(key, "en", status=status, **values),
            t(fix_key, "en", status=status, **values),
            status=status,
            code=code,
        )
        error.keys = (None if said else key, fix_key)
        error.values = {"status": status, **values}
        return error

    keys: tuple[str | None, str | None] = (None, None)
    """Catalogue keys of the message and the fix, when they came from the catalogue."""
    values: dict[str, object] = {}  # noqa: RUF012 - replaced per instance, never mutated

    def text(self, lang: str = "en") -> tuple[str, str]:
        """Message and fix in `lang` (a server's own words stay as they were said)."""
        from assistant.i18n.translate import t

        message_key, fix_key = self.keys
        message = t(message_key, lang, **self.values) if message_key else self.message
        fix = t(fix_key, lang, **self.values) if fix_key else self.fix
        return message, fix

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"SteepleError(kind={self.kind.value!r}, status={self.status!r}, code={self.code!r})"
