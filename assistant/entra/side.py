"""The Entra half of the journey, typed: one facade the screens and headless commands share.

`EntraSide` speaks Microsoft Graph through `GraphClient` the same way against the sandbox's
emulator and a real tenant, so there is one code path. It remembers the Steeple app and its job
once found. Every failure is a `GraphError` (sentence + fix); Entra's own texts (names, error
messages) are returned raw and rendered safely by the caller.

What Microsoft documents and this facade follows: a new app "is not instant" (poll the service
principal every 5–10 s until it answers, and retry a 404 on its first synchronization calls);
groups are assigned with the app's own `User` role; the app is found by `servicePrincipalNames`
(documented filterable) then by name, comparing `replyUrls` here (not filterable); on-demand
provisioning names the rule of the job's schema. Reads stay cheap in a large tenant: groups a
page at a time with member counts only for the ones shown or chosen, the newest log lines in one
request, the people in scope counted again only every few minutes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from assistant.entra.app_roles import RoleChoice, assignment_role, role_name
from assistant.entra.facts import JobFacts, LogLine, job_facts, log_line
from assistant.entra.graph_client import GraphClient, Sleep
from assistant.entra.graph_errors import GraphBadRequest, GraphError, GraphNotFound
from assistant.entra.graph_models import (
    AppRoleAssignment,
    Group,
    OnDemandResult,
    ServicePrincipal,
    SynchronizationJob,
    SynchronizationTemplate,
)
from assistant.entra.signin import EntraSettings, EntraSignIn
from assistant.entra.verdict import ConnectionVerdict, decode_failure, verdict_ok
from assistant.i18n.translate import t

COUNT_CONCURRENCY = 4
"""Member counts in flight at once: enough to fill a screen quickly without tripping Graph's
per-app throttling."""
SCIM_TEMPLATES = ("scim", "customscim")
"""The synchronization template (id or factoryTag) of a non-gallery SCIM app."""
READY_TIMEOUT = 120.0
"""How long a new app may take to answer (Microsoft: "It is not instant")."""
READY_INTERVAL = 5.0
"""Microsoft: "do a GET query on the application or service principal object every 5-10
seconds until the query is successful"."""
SCOPE_TTL = 300.0
"""Seconds the count of people in scope is reused: it pages through every assigned group's
members, which group membership rarely changes between two refreshes of one screen."""
NOT_IN_SCOPE = frozenset({"NotEffectivelyEntitled"})
"""provisionOnDemand's skip reasons for a person outside the app's scope (Entra's SkipReason)."""

T = TypeVar("T")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class EntraGroupChoice:
    """A group the admin may assign: `members` counts its direct users (what Entra provisions),
    None until counted (only groups on screen or chosen are)."""

    id: str
    name: str
    members: int | None
    assigned: bool


@dataclass(frozen=True)
class GroupPage:
    groups: list[EntraGroupChoice]
    next_link: str | None


@dataclass
class AssignOutcome:
    """What `assign_groups` did: how many assignments are new, and groups already assigned
    with another role (name, role), which are reported, never assigned a second time."""

    added: int = 0
    other_role: list[tuple[str, str]] = field(default_factory=list)


class AppAmbiguous(GraphError):
    """Several enterprise apps could be Steeple's and none carries its SSO identifier."""

    def __init__(self, sentence: str, fix: str, candidates: Sequence[ServicePrincipal]) -> None:
        super().__init__(sentence, fix, code="AmbiguousApp")
        self.candidates = list(candidates)


class GraphNotInScope(GraphError):
    """Provision on demand: the person is in the tenant but outside the app's scope."""


class CredentialsNotSaved(GraphError):
    """The job has no saved tenant URL and token (NotConfigured): it cannot start."""


class AppNotReady(GraphError):
    """The app just created did not answer within `READY_TIMEOUT` (replication)."""


def pick_template(templates: Sequence[SynchronizationTemplate]) -> SynchronizationTemplate | None:
    """The SCIM template: the only one, else the SCIM one, else the default one."""
    if len(templates) == 1:
        return templates[0]
    for template in templates:
        if {(template.factory_tag or "").lower(), template.id.lower()} & set(SCIM_TEMPLATES):
            return template
    return next((tp for tp in templates if tp.default), templates[0] if templates else None)


class EntraSide:
    """Find or create the Steeple app and its job, configure, test, assign, start, watch."""

    def __init__(
        self,
        graph: GraphClient,
        *,
        app_name: str = "Steeple",
        sso_identifiers: Sequence[str] = (),
        lang: str = "en",
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        progress: Progress | None = None,
    ) -> None:
        self.graph = graph
        self.app_name = app_name
        self.sso_identifiers = [s for s in sso_identifiers if s]
        self.lang = lang
        self.sleep = sleep
        self.clock = clock
        self.progress = progress
        """Told what a long wait is waiting for (a new app replicating), in the admin's words."""
        self.app: ServicePrincipal | None = None
        self.job: SynchronizationJob | None = None
        self.found_by: str | None = None
        """How `app` was found: 'identifier', 'reply_url', 'name' or 'created'."""
        self.lookup_tried: list[str] = []
        """What `find_app` tried when it found nothing, in the admin's words."""
        self._fresh_until: float | None = None
        """While the app this side created may still be replicating: a 404 is waited out."""
        self._rule_ids: dict[str, str | None] = {}
        self._counts: dict[str, int] = {}
        self._scope: tuple[frozenset[str], float, int] | None = None

    async def aclose(self) -> None:
        await self.graph.aclose()

    # --- the app ---------------------------------------------------------------------------------

    async def find_app(self) -> ServicePrincipal | None:
        """The service principal carrying Steeple's SSO: by SAML identifier, then by name (its
        reply URL compared here: `replyUrls` is not filterable). A 400 on a lookup falls
        through to the next; `lookup_tried` names what was tried when nothing matches.

        Several apps with Steeple's name and none carrying its SSO: raise `AppAmbiguous` (which
        ones and why) rather than pick one silently — the wrong one would provision nobody.
        """
        if self.app is not None:
            return self.app
        tried: list[str] = []
        for ident in self.sso_identifiers:
            how = t("entra.app.tried.identifier", self.lang, value=ident)
            try:
                found = await self.graph.service_principals_named(ident)
            except GraphBadRequest as refused:
                tried.append(self._refused(how, refused))
                continue
            if found:
                return self._found(found, "identifier")
            tried.append(how)
        how = t("entra.app.tried.name", self.lang, value=self.app_name)
        try:
            named = await self.graph.service_principals(self.app_name)
        except GraphBadRequest as refused:
            tried.append(self._refused(how, refused))
            named = []
        else:
            tried.append(how)
        urls = {u.lower() for u in self.sso_identifiers if u.lower().startswith("http")}
        carrying = [sp for sp in named if urls & {u.lower() for u in sp.reply_urls}]
        if carrying:
            return self._found(carrying, "reply_url")
        if len(named) > 1:
            ids = ", ".join(sp.id for sp in named)
            raise AppAmbiguous(
                t("entra.app.ambiguous", self.lang, count=len(named), name=self.app_name, ids=ids),
                t("entra.app.ambiguous.fix", self.lang, name=self.app_name),
                named,
            )
        if named:
            return self._found(named, "name")
        self.lookup_tried = tried
        return None

    def _refused(self, how: str, refused: GraphError) -> str:
        return t("entra.app.tried.refused", self.lang, how=how, code=refused.code or "400")

    def not_found_sentence(self) -> str:
        """ "No enterprise app found by its SAML identifier …, its name …" (after `find_app`)."""
        return t("entra.app.tried", self.lang, tried="; ".join(self.lookup_tried) or "?")

    def _found(self, found: Sequence[ServicePrincipal], how: str) -> ServicePrincipal:
        if len(found) > 1:
            ids = ", ".join(sp.id for sp in found)
            raise AppAmbiguous(
                t("entra.app.ambiguous_sso", self.lang, count=len(found), ids=ids),
                t("entra.app.ambiguous_sso.fix", self.lang),
                found,
            )
        self.app, self.found_by = found[0], how
        return found[0]

    async def ensure_app(self) -> ServicePrincipal:
        """The Steeple app, created from the non-gallery template when the tenant has none,
        then waited for until Entra answers for it (Microsoft: "It is not instant")."""
        app = await self.find_app()
        if app is not None:
            return app
        created = await self.graph.create_enterprise_app(self.app_name)
        self.app, self.found_by = created.service_principal, "created"
        self._fresh_until = self.clock() + READY_TIMEOUT
        await self._while_replicating(
            lambda: self.graph.service_principal(created.service_principal.id)
        )
        return created.service_principal

    async def _while_replicating(self, call: Callable[[], Awaitable[T]]) -> T:
        """`call()`, retried every `READY_INTERVAL` while it answers 404 and the app this side
        created may still be replicating; after `READY_TIMEOUT`, `AppNotReady`."""
        began = self.clock()
        while True:
            try:
                return await call()
            except GraphNotFound:
                if self._fresh_until is None:
                    raise
                if self.clock() >= self._fresh_until:
                    name = self.app.display_name if self.app else self.app_name
                    raise AppNotReady.worded(
                        "entra.app.not_ready",
                        name=name or self.app_name,
                        seconds=int(READY_TIMEOUT),
                    ) from None
            waited = int(self.clock() - began) + int(READY_INTERVAL)
            if self.progress is not None:
                self.progress(t("entra.app.waiting", self.lang, seconds=waited))
            await self.sleep(READY_INTERVAL)

    # --- the job ---------------------------------------------------------------------------------

    async def find_job(self) -> SynchronizationJob | None:
        """The app's provisioning job, or None (no app or no job yet); refreshed every call."""
        app = await self.find_app()
        if app is None:
            return None
        jobs = await self._while_replicating(lambda: self.graph.jobs(app.id))
        self.job = jobs[0] if jobs else None
        return self.job

    async def ensure_job(self) -> SynchronizationJob:
        """The provisioning job, created from the app's SCIM synchronization template if none."""
        app = await self.ensure_app()
        job = await self.find_job()
        if job is not None:
            return job
        templates = await self._while_replicating(lambda: self.graph.sync_templates(app.id))
        template = pick_template(templates)
        if template is None:
            raise GraphNotFound.worded("entra.job.no_template")
        chosen = template.id
        self.job = await self._while_replicating(lambda: self.graph.create_job(app.id, chosen))
        return self.job

    async def _ids(self) -> tuple[str, str]:
        job = await self.ensure_job()
        assert self.app is not None  # set by ensure_job
        return self.app.id, job.id

    async def save_credentials(self, tenant_url: str, token: str) -> None:
        """Save the tenant URL and token as the job's secrets (`BaseAddress`, `SecretToken`).

        The job is created first when missing, as the admin center's Save does: the saved
        credentials are what the job's status reports (NotConfigured until then)."""
        app_id, _ = await self._ids()
        await self._while_replicating(lambda: self.graph.save_secrets(app_id, tenant_url, token))

    async def credentials_saved(self) -> bool:
        """Entra holds a tenant URL and token for the job: its status is past NotConfigured
        ("No authorization was provided", synchronizationStatus)."""
        job = await self.find_job()
        return job is not None and job.status.code != "NotConfigured"

    async def test_connection(self, tenant_url: str, token: str) -> ConnectionVerdict:
        """Entra's Test Connection with these values; a refusal is decoded, not raised.

        Like the admin center's button, it needs the provisioning job: the app and the job are
        created first when missing (callers confirm that with the admin beforehand).
        """
        sp_id, job_id = await self._ids()
        try:
            await self.graph.validate_credentials(sp_id, job_id, tenant_url, token)
        except GraphBadRequest as refused:
            return decode_failure(refused.code, refused.graph_message, tenant_url, self.lang)
        return verdict_ok(self.lang)

    async def test_saved_connection(self, tenant_url: str = "") -> ConnectionVerdict:
        """Test Connection with what Entra has saved (`useSavedCredentials`): a job already
        configured keeps its token instead of being handed a new one on every run."""
        sp_id, job_id = await self._ids()
        try:
            await self.graph.validate_credentials(sp_id, job_id)
        except GraphBadRequest as refused:
            return decode_failure(refused.code, refused.graph_message, tenant_url, self.lang)
        return verdict_ok(self.lang)

    # --- groups ----------------------------------------------------------------------------------

    async def _assigned(self) -> dict[str, AppRoleAssignment]:
        """principalId → its assignment to the app (a group's or a person's)."""
        app = await self.find_app()
        if app is None:
            return {}
        return {a.principal_id: a for a in await self.graph.assignments(app.id)}

    async def _assigned_ids(self) -> set[str]:
        return set(await self._assigned())

    async def member_counts(self, group_ids: Sequence[str]) -> dict[str, int]:
        """Direct-user counts of these groups (only these: the ones on screen or chosen), a few
        at a time, each counted once per facade."""
        missing = [g for g in dict.fromkeys(group_ids) if g not in self._counts]
        slots = asyncio.Semaphore(COUNT_CONCURRENCY)

        async def count(group_id: str) -> None:
            async with slots:
                self._counts[group_id] = await self.graph.group_user_count(group_id)

        await asyncio.gather(*(count(g) for g in missing))
        return {g: self._counts[g] for g in group_ids}

    def _choices(self, groups: Sequence[Group], assigned: set[str]) -> list[EntraGroupChoice]:
        return [
            EntraGroupChoice(g.id, g.display_name or "", self._counts.get(g.id), g.id in assigned)
            for g in groups
        ]

    async def group_page(
        self, search: str = "", link: str | None = None, top: int = 50, counted: bool = True
    ) -> GroupPage:
        """One page of the tenant's groups by name (`search` on displayName), with member counts
        for that page only when `counted`, and the link to the next page."""
        assigned = await self._assigned_ids()
        groups, next_link = await self.graph.groups_page(search=search, top=top, link=link)
        if counted:
            await self.member_counts([g.id for g in groups])
        return GroupPage(self._choices(groups, assigned), next_link)

    async def groups_named(self, names: Sequence[str]) -> dict[str, list[EntraGroupChoice]]:
        """Each name → the groups with exactly that name (counted: they are being chosen)."""
        assigned = await self._assigned_ids()
        found = {name: await self.graph.groups_named(name) for name in dict.fromkeys(names)}
        await self.member_counts([g.id for groups in found.values() for g in groups])
        return {name: self._choices(groups, assigned) for name, groups in found.items()}

    async def groups_mentioning(self, words: Sequence[str]) -> list[EntraGroupChoice]:
        """Groups whose name contains any of `words` (one `$search` each, every page), counted:
        the plan's default picks, without listing the whole directory."""
        assigned = await self._assigned_ids()
        seen: dict[str, Group] = {}
        for word in dict.fromkeys(w for w in words if w.strip()):
            link: str | None = None
            while True:
                groups, link = await self.graph.groups_page(search=word, top=999, link=link)
                seen.update((g.id, g) for g in groups)
                if link is None:
                    break
        await self.member_counts(list(seen))
        return self._choices(list(seen.values()), assigned)

    async def groups(self) -> list[EntraGroupChoice]:
        """Every group of the tenant, each counted: for a small tenant (and tests) only —
        screens page with `group_page`, `entra setup` searches with `groups_mentioning`."""
        assigned = await self._assigned_ids()
        groups = await self.graph.groups()
        await self.member_counts([g.id for g in groups])
        return self._choices(groups, assigned)

    async def assign_groups(self, group_ids: Sequence[str]) -> AssignOutcome:
        """Assign these groups with the app's own role (`User`); a group already assigned with
        another role is reported in the outcome, never assigned a second time."""
        app = await self.ensure_app()
        if not app.app_roles:  # a list answer may leave them out: read the app itself
            app = self.app = await self._while_replicating(
                lambda: self.graph.service_principal(app.id)
            )
        role: RoleChoice = assignment_role(app.app_roles)
        assigned = await self._assigned()
        outcome = AssignOutcome()
        for group_id in dict.fromkeys(group_ids):
            if group_id in assigned:
                existing = assigned[group_id]
                if existing.app_role_id != role.id:
                    name = existing.principal_display_name or group_id
                    outcome.other_role.append(
                        (name, role_name(app.app_roles, existing.app_role_id))
                    )
                continue
            await self.graph.assign(app.id, group_id, role.id)
            outcome.added += 1
        self._scope = None
        return outcome

    # --- running and watching --------------------------------------------------------------------

    async def start(self) -> None:
        """Start the job — refused, in so many words, while Entra has no saved credentials
        (Test Connection alone saves nothing)."""
        job = await self.find_job()
        if job is None or self.app is None or job.status.code == "NotConfigured":
            raise CredentialsNotSaved.worded("entra.job.not_saved")
        await self.graph.start_job(self.app.id, job.id)

    async def pause(self) -> None:
        sp_id, job_id = await self._ids()
        await self.graph.pause_job(sp_id, job_id)

    async def _users_in_scope(self, assigned: dict[str, AppRoleAssignment]) -> int:
        """People in scope: direct user members of the assigned groups, and users assigned
        themselves; recounted when the assignments change or after `SCOPE_TTL`."""
        key = frozenset(assigned)
        if self._scope is not None:
            cached_key, when, count = self._scope
            if cached_key == key and self.clock() - when < SCOPE_TTL:
                return count
        slots = asyncio.Semaphore(COUNT_CONCURRENCY)

        async def members(principal_id: str) -> list[str]:
            if (assigned[principal_id].principal_type or "").lower() == "user":
                return [principal_id]
            async with slots:
                return await self.graph.group_user_ids(principal_id)

        found = await asyncio.gather(*map(members, sorted(key)))
        count = len({m for ids in found for m in ids})
        self._scope = (key, self.clock(), count)
        return count

    async def facts(self) -> JobFacts:
        """What Entra says about the job now (a job not created yet reads as NotConfigured)."""
        job = await self.find_job()
        assigned = await self._assigned()
        in_scope = await self._users_in_scope(assigned)
        return job_facts(job, assigned_groups=len(assigned), users_in_scope=in_scope)

    async def recent_logs(self, limit: int = 20) -> list[LogLine]:
        """The newest provisioning-log lines of the job, newest first: one request."""
        job = self.job or await self.find_job()
        if job is None:
            return []
        entries = await self.graph.provisioning_logs(job.id, top=limit)
        entries.sort(key=lambda e: e.activity_date_time, reverse=True)
        return [log_line(e) for e in entries[:limit]]

    async def _rule_id(self, sp_id: str, job_id: str) -> str:
        """The id of the job schema's user rule, read once per job (provisionOnDemand's ruleId)."""
        if job_id not in self._rule_ids:
            schema = await self.graph.job_schema(sp_id, job_id)
            self._rule_ids[job_id] = schema.user_rule_id()
        rule_id = self._rule_ids[job_id]
        if not rule_id:
            raise GraphError.worded("entra.job.no_rule")
        return rule_id

    async def provision_on_demand(self, user: str) -> OnDemandResult:
        """Provision one person now; `user` is their UPN or e-mail address."""
        found = await self.graph.user_by_upn(user) or await self.graph.user_by_mail(user)
        if found is None:
            raise GraphNotFound.worded("entra.user.not_found", user=user)
        sp_id, job_id = await self._ids()
        rule_id = await self._rule_id(sp_id, job_id)
        try:
            result = await self.graph.provision_on_demand(
                sp_id, job_id, rule_id, [(found.id, "User")]
            )
        except GraphNotFound:
            raise GraphNotFound.worded("entra.user.not_in_tenant", user=user) from None
        if result.error_code in NOT_IN_SCOPE:
            reason = result.error_code or ""
            raise GraphNotInScope.worded("entra.user.not_in_scope", user=user, reason=reason)
        return result


async def open_entra_side(
    settings: EntraSettings,
    *,
    app_name: str = "Steeple",
    sso_identifiers: Sequence[str] = (),
    signin: EntraSignIn | None = None,
    lang: str = "en",
) -> EntraSide | None:
    """An `EntraSide` when a signed-in session exists (cached), else None: the copy-paste path.

    Reading the cache needs no network; MSAL's set-up and a silent refresh run in a thread.
    """
    signin = signin or EntraSignIn(settings)
    if await asyncio.to_thread(signin.token) is None:
        return None
    graph = GraphClient(signin.atoken, base_url=settings.graph_url, verify=settings.ssl_context())
    return EntraSide(graph, app_name=app_name, sso_identifiers=sso_identifiers, lang=lang)


__all__ = [
    "AppAmbiguous",
    "AppNotReady",
    "AssignOutcome",
    "ConnectionVerdict",
    "CredentialsNotSaved",
    "EntraGroupChoice",
    "EntraSide",
    "GraphNotInScope",
    "GroupPage",
    "JobFacts",
    "LogLine",
    "open_entra_side",
]
