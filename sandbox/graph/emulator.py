"""The emulators' shared state: issued device codes and tokens, service principals, throttling.

One `GraphEmulator` wraps the sandbox's hosted `EntraHost` (tenant + provisioning job): the Graph
resources are views of that job (Graph is its only door), so what a cycle does shows in Graph
at once. Everything runs on the sandbox server's loop (see `mount.py`).

Held to Microsoft's documentation, not to our client: an app made from the non-gallery template
declares the roles `User` and `msiam_access` (the instantiate examples) and is not visible at
once (Microsoft: "Allow some time for the app to be provisioned … It is not instant"): for
`replication_delay` seconds after instantiate it answers 404 everywhere, as a real tenant may.
`licence` is the tenant's tier: on "free" (no Entra ID P1/P2) group assignment and the
provisioning logs are refused as Graph refuses them. Choices of ours where Microsoft documents
nothing are marked "ours" here and in the fidelity tables of docs/sandbox.md.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sandbox.entra.host import EntraHost
from sandbox.graph.login_state import LoginState

GRAPH_RESOURCE = "https://graph.microsoft.com/"
NON_GALLERY_TEMPLATE_ID = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621"
"""Microsoft's id of the "non-gallery application" template (applicationTemplate: instantiate)."""
SCIM_TEMPLATE_ID = "scim"
"""The synchronization template (factoryTag) of a non-gallery SCIM app."""
DEFAULT_ROLE_ID = "00000000-0000-0000-0000-000000000000"
"""The default access role: only for a resource that declares no app roles (appRoleAssignment)."""
USER_APP_ROLE_ID = DEFAULT_ROLE_ID
"""Kept for callers that meant "the role to assign"; the app's `User` role is `user_role_id`."""
APP_ROLES = ("User", "msiam_access")
"""The roles a non-gallery app declares (Microsoft's instantiate examples and tutorial)."""
ROLE_NAMESPACE = uuid.UUID("5d6c1b1e-6f2e-4f0a-9a6e-2f3d6e4b1c11")
"""Ours: role and rule ids derived from the app's or job's id, so a run is repeatable."""
Licence = Literal["free", "p1"]
ON_DEMAND_LIMIT = (5, 10.0)
"""provisionOnDemand: "The rate limit for this API is 5 requests per 10 seconds"."""

ALL_SCOPES = frozenset(
    {
        "Application.Read.All",
        "Application.ReadWrite.All",
        "AppRoleAssignment.ReadWrite.All",
        "Synchronization.Read.All",
        "Synchronization.ReadWrite.All",
        "AuditLog.Read.All",
        "User.Read.All",
        "GroupMember.Read.All",
        "Group.Read.All",
    }
)
OIDC_SCOPES = frozenset({"openid", "profile", "offline_access", "email"})


@dataclass
class DeviceCode:
    device_code: str
    user_code: str
    client_id: str
    scopes: frozenset[str]
    expires_at: float
    declined: bool = False
    approved: bool = False
    """Set only when its user code is entered on `/devicelogin` (sandbox/graph/login.py)."""


@dataclass
class IssuedToken:
    client_id: str
    scopes: frozenset[str]
    expires_at: float
    object_id: str


@dataclass
class ServicePrincipal:
    id: str
    app_id: str
    display_name: str
    application_object_id: str
    job_id: str | None = None
    service_principal_names: list[str] = field(default_factory=list)
    reply_urls: list[str] = field(default_factory=list)
    preferred_single_sign_on_mode: str | None = None
    assignment_ids: dict[str, str] = field(default_factory=dict)
    """appRoleAssignment id → principal objectId (a group, or a user assigned directly)."""
    assignment_roles: dict[str, str] = field(default_factory=dict)
    """appRoleAssignment id → appRoleId it was made with."""
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    visible_at: float = 0.0
    """Monotonic time from which Graph answers for it (replication after instantiate)."""

    def role_id(self, name: str) -> str:
        return str(uuid.uuid5(ROLE_NAMESPACE, f"{self.id}/{name}"))

    @property
    def user_role_id(self) -> str:
        return self.role_id("User")

    def app_roles(self) -> list[dict[str, Any]]:
        """As the instantiate examples show them: allowed for users (and groups), enabled."""
        return [
            {
                "allowedMemberTypes": ["User"],
                "description": name,
                "displayName": name,
                "id": self.role_id(name),
                "isEnabled": True,
                "origin": "Application",
                "value": None,
            }
            for name in APP_ROLES
        ]

    def to_graph(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "appId": self.app_id,
            "displayName": self.display_name,
            "servicePrincipalType": "Application",
            "accountEnabled": True,
            "appRoleAssignmentRequired": True,
            "appRoles": self.app_roles(),
            "servicePrincipalNames": [self.app_id, *self.service_principal_names],
            "replyUrls": list(self.reply_urls),
            "preferredSingleSignOnMode": self.preferred_single_sign_on_mode,
            "tags": [
                "WindowsAzureActiveDirectoryIntegratedApp",
                "WindowsAzureActiveDirectoryCustomSingleSignOnApplication",
            ],
            "applicationTemplateId": NON_GALLERY_TEMPLATE_ID,
        }


@dataclass(frozen=True)
class SsoApp:
    """Tenant configuration: the enterprise app an admin made for Steeple's single sign-on.

    SAML set-up in the admin center leaves the entity id in `servicePrincipalNames` and the ACS in
    `replyUrls`; the assistant finds Steeple's app in Entra by those identifiers. The emulator is
    told them by whoever composes the sandbox (`sandbox/app.py`); it never reads Steeple's side.
    """

    mode: str | None
    """`preferredSingleSignOnMode`: "saml" or "oidc"."""
    entity_id: str | None = None
    reply_url: str | None = None

    @property
    def identifiers(self) -> set[str]:
        return {value for value in (self.entity_id, self.reply_url) if value}


class GraphEmulator:
    """What both emulators remember; tests reach it as `server.app.state.graph`.

    A device code is approved only when its user code is entered on `/devicelogin`, as on
    Microsoft's page; `login` holds the browser flow's codes and the tenant's sign-in policies
    (sandbox/graph/login_state.py); `consented` are the delegated permissions an admin
    consented to (drop one to see Graph's 403); `throttle(n, retry_after)` makes the next n
    Graph requests 429.
    """

    def __init__(
        self,
        host: EntraHost,
        *,
        replication_delay: float = 0.0,
        licence: Licence = "p1",
        page_size: int = 100,
        poll_interval: int = 1,
    ) -> None:
        self.host = host
        self.replication_delay = replication_delay
        """Seconds a new app stays invisible to Graph after instantiate (ours: the length)."""
        self.licence = licence
        self.clock: Callable[[], float] = time.monotonic
        """What "now" is for replication and on-demand pacing (tests may wind it on)."""
        self._on_demand_sent: deque[float] = deque()
        self.log_items: list[dict[str, Any]] = []
        """The provisioning log, oldest first, as Graph's provisioningObjectSummary objects."""
        self._logged_reports = 0
        self.tenant_id = str(uuid.uuid5(uuid.NAMESPACE_DNS, host.tenant.domain))
        self.page_size = page_size
        self.poll_interval = poll_interval
        self.consented: frozenset[str] = ALL_SCOPES
        self.declining = False
        """The simulated admin declines every new code (AADSTS70016 `authorization_declined`)."""
        self.device_codes: dict[str, DeviceCode] = {}
        self.login = LoginState()
        self.tokens: dict[str, IssuedToken] = {}
        self.refresh_tokens: dict[str, IssuedToken] = {}
        self.service_principals: dict[str, ServicePrincipal] = {}
        self.graph_requests = 0
        self._throttle_left = 0
        self._throttle_retry_after = 1
        self._throttle_status = 429
        self.signed_in_user = next(iter(host.tenant.users.values()), None)

    # --- control (tests and demos) -------------------------------------------------------------

    def throttle(self, requests: int, retry_after: int = 1, status: int = 429) -> None:
        """The next `requests` Graph calls answer `status` (429, or 503 as Graph also sends)."""
        self._throttle_left = requests
        self._throttle_retry_after = retry_after
        self._throttle_status = status

    def take_throttle(self) -> tuple[int, int] | None:
        """(status, Retry-After seconds) if this request is throttled, else None."""
        if self._throttle_left <= 0:
            return None
        self._throttle_left -= 1
        return self._throttle_status, self._throttle_retry_after

    # --- login ---------------------------------------------------------------------------------

    def issue_device_code(self, client_id: str, scopes: frozenset[str]) -> DeviceCode:
        now = time.monotonic()
        code = DeviceCode(
            device_code=secrets.token_urlsafe(32),
            user_code="".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(9)),
            client_id=client_id,
            scopes=scopes,
            expires_at=now + self.login.device_code_lifetime,
            declined=self.declining,
        )
        self.device_codes[code.device_code] = code
        return code

    def grant(self, client_id: str, requested: frozenset[str]) -> tuple[str, str, IssuedToken]:
        """(access token, refresh token, record): Graph scopes requested ∩ consented."""
        oid = self.signed_in_user.object_id if self.signed_in_user else str(uuid.uuid4())
        issued = IssuedToken(
            client_id=client_id,
            scopes=frozenset(requested & self.consented),
            expires_at=time.monotonic() + 3600,
            object_id=oid,
        )
        access, refresh = (
            "emu-at-" + secrets.token_urlsafe(24),
            "emu-rt-" + secrets.token_urlsafe(24),
        )
        self.tokens[access] = issued
        self.refresh_tokens[refresh] = issued
        return access, refresh, issued

    def token(self, bearer: str) -> IssuedToken | None:
        issued = self.tokens.get(bearer)
        if issued is None or issued.expires_at < time.monotonic():
            return None
        return issued

    def revoke_all(self) -> None:
        """What an admin's "revoke sessions" does: every token stops working."""
        self.tokens.clear()
        self.refresh_tokens.clear()

    # --- directory -----------------------------------------------------------------------------

    def seed_sso_app(self, app: SsoApp, display_name: str = "Steeple") -> ServicePrincipal | None:
        """The enterprise app an admin made for Steeple's single sign-on, as SAML set-up in the
        admin center leaves it: the entity id in servicePrincipalNames, the ACS in replyUrls.
        Idempotent: an app already carrying the entity id (or reply URL) is left as it is."""
        if not app.identifiers:
            return None
        for sp in self.service_principals.values():
            if app.identifiers & {*sp.service_principal_names, *sp.reply_urls}:
                return sp
        sp = self.add_service_principal(display_name)
        sp.service_principal_names = [app.entity_id] if app.entity_id else []
        sp.reply_urls = [app.reply_url] if app.reply_url else []
        sp.preferred_single_sign_on_mode = app.mode
        return sp

    def add_service_principal(
        self, display_name: str, replicating: bool = False
    ) -> ServicePrincipal:
        """A new app; `replicating`: just instantiated, invisible for `replication_delay`."""
        sp = ServicePrincipal(
            id=str(uuid.uuid4()),
            app_id=str(uuid.uuid4()),
            display_name=display_name,
            application_object_id=str(uuid.uuid4()),
            visible_at=self.clock() + self.replication_delay if replicating else 0.0,
        )
        self.service_principals[sp.id] = sp
        return sp

    def visible(self, sp: ServicePrincipal) -> bool:
        return self.clock() >= sp.visible_at

    def on_demand_wait(self) -> float | None:
        """Seconds to wait when provisionOnDemand is over Microsoft's rate, else None (and the
        call is counted)."""
        calls, window = ON_DEMAND_LIMIT
        now = self.clock()
        while self._on_demand_sent and now - self._on_demand_sent[0] >= window:
            self._on_demand_sent.popleft()
        if len(self._on_demand_sent) >= calls:
            return window - (now - self._on_demand_sent[0])
        self._on_demand_sent.append(now)
        return None

    def rule_id(self, job_id: str) -> str:
        """Ours: the id of the job schema's user rule (Microsoft's real ids are per template)."""
        return str(uuid.uuid5(ROLE_NAMESPACE, f"{job_id}/rule/user"))
