"""`entra setup`: the whole Entra side, non-interactive, after sign-in.

Part of the journey, not of `assistant/entra/`: it composes both sides (Steeple's client for the
tenant URL and a fresh token, the Entra facade, the journey's mapping advice), while entra/ is
Microsoft's side alone.

Plan first (what exists, what will be created, which groups will be assigned), then — with
`--yes`, or the admin's "y" on a terminal — find or create the Steeple app, create its job, save
the tenant URL and a fresh Steeple token as its secrets (the token goes from Steeple's admin API
straight to Graph: never printed, never stored), Test Connection, assign the groups, start.

Default groups follow the mapping advice (two Entra groups per community, "… - <community> -
Users" and "… - Admins"): every Entra group whose name names a Steeple community, found by one
`$search` per community (never by listing a directory of 20,000 groups); `--groups` names are
looked up exactly. Groups are assigned with the app's own `User` role. A new app takes a while
to exist everywhere in Entra (Microsoft: "It is not instant"): the run waits for it, saying so on
stderr, so a first setup on a fresh tenant needs no retry by the admin; a re-run finds what the
first one created.

JSON (`--json`, one object on stdout)::

    {"instance": "...", "applied": true|false,
     "plan": {"app": {"id", "display_name", "found_by"} | null,   # null: will be created
              "not_found": null | "No enterprise app found by …",
              "job": "existing" | "create", "tenant_url": "...", "role": "User",
              "groups": [{"id", "name", "community", "role", "assigned", "members"}],
              "communities_without_groups": ["..."]},
     "result": null | {"app_id", "job_id", "token": "created" | "kept",
                       "newly_assigned": 2, "started": true,
                       "other_role": [{"group", "role"}],
                       "connection": {"ok", "code", "sentence", "fix"}}}

Exit codes: 0 done (or `--dry-run`); 2 no `--yes` and no terminal to ask on, unknown group names,
or the admin answered no; 3 not signed in, Graph or Steeple unreachable, a permission missing,
throttled; 4 a step blocks (integration not installed, app ambiguous, Test Connection failed).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

from assistant.entra.app_roles import assignment_role
from assistant.entra.side import EntraGroupChoice, EntraSide
from assistant.exit_codes import EXIT_BLOCKED, EXIT_USAGE
from assistant.i18n.translate import t
from assistant.journey.advice import community_named_in, role_from_name
from assistant.steeple.client import SteepleClient
from assistant.text.safe import terminal_safe


class SetupRefused(Exception):
    """A reason to stop before (or while) applying, with its exit code."""

    def __init__(self, message: str, fix: str, exit_code: int) -> None:
        super().__init__(message)
        self.message, self.fix, self.exit_code = message, fix, exit_code


@dataclass
class GroupPick:
    choice: EntraGroupChoice
    community: str | None
    role: str


@dataclass
class SetupPlan:
    instance: str
    tenant_url: str
    app: dict[str, Any] | None
    job_exists: bool
    groups: list[GroupPick] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)
    not_found: str | None = None
    """What was tried to find the app, when none was found (it will be created)."""
    app_role: str = "User"

    def as_json(self) -> dict[str, Any]:
        return {
            "app": self.app,
            "not_found": self.not_found,
            "job": "existing" if self.job_exists else "create",
            "tenant_url": self.tenant_url,
            "role": self.app_role,
            "groups": [
                {
                    "id": g.choice.id,
                    "name": g.choice.name,
                    "community": g.community,
                    "role": g.role,
                    "assigned": g.choice.assigned,
                    "members": g.choice.members,
                }
                for g in self.groups
            ],
            "communities_without_groups": self.uncovered,
        }

    def lines(self, lang: str) -> list[str]:
        """The plan in words; every name from Entra or Steeple made terminal-safe."""
        lines = [t("entra.setup.heading", lang, url=terminal_safe(self.instance))]
        if self.app is None:
            lines.append("• " + t("entra.setup.app_create", lang))
            if self.not_found:
                lines.append(t("entra.setup.not_found", lang, tried=terminal_safe(self.not_found)))
        else:
            how = t(f"entra.setup.found_by.{self.app['found_by']}", lang)
            name = terminal_safe(self.app["display_name"])
            lines.append("• " + t("entra.setup.app_found", lang, name=name, how=how))
        lines.append(
            "• " + t("entra.setup.job_existing" if self.job_exists else "entra.setup.job", lang)
        )
        lines.append("• " + t("entra.setup.secrets", lang, url=terminal_safe(self.tenant_url)))
        lines.append("• " + t("entra.setup.groups", lang, count=len(self.groups)))
        for pick in self.groups:
            where = terminal_safe(pick.community) if pick.community else "—"
            mark = t("entra.setup.already", lang) if pick.choice.assigned else ""
            lines.append(
                f"    {terminal_safe(pick.choice.name)} → {where} ({pick.role}){mark}".rstrip()
            )
        if self.uncovered:
            names = ", ".join(terminal_safe(n) for n in self.uncovered)
            lines.append("  " + t("entra.setup.uncovered", lang, names=names))
        if self.groups:
            lines.append(t("entra.setup.role", lang, role=terminal_safe(self.app_role)))
        lines.append("• " + t("entra.setup.start", lang))
        return lines


async def make_plan(
    client: SteepleClient, side: EntraSide, wanted: list[str] | None, lang: str
) -> SetupPlan:
    """Read both sides; change nothing. `wanted`: group names given with `--groups`."""
    integration = await client.get_integration()
    if not integration.installed:
        raise SetupRefused(
            t("entra.setup.not_installed", lang),
            t("entra.setup.not_installed.fix", lang),
            EXIT_BLOCKED,
        )
    credentials = await client.get_credentials()
    communities = (await client.list_communities()).items
    app = await side.find_app()
    job = await side.find_job() if app is not None else None
    if wanted:
        found = await side.groups_named(wanted)
        unknown = [name for name in wanted if not found.get(name)]
        if unknown:
            raise SetupRefused(
                t("entra.setup.unknown_groups", lang, names=", ".join(map(terminal_safe, unknown))),
                t("entra.setup.unknown_groups.fix", lang),
                EXIT_USAGE,
            )
        chosen = list({c.id: c for name in dict.fromkeys(wanted) for c in found[name]}.values())
    else:
        mentioning = await side.groups_mentioning([c.name for c in communities])
        chosen = sorted(
            (c for c in mentioning if community_named_in(c.name, communities) is not None),
            key=lambda c: c.name.casefold(),
        )
    picks = []
    for choice in chosen:
        community = community_named_in(choice.name, communities)
        name = community.name if community else None
        picks.append(GroupPick(choice, name, role_from_name(choice.name)))
    covered = {p.community for p in picks}
    return SetupPlan(
        instance=client.base_url,
        tenant_url=credentials.tenant_url,
        app=None
        if app is None
        else {"id": app.id, "display_name": app.display_name or "", "found_by": side.found_by},
        job_exists=job is not None,
        groups=picks,
        uncovered=[c.name for c in communities if c.name not in covered],
        not_found=side.not_found_sentence() if app is None else None,
        app_role=assignment_role(app.app_roles).name if app is not None else "User",
    )


def confirmed(yes: bool, lang: str) -> bool:
    """`--yes`, or "y" typed on a terminal; without a terminal, refuse (exit 2) with why."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise SetupRefused(
            t("entra.setup.no_tty", lang), t("entra.setup.no_tty.fix", lang), EXIT_USAGE
        )
    answer = input(t("entra.setup.ask", lang) + " ")
    return answer.strip().lower() in ("y", "yes", "o", "oui")


async def apply_plan(
    client: SteepleClient, side: EntraSide, plan: SetupPlan, lang: str
) -> tuple[dict[str, Any], list[str]]:
    """Do it; (result JSON, the secret to redact from anything printed)."""
    app = await side.ensure_app()
    job = await side.ensure_job()
    secrets: list[str] = []
    verdict = await side.test_saved_connection(plan.tenant_url) if plan.job_exists else None
    token = "kept"  # Entra's saved token still works: no new token on every run
    if verdict is None or not verdict.ok:
        created = await client.create_token()
        secrets.append(created.secret)
        await side.save_credentials(plan.tenant_url, created.secret)
        verdict = await side.test_connection(plan.tenant_url, created.secret)
        token = "created"
    result: dict[str, Any] = {
        "app_id": app.id,
        "job_id": job.id,
        "token": token,
        "newly_assigned": 0,
        "other_role": [],
        "started": False,
        "connection": {
            "ok": verdict.ok,
            "code": verdict.code,
            "sentence": verdict.sentence,
            "fix": verdict.fix,
        },
    }
    if not verdict.ok:
        raise SetupFailed(result, verdict.sentence, verdict.fix, secrets)
    outcome = await side.assign_groups([g.choice.id for g in plan.groups])
    result["newly_assigned"] = outcome.added
    result["other_role"] = [{"group": name, "role": role} for name, role in outcome.other_role]
    await side.start()
    result["started"] = True
    return result, secrets


class SetupFailed(SetupRefused):
    """Applying stopped at a step that blocks (Test Connection failed); what was done so far."""

    def __init__(self, result: dict[str, Any], message: str, fix: str, secrets: list[str]) -> None:
        super().__init__(message, fix, EXIT_BLOCKED)
        self.result = result
        self.secrets = secrets


def done_lines(result: dict[str, Any], lang: str) -> list[str]:
    lines = [
        t("entra.setup.connection_ok", lang),
        t("entra.setup.assigned", lang, count=result["newly_assigned"]),
    ]
    for other in result.get("other_role", []):
        name, role = terminal_safe(other["group"]), terminal_safe(other["role"])
        lines.append("  " + t("entra.assign.other_role", lang, name=name, role=role))
    lines.append(t("entra.setup.started", lang))
    return lines
