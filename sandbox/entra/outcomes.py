"""How SCIM answers become Entra's outcomes: provisioning-log error codes, or a stopped cycle.

The codes are Microsoft's own list (learn.microsoft.com/entra/identity/monitoring-health/
howto-analyze-provisioning-logs, "Error codes"); which HTTP status gives which code is not
documented and is this simulator's reading of each code's description.
"""

from __future__ import annotations

from sandbox.entra.transport import ScimAnswer

DOCUMENTED_ERROR_CODES = frozenset(
    {
        "Conflict",
        "EntryConflict",
        "TooManyRequests",
        "InternalServerError",
        "InsufficientRights",
        "MethodNotAllowed",
        "NotPermitted",
        "Unauthorized",
        "UnprocessableEntity",
        "WebExceptionProtocolError",
        "InvalidAnchor",
        "NotImplemented",
        "MandatoryFieldsMissing",
        "MissingValues",
        "SchemaAttributeNotFound",
        "InternalError",
        "InvalidDomain",
        "Timeout",
        "LicenseLimitExceeded",
        "DuplicateTargetEntries",
        "DuplicateSourceEntries",
        "ImportSkipped",
        "EntrySynchronizationSkipped",
        "SystemForCrossDomainIdentityManagementMultipleEntriesInResponse",
        "SystemForCrossDomainIdentityManagementServiceIncompatible",
        "SchemaPropertyCanOnlyAcceptValue",
    }
)
SERVICE_INCOMPATIBLE = "SystemForCrossDomainIdentityManagementServiceIncompatible"
MULTIPLE_ENTRIES = "SystemForCrossDomainIdentityManagementMultipleEntriesInResponse"
_BY_STATUS = {
    401: "Unauthorized",
    403: "InsufficientRights",
    404: "InvalidAnchor",
    405: "MethodNotAllowed",
    409: "EntryConflict",
    422: "UnprocessableEntity",
    429: "TooManyRequests",
    501: "NotImplemented",
}


class CycleAborted(Exception):
    """The target refused the job itself (401/403 mid-cycle): Entra quarantines, not escrows."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def error_code_for(answer: ScimAnswer) -> str:
    """Entra's provisioning-log error code for a failed SCIM answer."""
    if answer.status is None:
        return "Timeout" if answer.cause == "timeout" else "WebExceptionProtocolError"
    if answer.cause == "non-json":
        return SERVICE_INCOMPATIBLE
    if answer.status in _BY_STATUS:
        return _BY_STATUS[answer.status]
    if answer.status >= 500:
        return "InternalServerError"
    if answer.status == 400:
        return "UnprocessableEntity"
    return SERVICE_INCOMPATIBLE
