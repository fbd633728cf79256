"""A scim2-client engine over plain `httpx`, for running scim2-tester against the live server.

The installed scim2-client ships its network engine for `httpx2` only; this is the same
thirty lines on the `httpx` the project already depends on, rather than a new dependency.
"""

from __future__ import annotations

from typing import Any, cast

import httpx
from scim2_client.client import BaseSyncSCIMClient, RawResponse
from scim2_client.errors import RequestNetworkException


class HttpxSCIMClient(BaseSyncSCIMClient):
    """`scim2_client.engines.httpx2.SyncSCIMClient`, ported to `httpx.Client`."""

    def __init__(self, client: httpx.Client, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client = client

    def _stays_under_base_url(self, endpoint: str) -> bool:
        base_url = self.client.base_url
        if not base_url.is_absolute_url:
            return False
        try:
            url = self.client.build_request("GET", endpoint).url
        except httpx.InvalidURL:
            return False
        same_origin = (url.scheme, url.host, url.port) == (
            base_url.scheme,
            base_url.host,
            base_url.port,
        )
        return same_origin and url.raw_path.startswith(base_url.raw_path)

    def _parse_json(self, response: RawResponse) -> Any:
        return cast(httpx.Response, response).json()

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            return self.client.request(method, url, **kwargs)
        except httpx.RequestError as exc:
            error = RequestNetworkException()
            error.add_note(str(exc))
            raise error from exc
