"""The store's own DynamoDB client: signatures, retries, timeouts, dropped connections.

Signatures are checked against botocore's own signer (DynamoDB Local does not check them);
everything on the wire goes to real local servers: DynamoDB Local, or a scripted HTTP server
that answers as DynamoDB does when it throttles, fails or hangs.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from dynamodb_local import serve_http
from hypothesis import given, settings
from hypothesis import strategies as st

from skill.locales import strings_for
from skill.store.dynamodb_http import (
    Credentials,
    DynamoDbHttpClient,
    DynamoDbHttpError,
    sign_request,
)

ROOT = Path(__file__).resolve().parents[1]
CREDENTIALS = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
THROTTLED = (
    400,
    {
        "__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
        "message": "slow down",
    },
)


def botocore_authorization(
    url: str, headers: dict, body: bytes, credentials: Credentials, region: str
) -> tuple[str, datetime]:
    """What botocore's SigV4 signer puts in Authorization for this request, and its time."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials as BotoCredentials

    request = AWSRequest(method="POST", url=url, data=body, headers=dict(headers))
    SigV4Auth(
        BotoCredentials(credentials.access_key, credentials.secret_key, credentials.token),
        "dynamodb",
        region,
    ).add_auth(request)
    stamp = datetime.strptime(request.headers["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
    return request.headers["Authorization"], stamp.replace(tzinfo=UTC)


@settings(max_examples=60, deadline=None)
@given(
    body=st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=20), max_size=4),
    region=st.sampled_from(["us-east-1", "eu-west-2", "ap-southeast-2", "cn-north-1"]),
    token=st.one_of(
        st.none(), st.text(alphabet="ABCDEFabcdef0123456789+/=", min_size=8, max_size=40)
    ),
    port=st.sampled_from([None, 443, 8000]),
    operation=st.sampled_from(["BatchGetItem", "UpdateItem", "Query"]),
)
def test_signature_is_the_one_botocore_computes(body, region, token, port, operation):
    credentials = Credentials(CREDENTIALS.access_key, CREDENTIALS.secret_key, token)
    host = f"dynamodb.{region}.amazonaws.com"
    netloc = host if port in (None, 443) else f"{host}:{port}"
    payload = json.dumps(body).encode()
    headers = {
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": f"DynamoDB_20120810.{operation}",
    }
    expected, stamp = botocore_authorization(
        f"https://{netloc}/", headers, payload, credentials, region
    )
    ours = sign_request({"Host": netloc, **headers}, payload, credentials, region, stamp)
    assert ours["Authorization"] == expected
    assert ours.get("X-Amz-Security-Token") == token


# -- a scripted DynamoDB -----------------------------------------------------------------------

Answer = Callable[[int], tuple]  # request number -> (status, body) or (status, body, headers)


@contextmanager
def scripted_endpoint(
    answer: Answer, close_after_each: bool = False, delay: float = 0.0
) -> Iterator[tuple[str, list[dict]]]:
    """A local server answering each POST as ``answer(n)`` says; yields its URL and a log of
    the requests (target, headers, body, connection id)."""
    seen: list[dict] = []
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as DynamoDB

        def do_POST(self) -> None:  # http.server names it so
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                seen.append(
                    {
                        "target": self.headers.get("X-Amz-Target", ""),
                        "headers": dict(self.headers),
                        "body": body,
                        "connection": self.client_address,
                    }
                )  # ports differ per connection
                number = len(seen)
            time.sleep(delay)
            status, payload, *extra = answer(number)
            raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/x-amz-json-1.0")
            self.send_header("Content-Length", str(len(raw)))
            headers = extra[0] if extra else {"x-amz-crc32": str(zlib.crc32(raw))}
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(raw)
            if close_after_each:
                # Drop the connection without saying so, as an idle keep-alive connection is
                # dropped by the far end (or lost while Lambda was frozen).
                self.close_connection = True

        def log_message(self, *args) -> None:
            pass

    with serve_http(Handler) as url:
        yield url, seen


def client_at(url: str, **options) -> DynamoDbHttpClient:
    return DynamoDbHttpClient("us-east-1", lambda: CREDENTIALS, endpoint_url=url, **options)


def test_request_on_the_wire_is_dynamodbs_json_protocol():
    with scripted_endpoint(lambda n: (200, {"Item": {"pk": {"S": "USER#x"}}})) as (url, seen):
        client = client_at(url)
        response = client.get_item(TableName="t", Key={"pk": {"S": "USER#x"}})
        client.close()
    assert response["Item"] == {"pk": {"S": "USER#x"}}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    (request,) = seen
    assert request["target"] == "DynamoDB_20120810.GetItem"
    assert request["headers"]["Content-Type"] == "application/x-amz-json-1.0"
    assert json.loads(request["body"]) == {"TableName": "t", "Key": {"pk": {"S": "USER#x"}}}
    assert request["headers"]["Authorization"].startswith(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
    )


def test_throttling_is_retried_with_backoff_then_reported():
    with scripted_endpoint(lambda n: THROTTLED) as (url, seen):
        client = client_at(url, max_attempts=3)
        with pytest.raises(DynamoDbHttpError) as caught:
            client.update_item(TableName="t")
        client.close()
    assert len(seen) == 3  # three attempts in all, as botocore's standard mode
    assert caught.value.code == "ProvisionedThroughputExceededException"
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 2


def test_a_throttled_call_that_then_succeeds_returns_the_answer():
    answers = {
        1: THROTTLED,
        2: (503, b"<html>Service Unavailable</html>"),
        3: (200, {"Attributes": {}}),
    }
    with scripted_endpoint(lambda n: answers[n]) as (url, seen):
        client = client_at(url, max_attempts=3)
        response = client.update_item(TableName="t")
        client.close()
    assert len(seen) == 3 and response["ResponseMetadata"]["RetryAttempts"] == 2


def test_client_errors_are_not_retried_and_keep_the_item_botocore_would_return():
    body = {
        "__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
        "message": "The conditional request failed",
        "Item": {"toe_grips": {"N": "3"}},
    }
    with scripted_endpoint(lambda n: (400, body)) as (url, seen):
        client = client_at(url, max_attempts=3)
        with pytest.raises(DynamoDbHttpError) as caught:
            client.update_item(TableName="t")
        client.close()
    assert len(seen) == 1
    assert caught.value.code == "ConditionalCheckFailedException"
    assert caught.value.response["Item"] == {"toe_grips": {"N": "3"}}


def test_a_corrupted_answer_is_caught_by_its_crc32_and_retried():
    good = json.dumps({"Items": []}).encode()

    def answer(n: int) -> tuple:
        return (200, good, {"x-amz-crc32": str(zlib.crc32(good) ^ 1)}) if n == 1 else (200, good)

    with scripted_endpoint(answer) as (url, seen):
        client = client_at(url)
        assert client.query(TableName="t")["Items"] == []
        client.close()
    assert len(seen) == 2


def test_a_dropped_keep_alive_connection_is_replaced_without_a_retry_or_a_wait():
    with scripted_endpoint(lambda n: (200, {}), close_after_each=True) as (url, seen):
        client = client_at(url, max_attempts=1)  # no retries: a resend must not need one
        client.get_item(TableName="t")
        time.sleep(0.1)  # let the server's close reach us
        started = time.monotonic()
        response = client.get_item(TableName="t")
        elapsed = time.monotonic() - started
        client.close()
    assert response["ResponseMetadata"]["RetryAttempts"] == 0
    assert len(seen) == 2 and seen[0]["connection"] != seen[1]["connection"]
    assert elapsed < 0.5  # generous: no backoff sleep happened


def test_connections_are_kept_alive_between_calls():
    with scripted_endpoint(lambda n: (200, {})) as (url, seen):
        client = client_at(url)
        for _ in range(3):
            client.get_item(TableName="t")
        client.close()
    assert len({request["connection"] for request in seen}) == 1


def test_a_hung_endpoint_times_out_on_the_read_timeout():
    with socket.socket() as silent:  # accepts (the kernel's backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        client = client_at(
            f"http://127.0.0.1:{silent.getsockname()[1]}", read_timeout=0.2, max_attempts=2
        )
        started = time.monotonic()
        with pytest.raises(DynamoDbHttpError) as caught:
            client.get_item(TableName="t")
        elapsed = time.monotonic() - started
        client.close()
    assert caught.value.code == "ReadTimeoutError"
    assert 0.4 <= elapsed < 3.0  # two attempts of 0.2 s, plus at most 1 s of backoff


def test_a_closed_port_is_an_endpoint_connection_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = client_at(f"http://127.0.0.1:{port}", max_attempts=1)
    with pytest.raises(DynamoDbHttpError) as caught:
        client.get_item(TableName="t")
    assert caught.value.code == "EndpointConnectionError"


def test_the_store_works_through_it_against_dynamodb_local(dynamo_store):
    from skill.store.dynamodb_http import DynamoDbHttpClient as Client

    assert isinstance(dynamo_store.client, Client)  # what Lambda uses
    day = datetime(2026, 11, 24).date()
    assert dynamo_store.add_set("amzn1.ask.account.HTTP", day, "toe_grips", 3) is not None
    assert dynamo_store.load("amzn1.ask.account.HTTP", day).today.count("toe_grips") == 1


# -- where settings come from ---------------------------------------------------------------


@pytest.fixture
def clean_aws_env(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return tmp_path


def test_no_region_is_a_clear_error(clean_aws_env):
    with pytest.raises(DynamoDbHttpError) as caught:
        DynamoDbHttpClient.from_environment()
    assert caught.value.code == "NoRegionError"


def test_endpoint_and_region_from_the_environment(clean_aws_env, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    assert (
        DynamoDbHttpClient.from_environment().endpoint_url
        == "https://dynamodb.eu-west-1.amazonaws.com"
    )
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    assert DynamoDbHttpClient.from_environment().endpoint_url == "http://127.0.0.1:9"
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8")
    assert DynamoDbHttpClient.from_environment().endpoint_url == "http://127.0.0.1:8"
    monkeypatch.setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
    assert (
        DynamoDbHttpClient.from_environment().endpoint_url
        == "https://dynamodb.eu-west-1.amazonaws.com"
    )


def test_without_environment_keys_botocores_credential_chain_signs(clean_aws_env, monkeypatch):
    (clean_aws_env / "credentials").write_text(
        "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = fromfile\n"
    )
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    with scripted_endpoint(lambda n: (200, {})) as (url, seen):
        monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", url)
        client = DynamoDbHttpClient.from_environment()
        client.get_item(TableName="t")
        client.close()
    assert seen[0]["headers"]["Authorization"].startswith(
        "AWS4-HMAC-SHA256 Credential=AKIDPROFILE/"
    )


def test_no_credentials_anywhere_is_a_clear_error(clean_aws_env, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    with pytest.raises(DynamoDbHttpError) as caught:
        DynamoDbHttpClient.from_environment()
    assert caught.value.code == "NoCredentialsError"


def test_lambdas_first_answer_imports_neither_boto3_nor_botocore(dynamo_table):
    """The cold path: import the Lambda entry and answer a LaunchRequest from DynamoDB Local."""
    launch = {
        "version": "1.0",
        "session": {
            "new": True,
            "sessionId": "s",
            "application": {"applicationId": "a"},
            "user": {"userId": "amzn1.ask.account.COLD"},
            "attributes": {},
        },
        "context": {
            "System": {
                "application": {"applicationId": "a"},
                "user": {"userId": "amzn1.ask.account.COLD"},
                "device": {"deviceId": "d", "supportedInterfaces": {}},
            }
        },
        "request": {
            "type": "LaunchRequest",
            "requestId": "r",
            "locale": "en-US",
            "timestamp": "2026-11-24T15:00:00Z",
        },
    }
    code = (
        "import json, sys; import lambda_function; "
        "out = lambda_function.lambda_handler(json.loads(sys.argv[1]), None); "
        "print(json.dumps([out['response']['outputSpeech']['ssml'], "
        "sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore'))]))"
    )
    env = {**os.environ, "TABLE_NAME": dynamo_table, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code, json.dumps(launch)],
        cwd=ROOT / "lambda",
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    speech, imported = json.loads(result.stdout.strip().splitlines()[-1])
    notice = strings_for("en-US").text("dialog.store_read_unavailable")
    assert "Welcome" in speech and notice not in speech  # the store was read
    assert imported == []


@contextmanager
def answer_lost_once(upstream: str, target: str) -> Iterator[tuple[str, list[str]]]:
    """A proxy to ``upstream`` that delivers the first ``target`` call but loses its answer
    (it replies only after the client has timed out), as a network can after DynamoDB acted."""
    import http.client as http_client
    from urllib.parse import urlsplit

    up = urlsplit(upstream)
    seen: list[str] = []

    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # http.server names it so
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            name = self.headers.get("X-Amz-Target", "").rsplit(".", 1)[-1]
            seen.append(name)
            connection = http_client.HTTPConnection(up.hostname, up.port, timeout=10)
            connection.request("POST", "/", body=body, headers=dict(self.headers))
            answer = connection.getresponse()
            payload = answer.read()
            connection.close()
            if name == target and seen.count(target) == 1:
                time.sleep(1.0)  # applied upstream; the client has given up by now
                self.close_connection = True
                return
            self.send_response(answer.status)
            for header, value in answer.getheaders():
                if header.lower() not in ("connection", "transfer-encoding"):
                    self.send_header(header, value)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args) -> None:
            pass

    with serve_http(Proxy) as url:
        yield url, seen


def test_a_set_whose_answer_was_lost_is_counted_once(dynamodb_local, dynamo_table):
    from skill.store.dynamodb import DynamoDbStore

    day = datetime(2026, 11, 24).date()
    with answer_lost_once(dynamodb_local, "UpdateItem") as (url, seen):
        client = DynamoDbHttpClient(
            "us-east-1", lambda: CREDENTIALS, endpoint_url=url, read_timeout=0.3, max_attempts=3
        )
        store = DynamoDbStore(dynamo_table, client)
        assert store.add_set("amzn1.ask.account.LOST", day, "toe_grips", 3) == 1
        store.close()
    assert seen.count("UpdateItem") == 2  # the retry reached DynamoDB too
    fresh = DynamoDbStore(dynamo_table)
    assert fresh.load("amzn1.ask.account.LOST", day).today.count("toe_grips") == 1
    assert fresh.add_set("amzn1.ask.account.LOST", day, "toe_grips", 3) == 2  # later sets count
    fresh.close()
