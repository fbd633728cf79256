"""What the login emulator remembers beyond device codes: the browser flow's pending consents and
authorization codes, and the tenant's sign-in policies a test (or a demo) turns on.

The policies are the refusals an administrator meets in a locked-down tenant, each answered
with the AADSTS number Entra uses (https://learn.microsoft.com/entra/identity-platform/
reference-error-codes): a Conditional Access policy blocking a flow (53003), one requiring a
compliant device (53000), no admin consent for the client (65001), and an app registration with
"Allow public client flows" off, which refuses the device-code grant (7000218).
"""

from __future__ import annotations

from dataclasses import dataclass, field

AUTH_CODE_LIFETIME = 600.0
"""Seconds an authorization code stays redeemable (Entra: "about 10 minutes")."""


@dataclass
class PendingAuthorization:
    """An authorize request waiting for the person's Accept or Cancel on the consent page."""

    client_id: str
    redirect_uri: str
    response_mode: str
    state: str | None
    scopes: frozenset[str]
    code_challenge: str
    code_challenge_method: str
    nonce: str | None


@dataclass
class AuthCode:
    """An authorization code, bound to its client, redirect URI and PKCE challenge."""

    client_id: str
    redirect_uri: str
    scopes: frozenset[str]
    code_challenge: str
    code_challenge_method: str
    nonce: str | None
    expires_at: float


@dataclass
class SignInPolicy:
    """The tenant's sign-in rules (all off: a tenant that lets the admin in)."""

    blocked_flows: set[str] = field(default_factory=set)
    """Conditional Access blocks these grants ("device_code", "authorization_code")."""
    require_compliant_device: bool = False
    """Conditional Access requires a compliant device; the emulator's browser is not one."""
    admin_consent: bool = True
    """False: nobody granted the client the Graph permissions it asks for."""
    public_client: bool = True
    """"Allow public client flows" on the client's app registration (the device-code grant)."""


@dataclass
class LoginState:
    device_code_lifetime: float = 900.0
    """`expires_in` of a device code (Entra: 15 minutes); tests shorten it."""
    pending: dict[str, PendingAuthorization] = field(default_factory=dict)
    auth_codes: dict[str, AuthCode] = field(default_factory=dict)
    redeemed: set[str] = field(default_factory=set)
    """Codes already exchanged: a second exchange is AADSTS54005, not "unknown code"."""
    policy: SignInPolicy = field(default_factory=SignInPolicy)


__all__ = ["AUTH_CODE_LIFETIME", "AuthCode", "LoginState", "PendingAuthorization", "SignInPolicy"]
