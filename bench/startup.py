"""Cold start of `steeple-assistant` to its first screen, and to its first actionable step,
vs a hello-world Textual app's first paint.

Each runs headless in a fresh interpreter (`bench/_startup_probe.py`), interleaved, ≥ 5 runs each;
every figure is a ratio of medians measured in the same run. First paint: `--sandbox`'s first
screen vs hello-world (≤ 1.15× time, ≤ 1.3× peak RSS). First *actionable* step (the first step
screen painted with its data loaded and a control focused): `--url` against a running instance
(a sandbox in its own process, pinned to core 0, integration installed) ≤ 1.5× hello-world's
first paint; `--sandbox` (which starts its own sandbox, a child process since issue 21: its resident
memory at that step is shown beside the app's) ≤ 2.5×. A *floor* is measured with them: a
hello-world that imports httpx and pydantic and shows one validated GET of the same instance,
the least any app on the project's stack does before a step one can act on; `--url`'s figure
is also given against it, the part of the start that is the assistant's own. One unmeasured run
of each first warms the OS page cache and writes the bytecode cache (in a temporary
PYTHONPYCACHEPREFIX), as an admin's machine has it from the second start on.

    uv run python bench/startup.py [--quick] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, core_pins, emit_json, figure, median, print_table  # noqa: E402

PROBE = Path(__file__).resolve().parent / "_startup_probe.py"
TIME_TARGET = 1.15
MEMORY_TARGET = 1.3
URL_ACTIONABLE_TARGET = 1.5
SANDBOX_ACTIONABLE_TARGET = 2.5
KINDS = ("hello", "floor", "sandbox", "url")
NEEDS_URL = ("floor", "url")


def one_run(kind: str, work: Path, env: dict[str, str], url: str = "") -> dict[str, Any]:
    """Spawn one cold interpreter; return seconds to first paint (and first step) and peak RSS."""
    out = work / f"{kind}.json"
    out.unlink(missing_ok=True)
    probe_kind = "assistant" if kind == "sandbox" else kind
    started = time.time()
    done = subprocess.run(
        [sys.executable, str(PROBE), probe_kind, str(out), *([url] if url else [])],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
        env=env,
    )
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"{kind} probe failed ({done.returncode}): {done.stderr[-2000:]!r}")
    marks = json.loads(out.read_text())
    result = {
        "first_paint_s": marks["first_paint"] - started,
        "rss_mib": marks["first_paint_rss_mib"],
        "screen": marks["first_screen"],
    }
    if "first_step" in marks:
        result["first_step_s"] = marks["first_step"] - started
        result["first_step_rss_mib"] = marks["first_step_rss_mib"]
        result["actionable_s"] = marks["actionable"] - started
        result["actionable_screen"] = marks["actionable_screen"]
        result["children_rss_mib"] = marks.get("children_rss_mib", 0.0)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 run each, for the test suite")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    runs = 1 if args.quick else max(5, args.runs)
    results: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    from initial_cycle import ServerProcess

    server_pin, _ = core_pins()
    server = ServerProcess.start("sandbox", server_pin)
    url = f"http://127.0.0.1:{server.port}"
    try:
        with tempfile.TemporaryDirectory(prefix="steeple-bench-") as tmp:
            env = {**os.environ, "STEEPLE_ASSISTANT_CONFIG_DIR": str(Path(tmp) / "config")}
            # Bytecode as on an admin's machine after the first run: Python caches it (here in
            # a throwaway prefix); with PYTHONDONTWRITEBYTECODE every start compiles each module
            # again, 1-2 s of `compile` that a user never pays twice.
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
            env["STEEPLE_API_KEY"] = server.admin_key  # the `--url` and floor children read it
            for kind in KINDS:  # warm the OS page cache and the bytecode once, not measured
                one_run(kind, Path(tmp), env, url if kind in NEEDS_URL else "")
            for _ in range(runs):
                for kind in KINDS:  # interleaved, so drift hits all alike
                    target = url if kind in NEEDS_URL else ""
                    results[kind].append(one_run(kind, Path(tmp), env, target))
    finally:
        server.stop()

    def med(kind: str, key: str) -> float:
        return median([r[key] for r in results[kind]])

    hello_time, hello_rss = med("hello", "first_paint_s"), med("hello", "rss_mib")
    sandbox, by_url = results["sandbox"][0], results["url"][0]
    floor_time = med("floor", "actionable_s")
    rows = [
        ["hello-world Textual", f"{hello_time * 1000:.0f}", f"{hello_rss:.1f}", "", "", "", ""],
        [
            "floor: hello-world + httpx + pydantic + 1 GET",
            f"{med('floor', 'first_paint_s') * 1000:.0f}",
            f"{med('floor', 'rss_mib'):.1f}",
            "",
            f"{floor_time * 1000:.0f}",
            "",
            "",
        ],
        *(
            [
                f"steeple-assistant {flag} ({first['screen']} → {first['actionable_screen']})",
                f"{med(kind, 'first_paint_s') * 1000:.0f}",
                f"{med(kind, 'rss_mib'):.1f}",
                f"{med(kind, 'first_step_s') * 1000:.0f}",
                f"{med(kind, 'actionable_s') * 1000:.0f}",
                f"{med(kind, 'first_step_rss_mib'):.1f}",
                f"{med(kind, 'children_rss_mib'):.1f}",
            ]
            for kind, flag, first in (("sandbox", "--sandbox", sandbox), ("url", "--url", by_url))
        ),
    ]
    print_table(
        f"Cold start, median of {runs} interleaved runs each",
        [
            "app",
            "first paint ms",
            "peak RSS MiB",
            "first step ms",
            "actionable ms",
            "RSS at step MiB",
            "child RSS MiB",
        ],
        rows,
    )
    time_ratio = med("sandbox", "first_paint_s") / hello_time
    memory_ratio = med("sandbox", "rss_mib") / hello_rss
    url_ratio = med("url", "actionable_s") / hello_time
    sandbox_ratio = med("sandbox", "actionable_s") / hello_time
    floor_ratio = floor_time / hello_time
    print(
        f"\ntime ratio {time_ratio:.3f} (target ≤ {TIME_TARGET}), "
        f"memory ratio {memory_ratio:.3f} (target ≤ {MEMORY_TARGET}); first actionable step vs "
        f"hello-world's first paint: --url {url_ratio:.3f} (target ≤ {URL_ACTIONABLE_TARGET}), "
        f"--sandbox {sandbox_ratio:.3f} (target ≤ {SANDBOX_ACTIONABLE_TARGET}); the stack's "
        f"floor (hello-world + httpx + pydantic + one GET) {floor_ratio:.3f}, so --url spends "
        f"{url_ratio / floor_ratio:.3f}× the floor"
    )
    emit_json(
        "startup",
        args.quick,
        {
            "time_ratio": figure(time_ratio, TIME_TARGET),
            "memory_ratio": figure(memory_ratio, MEMORY_TARGET),
            "url_actionable_ratio": figure(url_ratio, URL_ACTIONABLE_TARGET),
            "sandbox_actionable_ratio": figure(sandbox_ratio, SANDBOX_ACTIONABLE_TARGET),
        },
        runs=runs,
        hello_first_paint_ms=round(hello_time * 1000, 1),
        floor_actionable_ms=round(floor_time * 1000, 1),
        floor_ratio=round(floor_ratio, 3),
        url_vs_floor=round(url_ratio / floor_ratio, 3),
        assistant_first_paint_ms=round(med("sandbox", "first_paint_s") * 1000, 1),
        assistant_first_screen=sandbox["screen"],
        assistant_first_step_ms=round(med("sandbox", "first_step_s") * 1000, 1),
        sandbox_actionable_ms=round(med("sandbox", "actionable_s") * 1000, 1),
        sandbox_actionable_screen=sandbox["actionable_screen"],
        url_first_paint_ms=round(med("url", "first_paint_s") * 1000, 1),
        url_actionable_ms=round(med("url", "actionable_s") * 1000, 1),
        url_actionable_screen=by_url["actionable_screen"],
        hello_peak_rss_mib=round(hello_rss, 1),
        assistant_peak_rss_mib=round(med("sandbox", "rss_mib"), 1),
        assistant_rss_at_first_step_mib=round(med("sandbox", "first_step_rss_mib"), 1),
        sandbox_child_rss_mib=round(med("sandbox", "children_rss_mib"), 1),
    )


if __name__ == "__main__":
    main()
