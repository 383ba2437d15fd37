"""The web host: request verification, transport errors, the waitress server, the oscrypto fix.

A test PKI (root CA -> intermediate -> leaf for echo-api.amazon.com) is generated once per module;
the signature verifier is given a loader that serves it for Alexa-style chain URLs and the test
root as its only trust anchor. A spy on ``CustomSkill.invoke`` and a counting store prove that
rejected requests never reach the skill.
"""

from __future__ import annotations

import ast
import base64
import json
import logging
import os
import re
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from ask_sdk_core.skill import CustomSkill
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from signing import (
    CHAIN_BASE,
    GOOD_URL,
    PKI,
    SKILL_ID,
    USER_ID,
    FakeS3,
    _leaf,
    _pem,
    dumps,
    envelope,
    post,
    signed_headers,
)
from signing import stamp as _stamp

from skill import _oscrypto_fix
from skill.clock import utc_now
from skill.config import Config
from skill.exceptions import ConfigError
from skill.store.sqlite import SqliteStore
from skill.web import INSECURE_WARNING, MAX_BODY_BYTES, RedactingFilter, create_app
from skill.webverify import AlexaSignatureVerifier, VerificationException, validate_cert_chain_url

REPO = Path(__file__).resolve().parent.parent


# --- a test PKI ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pki() -> PKI:
    return PKI()


class CountingStore(SqliteStore):
    """A SqliteStore that counts every call to it."""

    calls = 0

    def __getattribute__(self, name):
        attr = super().__getattribute__(name)
        if (
            callable(attr)
            and not name.startswith("_")
            and name
            in (
                "load",
                "add_set",
                "update_profile",
                "record_goal_met",
                "reset_day",
                "recent_days",
                "delete_user",
            )
        ):
            type(self).calls += 1
        return attr


@pytest.fixture
def store(tmp_path):
    CountingStore.calls = 0
    return CountingStore(tmp_path / "p.sqlite3")


@pytest.fixture
def invocations(monkeypatch):
    """How many times the skill itself was invoked (i.e. got past every verifier)."""
    calls = []
    original = CustomSkill.invoke

    def spy(self, request_envelope, context):
        calls.append(request_envelope.request.object_type)
        return original(self, request_envelope, context)

    monkeypatch.setattr(CustomSkill, "invoke", spy)
    return calls


@pytest.fixture
def s3(pki):
    return FakeS3(pki)


@pytest.fixture
def client(pki, s3, store, invocations):
    verifier = AlexaSignatureVerifier(cert_loader=s3, trusted_roots=[pki.root])
    app = create_app(Config(skill_id=SKILL_ID), store, verifiers=[verifier])
    return app.test_client()


# --- requests -----------------------------------------------------------------------------------


def assert_rejected(response, invocations, status: int = 400):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    assert response.get_json()["error"]["status"] == status
    assert invocations == [], "a skill handler ran for a rejected request"
    assert CountingStore.calls == 0


def assert_failed_verification(response, invocations):
    """Rejected by a verifier (not by the transport checks before them)."""
    assert_rejected(response, invocations, 400)
    assert response.get_json()["error"]["message"] == "Incoming request failed verification"


# --- the happy path -----------------------------------------------------------------------------


def test_signed_fresh_launch_request_gets_speech(client, pki, s3, invocations):
    body = dumps(envelope())
    response = post(client, body, signed_headers(body, pki.leaf_key))
    assert response.status_code == 200, response.get_data(as_text=True)
    speech = response.get_json()["response"]["outputSpeech"]
    assert (speech.get("ssml") or speech.get("text")).strip()
    assert invocations == ["LaunchRequest"]
    assert CountingStore.calls > 0
    # A second request reuses the cached chain.
    body = dumps(envelope())
    assert post(client, body, signed_headers(body, pki.leaf_key)).status_code == 200
    assert s3.calls == [GOOD_URL]


@pytest.mark.parametrize(
    "url",
    [
        "https://S3.AmazonAWS.com/echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert-test.pem",
        "HTTPS://s3.amazonaws.com/echo.api/echo-api-cert-test.pem",
    ],
)
def test_url_forms_amazon_documents_as_valid_are_accepted(client, pki, url):
    body = dumps(envelope())
    assert post(client, body, signed_headers(body, pki.leaf_key, url)).status_code == 200


def test_skill_event_may_be_up_to_an_hour_old(client, pki, invocations):
    body = dumps(
        envelope(
            "AlexaSkillEvent.SkillDisabled",
            offset=-600,
            eventCreationTime=_stamp(-600),
            eventPublishingTime=_stamp(-600),
            body={"userInformationPersistenceStatus": "NOT_PERSISTED"},
        )
    )
    response = post(client, body, signed_headers(body, pki.leaf_key))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert invocations == ["AlexaSkillEvent.SkillDisabled"]


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "verified": True}


# --- signature failures -------------------------------------------------------------------------


def test_unsigned_request_is_rejected(client, invocations, s3):
    assert_failed_verification(post(client, dumps(envelope())), invocations)
    assert s3.calls == []


@pytest.mark.parametrize("drop", ["SignatureCertChainUrl", "Signature-256"])
def test_request_missing_one_signature_header_is_rejected(client, pki, invocations, drop):
    body = dumps(envelope())
    headers = signed_headers(body, pki.leaf_key)
    del headers[drop]
    assert_failed_verification(post(client, body, headers), invocations)


def test_signature_by_another_key_is_rejected(client, pki, invocations):
    body = dumps(envelope())
    headers = signed_headers(body, pki.rogue_key)
    assert_failed_verification(post(client, body, headers), invocations)


@pytest.mark.parametrize("signature", ["not base64 at all!", "", base64.b64encode(b"x" * 256)])
def test_garbage_signature_is_rejected(client, invocations, signature):
    body = dumps(envelope())
    headers = {"SignatureCertChainUrl": GOOD_URL, "Signature-256": signature}
    assert_failed_verification(post(client, body, headers), invocations)


def test_body_changed_after_signing_is_rejected(client, pki, invocations):
    original = envelope()
    headers = signed_headers(dumps(original), pki.leaf_key)
    tampered = json.loads(json.dumps(original))
    tampered["session"]["user"]["userId"] = tampered["context"]["System"]["user"]["userId"] = (
        "amzn1.ask.account.SOMEONEELSE"
    )
    assert_failed_verification(post(client, dumps(tampered), headers), invocations)
    # Even a whitespace change breaks the signature: it covers the raw bytes.
    assert_failed_verification(post(client, dumps(original) + b" ", headers), invocations)


def test_legacy_sha1_signature_header_alone_is_not_accepted(client, pki, invocations):
    body = dumps(envelope())
    sha1 = base64.b64encode(pki.leaf_key.sign(body, padding.PKCS1v15(), hashes.SHA1())).decode()
    headers = {"SignatureCertChainUrl": GOOD_URL, "Signature": sha1}
    assert_failed_verification(post(client, body, headers), invocations)


# --- session ends the ASK model does not know yet -------------------------------------------------

NEW_ENDING = {"reason": "SOMETHING_NEW", "error": {"type": "A_NEW_ERROR", "message": "gone"}}


def test_a_session_ended_for_a_reason_newer_than_the_model_still_reaches_the_skill(
    client, pki, invocations
):
    body = dumps(envelope("SessionEndedRequest", **NEW_ENDING))
    response = post(client, body, signed_headers(body, pki.leaf_key))
    assert response.status_code == 200
    assert invocations == ["SessionEndedRequest"]


def test_such_an_ending_is_verified_like_any_request(client, pki, invocations):
    body = dumps(envelope("SessionEndedRequest", **NEW_ENDING))
    headers = signed_headers(body.replace(b"gone", b"went"), pki.leaf_key)  # another body
    assert_failed_verification(post(client, body, headers), invocations)
    stale = dumps(envelope("SessionEndedRequest", offset=-600, **NEW_ENDING))
    assert_failed_verification(
        post(client, stale, signed_headers(stale, pki.leaf_key)), invocations
    )


# --- timestamp and skill ID ---------------------------------------------------------------------


# Stamps are whole seconds (truncated), so 152 s ahead is more than 150 s ahead at any moment.
@pytest.mark.parametrize("offset", [-151, -600, -86400, 152, 3600, 86400 * 365])
def test_stale_or_future_timestamp_is_rejected(client, pki, invocations, offset):
    body = dumps(envelope(offset=offset))
    assert_failed_verification(post(client, body, signed_headers(body, pki.leaf_key)), invocations)


def test_timestamp_within_tolerance_is_accepted(client, pki):
    for offset in (-120, 120):
        body = dumps(envelope(offset=offset))
        assert post(client, body, signed_headers(body, pki.leaf_key)).status_code == 200


def test_skill_event_older_than_an_hour_is_rejected(client, pki, invocations):
    body = dumps(
        envelope(
            "AlexaSkillEvent.SkillDisabled",
            offset=-3700,
            body={"userInformationPersistenceStatus": "NOT_PERSISTED"},
        )
    )
    assert_failed_verification(post(client, body, signed_headers(body, pki.leaf_key)), invocations)


def test_timestamp_without_zone_is_rejected(client, pki, invocations):
    env = envelope()
    env["request"]["timestamp"] = env["request"]["timestamp"].rstrip("Z")
    body = dumps(env)
    assert_failed_verification(post(client, body, signed_headers(body, pki.leaf_key)), invocations)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"skill_id": "amzn1.ask.skill.someone-else"},
        {"session_skill_id": "amzn1.ask.skill.someone-else"},
    ],
)
def test_wrong_skill_id_is_rejected_even_when_signed(client, pki, s3, invocations, kwargs):
    body = dumps(envelope(**kwargs))
    assert_failed_verification(post(client, body, signed_headers(body, pki.leaf_key)), invocations)
    assert s3.calls == []  # refused before any certificate fetch


# --- certificate URL and chain ------------------------------------------------------------------

BAD_URLS = [
    "http://s3.amazonaws.com/echo.api/echo-api-cert-test.pem",
    "https://notamazon.com/echo.api/echo-api-cert-test.pem",
    "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert-test.pem",
    "https://evil.example/s3.amazonaws.com/echo.api/echo-api-cert-test.pem",
    "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert-test.pem",
    "https://s3.amazonaws.com/invalid.path/echo-api-cert-test.pem",
    "https://s3.amazonaws.com/echo.api/../other/echo-api-cert-test.pem",
    "https://s3.amazonaws.com/echo.api/",
    "https://s3.amazonaws.com:563/echo.api/echo-api-cert-test.pem",
    "https://s3.amazonaws.com:80/echo.api/echo-api-cert-test.pem",
    "https://s3.amazonaws.com:notaport/echo.api/echo-api-cert-test.pem",
    "https://user:pw@s3.amazonaws.com/echo.api/echo-api-cert-test.pem",
    "file:///echo.api/echo-api-cert-test.pem",
    "",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_cert_url_is_rejected_without_fetching(client, pki, s3, invocations, url):
    body = dumps(envelope())
    headers = signed_headers(body, pki.leaf_key, url)
    assert_failed_verification(post(client, body, headers), invocations)
    assert s3.calls == []


@pytest.mark.parametrize("url", BAD_URLS)
def test_validate_cert_chain_url_refuses(url):
    with pytest.raises(VerificationException):
        validate_cert_chain_url(url)


@pytest.mark.parametrize(
    "name",
    [
        "echo-api-cert-nosan.pem",  # leaf without any SAN
        "echo-api-cert-othersan.pem",  # leaf whose SAN is not echo-api.amazon.com
        "echo-api-cert-expired.pem",  # leaf past notAfter
        "echo-api-cert-rogue.pem",  # valid-looking chain to a root we don't trust
        "echo-api-cert-leaf-only.pem",  # intermediate missing: no path to the root
        "echo-api-cert-not-on-s3.pem",  # the loader fails
    ],
)
def test_bad_certificate_chain_is_rejected(client, pki, invocations, name):
    body = dumps(envelope())
    headers = signed_headers(body, pki.leaf_key, CHAIN_BASE + name)
    assert_failed_verification(post(client, body, headers), invocations)


def test_cached_chain_is_dropped_when_it_expires(pki):
    """Cache by URL until the chain's first expiry; then load again (and refuse if expired)."""
    now = utc_now()
    short = _leaf(pki.leaf_key, pki.inter, pki.inter_key, not_after=now + timedelta(hours=1))
    calls = []

    def loader(url):
        calls.append(url)
        return _pem(short, pki.inter)

    clock = [now]
    verifier = AlexaSignatureVerifier(
        cert_loader=loader, trusted_roots=[pki.root], clock=lambda: clock[0]
    )
    body = dumps(envelope())
    headers = signed_headers(body, pki.leaf_key)
    verifier.verify(headers, body.decode(), None)
    verifier.verify(headers, body.decode(), None)
    assert len(calls) == 1
    clock[0] = now + timedelta(hours=2)
    with pytest.raises(VerificationException):
        verifier.verify(headers, body.decode(), None)
    assert len(calls) == 2


# --- transport errors: 4xx JSON, never 500 ------------------------------------------------------


@pytest.mark.parametrize(
    "body,status",
    [
        (b"{not json", 400),
        (b"", 400),
        (b"\xff\xfe{}", 400),
        (b"[]", 400),
        (b'"a string"', 400),
        (b'{"request": 5}', 400),
        (b'{"version": "1.0"}', 400),
        (b'{"request": {"type": "LaunchRequest", "timestamp": "not a time"}}', 400),
        (b"[" * 100_000, 400),
    ],
)
def test_malformed_bodies_are_4xx_json(client, invocations, body, status):
    assert_rejected(post(client, body), invocations, status)


def test_malformed_body_with_signature_headers_is_4xx(client, pki, invocations):
    body = b"{not json"
    assert_rejected(post(client, body, signed_headers(body, pki.leaf_key)), invocations)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1"],
)
def test_wrong_content_type_is_415(client, invocations, content_type):
    assert_rejected(post(client, dumps(envelope()), content_type=content_type), invocations, 415)


def test_oversized_body_is_413(client, pki, invocations):
    env = envelope()
    env["session"]["attributes"]["padding"] = "x" * (MAX_BODY_BYTES + 1)
    body = dumps(env)
    assert_rejected(post(client, body, signed_headers(body, pki.leaf_key)), invocations, 413)


def test_get_on_the_skill_endpoint_is_405_json(client, invocations):
    response = client.get("/")
    assert_rejected(response, invocations, 405)
    assert "POST" in response.headers["Allow"]


# --- switching verification off -----------------------------------------------------------------


def test_allow_unverified_accepts_unsigned_and_warns(store, invocations, caplog):
    with caplog.at_level(logging.WARNING, logger="skill.web"):
        app = create_app(Config(skill_id=SKILL_ID), store, allow_unverified=True)
    assert any(
        r.levelno == logging.WARNING and r.getMessage() == INSECURE_WARNING for r in caplog.records
    )
    client = app.test_client()
    response = post(client, dumps(envelope()))
    assert response.status_code == 200
    assert invocations == ["LaunchRequest"]
    assert client.get("/healthz").get_json()["verified"] is False
    # The skill ID is still checked.
    invocations.clear()
    CountingStore.calls = 0
    assert_failed_verification(
        post(client, dumps(envelope(skill_id="amzn1.ask.skill.other"))), invocations
    )


def test_verification_cannot_be_switched_off_by_accident(store):
    config = Config(skill_id=SKILL_ID)
    with pytest.raises(ValueError):
        create_app(config, store, verifiers=[])
    with pytest.raises(TypeError):
        create_app(config, store, allow_unverified="false")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        create_app(config, store, allow_unverified=1)  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        create_app(Config(skill_id=None), store)
    with pytest.raises(ValueError):
        create_app(config, store, verifiers=[object()], allow_unverified=True)


def test_default_app_uses_our_verifier_with_public_roots(store):
    app = create_app(Config(skill_id=SKILL_ID), store)
    client = app.test_client()
    response = post(client, dumps(envelope()))  # unsigned
    assert response.status_code == 400


# --- logs ---------------------------------------------------------------------------------------


def test_logs_hold_no_body_token_or_user_id(client, pki, caplog):
    caplog.set_level(logging.DEBUG)
    body = dumps(envelope())
    post(client, body, signed_headers(body, pki.leaf_key))
    post(client, body, signed_headers(body, pki.rogue_key))
    post(client, b"{broken " + USER_ID.encode())
    text = caplog.text
    assert "SECRETUSERID" not in text
    assert "eyJzZWNyZXQiOjF9" not in text
    assert body.decode()[:40] not in text


def test_redacting_filter_masks_ids_and_tokens():
    args = (USER_ID, "Atza|IwEBIAbc123", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "user %s token %s jwt %s", args, None
    )
    assert RedactingFilter().filter(record)
    message = record.getMessage()
    assert "SECRETUSERID" not in message and "IwEBIAbc123" not in message
    assert "eyJzdWIiOiJ4In0" not in message
    assert "amzn1.ask.account.<redacted>" in message


# --- the oscrypto#78 fix ------------------------------------------------------------------------


def _run(code: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_flask_ask_sdk_imports_in_a_fresh_interpreter():
    result = _run("""
        import json, sys
        import skill.web  # installs the fix, then imports flask_ask_sdk.skill_adapter
        import flask_ask_sdk.skill_adapter
        import certvalidator
        from oscrypto._openssl import _libcrypto
        impl = (sys.modules.get("oscrypto._openssl._libcrypto_cffi")
                or sys.modules["oscrypto._openssl._libcrypto_ctypes"])
        print(json.dumps({"string": impl.version_string,
                          "info": list(_libcrypto.libcrypto_version_info)}))
    """)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    # oscrypto now reports the library's real version (e.g. 3.0.19, not a failure or 3.0.1).
    expected = re.search(r"\b(\d+)\.(\d+)\.(\d+)", found["string"]).groups()
    assert found["info"][:3] == [int(x) for x in expected]


def test_the_fix_is_needed_here_and_changes_nothing_on_disk():
    """Without the shim the import fails as oscrypto#78 describes (on OpenSSL >= 3.0.10)."""
    source = (
        Path(__import__("importlib.util").util.find_spec("oscrypto").submodule_search_locations[0])
        / "_openssl"
        / "_libcrypto_cffi.py"
    )
    before = source.read_bytes()
    result = _run("import flask_ask_sdk.skill_adapter")
    if result.returncode == 0:
        pytest.skip("this oscrypto/OpenSSL pair imports without the fix; it can be retired")
    assert "Error detecting the version of libcrypto" in result.stderr
    # With it (and twice, to be sure the bytecode cache was not poisoned either way).
    for _ in range(2):
        fixed = _run(
            "import skill._oscrypto_fix as f; assert f.install(); "
            "import flask_ask_sdk.skill_adapter"
        )
        assert fixed.returncode == 0, fixed.stderr
    assert source.read_bytes() == before
    assert _run("import flask_ask_sdk.skill_adapter").returncode != 0


@pytest.mark.parametrize(
    "version_string,expected",
    [
        ("OpenSSL 3.0.19 27 Jan 2026", "3.0.19"),
        ("OpenSSL 3.0.2 15 Mar 2022", "3.0.2"),
        ("OpenSSL 1.1.1w  11 Sep 2023", "1.1.1w"),
        ("OpenSSL 3.5.10 1 Jan 2027", "3.5.10"),
    ],
)
def test_patched_pattern_matches_upstream_fix(version_string, expected):
    def pattern_of(source: bytes) -> str:  # the string literal inside re.search(...)
        text = source.decode()
        return ast.literal_eval(text[len("re.search(") : text.index(", version_string")])

    assert re.search(pattern_of(_oscrypto_fix._FIXED), version_string).group(1) == expected
    old = re.search(pattern_of(_oscrypto_fix._BROKEN), version_string)
    if re.search(r"\.\d\d", expected):  # a two-digit patch number: the bug the shim exists for
        assert old is None
    else:
        assert old.group(1) == expected


# --- the real server ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_over_real_http(tmp_path, pki):
    (tmp_path / "root.pem").write_bytes(_pem(pki.root))
    (tmp_path / "chain.pem").write_bytes(pki.files["echo-api-cert-test.pem"])
    port = _free_port()
    script = tmp_path / "run_server.py"
    script.write_text(
        textwrap.dedent(f"""
        from pathlib import Path
        from cryptography import x509
        from skill.config import Config
        from skill.store.sqlite import SqliteStore
        from skill.web import serve
        from skill.webverify import AlexaSignatureVerifier

        here = Path({str(tmp_path)!r})
        chain = (here / "chain.pem").read_bytes()
        root = x509.load_pem_x509_certificate((here / "root.pem").read_bytes())
        verifier = AlexaSignatureVerifier(cert_loader=lambda url: chain, trusted_roots=[root])
        serve(Config(skill_id={SKILL_ID!r}, log_level="WARNING"), "127.0.0.1", {port},
              store=SqliteStore(here / "p.sqlite3"), verifiers=[verifier], threads=2)
    """)
    )
    process = subprocess.Popen(
        [sys.executable, str(script)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                    assert response.status == 200
                    break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"server did not start: {output}")
                time.sleep(0.1)

        body = dumps(envelope())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            **signed_headers(body, pki.leaf_key),
        }
        request = urllib.request.Request(base + "/", data=body, method="POST", headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            reply = json.loads(response.read())
        assert reply["response"]["outputSpeech"]

        unsigned = urllib.request.Request(
            base + "/",
            data=dumps(envelope()),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(unsigned, timeout=10)
        assert error.value.code == 400
        assert json.loads(error.value.read())["error"]["status"] == 400
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
