"""Shared helpers for the benchmark scripts: statistics, process CPU/RSS, the table and JSON line.

Every figure is a ratio against a baseline measured in the same run, or CPU time per request, so
the numbers mean something on a shared, noisy 2-core machine.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: no interpolation, so p99 is a latency that really happened."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), from /proc/<pid>/stat."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    fields = raw[raw.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def peak_rss_mib(pid: int) -> float:
    """Peak resident set size so far (VmHWM) of a live process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mib(pid: int) -> float:
    """Current resident set size (VmRSS) of a live process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def core_pins() -> tuple[list[str], list[str]]:
    """`taskset` prefixes: (server, driver) on separate cores when there are two or more."""
    if (os.cpu_count() or 1) >= 2 and _has_taskset():
        return ["taskset", "-c", "0"], ["taskset", "-c", "1"]
    return [], []


def _has_taskset() -> bool:
    try:
        subprocess.run(["taskset", "-V"], capture_output=True, check=False)
    except OSError:
        return False
    return True


def pin_self_to(core: int) -> None:
    """Pin this process to one core when the machine has more than one."""
    if (os.cpu_count() or 1) >= 2 and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {core})


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A plain aligned table on stdout (readable in a terminal and pasteable into Markdown)."""
    cells = [[str(c) for c in header]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    print(f"\n{title}")
    for index, row in enumerate(cells):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
        if index == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def figure(value: float, target: float, *, at_most: bool = True) -> dict[str, Any]:
    """One figure with its target and whether the target is met."""
    met = value <= target if at_most else value >= target
    return {"value": round(value, 4), "target": target, "met": bool(met)}


def emit_json(name: str, quick: bool, figures: dict[str, Any], **extra: Any) -> None:
    """The LAST line of every script: one JSON object with each figure, its target and `met`."""
    met = all(f.get("met", True) for f in figures.values() if isinstance(f, dict) and "met" in f)
    body = {"bench": name, "quick": quick, "load": load_average(), **extra, "figures": figures}
    body["met"] = met
    sys.stdout.flush()
    print(json.dumps(body, ensure_ascii=False), flush=True)
