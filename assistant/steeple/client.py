"""The typed async client of the Steeple admin API.

One `httpx.AsyncClient` per `SteepleClient` (the app keeps one for its life). Every method returns a
contract model or raises `SteepleError` (never an httpx exception), so a screen only has to
show `message` and `fix`. Idempotent calls (GET/PUT/DELETE) are retried with backoff on network
trouble and 502/503/504; POST never is, as a repeated token creation is not harmless.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import ssl
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urlsplit
from urllib.request import getproxies_environment

import httpx
from pydantic import BaseModel, ValidationError

from assistant.steeple.contract import (
    API_PREFIX,
    ActivationPreview,
    ActivationResult,
    ApiError,
    CommunityList,
    CreatedToken,
    Credentials,
    DeactivationPreview,
    DeactivationResult,
    GroupMapping,
    GroupPage,
    InstallResult,
    IntegrationState,
    ProvisioningStatus,
    ReceivedGroup,
    ReceivedUserDetail,
    ReceivedUserPage,
    RemovalPreview,
    RemovalResult,
    RequestLogPage,
    SsoConfig,
    SsoConfigUpdate,
    TokenList,
    UserPage,
)
from assistant.steeple.errors import ErrorKind, SteepleError
from assistant.steeple.http_errors import error_for_exception, error_for_response

log = logging.getLogger(__name__)

ModelT = TypeVar("ModelT", bound=BaseModel)

INTEGRATION = "/integrations/azure-ad"
IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE", "HEAD"})
RETRYABLE_STATUSES = frozenset({502, 503, 504})
BACKOFF_BASE_SECONDS = 0.2
CONNECT_TIMEOUT_SECONDS = 5.0
"""A host that does not even accept the connection is reported after this long."""
READ_TIMEOUT_SECONDS = 8.0
"""How long a read waits for an answer. A timeout is not retried (a server that did not answer
will not answer a retry sooner), so a hung server is reported in under 10 s."""
WRITE_TIMEOUT_SECONDS = 60.0
"""How long a change waits for its answer: a large activation legitimately takes a while, and the
screen shows it running; a write is never cut short by the read budget."""
READ_METHODS = frozenset({"GET", "HEAD"})


def instance_url(url: str) -> str:
    """The instance's base URL: trailing slashes and a pasted admin-API prefix removed."""
    url = url.strip().rstrip("/")
    if url.endswith(API_PREFIX):
        url = url[: -len(API_PREFIX)]
    return url.rstrip("/")


class InsecureUrlError(ValueError):
    """The admin key would travel unencrypted: `http://` to a host that is not this machine.

    Carries `message` and `fix` like `SteepleError`, so screens and the CLI show it the same way;
    it is raised before any request, so nothing has been sent.
    """

    def __init__(self, url: str) -> None:
        self.host = urlsplit(url).hostname or url
        self.message, self.fix = self.text("en")
        super().__init__(self.message)

    def text(self, lang: str = "en") -> tuple[str, str]:
        """Message and fix in `lang`, like `SteepleError.text`."""
        from assistant.i18n.translate import t

        return t("error.insecure_http", lang, host=self.host), t("error.insecure_http.fix", lang)


def is_loopback_host(host: str) -> bool:
    """True for this machine: `localhost`, 127.0.0.0/8 and ::1 (what the sandbox listens on)."""
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def require_secure_url(url: str, *, allow_insecure_http: bool = False) -> None:
    """Refuse (`InsecureUrlError`) a plain-http URL for a non-loopback host, unless allowed.

    The admin key goes in every request's Authorization header; over http:// any hop between the
    admin and the instance can read it. Loopback stays allowed: the sandbox serves plain http on
    127.0.0.1, and traffic to this machine never leaves it.
    """
    parts = urlsplit(instance_url(url))
    if parts.scheme.lower() != "http" or allow_insecure_http:
        return
    if not is_loopback_host(parts.hostname or ""):
        raise InsecureUrlError(url)


def usable_key(api_key: str) -> bool:
    """Whether `api_key` can travel in an HTTP header: visible ASCII only (RFC 9110 field
    values), which every Steeple admin key is."""
    return api_key.isascii() and api_key.isprintable() and " " not in api_key


def tls_verification(url: str) -> ssl.SSLContext | bool:
    """How the client verifies TLS for `url`: httpx's default (`True`: certifi's CA bundle, or
    `SSL_CERT_FILE`/`SSL_CERT_DIR`) for https.

    For plain http (the loopback sandbox, or `--allow-insecure-http`) no TLS is ever negotiated —
    the client follows no redirect and every path is relative to the base URL — so loading the
    ~150 CA certificates (about 30 ms, a sixth of a hello-world Textual app's start) buys nothing.
    The context given instead loads none and still requires verification, so a TLS handshake
    that did happen would fail closed rather than trust anything. A proxy set in the environment
    for http (which httpx honours, and which may itself speak https) keeps httpx's default.
    """
    if urlsplit(url).scheme.lower() == "https":
        return True
    proxies = getproxies_environment()
    if proxies.get("http") or proxies.get("all"):
        return True
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED, check_hostname, no CA


class SteepleClient:
    """Talks to one Steeple instance's admin API with one admin key."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = READ_TIMEOUT_SECONDS,
        retries: int = 2,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._base_url = instance_url(base_url)
        self._secret = api_key
        self._retries = max(0, retries)
        self._write_timeout = httpx.Timeout(
            max(timeout, WRITE_TIMEOUT_SECONDS), connect=min(timeout, CONNECT_TIMEOUT_SECONDS)
        )
        # A key with a character no header may carry (a pasted "…", an accent, a control
        # character) would make httpx raise UnicodeEncodeError, a traceback: it is never put in a
        # header, and every request says so instead (`_send`).
        self._key_usable = usable_key(api_key)
        headers = {"Accept": "application/json"}
        if self._key_usable:
            headers["Authorization"] = f"Bearer {api_key}"
        self._http = httpx.AsyncClient(
            base_url=self._base_url + API_PREFIX,
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT_SECONDS)),
            transport=transport,
            follow_redirects=False,
            verify=tls_verification(self._base_url),
        )

    def __repr__(self) -> str:  # never the key
        return f"SteepleClient({self._base_url!r})"

    @property
    def base_url(self) -> str:
        """The instance URL, without the admin-API prefix (what the person typed)."""
        return self._base_url

    async def __aenter__(self) -> SteepleClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- plumbing -------------------------------------------------------------------------------

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: BaseModel | None = None,
    ) -> httpx.Response:
        """Send one request, retrying idempotent ones; return a 2xx response or raise."""
        if not self._key_usable:
            raise SteepleError.from_catalogue(ErrorKind.UNAUTHORIZED, "error.key_unusable")
        attempts = 1 + (self._retries if method in IDEMPOTENT_METHODS else 0)
        clean_params = {k: v for k, v in (params or {}).items() if v is not None}
        content = body.model_dump_json().encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if content is not None else None
        timeout = self._http.timeout if method in READ_METHODS else self._write_timeout
        last_error: SteepleError | None = None
        for attempt in range(attempts):
            if attempt:
                await asyncio.sleep(BACKOFF_BASE_SECONDS * 2 ** (attempt - 1))
            try:
                response = await self._http.request(
                    method,
                    path,
                    params=clean_params,
                    content=content,
                    headers=headers,
                    timeout=timeout,
                )
            except httpx.HTTPError as exc:
                last_error = error_for_exception(exc, self._base_url)
                log.debug("%s %s failed: %s", method, path, last_error.kind)
                if last_error.kind in {ErrorKind.TLS, ErrorKind.INVALID, ErrorKind.TIMEOUT}:
                    break
                continue
            if response.is_success:
                return response
            last_error = error_for_response(response, self._base_url, self._secret)
            log.debug("%s %s answered %s", method, path, response.status_code)
            if response.status_code not in RETRYABLE_STATUSES:
                break
        assert last_error is not None
        raise last_error

    async def _call(
        self,
        method: str,
        path: str,
        model: type[ModelT],
        *,
        params: dict[str, Any] | None = None,
        body: BaseModel | None = None,
    ) -> ModelT:
        response = await self._send(method, path, params=params, body=body)
        try:
            return model.model_validate_json(response.content)
        except ValidationError:
            raise SteepleError(
                ErrorKind.MALFORMED,
                f"{self._base_url} answered something that is not a Steeple admin API response.",
                "Check that the URL is your Steeple instance (not a proxy or login page) and "
                "that the assistant is up to date.",
                status=response.status_code,
            ) from None

    # --- SSO ------------------------------------------------------------------------------------

    async def get_sso(self) -> SsoConfig:
        return await self._call("GET", "/sso", SsoConfig)

    async def configure_sso(self, update: SsoConfigUpdate) -> SsoConfig:
        return await self._call("PUT", "/sso", SsoConfig, body=update)

    # --- integration lifecycle -----------------------------------------------------------------

    async def get_integration(self) -> IntegrationState:
        return await self._call("GET", INTEGRATION, IntegrationState)

    async def install_integration(self) -> InstallResult:
        return await self._call("POST", INTEGRATION, InstallResult)

    async def remove_integration(self) -> RemovalResult:
        return await self._call("DELETE", INTEGRATION, RemovalResult)

    async def get_credentials(self) -> Credentials:
        return await self._call("GET", f"{INTEGRATION}/credentials", Credentials)

    async def list_tokens(self) -> TokenList:
        return await self._call("GET", f"{INTEGRATION}/tokens", TokenList)

    async def create_token(self) -> CreatedToken:
        """The only call whose answer carries a SCIM secret: callers must not log or store it."""
        return await self._call("POST", f"{INTEGRATION}/tokens", CreatedToken)

    async def revoke_token(self, token_id: str) -> None:
        await self._send("DELETE", f"{INTEGRATION}/tokens/{_segment(token_id)}")

    # --- provisioning traffic ------------------------------------------------------------------

    async def get_provisioning(self) -> ProvisioningStatus:
        return await self._call("GET", f"{INTEGRATION}/provisioning", ProvisioningStatus)

    async def list_requests(self, after: str | None = None, limit: int = 50) -> RequestLogPage:
        params = {"after": after, "limit": limit}
        return await self._call("GET", f"{INTEGRATION}/requests", RequestLogPage, params=params)

    # --- groups, mappings, received users -------------------------------------------------------

    async def list_groups(
        self, query: str = "", cursor: str | None = None, limit: int = 100
    ) -> GroupPage:
        params = {"query": query or None, "cursor": cursor, "limit": limit}
        return await self._call("GET", f"{INTEGRATION}/groups", GroupPage, params=params)

    async def set_mapping(self, group_id: str, mapping: GroupMapping) -> ReceivedGroup:
        path = f"{INTEGRATION}/groups/{_segment(group_id)}/mapping"
        return await self._call("PUT", path, ReceivedGroup, body=mapping)

    async def delete_mapping(self, group_id: str) -> None:
        await self._send("DELETE", f"{INTEGRATION}/groups/{_segment(group_id)}/mapping")

    async def list_scim_users(
        self, query: str = "", cursor: str | None = None, limit: int = 100
    ) -> ReceivedUserPage:
        params = {"query": query or None, "cursor": cursor, "limit": limit}
        return await self._call("GET", f"{INTEGRATION}/scim-users", ReceivedUserPage, params=params)

    async def get_scim_user(self, scim_user_id: str) -> ReceivedUserDetail:
        """One received person with their groups, mappings and account (why not in Steeple?)."""
        path = f"{INTEGRATION}/scim-users/{_segment(scim_user_id)}"
        return await self._call("GET", path, ReceivedUserDetail)

    # --- Steeple directory ----------------------------------------------------------------------

    async def list_communities(self) -> CommunityList:
        return await self._call("GET", "/communities", CommunityList)

    async def list_users(
        self,
        query: str = "",
        cursor: str | None = None,
        limit: int = 100,
        include_removed: bool = False,
    ) -> UserPage:
        params: dict[str, Any] = {"query": query or None, "cursor": cursor, "limit": limit}
        if include_removed:
            params["include_removed"] = "true"
        return await self._call("GET", "/users", UserPage, params=params)

    # --- activation -----------------------------------------------------------------------------

    async def activation_preview(self) -> ActivationPreview:
        return await self._call("GET", f"{INTEGRATION}/activation-preview", ActivationPreview)

    async def activate(self) -> ActivationResult:
        return await self._call("POST", f"{INTEGRATION}/activate", ActivationResult)

    async def deactivation_preview(self) -> DeactivationPreview:
        return await self._call("GET", f"{INTEGRATION}/deactivation-preview", DeactivationPreview)

    async def deactivate(self) -> DeactivationResult:
        return await self._call("POST", f"{INTEGRATION}/deactivate", DeactivationResult)

    async def removal_preview(self) -> RemovalPreview:
        return await self._call("GET", f"{INTEGRATION}/removal-preview", RemovalPreview)


def _segment(value: str) -> str:
    """Quote an id for use as one path segment, so an odd id cannot change the route."""
    from urllib.parse import quote

    return quote(value, safe="")


__all__ = ["ApiError", "SteepleClient", "SteepleError", "instance_url"]
