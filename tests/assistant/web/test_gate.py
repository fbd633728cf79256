"""The gate's rules on their own: the secret buys the cookie once; Host and Origin must name
this server."""

from __future__ import annotations

from assistant.web.gate import Refusal, WebGate


def test_the_secret_opens_once_and_only_itself() -> None:
    gate = WebGate(port=8710)
    assert gate.redeem(None) is Refusal.NO_SECRET
    assert gate.redeem("") is Refusal.NO_SECRET
    assert gate.redeem(gate.secret[:-1]) is Refusal.WRONG_SECRET
    assert gate.redeem(gate.secret + "x") is Refusal.WRONG_SECRET
    assert gate.redeem("é" * 32) is Refusal.WRONG_SECRET  # non-ASCII: refused, not a crash
    assert gate.redeem("\udcff") is Refusal.WRONG_SECRET  # a lone surrogate from a raw query
    assert not gate.spent
    assert gate.redeem(gate.secret) is None
    assert gate.spent
    assert gate.redeem(gate.secret) is Refusal.SECRET_SPENT


def test_only_this_runs_cookie_is_admitted() -> None:
    gate, other = WebGate(port=8710), WebGate(port=8710)
    assert gate.admits(gate.cookie)
    assert not gate.admits(other.cookie)
    assert not gate.admits(None)
    assert not gate.admits("")
    assert gate.secret != other.secret and gate.cookie != other.cookie
    assert gate.cookie != gate.secret  # the printed secret is not the session's key


def test_the_address_is_loopback_and_carries_the_secret_as_its_only_parameter() -> None:
    gate = WebGate(port=8710)
    assert gate.address == "http://127.0.0.1:8710/"
    assert gate.one_time_url == f"http://127.0.0.1:8710/?secret={gate.secret}"
    assert len(gate.secret) >= 32  # 24 random bytes, URL-safe base64
    assert gate.secret not in repr(gate) and gate.cookie not in repr(gate)


def test_host_must_name_this_server() -> None:
    gate = WebGate(port=8710)
    assert gate.check_host("127.0.0.1:8710") is None
    assert gate.check_host("localhost:8710") is None
    assert gate.check_host("LOCALHOST:8710") is None
    for foreign in (None, "", "127.0.0.1", "127.0.0.1:8711", "evil.example:8710", "[::1]:8710"):
        assert gate.check_host(foreign) is Refusal.WRONG_HOST, foreign


def test_origin_must_be_this_servers_page() -> None:
    gate = WebGate(port=8710)
    assert gate.check_origin("http://127.0.0.1:8710", required=True) is None
    assert gate.check_origin("http://localhost:8710", required=True) is None
    assert gate.check_origin(None, required=False) is None  # a top-level navigation sends none
    assert gate.check_origin(None, required=True) is Refusal.FOREIGN_ORIGIN
    for foreign in (
        "http://127.0.0.1:8711",  # same site (ports do not count), another origin
        "https://127.0.0.1:8710",
        "http://evil.example",
        "null",
    ):
        assert gate.check_origin(foreign, required=False) is Refusal.FOREIGN_ORIGIN, foreign
