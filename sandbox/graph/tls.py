"""A throwaway local certificate authority for the emulators (trustme).

MSAL accepts only an `https` authority, so the login and Graph emulators are served over TLS with
a certificate from a CA made for this process alone. Clients trust it through `ca_pem_path` (a
public certificate, not a secret) or `client_context()`; nothing else on the machine trusts it.
"""

from __future__ import annotations

import ssl
import tempfile
from pathlib import Path

import trustme


class LocalTls:
    """One CA and one server certificate for 127.0.0.1 / localhost."""

    def __init__(self, hosts: tuple[str, ...] = ("127.0.0.1", "localhost")) -> None:
        self.ca = trustme.CA(organization_name="Steeple sandbox (throwaway)")
        self._cert = self.ca.issue_cert(*hosts)
        self._dir = tempfile.TemporaryDirectory(prefix="steeple-graph-ca-")
        self.ca_pem_path = Path(self._dir.name) / "sandbox-ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_pem_path))

    def server_context(self) -> ssl.SSLContext:
        """The server side: our certificate chain (its key never leaves memory but for trustme)."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._cert.configure_cert(context)
        return context

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts this CA only (for httpx)."""
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context

    def cleanup(self) -> None:
        self._dir.cleanup()
