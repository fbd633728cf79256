"""The sandbox server starts in-process and answers over real HTTP."""

import httpx

from sandbox.server import SandboxServer


def test_sandbox_serves_openapi_over_http(sandbox: SandboxServer) -> None:
    response = httpx.get(sandbox.admin_url + "/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"].startswith("Steeple admin API")
