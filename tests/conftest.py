"""Shared fixtures: a console wired to the real skill on a throwaway SQLite store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from skill.config import Config
from skill.console import Console, Resolver
from skill.entry import make_handler
from skill.locales import strings_for
from skill.store.sqlite import SqliteStore

# DynamoDB Local, started once per test session (tests/dynamo_fixtures.py), and a local fake
# of the Alexa Settings and Reminders APIs (tests/alexa_api.py).
pytest_plugins = ["dynamo_fixtures", "alexa_api"]


class Clock:
    """A settable clock for request timestamps."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def strings():
    return strings_for("en-US")


@pytest.fixture
def sqlite_path(tmp_path):
    return tmp_path / "progress.sqlite3"


@pytest.fixture
def clock():
    return Clock(datetime(2026, 11, 24, 15, 0, tzinfo=UTC))


@pytest.fixture
def make_console(sqlite_path, clock):
    """Build consoles that share one store file (like two runs of ``leg-skill chat``)."""

    def factory(
        user_id: str = "amzn1.ask.account.TESTUSER",
        timezone_name: str = "UTC",
        store=None,
        **config,
    ) -> Console:
        store = store or SqliteStore(sqlite_path)
        handler = make_handler(Config(default_timezone=timezone_name, **config), store)
        return Console(handler, Resolver.for_locale("en-US"), user_id=user_id, clock=clock)

    return factory


@pytest.fixture
def console(make_console):
    return make_console()
