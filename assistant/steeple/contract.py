"""The Steeple admin API contract, shared by the sandbox (which serves it) and the client.

One set of pydantic models on both sides means the sandbox cannot drift from what the assistant
expects: a field renamed here breaks the server and the client tests together.
All times are timezone-aware UTC datetimes; ids are opaque strings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

API_PREFIX = "/api/admin/v1"
"""Where the admin API lives on a Steeple instance."""

SCIM_PREFIX = "/scim/v2"
"""Where the SCIM 2.0 service provider lives on a Steeple instance."""

ENTRA_COMPLIANT_FLAG = "aadOptscim062020"
"""Query flag appended to the tenant URL: opts Entra into its RFC-compliant PATCH dialect."""

Role = Literal["user", "admin"]
AuthMethod = Literal["password", "sso"]
UserStatus = Literal["active", "removed"]
SsoProtocol = Literal["saml", "oidc"]


class Contract(BaseModel):
    """Base: unknown fields from a newer server are ignored, so old clients keep working."""

    model_config = ConfigDict(extra="ignore")


class ApiError(Contract):
    """Every admin-API error body: a stable machine `code` and a sentence for people."""

    code: str
    message: str
    details: dict[str, object] | None = None


# --- SSO ---------------------------------------------------------------------------------------


class SsoConfig(Contract):
    """Whether single sign-on is configured; provisioning is pointless without it."""

    configured: bool
    provider: Literal["azure_ad"] | None = None
    protocol: SsoProtocol | None = None
    identifier_claim: str | None = Field(
        default=None,
        description="The claim Steeple matches people on, e.g. 'email' or 'userPrincipalName'.",
    )
    saml_entity_id: str | None = Field(
        default=None,
        description="The instance's SAML identifier (entity id): Entra's enterprise app for "
        "Steeple carries it in servicePrincipalNames. Set when the protocol is SAML.",
    )
    reply_url: str | None = Field(
        default=None,
        description="Where Entra sends the sign-in answer: the SAML Assertion Consumer Service "
        "URL (or the OIDC redirect URI). Entra's app carries it in replyUrls.",
    )

    @property
    def app_identifiers(self) -> list[str]:
        """What identifies Steeple's enterprise app in Entra, most specific first."""
        return [v for v in (self.saml_entity_id, self.reply_url) if v]


class SsoConfigUpdate(Contract):
    """Body of `PUT /sso`."""

    provider: Literal["azure_ad"] = "azure_ad"
    protocol: SsoProtocol = "saml"
    identifier_claim: str = Field(default="email", min_length=1, max_length=200)


# --- The Azure AD integration -------------------------------------------------------------------


class IntegrationState(Contract):
    """`GET /integrations/azure-ad`: lifecycle of the integration on this instance."""

    installed: bool
    installed_at: datetime | None = None
    sync_active: bool = False
    activated_at: datetime | None = None
    removed_at: datetime | None = None
    live_tokens: int = 0
    staged_data_kept_until: datetime | None = Field(
        default=None, description="After a removal, staged SCIM data is kept until this time."
    )


class InstallResult(Contract):
    """`POST /integrations/azure-ad`: idempotent; `changed` is false when it was already there."""

    changed: bool
    message: str
    integration: IntegrationState


class RemovalResult(Contract):
    """`DELETE /integrations/azure-ad`: everyone goes back to e-mail + password."""

    integration: IntegrationState
    users_switched_to_password: int
    tokens_revoked: int
    staged_data_kept_until: datetime


class RemovalPreview(Contract):
    """`GET .../removal-preview`: what `DELETE` would do now, from the same queries it runs."""

    sync_active: bool
    users_switched_to_password: int = Field(
        description="Active accounts signing in through Azure AD: they get e-mail + password."
    )
    tokens_revoked: int = Field(description="Live SCIM tokens: Entra's next call gets a 401.")
    staged_users: int = Field(description="Received SCIM users, kept for the grace period.")
    staged_groups: int = Field(description="Received SCIM groups, kept for the grace period.")


class DeactivationPreview(Contract):
    """`GET .../deactivation-preview`: what unticking synchronization would do, without doing it."""

    sync_active: bool
    users_switched_to_password: int = Field(
        description="Active accounts linked to Entra: they go back to e-mail + password."
    )
    users_sample: list[str] = Field(default_factory=list, description="Up to 20 of their e-mails.")
    live_tokens: int = Field(
        description="Entra keeps calling with these: what it sends is received, not applied."
    )


class DeactivationResult(Contract):
    """`POST .../deactivate`: the counts of what was actually done."""

    integration: IntegrationState
    users_switched_to_password: int


class TokenInfo(Contract):
    """A SCIM bearer token as listed: never the secret, only a 4-character hint."""

    id: str
    hint: str = Field(description="The last 4 characters of the secret.")
    created_at: datetime
    last_used_at: datetime | None = Field(
        default=None, description="Its latest request of any kind, connection tests included."
    )
    last_provisioned_at: datetime | None = Field(
        default=None,
        description="Its latest request of Entra's provisioning at work (a cycle's or an "
        "on-demand run's, beyond the opening connection probe): the token on the newest one is "
        "the token Entra holds. A Test Connection, validateCredentials or a probe never sets it. "
        "Null when it never bore one, or when the instance does not tell.",
    )


class CreatedToken(TokenInfo):
    """`POST .../tokens`: the only answer that ever carries the secret."""

    secret: str


class TokenList(Contract):
    """`GET .../tokens`; at most two tokens are live at once (rotation without downtime)."""

    tokens: list[TokenInfo]
    max_live: int = 2


class Credentials(Contract):
    """`GET .../credentials`: what the admin pastes into Entra (the secret comes from a token)."""

    tenant_url: str = Field(description="Public SCIM base URL with ?aadOptscim062020 appended.")
    scim_base_url: str
    tokens: list[TokenInfo]


# --- Provisioning traffic -------------------------------------------------------------------------

RequestKind = Literal[
    "test_connection",
    "cycle_probe",
    "user_query",
    "user_create",
    "user_read",
    "user_update",
    "user_delete",
    "group_query",
    "group_create",
    "group_read",
    "group_update",
    "group_delete",
    "discovery",
    "other",
]


class RequestLogEntry(Contract):
    """One inbound SCIM request, redacted: no token, no body, only a short summary."""

    seq: int
    time: datetime
    method: str
    path: str = Field(description="Path and query string, without host.")
    status: int
    latency_ms: float
    kind: RequestKind
    summary: str = ""
    token_hint: str | None = Field(
        default=None,
        description="The 4-character hint of the SCIM token the request bore (live or revoked); "
        "null when it bore none this instance issued. Never the secret.",
    )
    provisioning: bool = Field(
        default=False,
        description="Entra's provisioning at work: a request of a cycle or an on-demand run "
        "beyond its opening connection probe, accepted with a live token. False for connection "
        "checks (Test Connection, validateCredentials, a probe — including a quiet cycle's, "
        "which the traffic cannot tell from a test) and for refused requests.",
    )


class RequestLogPage(Contract):
    """`GET .../requests?after=CURSOR&limit=N`: oldest first after the cursor."""

    items: list[RequestLogEntry]
    next_cursor: str | None = Field(
        default=None, description="Pass as `after` to get newer entries; also set when empty."
    )


class ProvisioningStatus(Contract):
    """`GET .../provisioning`, polled by the assistant: O(1) counters, never a table scan."""

    sync_active: bool
    users_received: int = Field(description="SCIM users currently staged (including inactive).")
    users_active: int
    groups_received: int
    groups_mapped: int | None = Field(
        default=None,
        description="Received groups with a mapping. Optional: without it the assistant counts "
        "them by paging through the groups (seconds on a 10,000-group tenant).",
    )
    requests_total: int
    errors_total: int
    first_request_at: datetime | None = None
    last_request_at: datetime | None = None
    last_test_connection_at: datetime | None = None
    last_test_connection_status: int | None = None
    last_error: RequestLogEntry | None = None
    cycle_starts: list[datetime] = Field(
        default_factory=list,
        description="Observed starts of Entra cycles, initial and incremental, oldest first.",
    )


# --- Groups and mappings --------------------------------------------------------------------------


class GroupMapping(Contract):
    """What a received group means in Steeple: membership of a community, with a role."""

    community_id: str
    role: Role


class ReceivedGroup(Contract):
    """A SCIM group as staged, with its member count and mapping."""

    id: str
    display_name: str
    external_id: str | None = None
    member_count: int
    nested_group_count: int = Field(
        default=0, description="Members that are groups: Entra does not provision their members."
    )
    mapping: GroupMapping | None = None


class GroupPage(Contract):
    """`GET .../groups?query=&cursor=&limit=`: ordered by display name."""

    items: list[ReceivedGroup]
    next_cursor: str | None = None
    total: int = Field(description="Groups matching the query (all pages).")


class ReceivedUser(Contract):
    """A SCIM user as staged, for the linter and the journey (`GET .../scim-users`)."""

    id: str
    user_name: str
    email: str | None = None
    external_id: str | None = None
    display_name: str | None = None
    active: bool
    steeple_user_id: str | None = None


class ReceivedUserPage(Contract):
    items: list[ReceivedUser]
    next_cursor: str | None = None
    total: int


# --- Steeple directory ----------------------------------------------------------------------------


class Community(Contract):
    id: str
    name: str
    member_count: int = 0
    admin_count: int = 0


class CommunityList(Contract):
    items: list[Community]


class Membership(Contract):
    community_id: str
    role: Role


class SteepleUser(Contract):
    id: str
    email: str
    given_name: str | None = None
    family_name: str | None = None
    display_name: str | None = None
    auth_method: AuthMethod
    status: UserStatus
    must_set_password: bool = False
    memberships: list[Membership] = Field(default_factory=list)


class UserPage(Contract):
    """`GET /users?query=&cursor=&limit=&include_removed=`."""

    items: list[SteepleUser]
    next_cursor: str | None = None


LinkKind = Literal["linked_by_email", "created", "none"]


class ReceivedUserGroup(Contract):
    """A received group a SCIM user is a member of, with what its mapping grants."""

    id: str
    display_name: str
    mapping: GroupMapping | None = None
    community_name: str | None = None


class ReceivedUserDetail(Contract):
    """`GET .../scim-users/{id}`: one received person followed to their Steeple account.

    Answers "why is this person not in Steeple?" from Steeple's side: which received groups hold
    them, what those map to, and how (or why not) they are linked to an account.
    """

    user: ReceivedUser
    groups: list[ReceivedUserGroup]
    link: LinkKind = Field(
        description="How the account was made: matched by e-mail, created for them, or none yet."
    )
    conflict: Literal["duplicate_email", "missing_email"] | None = Field(
        default=None, description="Why they cannot be linked (activation skips them), if so."
    )
    account: SteepleUser | None = None


# --- Activation -----------------------------------------------------------------------------------

ConflictKind = Literal["duplicate_email", "missing_email"]


class ActivationConflict(Contract):
    kind: ConflictKind
    email: str | None = None
    scim_user_ids: list[str]
    user_names: list[str] = Field(
        default_factory=list,
        description="The userNames of those SCIM users, so a client can word the conflict in "
        "its own language (`message` is the server's English).",
    )
    message: str


class NewAdmin(Contract):
    email: str
    community_id: str
    community_name: str


class CommunityRight(Contract):
    """A community and the role in it: what a person keeps, gains or loses at activation."""

    community_id: str
    community_name: str
    role: Role


class PersonPreview(Contract):
    """One person activation links or creates: what they keep, and what Entra's groups change.

    Rights granted in Steeple by hand (memberships whose source is manual) are never touched by
    activation: an administrator made by hand stays one, whatever Entra's groups say.
    """

    email: str
    account: Literal["linked", "created"] = Field(
        description="Linked to the existing account with this e-mail, or a new account."
    )
    keeps: list[CommunityRight] = Field(
        default_factory=list, description="Rights granted in Steeple by hand: left alone."
    )
    adds: list[CommunityRight] = Field(
        default_factory=list,
        description="Rights Entra's mapped groups grant (new, or a changed role).",
    )
    removes: list[CommunityRight] = Field(
        default_factory=list,
        description="Rights Entra's groups granted before and no longer do (a re-activation).",
    )


class KeptAdmin(Contract):
    """An administrator of a community who is still one after activation."""

    email: str
    community_id: str
    community_name: str
    by_hand: bool = Field(description="Granted in Steeple by hand (activation never touches it).")


class ActivationPreview(Contract):
    """`GET .../activation-preview`: what activating would do, computed without doing it."""

    linked_by_email: int = Field(description="Active SCIM users matching an existing account.")
    created: int = Field(description="Active SCIM users that would get a new account.")
    conflicts: list[ActivationConflict]
    unmapped_users: int = Field(
        description="Active SCIM users in no mapped group and with no right granted by hand: "
        "no access."
    )
    unmapped_sample: list[str] = Field(default_factory=list, description="Up to 20 userNames.")
    unmapped_keeping: int = Field(
        default=0,
        description="Active SCIM users in no mapped group who keep the rights granted to them "
        "in Steeple by hand (an administrator made by hand stays one).",
    )
    new_admins: list[NewAdmin]
    admins_kept: list[KeptAdmin] = Field(
        default_factory=list,
        description="Every administrator who stays one after activation, by hand or by a group.",
    )
    people: list[PersonPreview] = Field(
        default_factory=list,
        description="Per person linked or created, in e-mail order: what they keep, gain and "
        "lose (the first 500; `people_total` counts them all).",
    )
    people_total: int = Field(default=0, description="People activation links or creates.")
    deactivated: int = Field(default=0, description="Inactive SCIM users, who get no access.")
    removed: int = Field(
        default=0,
        description="Active accounts whose SCIM user is now inactive in Entra (unassigned or "
        "disabled): activating removes them.",
    )


class ActivationResult(Contract):
    """`POST .../activate`: the counts of what was actually done."""

    integration: IntegrationState
    linked_by_email: int
    created: int
    skipped_conflicts: int
    memberships_granted: int
    removed: int = 0
