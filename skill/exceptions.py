"""The package's errors, under one base class."""

from __future__ import annotations

__all__ = ["ConfigError", "FrozenRecordError", "LegSkillError", "StoreError", "StoreUnavailable"]


class LegSkillError(Exception):
    """Base class of every error this package raises on purpose."""


class StoreError(LegSkillError):
    """The progress store failed to read or write."""


class StoreUnavailable(StoreError):
    """The store could not be reached, or refused (throttled, missing table, no access)."""


class ConfigError(LegSkillError):
    """A setting is missing or invalid."""


class FrozenRecordError(LegSkillError, AttributeError):
    """A field of a frozen record was assigned or deleted (see :mod:`skill.records`)."""
