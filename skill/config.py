"""Settings, read once from the environment (or given directly in tests)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from .dialog import DEFAULT_BUDGET_SECONDS
from .exceptions import ConfigError
from .records import record

__all__ = ["MAX_BUDGET_SECONDS", "MIN_BUDGET_SECONDS", "Config"]

# Below a minute the longest set intro and rep no longer fit one reply; above four minutes a
# user who walked away waits too long for the reprompt.
MIN_BUDGET_SECONDS = 60.0
MAX_BUDGET_SECONDS = 240.0


@record(frozen=True)
class Config:
    """How the skill runs.

    Attributes
    ----------
    skill_id:
        The Alexa skill ID requests must carry; ``None`` accepts any (console only).
    table_name:
        DynamoDB table for progress; when unset, the SQLite store at ``sqlite_path`` is used.
    default_timezone:
        IANA zone that decides the user's "today" until the device's zone is known.
    budget_seconds:
        Upper bound on the spoken plus paused time of one response.
    """

    skill_id: str | None = None
    table_name: str | None = None
    sqlite_path: str | None = None
    default_timezone: str = "UTC"
    budget_seconds: float = DEFAULT_BUDGET_SECONDS
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        env = os.environ if environ is None else environ
        try:
            budget = float(env.get("LEG_SKILL_BUDGET_SECONDS", DEFAULT_BUDGET_SECONDS))
        except ValueError as exc:
            raise ConfigError("LEG_SKILL_BUDGET_SECONDS must be a number of seconds") from exc
        if not MIN_BUDGET_SECONDS <= budget <= MAX_BUDGET_SECONDS:
            raise ConfigError(
                f"LEG_SKILL_BUDGET_SECONDS must be between {MIN_BUDGET_SECONDS:g} "
                f"and {MAX_BUDGET_SECONDS:g}"
            )
        return cls(
            skill_id=env.get("SKILL_ID") or None,
            table_name=env.get("TABLE_NAME") or None,
            sqlite_path=env.get("LEG_SKILL_DB") or None,
            default_timezone=env.get("LEG_SKILL_TIMEZONE") or "UTC",
            budget_seconds=budget,
            log_level=env.get("LOG_LEVEL", "INFO"),
        )
