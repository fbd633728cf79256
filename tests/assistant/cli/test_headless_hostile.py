"""`status`, `doctor` and `report` on the hostile directory: nothing active reaches the terminal,
nothing restructures the report, and `--json` still carries the exact data.

The sandbox is seeded with `--seed hostile` (communities named with markup and escape sequences),
provisioned with the hostile users and groups over SCIM, and sent one unauthenticated SCIM request
whose path holds an OSC 0 sequence and a C1 CSI — all through real HTTP.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from markdown_it import MarkdownIt

from assistant.cli.main import main
from sandbox.hostile import COMMUNITY_NAMES, PAYLOADS
from sandbox.server import SandboxServer
from tests.support.prepare import prepare
from tests.support.servers import ThreadedServer

EVIL_PATH = "/scim/v2/%1B%5D0%3BPATH-TITLE%07%C2%9B2J"
"""Percent-encoded: the server decodes it to ESC ] 0 ; … BEL and U+009B in the logged path."""
ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
"""Any C0 (but tab and newline), DEL, C1, zero-width or bidi control character."""
REPORT_HEADINGS = {
    "Steeple provisioning diagnostics",
    "Versions",
    "Instance",
    "Journey",
    "Checks",
    "Provisioning",
    "Recent SCIM requests",
    "Recent SCIM errors",
}


@pytest.fixture
def hostile(
    start_sandbox: Callable[..., SandboxServer],
    admin_key: str,
    monkeypatch: pytest.MonkeyPatch,
) -> SandboxServer:
    server = start_sandbox(seed="hostile")
    asyncio.run(prepare(server.base_url, admin_key, "mapped", hostile=True))
    answer = httpx.get(server.base_url + EVIL_PATH)  # no token: anyone on the network can
    assert answer.status_code == 401
    monkeypatch.setenv("STEEPLE_API_KEY", admin_key)
    return server


def run_text(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    main(list(argv))
    captured = capsys.readouterr()
    return captured.out + captured.err


def assert_inert(text: str) -> None:
    assert not any(payload in text for payload in PAYLOADS)
    assert ACTIVE.findall(text) == []
    assert "PATH-TITLE\x07" not in text


def test_doctor_and_status_text_hold_no_active_character(
    hostile: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    doctor = run_text(capsys, "--url", hostile.base_url, "doctor")
    assert_inert(doctor)
    # the hostile community names are there, written out, not dropped
    assert "Community 'Commerciaux ␛[31mrouge␛[0m'" in doctor  # its escapes written out
    assert "Community 'Usine [/link] Lyon'" in doctor
    status = run_text(capsys, "--url", hostile.base_url, "status")
    assert_inert(status)


def test_json_output_is_exact_and_inert(
    hostile: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--url", hostile.base_url, "doctor", "--json"])
    out = capsys.readouterr().out
    assert_inert(out)
    data = json.loads(out)
    messages = " ".join(check["message"] for check in data["checks"])
    assert any(name in messages for name in COMMUNITY_NAMES)  # the raw data, unchanged


def test_report_text_is_inert_and_keeps_its_structure(
    hostile: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    report = run_text(capsys, "--url", hostile.base_url, "report")
    assert_inert(report)
    tokens = MarkdownIt("commonmark").enable("table").parse(report)
    headings = [
        tokens[i + 1].content for i, token in enumerate(tokens) if token.type == "heading_open"
    ]
    assert set(headings) == REPORT_HEADINGS  # "# Injected heading" from a name is not one
    inline = [child for token in tokens for child in token.children or []]
    assert not [t for t in inline if t.type in ("link_open", "image", "html_inline")]
    for table in (i for i, token in enumerate(tokens) if token.type == "table_open"):
        rows = []
        for token in tokens[table:]:
            if token.type == "table_close":
                break
            if token.type == "tr_open":
                rows.append(0)
            if token.type in ("td_open", "th_open"):
                rows[-1] += 1
        assert set(rows) == {6}, rows  # a `|` in a path or name does not add a column
    # The hostile path is still there, as text. (A name carrying "\n# Injected heading" no
    # longer arrives at all: Steeple refuses control characters in names, issue 20.)
    assert "PATH-TITLE" in report


HOSTILE_ERROR = {"code": "conflict\x1b[2J", "message": "Nope \x1b]52;c;cHduZWQ=\x07\x9b2J\u202e"}


async def hostile_server(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Not our API: any server an admin can point `--url` at, answering with escape sequences."""
    if scope["type"] != "http":
        return
    headers = [(b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": 409, "headers": headers})
    await send({"type": "http.response.body", "body": json.dumps(HOSTILE_ERROR).encode()})


def test_cli_error_line_from_a_hostile_server_is_inert(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = ThreadedServer(hostile_server).start()
    try:
        monkeypatch.setenv("STEEPLE_API_KEY", "adm_0123456789abcdef")
        text = run_text(capsys, "--url", server.base_url, "status")
        main(["--url", server.base_url, "status", "--json"])
        dumped = capsys.readouterr().out
    finally:
        server.stop()
    assert "Nope" in text
    assert_inert(text.replace("\n", " "))
    assert_inert(dumped.replace("\n", " "))
