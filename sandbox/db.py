"""SQLite storage for the sandbox: one file, WAL mode, explicit versioned migrations.

Why plain `sqlite3` and no ORM: the SCIM endpoint has a CPU budget per request (bench/), and the
queries are few and fixed. Migrations are a list of SQL scripts (or, where data must be recomputed
in Python, functions) indexed by `PRAGMA user_version`, so a database written by an older build
opens in a newer one (each missing step runs once, in order, inside a transaction).

Concurrency model: one connection per server process, used from the event loop thread only
(`check_same_thread=False` only so uvicorn's start-up thread can open it). SQLite serialises
writes anyway; a single connection avoids lock contention and thread hops, and each request's
writes are one transaction, committed before the response is sent (acknowledged = durable
against a process crash, thanks to WAL + synchronous=NORMAL).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


def _rekey_user_names(conn: sqlite3.Connection) -> None:
    """v7: `user_name_norm` by the NFKC_Casefold key (issue 20, point 4; `scim/identity.py`).

    Names that only now turn out to be one person (`dup@x.fr` and `dup\u200b@x.fr`) cannot both
    take the new key: the oldest row takes it, the others keep their old one, so nothing is
    lost and the next write of either spelling collides with the account already there. An old
    key that differs from its new key holds a character the new key never does, so it cannot
    clash with any new key.
    """
    from sandbox.scim.identity import user_name_key

    rows = conn.execute(
        "SELECT id, user_name, user_name_norm FROM scim_users ORDER BY created_at, id"
    ).fetchall()
    taken: set[str] = set()
    changed: list[tuple[str, str]] = []
    for row in rows:
        key = user_name_key(row["user_name"])
        if key in taken:
            taken.add(row["user_name_norm"])
            continue
        taken.add(key)
        if key != row["user_name_norm"]:
            changed.append((row["id"], key))
    for row_id, _ in changed:  # two passes, so no UNIQUE clash mid-way
        conn.execute(
            "UPDATE scim_users SET user_name_norm = ? WHERE id = ?", ("\0" + row_id, row_id)
        )
    for row_id, key in changed:
        conn.execute("UPDATE scim_users SET user_name_norm = ? WHERE id = ?", (key, row_id))


Migration = str | Callable[[sqlite3.Connection], None]

MIGRATIONS: list[Migration] = [
    # v1: the whole first schema.
    """
    CREATE TABLE kv (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );

    -- Steeple accounts.
    CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        email_norm TEXT NOT NULL UNIQUE,
        given_name TEXT,
        family_name TEXT,
        display_name TEXT,
        auth_method TEXT NOT NULL CHECK (auth_method IN ('password', 'sso')),
        status TEXT NOT NULL CHECK (status IN ('active', 'removed')),
        must_set_password INTEGER NOT NULL DEFAULT 0,
        scim_user_id TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX users_scim ON users (scim_user_id);

    CREATE TABLE communities (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
    );

    CREATE TABLE memberships (
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        community_id TEXT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('user', 'admin')),
        source TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'scim')),
        PRIMARY KEY (user_id, community_id)
    );
    CREATE INDEX memberships_community ON memberships (community_id);

    -- SCIM bearer tokens: only a hash is stored.
    CREATE TABLE scim_tokens (
        id TEXT PRIMARY KEY,
        secret_hash TEXT NOT NULL UNIQUE,
        hint TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at TEXT
    );

    -- Staged SCIM resources, as Entra sent them.
    CREATE TABLE scim_users (
        id TEXT PRIMARY KEY,
        user_name TEXT NOT NULL,
        user_name_norm TEXT NOT NULL UNIQUE,
        external_id TEXT,
        display_name TEXT,
        email TEXT,
        email_norm TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        resource TEXT NOT NULL,
        created_at TEXT NOT NULL,
        modified_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX scim_users_external ON scim_users (external_id);
    CREATE INDEX scim_users_email ON scim_users (email_norm);

    CREATE TABLE scim_groups (
        id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        display_name_norm TEXT NOT NULL,
        external_id TEXT,
        resource TEXT NOT NULL,
        member_count INTEGER NOT NULL DEFAULT 0,
        nested_group_count INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        modified_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
    );
    CREATE INDEX scim_groups_name ON scim_groups (display_name_norm);
    CREATE INDEX scim_groups_external ON scim_groups (external_id);

    CREATE TABLE scim_group_members (
        group_id TEXT NOT NULL REFERENCES scim_groups (id) ON DELETE CASCADE,
        member_id TEXT NOT NULL,
        member_type TEXT NOT NULL DEFAULT 'User' CHECK (member_type IN ('User', 'Group')),
        PRIMARY KEY (group_id, member_id)
    ) WITHOUT ROWID;
    CREATE INDEX scim_group_members_member ON scim_group_members (member_id);

    CREATE TABLE group_mappings (
        group_id TEXT PRIMARY KEY REFERENCES scim_groups (id) ON DELETE CASCADE,
        community_id TEXT NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('user', 'admin'))
    );

    -- Inbound SCIM request log: bounded, newest kept, never a token or a body.
    CREATE TABLE request_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        status INTEGER NOT NULL,
        latency_ms REAL NOT NULL,
        kind TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT ''
    );

    -- O(1) provisioning counters, kept as writes happen (one row).
    CREATE TABLE provisioning_counters (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        users_received INTEGER NOT NULL DEFAULT 0,
        users_active INTEGER NOT NULL DEFAULT 0,
        groups_received INTEGER NOT NULL DEFAULT 0,
        requests_total INTEGER NOT NULL DEFAULT 0,
        errors_total INTEGER NOT NULL DEFAULT 0,
        first_request_at TEXT,
        last_request_at TEXT,
        last_test_connection_at TEXT,
        last_test_connection_status INTEGER,
        last_error_seq INTEGER
    );
    INSERT INTO provisioning_counters (id) VALUES (1);

    CREATE TABLE cycle_starts (
        time TEXT PRIMARY KEY
    );
    """,
    # v2: a member's `display` as the client wrote it (RFC 7643 §2.4); NULL = not written, so
    # the member's current displayName is shown instead (Entra never sends one).
    """
    ALTER TABLE scim_group_members ADD COLUMN display TEXT;
    """,
    # v3: requests with no valid token get their own ring in the log (issue 10, point 8), so a
    # flood of them can never trim away Entra's authenticated traffic.
    """
    ALTER TABLE request_log ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX request_log_ring ON request_log (anonymous, seq);
    """,
    # v4: the burst of traffic in progress (issue 11, point 3). Every Entra cycle begins with the
    # same probe as Test Connection, so whether a burst is a cycle is known only from what
    # follows; these say where the burst began and whether it has been recognised as a cycle.
    """
    ALTER TABLE provisioning_counters ADD COLUMN burst_started_at TEXT;
    ALTER TABLE provisioning_counters ADD COLUMN burst_first_seq INTEGER;
    ALTER TABLE provisioning_counters ADD COLUMN burst_is_cycle INTEGER NOT NULL DEFAULT 0;
    """,
    # v5: which token each logged request bore, as its 4-character hint (issue 12, point 5): a
    # rotation revokes the old token only once Entra's own traffic arrives bearing the new one.
    # NULL for rows written before v5 and for anonymous requests (no token this instance issued).
    """
    ALTER TABLE request_log ADD COLUMN token_hint TEXT;
    """,
    # v6: who sent each request (issue 20, point 1). `provisioning` marks Entra's provisioning at
    # work (a cycle's or an on-demand run's request beyond the opening connection probe), never a
    # connection check; each token remembers when it last bore one, so "which token Entra holds"
    # is read from Entra's own traffic rather than from a Test Connection.
    """
    ALTER TABLE request_log ADD COLUMN provisioning INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE scim_tokens ADD COLUMN last_provisioned_at TEXT;
    """,
    _rekey_user_names,
]

SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at `path` (`:memory:` allowed)."""
    target = str(path)
    if target != ":memory:":
        _create_private(Path(target))
    conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=5000")
    migrate(conn)
    return conn


def _create_private(path: Path) -> None:
    """Create the database file owner-only (0600) before SQLite opens it.

    SQLite creates `-wal` and `-shm` with the database file's own permissions, so making the
    main file 0600 makes all three so, whatever the umask. An existing file (or companion)
    from an older build is tightened too: the request log and staged identities are private.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if candidate.exists() and candidate.stat().st_mode & 0o077:
            candidate.chmod(0o600)


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every migration newer than the database's `user_version`; return the new version."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise RuntimeError(
            f"database schema v{current} is newer than this build (v{SCHEMA_VERSION}); "
            "upgrade steeple-assistant"
        )
    for version in range(current, SCHEMA_VERSION):
        step = MIGRATIONS[version]
        with transaction(conn):
            if callable(step):
                step(conn)
            else:
                for statement in _split_sql(step):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
    return SCHEMA_VERSION


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One atomic unit of work (BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (no semicolons inside our literals)."""
    statements = []
    for chunk in script.split(";"):
        lines = [ln for ln in chunk.splitlines() if not ln.strip().startswith("--")]
        text = "\n".join(lines).strip()
        if text:
            statements.append(text)
    return statements
