"""Check that a web request really comes from Alexa, for this skill, and is fresh.

Three verifiers, each an ``ask_sdk_webservice_support`` :class:`AbstractVerifier`, so they plug
into ``flask_ask_sdk``'s :class:`SkillAdapter` and run before any skill handler:

* :class:`SkillIdVerifier` - the envelope names our skill.
* :class:`AlexaTimestampVerifier` - ``request.timestamp`` is within 150 s of now.
* :class:`AlexaSignatureVerifier` - the ``Signature-256`` header is an RSA PKCS#1 v1.5 SHA-256
  signature over the raw body, made with the key of a certificate that chains to a trusted root
  and names ``echo-api.amazon.com``, fetched from a ``SignatureCertChainUrl`` of Alexa's form.

Why our own signature verifier instead of the SDK's ``RequestVerifier``
---------------------------------------------------------------------
The SDK validates the chain with ``certvalidator`` on top of ``oscrypto``. Both are unmaintained
(oscrypto 1.3.0 cannot even detect OpenSSL >= 3.0.10 without the shim in
:mod:`skill._oscrypto_fix`, and further OpenSSL 3.2+ problems are fixed only on its unreleased
master), the SDK verifier fetches the chain with no timeout, caches it forever (ignoring expiry)
and cannot be pointed at other trust anchors, so it cannot be tested without Amazon's real
certificate. This module validates the chain with ``cryptography.x509.verification`` (the
maintained, Rust-backed RFC 5280 / CA-B Forum path builder that ``cryptography`` ships), takes an
injectable certificate loader, trust anchors and clock, caches chains by URL until the first
certificate in them expires, and bounds the fetch in time and size.

Why only ``Signature-256``
--------------------------
Since March 2022 Alexa sends ``Signature-256`` (SHA-256 with RSA) on every request, Amazon's
"Host a Custom Skill as a Web Service" page tells services to verify that header, and all official
ASK SDKs (Python ``ask-sdk-webservice-support`` 1.3.3 included) verify only it. The legacy
``Signature`` header is SHA-1; accepting it as a fallback would let a SHA-1 collision downgrade the
check, so it is ignored.

Timestamps
----------
Amazon requires requests within 150 s of now. The one documented exception is skill events
(``AlexaSkillEvent.*``; this skill subscribes to ``SKILL_DISABLED``), which Alexa may deliver up
to an hour late; those may be up to 3600 s *old*, never more than 150 s in the future.

Failures raise :class:`VerificationException`; the web layer answers 400 and no handler runs.
Messages never include the body, tokens or user IDs.
"""

from __future__ import annotations

from . import _oscrypto_fix
from .clock import Clock, utc_now
from .records import record

# ask_sdk_webservice_support.verifier imports certvalidator -> oscrypto at import time.
_oscrypto_fix.install()

import base64  # noqa: E402
import binascii  # noqa: E402
import functools  # noqa: E402
import logging  # noqa: E402
import posixpath  # noqa: E402
import re  # noqa: E402
import ssl  # noqa: E402
import threading  # noqa: E402
import urllib.request  # noqa: E402
import warnings  # noqa: E402
from collections import OrderedDict  # noqa: E402
from collections.abc import Callable, Iterable  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402
from typing import TYPE_CHECKING, Protocol  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

from ask_sdk_webservice_support.verifier import (  # noqa: E402
    AbstractVerifier,
    RequestVerifier,
    VerificationException,
)
from cryptography import x509  # noqa: E402
from cryptography.exceptions import InvalidSignature  # noqa: E402
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding, rsa  # noqa: E402
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError  # noqa: E402

if TYPE_CHECKING:
    from ask_sdk_model import RequestEnvelope

__all__ = [
    "ALEXA_SIGNING_DOMAIN",
    "CERT_CHAIN_URL_HEADER",
    "SIGNATURE_HEADER",
    "SKILL_EVENT_TOLERANCE_SECONDS",
    "TIMESTAMP_TOLERANCE_SECONDS",
    "AlexaSignatureVerifier",
    "AlexaTimestampVerifier",
    "CertLoader",
    "Headers",
    "SkillIdVerifier",
    "VerificationException",
    "default_trusted_roots",
    "fetch_cert_chain",
    "is_signature_verifier",
    "validate_cert_chain_url",
]

log = logging.getLogger("skill.web.verify")

CERT_CHAIN_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"
ALEXA_SIGNING_DOMAIN = "echo-api.amazon.com"
CERT_CHAIN_URL_HOST = "s3.amazonaws.com"
CERT_CHAIN_URL_PATH_PREFIX = "/echo.api/"
TIMESTAMP_TOLERANCE_SECONDS = 150.0
SKILL_EVENT_TOLERANCE_SECONDS = 3600.0

#: Alexa's chain is a few KB; anything much larger is not it.
MAX_CERT_CHAIN_BYTES = 64 * 1024
CERT_FETCH_TIMEOUT_SECONDS = 5.0

CertLoader = Callable[[str], bytes]


class Headers(Protocol):
    """Request headers as verifiers get them: Werkzeug's ``Headers`` (from ``flask_ask_sdk``,
    not a ``Mapping``) or a plain mapping."""

    def items(self) -> Iterable[tuple[str, str]]: ...


# --- the certificate URL ------------------------------------------------------------------------


def validate_cert_chain_url(url: str) -> None:
    """Raise unless ``url`` has the form Amazon documents for ``SignatureCertChainUrl``.

    Scheme ``https`` and host ``s3.amazonaws.com`` (both case-insensitive), the normalised path
    starting with ``/echo.api/`` (case-sensitive; ``/echo.api/../echo.api/x.pem`` is valid,
    ``/EcHo.aPi/x.pem`` is not), and port 443 if a port is given. Credentials in the URL are
    refused: Alexa never sends them, and they would make the host check ambiguous to a reader.
    """
    if not isinstance(url, str) or not url or len(url) > 2048:
        raise VerificationException("Signature certificate URL is missing or too long")
    if any(ch.isspace() or ord(ch) < 0x20 for ch in url):
        raise VerificationException("Signature certificate URL contains whitespace")
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a non-numeric or out-of-range port
    except ValueError as exc:
        raise VerificationException("Signature certificate URL is malformed") from exc
    if parts.scheme.lower() != "https":
        raise VerificationException("Signature certificate URL must use https")
    if (parts.hostname or "").lower() != CERT_CHAIN_URL_HOST:
        raise VerificationException(f"Signature certificate URL host must be {CERT_CHAIN_URL_HOST}")
    if parts.username is not None or parts.password is not None:
        raise VerificationException("Signature certificate URL must not carry credentials")
    if port is not None and port != 443:
        raise VerificationException("Signature certificate URL port must be 443")
    path = posixpath.normpath(parts.path) if parts.path else ""
    # normpath drops a trailing slash, so "/echo.api/" itself (no file) is refused too.
    if not path.startswith(CERT_CHAIN_URL_PATH_PREFIX):
        raise VerificationException(
            f"Signature certificate URL path must start with {CERT_CHAIN_URL_PATH_PREFIX}"
        )


def fetch_cert_chain(
    url: str, *, timeout: float = CERT_FETCH_TIMEOUT_SECONDS, max_bytes: int = MAX_CERT_CHAIN_BYTES
) -> bytes:
    """The production loader: GET the (already validated) URL over verified TLS."""
    context = ssl.create_default_context()
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context))
    request = urllib.request.Request(url, headers={"User-Agent": "leg-skill"})
    with opener.open(request, timeout=timeout) as response:
        data: bytes = response.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError("certificate chain too large")
    return data


# --- trust anchors ------------------------------------------------------------------------------

_PEM_CERT = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)


def _load_pem_bundle(data: bytes) -> list[x509.Certificate]:
    """Every certificate in a PEM bundle that parses; one odd root must not sink all the rest."""
    certs = []
    with warnings.catch_warnings():
        # Mozilla's bundle has a root with a non-positive serial; cryptography warns about it.
        warnings.simplefilter("ignore")
        for block in _PEM_CERT.findall(data):
            try:
                certs.append(x509.load_pem_x509_certificate(block))
            except ValueError:
                continue
    return certs


@functools.lru_cache(maxsize=1)
def default_trusted_roots() -> tuple[x509.Certificate, ...]:
    """Mozilla's root store from ``certifi`` when installed, else the system's CA bundle.

    Alexa's signing chain ends at Amazon Root CA 1 (Amazon Trust Services), which both carry.
    """
    paths: list[str] = []
    try:
        import certifi

        paths.append(certifi.where())
    except ImportError:  # pragma: no cover - depends on the environment
        pass
    defaults = ssl.get_default_verify_paths()
    paths += [p for p in (defaults.cafile, defaults.openssl_cafile) if p]
    for path in paths:
        try:
            with open(path, "rb") as handle:
                roots = _load_pem_bundle(handle.read())
        except OSError:
            continue
        if roots:
            return tuple(roots)
    raise RuntimeError("no trusted root certificates found (install certifi)")


# --- the signature ------------------------------------------------------------------------------


@record(frozen=True)
class _CachedChain:
    leaf: x509.Certificate
    intermediates: tuple[x509.Certificate, ...]
    expires: datetime  # the earliest notAfter in the file: past it the file is useless


def _header(headers: Headers | Iterable[tuple[str, str]], name: str) -> str | None:
    """Case-insensitive header lookup over Werkzeug headers or a plain mapping."""
    items = headers.items() if hasattr(headers, "items") else headers
    wanted = name.lower()
    for key, value in items:
        if str(key).lower() == wanted:
            return value
    return None


class AlexaSignatureVerifier(AbstractVerifier):
    """Verify ``Signature-256`` and its certificate chain (see the module docstring).

    Parameters
    ----------
    cert_loader:
        ``url -> PEM bytes``; defaults to :func:`fetch_cert_chain`. Called only for URLs that
        passed :func:`validate_cert_chain_url`, and only on a cache miss.
    trusted_roots:
        Trust anchors; defaults to :func:`default_trusted_roots`.
    clock:
        ``() -> aware datetime`` used for certificate validity and cache expiry.
    cache_size:
        How many chain URLs to keep (Alexa uses one at a time; rotation adds a second).
    """

    def __init__(
        self,
        *,
        cert_loader: CertLoader | None = None,
        trusted_roots: Iterable[x509.Certificate] | None = None,
        clock: Clock | None = None,
        cache_size: int = 8,
    ):
        roots = list(default_trusted_roots() if trusted_roots is None else trusted_roots)
        if not roots:
            raise ValueError("trusted_roots must not be empty")
        if cache_size < 1:
            raise ValueError("cache_size must be at least 1")
        self._store = Store(roots)
        self._loader = cert_loader or fetch_cert_chain
        self._clock = clock or utc_now
        self._cache_size = cache_size
        self._cache: OrderedDict[str, _CachedChain] = OrderedDict()
        self._lock = threading.Lock()

    # AbstractVerifier
    def verify(
        self,
        headers: Headers,
        serialized_request_env: str | bytes,
        deserialized_request_env: RequestEnvelope | None,
    ) -> None:
        cert_url = _header(headers, CERT_CHAIN_URL_HEADER)
        signature = _header(headers, SIGNATURE_HEADER)
        if not cert_url or not signature:
            raise VerificationException(
                f"Missing {SIGNATURE_HEADER} or {CERT_CHAIN_URL_HEADER} header"
            )
        validate_cert_chain_url(cert_url)
        now = self._clock()
        chain = self._chain(cert_url, now)
        self._verify_chain(chain, now)
        body = serialized_request_env
        if isinstance(body, str):
            body = body.encode("utf-8")
        self._verify_signature(chain.leaf, signature, body)

    # The chain, loaded once per URL and kept until it expires.
    def _chain(self, url: str, now: datetime) -> _CachedChain:
        with self._lock:
            cached = self._cache.get(url)
            if cached is not None and now < cached.expires:
                self._cache.move_to_end(url)
                return cached
            self._cache.pop(url, None)
        try:
            data = self._loader(url)
        except Exception as exc:  # network, HTTP status, size: all mean "can't verify"
            log.warning("could not load the signature certificate chain: %s", type(exc).__name__)
            raise VerificationException("Signature certificate chain could not be loaded") from exc
        certs = _load_pem_bundle(data if isinstance(data, bytes) else bytes(data))
        if not certs:
            raise VerificationException("Signature certificate chain has no certificate")
        entry = _CachedChain(
            leaf=certs[0],
            intermediates=tuple(certs[1:]),
            expires=min(c.not_valid_after_utc for c in certs),
        )
        with self._lock:
            self._cache[url] = entry
            self._cache.move_to_end(url)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return entry

    def _verify_chain(self, chain: _CachedChain, now: datetime) -> None:
        leaf = chain.leaf
        # Explicit checks first, for clear errors; the path builder repeats them.
        if not leaf.not_valid_before_utc <= now <= leaf.not_valid_after_utc:
            raise VerificationException("Signing certificate is expired or not yet valid")
        try:
            san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        except x509.ExtensionNotFound as exc:
            raise VerificationException(
                "Signing certificate has no subject alternative name"
            ) from exc
        if ALEXA_SIGNING_DOMAIN not in {n.lower() for n in san.get_values_for_type(x509.DNSName)}:
            raise VerificationException(
                f"{ALEXA_SIGNING_DOMAIN} missing from the signing certificate's SAN"
            )
        try:
            usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
        except x509.ExtensionNotFound:
            usage = None
        if usage is not None and not usage.digital_signature:
            raise VerificationException("Signing certificate may not be used for signatures")
        if not isinstance(leaf.public_key(), rsa.RSAPublicKey):
            raise VerificationException("Signing certificate key is not RSA")
        verifier = (
            PolicyBuilder()
            .store(self._store)
            .time(now)
            .build_server_verifier(x509.DNSName(ALEXA_SIGNING_DOMAIN))
        )
        try:
            verifier.verify(leaf, list(chain.intermediates))
        except VerificationError as exc:
            raise VerificationException(
                f"Signing certificate does not chain to a trusted root: {exc}"
            ) from exc

    @staticmethod
    def _verify_signature(leaf: x509.Certificate, signature: str, body: bytes) -> None:
        try:
            raw = base64.b64decode(signature.strip(), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise VerificationException(f"{SIGNATURE_HEADER} is not base64") from exc
        public_key = leaf.public_key()
        assert isinstance(public_key, rsa.RSAPublicKey)  # checked in _verify_chain
        try:
            public_key.verify(raw, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature as exc:
            raise VerificationException("Request body does not match its signature") from exc


def is_signature_verifier(verifier: object) -> bool:
    """Whether ``verifier`` checks Alexa's request signature (ours, or the SDK's)."""
    return isinstance(verifier, (AlexaSignatureVerifier, RequestVerifier))


# --- the timestamp ------------------------------------------------------------------------------


class AlexaTimestampVerifier(AbstractVerifier):
    """``request.timestamp`` within 150 s of now (skill events: up to an hour old)."""

    def __init__(
        self,
        *,
        tolerance_seconds: float = TIMESTAMP_TOLERANCE_SECONDS,
        skill_event_tolerance_seconds: float = SKILL_EVENT_TOLERANCE_SECONDS,
        clock: Clock | None = None,
    ):
        if not 0 <= tolerance_seconds <= TIMESTAMP_TOLERANCE_SECONDS:
            raise ValueError(f"tolerance must be between 0 and {TIMESTAMP_TOLERANCE_SECONDS:g} s")
        if not 0 <= skill_event_tolerance_seconds <= SKILL_EVENT_TOLERANCE_SECONDS:
            raise ValueError("skill event tolerance must be between 0 and 3600 s")
        self._tolerance = timedelta(seconds=tolerance_seconds)
        self._event_tolerance = timedelta(seconds=skill_event_tolerance_seconds)
        self._clock = clock or utc_now

    def verify(
        self,
        headers: Headers,
        serialized_request_env: str | bytes,
        deserialized_request_env: RequestEnvelope | None,
    ) -> None:
        request = getattr(deserialized_request_env, "request", None)
        stamp = getattr(request, "timestamp", None)
        if not isinstance(stamp, datetime):
            raise VerificationException("Request has no timestamp")
        if stamp.tzinfo is None or stamp.utcoffset() is None:
            raise VerificationException("Request timestamp has no time zone")
        age = self._clock() - stamp
        if age < -self._tolerance:
            raise VerificationException("Request timestamp is in the future")
        request_type = getattr(request, "object_type", None) or ""
        limit = (
            self._event_tolerance
            if request_type.startswith("AlexaSkillEvent.")
            else self._tolerance
        )
        if age > limit:
            raise VerificationException("Request timestamp is too old")


# --- the skill ID -------------------------------------------------------------------------------


class SkillIdVerifier(AbstractVerifier):
    """The envelope's application ID (context and, if present, session) is our skill's."""

    def __init__(self, skill_id: str):
        if not skill_id:
            raise ValueError("skill_id must be given")
        self._skill_id = skill_id

    def verify(
        self,
        headers: Headers,
        serialized_request_env: str | bytes,
        deserialized_request_env: RequestEnvelope | None,
    ) -> None:
        found = []
        context = getattr(deserialized_request_env, "context", None)
        system = getattr(context, "system", None)
        found.append(getattr(getattr(system, "application", None), "application_id", None))
        session = getattr(deserialized_request_env, "session", None)
        if session is not None:
            found.append(getattr(getattr(session, "application", None), "application_id", None))
        present = [value for value in found if value is not None]
        if not present:
            raise VerificationException("Request names no skill")
        if any(value != self._skill_id for value in present):
            raise VerificationException("Request is for another skill")
