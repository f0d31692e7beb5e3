"""Write a new Alembic revision for model changes: ``.venv/bin/python scripts/new_migration.py "add review_x table"``.

Autogenerates against a throw-away SQLite database migrated to the current head, so the result
holds exactly the difference between the migrations and ``Base.metadata``. Review the generated
file before committing (autogenerate misses renames and server defaults); then
``tests/test_storage_schema.py`` must pass.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path


def main(message: str) -> Path:
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["LEGAL_DATA_DIR"] = scratch
        os.environ.pop("LEGAL_DATABASE_URL", None)
        from alembic import command
        from alembic.script import ScriptDirectory

        from legal_assistant.store.db import alembic_config, get_engine

        config = alembic_config()
        scripts = ScriptDirectory.from_config(config)
        head = scripts.get_current_head() or "0000"
        number = int(head.split("_", 1)[0]) + 1
        slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")[:40] or "change"
        with get_engine().begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            script = command.revision(config, message=message, autogenerate=True, rev_id=f"{number:04d}_{slug}")
        get_engine().dispose()
    path = Path(script.path)
    target = path.with_name(f"{script.revision}.py")
    path.rename(target)
    return target


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit('usage: scripts/new_migration.py "what changed"')
    print(main(sys.argv[1]))
