"""The admin key stays off the wire in clear: plain http:// is refused for any host but this one.

The wiretap listens on this machine's non-loopback address, so a plain-http request to it really
crosses a network interface: without `--allow-insecure-http` it must receive nothing at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.cli.main import EXIT_USAGE, main
from assistant.steeple.client import InsecureUrlError, require_secure_url
from tests.support.wiretap import Wiretap, start_wiretap

ROOT = Path(__file__).resolve().parents[3]
KEY = "adm_PLANTED-insecure-http-key-42"


@pytest.fixture
def wiretap() -> Iterator[Wiretap]:
    tap = start_wiretap()
    yield tap
    tap.stop()


@pytest.mark.parametrize(
    "url",
    [
        "http://acme.steeple.example",
        "http://acme.steeple.example:80/api/admin/v1",
        "HTTP://Acme.Steeple.Example",
        "http://10.0.0.5:8700",
        "http://0.0.0.0:8700",
        "http://[fd00::2]:8700",
        "http://127.0.0.1.nip.io",
        "http://localhost.evil.example",
    ],
)
def test_plain_http_to_another_host_is_refused(url: str) -> None:
    with pytest.raises(InsecureUrlError) as refused:
        require_secure_url(url)
    assert "http://" in refused.value.message and "--allow-insecure-http" in refused.value.fix
    require_secure_url(url, allow_insecure_http=True)  # the explicit opt-in


@pytest.mark.parametrize(
    "url",
    [
        "https://acme.steeple.example",
        "http://127.0.0.1:8700",
        "http://127.42.0.9",
        "http://localhost:8700/",
        "http://LOCALHOST.",
        "http://[::1]:8700",
        "http://[::ffff:127.0.0.1]:8700",
    ],
)
def test_https_and_loopback_are_allowed(url: str) -> None:
    require_secure_url(url)


def test_headless_refuses_with_exit_2_and_sends_nothing(
    wiretap: Wiretap, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STEEPLE_API_KEY", KEY)
    assert main(["--url", wiretap.url, "status"]) == EXIT_USAGE
    assert "plain http://" in capsys.readouterr().err
    assert main(["--url", wiretap.url, "doctor", "--json"]) == EXIT_USAGE
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["kind"] == "config" and "--allow-insecure-http" in error["fix"]
    assert bytes(wiretap.received) == b""
    # the opt-in sends it, and shows why it is refused by default: the key is readable on the wire
    main(["--url", wiretap.url, "--allow-insecure-http", "status"])
    assert f"Bearer {KEY}".encode() in bytes(wiretap.received)


@pytest.mark.slow  # a TUI subprocess
def test_tui_refuses_before_starting(wiretap: Wiretap, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update(STEEPLE_API_KEY=KEY, STEEPLE_ASSISTANT_CONFIG_DIR=str(tmp_path / "config"))
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "--url", wiretap.url],
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == EXIT_USAGE, done.stderr[-500:]
    assert "plain http://" in done.stderr
    assert bytes(wiretap.received) == b""
    assert not (tmp_path / "config").exists() or wiretap.url not in "".join(
        p.read_text() for p in (tmp_path / "config").rglob("*") if p.is_file()
    )


def test_refusal_in_french() -> None:
    from assistant.steeple.client import InsecureUrlError

    refused = InsecureUrlError("http://acme.example:8700")
    message, fix = refused.text("fr")
    assert message.startswith("acme.example est adressé en http:// simple")
    assert "--allow-insecure-http" in fix
    assert (refused.message, refused.fix) == refused.text("en")
