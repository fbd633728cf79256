"""The Azure-side actions of sandbox mode, through the simulated tenant's host client.

Kept in one place so the steps do not depend on the simulator client's exact method names: each
action tries the names that client offers. Only used when the app runs with `--sandbox`.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EntraGroup:
    """A group of the simulated tenant, as the picker shows it."""

    id: str
    name: str
    members: int
    assigned: bool


def _field(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if not isinstance(obj, dict) and hasattr(obj, name):
            return getattr(obj, name)
    return default


async def _call(entra: Any, names: tuple[str, ...], *args: Any, **kwargs: Any) -> Any:
    for name in names:
        method = getattr(entra, name, None)
        if method is None:
            continue
        result = method(*args, **kwargs)
        return await result if inspect.isawaitable(result) else result
    raise RuntimeError("The simulated Entra tenant does not offer this action.")


async def test_connection(entra: Any, tenant_url: str, token: str) -> Any:
    """Entra's Test Connection with what the admin typed (a wrong token is allowed on purpose)."""
    return await _call(entra, ("test_connection",), tenant_url, token)


async def save_credentials(entra: Any, tenant_url: str, token: str) -> Any:
    return await _call(
        entra, ("save_credentials", "set_credentials", "configure"), tenant_url, token
    )


async def list_groups(entra: Any) -> list[EntraGroup]:
    result = await _call(entra, ("list_groups", "groups"))
    items = _field(result, "items", "groups", default=result) or []
    groups = []
    for item in items:
        groups.append(
            EntraGroup(
                id=str(_field(item, "id", "object_id")),
                name=str(_field(item, "display_name", "displayName", "name", default="?")),
                members=int(_field(item, "member_count", "members", default=0) or 0),
                assigned=bool(_field(item, "assigned", default=False)),
            )
        )
    return groups


async def assign_groups(entra: Any, group_ids: list[str]) -> Any:
    return await _call(entra, ("assign_groups", "assign"), group_ids)


async def start_provisioning(entra: Any) -> Any:
    return await _call(entra, ("start_provisioning", "start"))


async def stop_provisioning(entra: Any) -> Any:
    return await _call(entra, ("stop_provisioning", "stop"))


async def job_status(entra: Any) -> Any:
    return await _call(entra, ("job_status", "get_job_status", "status"))
