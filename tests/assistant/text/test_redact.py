"""`assistant.text.redact`: secrets are masked in any text leaving the assistant."""

from __future__ import annotations

from assistant.text.redact import redact


def test_redaction_masks_known_and_secret_looking_strings() -> None:
    text = "GET /Users?token=abc123 Authorization: Bearer eyJhbGciOi.x stp_AbC123xyz9 adm_k3y-0000"
    clean = redact(text + " my-own-secret", ["my-own-secret"])
    for secret in ("abc123", "eyJhbGciOi", "stp_AbC123xyz9", "adm_k3y-0000", "my-own-secret"):
        assert secret not in clean
