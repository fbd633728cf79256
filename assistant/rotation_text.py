"""What a rotation says at each stage, in the admin's language: one wording for the TUI and
`rotate-token`, so both tell the same story.

Values that come from elsewhere (a request's kind and time from the instance, a Graph verdict's
sentence) are returned inside these lines unescaped: callers show them as data — `Text` in the
TUI, `terminal_safe` on a terminal — never as markup.
"""

from __future__ import annotations

from datetime import datetime

from assistant.i18n import t
from assistant.rotation import (
    Checked,
    Created,
    FirstSign,
    Revoked,
    RotationEvent,
    Saved,
    Stopped,
    StopReason,
    Tested,
    Verified,
    Waiting,
)


def duration(seconds: float, lang: str) -> str:
    """`2 min 5 s` or `40 s`: a limit or an elapsed time, as people read it."""
    whole = max(0, round(seconds))
    minutes, rest = divmod(whole, 60)
    if minutes and not rest:
        return t("rotation.whole_minutes", lang, minutes=minutes)
    if minutes:
        return t("rotation.minutes", lang, minutes=minutes, seconds=rest)
    return t("rotation.seconds", lang, seconds=rest)


def _clock(when: datetime) -> str:
    return when.strftime("%H:%M:%S UTC")


def _kind(kind: str, lang: str) -> str:
    """A request kind in the admin's language, as the request stream names it."""
    key = f"stream.kind_{kind}"
    text = t(key, lang)
    return kind if text == key else text


def event_line(event: RotationEvent, lang: str) -> str:
    """One sentence for one stage (a `Stopped` gets its sentence; see `stop_lines` for all)."""
    match event:
        case Checked(old=old):
            return t("rotation.checked", lang, old=old.hint)
        case Created(hint=hint):
            return t("rotation.created", lang, hint=hint)
        case Tested():
            return t("rotation.tested", lang)
        case Saved(via_graph=via_graph):
            return t("rotation.saved.graph" if via_graph else "rotation.saved.manual", lang)
        case FirstSign(entry=entry):
            kind = _kind(entry.kind, lang)
            return t("rotation.first_sign", lang, kind=kind, time=_clock(entry.time))
        case Waiting(elapsed=elapsed, limit=limit):
            return t(
                "rotation.waiting",
                lang,
                elapsed=duration(elapsed, lang),
                limit=duration(limit, lang),
            )
        case Verified(entry=entry):
            kind, when = _kind(entry.kind, lang), _clock(entry.time)
            return t("rotation.verified", lang, kind=kind, time=when, status=entry.status)
        case Revoked(old_hint=old, new_hint=new):
            return t("rotation.revoked", lang, old=old, new=new)
        case Stopped():
            return stop_lines(event, lang, limit=None)[0]
    raise AssertionError(event)  # pragma: no cover - every event is matched above


def stop_parts(event: Stopped, lang: str, *, limit: float | None) -> tuple[str, str]:
    """Why it stopped and what to do about it (either may come from a Graph verdict)."""
    reason = event.reason
    if reason is StopReason.TIMEOUT:
        sentence = t("rotation.stop.timeout", lang, limit=duration(limit or 0, lang))
    elif reason is StopReason.TEST_FAILED:
        sentence = t("rotation.stop.test_failed", lang, message=event.message)
    elif reason is StopReason.ERROR:
        sentence = event.message
    else:
        sentence = t(f"rotation.stop.{reason.value}", lang)
    if event.fix or reason in (StopReason.TEST_FAILED, StopReason.ERROR):
        return sentence, event.fix
    return sentence, t(f"rotation.stop.{reason.value}.fix", lang)


def stop_lines(event: Stopped, lang: str, *, limit: float | None) -> list[str]:
    """Why it stopped, the fix, and which tokens stay live (nothing was revoked)."""
    sentence, fix = stop_parts(event, lang, limit=limit)
    lines = [sentence]
    if fix:
        lines.append(t("headless.fix", lang, fix=fix))
    if event.live_hints:
        hints = ", ".join(f"…{hint}" for hint in event.live_hints)
        lines.append(t("rotation.live", lang, hints=hints))
    return lines
