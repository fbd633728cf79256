"""Which live SCIM token Entra holds, read from Entra's own traffic (issue 20, point 1).

The instance marks every request of Entra's provisioning at work — a cycle's or an on-demand
run's, beyond the connection probe both begin with — and each token remembers its latest one
(`TokenInfo.last_provisioned_at`). The token on the newest such request is the one Entra holds.
A Test Connection (the portal's, Graph's validateCredentials, our probe) never counts: it tests
whatever token was typed, saved or not, and `last_used_at` moves with it — which is how a
rotation that read `last_used_at` once took an unsaved token for Entra's and revoked the real one.

With two live tokens the traffic tells only when Entra's latest provisioning request came after
everything known about the other token: its creation and its last use of any kind. Otherwise
the other one may have been saved in Entra since (a quiet cycle sends only the probe, which no
one can tell from a test): it is a *candidate*, never "Entra's", and a person must say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from assistant.steeple.contract import TokenInfo


@dataclass(frozen=True)
class Holder:
    """What the traffic says about the live tokens."""

    entras: TokenInfo | None
    """The live token on Entra's latest provisioning request (the only live one, if one)."""
    other: TokenInfo | None
    """With two live tokens: the one that is not `entras` (either of them when `entras` is None)."""
    certain: bool
    """True when the traffic tells which token Entra holds; False: a person must say."""

    @property
    def since(self) -> datetime | None:
        """When Entra's latest provisioning request arrived (None: never seen)."""
        return self.entras.last_provisioned_at if self.entras is not None else None


def _last_sign(token: TokenInfo) -> datetime:
    """The latest thing known about a token: its last use of any kind, else its creation."""
    used = token.last_used_at
    return max(token.created_at, used) if used is not None else token.created_at


def read_holder(live: list[TokenInfo]) -> Holder:
    """Which of the live tokens (at most two) Entra holds, and whether the traffic can tell."""
    if not live:
        return Holder(None, None, certain=False)
    if len(live) == 1:
        return Holder(live[0], None, certain=True)
    worked = [t for t in live if t.last_provisioned_at is not None]
    if not worked:  # no provisioning request with either: nothing to go by
        newest_first = sorted(live, key=lambda t: t.created_at, reverse=True)
        return Holder(None, newest_first[0], certain=False)
    entras = max(worked, key=lambda t: (t.last_provisioned_at, t.created_at))
    other = next(t for t in live if t.id != entras.id)
    assert entras.last_provisioned_at is not None
    return Holder(entras, other, certain=entras.last_provisioned_at > _last_sign(other))


def latest_provisioning(live: list[TokenInfo]) -> TokenInfo | None:
    """The live token that bore Entra's latest provisioning request: never to be revoked."""
    return read_holder(live).entras if any(t.last_provisioned_at for t in live) else None
