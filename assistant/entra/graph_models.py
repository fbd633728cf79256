"""The Graph v1.0 resources the assistant reads, as pydantic models (camelCase on the wire).

Only the properties we use are declared; unknown ones are ignored, so a richer real answer parses.
Each follows the v1.0 CSDL (msgraph-metadata): nullable where it is nullable, empty strings and
year-1 dates read as absent, enumerations kept open (Entra's word is kept, never a crash). The
job status is `assistant.entra.contract.SynchronizationJobStatus`. An answer that still does not
fit is not a `ValidationError` reaching a person: `parse` turns it into a `GraphUnexpectedAnswer`.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, Field, ValidationError

from assistant.entra.contract import GraphModel, GraphText, SynchronizationJobStatus
from assistant.entra.graph_errors import GraphUnexpectedAnswer

DEFAULT_ROLE_ID = "00000000-0000-0000-0000-000000000000"
"""The default access role: for a resource that declares no app roles only (appRoleAssignment)."""


class GraphResource(GraphModel):
    """A Graph entity or complex type (camelCase, unknown properties ignored)."""


class User(GraphResource):
    id: str
    user_principal_name: str
    display_name: GraphText = None
    mail: GraphText = None
    account_enabled: bool | None = None


class Group(GraphResource):
    id: str
    display_name: GraphText = None


class DirectoryObject(GraphResource):
    """An item of a mixed collection (a group's members, a user's `memberOf`): a user or a
    group, told apart by `@odata.type`."""

    id: str
    odata_type: str | None = Field(default=None, alias="@odata.type")
    display_name: GraphText = None


class AppRole(GraphResource):
    """A role the app declares (`appRole`, CSDL: id and allowedMemberTypes not nullable)."""

    id: str
    allowed_member_types: list[str] = Field(default_factory=list)
    display_name: GraphText = None
    value: GraphText = None
    is_enabled: bool = True

    @property
    def for_users_and_groups(self) -> bool:
        """Graph's "User" member type covers users and groups (appRole.allowedMemberTypes)."""
        return self.is_enabled and "User" in self.allowed_member_types


class ServicePrincipal(GraphResource):
    id: str
    app_id: str
    display_name: GraphText = None
    service_principal_names: list[str] = Field(default_factory=list)
    """A SAML app's entity id (identifier) is one of these: how Steeple's app is recognised."""
    reply_urls: list[str] = Field(default_factory=list)
    """A SAML app's reply URLs (Assertion Consumer Service)."""
    preferred_single_sign_on_mode: GraphText = None
    app_roles: list[AppRole] = Field(default_factory=list)


class ApplicationServicePrincipal(GraphResource):
    """What `applicationTemplates/{id}/instantiate` answers."""

    application: dict[str, Any]
    service_principal: ServicePrincipal


class SynchronizationTemplate(GraphResource):
    id: str
    factory_tag: GraphText = None
    default: bool | None = None


class ObjectMapping(GraphResource):
    source_object_name: GraphText = None
    target_object_name: GraphText = None


class SynchronizationRule(GraphResource):
    """A rule of the job's schema: its `id` is what provisionOnDemand's `ruleId` names."""

    id: GraphText = None
    name: GraphText = None
    source_directory_name: GraphText = None
    target_directory_name: GraphText = None
    object_mappings: list[ObjectMapping] = Field(default_factory=list)


class SynchronizationSchema(GraphResource):
    synchronization_rules: list[SynchronizationRule] = Field(default_factory=list)

    def user_rule_id(self) -> str | None:
        """The id of the rule that provisions Entra users (a User source object), else None."""
        for rule in self.synchronization_rules:
            sources = {(m.source_object_name or "").lower() for m in rule.object_mappings}
            if rule.id and "user" in sources:
                return rule.id
        return next((rule.id for rule in self.synchronization_rules if rule.id), None)


class SynchronizationSchedule(GraphResource):
    interval: GraphText = None
    state: GraphText = None
    expiration: datetime | None = None


class SynchronizationJob(GraphResource):
    id: str
    template_id: GraphText = None
    schedule: SynchronizationSchedule | None = None
    status: SynchronizationJobStatus = Field(default_factory=SynchronizationJobStatus)


class AppRoleAssignment(GraphResource):
    id: str
    app_role_id: str
    principal_id: str
    principal_type: GraphText = None
    principal_display_name: GraphText = None
    resource_id: str


class ProvisioningErrorInfo(GraphResource):
    error_code: GraphText = None
    reason: GraphText = None


class ProvisioningStatusInfo(GraphResource):
    status: GraphText = None
    """provisioningResult: success, failure, skipped, warning (open; nullable in the CSDL)."""
    error_information: ProvisioningErrorInfo | None = None


class ProvisionedIdentity(GraphResource):
    id: GraphText = None
    display_name: GraphText = None
    identity_type: GraphText = None


class ProvisioningObjectSummary(GraphResource):
    """One line of the provisioning logs (`auditLogs/provisioning`)."""

    id: str
    activity_date_time: datetime
    cycle_id: GraphText = None
    job_id: GraphText = None
    provisioning_action: GraphText = None
    provisioning_status_info: ProvisioningStatusInfo | None = None
    source_identity: ProvisionedIdentity | None = None
    target_identity: ProvisionedIdentity | None = None


class OnDemandResult(GraphResource):
    """`provisionOnDemand`'s answer, decoded from the two JSON strings Graph returns in it."""

    result: str
    """Success, Failure or Skipped."""
    error_code: str | None = None
    """details.errorCode: a skip reason too (RedundantExport, NotEffectivelyEntitled)."""
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

    def text(*candidates: Any) -> str | None:
        return next((str(c) for c in candidates if isinstance(c, str | int) and c != ""), None)

    return OnDemandResult(
        result=text(key.get("result"), status.get("status")) or "Unknown",
        error_code=text(details.get("errorCode"), status.get("errorCode")),
        error_message=text(details.get("errorMessage"), status.get("reason")),
        action=text(value.get("action")),
    )


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], data: Any, what: str) -> M:
    """`data` as `model`, or a `GraphUnexpectedAnswer` naming what did not fit (never a trace).

    `what` says what was read ("the provisioning job"); the first mismatch is named by its
    place in the answer (`status.code`), never by its value, which is foreign text.
    """
    try:
        return model.model_validate(data)
    except ValidationError as invalid:
        errors = invalid.errors()
        where = ".".join(str(part) for part in errors[0]["loc"]) if errors else ""
        message = errors[0]["msg"] if errors else "invalid"
        raise GraphUnexpectedAnswer.about(what, f"{where or 'the body'}: {message}") from None
