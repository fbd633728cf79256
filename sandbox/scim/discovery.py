"""The discovery documents (RFC 7644 §4), built once from scim2-models at app creation.

scim2-models derives the User, EnterpriseUser and Group schemas from its annotated models, so
the published schemas describe exactly the attributes the RFC defines; we only set `meta` and
the capabilities (PATCH yes, bulk/sort/changePassword no, filter yes with our page-size cap).

Where the generated documents differ from RFC 7643's own representations (§8.6 resource types,
§8.7.1 schemas), the RFC's wording wins: clients such as Microsoft's reference validator compare
names and descriptions ("User Account", not "User"), so those are set from `RFC_NAMES` below.
"""

from __future__ import annotations

from typing import Any

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Context,
    EnterpriseUser,
    ETag,
    Filter,
    Group,
    Patch,
    ResourceType,
    ServiceProviderConfig,
    Sort,
    User,
)

from sandbox.scim.filters import ENTERPRISE_URN, GROUP_URN, USER_URN

RFC_NAMES: dict[str, tuple[str, str]] = {
    # schema or resource-type id -> (name, description), as RFC 7643 §8.6 and §8.7.1 write them.
    USER_URN: ("User", "User Account"),
    ENTERPRISE_URN: ("EnterpriseUser", "Enterprise User"),
    GROUP_URN: ("Group", "Group"),
    "User": ("User", "User Account"),
    "Group": ("Group", "Group"),
}
MEMBER_DISPLAY = "A human-readable name for the group member, primarily used for display purposes."
"""RFC 7643 §4.2's wording for `members.display`, which the generated Group schema leaves blank."""


def _dump(model: Any) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    return data


def _as_rfc_writes_it(document: dict[str, Any]) -> dict[str, Any]:
    name, description = RFC_NAMES[document["id"]]
    document["name"], document["description"] = name, description
    for attribute in document.get("attributes", []):
        _one_line(attribute)
        for sub in attribute.get("subAttributes") or []:
            _one_line(sub)
            if attribute["name"] == "members" and sub["name"] == "display":
                sub.setdefault("description", MEMBER_DISPLAY)
            if attribute["name"] == "manager":
                # §8.7.1 publishes every manager sub-attribute optional (Entra sends a bare id).
                sub["required"] = False
    return document


def _one_line(attribute: dict[str, Any]) -> None:
    """scim2-models takes descriptions from docstrings, wrapped at 100 columns; the RFC's are
    single-line prose, and a client showing them should not get stray line breaks."""
    if isinstance(attribute.get("description"), str):
        attribute["description"] = " ".join(attribute["description"].split())


def _with_meta(document: dict[str, Any], resource_type: str, location: str) -> dict[str, Any]:
    document["meta"] = {"resourceType": resource_type, "location": location}
    return document


def service_provider_config(base_url: str, max_results: int) -> dict[str, Any]:
    config = ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=max_results),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type=AuthenticationScheme.Type.oauthbearertoken,
                name="OAuth Bearer Token",
                description="The SCIM token created in the Steeple admin console.",
                primary=True,
            )
        ],
    )
    document = _dump(config)
    return _with_meta(document, "ServiceProviderConfig", f"{base_url}/ServiceProviderConfig")


def schemas(base_url: str) -> list[dict[str, Any]]:
    out = []
    for model in (User, EnterpriseUser, Group):
        schema = _as_rfc_writes_it(_dump(model.to_schema()))
        out.append(_with_meta(schema, "Schema", f"{base_url}/Schemas/{schema['id']}"))
    return out


def resource_types(base_url: str) -> list[dict[str, Any]]:
    out = []
    for model in (User[EnterpriseUser], Group):
        document = _as_rfc_writes_it(_dump(ResourceType.from_resource(model)))
        out.append(
            _with_meta(document, "ResourceType", f"{base_url}/ResourceTypes/{document['id']}")
        )
    return out
