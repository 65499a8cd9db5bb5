"""Opening the database: SQLite in the user's data directory by default, PostgreSQL for a hub.

`--db URL` or `YAKBANG_DB` choose another (`sqlite:///path.db`,
`postgresql+psycopg://user@host/dbname`). The schema is brought up to date with Alembic on
opening, so a laptop needs no set-up. SQLite runs in WAL mode with full synchronous writes and
foreign keys on: a committed record survives a killed process or a pulled plug.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool
from uuid6 import uuid7

from yakbang.errors import UserError
from yakbang.storage import keys
from yakbang.storage.models import Meta

MIGRATIONS = Path(__file__).parent / "migrations"


class StorageError(UserError):
    pass


def new_id() -> str:
    """A UUIDv7: unique across devices, ordered by time."""
    return str(uuid7())


def now() -> datetime:
    return datetime.now(UTC)


def default_path() -> Path:
    home = os.environ.get("YAKBANG_HOME")
    base = Path(home) if home else Path(platformdirs.user_data_dir("yakbang", appauthor=False))
    return base / "yakbang.db"


def database_url(db: str | None = None) -> str:
    """The URL to use: the argument, else YAKBANG_DB, else the SQLite file in the data directory."""
    url = db or os.environ.get("YAKBANG_DB")
    if url:
        return url
    return f"sqlite:///{default_path()}"


def in_use(db: str | None = None) -> bool:
    """Whether records are kept: a database was named, or the default file exists."""
    return bool(db or os.environ.get("YAKBANG_DB")) or default_path().exists()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]
    device_id: str
    address: str = ""

    @property
    def url(self) -> str:
        return self.address or self.engine.url.render_as_string(hide_password=True)

    @property
    def sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction: everything in it is written, or nothing is.

        On SQLite it starts with BEGIN IMMEDIATE, so two processes writing at once take turns
        instead of one failing half-way; on PostgreSQL rows are locked where they are read.
        """
        with self.sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite database URL (None for PostgreSQL or memory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _encrypted_engine(path: Path, key: bytes) -> Engine:
    """SQLCipher 4 (the sqlcipher3 wheel) with a raw 256-bit key derived by argon2id."""
    import sqlcipher3

    def connect() -> Any:
        conn = sqlcipher3.connect(str(path), timeout=30, check_same_thread=False)
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError:
            conn.close()
            raise StorageError("wrong passphrase for the encrypted database; nothing was read or "
                               "changed") from None
        return conn

    return create_engine("sqlite://", creator=connect, poolclass=QueuePool)


def _engine(url: str, passphrase: str | None = None) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(f"the database address {url!r} is not understood; use sqlite:///FILE "
                           "or postgresql+psycopg://user@host/name") from None
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        if path is not None and keys.is_encrypted(path):
            if not passphrase:
                raise StorageError(f"the database {path} is encrypted; give its passphrase "
                                   "(YAKBANG_PASSPHRASE, or the prompt)")
            engine = _encrypted_engine(path, keys.derive(path, passphrase))
        else:
            engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        # SQLAlchemy's recipe: pysqlite's own BEGIN off, ours on, and IMMEDIATE (a write lock
        # at the start, not at the first write, so concurrent writers never deadlock).
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_pre_ping=True)
    raise StorageError(f"yakbang stores records in SQLite or PostgreSQL, not {parsed.get_backend_name()}")


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (Alembic)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_database(db: str | None = None, migrate: bool = True, passphrase: str | None = None) -> Database:
    url = database_url(db)
    engine = _engine(url, passphrase if passphrase is not None else os.environ.get("YAKBANG_PASSPHRASE"))
    try:
        if migrate:
            upgrade(engine)
        sessions = sessionmaker(engine, expire_on_commit=False)
        with sessions.begin() as session:
            row = session.scalar(select(Meta).where(Meta.key == "device_id"))
            if row is None:
                row = Meta(key="device_id", value=new_id())
                session.add(row)
            device = row.value
    except DatabaseError as exc:
        engine.dispose()
        path = sqlite_path(url)
        if path is not None and keys.is_encrypted(path) and "not a database" in str(exc.orig):
            raise StorageError("wrong passphrase for the encrypted database; nothing was read or "
                               "changed") from None
        raise StorageError(f"cannot open the database {make_url(url).render_as_string(hide_password=True)}: "
                           f"{str(exc.orig).strip().splitlines()[0]}") from None
    return Database(engine, sessions, device, make_url(url).render_as_string(hide_password=True))


def create_encrypted(db: str | None, passphrase: str) -> Database:
    """A new, empty database encrypted with this passphrase (SQLite only)."""
    url = database_url(db)
    path = sqlite_path(url)
    if path is None:
        raise StorageError("only a SQLite file can be encrypted by yakbang; protect a PostgreSQL hub "
                           "with the server's own encryption and access rules")
    if path.exists() or keys.is_encrypted(path):
        raise StorageError(f"{path} already exists; `yakbang wipe` it first, or choose another --db")
    if len(passphrase) < 8:
        raise StorageError("the passphrase must have at least 8 characters")
    keys.create(path)
    return open_database(url, passphrase=passphrase)


def wipe(db: str | None = None) -> list[Path]:
    """Destroy the records and the key: overwrite the files with random bytes, then delete them.

    On PostgreSQL the tables are dropped (the server's own storage is the server's business).
    """
    url = database_url(db)
    path = sqlite_path(url)
    if path is None:
        from yakbang.storage.models import Base

        engine = _engine(url)
        with engine.begin() as conn:
            Base.metadata.drop_all(conn)
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        engine.dispose()
        return []
    gone = []
    for target in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
                   keys.key_file(path)):
        if target.exists():
            size = target.stat().st_size
            with target.open("r+b") as fh:
                fh.write(os.urandom(size))
                fh.flush()
                os.fsync(fh.fileno())
            target.unlink()
            gone.append(target)
    return gone
