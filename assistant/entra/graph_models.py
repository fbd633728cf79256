"""The Graph v1.0 resources the assistant reads, as pydantic models (camelCase on the wire).

Only the properties we use are declared; unknown ones are ignored, so a richer real answer parses.
The job status is `assistant.entra_contract.SynchronizationJobStatus`, already shaped like
Graph's `synchronizationStatus` field for field.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from assistant.entra_contract import SynchronizationJobStatus


class GraphResource(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class User(GraphResource):
    id: str
    user_principal_name: str
    display_name: str | None = None
    mail: str | None = None
    account_enabled: bool | None = None


class DirectoryObject(GraphResource):
    """A member of a group: a user or a nested group, told apart by `@odata.type`."""

    id: str
    odata_type: str | None = Field(default=None, alias="@odata.type")


class Group(GraphResource):
    id: str
    display_name: str | None = None


class ServicePrincipal(GraphResource):
    id: str
    app_id: str
    display_name: str | None = None
    service_principal_names: list[str] = Field(default_factory=list)
    """A SAML app's entity id (identifier) is one of these: how Steeple's app is recognised."""
    reply_urls: list[str] = Field(default_factory=list)
    """A SAML app's reply URLs (Assertion Consumer Service)."""
    preferred_single_sign_on_mode: str | None = None


class ApplicationServicePrincipal(GraphResource):
    """What `applicationTemplates/{id}/instantiate` answers."""

    application: dict[str, Any]
    service_principal: ServicePrincipal


class SynchronizationTemplate(GraphResource):
    id: str
    factory_tag: str | None = None
    default: bool = False


class SynchronizationSchedule(GraphResource):
    interval: str | None = None
    state: str | None = None
    expiration: datetime | None = None


class SynchronizationJob(GraphResource):
    id: str
    template_id: str | None = None
    schedule: SynchronizationSchedule | None = None
    status: SynchronizationJobStatus = Field(default_factory=SynchronizationJobStatus)


class AppRoleAssignment(GraphResource):
    id: str
    app_role_id: str
    principal_id: str
    principal_type: str | None = None
    principal_display_name: str | None = None
    resource_id: str


class ProvisioningErrorInfo(GraphResource):
    error_code: str | None = None
    reason: str | None = None


class ProvisioningStatusInfo(GraphResource):
    status: str
    error_information: ProvisioningErrorInfo | None = None


class ProvisionedIdentity(GraphResource):
    id: str | None = None
    display_name: str | None = None
    identity_type: str | None = None


class ProvisioningObjectSummary(GraphResource):
    """One line of the provisioning logs (`auditLogs/provisioning`)."""

    id: str
    activity_date_time: datetime
    cycle_id: str | None = None
    job_id: str | None = None
    provisioning_action: str | None = None
    provisioning_status_info: ProvisioningStatusInfo | None = None
    source_identity: ProvisionedIdentity | None = None
    target_identity: ProvisionedIdentity | None = None


class OnDemandResult(GraphResource):
    """`provisionOnDemand`'s answer, decoded from the two JSON strings Graph returns in it."""

    result: str
    """Success, Failure or Skipped."""
    error_code: str | None = None
    error_message: str | None = None
    action: str | None = None


def decode_on_demand(body: Any) -> OnDemandResult:
    """`{"key": "{\"result\", \"details\"}", "value": "{\"action\", …}"}` → one model."""

    def loads(text: Any) -> dict[str, Any]:
        try:
            decoded = json.loads(text) if isinstance(text, str) else {}
        except ValueError:
            decoded = {}
        return decoded if isinstance(decoded, dict) else {}

    body = body if isinstance(body, dict) else {}
    key, value = loads(body.get("key")), loads(body.get("value"))
    details: dict[str, Any] = key["details"] if isinstance(key.get("details"), dict) else {}
    status: dict[str, Any] = (
        value["statusInfo"] if isinstance(value.get("statusInfo"), dict) else {}
    )
    return OnDemandResult(
        result=str(key.get("result") or status.get("status") or "Unknown"),
        error_code=details.get("errorCode") or status.get("errorCode"),
        error_message=details.get("errorMessage") or status.get("reason"),
        action=value.get("action"),
    )
