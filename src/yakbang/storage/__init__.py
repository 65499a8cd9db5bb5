"""Storage adapter: records and stock on SQLite or PostgreSQL (SQLAlchemy 2, Alembic)."""

from yakbang.storage.db import Database, StorageError, database_url, in_use, open_database

__all__ = ["Database", "StorageError", "database_url", "in_use", "open_database"]
