"""The benchmark scripts still run: each `--quick` run prints, as its last line, its JSON figures.

No timing is asserted (the machine is shared); only that each script runs end to end against real
servers and reports every figure with its target and whether it is met.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs the benchmark scripts as subprocesses

ROOT = Path(__file__).resolve().parents[2]

EXPECTED = {
    "startup": {
        "time_ratio",
        "memory_ratio",
        "url_actionable_ratio",
        "sandbox_actionable_ratio",
    },
    "sandbox_boot": {"answer_cpu_ratio", "answer_time_ratio", "journey_cpu_ratio"},
    "initial_cycle": {
        "correct",
        "cpu_ms_per_request",
        "memory_ratio_n_vs_n10",
        "p99_ratio_vs_peer",
    },
    "large_directory": {
        "first_paint_ratio",
        "keystroke_ms",
        "keystroke_cpu_ratio",
        "keystroke_wall_ratio",
    },
    "graph_scale": {"requests_per_refresh", "provision_requests_ratio", "time_per_request_ratio"},
    "poll_cost": {"median_ratio", "staged_state_served"},
    "throttle_memory": {"growth", "guesser_counted"},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_script_prints_its_figures_as_a_final_json_line(name: str) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / f"{name}.py"), "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    last = done.stdout.strip().splitlines()[-1]
    body = json.loads(last)
    assert body["bench"] == name
    assert body["quick"] is True
    assert set(body["figures"]) == EXPECTED[name]
    for figure in body["figures"].values():
        assert set(figure) >= {"value", "target", "met"}
        assert isinstance(figure["met"], bool)
    assert body["met"] == all(f["met"] for f in body["figures"].values())
    # The figures are the script's own: a table was printed above the JSON line.
    assert "|" in done.stdout
    if name in ("initial_cycle", "poll_cost"):  # correctness is checked, not just timed
        correctness = "correct" if name == "initial_cycle" else "staged_state_served"
        assert body["figures"][correctness]["met"] is True
