"""Where an Entra session (MSAL's token cache, refresh token included) is kept between commands.

The way Microsoft's own tools keep it: msal-extensions' persistence — the Keychain on macOS, a
DPAPI-encrypted file on Windows, libsecret on Linux — with MSAL's cache reloaded when another
process changed it and written under a cross-process lock. Where libsecret's Python binding
(PyGObject) is missing, the `keyring` library's backend (Secret Service over D-Bus, KWallet)
holds it instead. A plain file only when the admin names one (`--token-cache`), created 0600.
Nowhere to keep it: memory for this run, and the place says so, so no one reads "signed in" and
then "not signed in".

All sessions share one store entry: a JSON object filed by client id, authority and Graph
origin (`EntraSettings.session_key`), so a session is only ever handed back for the Graph it
was signed in for.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msal  # type: ignore[import-untyped]  # no stubs, no py.typed
from msal_extensions import (  # type: ignore[import-untyped]  # no stubs, no py.typed
    CrossPlatLock,
    FilePersistence,
    PersistedTokenCache,
)
from msal_extensions.persistence import (  # type: ignore[import-untyped]
    BasePersistence,
    PersistenceError,
    PersistenceNotFound,
)

from assistant.entra.location import EntraSettings
from assistant.entra.signin_errors import SignInError
from assistant.exit_codes import EXIT_USAGE
from assistant.i18n.translate import t
from assistant.settings import KEYRING_SERVICE, config_dir, keyring_available
from assistant.text.safe import terminal_safe

log = logging.getLogger(__name__)

STORE_ACCOUNT = "entra-sessions"
"""The one secret-store item (or keyring entry) holding every session."""
FORMAT = "steeple-assistant/entra-sessions/1"
"""Marks a store as ours: a `--token-cache` pointing at another tool's file is not overwritten."""


@dataclass(frozen=True)
class SessionPlace:
    """Where the session is kept: `kind` is keychain, dpapi, libsecret, keyring, file, memory
    (asked for: the sandbox's throwaway session) or unkept (nowhere to keep it)."""

    kind: str
    detail: str = ""

    @property
    def lasts(self) -> bool:
        """Whether the next command finds the session."""
        return self.kind not in ("memory", "unkept")

    def describe(self, lang: str = "en") -> str:
        return t(f"session.place.{self.kind}", lang, detail=terminal_safe(self.detail))


def _state_dir() -> Path:
    """Where the store's signal and lock files live (no secret in them)."""
    return config_dir() / "entra"


class KeyringPersistence(BasePersistence):  # type: ignore[misc]
    """msal-extensions' persistence contract over the `keyring` library (its own
    `LibsecretPersistence` needs PyGObject), with a signal file for the modification time, as
    msal-extensions' Keychain and libsecret persistences have."""

    is_encrypted = True

    def __init__(self, signal_location: str) -> None:
        self._signal = FilePersistence(signal_location)
        if not os.path.exists(signal_location):
            self._signal.touch()  # the first read in this process loads what is stored

    def save(self, content: str) -> None:
        import keyring

        try:
            keyring.set_password(KEYRING_SERVICE, STORE_ACCOUNT, content)
        except Exception as exc:  # a locked or broken keyring: said, never a traceback
            raise PersistenceError(message=type(exc).__name__) from exc
        self._signal.touch()

    def load(self) -> str:
        import keyring

        try:
            content = keyring.get_password(KEYRING_SERVICE, STORE_ACCOUNT)
        except Exception as exc:
            raise PersistenceError(message=type(exc).__name__) from exc
        if content is None:
            raise PersistenceNotFound(message="no Entra session in the keyring")
        return str(content)

    def clear(self) -> None:
        """Remove the keyring entry (the last session was signed out)."""
        import keyring

        try:
            keyring.delete_password(KEYRING_SERVICE, STORE_ACCOUNT)
        except Exception as exc:
            raise PersistenceError(message=type(exc).__name__) from exc
        self._signal.touch()

    def time_last_modified(self) -> float:
        return float(self._signal.time_last_modified())

    def get_location(self) -> str:
        return str(self._signal.get_location())


class PrivateFilePersistence(FilePersistence):  # type: ignore[misc]
    """The `--token-cache` file: msal-extensions creates it 0600; one that existed with wider
    permissions is narrowed to 0600 on every write."""

    def save(self, content: str) -> None:
        super().save(content)
        if sys.platform != "win32":
            os.chmod(self.get_location(), stat.S_IRUSR | stat.S_IWUSR)

    def clear(self) -> None:
        """Remove the file (the last session was signed out): no refresh token left behind."""
        Path(self.get_location()).unlink(missing_ok=True)


class KeyedPersistence(BasePersistence):  # type: ignore[misc]
    """One session among several in one store, filed under `key`."""

    def __init__(self, inner: BasePersistence, key: str) -> None:
        self.inner = inner
        self.key = key
        self.is_encrypted = inner.is_encrypted

    def sessions(self) -> dict[str, Any]:
        try:
            raw = self.inner.load()
        except PersistenceNotFound:
            return {}
        if not raw.strip():
            return {}
        try:
            stored = json.loads(raw)
        except ValueError:
            stored = None
        if not isinstance(stored, dict) or stored.get("format") != FORMAT:
            raise PersistenceError(message="not a Steeple assistant session store")
        sessions = stored.get("sessions")
        return sessions if isinstance(sessions, dict) else {}

    def _write(self, sessions: dict[str, Any]) -> None:
        self.inner.save(json.dumps({"format": FORMAT, "sessions": sessions}))

    def save(self, content: str) -> None:
        sessions = self.sessions()
        sessions[self.key] = json.loads(content)
        self._write(sessions)

    def load(self) -> str:
        session = self.sessions().get(self.key)
        if session is None:
            raise PersistenceNotFound(message="no session for this Entra")
        return json.dumps(session)

    def delete(self) -> bool:
        """Forget this session; True when there was one."""
        sessions = self.sessions()
        if sessions.pop(self.key, None) is None:
            return False
        clear = getattr(self.inner, "clear", None)
        if not sessions and clear is not None:
            clear()  # the last one: the store's entry goes too
        else:
            self._write(sessions)
        return True

    def time_last_modified(self) -> float:
        return float(self.inner.time_last_modified())

    def get_location(self) -> str:
        return str(self.inner.get_location())


def native_persistence(location: Path) -> tuple[BasePersistence, str] | None:
    """msal-extensions' encrypted persistence of this OS and its kind, or None where it cannot
    run (no PyGObject or no Secret Service on Linux, an unknown platform)."""
    from msal_extensions import (
        FilePersistenceWithDataProtection,
        KeychainPersistence,
        LibsecretPersistence,
    )

    try:
        if sys.platform == "win32":
            return FilePersistenceWithDataProtection(str(location.with_suffix(".bin"))), "dpapi"
        if sys.platform == "darwin":
            return KeychainPersistence(str(location), KEYRING_SERVICE, STORE_ACCOUNT), "keychain"
        if sys.platform.startswith("linux"):
            persistence = LibsecretPersistence(
                str(location),
                schema_name=f"{KEYRING_SERVICE}.entra",
                attributes={"service": KEYRING_SERVICE, "account": STORE_ACCOUNT},
            )
            return persistence, "libsecret"
    except Exception as exc:  # ImportError (no gi), a Secret Service that does not answer…
        log.info("msal-extensions' persistence is unavailable here: %s", type(exc).__name__)
    return None


class SessionStore:
    """MSAL's token cache for one `EntraSettings`, and where it is kept."""

    def __init__(self, settings: EntraSettings, *, persistent: bool = True, lang: str = "en"):
        self.settings = settings
        self.lang = lang
        self._persistence: KeyedPersistence | None = None
        self.place = SessionPlace("memory")
        self.cache: msal.SerializableTokenCache = msal.SerializableTokenCache()
        if not persistent:
            return  # the sandbox's throwaway session: never near the admin's real store
        if settings.token_cache:
            path = Path(settings.token_cache).expanduser()
            inner: BasePersistence = self._private_file(path)
            self.place = SessionPlace("file", str(path))
        else:
            try:
                _state_dir().mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # a config folder that cannot be written: said, not raised
                raise self.failure(exc) from None
            native = native_persistence(_state_dir() / "sessions.signal")
            if native is not None:
                inner, kind = native
                self.place = SessionPlace(kind)
            elif keyring_available():
                import keyring

                inner = KeyringPersistence(str(_state_dir() / "sessions.signal"))
                self.place = SessionPlace("keyring", type(keyring.get_keyring()).__name__)
            else:
                self.place = SessionPlace("unkept")
                return
        self._persistence = KeyedPersistence(inner, settings.session_key)
        if self.place.kind == "file":
            self._refuse_a_foreign_file()
        self.cache = PersistedTokenCache(self._persistence)

    def _private_file(self, path: Path) -> BasePersistence:
        if path.is_dir():
            raise SignInError(
                t("session.file.is_dir", self.lang, path=terminal_safe(str(path))),
                t("session.file.fix", self.lang),
                code="token_cache",
                exit_code=EXIT_USAGE,
            )
        try:
            return PrivateFilePersistence(str(path))
        except OSError as exc:  # its folder cannot be made
            raise self.failure(exc) from None

    def _refuse_a_foreign_file(self) -> None:
        assert self._persistence is not None
        try:
            self._persistence.sessions()
        except PersistenceError:
            raise SignInError(
                t("session.file.foreign", self.lang, path=terminal_safe(self.place.detail)),
                t("session.file.fix", self.lang),
                code="token_cache",
                exit_code=EXIT_USAGE,
            ) from None
        except OSError as exc:
            raise self.failure(exc) from None

    def failure(self, error: BaseException) -> SignInError:
        """A store that could not be read or written, as a sentence and how to keep the
        session elsewhere."""
        return SignInError(
            t(
                "session.store_failed",
                self.lang,
                place=self.place.describe(self.lang),
                name=type(error).__name__,
            ),
            t("session.store_failed.fix", self.lang),
            code="token_cache",
        )

    def forget(self) -> bool:
        """Remove this Entra's session from the store (no network); True when there was one."""
        if self._persistence is None:
            had = bool(self.cache.search(msal.TokenCache.CredentialType.ACCOUNT))
            self.cache = msal.SerializableTokenCache()
            return had
        try:
            with CrossPlatLock(self._persistence.get_location() + ".lockfile"):
                removed = self._persistence.delete()
        except (PersistenceError, OSError) as exc:
            raise self.failure(exc) from None
        self.cache = PersistedTokenCache(self._persistence)
        return removed


__all__ = [
    "FORMAT",
    "KeyedPersistence",
    "KeyringPersistence",
    "SessionPlace",
    "SessionStore",
    "native_persistence",
]
