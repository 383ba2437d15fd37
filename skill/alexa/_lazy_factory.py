"""Load the ASK SDK's ``ServiceClientFactory`` module when a factory is built, not at import.

The cost
--------
``ask_sdk_core.skill`` imports ``ServiceClientFactory`` from ``ask_sdk_model.services``, whose
module imports all eleven service clients (device address, lists, monetization, timers...) at
its top: 140 modules, 22 ms of the 200 ms first turn of a cold Lambda on Python 3.13 (the
shipped package, no bytecode written; ``scripts/bench.py --shipped-only``, 2026-11-30), where
the issue's target for the whole turn is 138 ms. This skill never builds that factory: the
skill builder gets no ``api_client``, so ``CustomSkill.invoke`` leaves
``handler_input.service_client_factory`` as None, and :mod:`skill.alexa.services` builds the one
client a turn needs (``UpsServiceClient``, ``ReminderManagementServiceClient``) itself.

What this module does
---------------------
:func:`install` puts a meta-path finder in front of the normal import machinery for exactly one
module, ``ask_sdk_model.services.service_client_factory``. The first import of it gets a small
module whose ``ServiceClientFactory`` is a stand-in class. Building one (``ServiceClientFactory(
api_configuration=...)``), or reading any other name from the module, loads the SDK's real
module into the same module object with :func:`importlib.reload` (the finder steps aside) and
returns the real thing, so the SDK behaves exactly as shipped from then on.

It changes nothing when ``ask_sdk_model.services`` was imported before :func:`install` ran, and
nothing on disk. ``tests/test_package.py`` checks that a cold import of the Lambda entry point
leaves the ten unused service packages unloaded and that a factory built through the stand-in is
the SDK's and hands out its real clients.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from importlib.abc import Loader

__all__ = ["FACTORY_MODULE", "install"]

FACTORY_MODULE = "ask_sdk_model.services.service_client_factory"


# Plain classes that follow the importlib protocols: importing importlib.abc would load
# importlib.resources, 10 ms of the same cold start.
class _StandInLoader:
    """Fills the factory module with a stand-in until something needs the real one."""

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None  # the default module object

    def exec_module(self, module: types.ModuleType) -> None:
        module.ServiceClientFactory = _StandIn  # type: ignore[attr-defined]
        module.__getattr__ = _real_attribute  # type: ignore[method-assign]


class _Finder:
    """Answers for the factory module once; afterwards the normal finders do."""

    def __init__(self) -> None:
        self.active = True

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != FACTORY_MODULE or not self.active:
            return None
        real = importlib.machinery.PathFinder.find_spec(fullname, path)
        if real is None:
            return None  # an SDK without the module: let the import fail as it would
        self.active = False  # from now on only the real module is found
        loader = cast("Loader", _StandInLoader())  # the protocol, without importing importlib.abc
        spec = importlib.machinery.ModuleSpec(fullname, loader, origin=real.origin)
        spec.submodule_search_locations = None
        return spec


def _load_real() -> types.ModuleType:
    """The SDK's factory module, executed into the module object the stand-in occupied."""
    module = sys.modules[FACTORY_MODULE]
    if module.__dict__.get("ServiceClientFactory") is _StandIn:
        module = importlib.reload(module)
        del module.__dict__["__getattr__"]  # every name is the SDK's now
    return module


def _real_attribute(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_load_real(), name)


class _StandIn:
    """Stands in for ``ServiceClientFactory``; building one builds the SDK's real factory."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        real: type = _load_real().ServiceClientFactory
        return real(*args, **kwargs)


def install() -> bool:
    """Defer the SDK's factory module until a factory is built.

    Returns
    -------
    bool
        True when the finder was installed; False when ``ask_sdk_model.services`` was already
        imported (the real module is loaded, there is nothing to save) or it is installed.
    """
    if "ask_sdk_model.services" in sys.modules or FACTORY_MODULE in sys.modules:
        return False
    if any(isinstance(finder, _Finder) for finder in sys.meta_path):
        return False
    sys.meta_path.insert(0, _Finder())
    return True
