"""The one entry point every host calls: ``handler(event, context) -> response dict``.

Lambda uses it as ``lambda_handler``; the console calls it with the envelopes it builds; so all
of them run the same serialisation, skill ID check, handlers and interceptors.
"""

from __future__ import annotations

from typing import Any, Callable

from .alexa import build_skill_builder
from .config import Config
from .store import Store, open_store

__all__ = ["make_handler"]


def make_handler(config: Config, store: Store | None = None) -> Callable[[dict, Any], dict]:
    """Build the skill once and return its Lambda-style handler."""
    if store is None:
        store = open_store(table_name=config.table_name, sqlite_path=config.sqlite_path)
    return build_skill_builder(store, config).lambda_handler()
