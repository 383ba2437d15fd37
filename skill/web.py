"""The skill as an HTTPS web service for Alexa: a Flask app and a waitress server.

``create_app(config)`` serves the same skill as the console and Lambda (``build_skill``) through
``flask_ask_sdk``'s :class:`SkillAdapter` on ``POST /``, plus ``GET /healthz``. Put it behind a
TLS-terminating proxy (Alexa only calls https on port 443) and run it with :func:`serve`.

Verification is always on
-------------------------
Every request to ``/`` passes, before any skill handler runs:

1. transport checks: ``Content-Type: application/json`` (utf-8), a body of at most
   :data:`MAX_BODY_BYTES`, valid UTF-8 JSON shaped like an Alexa envelope (else 4xx JSON);
2. :class:`~skill.webverify.SkillIdVerifier` - the envelope is for ``config.skill_id``;
3. :class:`~skill.webverify.AlexaTimestampVerifier` - the timestamp is within 150 s of now;
4. :class:`~skill.webverify.AlexaSignatureVerifier` - ``Signature-256`` over the raw body, by a
   certificate for ``echo-api.amazon.com`` that chains to a trusted root.

A failed check is answered ``400`` with a JSON error (what Amazon asks for) and the skill never
sees the request. The only way to switch 3 and 4 off is ``allow_unverified=True`` (a real
``bool``; the CLI's ``--dev-insecure-no-verify``), which logs a loud warning each time an app is
built. ``verifiers`` may replace the signature verifier (tests inject one trusting a test CA), but
a list without a signature verifier is refused rather than silently accepted. The SDK's own
``ASK_SDK_VERIFY_*`` switches are set off because their verifiers are replaced by ours (see
:mod:`skill.webverify` for why), not because anything is skipped.

Logging
-------
Nothing here logs request bodies, tokens or user IDs; as a second line of defence a filter on the
app's and the server's handlers masks anything that looks like an Alexa user/person ID, an LWA
access token or a JWT (the ``apiAccessToken``) in any record, tracebacks included.
"""

from __future__ import annotations

from . import _oscrypto_fix

# flask_ask_sdk.skill_adapter -> ask_sdk_webservice_support.verifier -> certvalidator -> oscrypto
_oscrypto_fix.install()

import json  # noqa: E402
import logging  # noqa: E402
import re  # noqa: E402
from collections.abc import Iterable  # noqa: E402
from typing import Any, Protocol, cast  # noqa: E402

from ask_sdk_core.skill import CustomSkill  # noqa: E402
from ask_sdk_model import RequestEnvelope  # noqa: E402
from ask_sdk_webservice_support.verifier import AbstractVerifier  # noqa: E402
from flask import Flask, Response, g, jsonify, request  # noqa: E402
from flask.logging import default_handler as flask_default_handler  # noqa: E402
from flask_ask_sdk.skill_adapter import (  # noqa: E402
    VERIFY_SIGNATURE_APP_CONFIG,
    VERIFY_TIMESTAMP_APP_CONFIG,
    SkillAdapter,
)
from werkzeug.exceptions import (  # noqa: E402
    BadRequest,
    HTTPException,
    InternalServerError,
    NotFound,
    UnsupportedMediaType,
)

from .alexa import build_skill_builder  # noqa: E402
from .alexa.budget import TURN_SECONDS, FixedBudget  # noqa: E402
from .config import Config  # noqa: E402
from .entry import session_ended_as_known  # noqa: E402
from .exceptions import ConfigError  # noqa: E402
from .store import Store, open_store  # noqa: E402
from .webverify import (  # noqa: E402
    AlexaSignatureVerifier,
    AlexaTimestampVerifier,
    SkillIdVerifier,
    VerificationException,
    is_signature_verifier,
)

__all__ = [
    "INSECURE_WARNING",
    "MAX_BODY_BYTES",
    "RedactingFilter",
    "Server",
    "create_app",
    "make_server",
    "serve",
]

log = logging.getLogger("skill.web")

#: Alexa's requests are a few KB; this is generous and still cheap to parse.
MAX_BODY_BYTES = 256 * 1024
#: waitress refuses bodies past this itself (plain-text 413); between the two limits the app
#: answers a JSON 413.
SERVER_MAX_BODY_BYTES = 4 * MAX_BODY_BYTES

INSECURE_WARNING = (
    "!!! INSECURE: Alexa request signature and timestamp verification is OFF "
    "(--dev-insecure-no-verify). Anyone who can reach this server can act as any user. "
    "Never expose it to a network. !!!"
)


# --- logging hygiene ----------------------------------------------------------------------------

_SECRETS = [
    # amzn1.ask.account.<id>, amzn1.ask.person.<id>: keep the kind, drop the ID.
    (re.compile(r"(amzn1\.ask\.(?:account|person)\.)[A-Za-z0-9._-]+"), r"\1<redacted>"),
    # Login with Amazon tokens.
    (re.compile(r"Atz[ar]\|[A-Za-z0-9._~+/=|-]+"), "<redacted-token>"),
    # JWTs (the envelope's apiAccessToken).
    (re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), "<redacted-jwt>"),
]


def _redact(text: str) -> str:
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Mask user IDs and tokens in a record's message and traceback (defence in depth)."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler's own error path
            return True
        redacted = _redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = _redact(record.exc_text)
        return True


def _add_filter_once(target: logging.Logger | logging.Handler) -> None:
    if not any(isinstance(f, RedactingFilter) for f in target.filters):
        target.addFilter(RedactingFilter())


# --- the app ------------------------------------------------------------------------------------


def _error(status: int, message: str, headers: Iterable[tuple[str, str]] = ()) -> Response:
    response = jsonify({"error": {"status": status, "message": message}})
    response.status_code = status
    for name, value in headers:
        response.headers[name] = value
    return response


def _check_transport(skill: CustomSkill) -> dict[str, Any] | None:
    """4xx unless the request is a plausible Alexa envelope (before any verifier or handler).

    Returns the envelope to run instead when it is a SessionEndedRequest whose reason or error
    the ASK model cannot read (:func:`skill.entry.session_ended_as_known`), else ``None``.
    """
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("Content-Type must be application/json")
    charset = request.mimetype_params.get("charset")
    if charset is not None and charset.lower().replace("-", "") != "utf8":
        raise UnsupportedMediaType("The body must be UTF-8")
    body = request.get_data(cache=True)  # 413 past MAX_CONTENT_LENGTH
    if not body:
        raise BadRequest("The request has no body")
    try:
        text = body.decode("utf-8")
        envelope = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest("The body is not valid UTF-8 JSON") from None
    if not (
        isinstance(envelope, dict)
        and isinstance(envelope.get("request"), dict)
        and isinstance(envelope["request"].get("type"), str)
    ):
        raise BadRequest("The body is not an Alexa request envelope")
    try:  # the adapter deserialises again; a failure there would be a 500
        skill.serializer.deserialize(payload=text, obj_type=RequestEnvelope)
    except Exception:
        ended = session_ended_as_known(envelope)
        if ended is None:
            raise BadRequest("The body is not an Alexa request envelope") from None
        return ended
    return None


def _session_ended(
    skill: CustomSkill, verifiers: list[AbstractVerifier], ended: dict[str, Any]
) -> Response:
    """Run a SessionEndedRequest the ASK model could not read as sent, as the adapter would:
    every verifier on the body as signed, then the skill on the readable envelope."""
    envelope = skill.serializer.deserialize(payload=json.dumps(ended), obj_type=RequestEnvelope)
    text = request.get_data(as_text=True)
    try:
        for verifier in verifiers:
            verifier.verify(
                # Werkzeug's headers, as flask-ask-sdk passes them (the SDK types a dict).
                headers=cast(dict[str, Any], request.headers),
                serialized_request_env=text,
                deserialized_request_env=envelope,
            )
    except VerificationException:
        raise BadRequest("Incoming request failed verification") from None
    response = skill.invoke(request_envelope=envelope, context=None)
    return jsonify(skill.serializer.serialize(response))


class _TimedSkill(CustomSkill):
    """The skill, run with the budget its request started (flask-ask-sdk passes no context)."""

    def invoke(self, request_envelope: RequestEnvelope, context: Any) -> Any:
        if context is None:
            context = g.get("turn_budget")
        return super().invoke(request_envelope=request_envelope, context=context)


def create_app(
    config: Config,
    store: Store | None = None,
    *,
    verifiers: Iterable[AbstractVerifier] | None = None,
    allow_unverified: bool = False,
    turn_seconds: float = TURN_SECONDS,
) -> Flask:
    """The web app: ``POST /`` for Alexa, ``GET /healthz`` for load balancers.

    Each request to ``POST /`` has ``turn_seconds`` from its arrival to be answered: the
    store's and the Alexa APIs' calls give up in time for that (:mod:`skill.alexa.budget`).

    ``verifiers`` replaces the default :class:`AlexaSignatureVerifier` (production trust store and
    loader) and must include a signature verifier. The skill ID and timestamp verifiers are always
    added. ``allow_unverified=True`` drops signature and timestamp verification (development
    only; logs :data:`INSECURE_WARNING`); the skill ID is still checked when configured.
    """
    if not isinstance(allow_unverified, bool):
        raise TypeError("allow_unverified must be True or False")
    chain: list[AbstractVerifier] = []
    if config.skill_id:
        chain.append(SkillIdVerifier(config.skill_id))
    if allow_unverified:
        if verifiers is not None:
            raise ValueError("verifiers cannot be combined with allow_unverified=True")
        log.warning(INSECURE_WARNING)
    else:
        if not config.skill_id:
            raise ConfigError(
                "SKILL_ID must be set to serve the skill to Alexa "
                "(requests for other skills are refused)"
            )
        signature = [AlexaSignatureVerifier()] if verifiers is None else list(verifiers)
        if not any(is_signature_verifier(v) for v in signature):
            raise ValueError(
                "verifiers must include a signature verifier; only "
                "allow_unverified=True turns verification off"
            )
        # Cheap checks first: a stale or foreign request never triggers a certificate fetch.
        chain.append(AlexaTimestampVerifier())
        chain.extend(signature)

    if store is None:
        store = open_store(table_name=config.table_name, sqlite_path=config.sqlite_path)
    skill = _TimedSkill(
        skill_configuration=build_skill_builder(store, config, turn_seconds).skill_configuration
    )
    app = Flask("skill.web")
    # No 308 redirects for doubled slashes ("//", "/a//b"): answer the path as it is.
    app.url_map.merge_slashes = False
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    # Ours replace the SDK's certvalidator-based RequestVerifier and TimestampVerifier.
    app.config[VERIFY_SIGNATURE_APP_CONFIG] = False
    app.config[VERIFY_TIMESTAMP_APP_CONFIG] = False
    app.config["LEG_SKILL_VERIFIED"] = not allow_unverified
    _add_filter_once(app.logger)
    _add_filter_once(flask_default_handler)  # what Flask logs to when logging is unconfigured

    adapter = SkillAdapter(
        skill=skill, skill_id=config.skill_id or "unverified", verifiers=chain, app=app
    )

    @app.post("/")
    def alexa() -> Response:
        # The turn's budget runs from the request's arrival, verification included.
        g.turn_budget = FixedBudget(turn_seconds)
        # Werkzeug's router matches "/%2F" (PATH_INFO "//") to "/" even without slash merging:
        # Alexa posts to exactly the endpoint's path, so anything else is not found.
        if request.environ.get("PATH_INFO", "/") != "/":
            raise NotFound()
        ended = _check_transport(skill)
        if ended is not None:
            return _session_ended(skill, chain, ended)
        # flask_ask_sdk ships no types; dispatch_request answers jsonify(...), a Response.
        return cast(Response, adapter.dispatch_request())

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify({"status": "ok", "verified": not allow_unverified})

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        headers = []
        allowed = getattr(exc, "valid_methods", None)
        if allowed:
            headers.append(("Allow", ", ".join(allowed)))
        status = exc.code or 500
        message = exc.description or exc.name
        if status >= 500:  # never echo internals
            message = InternalServerError.description
        return _error(status, message, headers)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        app.logger.error("unhandled error while answering a request", exc_info=exc)
        return _error(500, "Internal server error")

    return app


# --- the server ---------------------------------------------------------------------------------


class Server(Protocol):
    """What :func:`make_server` returns: a waitress server (waitress ships no types).

    Bound to one host, as here, it is a single-socket server and knows the port it got.
    """

    effective_port: int

    def run(self) -> None: ...

    def close(self) -> None: ...


def make_server(
    config: Config,
    host: str,
    port: int,
    allow_unverified: bool = False,
    *,
    store: Store | None = None,
    verifiers: Iterable[AbstractVerifier] | None = None,
    threads: int = 4,
) -> Server:
    """A waitress server for :func:`create_app` (call ``.run()``; ``.close()`` to stop)."""
    from waitress import create_server

    app = create_app(config, store, verifiers=verifiers, allow_unverified=allow_unverified)
    server = create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="leg-skill",
        max_request_body_size=SERVER_MAX_BODY_BYTES,
        clear_untrusted_proxy_headers=True,
    )
    return cast(Server, server)


def _configure_logging(level: str) -> None:
    root = logging.getLogger()
    if not root.handlers:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(stream)
    root.setLevel(getattr(logging, str(level).upper(), logging.INFO))
    for handler in root.handlers:
        _add_filter_once(handler)


def serve(
    config: Config,
    host: str = "127.0.0.1",
    port: int = 8080,
    allow_unverified: bool = False,
    *,
    store: Store | None = None,
    verifiers: Iterable[AbstractVerifier] | None = None,
    threads: int = 4,
) -> None:
    """Run the app on waitress until interrupted (logs at ``config.log_level``)."""
    _configure_logging(config.log_level)
    server = make_server(
        config, host, port, allow_unverified, store=store, verifiers=verifiers, threads=threads
    )
    log.info(
        "leg-skill web service listening on http://%s:%s/ (verification %s)",
        host,
        server.effective_port,
        "OFF" if allow_unverified else "on",
    )
    try:
        server.run()
    except KeyboardInterrupt:  # pragma: no cover - interactive stop
        pass
    finally:
        server.close()
