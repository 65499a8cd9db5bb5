"""Keys for the encrypted database: argon2id over the passphrase, with a salt kept beside it.

The salt and the argon2 settings are in `<database>.key` (JSON, no secret in it); its presence
says the database is encrypted. Lose the passphrase and the records are gone: that is the point
on a device that may be seized.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw

# RFC 9106's second recommended option, lighter on memory for old phones and laptops.
TIME_COST, MEMORY_KIB, PARALLELISM = 3, 64 * 1024, 2


def key_file(path: Path) -> Path:
    return path.with_name(path.name + ".key")


def is_encrypted(path: Path) -> bool:
    return key_file(path).exists()


def create(path: Path) -> None:
    """Write new key settings (a fresh salt) for a database that does not exist yet."""
    settings = {"kdf": "argon2id", "salt": secrets.token_hex(16), "time_cost": TIME_COST,
                "memory_kib": MEMORY_KIB, "parallelism": PARALLELISM}
    target = key_file(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(settings), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(target)


def derive(path: Path, passphrase: str) -> bytes:
    settings = json.loads(key_file(path).read_text(encoding="utf-8"))
    return hash_secret_raw(passphrase.encode("utf-8"), bytes.fromhex(settings["salt"]),
                           time_cost=int(settings["time_cost"]), memory_cost=int(settings["memory_kib"]),
                           parallelism=int(settings["parallelism"]), hash_len=32, type=Type.ID)
