"""The discovery documents (RFC 7644 §4), built once from scim2-models at app creation.

scim2-models derives the User, EnterpriseUser and Group schemas from its annotated models, so
the published schemas describe exactly the attributes the RFC defines; we only set `meta` and
the capabilities (PATCH yes, bulk/sort/changePassword no, filter yes with our page-size cap).
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


def _dump(model: Any) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    return data


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
        schema = _dump(model.to_schema())
        out.append(_with_meta(schema, "Schema", f"{base_url}/Schemas/{schema['id']}"))
    return out


def resource_types(base_url: str) -> list[dict[str, Any]]:
    out = []
    for model in (User[EnterpriseUser], Group):
        document = _dump(ResourceType.from_resource(model))
        out.append(
            _with_meta(document, "ResourceType", f"{base_url}/ResourceTypes/{document['id']}")
        )
    return out
