"""`steeple-assistant sandbox entra …`: Test Connection, provisioning cycles, provision on demand.

Progress goes to stderr, `--json` cycle reports to stdout; the token is never printed. Heavy
modules are imported by the handler that runs, so parsing stays fast.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO


def register_entra_commands(sub: Any) -> None:
    """Add `entra` with `test-connection`, `provision` and `provision-on-demand`."""
    entra = sub.add_parser("entra", help="the simulated Microsoft Entra ID tenant")
    commands = entra.add_subparsers(dest="entra_command", metavar="ENTRA_COMMAND", required=True)

    test = commands.add_parser("test-connection", help="Entra's Test Connection")
    _target_args(test)
    test.add_argument("--json", action="store_true", help="print the result as JSON")
    test.set_defaults(func=_test_connection)

    provision = commands.add_parser("provision", help="run provisioning cycles")
    _target_args(provision)
    _tenant_args(provision)
    provision.add_argument(
        "--assign", default="all", help="'all' or group names/ids, comma-separated"
    )
    provision.add_argument("--cycles", type=int, default=1, help="number of cycles (default 1)")
    provision.add_argument(
        "--cycle-interval", default="40m", help="time between cycles, e.g. 5s (Entra: 40m)"
    )
    provision.add_argument("--json", action="store_true", help="print cycle reports as JSON")
    provision.add_argument(
        "--pace",
        action="store_true",
        help="spend Entra's time per object (0.01-0.08 min, scaled like --cycle-interval)",
    )
    provision.add_argument(
        "--changes", help="JSON/TOML list of directory-change steps, one applied after each cycle"
    )
    _state_arg(provision)
    provision.set_defaults(func=_provision)

    on_demand = commands.add_parser("provision-on-demand", help="provision one user now")
    _target_args(on_demand)
    _tenant_args(on_demand)
    on_demand.add_argument(
        "--user", required=True, help="userPrincipalName (with --group: up to 5, comma-separated)"
    )
    on_demand.add_argument("--group", help="provision this group with the --user members")
    on_demand.add_argument("--assign", default="all", help="'all' or group names/ids")
    on_demand.add_argument("--json", action="store_true", help="print the report as JSON")
    _state_arg(on_demand)
    on_demand.set_defaults(func=_on_demand)


def _target_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tenant-url", required=True, help="SCIM base URL (Entra's Tenant URL)")
    parser.add_argument("--token", required=True, help="the secret token (never printed)")
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight")
    parser.add_argument("--rate", type=float, default=None, help="max requests per second")
    parser.add_argument(
        "--no-aad-group-schema",
        action="store_true",
        help="omit Microsoft's non-URN group schema (for strict SCIM libraries)",
    )


def _state_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--state",
        help="job state file: a later run continues the same job (links, watermark, escrows)",
    )


def _tenant_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tenant-file", help="a tenant as JSON or TOML instead of generating one")
    parser.add_argument("--users", type=int, default=40, help="generated users")
    parser.add_argument("--groups", type=int, default=10, help="generated groups")
    parser.add_argument("--seed", type=int, default=1, help="generator seed")


def _build_job(args: argparse.Namespace, interval: float | None = None) -> Any:
    from sandbox.entra.clock import ENTRA_OBJECT_PACE, TimeScale
    from sandbox.entra.job import JobSettings, ProvisioningJob
    from sandbox.entra.tenant import generate_tenant

    if getattr(args, "tenant_file", None):
        tenant = _load_tenant_file(args.tenant_file)
    else:  # test-connection has no tenant options: a tiny tenant is enough to send the probe
        tenant = generate_tenant(
            getattr(args, "users", 1), getattr(args, "groups", 1), getattr(args, "seed", 1)
        )
    assigned = resolve_assignments(tenant, getattr(args, "assign", "all"))
    settings = JobSettings(
        max_in_flight=max(1, args.concurrency),
        rate_per_second=args.rate,
        seed=getattr(args, "seed", None),
        aad_group_schema=not args.no_aad_group_schema,
        object_pace_minutes=ENTRA_OBJECT_PACE if getattr(args, "pace", False) else None,
    )
    scale = TimeScale(interval) if interval else TimeScale()
    job = ProvisioningJob(
        tenant,
        tenant_url=args.tenant_url,
        token=args.token,
        assigned=assigned,
        scale=scale,
        settings=settings,
    )
    if getattr(args, "state", None):
        from sandbox.entra.state import StateError, file_digest, load_state

        digest = file_digest(args.tenant_file) if getattr(args, "tenant_file", None) else None
        try:
            load_state(job, args.state, tenant_digest=digest)
        except StateError as exc:
            raise SystemExit(str(exc)) from None
    return job


def _load_tenant_file(path: str) -> Any:
    from sandbox.entra.tenant import load_tenant

    try:
        return load_tenant(path)
    except (OSError, ValueError, TypeError) as exc:
        raise SystemExit(f"cannot read the tenant file {path}: {exc}") from None


def _save(job: Any, args: argparse.Namespace) -> None:
    if getattr(args, "state", None):
        from sandbox.entra.state import file_digest, save_state

        digest = file_digest(args.tenant_file) if getattr(args, "tenant_file", None) else None
        save_state(job, args.state, tenant_digest=digest)


class DirectoryFeed:
    """Before each cycle: re-read the tenant file if it changed, then apply the scripted step.

    Entra reads its directory's changes at the start of every incremental cycle; this is how a
    CLI run gets a changing directory (an edited file, or `--changes`).
    """

    def __init__(self, job: Any, args: argparse.Namespace) -> None:
        from sandbox.entra.changes import ChangeError, load_changes
        from sandbox.entra.state import file_digest

        self.job = job
        self.file: str | None = getattr(args, "tenant_file", None)
        self.digest = file_digest(self.file) if self.file else None
        try:
            self.steps = load_changes(args.changes) if getattr(args, "changes", None) else []
        except (OSError, ValueError, ChangeError) as exc:
            raise SystemExit(f"cannot read the changes file: {exc}") from None

    def __call__(self, index: int) -> None:
        from sandbox.entra.changes import ChangeError, apply_step
        from sandbox.entra.state import file_digest

        if self.file and index > 0 and file_digest(self.file) != self.digest:
            self.job.tenant = _load_tenant_file(self.file)
            self.digest = file_digest(self.file)
        if 0 < index <= len(self.steps):
            try:
                apply_step(self.job.tenant, self.steps[index - 1], index)
            except ChangeError as exc:
                raise SystemExit(f"cannot apply the changes: {exc}") from None


def resolve_assignments(tenant: Any, spec: str) -> list[str]:
    """'all' → every group; otherwise names or objectIds, comma-separated; unknown ones refused."""
    if spec.strip().lower() == "all":
        return list(tenant.groups)
    chosen: list[str] = []
    for name in (part.strip() for part in spec.split(",")):
        if not name:
            continue
        group = tenant.group_by_name(name)
        if group is None:
            raise SystemExit(f"no group named {name!r} in the tenant")
        chosen.append(group.object_id)
    return chosen


def _test_connection(args: argparse.Namespace) -> int:
    import asyncio
    import json

    job = _build_job(args)
    result = asyncio.run(job.test_connection())
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        print(result.message)
        if not result.success:
            print(f"Cause: {result.cause} — {result.detail}", file=sys.stderr)
    return 0 if result.success else 1


class ProgressLine:
    """Objects done / total and rate on one stderr line, rewritten in place on a terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        import time

        # Resolved now, not as a default argument: a default would pin whatever `sys.stderr`
        # was when the module was imported (a closed capture stream under test runners).
        self.stream = stream if stream is not None else sys.stderr
        self._time = time.monotonic
        self._started = self._time()
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = self._time()
        if done < total and now - self._last < 0.2:
            return
        self._last = now
        rate = done / max(now - self._started, 1e-6)
        end = "\r" if self.stream.isatty() and done < total else "\n"
        self.stream.write(f"  {done}/{total} objects, {rate:.0f}/s{end}")
        self.stream.flush()

    def reset(self) -> None:
        self._started = self._time()


def visible(text: str) -> str:
    """Directory text is data: control characters are shown escaped, never sent to the terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _summary(report: Any) -> str:
    return (
        f"{report.cycle_id} ({report.kind}): processed {report.processed}, created "
        f"{report.created}, updated {report.updated}, disabled {report.disabled}, deleted "
        f"{report.deleted}, skipped {report.skipped}, failed {report.failed}, "
        f"{report.requests} requests" + (" — QUARANTINED" if report.quarantined else "")
    )


def _provision(args: argparse.Namespace) -> int:
    import asyncio
    import json

    from sandbox.entra.clock import parse_duration

    try:
        interval = parse_duration(args.cycle_interval)
    except ValueError as exc:
        raise SystemExit(str(exc)) from None
    job = _build_job(args, interval)
    progress = ProgressLine()
    reports: list[Any] = []

    def on_report(report: Any) -> None:
        reports.append(report)
        print(_summary(report), file=sys.stderr)
        if report.quarantined and job.status.quarantine is not None:
            q = job.status.quarantine
            print(
                f"  quarantine: {q.reason}; next attempt {q.next_attempt:%H:%M:%S}", file=sys.stderr
            )
        progress.reset()

    feed = DirectoryFeed(job, args)

    def saved(report: Any) -> None:
        on_report(report)
        _save(job, args)  # after every cycle: an interrupted run loses at most one cycle

    asyncio.run(job.run(max(1, args.cycles), progress=progress, on_report=saved, before_cycle=feed))
    if args.json:
        print(json.dumps([r.model_dump(mode="json") for r in reports], indent=2))
    return 1 if any(r.quarantined or r.failed for r in reports) else 0


def _on_demand(args: argparse.Namespace) -> int:
    import asyncio
    import json

    job = _build_job(args)
    users = [u.strip() for u in args.user.split(",") if u.strip()]
    try:
        if args.group:
            report = asyncio.run(job.provision_group_on_demand(args.group, users))
        else:
            report = asyncio.run(job.provision_on_demand(args.user))
    except (LookupError, ValueError) as exc:
        raise SystemExit(str(exc)) from None
    _save(job, args)
    if args.json:
        print(json.dumps(report.model_dump(mode="json"), indent=2))
    else:
        for entry in report.entries:
            code = f" [{entry.error_code}]" if entry.error_code else ""
            name = visible(entry.source_name)
            print(f"{entry.object_type} {name}: {entry.action} {entry.status}{code}")
        if not report.entries:
            print("No change needed.")
    return 1 if report.failed else 0
