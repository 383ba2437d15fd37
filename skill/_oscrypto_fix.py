"""Make ``import flask_ask_sdk.skill_adapter`` work on OpenSSL 3.0.10 and later.

The problem (wbond/oscrypto#75, #78, #81)
-----------------------------------------
``flask_ask_sdk.skill_adapter`` imports ``ask_sdk_webservice_support.verifier``, which imports
``certvalidator``, which imports ``oscrypto``. oscrypto 1.3.0 (still the newest release on PyPI)
reads the libcrypto version string and parses it with ``\\b(\\d\\.\\d\\.\\d[a-z]*)\\b``. That
pattern allows one digit per component, so "OpenSSL 3.0.19 27 Jan 2026" does not match (there is
no word boundary between "3.0.1" and "9") and the import dies with ``LibraryNotFoundError: Error
detecting the version of libcrypto``. Upstream fixed it in wbond/oscrypto#76 (merged to master in
August 2023) by allowing several digits in the patch number (``\\d+``), but never released it.

What this module does
---------------------
:func:`install` puts a meta-path finder in front of the normal import machinery that applies
exactly that upstream one-character fix, and nothing else, to the two modules that contain the
pattern (``oscrypto._openssl._libcrypto_cffi`` and ``oscrypto._openssl._libcrypto_ctypes``) as
they are loaded. It is guarded three ways so it can never change anything it wasn't written for:

* it does nothing unless the installed oscrypto distribution is one of ``_AFFECTED_VERSIONS``;
* it rewrites a module only if that module's source contains the exact broken expression, so a
  fixed release, a vendored copy or an install from upstream master is left alone;
* the patched source is compiled in memory and never written to ``__pycache__``, so nothing on
  disk changes and uninstalling the hook (or a fresh interpreter without it) sees oscrypto as
  shipped.

Why this and not something else
-------------------------------
* It corrects only the version *parse*; libcrypto is still located and loaded by oscrypto's own
  code, and the parsed version is the library's real one, so every version-dependent binding
  oscrypto chooses is the one upstream would choose.
* Turning verification off, stubbing ``certvalidator`` in ``sys.modules`` or monkeypatching
  ``re.search`` during the import would all be broader and more fragile than this.
* Pinning oscrypto to the upstream git commit is the "real" fix, but only PyPI is reachable from
  this project's machines and CI, and a VCS pin cannot be published in package metadata.

The request-signature verification itself does *not* go through certvalidator/oscrypto: see
:mod:`skill.webverify`, which validates the chain with ``cryptography.x509.verification``. This
shim exists because ``flask_ask_sdk.skill_adapter`` imports the SDK's verifier module (and with it
certvalidator and oscrypto) at import time, whichever verifier we then use.

Remove this module once an oscrypto release newer than 1.3.0 is on PyPI (and require it).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.metadata
import sys
import threading
from collections.abc import Sequence
from types import ModuleType

__all__ = ["TARGET_MODULES", "install", "is_installed", "uninstall"]

#: The modules of oscrypto 1.3.0 that parse the libcrypto version.
TARGET_MODULES = frozenset(
    {
        "oscrypto._openssl._libcrypto_cffi",
        "oscrypto._openssl._libcrypto_ctypes",
    }
)

#: oscrypto releases known to carry the one-digit pattern (1.3.0 is the last release as of 2026).
_AFFECTED_VERSIONS = frozenset({"1.3.0"})

# The exact expression as it appears in oscrypto 1.3.0's source (a non-raw string literal, hence
# the doubled backslashes in the file), and the upstream fix (wbond/oscrypto#76): ``\d`` -> ``\d+``.
_BROKEN = rb"re.search('\\b(\\d\\.\\d\\.\\d[a-z]*)\\b', version_string)"
_FIXED = rb"re.search('\\b(\\d\\.\\d\\.\\d+[a-z]*)\\b', version_string)"

_lock = threading.Lock()


class _PatchedSourceLoader(importlib.abc.SourceLoader):
    """Loads one module from the given (patched) source; never reads or writes bytecode.

    ``SourceLoader.get_code`` consults the bytecode cache only when ``path_stats`` succeeds; the
    inherited ``path_mtime`` raises ``OSError``, so the cache is skipped in both directions.
    """

    def __init__(self, fullname: str, path: str, source: bytes):
        self._fullname = fullname
        self._path = path
        self._source = source

    def get_filename(self, fullname: str | None = None) -> str:
        return self._path

    def get_data(self, path: str) -> bytes:
        if path == self._path:
            return self._source
        with open(path, "rb") as handle:  # pragma: no cover - not used for these modules
            return handle.read()


class _OscryptoVersionFixFinder(importlib.abc.MetaPathFinder):
    """Finds the target modules through the normal path finder, then swaps in patched source."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in TARGET_MODULES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if (
            spec is None
            or spec.origin is None
            or not isinstance(spec.loader, importlib.machinery.SourceFileLoader)
        ):
            return None  # not a plain source module: leave it to the normal machinery
        try:
            source = spec.loader.get_data(spec.origin)
        except OSError:
            return None
        if _BROKEN not in source:
            return None  # already fixed (or not the code we know): change nothing
        spec.loader = _PatchedSourceLoader(fullname, spec.origin, source.replace(_BROKEN, _FIXED))
        return spec


_finder = _OscryptoVersionFixFinder()


def _installed_oscrypto_version() -> str | None:
    try:
        return importlib.metadata.version("oscrypto")
    except importlib.metadata.PackageNotFoundError:
        return None


def install() -> bool:
    """Install the import hook if the installed oscrypto needs it; idempotent, thread-safe.

    Returns ``True`` when the hook is in place (an affected oscrypto is installed), ``False`` when
    nothing needed doing. Call it before anything imports ``flask_ask_sdk.skill_adapter``,
    ``ask_sdk_webservice_support.verifier``, ``certvalidator`` or ``oscrypto``'s OpenSSL backend.
    """
    if _installed_oscrypto_version() not in _AFFECTED_VERSIONS:
        return False
    with _lock:
        if _finder not in sys.meta_path:
            sys.meta_path.insert(0, _finder)
    return True


def uninstall() -> None:
    """Remove the hook (already-imported modules keep the version they were loaded with)."""
    with _lock:
        while _finder in sys.meta_path:
            sys.meta_path.remove(_finder)


def is_installed() -> bool:
    return _finder in sys.meta_path
