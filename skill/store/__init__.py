"""Where progress is kept: the :class:`Store` interface and its implementations.

``sqlite`` is the embedded store (console, self-hosting); ``dynamodb`` is for Lambda. Each is
imported only when chosen, so the pure core never pulls in boto3.
"""

from __future__ import annotations

from .base import Store, day_key

__all__ = ["Store", "day_key", "open_store"]


def open_store(table_name: str | None = None, sqlite_path: str | None = None) -> Store:
    """The DynamoDB store when ``table_name`` is given, else SQLite at ``sqlite_path``."""
    if table_name:
        from .dynamodb import DynamoDbStore

        return DynamoDbStore(table_name)
    from .sqlite import SqliteStore

    return SqliteStore(sqlite_path)
