"""Limits that keep one client from hurting the instance: body size, page size, filter
complexity and per-token request rate — each refused in RFC 7644 §3.12 form, changing nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from sandbox.scim.filters import MAX_FILTER_LENGTH, MAX_FILTER_OPERATORS
from sandbox.scim.ratelimit import TokenBucketLimiter
from sandbox.server import SandboxServer
from tests.support.sandboxes import dump_scim_tables
from tests.support.scim import USER_SCHEMA, entra_user, make_token, scim_client, token_for

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


def assert_scim_error(response: httpx.Response, status: int, scim_type: str | None = None) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["schemas"] == [ERROR_SCHEMA]
    assert body["status"] == str(status)
    if scim_type is not None:
        assert body["scimType"] == scim_type


def test_scim_body_over_the_cap_is_413_and_nothing_is_stored(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    server = start_sandbox(seed="empty", max_body_bytes=4096)
    conn = server.app.state.sandbox.conn
    with scim_client(server, token_for(server)) as scim:
        before = dump_scim_tables(conn)
        big = entra_user("big@contoso.com", displayName="x" * 5000)
        assert_scim_error(scim.post("/Users", json=big), 413)

        # Chunked upload (no Content-Length): refused while reading, not trusted to a header.
        def chunks() -> Iterator[bytes]:
            yield b'{"schemas": ["' + USER_SCHEMA.encode() + b'"], "userName": "c@x.io", "x": "'
            for _ in range(10):
                yield b"y" * 1000
            yield b'"}'

        assert_scim_error(scim.post("/Users", content=chunks()), 413)
        assert dump_scim_tables(conn) == before
        # Just under the cap still works.
        assert scim.post("/Users", json=entra_user("small@contoso.com")).status_code == 201


def test_admin_body_over_the_cap_is_413(start_sandbox: Callable[..., SandboxServer]) -> None:
    server = start_sandbox(max_body_bytes=2048)
    headers = {"Authorization": f"Bearer {server.config.admin_key}"}
    with httpx.Client(base_url=server.admin_url, headers=headers, timeout=15) as admin:
        before = admin.get("/sso").json()
        answer = admin.put("/sso", json={"metadata_url": "https://x/" + "a" * 4000})
        assert answer.status_code == 413
        assert answer.json()["code"] == "body_too_large"

        def chunks() -> Iterator[bytes]:
            yield b'{"metadata_url": "https://x/'
            for _ in range(8):
                yield b"a" * 1000
            yield b'"}'

        chunked = admin.put("/sso", content=chunks(), headers={"Content-Type": "application/json"})
        assert chunked.status_code == 413, chunked.text
        assert admin.get("/sso").json() == before


def test_page_size_is_capped(start_sandbox: Callable[..., SandboxServer]) -> None:
    server = start_sandbox(seed="empty", max_page_size=5)
    with scim_client(server, token_for(server)) as scim:
        for i in range(8):
            assert scim.post("/Users", json=entra_user(f"u{i}@contoso.com")).status_code == 201
        page = scim.get("/Users", params={"count": "100000"}).json()
        assert page["totalResults"] == 8
        assert page["itemsPerPage"] == 5 and len(page["Resources"]) == 5
        default = scim.get("/Users").json()
        assert len(default["Resources"]) == 5
        second = scim.get("/Users", params={"count": "5", "startIndex": "6"}).json()
        assert len(second["Resources"]) == 3
        names = {u["userName"] for u in page["Resources"] + second["Resources"]}
        assert len(names) == 8
        spc = scim.get("/ServiceProviderConfig").json()
        assert spc["filter"]["maxResults"] == 5
        assert_scim_error(scim.get("/Users", params={"count": "lots"}), 400, "invalidValue")


def test_filter_complexity_is_capped(scim: httpx.Client) -> None:
    assert scim.post("/Users", json=entra_user("a@contoso.com")).status_code == 201
    at_cap = " or ".join(['userName eq "a@contoso.com"'] * ((MAX_FILTER_OPERATORS + 1) // 2))
    assert scim.get("/Users", params={"filter": at_cap}).json()["totalResults"] == 1
    over = " or ".join(['userName eq "a@contoso.com"'] * (MAX_FILTER_OPERATORS // 2 + 1))
    assert len(over) < MAX_FILTER_LENGTH
    assert_scim_error(scim.get("/Users", params={"filter": over}), 400, "invalidFilter")
    too_long = 'userName eq "' + "a" * MAX_FILTER_LENGTH + '"'
    assert_scim_error(scim.get("/Groups", params={"filter": too_long}), 400, "invalidFilter")
    deep = "(" * 1500 + 'userName eq "a"' + ")" * 1500
    assert_scim_error(scim.get("/Users", params={"filter": deep}), 400, "invalidFilter")
    nested_not = "not (" * 300 + 'userName eq "a"' + ")" * 300
    assert scim.get("/Users", params={"filter": nested_not}).status_code == 400


def test_rate_limit_answers_429_with_retry_after_per_token(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    # 0.01/s: the bucket (1 request) refills in 100 s, far beyond this test: no timing race.
    server = start_sandbox(seed="empty", scim_rate_limit_per_second=0.01)
    conn = server.app.state.sandbox.conn
    first, second = make_token(server), make_token(server)
    with scim_client(server, first) as noisy, scim_client(server, second) as quiet:
        assert noisy.post("/Users", json=entra_user("one@contoso.com")).status_code == 201
        before = dump_scim_tables(conn)
        limited = noisy.post("/Users", json=entra_user("two@contoso.com"))
        assert_scim_error(limited, 429)
        retry_after = int(limited.headers["Retry-After"])
        assert 1 <= retry_after <= 100
        assert dump_scim_tables(conn) == before  # the refused write did not happen
        # Another token has its own bucket.
        assert quiet.get("/Users").status_code == 200
        # A bad token is a 401 (authentication first), not a 429.
        bad = noisy.get("/Users", headers={"Authorization": "Bearer stp_nope"})
        assert bad.status_code == 401
    row = conn.execute(
        "SELECT status, summary FROM request_log WHERE status = 429 ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    assert tuple(row) == (429, "rate limited")  # the throttle is visible to the admin


def test_default_rate_limit_does_not_throttle_a_normal_burst(scim: httpx.Client) -> None:
    statuses = {scim.get("/Users").status_code for _ in range(100)}
    assert statuses == {200}


def test_admin_page_size_is_capped(sandbox: SandboxServer) -> None:
    from sandbox.admin.integration_routes import MAX_LIMIT

    headers = {"Authorization": f"Bearer {sandbox.config.admin_key}"}
    with httpx.Client(base_url=sandbox.admin_url, headers=headers, timeout=15) as admin:
        assert len(admin.get("/users", params={"limit": MAX_LIMIT}).json()["items"]) <= MAX_LIMIT
        over = admin.get("/users", params={"limit": MAX_LIMIT + 1})
        assert over.status_code == 422 and over.json()["code"] == "invalid_request"


def test_token_bucket_refills_at_its_rate() -> None:
    """The limiter's arithmetic on an injected clock (no sleeping, no timing assertions)."""
    now = [100.0]
    limiter = TokenBucketLimiter(rate=2.0, burst=2.0, monotonic=lambda: now[0])
    assert limiter.acquire("a") == 0.0 and limiter.acquire("a") == 0.0
    assert limiter.acquire("a") == pytest.approx(0.5)  # one request every half second
    assert limiter.acquire("b") == 0.0  # keys are independent
    now[0] += 0.5
    assert limiter.acquire("a") == 0.0
    assert limiter.acquire("a") > 0
    now[0] += 60
    assert [limiter.acquire("a") for _ in range(3)][:2] == [0.0, 0.0]  # burst, not 120
    with pytest.raises(ValueError):
        TokenBucketLimiter(rate=0)


def test_a_flood_of_keys_keeps_the_limiter_bounded_and_a_guesser_counted() -> None:
    """Issue 20, point 3: memory stays bounded (measured with tracemalloc), and a flood of fresh
    addresses cannot wipe the count of an address that keeps failing."""
    import tracemalloc

    from sandbox.throttle import FailureThrottle

    now = [0.0]
    throttle = FailureThrottle(rate=0.1, burst=3, monotonic=lambda: now[0], max_keys=1024)
    for _ in range(4):
        throttle.failed("guesser")
    assert throttle.retry_after("guesser") > 0
    tracemalloc.start()
    baseline = tracemalloc.take_snapshot()
    sizes = []
    for n in range(100_000):
        throttle.failed(f"10.{n >> 16}.{(n >> 8) & 255}.{n & 255}")
        if n % 10 == 0:
            throttle.failed("guesser")  # the guesser keeps trying throughout the flood
        if n in (999, 9_999, 99_999):
            grown = tracemalloc.take_snapshot().compare_to(baseline, "filename")
            sizes.append(sum(stat.size_diff for stat in grown))
    tracemalloc.stop()
    assert len(throttle) <= 1024
    assert "guesser" in throttle and throttle.retry_after("guesser") > 0  # always recent: kept
    # 100x the addresses, about the same memory: bounded, not growing with the flood.
    assert sizes[2] < 1.5 * sizes[0] + 64 * 1024, sizes


def test_refilled_buckets_are_forgotten_before_counting_ones() -> None:
    from sandbox.throttle import TokenBucketLimiter

    now = [0.0]
    limiter = TokenBucketLimiter(rate=1.0, burst=1.0, monotonic=lambda: now[0], max_keys=4)
    for key in ("a", "b", "c"):
        limiter.acquire(key)
    now[0] += 10  # a, b and c have refilled: nothing worth keeping
    limiter.acquire("d")
    limiter.acquire("e")  # full: the refilled ones go, d (still counting) stays
    assert len(limiter) == 2 and limiter.wait("d") > 0


def test_a_flood_of_wrong_scim_tokens_never_refuses_the_right_one(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    """Issue 20, point 3, for SCIM bearers: the token is identified first, so garbage bearers
    from Entra's own address (a shared egress) slow only themselves."""
    server = start_sandbox(seed="empty", anonymous_rate_limit_per_second=0.01, anonymous_burst=3)
    token = token_for(server)
    with scim_client(server, "stp_guessed-but-wrong") as guesser:
        statuses = [guesser.get("/Users").status_code for _ in range(6)]
    assert statuses[:3] == [401] * 3 and statuses[3:] == [429] * 3
    with scim_client(server, token) as entra:
        assert [entra.get("/Users").status_code for _ in range(5)] == [200] * 5
