"""The rotation journal on disk (issue 20, point 2), with tokens a sandbox really created: one
owner-only file per instance, never a secret in it, believed only while both of its tokens are
still live on the instance, gone when the rotation ends; a damaged file is no journal."""

from __future__ import annotations

import stat
from pathlib import Path

from assistant.rotation.journal import JournalStage, RotationJournal
from assistant.steeple.client import SteepleClient


async def test_written_owner_only_without_secret_and_believed_while_both_tokens_live(
    client: SteepleClient, isolated_config: Path
) -> None:
    await client.install_integration()
    old = await client.create_token()
    new = await client.create_token()
    journal = RotationJournal.for_instance(client.base_url + "/")
    assert journal.path.is_relative_to(isolated_config)
    assert RotationJournal.for_instance(client.base_url).path == journal.path  # one per instance

    journal.write(new, old, JournalStage.SHOWN, "paste")
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600
    written = journal.path.read_text(encoding="utf-8")
    assert new.secret not in written and old.secret not in written
    live = (await client.list_tokens()).tokens
    pending = journal.pending(live)
    assert pending is not None
    assert (pending.new_id, pending.old_id, pending.stage) == (new.id, old.id, JournalStage.SHOWN)

    await client.revoke_token(old.id)  # finished by hand meanwhile: the entry is not believed
    assert journal.pending((await client.list_tokens()).tokens) is None
    journal.clear()
    assert not journal.path.exists()


def test_a_damaged_file_is_no_journal(tmp_path: Path) -> None:
    journal = RotationJournal(tmp_path / "rotation.json")
    assert journal.load() is None  # none written
    journal.path.write_text('{"new_id": "x", "stage": "nonsense"}', encoding="utf-8")
    assert journal.load() is None
    journal.path.write_text("not json", encoding="utf-8")
    assert journal.load() is None
