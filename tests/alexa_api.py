"""A local stand-in for Alexa's Settings and Reminders APIs, over real HTTPS.

:class:`LocalAlexaApi` runs a ``ThreadingHTTPServer`` on ``127.0.0.1`` (a free port) in a daemon
thread. Its :attr:`~LocalAlexaApi.endpoint` goes where Alexa's ``context.System.apiEndpoint``
would, and the skill's code talks to it exactly as to Alexa: through the SDK's service clients
and ``DefaultApiClient``, which only speaks HTTPS. So the server speaks TLS with a certificate
from a throwaway test CA, and while it runs, requests trusts that CA through its documented
``REQUESTS_CA_BUNDLE`` setting (restored on stop). Nothing is patched.

It serves::

    GET    /v2/devices/{deviceId}/settings/System.timeZone   -> 200 "Pacific/Auckland"
    POST   /v1/alerts/reminders                              -> 201 {"alertToken": ...}
    GET    /v1/alerts/reminders/{alertToken}                 -> 200 the reminder, or 404
    DELETE /v1/alerts/reminders/{alertToken}                 -> 200, or 404 if unknown

checks ``Authorization: Bearer <token>`` (401 otherwise), records every request, and can be
told to misbehave: ``fail_with`` (a status for every following request), ``delay`` (seconds
before each answer), ``reminders_permission = False`` (what Alexa answers when the user has not
granted the reminders permission: see :meth:`LocalAlexaApi._reminders`).

Use it with the ``alexa_api`` fixture below (a plugin module: ``pytest_plugins =
["alexa_api"]``, or import the fixture), or as a context manager.
"""

from __future__ import annotations

import functools
import http
import ipaddress
import json
import os
import ssl
import tempfile
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# Certificates and signed timestamps are checked against the machine's clock (OpenSSL, the web
# host's verifier), so they are made from it, through the product's one clock.
from skill.clock import utc_now

__all__ = ["API_TOKEN", "DEVICE_ID", "LocalAlexaApi", "Recorded", "alexa_api"]

# Recognisable values, so a test can search logs for them.
API_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.TEST-API-ACCESS-TOKEN-SECRET.c2ln"
DEVICE_ID = "amzn1.ask.device.TEST-DEVICE-ID-SECRET"

_CA_BUNDLE_VARIABLE = "REQUESTS_CA_BUNDLE"


@dataclass(frozen=True)
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any  # parsed JSON; the raw text if it was not JSON; None if there was none


# --- the test CA --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tls:
    ca_file: Path  # the CA certificate, for clients to trust
    cert_file: Path  # the server's certificate (127.0.0.1, localhost)
    key_file: Path
    _keep: tempfile.TemporaryDirectory  # removed when the test process ends


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


@functools.cache
def _tls() -> _Tls:
    """A CA and a server certificate for 127.0.0.1, made once per test process."""
    now = utc_now()
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Local Alexa API test CA"))
        .issuer_name(_name("Local Alexa API test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    folder = tempfile.TemporaryDirectory(prefix="alexa-api-tls-")
    root = Path(folder.name)
    pem = serialization.Encoding.PEM
    (root / "ca.pem").write_bytes(ca.public_bytes(pem))
    (root / "cert.pem").write_bytes(leaf.public_bytes(pem))
    (root / "key.pem").write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return _Tls(root / "ca.pem", root / "cert.pem", root / "key.pem", folder)


# --- the server ---------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: _TlsServer

    def _any(self) -> None:
        self.server.api._answer(self)

    do_GET = do_POST = do_PUT = do_DELETE = _any  # http.server's names

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the test reads api.requests instead


class _TlsServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, api: LocalAlexaApi, context: ssl.SSLContext):
        self.api = api
        self.context = context
        super().__init__(("127.0.0.1", 0), _Handler)

    def finish_request(self, request, client_address) -> None:
        # The TLS handshake runs here, in the request's own thread, so one slow client does
        # not hold up the others.
        with self.context.wrap_socket(request, server_side=True) as tls:
            self.RequestHandlerClass(tls, client_address, self)

    def handle_error(self, request, client_address) -> None:
        pass  # a client that gave up (the timeout tests) or failed the handshake


def _error(status: int, code: str | None = None) -> tuple[int, dict]:
    """An error answer in the shape of the SDK's ``Error`` model (code, message)."""
    phrase = http.HTTPStatus(status).phrase
    return status, {"code": code or phrase.upper().replace(" ", "_"), "message": phrase}


class LocalAlexaApi:
    """Alexa's Settings and Reminders APIs, locally, over HTTPS.

    Parameters
    ----------
    token : str
        The bearer token requests must carry (``context.System.apiAccessToken``).
    device_id : str
        The device whose settings it knows (``context.System.device.deviceId``).

    Attributes to set in a test
    ---------------------------
    time_zone : object
        What the time zone setting answers: a value sent as JSON (``"Pacific/Auckland"``,
        ``42``), ``bytes`` sent as they are (a body that is not JSON), or ``None`` for 204.
    fail_with : int or None
        Answer every following request with this status (``403``, ``429``, ``500``).
    delay : float
        Seconds to wait before each answer (cut short by :meth:`stop`).
    reminders_permission : bool
        ``False``: the user has not granted the reminders permission.
    """

    def __init__(self, token: str = API_TOKEN, device_id: str = DEVICE_ID):
        self.token = token
        self.device_id = device_id
        self.time_zone: Any = "America/Los_Angeles"
        self.fail_with: int | None = None
        self.delay = 0.0
        self.reminders_permission = True
        self.reminders: dict[str, dict] = {}  # alertToken -> the body it was created with
        self._requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _TlsServer | None = None
        self._thread: threading.Thread | None = None
        self._saved_bundle: str | None = None

    # --- lifecycle

    @property
    def endpoint(self) -> str:
        """``https://127.0.0.1:PORT``: use it as ``context.System.apiEndpoint``."""
        if self._server is None:
            raise RuntimeError("LocalAlexaApi is not running: call start() first")
        return f"https://127.0.0.1:{self._server.server_address[1]}"

    @property
    def ca_file(self) -> Path:
        """The test CA's certificate (PEM), for clients other than requests."""
        return _tls().ca_file

    def start(self) -> LocalAlexaApi:
        tls = _tls()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls.cert_file, tls.key_file)
        self._stopping.clear()
        self._server = _TlsServer(self, context)
        # A short poll interval: stop() waits up to one interval for the loop to notice.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), name="local-alexa-api", daemon=True
        )
        self._thread.start()
        self._saved_bundle = os.environ.get(_CA_BUNDLE_VARIABLE)
        os.environ[_CA_BUNDLE_VARIABLE] = str(tls.ca_file)
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        if self._saved_bundle is None:
            os.environ.pop(_CA_BUNDLE_VARIABLE, None)
        else:
            os.environ[_CA_BUNDLE_VARIABLE] = self._saved_bundle
        self._stopping.set()  # wakes answers that are being delayed
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> LocalAlexaApi:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- what it saw

    @property
    def requests(self) -> list[Recorded]:
        """Every request so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    # --- answering

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        raw = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        request = Recorded(
            handler.command, handler.path, dict(handler.headers.items()), _parse(raw)
        )
        with self._lock:
            self._requests.append(request)
        if self.delay:
            self._stopping.wait(self.delay)
        status, payload = self._route(request)
        if isinstance(payload, bytes):
            body, content_type = payload, "text/plain"
        else:
            body = b"" if payload is None else json.dumps(payload).encode()
            content_type = "application/json"
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _route(self, request: Recorded) -> tuple[int, Any]:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return _error(401, "INVALID_BEARER_TOKEN")
        if self.fail_with is not None:
            return _error(self.fail_with)
        parts = [unquote(part) for part in urlsplit(request.path).path.strip("/").split("/")]
        match request.method, parts:
            case "GET", ["v2", "devices", device_id, "settings", "System.timeZone"]:
                return self._time_zone(device_id)
            case _, ["v1", "alerts", "reminders", *rest] if len(rest) <= 1:
                return self._reminders(request, rest[0] if rest else None)
        return _error(404)

    def _time_zone(self, device_id: str) -> tuple[int, Any]:
        if device_id != self.device_id:
            return _error(403)  # the token gives no access to another device
        if self.time_zone is None:
            return 204, None
        return 200, self.time_zone

    def _reminders(self, request: Recorded, alert_token: str | None) -> tuple[int, Any]:
        if not self.reminders_permission:
            # Alexa answers 401 when the user has not granted the reminders permission: the
            # SDK's own error table for every reminder operation reads "401 ...
            # UserAuthenticationException ... e.g. If customer does not have permission to
            # create a reminder", and that is what skill developers see (alexa/alexa-cookbook
            # issue 282). The skill treats 403 (listed for create as "Forbidden") the same way.
            return _error(401, "UNAUTHORIZED")
        with self._lock:
            if alert_token is None and request.method == "POST":
                return self._create(request.body)
            if alert_token is None:
                return _error(405)
            if alert_token not in self.reminders:
                return _error(404, "NOT_FOUND")
            if request.method == "DELETE":
                del self.reminders[alert_token]
                return 200, None  # the SDK's delete_reminder lists 200 as its success
            if request.method == "GET":
                return 200, {**self.reminders[alert_token], **_stamp(alert_token)}
        return _error(405)

    def _create(self, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict) or "trigger" not in body or "alertInfo" not in body:
            return _error(400, "INVALID_REQUEST")
        alert_token = str(uuid.uuid4())
        self.reminders[alert_token] = body
        return 201, _stamp(alert_token)


def _stamp(alert_token: str) -> dict:
    """The fields Alexa adds to a reminder it keeps (the SDK's ``ReminderResponse``)."""
    now = utc_now().strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return {
        "alertToken": alert_token,
        "createdTime": now,
        "updatedTime": now,
        "status": "ON",
        "version": "1",
        "href": f"/v1/alerts/reminders/{alert_token}",
    }


def _parse(raw: bytes) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


@pytest.fixture
def alexa_api() -> Iterator[LocalAlexaApi]:
    """A running :class:`LocalAlexaApi` for one test, with the default token and device."""
    with LocalAlexaApi() as api:
        yield api
