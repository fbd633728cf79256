"""Incremental cycles over a changing directory from the CLI, the job continued across runs.

Three cycles in two invocations sharing `--state`: an initial cycle; then an edit of the tenant
file; then two incremental cycles, with a scripted `--changes` step between them. Entra's restart
and its incremental cycles keep the links between source and target objects
(learn.microsoft.com/entra/identity/app-provisioning/how-provisioning-works, "Incremental
cycles"), so only deltas may go out, and never a second create of the same object.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
import tomli_w

from assistant.cli.main import main as cli_main
from sandbox.entra.tenant import EntraUser, generate_tenant
from tests.support.entra import TOKEN, RecordingScim


def run(url: str, tenant: Path, state: Path, cycles: int, *extra: str) -> None:
    argv = [
        "sandbox", "entra", "provision", "--tenant-url", url, "--token", TOKEN,
        "--tenant-file", str(tenant), "--state", str(state), "--cycles", str(cycles),
        "--cycle-interval", "0.01s", "--concurrency", "1", "--seed", "3", "--json", *extra,
    ]  # fmt: skip
    assert cli_main(argv) == 0


def test_three_cycles_two_invocations_send_only_deltas(
    peer: tuple[RecordingScim, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app, base = peer
    url = base + "?aadOptscim062020"
    tenant = generate_tenant(12, 4, seed=3)
    tenant_file, state = tmp_path / "tenant.json", tmp_path / "job.json"
    tenant_file.write_text(json.dumps(tenant.to_dict()))

    run(url, tenant_file, state, 1)
    first_out = json.loads(capsys.readouterr().out)
    assert [r["kind"] for r in first_out] == ["initial"]
    created = {r.body["userName"] for r in app.requests if (r.method, r.path) == ("POST", "/Users")}
    enabled = {u.user_principal_name for u in tenant.users.values() if u.account_enabled}
    assert created == enabled
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    assert TOKEN not in state.read_text()
    after_first = len(app.requests)

    # Between the invocations: an admin edits the directory file.
    users = list(tenant.users.values())
    renamed = next(u for u in users if u.account_enabled)
    renamed.surname = "Zola"
    group = next(iter(tenant.groups.values()))
    old_group_name, group.display_name = group.display_name, "Renamed group"
    tenant_file.write_text(json.dumps(tenant.to_dict()))
    # …and a scripted change lands between the second and third cycles.
    leaver = next(u for u in users[1:] if u.account_enabled and u is not renamed)
    newcomer = EntraUser("u-new", "nouveau@contoso.fr", "nouveau", "Nouveau Venu")
    changes = tmp_path / "changes.json"
    changes.write_text(
        json.dumps(
            [
                [
                    {"op": "add_user", "user": newcomer.__dict__, "groups": ["Renamed group"]},
                    {"op": "delete_user", "user": leaver.user_principal_name},
                ]
            ]
        )
    )

    run(url, tenant_file, state, 2, "--changes", str(changes))
    reports = json.loads(capsys.readouterr().out)
    assert [r["kind"] for r in reports] == ["incremental", "incremental"]
    second = app.requests[after_first:]
    posts = [
        (r.path, (r.body or {}).get("userName") or r.body.get("displayName"))
        for r in second
        if r.method == "POST"
    ]
    # Never a duplicate create: the only POST is the newcomer; the renamed group is PATCHed.
    assert posts == [("/Users", "nouveau@contoso.fr")]
    writes = [(r.method, r.path, r.body) for r in second if r.method in ("PATCH", "DELETE")]
    renames = [
        b for m, p, b in writes if p.startswith("/Groups/") and b and "displayName" in json.dumps(b)
    ]
    assert renames and old_group_name not in json.dumps(renames)
    surname = [b for m, p, b in writes if b and '"Zola"' in json.dumps(b, ensure_ascii=False)]
    assert len(surname) == 1  # once, in the second cycle, not again in the third
    deletes = [p for m, p, _ in writes if m == "DELETE"]
    assert len(deletes) == 1
    # The third cycle: the newcomer's lookups, create and membership, and the delete — no more.
    third = reports[1]
    assert (third["created"], third["deleted"], third["failed"]) == (1, 1, 0)
    assert reports[0]["created"] == 0 and reports[0]["failed"] == 0
    all_posts = [
        r.body.get("userName") for r in app.requests if (r.method, r.path) == ("POST", "/Users")
    ]
    assert len(all_posts) == len(set(all_posts))


def test_bad_changes_and_foreign_state_are_refused_clearly(
    peer: tuple[RecordingScim, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A change that cannot apply, or a state file of another target, stops with a message
    naming the problem — never a traceback, never creates sent on stale links."""
    app, base = peer
    tenant_file, state = tmp_path / "tenant.toml", tmp_path / "job.json"
    tenant_file.write_text(tomli_w.dumps(generate_tenant(4, 2, seed=1).to_dict()))
    changes = tmp_path / "changes.toml"
    changes.write_text(tomli_w.dumps({"steps": [[{"op": "rename_everyone"}]]}))
    with pytest.raises(SystemExit, match="step 1, change 1: unknown change 'rename_everyone'"):
        run(base, tenant_file, state, 2, "--changes", str(changes))
    changes.write_text(tomli_w.dumps({"steps": [[{"op": "delete_user", "user": "nobody"}]]}))
    with pytest.raises(SystemExit, match="no user 'nobody'"):
        run(base, tenant_file, state, 2, "--changes", str(changes))
    assert state.exists()  # the cycles before the bad step were kept
    before = len(app.requests)
    with pytest.raises(SystemExit, match="belongs to a job for http://127.0.0.1:.*/scim"):
        run(base.replace("/scim", "/other"), tenant_file, state, 1)
    assert len(app.requests) == before
    capsys.readouterr()
