"""Entra's Test Connection texts decoded into their cause: the words Entra's portal shows for each
failure (and anything new as "unknown", never a guess). The verdicts over HTTPS, through the
Graph emulator, are `test_side.py`'s."""

from __future__ import annotations

import pytest

from assistant.entra.verdict import cause_of


@pytest.mark.parametrize(
    ("message", "cause"),
    [
        ("… Response Status Code: Unauthorized Response Content: {}", "unauthorized"),
        ("… Response Status Code: Forbidden", "forbidden"),
        ("… Response Status Code: 404", "not_found"),
        ("… Response Status Code: InternalServerError", "http_error"),
        ("The remote server returned an error: (401) Unauthorized.", "unauthorized"),
        ("Could not establish trust relationship for the SSL/TLS secure channel.", "tls"),
        ("Unable to connect to the remote server", "refused"),
        ("The operation has timed out.", "timeout"),
        ("The remote name could not be resolved: 'acme.steeple.co'", "unreachable"),
        ("Response Status Code: OK, but the body is not a SCIM ListResponse", "not_scim"),
        ("Something new", "unknown"),
    ],
)
def test_entra_texts_decode_to_their_cause(message: str, cause: str) -> None:
    assert cause_of(message) == cause
