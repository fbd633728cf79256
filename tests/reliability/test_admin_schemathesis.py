"""schemathesis against the live sandbox's admin OpenAPI document: no 5xx, responses match it.

Bounded and deterministic: a few derandomized examples per operation (about 20 operations).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from sandbox.server import SandboxServer

pytestmark = pytest.mark.slow  # property-based (schemathesis)

EXAMPLES_PER_OPERATION = 8


@pytest.fixture
def admin_schema(start_sandbox: Callable[..., SandboxServer]) -> schemathesis.BaseSchema:
    # Schemathesis checks every operation refuses wrong credentials (401), dozens of times from
    # one address: the wrong-key throttle (429 past 20) is tested on its own, in
    # tests/sandbox/admin/test_admin_key_hygiene.py, so its allowance is out of the way here.
    server = start_sandbox(admin_failure_burst=100_000)
    return schemathesis.openapi.from_url(f"{server.admin_url}/openapi.json")


schema = schemathesis.pytest.from_fixture("admin_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_admin_api_conforms_to_its_openapi(case: schemathesis.Case, admin_key: str) -> None:
    """Every default check runs (no 5xx, status codes, content types, headers, response schemas,
    negative data rejected, undeclared methods 405, Allow headers) except one:
    `positive_data_acceptance` — page cursors are opaque strings that are valid only when the
    server issued them (a schema cannot say so), so a generated cursor is rightly refused 422."""
    case.call_and_validate(
        headers={"Authorization": f"Bearer {admin_key}"},
        excluded_checks=[positive_data_acceptance],
    )
