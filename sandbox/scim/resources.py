"""What a SCIM User or Group body must look like, what we store of it, and how it is rendered.

Validation is a few hand-written type checks rather than a scim2-models round-trip: it runs on
every write in the hot path, must accept Entra's loose shapes (active as "True"), must ignore
unknown attributes, and must keep values exactly as sent (a model round-trip re-serialises).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.scim.errors import invalid_syntax, invalid_value
from sandbox.scim.filters import ENTERPRISE_URN, GROUP_URN, USER_URN, get_ci
from sandbox.scim.identity import user_name_key

DROPPED = {"id", "meta", "password"}
STRING_ATTRS = {
    "username",
    "displayname",
    "nickname",
    "profileurl",
    "title",
    "usertype",
    "preferredlanguage",
    "locale",
    "timezone",
    "externalid",
}
IDENTITY_ATTRS = ("userName", "externalId", "displayName")
"""What names a person or a group to every admin: no control character may hide in them."""
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
"""C0 and C1 controls (NUL, TAB, ESC, CSI…) and DEL: not text anyone can read or type."""
LIST_ATTRS = {
    "emails",
    "phonenumbers",
    "addresses",
    "ims",
    "photos",
    "entitlements",
    "roles",
    "x509certificates",
}


@dataclass(frozen=True)
class UserColumns:
    user_name: str
    user_name_norm: str
    external_id: str | None
    display_name: str | None
    email: str | None
    email_norm: str | None
    active: bool


@dataclass(frozen=True)
class GroupColumns:
    display_name: str
    display_name_norm: str
    external_id: str | None


def parse_active(value: Any) -> bool:
    """Entra sends `active` as a boolean or as "True"/"False"/"false"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().casefold() in ("true", "false"):
        return value.strip().casefold() == "true"
    raise invalid_value("'active' must be a boolean")


def _clean(body: Any, default_schema: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise invalid_syntax("the request body must be a JSON object")
    resource = {k: v for k, v in body.items() if k.casefold() not in DROPPED}
    schemas = resource.get("schemas", [default_schema])
    if not isinstance(schemas, list) or not all(isinstance(s, str) for s in schemas):
        raise invalid_value("'schemas' must be a list of URNs")
    resource["schemas"] = schemas or [default_schema]
    return resource


def _check_types(resource: dict[str, Any]) -> None:
    for key, value in resource.items():
        folded = key.casefold()
        if value is None:
            continue
        if folded in STRING_ATTRS and not isinstance(value, str):
            raise invalid_value(f"'{key}' must be a string")
        if folded == "name" and not isinstance(value, dict):
            raise invalid_value("'name' must be an object")
        if (folded in LIST_ATTRS and folded != "roles") and (
            not isinstance(value, list) or not all(isinstance(v, dict) for v in value)
        ):
            raise invalid_value(f"'{key}' must be a list of objects")
        if folded == ENTERPRISE_URN.casefold() and not isinstance(value, dict):
            raise invalid_value("the enterprise extension must be an object")


def _refuse_controls(resource: dict[str, Any], names: tuple[str, ...]) -> None:
    """400 invalidValue when a naming attribute holds a control character (issue 20, point 4).

    A NUL or an escape sequence inside a `userName` is a second account nobody can tell from the
    first on screen, and a trap for every log and terminal that shows it.
    """
    for name in names:
        value = get_ci(resource, name)
        if isinstance(value, str) and _CONTROL.search(value):
            raise invalid_value(
                f"'{name}' must not contain control characters (U+0000-U+001F, U+007F-U+009F)"
            )


def primary_email(resource: dict[str, Any]) -> str | None:
    """The e-mail Steeple matches on: the primary one, else the work one, else the first."""
    emails = get_ci(resource, "emails")
    if not isinstance(emails, list):
        return None
    candidates = [e for e in emails if isinstance(e, dict) and isinstance(e.get("value"), str)]
    predicates: tuple[Callable[[dict[str, Any]], bool], ...] = (
        lambda e: e.get("primary") in (True, "True", "true"),
        lambda e: str(e.get("type", "")).casefold() == "work",
        lambda e: True,
    )
    for predicate in predicates:
        for email in candidates:
            if predicate(email):
                return str(email["value"])
    return None


def user_from_body(body: Any) -> tuple[dict[str, Any], UserColumns]:
    """Validate a POST/PUT body (or a patched document); return what to store and its columns."""
    resource = _clean(body, USER_URN)
    _check_types(resource)
    user_name = get_ci(resource, "userName")
    if not isinstance(user_name, str) or not user_name.strip():
        raise invalid_value("'userName' is required and must be a non-empty string")
    _refuse_controls(resource, IDENTITY_ATTRS)
    active_key = next((k for k in resource if k.casefold() == "active"), None)
    active = True
    if active_key is not None and resource[active_key] is not None:
        active = parse_active(resource[active_key])
        resource[active_key] = active
    email = primary_email(resource)
    display = get_ci(resource, "displayName")
    return resource, UserColumns(
        user_name=user_name,
        user_name_norm=user_name_key(user_name),
        external_id=get_ci(resource, "externalId"),
        display_name=display,
        email=email,
        email_norm=email.casefold() if email else None,
        active=active,
    )


def group_from_body(body: Any) -> tuple[dict[str, Any], list[dict[str, Any]], GroupColumns]:
    """Validate a group body; members are split off (they live in their own table)."""
    resource = _clean(body, GROUP_URN)
    _check_types(resource)
    display = get_ci(resource, "displayName")
    if not isinstance(display, str) or not display.strip():
        raise invalid_value("'displayName' is required and must be a non-empty string")
    _refuse_controls(resource, ("displayName", "externalId"))
    members_key = next((k for k in resource if k.casefold() == "members"), None)
    members: list[dict[str, Any]] = []
    if members_key is not None:
        raw = resource.pop(members_key)
        if raw is not None:
            if not isinstance(raw, list):
                raise invalid_value("'members' must be a list")
            for member in raw:
                value = get_ci(member, "value") if isinstance(member, dict) else None
                if not isinstance(value, str) or not value:
                    raise invalid_value("each member needs a string 'value'")
                members.append({**member, "value": value})
    return (
        resource,
        members,
        GroupColumns(display, display.casefold(), get_ci(resource, "externalId")),
    )


def member_displays(value: Any) -> dict[str, str | None]:
    """member id → its `display` as sent (RFC 7643 §2.4 makes it a default sub-attribute)."""
    displays: dict[str, str | None] = {}
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            display = get_ci(item, "display")
            if display is not None and not isinstance(display, str):
                raise invalid_value("a member's 'display' must be a string")
            displays[str(get_ci(item, "value"))] = display
    return displays


def render(
    resource: dict[str, Any],
    resource_id: str,
    resource_type: str,
    created: str,
    modified: str,
    version: int,
    location: str,
) -> dict[str, Any]:
    """The resource as returned: schemas and id first, meta last (RFC 7643 §3.1)."""
    out: dict[str, Any] = {"schemas": resource.get("schemas"), "id": resource_id}
    for key, value in resource.items():
        if key != "schemas":
            out[key] = value
    out["meta"] = {
        "resourceType": resource_type,
        "created": created,
        "lastModified": modified,
        "location": location,
        "version": etag(version),
    }
    return out


def etag(version: int) -> str:
    return f'W/"{version}"'


def project(
    resource: dict[str, Any], attributes: list[str] | None, excluded: list[str] | None
) -> dict[str, Any]:
    """Apply `attributes` / `excludedAttributes` (top level and `parent.sub`, URN-prefixed ok)."""
    if attributes:
        wanted = _split_names(attributes)
        out: dict[str, Any] = {}
        for key, value in resource.items():
            folded = key.casefold()
            if folded in ("schemas", "id"):
                out[key] = value
            elif folded in wanted:
                subs = wanted[folded]
                if subs is None or not isinstance(value, dict | list):
                    out[key] = value
                else:
                    out[key] = _pick(value, subs)
        return out
    if excluded:
        unwanted = _split_names(excluded)
        out = {}
        for key, value in resource.items():
            folded = key.casefold()
            if folded in unwanted and folded not in ("schemas", "id"):
                subs = unwanted[folded]
                if subs is None:
                    continue
                if isinstance(value, dict):
                    value = {k: v for k, v in value.items() if k.casefold() not in subs}
            out[key] = value
        return out
    return resource


def _pick(value: Any, subs: set[str]) -> Any:
    if isinstance(value, list):
        return [_pick(v, subs) for v in value]
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k.casefold() in subs}
    return value


def _split_names(names: list[str]) -> dict[str, set[str] | None]:
    """`["name.givenName", "urn:…:User:department", "members"]` → {"name": {"givenname"}, …}."""
    result: dict[str, set[str] | None] = {}
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        if name.casefold().startswith("urn:"):
            head, _, tail = name.rpartition(":")
            if head.casefold() in (USER_URN.casefold(), GROUP_URN.casefold()):
                name = tail
            elif name.casefold() == ENTERPRISE_URN.casefold():
                result[name.casefold()] = None
                continue
            else:
                result.setdefault(head.casefold(), set())
                subs = result[head.casefold()]
                if subs is not None:
                    subs.add(tail.casefold())
                continue
        parent, _, sub = name.partition(".")
        parent = parent.casefold()
        if not sub:
            result[parent] = None
        elif parent not in result or result[parent] is not None:
            result.setdefault(parent, set())
            subs = result[parent]
            if subs is not None:
                subs.add(sub.casefold())
    return result
