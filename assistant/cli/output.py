"""What a headless command prints: its result, or its failure — never a control sequence.

One shape for every command's failure (`--json`, one object on stdout)::

    {"ok": false,
     "error": {"kind": "unreachable|tls|unauthorized|forbidden|not_found|conflict|invalid|
               server|timeout|malformed|config|entra|blocked", "message": "...", "fix": "...",
               "status": 401 | null, "code": "..." | null, ...}}

A Graph failure adds Graph's own fields (`error`: its class, `graph_message`, `request_id`);
`entra setup` stopped by a failed Test Connection adds `result` (what it did so far). Without
`--json` the sentence and its fix go to stderr.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from assistant.cli.options import Options
from assistant.i18n.translate import t
from assistant.text.redact import redact
from assistant.text.safe import json_terminal_safe, terminal_safe

JsonValue = None | bool | int | float | str | Sequence["JsonValue"] | Mapping[str, "JsonValue"]
"""What `json.dumps` writes: the type of every payload a command prints."""


@dataclass(frozen=True)
class Failure:
    """A failure in words: its kind, the sentence, the fix (the runner adds the exit code)."""

    kind: str
    message: str
    fix: str
    extra: Mapping[str, JsonValue] = field(default_factory=dict)
    """More fields for the JSON error (`status`, `code`, Graph's, `result`)."""

    def as_json(self) -> dict[str, JsonValue]:
        error: dict[str, JsonValue] = {"kind": self.kind, "status": None, "code": None}
        error.update(self.extra)
        error.update(kind=self.kind, message=self.message, fix=self.fix)
        return {"ok": False, "error": error}


def emit(options: Options, payload: Mapping[str, object], text: str, secret: str = "") -> None:
    """Print the result; nothing from the instance reaches the terminal as a control sequence.

    JSON keeps the data exact (the escapes are JSON's own); text writes active characters out.
    """
    if options.json:
        dumped = json.dumps(payload, indent=2, ensure_ascii=False)
        print(json_terminal_safe(redact(dumped, [secret])))
    else:
        print(terminal_safe(redact(text, [secret]), newlines=True))


def say_failure(options: Options, failure: Failure, lang: str) -> None:
    """The failure as JSON on stdout (`--json`), else its sentence and fix on stderr."""
    if options.json:
        dumped = json.dumps(failure.as_json(), indent=2, ensure_ascii=False)
        print(json_terminal_safe(dumped))
    else:  # the message may quote a server's answer
        message, fix = terminal_safe(failure.message), terminal_safe(failure.fix)
        print(t("headless.error", lang, message=message, fix=fix), file=sys.stderr)


def fail(options: Options, kind: str, message: str, fix: str, lang: str = "en") -> None:
    """Say a failure a command found itself (not installed, refused…); it returns the code."""
    say_failure(options, Failure(kind, message, fix), lang)
