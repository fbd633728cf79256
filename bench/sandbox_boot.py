"""Boot of the `--sandbox` child (`python -m sandbox.child`) to its ready line and to its first
admin-API answer, vs a minimal FastAPI app (one route, served by uvicorn) in the same invocation.

`steeple-assistant --sandbox` spawns the child before its own first paint and waits for it after;
its first *actionable* step (bench/startup.py) waits for the child's first admin-API answers. This
script times the child alone: each kind runs in a fresh interpreter, interleaved, and is timed
from spawn to the line that says where it listens (`ready`), to its first answer
(`GET /api/admin/v1/sso` with the admin key; the baseline's one route), and, for the sandbox, to
its answer to the other request of the assistant's first journey (`GET /integrations/azure-ad`:
another router's first request) and to its Graph and login emulators' first answer over TLS (the
OpenID configuration, which MSAL reads first). CPU is the child's own (user + system, all its
threads, from /proc; 10 ms ticks) at each mark — the figure that holds on a shared machine; wall
time is printed beside it. One unmeasured run of each writes the bytecode cache (in a throwaway
PYTHONPYCACHEPREFIX), as an admin's machine has it from the second start on. Target: the child's
CPU to its first answer and to the journey's second router, and its time to its first answer,
≤ 1.5× the minimal app's (`RATIO_TARGET`).

`--also DIR` times the child of another checkout too (e.g. main, extracted with `git archive`),
so a before/after pair comes from one invocation.

    uv run python bench/sandbox_boot.py [--quick] [--runs N] [--also DIR]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, cpu_seconds, emit_json, figure, median, print_table  # noqa: E402

RATIO_TARGET = 1.5
"""The sandbox's own work (its admin API's models and routes, its database) on the way to its
first answers: at most half again what the bare stack (FastAPI + uvicorn, one route) costs."""

BASELINE_APP = """
import json, socket, sys, threading, time
import uvicorn
from fastapi import FastAPI

app = FastAPI()

@app.get("/ping")
async def ping() -> dict[str, bool]:
    return {"ok": True}

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
sock.bind(("127.0.0.1", 0))
server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
while not server.started:
    time.sleep(0.01)
print(json.dumps({"base_url": "http://127.0.0.1:%d" % sock.getsockname()[1]}), flush=True)
sys.stdin.read()
"""
"""The floor for a FastAPI + uvicorn service: imports, one route, served on a thread as
`sandbox/server.py` serves the sandbox, ready once uvicorn accepts connections."""


MARKS = (
    "ready_s",
    "ready_cpu_s",
    "answer_s",
    "answer_cpu_s",
    "journey_s",
    "journey_cpu_s",
    "graph_s",
    "graph_cpu_s",
)


@dataclass
class Boot:
    """One child's marks, in seconds since it was spawned (CPU: the child's own)."""

    ready_s: float
    ready_cpu_s: float
    answer_s: float
    answer_cpu_s: float
    journey_s: float = float("nan")
    journey_cpu_s: float = float("nan")
    graph_s: float = float("nan")
    graph_cpu_s: float = float("nan")


def _sandbox_fields(admin_key: str) -> dict[str, Any]:
    """The `--sandbox` child's settings (as assistant/steeple/sandbox_mode.py sends them)."""
    return {
        "admin_key": admin_key,
        "db_path": None,
        "seed": "demo",
        "with_entra": True,
        "with_graph": True,
        "entra_cycle_interval": 20.0,
        "cycle_gap_seconds": 5.0,
    }


def _get(url: str, headers: dict[str, str], context: ssl.SSLContext | None = None) -> int:
    """One GET on a fresh connection (as a client's first request is); its status."""
    parts = urlsplit(url)
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(parts.netloc, timeout=30, context=context)
    else:
        connection = http.client.HTTPConnection(parts.netloc, timeout=30)
    try:
        connection.request("GET", parts.path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _read_until(stream: IO[bytes], key: str) -> dict[str, Any]:
    """The child's lines until one holds `key` (the sandbox says its Graph on line 1 or 2)."""
    while True:
        line = stream.readline()
        if not line:
            raise RuntimeError(f"the child ended before saying {key!r}")
        answer: dict[str, Any] = json.loads(line)
        if key in answer:
            return answer
        if "error" in answer:
            raise RuntimeError(answer["error"])


def one_boot(kind: str, source: Path, env: dict[str, str]) -> Boot:
    """Spawn one child of `kind` ("baseline" or "sandbox") from `source`; time its marks."""
    admin_key = "adm_" + secrets.token_urlsafe(24)
    command = [sys.executable, "-c", BASELINE_APP] if kind == "baseline" else None
    command = command or [sys.executable, "-m", "sandbox.child"]
    child_env = {**env, "PYTHONPATH": str(source)}
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=source,
        env=child_env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        if kind == "sandbox":
            process.stdin.write(json.dumps(_sandbox_fields(admin_key)).encode() + b"\n")
            process.stdin.flush()
        ready = _read_until(process.stdout, "base_url")
        ready_s, ready_cpu = time.perf_counter() - started, cpu_seconds(process.pid)
        if kind == "baseline":
            status = _get(ready["base_url"] + "/ping", {})
        else:
            headers = {"Authorization": f"Bearer {admin_key}"}
            status = _get(ready["base_url"] + "/api/admin/v1/sso", headers)
        answer_s, answer_cpu = time.perf_counter() - started, cpu_seconds(process.pid)
        if status != 200:
            raise RuntimeError(f"{kind}: first answer {status}")
        boot = Boot(ready_s, ready_cpu, answer_s, answer_cpu)
        if kind == "sandbox":
            status = _get(ready["base_url"] + "/api/admin/v1/integrations/azure-ad", headers)
            boot.journey_s, boot.journey_cpu_s = (
                time.perf_counter() - started,
                cpu_seconds(process.pid),
            )
            if status != 200:
                raise RuntimeError(f"{kind}: the integration's state answered {status}")
            graph = ready.get("graph") or _read_until(process.stdout, "graph")["graph"]
            context = ssl.create_default_context(cafile=graph["ca_pem_path"])
            discovery = graph["authority"] + "/v2.0/.well-known/openid-configuration"
            if _get(discovery, {}, context) != 200:
                raise RuntimeError("the login emulator did not answer its OpenID configuration")
            boot.graph_s, boot.graph_cpu_s = time.perf_counter() - started, cpu_seconds(process.pid)
        return boot
    finally:
        process.stdin.close()  # both children stop at the end of their stdin
        process.wait(timeout=30)
        process.stdout.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 run each")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--also", type=Path, help="another checkout whose sandbox child is timed too (before)"
    )
    args = parser.parse_args()
    runs = 1 if args.quick else max(3, args.runs)
    kinds: list[tuple[str, str, Path]] = [
        ("baseline", "minimal FastAPI app (1 route)", ROOT),
        ("sandbox", "sandbox child", ROOT),
    ]
    if args.also is not None:
        kinds.append(("sandbox", f"sandbox child of {args.also}", args.also.resolve()))
    results: dict[str, list[Boot]] = {label: [] for _, label, _ in kinds}
    with tempfile.TemporaryDirectory(prefix="steeple-bench-") as tmp:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode cached, as after a first start
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        for kind, _, source in kinds:  # warm the OS page cache and the bytecode, not measured
            one_boot(kind, source, env)
        for _ in range(runs):
            for kind, label, source in kinds:  # interleaved, so drift hits all alike
                results[label].append(one_boot(kind, source, env))

    def med(label: str, mark: str) -> float:
        return median([getattr(boot, mark) for boot in results[label]])

    baseline = kinds[0][1]
    rows = [
        [
            label,
            f"{med(label, 'ready_s') * 1000:.0f}",
            f"{med(label, 'ready_cpu_s') * 1000:.0f}",
            f"{med(label, 'answer_s') * 1000:.0f}",
            f"{med(label, 'answer_cpu_s') * 1000:.0f}",
            f"{med(label, 'answer_cpu_s') / med(baseline, 'answer_cpu_s'):.2f}",
            f"{med(label, 'answer_s') / med(baseline, 'answer_s'):.2f}",
            "" if label == baseline else f"{med(label, 'journey_s') * 1000:.0f}",
            "" if label == baseline else f"{med(label, 'journey_cpu_s') * 1000:.0f}",
            "" if label == baseline else f"{med(label, 'graph_s') * 1000:.0f}",
            "" if label == baseline else f"{med(label, 'graph_cpu_s') * 1000:.0f}",
        ]
        for _, label, _ in kinds
    ]
    print_table(
        f"Child boot, median of {runs} interleaved runs each (ms since spawn; CPU: the child's)",
        [
            "child",
            "ready",
            "CPU at ready",
            "1st answer",
            "CPU at 1st answer",
            "CPU ratio",
            "time ratio",
            "2nd router answers",
            "CPU at 2nd",
            "Graph answers",
            "CPU at Graph",
        ],
        rows,
    )

    def ratios(label: str) -> dict[str, float]:
        return {
            "answer_cpu_ratio": med(label, "answer_cpu_s") / med(baseline, "answer_cpu_s"),
            "answer_time_ratio": med(label, "answer_s") / med(baseline, "answer_s"),
            "journey_cpu_ratio": med(label, "journey_cpu_s") / med(baseline, "answer_cpu_s"),
        }

    figures = {name: figure(value, RATIO_TARGET) for name, value in ratios(kinds[1][1]).items()}
    also = {name: round(value, 3) for name, value in ratios(kinds[-1][1]).items()}
    print(
        f"\nsandbox child vs minimal FastAPI app (target ≤ {RATIO_TARGET}): "
        + ", ".join(f"{name} {value['value']:.3f}" for name, value in figures.items())
    )
    emit_json(
        "sandbox_boot",
        args.quick,
        figures,
        runs=runs,
        also=None if args.also is None else {"source": str(args.also), **also},
        medians_ms={
            label: {
                mark: round(med(label, mark) * 1000, 1)
                for mark in (MARKS if label != baseline else MARKS[:4])
            }
            for _, label, _ in kinds
        },
    )


if __name__ == "__main__":
    main()
