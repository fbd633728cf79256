"""One runner maps every command's failures to a sentence, a fix and an exit code, in one JSON
shape. The errors are built as the clients raise them (nothing here talks to a server: the
commands' own tests run each failure end to end against the sandbox)."""

from __future__ import annotations

import json

import pytest

from assistant.cli.options import Options
from assistant.cli.problems import UsageProblem
from assistant.cli.runner import failure_of, guard
from assistant.entra.graph_errors import GraphLicenceRequired, GraphNotFound, GraphThrottled
from assistant.entra.side import AppAmbiguous
from assistant.entra.signin_errors import SignInError
from assistant.exit_codes import EXIT_BLOCKED, EXIT_OK, EXIT_UNREACHABLE, EXIT_USAGE
from assistant.journey.entra_setup import SetupFailed, SetupRefused
from assistant.steeple.errors import ErrorKind, SteepleError


@pytest.mark.parametrize(
    ("error", "kind", "code"),
    [
        (UsageProblem("No URL.", "Pass --url.", EXIT_USAGE), "config", EXIT_USAGE),
        (UsageProblem("No key.", "Set it.", EXIT_UNREACHABLE), "config", EXIT_UNREACHABLE),
        (SteepleError(ErrorKind.UNAUTHORIZED, "No.", "Key.", status=401), "unauthorized", 3),
        (SteepleError(ErrorKind.UNREACHABLE, "Down.", "Wait."), "unreachable", EXIT_UNREACHABLE),
        (GraphThrottled("Slow down.", "Wait.", code="TooManyRequests"), "entra", 3),
        (GraphNotFound("No app.", "Create it.", status=404), "entra", EXIT_UNREACHABLE),
        (GraphLicenceRequired("No P1.", "Buy it.", status=403), "entra", EXIT_BLOCKED),
        (AppAmbiguous("Two apps.", "Pick one.", []), "entra", EXIT_BLOCKED),
        (SignInError("Not signed in.", "entra signin"), "entra", EXIT_UNREACHABLE),
        (SignInError("Not yours.", "chmod", exit_code=EXIT_USAGE), "entra", EXIT_USAGE),
        (SetupRefused("No terminal.", "--yes", EXIT_USAGE), "config", EXIT_USAGE),
        (SetupFailed({"started": False}, "Test failed.", "Check.", []), "blocked", 4),
    ],
)
def test_every_known_failure_has_its_kind_and_exit_code(
    error: Exception, kind: str, code: int
) -> None:
    known = failure_of(error, "en")
    assert known is not None
    failure, exit_code = known
    assert (failure.kind, exit_code) == (kind, code)
    assert failure.message and failure.fix


def test_a_command_may_count_a_missing_graph_object_as_a_blocked_step() -> None:
    known = failure_of(GraphNotFound("No job.", "Start it."), "en", blocking=(GraphNotFound,))
    assert known is not None and known[1] == EXIT_BLOCKED


def test_one_json_shape_for_every_failure(capsys: pytest.CaptureFixture[str]) -> None:
    def refused() -> int:
        raise SteepleError(ErrorKind.FORBIDDEN, "Forbidden.", "Ask.", status=403, code="nope")

    assert guard(Options(json=True), "en", refused) == EXIT_UNREACHABLE
    body = json.loads(capsys.readouterr().out)
    assert body == {
        "ok": False,
        "error": {
            "kind": "forbidden",
            "message": "Forbidden.",
            "fix": "Ask.",
            "status": 403,
            "code": "nope",
        },
    }

    def throttled() -> int:
        raise GraphThrottled("Slow.", "Wait.", code="TooManyRequests", request_id="r-1")

    assert guard(Options(json=True), "en", throttled) == EXIT_UNREACHABLE
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["kind"] == "entra" and error["error"] == "GraphThrottled"
    assert (error["code"], error["request_id"], error["fix"]) == ("TooManyRequests", "r-1", "Wait.")


def test_without_json_the_sentence_and_fix_go_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    def refused() -> int:
        raise UsageProblem("No instance \x1b[31mURL.", "Pass --url.", EXIT_USAGE)

    assert guard(Options(), "en", refused) == EXIT_USAGE
    out, err = capsys.readouterr()
    assert out == "" and "Pass --url." in err and "\x1b" not in err  # data, never a control


def test_a_bug_is_not_dressed_as_a_failure() -> None:
    def broken() -> int:
        raise KeyError("bug")

    assert failure_of(KeyError("bug"), "en") is None
    with pytest.raises(KeyError):
        guard(Options(), "en", broken)
    assert guard(Options(), "en", lambda: EXIT_OK) == EXIT_OK
