"""Signing in to Microsoft Entra the two ways Microsoft's own tools do, with MSAL.

The browser flow (authorization code + PKCE, loopback redirect) where a browser can open — the
flow Conditional Access leaves open when it blocks the device code, as Microsoft recommends
"wherever possible". The device-code flow where none can (SSH, no display) or on request: the
admin opens the page on any device and types the code. Either way the session is kept where
`SessionStore` says (an OS secret store, a file only when asked), and a refusal comes back as a
sentence and a fix (`signin_errors.refusal`). Where MSAL talks is `EntraSettings`, checked before
anything is read: a token goes only to the Graph of the cloud that issued it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import urlsplit

import msal  # type: ignore[import-untyped]  # no stubs, no py.typed
import requests
from msal_extensions.persistence import PersistenceError  # type: ignore[import-untyped]
from requests.adapters import HTTPAdapter

from assistant.entra.browser import (
    LoopbackReceiver,
    NoBrowser,
    OpenPage,
    UnsafePage,
    open_in_system_browser,
)
from assistant.entra.location import (
    EntraLocationError,
    EntraSettings,
    is_microsoft_login,
    origin,
    shown_to_a_person,
)
from assistant.entra.session_store import SessionPlace, SessionStore
from assistant.entra.signin_errors import SignInError, refusal
from assistant.i18n.translate import t
from assistant.text.safe import terminal_safe

log = logging.getLogger(__name__)

BROWSER_TIMEOUT = 600
"""Seconds the browser flow waits for the person (MSAL waits forever by default)."""


@dataclass(frozen=True)
class DeviceCodePrompt:
    """What to show the admin: the page to open and the code to type (terminal-safe), and the
    sentence saying so in the admin's language (never the provider's own text)."""

    verification_uri: str
    user_code: str
    message: str


def _page_template(sentence: str) -> str:
    """The page MSAL's loopback receiver shows in the browser once Entra answered (HTML, so
    MSAL escapes what it fills in for `$error`)."""
    return f"<!doctype html><html><body><p>{escape(sentence)}</p></body></html>"


class _ExtraCaAdapter(HTTPAdapter):
    """The system's trusted CAs plus one more, for the one host it is mounted for: MSAL's other
    requests keep requests' own trust, and no host but the sign-in service's trusts that CA."""

    def __init__(self, settings: EntraSettings) -> None:
        self._context = settings.extra_ca_context()
        super().__init__()

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: Any, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host, pool = super().build_connection_pool_key_attributes(request, verify, cert)
        pool["ssl_context"] = self._context  # requests' documented way to use its own context
        return host, pool


def msal_http_client(settings: EntraSettings) -> requests.Session:
    """MSAL's HTTP client; the extra CA, if any, only for the authority's origin."""
    session = requests.Session()
    if settings.ca_bundle:
        session.mount(origin(settings.authority) + "/", _ExtraCaAdapter(settings))
    return session


class EntraSignIn:
    """Browser or device-code sign-in, silent token refresh and sign-out for one `EntraSettings`.

    Constructing it checks the settings (`EntraLocationError`, exit 2) and opens the session
    store; nothing is sent until a method needs MSAL.
    """

    def __init__(
        self, settings: EntraSettings, *, persistent: bool = True, lang: str = "en"
    ) -> None:
        settings.check(lang)
        self.settings = settings
        self.persistent = persistent
        """False: the session lives in memory for this run only (the sandbox's)."""
        self.lang = lang
        self.store = SessionStore(settings, persistent=persistent, lang=lang)
        self._app: msal.PublicClientApplication | None = None
        self._token_lock = threading.Lock()
        """One silent acquisition at a time: Graph calls run concurrently (member counts four at
        a time), and parallel refreshes race on the cache and the single-use refresh token."""

    @property
    def place(self) -> SessionPlace:
        """Where the session is kept (`place.lasts`: whether the next command finds it)."""
        return self.store.place

    @property
    def cache(self) -> msal.SerializableTokenCache:
        return self.store.cache

    @property
    def app(self) -> msal.PublicClientApplication:
        """Built on first use: MSAL fetches the OIDC configuration as it is constructed."""
        if self._app is None:
            # A host Microsoft does not know (the sandbox's login emulator) is trusted as given:
            # with instance discovery on, MSAL would ask login.microsoftonline.com about it.
            known = is_microsoft_login(urlsplit(self.settings.authority).hostname or "")
            try:
                self._app = msal.PublicClientApplication(
                    self.settings.client_id,
                    authority=self.settings.authority,
                    token_cache=self.cache,
                    http_client=msal_http_client(self.settings),
                    instance_discovery=None if known else False,
                )
            except (ValueError, requests.RequestException) as exc:
                raise self._unreachable(exc) from None
        return self._app

    # --- device code -------------------------------------------------------------------------

    def start(self) -> tuple[DeviceCodePrompt, dict[str, Any]]:
        """Ask Entra for a device code; the page to open must be one a person may be sent to."""
        try:
            flow = self.app.initiate_device_flow(scopes=self.settings.scopes)
        except requests.RequestException as exc:
            raise self._unreachable(exc) from None
        if "user_code" not in flow:
            raise refusal(flow, "device_code", self.settings.client_id, self.lang)
        uri = str(flow.get("verification_uri", ""))
        if not shown_to_a_person(uri):
            raise SignInError(
                t("signin.unsafe_page", self.lang, url=terminal_safe(uri)),
                t("signin.unsafe_page.fix", self.lang),
                code="unsafe_uri",
            )
        code = terminal_safe(str(flow["user_code"]))
        prompt = DeviceCodePrompt(
            verification_uri=terminal_safe(uri),
            user_code=code,
            message=t("signin.device.prompt", self.lang, url=terminal_safe(uri), code=code),
        )
        return prompt, flow

    def finish(self, flow: dict[str, Any]) -> str:
        """Block until the admin approved (or the code expired, or Entra refused); the
        signed-in username. Setting `flow["expires_at"] = 0` stops the wait (MSAL's way)."""
        result = self._keeping(lambda: self.app.acquire_token_by_device_flow(flow))
        if result.get("error") == "authorization_pending" and flow.get("expires_at", 0):
            result = {**result, "error": "expired_token"}  # MSAL stopped polling: the code expired
        return self._signed_in(result, "device_code")

    # --- browser -----------------------------------------------------------------------------

    def sign_in_with_browser(
        self,
        open_page: OpenPage = open_in_system_browser,
        *,
        receiver_ready: Any = None,
        timeout: int = BROWSER_TIMEOUT,
    ) -> str:
        """The authorization-code flow with PKCE: `open_page` shows Entra's page, Entra answers
        on MSAL's loopback redirect. `receiver_ready(receiver)` is told the receiver before the
        page opens, so a caller can `cancel()` the wait. Returns the signed-in username."""
        receiver = LoopbackReceiver(open_page, self.page_is_safe)
        if receiver_ready is not None:
            receiver_ready(receiver)
        try:
            with receiver:
                result = self._keeping(
                    lambda: self.app.acquire_token_interactive(
                        self.settings.scopes,
                        prompt="select_account",
                        port=receiver.get_port(),
                        timeout=timeout,
                        auth_code_receiver=receiver,  # passed on to MSAL's browser flow
                        success_template=_page_template(t("signin.browser.done_page", self.lang)),
                        error_template=_page_template(
                            t("signin.browser.failed_page", self.lang, error="$error")
                        ),
                    )
                )
        except UnsafePage as unsafe:
            raise SignInError(
                t("signin.unsafe_page", self.lang, url=terminal_safe(unsafe.url)),
                t("signin.unsafe_page.fix", self.lang),
                code="unsafe_uri",
            ) from None
        except NoBrowser:
            raise SignInError(
                t("signin.no_browser", self.lang), t("signin.no_browser.fix", self.lang), "browser"
            ) from None
        except msal.BrowserInteractionTimeoutError:
            if receiver.cancelled:
                raise SignInError(
                    t("signin.cancelled", self.lang),
                    t("signin.cancelled.fix", self.lang),
                    "cancelled",
                ) from None
            raise SignInError(
                t("signin.browser.timeout", self.lang),
                t("signin.browser.timeout.fix", self.lang),
                code="timeout",
            ) from None
        if receiver.cancelled and "access_token" not in result:
            raise SignInError(
                t("signin.cancelled", self.lang), t("signin.cancelled.fix", self.lang), "cancelled"
            )
        return self._signed_in(result, "browser")

    def page_is_safe(self, url: str) -> bool:
        """Whether the browser may be sent to `url`: the authority's own page, over https (http
        only for a sign-in service on this machine) — never another host, never `javascript:`."""
        return shown_to_a_person(url) and origin(url) == origin(self.settings.authority)

    # --- both --------------------------------------------------------------------------------

    def _keeping(self, acquire: Any) -> dict[str, Any]:
        """Run an MSAL acquisition; a store that cannot keep the result is said, not raised."""
        try:
            result: dict[str, Any] = acquire()
        except (PersistenceError, OSError) as exc:
            raise self.store.failure(exc) from None
        except requests.RequestException as exc:
            raise self._unreachable(exc) from None
        except ValueError as exc:  # MSAL: a malformed answer from the sign-in service
            raise SignInError(
                t("signin.failed", self.lang, code=type(exc).__name__),
                t("signin.unreachable.fix", self.lang),
            ) from None
        return result

    def _signed_in(self, result: Mapping[str, Any], flow: Any) -> str:
        if "access_token" not in result:
            raise refusal(result, flow, self.settings.client_id, self.lang)
        claims = result.get("id_token_claims") or {}
        return terminal_safe(str(claims.get("preferred_username", "")))

    def _unreachable(self, exc: BaseException) -> SignInError:
        return SignInError(
            t(
                "signin.unreachable.at",
                self.lang,
                url=terminal_safe(self.settings.authority),
                name=type(exc).__name__,
            ),
            t("signin.unreachable.fix", self.lang),
        )

    # --- the session -------------------------------------------------------------------------

    def _has_account(self) -> bool:
        """Whether anything is cached, read without MSAL's network set-up (works offline)."""
        try:
            return bool(list(self.cache.search(msal.TokenCache.CredentialType.ACCOUNT)))
        except (PersistenceError, OSError) as exc:
            raise self.store.failure(exc) from None

    def username(self) -> str | None:
        if not self._has_account():
            return None
        accounts = self.app.get_accounts()
        return terminal_safe(str(accounts[0].get("username", ""))) if accounts else None

    def token(self) -> str | None:
        """A valid access token from the cache (refreshed if needed), or None: sign in first."""
        with self._token_lock:
            return self._token()

    def _token(self) -> str | None:
        if not self._has_account():
            return None
        accounts = self.app.get_accounts()
        if not accounts:
            return None
        result = self._keeping(
            lambda: self.app.acquire_token_silent(self.settings.scopes, account=accounts[0])
        )
        if not result or "access_token" not in result:
            return None
        token: str = result["access_token"]
        return token

    async def atoken(self) -> str | None:
        """`token()` off the event loop (MSAL is synchronous and may refresh over the network)."""
        return await asyncio.to_thread(self.token)

    def sign_out(self) -> int:
        """Forget this Entra's session here and in its store (no network); 1 if there was one."""
        removed = self.store.forget()
        self._app = None
        return int(removed)


__all__ = [
    "DeviceCodePrompt",
    "EntraLocationError",
    "EntraSettings",
    "EntraSignIn",
    "SessionPlace",
    "SignInError",
    "msal_http_client",
]
