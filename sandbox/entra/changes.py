"""Scripted directory changes between cycles (`--changes FILE`), as an admin would make them.

The file is a JSON or TOML list of steps; step n (from 1) is applied after the n-th cycle of the
run, before the next one. Each step is a list of changes:

    {"op": "update_user", "user": UPN-or-id, "set": {"surname": "King", "account_enabled": false}}
    {"op": "add_user", "user": {...EntraUser fields...}, "groups": [name-or-id, ...]}
    {"op": "delete_user", "user": UPN-or-id}            # hard delete (gone from the recycle bin)
    {"op": "update_group", "group": name-or-id, "set": {"display_name": "…"}}
    {"op": "add_member", "group": name-or-id, "user": UPN-or-id}
    {"op": "remove_member", "group": name-or-id, "user": UPN-or-id}

TOML has no top-level list, so a TOML file holds it under `steps = [[...], ...]`.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

from sandbox.entra.tenant import EntraGroup, EntraUser, Tenant

USER_FIELDS = {f.name for f in fields(EntraUser)} - {"object_id"}
GROUP_FIELDS = {"display_name"}


class ChangeError(ValueError):
    """A change that cannot apply; the message names the step and the change."""


def load_changes(path: str | Path) -> list[list[dict[str, Any]]]:
    source = Path(path)
    text = source.read_text(encoding="utf-8")
    data: Any = (
        tomllib.loads(text).get("steps", []) if source.suffix == ".toml" else json.loads(text)
    )
    if not isinstance(data, list) or not all(isinstance(step, list) for step in data):
        raise ChangeError(f"{source}: expected a list of steps, each a list of changes.")
    return data


def _user(tenant: Tenant, ref: Any) -> EntraUser:
    user = tenant.user_by_upn(str(ref))
    if user is None:
        raise ChangeError(f"no user {ref!r} in the tenant")
    return user


def _group(tenant: Tenant, ref: Any) -> EntraGroup:
    group = tenant.group_by_name(str(ref))
    if group is None:
        raise ChangeError(f"no group {ref!r} in the tenant")
    return group


def _set(target: object, values: Any, allowed: set[str]) -> None:
    if not isinstance(values, dict) or not set(values) <= allowed:
        raise ChangeError(f"'set' may only name {sorted(allowed)}")
    for key, value in values.items():
        setattr(target, key, value)


def apply_change(tenant: Tenant, change: dict[str, Any]) -> None:
    """Apply one change to the directory, in place."""
    op = change.get("op")
    if op == "update_user":
        _set(_user(tenant, change.get("user")), change.get("set"), USER_FIELDS)
    elif op == "add_user":
        raw = change.get("user")
        if not isinstance(raw, dict):
            raise ChangeError("add_user needs a 'user' object")
        user = EntraUser(**raw)
        tenant.users[user.object_id] = user
        for ref in change.get("groups", []):
            _group(tenant, ref).member_ids.append(user.object_id)
    elif op == "delete_user":
        user = _user(tenant, change.get("user"))
        del tenant.users[user.object_id]
        for group in tenant.groups.values():
            if user.object_id in group.member_ids:
                group.member_ids.remove(user.object_id)
    elif op == "update_group":
        _set(_group(tenant, change.get("group")), change.get("set"), GROUP_FIELDS)
    elif op in ("add_member", "remove_member"):
        group = _group(tenant, change.get("group"))
        user = _user(tenant, change.get("user"))
        if op == "add_member" and user.object_id not in group.member_ids:
            group.member_ids.append(user.object_id)
        elif op == "remove_member" and user.object_id in group.member_ids:
            group.member_ids.remove(user.object_id)
    else:
        raise ChangeError(f"unknown change {op!r}")


def apply_step(tenant: Tenant, step: list[dict[str, Any]], number: int) -> None:
    for index, change in enumerate(step, 1):
        try:
            apply_change(tenant, change)
        except (ChangeError, TypeError) as exc:
            raise ChangeError(f"step {number}, change {index}: {exc}") from None
