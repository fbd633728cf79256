"""Cold start of `steeple-assistant --sandbox` to its first screen vs a hello-world Textual app.

Both run headless in a fresh interpreter (`bench/_startup_probe.py`), interleaved, ≥ 5 runs each;
the figure is the ratio of medians, and of peak RSS (VmHWM at first paint). Also shown: when the
first journey step (past the loading screen) is on screen, which waits for the sandbox to boot.
Targets: ≤ 1.15× time, ≤ 1.3× memory.

    uv run python bench/startup.py [--quick] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, emit_json, figure, median, print_table  # noqa: E402

PROBE = Path(__file__).resolve().parent / "_startup_probe.py"
TIME_TARGET = 1.15
MEMORY_TARGET = 1.3


def one_run(kind: str, work: Path) -> dict[str, Any]:
    """Spawn one cold interpreter; return seconds to first paint (and first step) and peak RSS."""
    out = work / f"{kind}.json"
    out.unlink(missing_ok=True)
    started = time.time()
    done = subprocess.run(
        [sys.executable, str(PROBE), kind, str(out)],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
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
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 run each, for the test suite")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    runs = 1 if args.quick else max(5, args.runs)
    results: dict[str, list[dict[str, Any]]] = {"hello": [], "assistant": []}
    with tempfile.TemporaryDirectory(prefix="steeple-bench-") as tmp:
        for kind in ("hello", "assistant") if not args.quick else ():
            one_run(kind, Path(tmp))  # warm the OS page cache once, not measured
        for _ in range(runs):
            for kind in ("hello", "assistant"):  # interleaved, so drift hits both alike
                results[kind].append(one_run(kind, Path(tmp)))

    hello, ours = results["hello"], results["assistant"]
    hello_time = median([r["first_paint_s"] for r in hello])
    our_time = median([r["first_paint_s"] for r in ours])
    hello_rss = median([r["rss_mib"] for r in hello])
    our_rss = median([r["rss_mib"] for r in ours])
    step_time = median([r["first_step_s"] for r in ours])
    step_rss = median([r["first_step_rss_mib"] for r in ours])
    rows = [
        ["hello-world Textual", f"{hello_time * 1000:.0f}", f"{hello_rss:.1f}", "", ""],
        [
            f"steeple-assistant --sandbox ({ours[0]['screen']})",
            f"{our_time * 1000:.0f}",
            f"{our_rss:.1f}",
            f"{step_time * 1000:.0f}",
            f"{step_rss:.1f}",
        ],
    ]
    print_table(
        f"Cold start, median of {runs} interleaved runs each",
        ["app", "first paint ms", "peak RSS MiB", "first step ms", "RSS at step MiB"],
        rows,
    )
    time_ratio, memory_ratio = our_time / hello_time, our_rss / hello_rss
    print(
        f"\ntime ratio {time_ratio:.3f} (target ≤ {TIME_TARGET}), "
        f"memory ratio {memory_ratio:.3f} (target ≤ {MEMORY_TARGET})"
    )
    emit_json(
        "startup",
        args.quick,
        {
            "time_ratio": figure(time_ratio, TIME_TARGET),
            "memory_ratio": figure(memory_ratio, MEMORY_TARGET),
        },
        runs=runs,
        hello_first_paint_ms=round(hello_time * 1000, 1),
        assistant_first_paint_ms=round(our_time * 1000, 1),
        assistant_first_screen=ours[0]["screen"],
        assistant_first_step_ms=round(step_time * 1000, 1),
        hello_peak_rss_mib=round(hello_rss, 1),
        assistant_peak_rss_mib=round(our_rss, 1),
        assistant_rss_at_first_step_mib=round(step_rss, 1),
    )


if __name__ == "__main__":
    main()
