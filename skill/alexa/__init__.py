"""The ASK SDK edge: ``build_skill(store, config)`` wires handlers and interceptors once."""

from __future__ import annotations

from . import _lazy_factory

# Before the SDK's first import: ask_sdk_core.skill -> ServiceClientFactory -> 140 modules.
_lazy_factory.install()

from ask_sdk_core.skill import CustomSkill  # noqa: E402
from ask_sdk_core.skill_builder import SkillBuilder  # noqa: E402

from ..config import Config  # noqa: E402
from ..store.base import Store  # noqa: E402
from .budget import TURN_SECONDS, DeadlineInterceptor  # noqa: E402
from .handlers import ErrorHandler, build_handlers  # noqa: E402
from .interceptors import (  # noqa: E402
    LocaleInterceptor,
    RequestLogInterceptor,
    ResponseLogInterceptor,
    SpeechRateInterceptor,
)

__all__ = ["build_skill", "build_skill_builder"]


def build_skill_builder(
    store: Store, config: Config, turn_seconds: float = TURN_SECONDS
) -> SkillBuilder:
    """A SkillBuilder with every handler registered (the web host and Lambda both use it).

    Parameters
    ----------
    store : Store
        Where progress is kept.
    config : Config
        The skill's settings.
    turn_seconds : float
        The most a turn may take, and its budget where the host's context gives none (see
        :mod:`skill.alexa.budget`).

    Returns
    -------
    SkillBuilder
    """
    builder = SkillBuilder()
    # SkillBuilder.__init__ sets skill_id = None with no type comment, so mypy infers the type
    # None; the SDK's SkillConfiguration documents it as the skill ID (str; None: not checked).
    builder.skill_id = config.skill_id  # type: ignore[assignment]
    builder.add_global_request_interceptor(DeadlineInterceptor(turn_seconds))  # first: the clock
    builder.add_global_request_interceptor(RequestLogInterceptor())
    builder.add_global_request_interceptor(LocaleInterceptor())
    for handler in build_handlers(store, config.default_timezone, config.budget_seconds):
        builder.add_request_handler(handler)
    builder.add_exception_handler(ErrorHandler())
    builder.add_global_response_interceptor(SpeechRateInterceptor())
    builder.add_global_response_interceptor(ResponseLogInterceptor())
    return builder


def build_skill(store: Store, config: Config, turn_seconds: float = TURN_SECONDS) -> CustomSkill:
    """The skill object; ``skill.invoke(envelope, context)`` answers one request."""
    return build_skill_builder(store, config, turn_seconds).create()
