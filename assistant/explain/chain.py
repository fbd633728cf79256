""" "Why is this person not in Steeple?" — one person followed through both sides, link by link.

`explain(facts, lang)` is a pure decision over facts gathered beforehand (`assistant.explain.gather`
reads them from Graph and the admin API): the chain is every link from "exists in Entra" to "has
a Steeple account", each ✓, ✗ or ? (cannot see), and the FIRST ✗ is named with its fix. Without
Graph the Entra links are `unknown` and the explanation says plainly what it cannot see.

Foreign text (names, Entra's error messages) is put into sentences as is: the caller renders it
through `assistant.text.safe` (plain text, JSON) or `screens.foreign_text` (TUI).

JSON shape of `Explanation.as_json()` (`explain EMAIL --json`)::

    {"address": "...", "graph": true, "ok": false,
     "first_broken": "steeple.mapped" | null,
     "sentence": "...", "fix": "...",          # the first broken link's, or the verdict
     "cannot_see": ["..."],                     # without Graph: what is not checked
     "links": [{"id": "entra.exists", "side": "entra|steeple",
                "status": "ok|broken|unknown", "sentence": "...", "fix": "..."}, ...]}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from assistant.entra.facts import LogLine
from assistant.i18n.translate import t
from assistant.steeple.contract import ReceivedUserDetail, RequestLogEntry

Side = Literal["entra", "steeple"]


class LinkStatus(StrEnum):
    OK = "ok"
    BROKEN = "broken"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Link:
    """One link of the chain; `fix` is empty on a ✓."""

    id: str
    side: Side
    status: LinkStatus
    sentence: str
    fix: str = ""

    def as_json(self) -> dict[str, str]:
        return {
            "id": self.id,
            "side": self.side,
            "status": self.status.value,
            "sentence": self.sentence,
            "fix": self.fix,
        }


# --- facts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntraPerson:
    id: str
    upn: str
    name: str
    mail: str | None
    enabled: bool


@dataclass(frozen=True)
class EntraJob:
    """What explain needs of the job (from the facade's `JobFacts`)."""

    state: str
    quarantine_reason: str | None = None
    next_retry: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True)
class EntraFacts:
    """What Graph says; `error` is a Graph failure (sentence, fix) that left the rest unseen."""

    person: EntraPerson | None = None
    groups: tuple[str, ...] = ()
    """Names of their direct groups."""
    app_found: bool = False
    assigned_directly: bool = False
    assigned_groups: tuple[str, ...] = ()
    """Names of their direct groups that are assigned to the app."""
    job: EntraJob | None = None
    last_entry: LogLine | None = None
    """The newest provisioning-log entry about the person."""
    error: tuple[str, str] | None = None
    log_unavailable: tuple[str, str] | None = None
    """The provisioning logs could not be read (sentence, fix): on a tenant without Entra ID
    P1/P2, Graph refuses them — a licence, said as such; the other links are still checked."""


@dataclass(frozen=True)
class SteepleFacts:
    installed: bool
    sync_active: bool = False
    received: ReceivedUserDetail | None = None
    refused: RequestLogEntry | None = None
    """Entra's latest request, when Steeple refused it with a 401 (a revoked token)."""


@dataclass(frozen=True)
class PersonFacts:
    address: str
    steeple: SteepleFacts
    entra: EntraFacts | None = None
    """None: not signed in to Entra (no Graph)."""


@dataclass(frozen=True)
class Explanation:
    address: str
    graph: bool
    links: list[Link]
    cannot_see: list[str] = field(default_factory=list)

    @property
    def first_broken(self) -> Link | None:
        return next((link for link in self.links if link.status is LinkStatus.BROKEN), None)

    @property
    def ok(self) -> bool:
        return self.first_broken is None

    def verdict(self, lang: str) -> tuple[str, str]:
        """The one sentence (and fix) to say first."""
        broken = self.first_broken
        if broken is not None:
            return broken.sentence, broken.fix
        if self.cannot_see:
            return t("explain.verdict.ok_partial", lang), t("explain.unknown.fix", lang)
        return t("explain.verdict.ok", lang), ""

    def as_json(self, lang: str) -> dict[str, Any]:
        sentence, fix = self.verdict(lang)
        broken = self.first_broken
        return {
            "address": self.address,
            "graph": self.graph,
            "ok": self.ok,
            "first_broken": broken.id if broken else None,
            "sentence": sentence,
            "fix": fix,
            "cannot_see": list(self.cannot_see),
            "links": [link.as_json() for link in self.links],
        }


# --- the decision --------------------------------------------------------------------------------


def _link(lid: str, side: Side, ok: bool, lang: str, **values: object) -> Link:
    """`explain.<lid>.ok` or `explain.<lid>.broken` (+ `.fix`), placeholders filled."""
    if ok:
        return Link(lid, side, LinkStatus.OK, t(f"explain.{lid}.ok", lang, **values))
    return Link(
        lid,
        side,
        LinkStatus.BROKEN,
        t(f"explain.{lid}.broken", lang, **values),
        t(f"explain.{lid}.broken.fix", lang, **values),
    )


ENTRA_LINKS = ("entra.exists", "entra.enabled", "entra.email", "entra.assigned", "entra.scope")
JOB_LINKS = ("entra.job", "entra.log")


def _names(names: tuple[str, ...] | list[str], lang: str) -> str:
    return ", ".join(names) if names else t("explain.none", lang)


def _entra_person_links(entra: EntraFacts, address: str, lang: str) -> list[Link]:
    person = entra.person
    if person is None:
        return [_link("entra.exists", "entra", False, lang, address=address)]
    links = [_link("entra.exists", "entra", True, lang, name=person.name, upn=person.upn)]
    links.append(_link("entra.enabled", "entra", person.enabled, lang, name=person.name))
    links.append(
        _link("entra.email", "entra", bool(person.mail), lang, name=person.name, mail=person.mail)
    )
    if not entra.app_found:
        links.append(_link("entra.app", "entra", False, lang))
        return links
    assigned = entra.assigned_directly or bool(entra.assigned_groups)
    via = (
        t("explain.directly", lang)
        if entra.assigned_directly
        else t("explain.through", lang, groups=_names(entra.assigned_groups, lang))
    )
    groups = _names(entra.groups, lang)
    links.append(_link("entra.assigned", "entra", assigned, lang, via=via, groups=groups))
    if not assigned:  # out of scope already said
        return links
    if entra.log_unavailable is not None:  # the scope is read off the logs' last entry
        links.append(Link("entra.scope", "entra", LinkStatus.UNKNOWN, *entra.log_unavailable))
        return links
    entry = entra.last_entry
    skipped = entry is not None and entry.status.lower() == "skipped"
    reason = entry.reason if entry is not None else ""
    links.append(_link("entra.scope", "entra", not skipped, lang, reason=reason))
    return links


def _token_link(steeple: SteepleFacts, lang: str) -> Link:
    refused = steeple.refused
    if refused is None:
        return _link("steeple.token", "steeple", True, lang)
    when = refused.time.strftime("%Y-%m-%d %H:%M UTC")
    return _link("steeple.token", "steeple", False, lang, time=when, status=refused.status)


def _job_links(entra: EntraFacts, lang: str) -> list[Link]:
    job, entry = entra.job, entra.last_entry
    links: list[Link] = []
    if job is None or job.state == "NotConfigured":
        links.append(_link("entra.job_missing", "entra", False, lang))
        return links
    if job.state == "Quarantine":
        reason = job.quarantine_reason or job.last_error or "?"
        retry = job.next_retry.strftime("%Y-%m-%d %H:%M UTC") if job.next_retry else "?"
        error = job.last_error or reason
        links.append(
            Link(
                "entra.job",
                "entra",
                LinkStatus.BROKEN,
                t("explain.entra.job.quarantine", lang, reason=reason, retry=retry),
                t("explain.entra.job.quarantine.fix", lang, error=error),
            )
        )
        return links
    links.append(_link("entra.job", "entra", job.state == "Active", lang, state=job.state))
    if entra.log_unavailable is not None:
        links.append(Link("entra.log", "entra", LinkStatus.UNKNOWN, *entra.log_unavailable))
    elif entry is None:
        links.append(Link("entra.log", "entra", LinkStatus.OK, t("explain.entra.log.none", lang)))
    elif entry.status.lower() == "failure":
        when = entry.time.strftime("%Y-%m-%d %H:%M UTC")
        values = {"action": entry.action, "time": when, "code": entry.error_code}
        links.append(_link("entra.log", "entra", False, lang, reason=entry.reason, **values))
    elif entry.status.lower() != "skipped":  # a skip is the scope link's
        when = entry.time.strftime("%Y-%m-%d %H:%M UTC")
        links.append(_link("entra.log", "entra", True, lang, action=entry.action, time=when))
    return links


def _steeple_links(facts: PersonFacts, lang: str) -> list[Link]:
    steeple, graph = facts.steeple, facts.entra is not None
    if not steeple.installed:
        return [_link("steeple.installed", "steeple", False, lang)]
    received = steeple.received
    if received is None:
        key = "explain.steeple.received" if graph else "explain.steeple.received_blind"
        return [
            Link(  # without Graph, the fix lists what to check in Entra instead
                "steeple.received",
                "steeple",
                LinkStatus.BROKEN,
                t(f"{key}.broken", lang, address=facts.address),
                t(f"{key}.broken.fix", lang),
            )
        ]
    user = received.user
    links = [_link("steeple.received", "steeple", True, lang, user_name=user.user_name)]
    links.append(_link("steeple.active", "steeple", user.active, lang))
    if received.conflict == "duplicate_email":
        links.append(
            Link(
                "steeple.email",
                "steeple",
                LinkStatus.BROKEN,
                t("explain.steeple.email.duplicate", lang, email=user.email or ""),
                t("explain.steeple.email.duplicate.fix", lang),
            )
        )
    else:
        links.append(_link("steeple.email", "steeple", bool(user.email), lang, email=user.email))
    names = [g.display_name for g in received.groups]
    links.append(_link("steeple.groups", "steeple", bool(names), lang, groups=_names(names, lang)))
    mapped = [
        t(
            "explain.mapping",
            lang,
            group=g.display_name,
            community=g.community_name or g.mapping.community_id,
            role=t(f"explain.role.{g.mapping.role}", lang),
        )
        for g in received.groups
        if g.mapping is not None
    ]
    if names:
        links.append(
            _link(
                "steeple.mapped",
                "steeple",
                bool(mapped),
                lang,
                mappings="; ".join(mapped),
                groups=_names(names, lang),
            )
        )
    links.append(_link("steeple.sync", "steeple", steeple.sync_active, lang))
    links.append(_account_link(received, lang))
    return links


def _account_link(received: ReceivedUserDetail, lang: str) -> Link:
    account = received.account
    if account is None:
        return _link("steeple.account", "steeple", False, lang)
    if account.status != "active":
        return Link(
            "steeple.account",
            "steeple",
            LinkStatus.BROKEN,
            t("explain.steeple.account.removed", lang, email=account.email),
            t("explain.steeple.account.removed.fix", lang),
        )
    key = "created" if received.link == "created" else "linked"
    sentence = t(f"explain.steeple.account.{key}", lang, email=account.email)
    return Link("steeple.account", "steeple", LinkStatus.OK, sentence)


def _unknown_entra(lang: str) -> list[Link]:
    fix = t("explain.unknown.fix", lang)
    return [
        Link(lid, "entra", LinkStatus.UNKNOWN, t(f"explain.unknown.{lid}", lang), fix)
        for lid in (*ENTRA_LINKS, *JOB_LINKS)
    ]


def explain(facts: PersonFacts, lang: str = "en") -> Explanation:
    """The chain for one person, in the order a person travels: Entra, the wire, Steeple."""
    entra = facts.entra
    cannot_see: list[str] = []
    if entra is None or entra.error is not None:
        entra_links = _unknown_entra(lang)
        cannot_see = [link.sentence for link in entra_links]
        if entra is not None and entra.error is not None:
            cannot_see.insert(0, t("explain.graph_failed", lang, sentence=entra.error[0]))
        links = [*entra_links[: len(ENTRA_LINKS)], _token_link(facts.steeple, lang)]
        links += entra_links[len(ENTRA_LINKS) :]
    else:
        links = _entra_person_links(entra, facts.address, lang)
        links.append(_token_link(facts.steeple, lang))
        if entra.app_found:
            links += _job_links(entra, lang)
        if entra.log_unavailable is not None:
            cannot_see.append(entra.log_unavailable[0])
    links += _steeple_links(facts, lang)
    return Explanation(facts.address, entra is not None and entra.error is None, links, cannot_see)
