"""Sign-in to Microsoft Entra with MSAL's device-code flow, the token cache in the OS keyring.

Device code works over SSH and on a shared screen during a support call: the admin opens the
verification page anywhere and types the code. The MSAL cache (refresh token included) lives only
in the OS keyring — never in a file; without a usable keyring it lives in memory for this run.
Where MSAL talks (authority, client id, a CA to trust for the sandbox's emulator) comes from
`EntraSettings`, itself from options or the environment.
"""

from __future__ import annotations

import asyncio
import logging
import os
import ssl
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import msal  # type: ignore[import-untyped]  # no stubs, no py.typed
import requests
from requests.adapters import HTTPAdapter

from assistant.entra.graph_client import DEFAULT_GRAPH_URL
from assistant.safe_text import terminal_safe
from assistant.settings import KEYRING_SERVICE, keyring_available

log = logging.getLogger(__name__)

DEFAULT_AUTHORITY = "https://login.microsoftonline.com/organizations"
DEFAULT_CLIENT_ID = "14d82eec-204b-4c2f-b7e8-296a70dab67e"
"""Microsoft Graph Command Line Tools, a Microsoft public client most tenants already allow;
set `STEEPLE_ENTRA_CLIENT_ID` to your own app registration (public client, device code on)."""
GRAPH_SCOPE_PREFIX = "https://graph.microsoft.com/"
DELEGATED_PERMISSIONS = (
    "Application.ReadWrite.All",
    "AppRoleAssignment.ReadWrite.All",
    "Synchronization.ReadWrite.All",
    "AuditLog.Read.All",
    "User.Read.All",
    "GroupMember.Read.All",
)
"""Why each is needed is in the README ("Signing in to Entra"); nothing broader is asked."""
MICROSOFT_HOSTS = frozenset(
    {"login.microsoftonline.com", "login.microsoftonline.us", "login.partner.microsoftonline.cn"}
)

ENV_AUTHORITY = "STEEPLE_ENTRA_AUTHORITY"
ENV_GRAPH_URL = "STEEPLE_GRAPH_URL"
ENV_CLIENT_ID = "STEEPLE_ENTRA_CLIENT_ID"
ENV_CA_BUNDLE = "STEEPLE_ENTRA_CA_BUNDLE"


@dataclass(frozen=True)
class EntraSettings:
    authority: str = DEFAULT_AUTHORITY
    graph_url: str = DEFAULT_GRAPH_URL
    client_id: str = DEFAULT_CLIENT_ID
    ca_bundle: str | None = None
    """A PEM file of an extra CA to trust (the sandbox's throwaway CA), for MSAL and Graph."""

    @classmethod
    def from_env(cls, **overrides: str | None) -> EntraSettings:
        given = {k: v for k, v in overrides.items() if v}
        return cls(
            authority=given.get("authority") or os.environ.get(ENV_AUTHORITY) or DEFAULT_AUTHORITY,
            graph_url=given.get("graph_url") or os.environ.get(ENV_GRAPH_URL) or DEFAULT_GRAPH_URL,
            client_id=given.get("client_id") or os.environ.get(ENV_CLIENT_ID) or DEFAULT_CLIENT_ID,
            ca_bundle=given.get("ca_bundle") or os.environ.get(ENV_CA_BUNDLE) or None,
        )

    def ssl_context(self) -> ssl.SSLContext | bool:
        """For httpx: the system's trust, plus `ca_bundle` when one is given."""
        if not self.ca_bundle:
            return True
        context = ssl.create_default_context()
        context.load_verify_locations(cafile=self.ca_bundle)
        return context

    @property
    def scopes(self) -> list[str]:
        return [GRAPH_SCOPE_PREFIX + p for p in DELEGATED_PERMISSIONS]


class SignInError(Exception):
    """Sign-in failed: a sentence and a fix, with the identity provider's code kept as data."""

    def __init__(self, sentence: str, fix: str, code: str = "") -> None:
        super().__init__(sentence)
        self.sentence = sentence
        self.fix = fix
        self.code = code


@dataclass(frozen=True)
class DeviceCodePrompt:
    """What to show the admin: the page to open and the code to type (terminal-safe)."""

    verification_uri: str
    user_code: str
    message: str


class _TrustingAdapter(HTTPAdapter):
    """Verify against the given CA even when REQUESTS_CA_BUNDLE is set (requests lets the
    environment override `Session.verify`)."""

    def __init__(self, ca_bundle: str) -> None:
        super().__init__()
        self.ca_bundle = ca_bundle

    def send(  # type: ignore[override]  # requests' own signature, forwarded whole
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        kwargs["verify"] = self.ca_bundle
        return super().send(request, **kwargs)


class KeyringTokenCache(msal.SerializableTokenCache):  # type: ignore[misc]
    """MSAL's cache, serialised into one keyring entry per client id and authority host.

    `persistent=False` keeps it in memory only and never touches the keyring: the throwaway
    sandbox's session must not land in (or overwrite) the admin's real keyring entries.
    """

    def __init__(self, settings: EntraSettings, *, persistent: bool = True) -> None:
        super().__init__()
        self.account = (
            f"entra-token-cache:{settings.client_id}@{urlsplit(settings.authority).netloc}"
        )
        self.persistent = persistent and keyring_available()
        if self.persistent:
            try:
                import keyring

                blob = keyring.get_password(KEYRING_SERVICE, self.account)
            except Exception:
                log.warning("could not read the Entra sign-in from the keyring")
                blob = None
            if blob:
                self.deserialize(blob)

    def save(self) -> None:
        changed: bool = getattr(self, "has_state_changed", False)  # set by MSAL
        if not (self.persistent and changed):
            return
        try:
            import keyring

            keyring.set_password(KEYRING_SERVICE, self.account, self.serialize())
            self.has_state_changed = False
        except Exception:
            log.warning("could not store the Entra sign-in in the keyring; it lasts this run only")

    def forget(self) -> None:
        if not self.persistent:
            return
        try:
            import keyring

            keyring.delete_password(KEYRING_SERVICE, self.account)
        except Exception:
            log.info("no Entra sign-in was stored in the keyring")


class EntraSignIn:
    """Device-code sign-in, silent token refresh and sign-out for one `EntraSettings`."""

    def __init__(self, settings: EntraSettings, *, persistent: bool = True) -> None:
        self.settings = settings
        self.persistent = persistent
        """False: the session lives in memory for this run only (the sandbox's)."""
        self.cache = KeyringTokenCache(settings, persistent=persistent)
        self._app: msal.PublicClientApplication | None = None
        self._token_lock = threading.Lock()
        """One silent acquisition at a time: Graph calls run concurrently (member counts four at
        a time), and parallel refreshes race on the cache and the single-use refresh token."""

    @property
    def app(self) -> msal.PublicClientApplication:
        """Built on first use: MSAL fetches the OIDC configuration as it is constructed."""
        if self._app is None:
            session = requests.Session()
            if self.settings.ca_bundle:
                session.mount("https://", _TrustingAdapter(self.settings.ca_bundle))
            # A host Microsoft does not know (the sandbox's login emulator, a sovereign test
            # cloud) is trusted as given: with a discovery URL, MSAL would still ask
            # login.microsoftonline.com for its aliases when listing accounts.
            known = urlsplit(self.settings.authority).hostname in MICROSOFT_HOSTS
            try:
                self._app = msal.PublicClientApplication(
                    self.settings.client_id,
                    authority=self.settings.authority,
                    token_cache=self.cache,
                    http_client=session,
                    instance_discovery=None if known else False,
                )
            except (ValueError, requests.RequestException) as exc:
                raise SignInError(
                    f"Could not reach the Entra sign-in service at {self.settings.authority}"
                    f" ({type(exc).__name__}).",
                    f"Check the authority (--entra-authority / ${ENV_AUTHORITY}) and the network.",
                ) from None
        return self._app

    def start(self) -> tuple[DeviceCodePrompt, dict[str, Any]]:
        flow = self.app.initiate_device_flow(scopes=self.settings.scopes)
        if "user_code" not in flow:
            raise SignInError(
                "Entra did not start a device-code sign-in.",
                "Check that the client id is a public client with device code flow enabled "
                f"(${ENV_CLIENT_ID}).",
                code=str(flow.get("error", "")),
            )
        prompt = DeviceCodePrompt(
            verification_uri=terminal_safe(str(flow.get("verification_uri", ""))),
            user_code=terminal_safe(str(flow["user_code"])),
            message=terminal_safe(str(flow.get("message", ""))),
        )
        return prompt, flow

    def finish(self, flow: dict[str, Any]) -> str:
        """Block until the admin approved (or the code expired); the signed-in username."""
        result = self.app.acquire_token_by_device_flow(flow)
        self.cache.save()
        if "access_token" not in result:
            code = str(result.get("error", ""))
            raise SignInError(
                "The sign-in was not completed"
                + (" (the code expired)." if code == "expired_token" else "."),
                "Run `steeple-assistant entra signin` again and enter the code within 15 minutes.",
                code=code,
            )
        claims = result.get("id_token_claims") or {}
        return terminal_safe(str(claims.get("preferred_username", "")))

    def _has_account(self) -> bool:
        """Whether anything is cached, read without MSAL's network set-up (works offline)."""
        return bool(list(self.cache.search(msal.TokenCache.CredentialType.ACCOUNT)))

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
        result = self.app.acquire_token_silent(self.settings.scopes, account=accounts[0])
        self.cache.save()
        if not result or "access_token" not in result:
            return None
        token: str = result["access_token"]
        return token

    async def atoken(self) -> str | None:
        """`token()` off the event loop (MSAL is synchronous and may refresh over the network)."""
        return await asyncio.to_thread(self.token)

    def sign_out(self) -> int:
        """Forget every account here and in the keyring (no network); how many were removed."""
        removed = len(list(self.cache.search(msal.TokenCache.CredentialType.ACCOUNT)))
        self.cache.forget()
        # empty now: its keyring entry is gone
        self.cache = KeyringTokenCache(self.settings, persistent=self.persistent)
        self._app = None
        return removed
