"""SCIM PATCH (RFC 7644 §3.5.2) on a stored resource, in both Entra dialects.

Entra's legacy dialect (before `aadOptscim062020`) differs from the RFC in ways that break real
endpoints, so all of them are accepted here: `op` in any case (`Replace`, `Add`, `Remove`);
path-less `replace` with dotted (`name.givenName`) and URN-prefixed keys; filtered value paths
that must create the element when it is missing (`emails[type eq "work"].value`); `manager` as a
bare id, `{"value": …}` or a list with `$ref`; role lists sent as a JSON-encoded string.

Group members are not kept in the JSON document (a 10,000-member group would be rewritten on
every PATCH); member operations are returned as `MemberOp`s for the store to apply to its table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sandbox.scim.errors import ScimError, invalid_path, invalid_value
from sandbox.scim.filters import (
    ENTERPRISE_URN,
    AttrPath,
    Compare,
    Logical,
    Node,
    get_ci,
    matches,
    parse_attr_path,
    parse_filter,
)
from sandbox.scim.resources import LIST_ATTRS, member_displays

PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
EXTENSION_URNS = {ENTERPRISE_URN.casefold(): ENTERPRISE_URN}
MULTI_VALUED = LIST_ATTRS | {"groups", "members"}
"""Attributes whose PATCH values are lists: a user's multi-valued ones, plus the references."""
CANONICAL = {
    name.casefold(): name
    for name in [
        "userName",
        "name",
        "displayName",
        "nickName",
        "profileUrl",
        "title",
        "userType",
        "preferredLanguage",
        "locale",
        "timezone",
        "active",
        "emails",
        "phoneNumbers",
        "addresses",
        "ims",
        "photos",
        "entitlements",
        "roles",
        "x509Certificates",
        "externalId",
        "members",
        "employeeNumber",
        "costCenter",
        "organization",
        "division",
        "department",
        "manager",
        "givenName",
        "familyName",
        "formatted",
        "middleName",
        "honorificPrefix",
        "honorificSuffix",
        "value",
        "type",
        "primary",
        "display",
    ]
}
READ_ONLY = {"id", "meta", "schemas", "groups"}


@dataclass
class MemberOp:
    """One change to a group's member set, applied in order by the store.

    kind: "add" | "remove" | "replace" (ids given) or "remove_matching" (filter given).
    """

    kind: str
    ids: list[str] = field(default_factory=list)
    member_filter: Node | None = None
    displays: dict[str, str | None] = field(default_factory=dict)
    """Each member's `display` as written (None: not sent), for add and replace."""


@dataclass(frozen=True)
class PatchTarget:
    path: AttrPath | None  # None: the whole extension named by `extension`
    value_filter: Node | None = None
    extension: str | None = None


def canonical(name: str) -> str:
    return CANONICAL.get(name.casefold(), name)


def parse_patch_path(text: str) -> PatchTarget:
    """`attr`, `attr.sub`, `urn:…:attr[.sub]`, `attr[filter][.sub]` or a bare extension URN."""
    if not isinstance(text, str) or not text.strip():
        raise invalid_path("empty PATCH path")
    text = text.strip()
    if text.casefold() in EXTENSION_URNS:
        return PatchTarget(None, extension=EXTENSION_URNS[text.casefold()])
    try:
        if "[" in text:
            head, _, rest = text.partition("[")
            inner, closing, tail = rest.rpartition("]")
            if not closing or (tail and not tail.startswith(".")):
                raise invalid_path("malformed value path")
            base = parse_attr_path(head)
            value_filter = parse_filter(inner)
            sub = tail[1:] or None
            return PatchTarget(AttrPath(base.urn, base.name, sub), value_filter)
        return PatchTarget(parse_attr_path(text))
    except ScimError as exc:
        raise invalid_path(f"invalid PATCH path: {exc.detail}") from exc


def _ops_of(body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, dict):
        raise invalid_syntax_error("PATCH body must be a JSON object")
    operations = get_ci(body, "Operations")
    if not isinstance(operations, list) or not operations:
        raise invalid_syntax_error("PATCH body needs a non-empty 'Operations' list")
    if not all(isinstance(op, dict) for op in operations):
        raise invalid_syntax_error("each PATCH operation must be an object")
    return operations


def invalid_syntax_error(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidSyntax")


def apply_patch(
    resource: dict[str, Any], body: Any, *, is_group: bool
) -> tuple[dict[str, Any], list[MemberOp]]:
    """Apply every operation to a copy of `resource`; return it and the group member ops."""
    doc = json.loads(json.dumps(resource))
    member_ops: list[MemberOp] = []
    for operation in _ops_of(body):
        op = get_ci(operation, "op")
        if not isinstance(op, str) or op.casefold() not in ("add", "replace", "remove"):
            raise invalid_syntax_error("PATCH 'op' must be add, replace or remove")
        op = op.casefold()
        path = get_ci(operation, "path")
        value = get_ci(operation, "value")
        if path is None or path == "":
            if op == "remove":
                raise ScimError(400, "remove needs a path", "noTarget")
            if not isinstance(value, dict):
                raise invalid_value("a PATCH without path needs an object value")
            for key, item in value.items():
                _apply_path(doc, op, key, item, is_group, member_ops)
        else:
            _apply_path(doc, op, path, value, is_group, member_ops)
    return doc, member_ops


def _apply_path(
    doc: dict[str, Any],
    op: str,
    path_text: Any,
    value: Any,
    is_group: bool,
    member_ops: list[MemberOp],
) -> None:
    if not isinstance(path_text, str):
        raise invalid_path("PATCH path must be a string")
    target = parse_patch_path(path_text)
    if target.path is None:
        _apply_extension(doc, op, target.extension or ENTERPRISE_URN, value)
        return
    path = target.path
    name = canonical(path.name)
    if path.urn is None and name.casefold() in READ_ONLY:
        return  # read-only attributes: silently ignored, as Entra never means to change them
    if is_group and path.urn is None and name == "members":
        member_ops.append(_member_op(op, target, value))
        return
    container = _container(doc, path.urn, create=op != "remove")
    if container is None:
        return
    key = _existing_key(container, name)
    if target.value_filter is not None:
        _apply_filtered(container, key, op, target.value_filter, path.sub, value)
        return
    if path.sub is not None:
        _apply_sub(container, key, op, canonical(path.sub), value)
        return
    if op == "remove":
        _remove(container, key, value)
        return
    value = _normalise(key, value)
    current = container.get(key)
    if key.casefold() in MULTI_VALUED:
        items = value if isinstance(value, list) else [value]
        if op == "add" and isinstance(current, list):
            container[key] = current + [i for i in items if i not in current]
        else:
            container[key] = items
    elif isinstance(value, dict) and isinstance(current, dict) and key != "manager":
        current.update(value)
    else:
        container[key] = value


def _apply_extension(doc: dict[str, Any], op: str, urn: str, value: Any) -> None:
    if op == "remove":
        key = _existing_key(doc, urn)
        doc.pop(key, None)
        return
    if not isinstance(value, dict):
        raise invalid_value("an extension value must be an object")
    for key, item in value.items():
        _apply_path(doc, op, f"{urn}:{key}", item, False, [])


def _container(doc: dict[str, Any], urn: str | None, *, create: bool) -> dict[str, Any] | None:
    if urn is None:
        return doc
    key = _existing_key(doc, EXTENSION_URNS.get(urn.casefold(), urn))
    ext = doc.get(key)
    if not isinstance(ext, dict):
        if not create:
            return None
        ext = doc[key] = {}
        schemas = doc.setdefault("schemas", [])
        if isinstance(schemas, list) and key not in schemas:
            schemas.append(key)
    return ext


def _existing_key(container: dict[str, Any], name: str) -> str:
    """The key already used for `name` (any case), else its canonical spelling."""
    if name in container:
        return name
    folded = name.casefold()
    for existing in container:
        if existing.casefold() == folded:
            return existing
    return canonical(name)


def _normalise(key: str, value: Any) -> Any:
    """Entra's alternative shapes for manager and roles, turned into the schema's shape."""
    if key == "manager":
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str):
            return {"value": value}
        if isinstance(value, dict):
            return {k: v for k, v in value.items() if k != "$ref" or v is not None}
        if value is None:
            return None
        raise invalid_value("manager must be an id or an object")
    if key == "roles" and isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError as exc:
            raise invalid_value("roles must be a list or a JSON-encoded list") from exc
        return decoded if isinstance(decoded, list) else [decoded]
    return value


def _remove(container: dict[str, Any], key: str, value: Any) -> None:
    current = container.get(key)
    if isinstance(current, list) and isinstance(value, list) and value:
        # Legacy form: remove only the listed elements (matched by their "value").
        wanted = [get_ci(v, "value") if isinstance(v, dict) else v for v in value]
        container[key] = [
            e for e in current if (get_ci(e, "value") if isinstance(e, dict) else e) not in wanted
        ]
        return
    container.pop(key, None)


def _apply_sub(container: dict[str, Any], key: str, op: str, sub: str, value: Any) -> None:
    current = container.get(key)
    if key == "manager" and op != "remove":
        container[key] = _normalise("manager", value if sub != "value" else {"value": value})
        return
    if isinstance(current, list):
        for element in current:
            if isinstance(element, dict):
                _set_or_delete(element, op, sub, value)
        return
    if op == "remove":
        if isinstance(current, dict):
            current.pop(_existing_key(current, sub), None)
        return
    if not isinstance(current, dict):
        current = container[key] = {}
    _set_or_delete(current, op, sub, value)


def _set_or_delete(element: dict[str, Any], op: str, sub: str, value: Any) -> None:
    key = _existing_key(element, sub)
    if op == "remove":
        element.pop(key, None)
    else:
        element[key] = value


def _apply_filtered(
    container: dict[str, Any],
    key: str,
    op: str,
    value_filter: Node,
    sub: str | None,
    value: Any,
) -> None:
    elements = container.get(key)
    if not isinstance(elements, list):
        elements = [] if elements is None else [elements]
    matched = [e for e in elements if isinstance(e, dict) and matches(value_filter, e)]
    if op == "remove":
        if sub is None:
            container[key] = [e for e in elements if not any(e is m for m in matched)]
        else:
            for element in matched:
                element.pop(_existing_key(element, sub), None)
        return
    if not matched:
        # Entra's `emails[type eq "work"].value` when no work e-mail exists yet: create it.
        new_element = _element_from_filter(value_filter)
        elements.append(new_element)
        matched = [new_element]
    for element in matched:
        if sub is not None:
            element[_existing_key(element, sub)] = value
        elif isinstance(value, dict):
            element.update(value)
        else:
            raise invalid_value("a value-path replace without sub-attribute needs an object")
    container[key] = elements


def _element_from_filter(node: Node) -> dict[str, Any]:
    """`type eq "work" and primary eq true` → {"type": "work", "primary": True}."""
    element: dict[str, Any] = {}
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, Logical) and current.op == "and":
            pending.extend((current.left, current.right))
        elif isinstance(current, Compare) and current.op == "eq" and current.path.sub is None:
            element[canonical(current.path.name)] = current.value
        else:
            raise ScimError(400, "no element matches the value path", "noTarget")
    return element


def _member_ids(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    ids: list[str] = []
    for item in items:
        member = get_ci(item, "value") if isinstance(item, dict) else item
        if not isinstance(member, str) or not member:
            raise invalid_value("each member needs a string 'value'")
        ids.append(member)
    return ids


def _member_op(op: str, target: PatchTarget, value: Any) -> MemberOp:
    if target.value_filter is not None:
        if op != "remove":
            raise invalid_path("members[...] paths are only supported for remove")
        return MemberOp("remove_matching", member_filter=target.value_filter)
    if target.path is not None and target.path.sub is not None:
        raise invalid_path("members sub-attributes cannot be patched")
    if op == "remove":
        if value in (None, [], ""):
            return MemberOp("replace", [])
        return MemberOp("remove", _member_ids(value))
    if value is None:
        raise invalid_value("members add/replace needs a value")
    return MemberOp(op, _member_ids(value), displays=member_displays(value))
