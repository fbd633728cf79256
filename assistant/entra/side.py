"""The Entra half of the journey, typed: one facade the screens and headless commands share.

`EntraSide` speaks Microsoft Graph through `GraphClient` the same way against the sandbox's
emulator and a real tenant, so there is one code path. It remembers the Steeple app and its job
once found. Every failure is a `GraphError` (sentence + fix); Entra's own texts (names, error
messages) are returned raw and rendered safely by the caller.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.entra.facts import JobFacts, LogLine, job_facts, log_line
from assistant.entra.graph_client import GraphClient, quote
from assistant.entra.graph_errors import GraphBadRequest, GraphError, GraphNotFound
from assistant.entra.graph_models import OnDemandResult, ServicePrincipal, SynchronizationJob
from assistant.entra.signin import EntraSettings, EntraSignIn
from assistant.entra.verdict import ConnectionVerdict, decode_failure, verdict_ok
from assistant.i18n import t

COUNT_CONCURRENCY = 4
"""Member counts in flight at once: a tenant with hundreds of groups is listed in a few seconds
without tripping Graph's per-app throttling."""
SCIM_TEMPLATE_TAG = "scim"
"""The synchronization template (factoryTag) of a non-gallery SCIM app."""


@dataclass(frozen=True)
class EntraGroupChoice:
    """A group the admin may assign: `members` counts its direct users (what Entra provisions)."""

    id: str
    name: str
    members: int
    assigned: bool


class AppAmbiguous(GraphError):
    """Several enterprise apps could be Steeple's and none carries its SSO identifier."""

    def __init__(self, sentence: str, fix: str, candidates: Sequence[ServicePrincipal]) -> None:
        super().__init__(sentence, fix, code="AmbiguousApp")
        self.candidates = list(candidates)


class EntraSide:
    """Find or create the Steeple app and its job, configure, test, assign, start, watch."""

    def __init__(
        self,
        graph: GraphClient,
        *,
        app_name: str = "Steeple",
        sso_identifiers: Sequence[str] = (),
        lang: str = "en",
    ) -> None:
        self.graph = graph
        self.app_name = app_name
        self.sso_identifiers = [s for s in sso_identifiers if s]
        self.lang = lang
        self.app: ServicePrincipal | None = None
        self.job: SynchronizationJob | None = None
        self.found_by: str | None = None
        """How `app` was found: 'identifier', 'reply_url', 'name' or 'created'."""

    async def aclose(self) -> None:
        await self.graph.aclose()

    # --- the app ---------------------------------------------------------------------------------

    async def find_app(self) -> ServicePrincipal | None:
        """The service principal carrying Steeple's SSO: by SAML identifier, reply URL, then name.

        Several apps with Steeple's name and none carrying its SSO: raise `AppAmbiguous` (which
        ones and why) rather than pick one silently — the wrong one would provision nobody.
        """
        if self.app is not None:
            return self.app
        for prop, how in (("servicePrincipalNames", "identifier"), ("replyUrls", "reply_url")):
            for ident in self.sso_identifiers:
                if how == "reply_url" and not ident.lower().startswith(("https://", "http://")):
                    continue
                found = await self.graph.service_principals_where(
                    f"{prop}/any(x:x eq '{quote(ident)}')"
                )
                if found:
                    return self._found(found, how)
        named = await self.graph.service_principals(self.app_name)
        if len(named) > 1:
            ids = ", ".join(sp.id for sp in named)
            raise AppAmbiguous(
                t("entra.app.ambiguous", self.lang, count=len(named), name=self.app_name, ids=ids),
                t("entra.app.ambiguous.fix", self.lang, name=self.app_name),
                named,
            )
        return self._found(named, "name") if named else None

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
        """The Steeple app, created from the non-gallery template when the tenant has none."""
        app = await self.find_app()
        if app is not None:
            return app
        created = await self.graph.create_enterprise_app(self.app_name)
        self.app, self.found_by = created.service_principal, "created"
        return created.service_principal

    # --- the job ---------------------------------------------------------------------------------

    async def find_job(self) -> SynchronizationJob | None:
        """The app's provisioning job, or None (no app or no job yet); refreshed every call."""
        app = await self.find_app()
        if app is None:
            return None
        jobs = await self.graph.jobs(app.id)
        self.job = jobs[0] if jobs else None
        return self.job

    async def ensure_job(self) -> SynchronizationJob:
        """The provisioning job, created from the app's SCIM synchronization template if none."""
        app = await self.ensure_app()
        job = await self.find_job()
        if job is not None:
            return job
        templates = await self.graph.sync_templates(app.id)
        template = next(
            (tp for tp in templates if (tp.factory_tag or tp.id) == SCIM_TEMPLATE_TAG),
            next((tp for tp in templates if tp.default), templates[0] if templates else None),
        )
        if template is None:
            raise GraphNotFound(
                t("entra.job.no_template", self.lang), t("entra.job.no_template.fix", self.lang)
            )
        self.job = await self.graph.create_job(app.id, template.id)
        return self.job

    async def _ids(self) -> tuple[str, str]:
        job = await self.ensure_job()
        assert self.app is not None  # set by ensure_job
        return self.app.id, job.id

    async def save_credentials(self, tenant_url: str, token: str) -> None:
        """Save the tenant URL and token as the job's secrets (`BaseAddress`, `SecretToken`)."""
        app = await self.ensure_app()
        await self.graph.save_secrets(app.id, tenant_url, token)

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

    async def _assigned_ids(self) -> set[str]:
        app = await self.find_app()
        if app is None:
            return set()
        return {a.principal_id for a in await self.graph.assignments(app.id)}

    async def groups(self) -> list[EntraGroupChoice]:
        """Every group of the tenant with its direct-user count and whether it is assigned."""
        assigned = await self._assigned_ids()
        groups = await self.graph.groups()
        slots = asyncio.Semaphore(COUNT_CONCURRENCY)

        async def count(group_id: str) -> int:
            async with slots:
                return await self.graph.group_user_count(group_id)

        counts = await asyncio.gather(*(count(g.id) for g in groups))
        return [
            EntraGroupChoice(g.id, g.display_name or "", n, g.id in assigned)
            for g, n in zip(groups, counts, strict=True)
        ]

    async def assign_groups(self, group_ids: Sequence[str]) -> int:
        """Assign these groups to the app (the default access role); how many were new."""
        app = await self.ensure_app()
        assigned = await self._assigned_ids()
        new = [g for g in dict.fromkeys(group_ids) if g not in assigned]
        for group_id in new:
            await self.graph.assign_group(app.id, group_id)
        return len(new)

    # --- running and watching --------------------------------------------------------------------

    async def start(self) -> None:
        sp_id, job_id = await self._ids()
        await self.graph.start_job(sp_id, job_id)

    async def pause(self) -> None:
        sp_id, job_id = await self._ids()
        await self.graph.pause_job(sp_id, job_id)

    async def facts(self) -> JobFacts:
        """What Entra says about the job now (a job not created yet reads as NotConfigured)."""
        job = await self.find_job()
        assigned = sorted(await self._assigned_ids())
        slots = asyncio.Semaphore(COUNT_CONCURRENCY)

        async def members(group_id: str) -> list[str]:
            async with slots:
                return await self.graph.group_user_ids(group_id)

        in_scope = {m for ids in await asyncio.gather(*map(members, assigned)) for m in ids}
        return job_facts(job, assigned_groups=len(assigned), users_in_scope=len(in_scope))

    async def recent_logs(self, limit: int = 20) -> list[LogLine]:
        """The newest provisioning-log lines of the job, newest first."""
        job = self.job or await self.find_job()
        if job is None:
            return []
        entries = await self.graph.provisioning_logs(job.id)
        entries.sort(key=lambda e: e.activity_date_time, reverse=True)
        return [log_line(e) for e in entries[:limit]]

    async def provision_on_demand(self, user: str) -> OnDemandResult:
        """Provision one person now; `user` is their UPN or e-mail address."""
        found = await self.graph.user_by_upn(user) or await self.graph.user_by_mail(user)
        if found is None:
            raise GraphNotFound(
                t("entra.user.not_found", self.lang, user=user),
                t("entra.user.not_found.fix", self.lang),
            )
        sp_id, job_id = await self._ids()
        return await self.graph.provision_on_demand(sp_id, job_id, found.id)


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
    "ConnectionVerdict",
    "EntraGroupChoice",
    "EntraSide",
    "JobFacts",
    "LogLine",
    "open_entra_side",
]
