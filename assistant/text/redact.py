"""Remove secrets from any text leaving the assistant (reports, JSON output, logs).

Two nets: the exact secrets the caller knows (the admin key it holds), and patterns that look like
Steeple secrets or bearer credentials, for the ones it does not (a SCIM token pasted in a URL).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "[redacted]"

PATTERNS = (
    re.compile(r"\b(stp|adm)_[A-Za-z0-9_\-]{6,}"),
    re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=\-]{6,}"),
    re.compile(r"(?i)\b(token|secret|password|api_key|apikey|key)=[^&\s\"']+"),
)


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """`text` with every known secret and every secret-looking string masked."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
    text = PATTERNS[0].sub(lambda m: f"{m.group(1)}_{MASK}", text)
    text = PATTERNS[1].sub(lambda m: f"{m.group(1)} {MASK}", text)
    return PATTERNS[2].sub(lambda m: m.group(0).split("=", 1)[0] + "=" + MASK, text)
