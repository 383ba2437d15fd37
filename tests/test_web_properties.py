"""Property tests of the web host at the HTTP level, with verification on.

Hypothesis sends ``create_app``'s Flask test client random requests: genuine signed Alexa requests
(every declared request type and intent, with slots), and the same requests broken in one or more
ways (unsigned, signed by another key, tampered after signing, a bad certificate URL or chain,
stale or future timestamps, another skill's ID, the wrong content type, method or path, garbage
or non-envelope bodies, bodies over the size limit, unknown request types), plus arbitrary extra
headers. The app must answer:

* 2xx, with a response the ASK model reads, for a valid signed request, which reaches the skill
  exactly once;
* 4xx (JSON) for everything else, with no skill handler and no store call reached (a spy on
  ``CustomSkill.invoke`` and a counting store);
* never 5xx.

``OPTIONS`` is left out: Flask answers it itself (200 with an ``Allow`` header, no handler).
"""

from __future__ import annotations

import json
import string
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from signing import (
    CHAIN_BASE,
    GOOD_URL,
    PKI,
    SKILL_ID,
    FakeS3,
    dumps,
    envelope,
    signed_headers,
    stamp,
)
from test_properties import intent_request, session_ended_request

from skill.config import Config
from skill.store.sqlite import SqliteStore
from skill.web import MAX_BODY_BYTES, create_app
from skill.webverify import AlexaSignatureVerifier

SERIALIZER = DefaultSerializer()
STORE_METHODS = (
    "load",
    "add_set",
    "update_profile",
    "record_goal_met",
    "reset_day",
    "recent_days",
    "delete_user",
)

VALID_CONTENT_TYPES = (
    "application/json",
    "application/json; charset=utf-8",
    "application/json;charset=UTF-8",
    "Application/JSON; charset=utf8",
)
INVALID_CONTENT_TYPES = (
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "application/json; charset=latin-1",
    "application/json; charset=utf-16",
    "application/jsonx",
    "application/ld+json",
    "text/json",
    "*/*",
    "application/xml",
)
BAD_URLS = (
    "http://s3.amazonaws.com/echo.api/echo-api-cert-test.pem",
    "https://notamazon.com/echo.api/echo-api-cert-test.pem",
    "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert-test.pem",
    "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert-test.pem",
    "https://s3.amazonaws.com/echo.api/../other/echo-api-cert-test.pem",
    "https://s3.amazonaws.com:563/echo.api/echo-api-cert-test.pem",
    "https://user:pw@s3.amazonaws.com/echo.api/echo-api-cert-test.pem",
    "file:///echo.api/echo-api-cert-test.pem",
    "",
    " ",
    "\u00e9",
    CHAIN_BASE + "echo-api-cert-nosan.pem",
    CHAIN_BASE + "echo-api-cert-othersan.pem",
    CHAIN_BASE + "echo-api-cert-expired.pem",
    CHAIN_BASE + "echo-api-cert-rogue.pem",
    CHAIN_BASE + "echo-api-cert-leaf-only.pem",
    CHAIN_BASE + "echo-api-cert-absent.pem",
)
OTHER_METHODS = ("GET", "PUT", "DELETE", "PATCH", "HEAD", "TRACE", "PROPFIND", "FOO")
OTHER_PATHS = (
    "/alexa",
    "/index.html",
    "/healthz/x",
    "/%2F",
    "/..%2F..%2Fetc",
    "/api/v1",
    "/\u00e9",
)
# The model has no class for these: the transport check refuses them before any verifier.
UNKNOWN_TYPES = ("Garbage", "", "launchrequest", "IntentRequest ", "AlexaSkillEvent.Unknown")
# Bodies that are not Alexa envelopes (each checked before any verifier or handler).
NOT_ENVELOPES = (
    b"",
    b"{",
    b"null",
    b"[]",
    b'"x"',
    b"1e999",
    b'{"request": 5}',
    b'{"request": {"type": 5}}',
    b'{"version": "1.0"}',
    b"\xff\xfe{}",
    b'{"request": {"type": "LaunchRequest", "timestamp": "not a time"}}',
    b"[" * 50_000,
    b'{"a":' * 20_000,
    "\ufeff{}".encode(),
)
MUTATIONS = (
    "unsigned",
    "no_signature",
    "no_url",
    "rogue_key",
    "garbage_signature",
    "tampered",
    "bad_url",
    "stale",
    "future",
    "foreign_skill",
    "foreign_session_skill",
    "content_type",
    "method",
    "path",
    "not_envelope",
    "random_body",
    "oversize",
    "unknown_type",
)


# --- the app under test -------------------------------------------------------------------------


class CountingStore(SqliteStore):
    """A SqliteStore that counts every call through the Store interface."""

    def __init__(self, path):
        super().__init__(path)
        self.calls = 0

    def __getattribute__(self, name):
        if name in STORE_METHODS:
            object.__setattr__(self, "calls", object.__getattribute__(self, "calls") + 1)
        return super().__getattribute__(name)


class Web:
    def __init__(self, pki: PKI, store: CountingStore, invocations: list):
        self.pki = pki
        self.store = store
        self.invocations = invocations
        verifier = AlexaSignatureVerifier(cert_loader=FakeS3(pki), trusted_roots=[pki.root])
        self.app = create_app(Config(skill_id=SKILL_ID), store, verifiers=[verifier])
        self.client = self.app.test_client()


@pytest.fixture(scope="module")
def web() -> Iterator[Web]:
    invocations: list[str] = []
    original = CustomSkill.invoke

    def spy(self, request_envelope, context):
        invocations.append(request_envelope.request.object_type)
        return original(self, request_envelope, context)

    with pytest.MonkeyPatch.context() as patch, tempfile.TemporaryDirectory() as tmp:
        patch.setattr(CustomSkill, "invoke", spy)
        store = CountingStore(Path(tmp) / "web.sqlite3")
        yield Web(PKI(), store, invocations)
        store.close()


# --- requests -----------------------------------------------------------------------------------


@st.composite
def alexa_envelope(draw) -> dict:
    """A request Alexa could send this skill (any declared type), timestamped now."""
    kind = draw(st.sampled_from(["launch", "intent", "intent", "ended", "disabled", "audio"]))
    if kind == "launch":
        return envelope("LaunchRequest", offset=draw(st.integers(-120, 120)))
    if kind == "intent":
        request = draw(intent_request())
        body = envelope(
            "IntentRequest", offset=draw(st.integers(-120, 120)), intent=request["intent"]
        )
        body["session"]["new"] = draw(st.booleans())
        return body
    if kind == "ended":
        request = draw(session_ended_request())
        return envelope(
            "SessionEndedRequest",
            offset=draw(st.integers(-120, 120)),
            **{k: v for k, v in request.items() if k != "type"},
        )
    if kind == "disabled":
        return envelope(
            "AlexaSkillEvent.SkillDisabled",
            offset=draw(st.integers(-3500, 120)),
            body={"userInformationPersistenceStatus": "NOT_PERSISTED"},
        )
    body = envelope(
        "AudioPlayer.PlaybackStarted",
        offset=draw(st.integers(-120, 120)),
        token="t",
        offsetInMilliseconds=0,
    )
    del body["session"]  # audio player requests come outside a session
    return body


header_names = st.text(
    alphabet=string.ascii_letters + string.digits + "-", min_size=1, max_size=20
).map(lambda s: "X-" + s)
header_values = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_characters="\x7f"),
    max_size=200,
)


@st.composite
def http_request(draw, genuine: bool = False) -> dict:
    """One HTTP request: a genuine signed one, usually broken in one or more ways."""
    body_dict = draw(alexa_envelope())
    mutations = (
        set()
        if genuine
        else set(draw(st.lists(st.sampled_from(MUTATIONS), max_size=3, unique=True)))
    )
    return {
        "envelope": body_dict,
        "mutations": mutations,
        "content_type": draw(
            st.sampled_from(
                INVALID_CONTENT_TYPES if "content_type" in mutations else VALID_CONTENT_TYPES
            )
        ),
        "method": draw(st.sampled_from(OTHER_METHODS)) if "method" in mutations else "POST",
        "path": draw(st.sampled_from(OTHER_PATHS)) if "path" in mutations else "/",
        "bad_url": draw(st.sampled_from(BAD_URLS)),
        "not_envelope": draw(st.sampled_from(NOT_ENVELOPES)),
        "random_body": draw(st.binary(max_size=300)),
        "unknown_type": draw(st.sampled_from(UNKNOWN_TYPES)),
        "garbage_signature": draw(
            st.one_of(
                header_values,
                st.binary(min_size=1, max_size=300).map(
                    lambda b: __import__("base64").b64encode(b).decode()
                ),
            )
        ),
        "stale_by": draw(st.integers(151, 10**8)),
        "extra_headers": draw(st.dictionaries(header_names, header_values, max_size=4)),
    }


def build(web: Web, plan: dict) -> dict:
    """The HTTP request the plan describes (mutations applied, then signed if it says so)."""
    body_dict = json.loads(json.dumps(plan["envelope"]))
    mutations = plan["mutations"]
    request = body_dict["request"]
    is_event = request["type"].startswith("AlexaSkillEvent.")
    if "stale" in mutations:  # older than allowed: 150 s, or an hour for skill events
        request["timestamp"] = stamp(-plan["stale_by"] - (3600 if is_event else 150))
    if "future" in mutations:
        request["timestamp"] = stamp(150 + plan["stale_by"])
    if "foreign_skill" in mutations:
        body_dict["context"]["System"]["application"]["applicationId"] = "amzn1.ask.skill.other"
    if "foreign_session_skill" in mutations:
        if "session" in body_dict:
            body_dict["session"]["application"]["applicationId"] = "amzn1.ask.skill.other"
        else:
            body_dict["context"]["System"]["application"]["applicationId"] = SKILL_ID + "0"
    if "unknown_type" in mutations:
        request["type"] = plan["unknown_type"]
    if "oversize" in mutations:
        body_dict.setdefault("session", {"attributes": {}})
        body_dict["session"].setdefault("attributes", {})["padding"] = "x" * (MAX_BODY_BYTES + 1)
    body = dumps(body_dict)
    if "not_envelope" in mutations:
        body = plan["not_envelope"]
    if "random_body" in mutations:
        body = plan["random_body"]
    key = web.pki.rogue_key if "rogue_key" in mutations else web.pki.leaf_key
    headers = signed_headers(body, key, plan["bad_url"] if "bad_url" in mutations else GOOD_URL)
    if "garbage_signature" in mutations:
        headers["Signature-256"] = plan["garbage_signature"]
    if "tampered" in mutations:
        body = body + b" " if body else b" "
    if "unsigned" in mutations:
        headers = {}
    if "no_signature" in mutations:
        headers.pop("Signature-256", None)
    if "no_url" in mutations:
        headers.pop("SignatureCertChainUrl", None)
    headers.update(plan["extra_headers"])
    return {
        "method": plan["method"],
        "path": plan["path"],
        "body": body,
        "content_type": plan["content_type"],
        "headers": headers,
    }


def send(web: Web, request: dict):
    return web.client.open(
        request["path"],
        method=request["method"],
        data=request["body"],
        content_type=request["content_type"],
        headers=request["headers"],
    )


PROPERTY = dict(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


def _expect(web: Web, response, valid: bool, plan: dict) -> None:
    status = response.status_code
    text = response.get_data(as_text=True)
    assert status < 500, f"{status} for {sorted(plan['mutations'])}: {text[:300]}"
    if valid:
        assert 200 <= status < 300, f"a valid signed request got {status}: {text[:300]}"
        assert web.invocations == [plan["envelope"]["request"]["type"]]
        SERIALIZER.deserialize(text, "ask_sdk_model.ResponseEnvelope")
        return
    assert 400 <= status < 500, f"{status} for {sorted(plan['mutations'])}: {text[:300]}"
    assert web.invocations == [], f"a skill handler ran for {sorted(plan['mutations'])}"
    assert web.store.calls == 0, "the store was called for a rejected request"
    if plan["method"] != "HEAD":
        assert response.is_json and response.get_json()["error"]["status"] == status, text[:300]


# --- properties ---------------------------------------------------------------------------------


@settings(max_examples=1500, **PROPERTY)
@given(plan=http_request())
def test_only_valid_signed_requests_reach_the_skill(web, plan):
    web.invocations.clear()
    web.store.calls = 0
    response = send(web, build(web, plan))
    _expect(web, response, not plan["mutations"], plan)


@settings(max_examples=300, **PROPERTY)
@given(plan=http_request(genuine=True))
def test_every_valid_signed_request_is_answered(web, plan):
    """Genuine requests only (all request types, intents and slots), with random extra headers
    and any of the accepted content types."""
    web.invocations.clear()
    web.store.calls = 0
    response = send(web, build(web, plan))
    _expect(web, response, True, plan)


@settings(max_examples=600, **PROPERTY)
@given(
    method=st.sampled_from(("POST", *OTHER_METHODS)),
    path=st.one_of(
        st.just("/"),
        st.sampled_from(OTHER_PATHS),
        st.text(alphabet=string.ascii_letters + string.digits + "/._-%", max_size=30).map(
            lambda s: "/" + s
        ),
    ),
    content_type=st.one_of(
        st.sampled_from((*VALID_CONTENT_TYPES, *INVALID_CONTENT_TYPES)), header_values
    ),
    body=st.one_of(
        st.binary(max_size=2000),
        st.sampled_from(NOT_ENVELOPES),
        st.integers(0, 3).map(lambda n: b"x" * (MAX_BODY_BYTES * n // 2 + 1)),
    ),
    headers=st.dictionaries(
        st.one_of(
            header_names,
            st.sampled_from(
                ["Signature-256", "SignatureCertChainUrl", "Signature", "Accept", "Cookie"]
            ),
        ),
        header_values,
        max_size=5,
    ),
)
@example(method="POST", path="//", content_type="application/json", body=b"{}", headers={})
@example(method="POST", path="//.", content_type="application/json", body=b"", headers={})
@example(method="GET", path="/healthz/", content_type="", body=b"", headers={})
def test_random_http_is_4xx_and_never_reaches_the_skill(
    web, method, path, content_type, body, headers
):
    """Arbitrary methods, paths, content types, bodies and headers: never a valid signature."""
    if path.rstrip("/") == "/healthz" and method in ("GET", "HEAD"):
        path = "/healthz/x"  # the health check answers 200 by design
    web.invocations.clear()
    web.store.calls = 0
    # The path goes in as the server would pass it: the test client would read "//x" as a URL
    # with a host.
    response = web.client.open(
        "/",
        method=method,
        data=body,
        content_type=content_type,
        headers=headers,
        environ_overrides={"PATH_INFO": path},
    )
    plan = {"mutations": {"random"}, "method": method}
    _expect(web, response, False, plan)


def test_options_is_answered_by_flask_without_the_skill(web):
    """The one 2xx for a request that is not a signed Alexa request: Flask's automatic OPTIONS
    (an empty answer with ``Allow``); no handler runs."""
    web.invocations.clear()
    response = web.client.open("/", method="OPTIONS")
    assert response.status_code == 200 and response.get_data() == b""
    assert "POST" in response.headers["Allow"]
    assert web.invocations == []
