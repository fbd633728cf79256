"""A listener on this machine's non-loopback address that records the bytes it receives.

It stands for "anyone on the network path": what it records is what a plain-http request puts
on the wire. It answers every request with a 404 and closes. Tests that need it skip when the
machine has no non-loopback IPv4 address.
"""

from __future__ import annotations

import socket

import pytest

from tests.support.servers import TcpListener


def non_loopback_ipv4() -> str | None:
    """This machine's outbound IPv4 address, if it has one that is not 127.x (no packet sent)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks a route, sends nothing
        address: str = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") or address == "0.0.0.0" else address


class Wiretap(TcpListener):
    """Accepts connections on `host`, port 0; `received` holds every byte that arrived."""

    def __init__(self, host: str) -> None:
        super().__init__(host)
        self.received = bytearray()

    def answer(self, conn: socket.socket) -> None:
        self.received.extend(conn.recv(65536))
        conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")


def start_wiretap() -> Wiretap:
    """A running wiretap on the non-loopback address; skips the test when there is none."""
    host = non_loopback_ipv4()
    if host is None:
        pytest.skip("this machine has no non-loopback IPv4 address")
    tap: Wiretap = Wiretap(host).start()
    return tap
