"""`sandbox serve --seed hostile` and the hostile tenant file: the names arrive byte for byte.

The hostile directory is only useful if nothing on the way cleans it: the seed stores the
community names as written, and the simulated Entra provisions the group names as written, over
real SCIM, from the JSON file `python -m sandbox.hostile` writes — all but those holding a
control character, which Steeple refuses (400 invalidValue, issue 20) and Entra logs as failed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.cli.main import main as cli_main
from sandbox import hostile
from sandbox.entra.tenant import load_tenant
from tests.support.sandboxes import all_pages, install

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def test_hostile_seed_stores_the_community_names_as_written(
    start_sandbox: Callable[..., Any], admin_key: str
) -> None:
    server = start_sandbox(seed="hostile")
    headers = {"Authorization": f"Bearer {admin_key}"}
    answer = httpx.get(f"{server.admin_url}/communities", headers=headers)
    assert sorted(c["name"] for c in answer.json()["items"]) == sorted(hostile.COMMUNITY_NAMES)


def test_tenant_file_provisions_the_hostile_names_over_scim(
    start_sandbox: Callable[..., Any],
    admin_key: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tenant_file = tmp_path / "hostile.json"
    assert hostile.main([str(tenant_file)]) == 0
    assert tenant_file.read_bytes().isascii()  # control characters are JSON escapes in the file
    tenant = load_tenant(tenant_file)
    assert [g.display_name for g in tenant.groups.values()] == list(hostile.GROUP_NAMES)
    assert any(not u.mail for u in tenant.users.values())  # e-mail-less users are in it

    server = start_sandbox(seed="hostile")
    admin = httpx.Client(
        base_url=server.admin_url, headers={"Authorization": f"Bearer {admin_key}"}, timeout=30
    )
    tenant_url, secret = install(admin)
    code = cli_main(
        [
            "sandbox",
            "entra",
            "provision",
            "--tenant-url",
            tenant_url,
            "--token",
            secret,
            "--tenant-file",
            str(tenant_file),
            "--assign",
            "all",
            "--cycles",
            "1",
            "--json",
        ]
    )
    out = capsys.readouterr().out
    reports = json.loads(out[out.index("[") :])
    # Steeple refuses a control character in a name (issue 20): Entra logs those objects as
    # failures (exit 1: entry-level errors) and provisions every other hostile name as sent.
    refused_groups = {name for name in hostile.GROUP_NAMES if CONTROL.search(name)}
    refused_people = [p for p in hostile.PEOPLE if CONTROL.search(p.display_name)]
    assert refused_groups and refused_people  # the directory still tries them
    assert code == 1
    received = {g["display_name"] for g in all_pages(admin, "groups")}
    assert received == set(hostile.GROUP_NAMES) - refused_groups
    users = all_pages(admin, "scim-users")
    assert len(users) == len(hostile.PEOPLE) - len(refused_people)
    failures = [e for r in reports for e in r["entries"] if e["status"] == "failure"]
    assert len(failures) >= len(refused_groups) + len(refused_people)
