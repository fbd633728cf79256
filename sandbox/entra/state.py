"""A job's state on disk (`--state PATH`), so that a later run continues the same job.

Kept: links, watermark and escrows (`JobMemory`), the Graph-like status, the cycle counter and
the directory as the job last saw it (so scripted changes survive between runs). Never kept: the
token — the file names the target by its tenant URL only, and a run against another target is
refused rather than sent creates that the links say are done. Written atomically, mode 0600.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.entra.contract import SynchronizationJobStatus
from sandbox.entra.memory import JobMemory
from sandbox.entra.tenant import tenant_from_dict
from sandbox.entra.transport import TenantUrl

if TYPE_CHECKING:
    from sandbox.entra.job import ProvisioningJob

STATE_VERSION = 1


class StateError(Exception):
    """The state file cannot be used for this run; the message says why and what to do."""


def file_digest(path: str | Path) -> str:
    """Content hash of a tenant file, to notice that it changed between runs."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def save_state(job: ProvisioningJob, path: str | Path, *, tenant_digest: str | None = None) -> None:
    data: dict[str, Any] = {
        "version": STATE_VERSION,
        "target": TenantUrl.parse(job.tenant_url).base,
        "sequence": job.sequence,
        "next_cycle_at": job.next_cycle_at.isoformat() if job.next_cycle_at else None,
        "status": job.status.model_dump(mode="json", by_alias=True),
        "memory": job.memory.to_dict(),
        "assigned": list(job.assigned),
        "tenant": job.tenant.to_dict(),
        "tenant_digest": tenant_digest,
    }
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_state(job: ProvisioningJob, path: str | Path, *, tenant_digest: str | None = None) -> bool:
    """Continue the job saved at `path`; False when there is none yet (a first run).

    The saved directory replaces the job's own unless the tenant file changed since it was
    saved (`tenant_digest` differs): then the file is the newer truth, as Entra's next delta.
    """
    source = Path(path)
    if not source.exists():
        return False
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StateError(f"{source} is not a job state file ({exc}).") from None
    if data.get("version") != STATE_VERSION:
        raise StateError(f"{source} was written by another version; remove it to start over.")
    target = TenantUrl.parse(job.tenant_url).base
    if data.get("target") != target:
        raise StateError(
            f"{source} belongs to a job for {data.get('target')}, not {target}; "
            "use another --state file to provision another target."
        )
    from datetime import datetime

    job.memory = JobMemory.from_dict(data["memory"])
    job.status = SynchronizationJobStatus.model_validate(data["status"])
    job.sequence = int(data.get("sequence", 0))
    saved_next = data.get("next_cycle_at")
    # A new run means "run now", except that a quarantined job keeps its documented back-off.
    quarantined = job.status.code == "Quarantine"
    job.next_cycle_at = datetime.fromisoformat(saved_next) if saved_next and quarantined else None
    if tenant_digest is None or tenant_digest == data.get("tenant_digest"):
        job.tenant = tenant_from_dict(data["tenant"])
    return True
