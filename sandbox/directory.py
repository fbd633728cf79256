"""Hooks from the SCIM layer into the Steeple directory (accounts and community memberships).

The SCIM layer (`sandbox/scim/`) stores what Entra sends and calls these hooks inside the same
transaction as the write, so a SCIM write and its effect on Steeple accounts commit together.
Before activation the hooks do nothing (writes are only staged); after activation they apply
live: match by e-mail or create, `active: false` removes the person, DELETE removes both,
group membership changes update community memberships through the mappings.
The rules themselves live in `sandbox.domain.linking`, shared with activation.
"""

from __future__ import annotations

from collections.abc import Iterable

from sandbox.domain.integration import is_sync_active
from sandbox.domain.linking import apply_scim_user, recompute_members, unlink_scim_user
from sandbox.state import SandboxState


def scim_user_changed(state: SandboxState, scim_user_id: str) -> None:
    """A SCIM user was created, replaced or patched (its row is already written)."""
    if is_sync_active(state.conn):
        apply_scim_user(state.conn, scim_user_id, state.now())


def scim_user_deleted(state: SandboxState, scim_user_id: str) -> None:
    """A SCIM user is about to be deleted (its row and memberships still exist)."""
    if is_sync_active(state.conn):
        unlink_scim_user(state.conn, scim_user_id)


def scim_group_members_changed(
    state: SandboxState, group_id: str, member_ids: Iterable[str]
) -> None:
    """Members were added to or removed from a group (rows already written)."""
    if is_sync_active(state.conn):
        recompute_members(state.conn, member_ids)


def scim_group_deleted(state: SandboxState, group_id: str, member_ids: Iterable[str]) -> None:
    """A group was deleted; `member_ids` were its members just before.

    The group is excluded explicitly, so this is right whether its rows are already gone or not.
    """
    if is_sync_active(state.conn):
        recompute_members(state.conn, member_ids, exclude_group=group_id)
