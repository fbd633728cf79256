"""A listener on this machine's non-loopback address that records the bytes it receives.

It stands for "anyone on the network path": what it records is what a plain-http request puts
on the wire. It answers every request with a 404 and closes. Tests that need it skip when the
machine has no non-loopback IPv4 address.
"""

from __future__ import annotations

import socket
import threading

import pytest


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


class Wiretap:
    """Accepts connections on `host`, port 0; `received` holds every byte that arrived."""

    def __init__(self, host: str) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind((host, 0))
        self._sock.listen(8)
        self._sock.settimeout(0.2)
        self.url = f"http://{host}:{self._sock.getsockname()[1]}"
        self.received = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def start(self) -> Wiretap:
        self._thread.start()
        return self

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    self.received.extend(conn.recv(65536))
                    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()


def start_wiretap() -> Wiretap:
    """A running wiretap on the non-loopback address; skips the test when there is none."""
    host = non_loopback_ipv4()
    if host is None:
        pytest.skip("this machine has no non-loopback IPv4 address")
    return Wiretap(host).start()
