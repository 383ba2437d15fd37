"""Every error class the package defines derives from its one base, ``LegSkillError``.

So a caller (the Lambda entry, the web host, a script) can catch everything this package raises
on purpose with one ``except LegSkillError``, and tell it from a bug.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import skill
from skill.exceptions import LegSkillError

# skill.audio's AudioError is being moved under LegSkillError separately.
# skill.__main__ runs the CLI when imported; it defines no classes.
SKIPPED = {"skill.audio", "skill.__main__"}


def _package_modules() -> list:
    modules = [skill]
    for info in pkgutil.walk_packages(skill.__path__, prefix="skill."):
        if info.name in SKIPPED:
            continue
        modules.append(importlib.import_module(info.name))
    return modules


def _classes_in(owner) -> list[type]:
    """Classes defined in a module or a class (not imported into it), nested ones included."""
    if inspect.ismodule(owner):
        module, prefix = owner.__name__, ""
    else:
        module, prefix = owner.__module__, owner.__qualname__ + "."
    found = []
    for _, value in inspect.getmembers(owner, inspect.isclass):
        if value.__module__ == module and value.__qualname__.startswith(prefix):
            if value is owner:
                continue
            found.append(value)
            found.extend(_classes_in(value))
    return found


def _all_subclasses(cls: type) -> set[type]:
    seen: set[type] = set()
    stack = [cls]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return seen


def _in_package(cls: type) -> bool:
    module = cls.__module__
    return (module == "skill" or module.startswith("skill.")) and module not in SKIPPED


def _package_exception_classes() -> set[type]:
    modules = _package_modules()
    by_walk = {
        cls
        for module in modules
        for cls in _classes_in(module)
        if issubclass(cls, BaseException) and _in_package(cls)
    }
    # Also classes made inside functions (not module attributes) that exist by now.
    by_subclassing = {cls for cls in _all_subclasses(BaseException) if _in_package(cls)}
    return by_walk | by_subclassing


def test_every_exception_class_in_the_package_derives_from_leg_skill_error():
    classes = _package_exception_classes()
    names = {f"{cls.__module__}.{cls.__qualname__}" for cls in classes}
    # The walk reaches every corner: the store, its client, the Alexa services, the config.
    assert {
        "skill.exceptions.ConfigError",
        "skill.exceptions.StoreUnavailable",
        "skill.store.dynamodb._ConditionFailed",
        "skill.store.dynamodb_http.DynamoDbHttpError",
        "skill.alexa.services.AlexaApiError",
        "skill.alexa.services.PermissionMissing",
        "skill.alexa.services.ApiUnavailable",
    } <= names
    outside = sorted(
        f"{cls.__module__}.{cls.__qualname__}{tuple(b.__name__ for b in cls.__bases__)}"
        for cls in classes
        if not issubclass(cls, LegSkillError)
    )
    assert outside == [], f"not under LegSkillError: {outside}"


def test_public_error_names_stay_importable_where_they_were():
    from skill.alexa.services import AlexaApiError, ApiUnavailable, PermissionMissing
    from skill.exceptions import ConfigError, StoreError, StoreUnavailable
    from skill.store.dynamodb_http import DynamoDbHttpError

    for error in (
        AlexaApiError,
        ApiUnavailable,
        PermissionMissing,
        ConfigError,
        StoreError,
        StoreUnavailable,
        DynamoDbHttpError,
    ):
        assert issubclass(error, LegSkillError), error
