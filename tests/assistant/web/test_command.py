"""Every option the TUI takes reaches the wizard `web` serves, given before or after `web`;
no secret ever goes on the wizard's command line."""

from __future__ import annotations

import sys

import pytest

from assistant.cli.main import build_parser, parse_options
from assistant.web.command import wizard_options
from assistant.web.session import wizard_argv

EVERY_TUI_OPTION = [
    "--sandbox",
    "--db",
    "keep.sqlite3",
    "--profile",
    "acme",
    "--allow-insecure-http",
    "--lang",
    "fr",
    "--entra-authority",
    "https://login.example/tenant-id",
    "--graph-url",
    "https://graph.example/v1.0",
    "--client-id",
    "11111111-2222-3333-4444-555555555555",
    "--entra-ca-bundle",
    "/etc/ssl/extra.pem",
]


def _options(argv: list[str]) -> list[str]:
    return wizard_options(parse_options(argv))


def _pairs(options: list[str]) -> dict[str, str | bool]:
    """`["--lang", "fr", "--sandbox"]` → `{"--lang": "fr", "--sandbox": True}`."""
    pairs: dict[str, str | bool] = {}
    index = 0
    while index < len(options):
        name = options[index]
        if index + 1 < len(options) and not options[index + 1].startswith("--"):
            pairs[name] = options[index + 1]
            index += 2
        else:
            pairs[name] = True
            index += 1
    return pairs


@pytest.mark.parametrize("where", ["before", "after"])
def test_every_tui_option_reaches_the_wizard(where: str) -> None:
    argv = [*EVERY_TUI_OPTION, "web"] if where == "before" else ["web", *EVERY_TUI_OPTION]
    assert _pairs(_options(argv)) == _pairs(EVERY_TUI_OPTION)


def test_url_reaches_the_wizard_and_web_options_do_not() -> None:
    options = _options(["--url", "https://acme.steeple.example", "web", "--port", "8710"])
    assert options == ["--url", "https://acme.steeple.example"]
    assert _options(["web", "--no-browser"]) == []


def test_an_option_after_web_wins_over_the_same_before_it() -> None:
    assert _options(["--lang", "en", "web", "--lang", "fr"]) == ["--lang", "fr"]
    assert _options(["--lang", "fr", "web", "--port", "0"]) == ["--lang", "fr"]


def test_the_wizard_runs_this_python_on_the_cli_with_options_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The admin key is in the environment here; the wizard's arguments never carry it (any
    local user can read a process's arguments)."""
    key = "adm_PLANTED-web-argv-key-1a2b3c"
    monkeypatch.setenv("STEEPLE_API_KEY", key)
    argv = wizard_argv(_options(["--url", "https://acme.steeple.example", "web"]))
    assert argv == [
        sys.executable,
        "-m",
        "assistant.cli",
        "--url",
        "https://acme.steeple.example",
    ]
    assert not any(key in part for part in argv)


def test_web_is_in_the_help() -> None:
    help_text = build_parser().format_help()
    assert "web" in help_text
    web_help = build_parser().parse_known_args(["web"])[0]
    assert web_help.port == 0 and web_help.no_browser is False
