"""What a rotation says at each stage, in the admin's language: one wording for the TUI and
`rotate-token`, so both tell the same story.

Values that come from elsewhere (a request's kind and time from the instance, a Graph verdict's
sentence, a person's userName) are returned inside these lines unescaped: callers show them as
data — `Text` in the TUI, `terminal_safe` on a terminal — never as markup.
"""

from __future__ import annotations

from datetime import datetime

from assistant.i18n.translate import t
from assistant.rotation.events import (
    Action,
    Checked,
    Cleaned,
    Created,
    FirstSign,
    Nudged,
    Plan,
    Resumed,
    Revoked,
    RotationEvent,
    Saved,
    Stopped,
    StopReason,
    Tested,
    Verified,
    Waiting,
)
from assistant.steeple.contract import TokenInfo


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


def _day(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M UTC")


def _kind(kind: str, lang: str) -> str:
    """A request kind in the admin's language, as the request stream names it."""
    key = f"stream.kind_{kind}"
    text = t(key, lang)
    return kind if text == key else text


def plan_lines(
    plan: Plan, limit: float, lang: str, *, via_graph: bool, asking: bool = True
) -> list[str]:
    """The plan as `rotate-token` prints it and the TUI shows it before anything changes
    (`asking`: a person will be asked when the traffic cannot tell; not with `--yes`)."""
    old, other = plan.old, plan.other
    match plan.action:
        case Action.NOTHING:
            return [t("rotation.stop.no_token", lang)]
        case Action.RESUME:
            assert old is not None and other is not None
            return [
                t(
                    "rotation.plan.resume",
                    lang,
                    new=other.hint,
                    old=old.hint,
                    limit=duration(limit, lang),
                )
            ]
        case Action.ASK:
            assert other is not None
            lines = _ask_lines(old, other, lang)
            return [*lines, t("rotation.plan.ask_who", lang)] if asking else lines
    assert old is not None
    lines = []
    if plan.action is Action.CLEAN:
        assert other is not None
        lines.append(t("rotation.plan.clean", lang, other=other.hint))
    lines.append(t("rotation.plan", lang, old=old.hint, limit=duration(limit, lang)))
    lines.append(t(f"rotation.plan.{'graph' if via_graph else 'manual'}", lang))
    if plan.action is Action.REPLACE:
        assert other is not None
        lines.append(t("rotation.replace", lang, max=2, replaced=other.hint, kept=old.hint))
    return lines


def _ask_lines(old: TokenInfo | None, other: TokenInfo, lang: str) -> list[str]:
    if old is None or old.last_provisioned_at is None:
        first = old.hint if old is not None else "?"
        return [t("rotation.plan.ask_none", lang, old=first, other=other.hint)]
    when, created = _day(old.last_provisioned_at), _day(other.created_at)
    return [
        t("rotation.plan.ask", lang, old=old.hint, when=when, other=other.hint, created=created)
    ]


def choice_label(token: TokenInfo, plan: Plan, lang: str) -> str:
    """How the question "which token is saved in Entra?" names each live token."""
    if plan.old is not None and token.id == plan.old.id and token.last_provisioned_at is not None:
        return t("rotation.which.entras", lang, hint=token.hint)
    return t("rotation.which.candidate", lang, hint=token.hint, created=_day(token.created_at))


def event_line(event: RotationEvent, lang: str) -> str:
    """One sentence for one stage (a `Stopped` gets its sentence; see `stop_lines` for all)."""
    match event:
        case Checked(plan=plan):
            if plan.action is Action.ASK:
                return t("rotation.checked_ask", lang)
            old = plan.old.hint if plan.old is not None else "?"
            return t("rotation.checked", lang, old=old)
        case Cleaned(hint=hint):
            return t("rotation.cleaned", lang, hint=hint)
        case Resumed(hint=hint, old_hint=old):
            return t("rotation.resumed", lang, hint=hint, old=old)
        case Created(hint=hint):
            return t("rotation.created", lang, hint=hint)
        case Tested():
            return t("rotation.tested", lang)
        case Saved(via_graph=via_graph):
            return t("rotation.saved.graph" if via_graph else "rotation.saved.manual", lang)
        case Nudged(person=person):
            return t("rotation.nudged", lang, person=person)
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
        case Verified(entry=entry, at=at):
            if entry is None:
                return t("rotation.verified_before", lang, time=_clock(at) if at else "?")
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
    elif reason is StopReason.HELD:
        sentence = t("rotation.stop.held", lang, hint=event.message)
    elif reason is StopReason.ERROR:
        sentence = event.message
    else:
        sentence = t(f"rotation.stop.{reason.value}", lang)
    if event.fix or reason in (StopReason.TEST_FAILED, StopReason.ERROR):
        return sentence, event.fix
    return sentence, t(f"rotation.stop.{reason.value}.fix", lang)


def stop_lines(event: Stopped, lang: str, *, limit: float | None) -> list[str]:
    """Why it stopped, the fix, and which tokens stay live (Entra's was not revoked)."""
    sentence, fix = stop_parts(event, lang, limit=limit)
    lines = [sentence]
    if fix:
        lines.append(t("headless.fix", lang, fix=fix))
    if event.live_hints:
        hints = ", ".join(f"…{hint}" for hint in event.live_hints)
        lines.append(t("rotation.live", lang, hints=hints))
    return lines
