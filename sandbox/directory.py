"""Hooks from the SCIM layer into the Steeple directory (accounts and community memberships).

The SCIM layer (`sandbox/scim/`) stores what Entra sends and calls these hooks inside the same
transaction as the write, so a SCIM write and its effect on Steeple accounts commit together.
Before activation the hooks do nothing (writes are only staged); after activation they apply
live: match by e-mail or create, `active: false` removes the person, DELETE removes both,
group membership changes update community memberships through the mappings.

OWNER: the admin/domain part of the sandbox implements these bodies.
"""

from __future__ import annotations

from collections.abc import Iterable

from sandbox.state import SandboxState


def scim_user_changed(state: SandboxState, scim_user_id: str) -> None:
    """A SCIM user was created, replaced or patched (its row is already written)."""
    raise NotImplementedError


def scim_user_deleted(state: SandboxState, scim_user_id: str) -> None:
    """A SCIM user is about to be deleted (its row and memberships still exist)."""
    raise NotImplementedError


def scim_group_members_changed(
    state: SandboxState, group_id: str, member_ids: Iterable[str]
) -> None:
    """Members were added to or removed from a group (rows already written)."""
    raise NotImplementedError


def scim_group_deleted(state: SandboxState, group_id: str, member_ids: Iterable[str]) -> None:
    """A group was deleted; `member_ids` were its members just before."""
    raise NotImplementedError
