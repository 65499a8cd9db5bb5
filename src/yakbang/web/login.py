"""Logins for a page served beyond this machine: argon2 hashes, sessions, and a brake on guessing.

Users are set up from the command line (`yakbang web adduser NAME`) into `web-users.json` in the
data directory, readable only by its owner. A session is a random token held in memory (a
restart logs everyone out). After five wrong passwords from one address in five minutes, that
address waits.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from yakbang.errors import UserError

SESSION_COOKIE = "yakbang_session"
SESSION_SECONDS = 12 * 3600
MAX_FAILURES, WINDOW_SECONDS = 5, 300
_hasher = PasswordHasher()


def users_path() -> Path:
    home = os.environ.get("YAKBANG_HOME")
    base = Path(home) if home else Path(platformdirs.user_data_dir("yakbang", appauthor=False))
    return base / "web-users.json"


def load_users(path: Path | None = None) -> dict[str, str]:
    path = path or users_path()
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items()}


def add_user(name: str, password: str, path: Path | None = None) -> Path:
    name = name.strip()
    if not name or len(name) > 40 or not name.replace("-", "").replace("_", "").isalnum():
        raise UserError("a user name is 1 to 40 letters, digits, - or _")
    if len(password) < 10:
        raise UserError("the password must have at least 10 characters")
    path = path or users_path()
    users = load_users(path)
    users[name] = _hasher.hash(password)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(users, indent=1), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    return path


@dataclass
class Logins:
    users: dict[str, str]
    sessions: dict[str, tuple[str, float]] = field(default_factory=dict)
    failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def blocked(self, address: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        recent = self.failures[address]
        while recent and now - recent[0] > WINDOW_SECONDS:
            recent.popleft()
        return len(recent) >= MAX_FAILURES

    def login(self, address: str, name: str, password: str) -> str | None:
        """A session token, or None (and one more failure counted for the address)."""
        stored = self.users.get(name)
        ok = False
        if stored is not None:
            try:
                ok = _hasher.verify(stored, password)
            except (VerificationError, InvalidHashError):
                ok = False
        else:
            _hasher.hash(password)  # the same time whether or not the name exists
        if not ok:
            self.failures[address].append(time.monotonic())
            return None
        token = secrets.token_urlsafe(32)
        self.sessions[token] = (name, time.monotonic() + SESSION_SECONDS)
        return token

    def user(self, token: str | None) -> str | None:
        if not token or token not in self.sessions:
            return None
        name, until = self.sessions[token]
        if time.monotonic() > until:
            del self.sessions[token]
            return None
        return name
