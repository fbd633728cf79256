"""Where Entra is — authority, Graph URL, client id, extra CA, token cache — and where a token
may go.

A token goes only to the Microsoft Graph of the cloud that issued it: Microsoft's public cloud,
US Government or China (https://learn.microsoft.com/graph/deployments). A sign-in service of
one's own (the sandbox's login emulator) must serve Graph on its own host and name the CA that
signed its certificate. `check()` enforces that before any token is read, so a stale
`STEEPLE_GRAPH_URL` left from a sandbox session, or a hostile one, never receives the session.
"""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from assistant.entra.graph_client import DEFAULT_GRAPH_URL
from assistant.entra.signin_errors import SignInError
from assistant.exit_codes import EXIT_USAGE
from assistant.i18n.translate import t
from assistant.text.safe import terminal_safe

DEFAULT_AUTHORITY = "https://login.microsoftonline.com/organizations"
DEFAULT_CLIENT_ID = "14d82eec-204b-4c2f-b7e8-296a70dab67e"
"""Microsoft Graph Command Line Tools, a Microsoft public client most tenants already allow;
set `STEEPLE_ENTRA_CLIENT_ID` to your own app registration (public client, with the loopback
redirect `http://localhost` for the browser flow)."""
GRAPH_SCOPE_PREFIX = "https://graph.microsoft.com/"
DELEGATED_PERMISSIONS = (
    "Application.ReadWrite.All",
    "AppRoleAssignment.ReadWrite.All",
    "Synchronization.ReadWrite.All",
    "AuditLog.Read.All",
    "User.Read.All",
    "GroupMember.Read.All",
)
"""Why each is needed is in docs/entra.md; nothing broader is asked."""

ENV_AUTHORITY = "STEEPLE_ENTRA_AUTHORITY"
ENV_GRAPH_URL = "STEEPLE_GRAPH_URL"
ENV_CLIENT_ID = "STEEPLE_ENTRA_CLIENT_ID"
ENV_CA_BUNDLE = "STEEPLE_ENTRA_CA_BUNDLE"
ENV_TOKEN_CACHE = "STEEPLE_ENTRA_TOKEN_CACHE"


@dataclass(frozen=True)
class Cloud:
    """One of Microsoft's clouds: the hosts that sign in, the Graph hosts its tokens are for."""

    name: str
    login_hosts: frozenset[str]
    graph_hosts: frozenset[str]
    default_graph_url: str


CLOUDS = (
    Cloud(
        "public",
        frozenset(
            {
                "login.microsoftonline.com",
                "login.microsoft.com",
                "login.windows.net",
                "sts.windows.net",
            }
        ),
        frozenset({"graph.microsoft.com"}),
        "https://graph.microsoft.com/v1.0",
    ),
    Cloud(
        "usgov",
        frozenset(
            {"login.microsoftonline.us", "login.usgovcloudapi.net", "login-us.microsoftonline.com"}
        ),
        frozenset({"graph.microsoft.us", "dod-graph.microsoft.us"}),  # L4 (GCC High), L5 (DoD)
        "https://graph.microsoft.us/v1.0",
    ),
    Cloud(
        "china",
        frozenset({"login.chinacloudapi.cn", "login.partner.microsoftonline.cn"}),
        frozenset({"microsoftgraph.chinacloudapi.cn"}),
        "https://microsoftgraph.chinacloudapi.cn/v1.0",
    ),
)
OTHER_MICROSOFT_LOGIN_HOSTS = frozenset(
    {
        "login.microsoftonline.de",  # Azure Germany, closed in 2021
        "login.sovcloud-identity.fr",
        "login.sovcloud-identity.de",
        "login.sovcloud-identity.sg",
    }
)
"""Hosts MSAL knows as Microsoft's whose Graph this assistant does not know: refused."""

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def cloud_of(login_host: str) -> Cloud | None:
    host = login_host.lower()
    return next((cloud for cloud in CLOUDS if host in cloud.login_hosts), None)


def is_microsoft_login(host: str) -> bool:
    return cloud_of(host) is not None or host.lower() in OTHER_MICROSOFT_LOGIN_HOSTS


def origin(url: str) -> str:
    """`scheme://host[:port]`, lower-cased: what a token is bound to."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def shown_to_a_person(url: str) -> bool:
    """Whether an address from the identity provider may be shown, copied or opened: https, or
    http to this machine only (the sandbox's emulator, MSAL's loopback redirect)."""
    parts = urlsplit(url)
    if not parts.hostname or any(c in url for c in "\r\n\t"):
        return False
    scheme = parts.scheme.lower()
    return scheme == "https" or (scheme == "http" and parts.hostname.lower() in LOOPBACK_HOSTS)


class EntraLocationError(SignInError):
    """The Entra options point a token somewhere it must not go, or at a file that is not
    there: a usage problem (exit 2), raised before any token is read or request sent."""

    def __init__(self, sentence: str, fix: str) -> None:
        super().__init__(sentence, fix, code="location", exit_code=EXIT_USAGE)


@dataclass(frozen=True)
class EntraSettings:
    authority: str = DEFAULT_AUTHORITY
    graph_url: str = DEFAULT_GRAPH_URL
    client_id: str = DEFAULT_CLIENT_ID
    ca_bundle: str | None = None
    """A PEM file of an extra CA to trust for a sign-in service of one's own (the sandbox's
    throwaway CA): added to the system's CAs, for that host only."""
    token_cache: str | None = None
    """A file to keep the session in, on a machine without an OS secret store (created 0600)."""

    @classmethod
    def from_env(cls, **overrides: str | None) -> EntraSettings:
        """Options first, then the environment, then Microsoft's public cloud; a Microsoft
        authority without a Graph URL gets its own cloud's Graph. Not checked here: `check()`
        says whether a token may go there."""
        given = {k: v for k, v in overrides.items() if v}

        def pick(field: str, env: str, default: str | None) -> str | None:
            return given.get(field) or os.environ.get(env) or default

        authority = pick("authority", ENV_AUTHORITY, DEFAULT_AUTHORITY) or DEFAULT_AUTHORITY
        cloud = cloud_of(urlsplit(authority).hostname or "")
        default_graph = cloud.default_graph_url if cloud is not None else DEFAULT_GRAPH_URL
        return cls(
            authority=authority,
            graph_url=pick("graph_url", ENV_GRAPH_URL, default_graph) or default_graph,
            client_id=pick("client_id", ENV_CLIENT_ID, DEFAULT_CLIENT_ID) or DEFAULT_CLIENT_ID,
            ca_bundle=pick("ca_bundle", ENV_CA_BUNDLE, None),
            token_cache=pick("token_cache", ENV_TOKEN_CACHE, None),
        )

    @property
    def cloud(self) -> Cloud | None:
        """Microsoft's cloud the authority belongs to; None for a sign-in service of one's own."""
        return cloud_of(urlsplit(self.authority).hostname or "")

    @property
    def graph_origin(self) -> str:
        return origin(self.graph_url)

    @property
    def session_key(self) -> str:
        """What a stored session is filed under: a session signed in for one Graph is never
        handed to another, nor to another authority or client."""
        authority = self.authority.rstrip("/").lower()
        return f"{self.client_id} {authority} {self.graph_origin}"

    @property
    def scopes(self) -> list[str]:
        """The delegated permissions, on the Graph resource of the authority's cloud."""
        prefix = GRAPH_SCOPE_PREFIX
        if self.cloud is not None:
            prefix = self.graph_origin + "/"
        return [prefix + p for p in DELEGATED_PERMISSIONS]

    def check(self, lang: str = "en") -> None:
        """Raise `EntraLocationError` unless a token of this authority may go to this Graph URL
        (and the CA file, if any, is a readable PEM certificate)."""
        problem = self.problem(lang)
        if problem is not None:
            raise EntraLocationError(*problem)

    def problem(self, lang: str = "en") -> tuple[str, str] | None:
        """(sentence, fix) of what is wrong with these settings, or None."""
        for name, url in (("authority", self.authority), ("graph", self.graph_url)):
            parts = urlsplit(url)
            if parts.scheme.lower() != "https" or not parts.hostname:
                return (
                    t(f"entra.location.https.{name}", lang, url=terminal_safe(url)),
                    t("entra.location.https.fix", lang),
                )
        login = (urlsplit(self.authority).hostname or "").lower()
        graph = urlsplit(self.graph_url)
        values = {
            "authority": terminal_safe(self.authority),
            "graph": terminal_safe(self.graph_url),
        }
        cloud = cloud_of(login)
        if cloud is not None:
            if (graph.hostname or "").lower() not in cloud.graph_hosts or graph.port not in (
                None,
                443,
            ):
                return (
                    t(f"entra.location.graph_outside.{cloud.name}", lang, **values),
                    t("entra.location.graph_outside.fix", lang, default=cloud.default_graph_url),
                )
            if self.ca_bundle:
                return (
                    t("entra.location.ca_for_microsoft", lang, **values),
                    t("entra.location.ca_for_microsoft.fix", lang),
                )
            return None
        if login in OTHER_MICROSOFT_LOGIN_HOSTS:
            return (
                t("entra.location.unknown_cloud", lang, **values),
                t("entra.location.unknown_cloud.fix", lang),
            )
        if origin(self.graph_url) != origin(self.authority):
            return (
                t("entra.location.own_graph_elsewhere", lang, **values),
                t("entra.location.own_graph_elsewhere.fix", lang),
            )
        if not self.ca_bundle:
            return (
                t("entra.location.own_needs_ca", lang, **values),
                t("entra.location.own_needs_ca.fix", lang),
            )
        return self._ca_problem(lang)

    def _ca_problem(self, lang: str) -> tuple[str, str] | None:
        path = terminal_safe(str(self.ca_bundle))
        try:
            self.extra_ca_context()
        except FileNotFoundError:
            return (
                t("entra.location.ca_missing", lang, path=path),
                t("entra.location.ca_missing.fix", lang),
            )
        except (OSError, ssl.SSLError, ValueError):
            return (
                t("entra.location.ca_unreadable", lang, path=path),
                t("entra.location.ca_missing.fix", lang),
            )
        return None

    def extra_ca_context(self) -> ssl.SSLContext:
        """The system's trusted CAs plus `ca_bundle` (raises if the file is missing or not PEM)."""
        context = ssl.create_default_context()
        if self.ca_bundle:
            if os.path.isdir(self.ca_bundle):
                raise ValueError("a directory, not a PEM file")
            context.load_verify_locations(cafile=self.ca_bundle)
        return context

    def ssl_context(self) -> ssl.SSLContext | bool:
        """For httpx, which talks to `graph_url` only: the system's trust, plus `ca_bundle` (the
        Graph URL of a sign-in service of one's own is on that service's host)."""
        if not self.ca_bundle:
            return True
        return self.extra_ca_context()


__all__ = [
    "CLOUDS",
    "DEFAULT_AUTHORITY",
    "DEFAULT_CLIENT_ID",
    "DEFAULT_GRAPH_URL",
    "DELEGATED_PERMISSIONS",
    "ENV_AUTHORITY",
    "ENV_CA_BUNDLE",
    "ENV_CLIENT_ID",
    "ENV_GRAPH_URL",
    "ENV_TOKEN_CACHE",
    "Cloud",
    "EntraLocationError",
    "EntraSettings",
    "cloud_of",
    "is_microsoft_login",
    "origin",
    "shown_to_a_person",
]
